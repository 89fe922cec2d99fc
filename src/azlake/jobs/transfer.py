"""Moving a job's data inside the storage account without the bytes passing through azlake.

ADLS Gen2's DFS API has no copy, so each file is copied with the Blob API's Copy Blob
(`PUT <dest>` with `x-ms-copy-source: <source blob URL>`; on a hierarchical-namespace account the Blob
and DFS APIs see the same files). Within one account the caller's Entra ID token authorises the
source too; the copy runs in the storage service and is polled until `x-ms-copy-status: success`.
Directories are listed with the DFS API and recreated implicitly by the copies.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import ResourceNotFoundError

from azlake.errors import CloudError
from azlake.jobs.layout import Location

if TYPE_CHECKING:
    from azlake.azure.clients import Clients

PUBLISHED_META = "azlake_published_to"  # marks outputs already published to the lake


@dataclass
class Copied:
    source: str        # path in the source filesystem
    target: str        # path in the target filesystem
    size: int


def files_under(clients: Clients, where: Location) -> list[tuple[str, int]]:
    """(path, size) of every file under a directory, or of the file itself; [] when nothing is there."""
    fs = clients.datalake(where.account).get_file_system_client(where.filesystem)
    try:
        items = [(p.name, int(p.content_length or 0)) for p in fs.get_paths(path=where.path, recursive=True)
                 if not p.is_directory]
    except ResourceNotFoundError:
        items = []
    if items:
        return sorted(items)
    try:  # listing a file's path lists nothing (or fails): look at the path itself
        props = fs.get_file_client(where.path).get_file_properties()
    except ResourceNotFoundError:
        return []
    is_folder = str((props.metadata or {}).get("hdi_isfolder", "")).lower() == "true"
    return [] if is_folder else [(where.path, int(props.size or 0))]


def copy_tree(clients: Clients, source: Location, target: Location, wait_s: float = 1.0,
              parallel: int = 8, metadata: dict[str, str] | None = None) -> list[Copied]:
    """Server-side copy of every file under `source` to the same relative path under `target`.

    Copies run a few at a time: a Spark output is often hundreds of part files, each one request.
    `metadata` replaces the source's metadata on every copy (Copy Blob semantics).
    """
    from concurrent.futures import ThreadPoolExecutor

    blobs = clients.blob(target.account)

    def one(item: tuple[str, int]) -> Copied:
        path, size = item
        rel = path[len(source.path):].lstrip("/") if path != source.path else path.rsplit("/", 1)[-1]
        dest_path = f"{target.path}/{rel}" if rel else target.path
        src_url = blobs.get_blob_client(source.filesystem, path).url
        dest = blobs.get_blob_client(target.filesystem, dest_path)
        started = dest.start_copy_from_url(src_url, metadata=metadata) if metadata else \
            dest.start_copy_from_url(src_url)
        _wait_copy(dest, started.get("copy_status"), wait_s, f"{source.filesystem}/{path}")
        return Copied(path, dest_path, size)

    files = files_under(clients, source)
    with ThreadPoolExecutor(max_workers=max(1, min(parallel, len(files)))) as pool:
        return list(pool.map(one, files))


def _wait_copy(dest: Any, status: str | None, wait_s: float, what: str) -> None:
    while status == "pending":
        time.sleep(wait_s)
        status = dest.get_blob_properties().copy.status
    if status != "success":
        raise CloudError(f"the storage service could not copy {what} (copy status {status})",
                         hint="run again: copies are repeated from the start")


def verify(clients: Clients, target: Location, copied: list[Copied]) -> None:
    """Every copied file exists at its target with the size of its source."""
    fs = clients.datalake(target.account).get_file_system_client(target.filesystem)
    for item in copied:
        try:
            size = int(fs.get_file_client(item.target).get_file_properties().size or 0)
        except ResourceNotFoundError:
            size = -1
        if size != item.size:
            raise CloudError(f"{target.filesystem}/{item.target} did not land in the lake as copied "
                             f"({size} bytes, expected {item.size})",
                             hint="the job's output stays in the working filesystem; run again to publish it")


def mark_published(clients: Clients, source: Location, copied: list[Copied], target: Location) -> None:
    """Record on each published source file where it went (destroy then knows it may delete it)."""
    fs = clients.datalake(source.account).get_file_system_client(source.filesystem)
    for item in copied:
        client = fs.get_file_client(item.source)
        metadata = dict(client.get_file_properties().metadata or {})
        metadata[PUBLISHED_META] = f"{target.filesystem}/{item.target}"
        client.set_metadata(metadata)


JOB_META = "azlake_job"  # on every file a job published into the lake: `<environment>/<job>`


def remove_stale(clients: Clients, target: Location, copied: list[Copied], job: str) -> tuple[list[str], list[str]]:
    """Parts an earlier run of the same job left under `target` go; anything else stays.

    A parquet output is a directory whose every part is read; a part left by an earlier run would be
    read together with the new ones and double the report. Lake data is never deleted by default, so
    only files this job itself published before (metadata `azlake_job`) are removed; the others are
    returned as `foreign` for a warning. Returns (removed, foreign).
    """
    fresh = {c.target for c in copied}
    fs = clients.datalake(target.account).get_file_system_client(target.filesystem)
    removed, foreign = [], []
    for path, _ in files_under(clients, target):
        if path in fresh:
            continue
        client = fs.get_file_client(path)
        if (client.get_file_properties().metadata or {}).get(JOB_META) == job:
            client.delete_file()
            removed.append(path)
        else:
            foreign.append(path)
    return removed, foreign


def delete_tree(clients: Clients, where: Location) -> None:
    """Remove a working directory (staged inputs of an earlier run); absent is fine."""
    fs = clients.datalake(where.account).get_file_system_client(where.filesystem)
    try:
        fs.get_directory_client(where.path).delete_directory()
    except ResourceNotFoundError:
        pass


def unpublished(clients: Clients, where: Location) -> list[str]:
    fs = clients.datalake(where.account).get_file_system_client(where.filesystem)
    out = []
    for path, _ in files_under(clients, where):
        if not (fs.get_file_client(path).get_file_properties().metadata or {}).get(PUBLISHED_META):
            out.append(path)
    return out
