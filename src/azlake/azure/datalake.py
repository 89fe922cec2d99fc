"""ADLS Gen2 data plane with Entra ID tokens: directories (plan/apply) and lake files (ls, put, get)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from azlake.azure.kind import DONE, Kind, Outcome, Resource
from azlake.azure.listings import listed
from azlake.azure.observed import META_ENVIRONMENT, Observed
from azlake.azure.roles import while_role_propagates
from azlake.errors import CloudError

if TYPE_CHECKING:
    from azlake.azure.clients import Clients

PUBLISHED_META = "azlake_published_to"
OUTPUTS_PREFIX = "objects/outputs"


def _fs(clients: Clients, account: str, filesystem: str) -> Any:
    return clients.datalake(account).get_file_system_client(filesystem)


# --- directories as resources ----------------------------------------------------------------------
class Directory(Kind):
    """A directory of a zone or of a cluster's working filesystem (data plane); its metadata marks it ours."""

    name = "directory"
    data_plane = True

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        ctx = res.context
        listing = listed(self, clients, res, facts)
        if listing is not None:
            if ctx["path"] not in listing:
                return Observed.missing()
            metadata = listing[ctx["path"]]
        else:
            client = _fs(clients, ctx["account"], ctx["filesystem"]).get_directory_client(ctx["path"])
            try:
                props = _while_role_propagates(clients, res, facts, client.get_directory_properties)
            except ResourceNotFoundError:
                return Observed.missing()
            metadata = dict(props.metadata or {})
        return Observed(True, {f"metadata.{k}": v for k, v in metadata.items() if k == META_ENVIRONMENT},
                        owner=metadata.get(META_ENVIRONMENT))

    def listing_key(self, res: Resource) -> tuple[str, ...] | None:
        """Directories of one folder of a filesystem (a zone's departments, a cluster's objects/...)."""
        path = res.context["path"]
        if not path or path.startswith("/") or path.endswith("/") or "//" in path:
            return None  # not the plain name a listing shows: read it on its own
        return res.context["account"], res.context["filesystem"], path.rpartition("/")[0]

    def listing(self, clients: Clients, key: tuple[str, ...], facts: dict[str, Any]) -> dict[str, dict] | None:
        """{path: metadata} of what the folder holds, from one Blob listing with a delimiter: with a
        hierarchical namespace a directory is a blob of its own there, with its metadata (DFS's List Paths
        has none). Any refusal (a data role still propagating) leaves each directory to its own read, which
        waits for the role as before."""
        from azure.storage.blob import BlobPrefix

        account, filesystem, folder = key
        container = clients.blob(account).get_container_client(filesystem)
        try:
            return {b.name: dict(b.metadata or {}) for b in container.walk_blobs(
                name_starts_with=f"{folder}/" if folder else None, include=["metadata"], delimiter="/")
                if not isinstance(b, BlobPrefix)}
        except ResourceNotFoundError:
            return {}  # the filesystem is gone: so is every directory in it
        except HttpResponseError:
            return None

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        ctx = res.context
        metadata = {k.split(".", 1)[1]: v for k, v in res.properties.items() if k.startswith("metadata.")}
        # Creating a directory that exists keeps its contents: safe to repeat after an interruption.
        _fs(clients, ctx["account"], ctx["filesystem"]).get_directory_client(ctx["path"]).create_directory(
            metadata=metadata)
        return DONE

    def update(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None,
               paths: set[str]) -> Outcome:
        """Set azlake's metadata, keeping what the directory already carries (Set Metadata replaces it all)."""
        ctx = res.context
        metadata = {k.split(".", 1)[1]: v for k, v in res.properties.items() if k.startswith("metadata.")}
        client = _fs(clients, ctx["account"], ctx["filesystem"]).get_directory_client(ctx["path"])
        have = dict(client.get_directory_properties().metadata or {})
        client.set_metadata({**have, **metadata})
        return DONE

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        ctx = res.context
        try:
            _fs(clients, ctx["account"], ctx["filesystem"]).get_directory_client(ctx["path"]).delete_directory()
        except ResourceNotFoundError:
            pass
        return DONE

    def goes_with(self, res: Resource, deleting: set[str]) -> bool:
        """Directories go with their filesystem."""
        return any(d in deleting for d in res.depends_on if d.startswith(("cluster.filesystem", "data_lake.zone")))


def _while_role_propagates(clients: Clients, res: Resource, facts: dict[str, Any], call: Any) -> Any:
    """A read that waits, as creation does, while the deployer's data role (which exists: it was read
    before this directory) is still propagating; then says so instead of asking for deployer_access."""
    if "data_lake.deployer_access" not in res.depends_on:
        return call()  # no data role of ours to wait for: a 403 is explained as it is
    notify = facts.get("notify") or (lambda _text: None)
    try:
        return while_role_propagates(clients, call, is_permission_mismatch, lambda: notify(
            "waiting for your data role on the lake to become effective (assigned by an earlier apply; Azure "
            "takes up to 10 minutes)"))
    except HttpResponseError as exc:
        if not is_permission_mismatch(exc):
            raise
        raise role_not_effective(f"reading {res.address} ({res.name}): your data role on the lake") from exc


