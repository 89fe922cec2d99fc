"""Bounded listing of a filesystem's directories: a few levels and a few hundred entries, never the lake."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from azlake.importer.found import Listing

if TYPE_CHECKING:
    from azure.core.exceptions import HttpResponseError

    from azlake.azure.clients import Clients

# One page of a listing is up to this many entries (files included): a folder holding a million files
# costs one page, not two hundred.
PAGE = 1000
# HDInsight writes its own folders into the cluster's primary filesystem; they are not the team's layout.
HDINSIGHT_FOLDERS = frozenset({"hdp", "user", "app-logs", "atshistory", "mapreducestaging", "tmp", "example",
                               "hive", "ams", "amshbase", "hdinotebooks", "hdisamples", "livy2-recovery",
                               "custom-scriptaction-logs", "hbase", "yarn", "spark-events", "warehouse"})


def list_directories(clients: Clients, account: str, filesystem: str, depth: int, limit: int,
                     progress: Callable[[str], None] | None = None,
                     skip_top: frozenset[str] = frozenset()) -> Listing:
    """Leaf directories down to `depth` levels, at most `limit` of them, one page read per directory.

    A directory not expanded (deeper than `depth`, or once expanding it would pass `limit`) stands for its
    subtree: every top directory is written when the top level fits the limit."""
    from azure.core.exceptions import HttpResponseError
    out = Listing()
    try:
        level = [c for c in _subdirectories(clients, account, filesystem, "", out) if c.lower() not in skip_top]
        if len(level) > limit:
            out.paths, out.truncated = level[:limit], f"stopped at {limit} directories (--max-directories)"
            return out
        for _ in range(2, depth + 1):
            level = _expand(clients, account, filesystem, level, limit, out, progress)
            if out.truncated and "--max-directories" in out.truncated:
                break
    except HttpResponseError as exc:
        out.error = _why(exc)
        return out
    out.paths = sorted(out.paths + level)
    return out


def _expand(clients: Clients, account: str, filesystem: str, level: list[str], limit: int, out: Listing,
            progress: Callable[[str], None] | None) -> list[str]:
    """The next level's directories; parents left unexpanded (no children, or over the limit) go to out.paths."""
    deeper: list[str] = []
    for i, parent in enumerate(level):
        children = _subdirectories(clients, account, filesystem, parent, out)
        if progress and (i + 1) % 20 == 0:
            progress(f"{account}/{filesystem}: {i + 1} of {len(level)} directories read at this level")
        waiting = len(level) - i - 1
        if not children:
            out.paths.append(parent)
        elif len(out.paths) + len(deeper) + len(children) + waiting > limit:
            out.truncated = f"stopped at {limit} directories (--max-directories)"
            out.paths += level[i:]  # each stands for its subtree
            return deeper
        else:
            deeper += children
    return deeper


def _subdirectories(clients: Clients, account: str, filesystem: str, parent: str, out: Listing) -> list[str]:
    fs = clients.datalake(account).get_file_system_client(filesystem)
    pages = fs.get_paths(path=parent or None, recursive=False, max_results=PAGE).by_page()
    names = [item.name for item in next(pages, []) if item.is_directory]
    if getattr(pages, "continuation_token", None):  # Azure said there is more: it is not read
        out.truncated = f"{parent or 'the top level'} holds more than {PAGE} entries: only the first {PAGE} were read"
    return sorted(names)


def _why(exc: HttpResponseError) -> str:
    code = getattr(exc, "error_code", None) or getattr(exc, "status_code", "")
    if str(code) in ("AuthorizationPermissionMismatch", "AuthorizationFailure", "403"):
        return ("you hold no data role on the lake (Storage Blob Data Reader at least), so directories "
                "could not be listed")
    return f"the directories could not be listed ({code})"
