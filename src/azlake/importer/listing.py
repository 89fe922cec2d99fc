"""Bounded listing of a filesystem's directories: a few levels and a few hundred entries, never the lake."""

from __future__ import annotations

from typing import Any, Callable

from azlake.importer.found import Listing

# One page of a listing is up to this many entries (files included): a folder holding a million files
# costs one page, not two hundred.
PAGE = 1000
# HDInsight writes its own folders into the cluster's primary filesystem; they are not the team's layout.
HDINSIGHT_FOLDERS = frozenset({"hdp", "user", "app-logs", "atshistory", "mapreducestaging", "tmp", "example",
                               "hive", "ams", "amshbase", "hdinotebooks", "hdisamples", "livy2-recovery",
                               "custom-scriptaction-logs", "hbase", "yarn", "spark-events", "warehouse"})


def list_directories(clients: Any, account: str, filesystem: str, depth: int, limit: int,
                     progress: Callable[[str], None] | None = None,
                     skip_top: frozenset[str] = frozenset()) -> Listing:
    """Leaf directories down to `depth` levels (a directory deeper than that stands for its subtree),
    at most `limit` of them; one page per directory read."""
    from azure.core.exceptions import HttpResponseError
    out = Listing()
    level, read = [""], 0
    for d in range(1, depth + 1):
        deeper: list[str] = []
        for parent in level:
            try:
                children = _subdirectories(clients, account, filesystem, parent, out)
            except HttpResponseError as exc:
                out.error = _why(exc)
                return out
            read += 1
            if d == 1:
                children = [c for c in children if c.lower() not in skip_top]
            if not children and parent:
                out.paths.append(parent)
            deeper += children
            if progress and read % 20 == 0:
                progress(f"{account}/{filesystem}: {read} directories read, {len(out.paths) + len(deeper)} found")
            if len(out.paths) + len(deeper) >= limit:
                out.truncated = out.truncated or f"stopped at {limit} directories (--max-directories)"
                out.paths = sorted(out.paths + deeper)[:limit]
                return out
        level = deeper
    out.paths = sorted(out.paths + level)
    return out


def _subdirectories(clients: Any, account: str, filesystem: str, parent: str, out: Listing) -> list[str]:
    fs = clients.datalake(account).get_file_system_client(filesystem)
    pages = fs.get_paths(path=parent or None, recursive=False, max_results=PAGE).by_page()
    first = next(pages, [])
    names = []
    count = 0
    for item in first:
        count += 1
        if item.is_directory:
            names.append(item.name)
    if count >= PAGE and next(pages, None) is not None:
        out.truncated = f"{parent or 'the top level'} holds more than {PAGE} entries: only the first {PAGE} were read"
    return sorted(names)


def _why(exc: Any) -> str:
    code = getattr(exc, "error_code", None) or getattr(exc, "status_code", "")
    if str(code) in ("AuthorizationPermissionMismatch", "AuthorizationFailure", "403"):
        return ("you hold no data role on the lake (Storage Blob Data Reader at least), so its directories "
                "could not be listed")
    return f"the directories could not be listed ({code})"