def role_not_effective(whose_role: str) -> CloudError:
    """The deployer's data role exists (read from Azure) and Azure still refused past the propagation bound."""
    return CloudError(
        f"{whose_role} (data_lake.deployer_access, Storage Blob Data Contributor) exists but is not effective yet",
        detail="Azure takes up to 10 minutes to apply a new role assignment; azlake waited that long.",
        hint="run the same command again in a few minutes", code="AuthorizationPermissionMismatch")


def delete_filesystem(clients: Clients, account: str, filesystem: str) -> None:
    _fs(clients, account, filesystem).delete_file_system()


# --- files: what `azlake lake` and `destroy` use -----------------------------------------------------
def ls(clients: Clients, account: str, filesystem: str, path: str | None = None,
       recursive: bool = True) -> Iterator[Any]:
    """PathProperties (name, is_directory, content_length, last_modified) under `path`."""
    try:
        yield from _fs(clients, account, filesystem).get_paths(path=path or None, recursive=recursive)
    except ResourceNotFoundError:
        return


def put(clients: Clients, account: str, filesystem: str, path: str, source: Path | bytes,
        metadata: dict[str, str] | None = None, max_concurrency: int = 4, progress_hook: Any = None,
        checksum: bool = False) -> int:
    """Upload a file; progress_hook(done, total). Returns the size stored, which the upload itself vouches for.

    A local file goes up as a folder's file does (lake_folders.put_file): up to 4 MiB in one Put Blob, which
    stores exactly the bytes it is sent, larger through the Data Lake API, whose flush commits only when the
    data appended is exactly as long as the position it names; with `checksum`, its MD5 is kept as its
    Content-MD5. No request follows to ask the size. A local file written to while it went up is what a
    request cannot see: its own status before and after tells."""
    if isinstance(source, bytes):
        client = _fs(clients, account, filesystem).get_file_client(path)
        _upload(client, source, len(source), metadata, max_concurrency, progress_hook)
        return len(source)
    from azlake.azure.lake_folders import Local, changed_since, put_file

    local = Path(source)
    before = local.stat()
    blobs = clients.blob(account).get_container_client(filesystem)
    put_file(_fs(clients, account, filesystem), blobs, path, Local(path, local, before), checksum, metadata,
             progress_hook, max_concurrency)
    if changed_since(local, before):
        raise CloudError(f"{source} changed while it was uploaded to {filesystem}/{path}",
                         detail=f"the lake holds the {before.st_size} bytes read before the change",
                         hint="upload it again once nothing writes to it")
    return before.st_size


def _upload(client: Any, data: Any, size: int, metadata: dict[str, str] | None, max_concurrency: int,
            progress_hook: Any) -> None:
    if size == 0:
        # The SDK's upload returns early for empty data (on Azure too), leaving an older file's content:
        # creating the file is what truncates it.
        client.create_file(metadata=metadata)
    else:
        client.upload_data(data, overwrite=True, metadata=metadata, max_concurrency=max_concurrency,
                           length=size, progress_hook=progress_hook)


def get(clients: Clients, account: str, filesystem: str, path: str) -> bytes:
    return _fs(clients, account, filesystem).get_file_client(path).download_file().readall()


def download_to(clients: Clients, account: str, filesystem: str, path: str, dest: Path,
                max_concurrency: int = 4, progress_hook: Any = None) -> int:
    """Stream a lake file to a local file (ranged, parallel reads by the SDK); returns its size."""
    stream = _fs(clients, account, filesystem).get_file_client(path).download_file(
        max_concurrency=max_concurrency, progress_hook=progress_hook)
    with open(dest, "wb") as fh:
        return stream.readinto(fh)


def is_directory(clients: Clients, account: str, filesystem: str, path: str) -> bool:
    """True when `path` exists and is a directory (ADLS answers both through one HEAD)."""
    if not path:
        return True
    try:
        props = _fs(clients, account, filesystem).get_directory_client(path).get_directory_properties()
    except ResourceNotFoundError:
        return False
    return (props.metadata or {}).get("hdi_isfolder") == "true" or getattr(props, "is_directory", False) is True


def unpublished_outputs(clients: Clients, account: str, filesystem: str) -> list[str]:
    """Files under objects/outputs that `azlake run` has not marked as published to the lake."""
    out = []
    for item in ls(clients, account, filesystem, OUTPUTS_PREFIX):
        if item.is_directory:
            continue
        props = _fs(clients, account, filesystem).get_file_client(item.name).get_file_properties()
        if not (props.metadata or {}).get(PUBLISHED_META):
            out.append(item.name)
    return sorted(out)


def is_permission_mismatch(exc: Exception) -> bool:
    return isinstance(exc, HttpResponseError) and getattr(exc, "error_code", None) == \
        "AuthorizationPermissionMismatch"
