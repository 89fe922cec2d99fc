"""Whole folders to and from the lake: many files in one process, in parallel, resumable.

A folder of small files is mostly request latency, so files travel a few dozen at a time. What is already
at the destination with the same size is skipped (or, with checksums, the same MD5), so an interrupted
transfer is finished by running it again. One listing before replaces a request per file. A small file
goes up in one request (the Blob API's Put Blob) instead of three, in a folder and on its own (put_file). Each upload vouches for its own size
(Put Blob stores exactly its body; a Data Lake flush commits only at exactly the length sent) and each
local file's status after the transfer says whether it was written to meanwhile: no request per file or
listing afterwards.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from azlake.errors import CloudError

PARALLEL = 16  # files at a time against Azure, where each request is mostly network latency
WHOLE = 4 * 1024 * 1024  # files up to this size go up in one request each, read whole into memory


def parallelism(clients: Any) -> int:
    """Files at a time: one against the in-process local cloud, which serves one request at a time in this
    very process (threads only add contention there: 2,000 small files took 1.5x a plain loop with 4)."""
    return 1 if clients.local and not clients.target.emulator_url else PARALLEL


@dataclass
class Transfer:
    """What a folder transfer did: counts and bytes, for the summary line."""

    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    bytes: int = 0


@dataclass(frozen=True)
class Remote:
    size: int
    md5: bytes | None


@dataclass(frozen=True)
class Local:
    """A file to upload: its lake path relative to the prefix, where it is, and its status when found."""

    rel: str
    path: Path
    status: os.stat_result

    @property
    def size(self) -> int:
        return self.status.st_size


def local_files(folder: Path) -> list[Local]:
    """Every regular file below `folder`, each folder's files (sorted) before its subfolders (sorted), with
    '/' in lake paths; symlinks leading out of the folder and symlinked folders are not followed, and
    unreadable subfolders are passed over as os.walk does. One status call per file (the directory listing
    already says which entries are files and symlinks)."""
    root = folder.resolve()
    found: list[Local] = []
    pending = [(root, "")]
    while pending:
        directory, rel = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue
        subfolders = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                subfolders.append((Path(entry.path), f"{rel}{entry.name}/"))
            elif entry.is_file() and (not entry.is_symlink() or Path(entry.path).resolve().is_relative_to(root)):
                found.append(Local(rel + entry.name, Path(entry.path), entry.stat()))
        pending.extend(reversed(subfolders))
    return found


def remote_files(fs: Any, prefix: str) -> dict[str, Remote]:
    """Files under `prefix` in one recursive listing: relative path -> size (MD5 is read on demand)."""
    try:
        paths = list(fs.get_paths(path=prefix or None, recursive=True))
    except ResourceNotFoundError:
        return {}
    cut = len(prefix.rstrip("/")) + 1 if prefix else 0
    return {p.name[cut:]: Remote(int(p.content_length or 0), None) for p in paths if not p.is_directory}


def md5_of(path: Path) -> bytes:
    digest = hashlib.md5()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.digest()


def put_folder(fs: Any, blobs: Any, folder: Path, prefix: str, checksum: bool = False,
               progress: Callable[[int, int], None] | None = None, parallel: int = PARALLEL) -> Transfer:
    """Upload every file below `folder` to `prefix/<relative path>`: `fs` is the filesystem's Data Lake
    client (the listing, large files), `blobs` the same filesystem through the Blob API (small files)."""
    there = remote_files(fs, prefix)
    result, todo = Transfer(), []
    for file in local_files(folder):
        remote = there.get(file.rel)
        if remote is not None and remote.size == file.size and \
                (not checksum or _remote_md5(fs, _join(prefix, file.rel)) == md5_of(file.path)):
            result.skipped.append(file.rel)
        else:
            todo.append(file)

    def one(rel: str, file: Local) -> int:
        return put_file(fs, blobs, _join(prefix, rel), file, checksum)

    _in_parallel(result, [(file.rel, file) for file in todo], one, progress, parallel)
    _unchanged(todo, prefix)
    return result


def put_file(fs: Any, blobs: Any, path: str, file: Local, checksum: bool = False,
             metadata: dict[str, str] | None = None, progress_hook: Any = None, max_concurrency: int = 1) -> int:
    """Upload one local file to `path` (a folder's file, or `lake put` of one file) and return its size: up to
    WHOLE in one Put Blob, larger through the Data Lake API, whose flush at position=size is the size check
    (ADLS commits nothing shorter or longer). The caller compares the file's status afterwards."""
    try:
        if file.size <= WHOLE:
            _put_whole(blobs.get_blob_client(path), file, path, checksum, metadata, progress_hook)
        else:
            settings = _md5_settings(md5_of(file.path)) if checksum else None
            with open(file.path, "rb") as fh:
                fs.get_file_client(path).upload_data(fh, overwrite=True, length=file.size, metadata=metadata,
                                                     validate_content=checksum, content_settings=settings,
                                                     progress_hook=progress_hook, max_concurrency=max_concurrency)
    except HttpResponseError:
        if changed_since(file.path, file.status):  # shorter now than when listed: a refused flush
            raise _changed([path]) from None
        raise
    return file.size


def _put_whole(blob: Any, file: Local, path: str, checksum: bool, metadata: dict[str, str] | None,
               progress_hook: Any) -> None:
    """A small file in one request instead of the Data Lake API's three (create, append, flush): Put Blob
    replaces the file with exactly the body it receives (its Content-Length), empty included, and on a
    hierarchical account creates the missing parent directories as a Data Lake create does."""
    data = file.path.read_bytes()
    if len(data) != file.size:
        raise _changed([path])
    settings = _md5_settings(hashlib.md5(data).digest()) if checksum else None
    blob.upload_blob(data, overwrite=True, validate_content=checksum, content_settings=settings, metadata=metadata,
                     progress_hook=progress_hook)


def _md5_settings(md5: bytes) -> Any:
    """The file's MD5 kept as its Content-MD5 property, which the next --checksum put compares: Azure stores
    what it is sent and computes none for a Data Lake upload."""
    from azure.storage.blob import ContentSettings
    return ContentSettings(content_md5=bytearray(md5))


def get_folder(fs: Any, prefix: str, folder: Path, progress: Callable[[int, int], None] | None = None,
               parallel: int = PARALLEL) -> Transfer:
    """Download every file under `prefix` into `folder`, keeping the relative paths; files already there
    with the same size are skipped."""
    result, todo = Transfer(), []
    root = folder.resolve()
    for rel, remote in sorted(remote_files(fs, prefix).items()):
        dest = (root / rel).resolve()
        if not dest.is_relative_to(root):
            raise CloudError(f"the lake path {_join(prefix, rel)} would be written outside {folder}",
                             hint="download it on its own with azlake lake get")
        if dest.is_file() and dest.stat().st_size == remote.size:
            result.skipped.append(rel)
        else:
            todo.append((rel, dest))

    def one(rel: str, dest: Path) -> int:
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(dest.name + ".azlake-partial")
        with open(partial, "wb") as fh:
            size: int = fs.get_file_client(_join(prefix, rel)).download_file().readinto(fh)
        partial.replace(dest)  # a killed download never leaves a file that looks complete
        return size

    _in_parallel(result, todo, one, progress, parallel)
    return result


def _in_parallel(result: Transfer, todo: list[tuple[str, Any]], one: Callable[[str, Any], int],
                 progress: Callable[[int, int], None] | None, parallel: int) -> None:
    """Run `one(rel, item)` for every file, `parallel` at a time (one at a time in this very thread,
    without a pool's hand-over per file), reporting each finished file; the bytes and the files sent go
    into `result`."""
    finished = itertools.count(1)  # next() on a count is atomic: the workers share it

    def step(item: tuple[str, Any]) -> int:
        size = one(*item)
        number = next(finished)
        if progress:
            progress(number, len(todo))
        return size

    if parallel <= 1 or len(todo) <= 1:
        result.bytes = sum(map(step, todo))
    else:
        with ThreadPoolExecutor(max_workers=min(parallel, len(todo))) as pool:
            result.bytes = sum(pool.map(step, todo))
    result.sent = [rel for rel, _ in todo]


def _remote_md5(fs: Any, path: str) -> bytes | None:
    md5 = fs.get_file_client(path).get_file_properties().content_settings.content_md5
    return bytes(md5) if md5 else None


def changed_since(path: Path, before: os.stat_result) -> bool:
    """Whether a local file's size or modification time moved since `before` (or the file went away)."""
    try:
        now = path.stat()
    except FileNotFoundError:
        return True
    return (now.st_size, now.st_mtime_ns) != (before.st_size, before.st_mtime_ns)


def _unchanged(sent: list[Local], prefix: str) -> None:
    """Refuse to call a transfer done when a local file was written to while the folder went up: the lake
    then holds what was read, not what the file holds now."""
    changed = [_join(prefix, file.rel) for file in sent if changed_since(file.path, file.status)]
    if changed:
        raise _changed(changed)


def _changed(paths: list[str]) -> CloudError:
    return CloudError(f"{len(paths)} file(s) changed while they were uploaded: {', '.join(paths[:5])}",
                      detail="what the lake holds for them is not what the files hold now",
                      hint="run the same command again once nothing writes to them (add --checksum when a file "
                           "may have kept its size): files already there with their size are skipped")


def _join(prefix: str, rel: str) -> str:
    return f"{prefix.rstrip('/')}/{rel}" if prefix else rel
