"""`azlake lake ls|put|get`: list, upload and download files in the environment's data lake."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from azlake.cli.options import (
    Cloud,
    Debug,
    LockTimeout,
    StateDir,
    clients_for,
    load,
    local_cloud_line,
    locked,
    set_debug,
)
from azlake.cli.render import plain
from azlake.errors import AzlakeError

lake_app = typer.Typer(help="List, upload and download lake files (zone/path, e.g. landingtmp/transaccion).",
                       no_args_is_help=True, rich_markup_mode=None)

EnvPath = Annotated[Path, typer.Argument(help="Environment file (its lake, or the central lake it uses).")]


def split(lake_path: str, zone_only_ok: bool = False, directory_slash: bool = False) -> tuple[str, str]:
    """'landing/transaccion/x.data' -> ('landing', 'transaccion/x.data'), refused before any request when
    it would leave its zone ('..', '.', empty segments, a leading '/', '\\')."""
    from azlake.envfile.lakepaths import split as checked_split
    try:
        return checked_split(lake_path, directory_slash=directory_slash, zone_only_ok=zone_only_ok)
    except ValueError as exc:
        raise AzlakeError(str(exc), hint="write <zone>/<path> with '/' between plain names, for example "
                                         "landingtmp/transaccion/ventas.csv") from None


def _context(path: Path, cloud: Optional[str], state_dir: Optional[Path]) -> tuple[Any, Any, str]:
    loaded = load(path, require_values=False, command="lake")  # lake files need no cluster password
    clients = clients_for(loaded, cloud, state_dir, read_only=True)  # no lake where there is no state
    account = loaded.lake_account()
    where = local_cloud_line(clients)
    if clients.empty_state:
        raise AzlakeError(f"the local cloud is empty at {clients.target.state_dir}: the lake {account} does not "
                          "exist yet", hint=f"apply the environment first (azlake apply {path} --cloud local), "
                          "or point --state-dir (or AZLAKE_STATE_DIR) at the state you applied it with")
    if where:
        print(where, file=sys.stderr)  # stdout stays the listing or the transfer line
    return loaded, clients, account


def _require_zone(loaded: Any, clients: Any, account: str, zone: str, path: Path, doing: str) -> list[str]:
    """The lake's zones; a missing lake or zone is a clear error, not an SDK code or an empty listing.
    This is each command's first data-plane request: it waits while the deployer's data role propagates."""
    from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

    from azlake.azure.envlock import CONTAINER  # the locks' container is azlake's, not a zone
    from azlake.cli.lake_access import with_data_role
    service = clients.datalake(account)
    try:
        zones = with_data_role(loaded, clients, account, lambda: [
            fs.name for fs in service.list_file_systems() if fs.name != CONTAINER], doing)
    except ResourceNotFoundError:
        raise AzlakeError(f"the lake {account} does not exist yet",
                          hint=f"create it with azlake apply {path}") from None
    except HttpResponseError as exc:
        raise _cloud_error(exc, doing) from None
    if zone and zone not in zones:
        raise AzlakeError(f"no zone {zone!r} in the lake {account} (zones: {', '.join(zones) or 'none'})",
                          hint=f"a lake path starts with one of those zones; see them with azlake lake ls {path}")
    return zones


def _cloud_error(exc: Exception, what: str, write: bool = False) -> AzlakeError:
    """A failed lake call in the words of azure.errors, with the lake's own next step for the rest."""
    from azlake.azure.errors import error_parts, explain
    code, message, _ = error_parts(exc)
    if write and code == "AuthorizationPermissionMismatch":
        # the command's first request, a read of the zones, worked: the data role reads but does not write
        return AzlakeError(f"{what}: your data role on the lake lets you read but not write", code=code,
                           hint="ask an admin for Storage Blob Data Contributor on the storage account (Storage Blob "
                                "Data Reader only reads); if it was assigned minutes ago, run the same command again "
                                "in a few minutes")
    why, todo = explain(code)
    detail = why or (message.strip().splitlines()[0] if message.strip() else "")
    return AzlakeError(f"{what}: {code}", detail=detail, hint=todo or "check the zone and path with azlake lake ls")


@lake_app.command("ls")
def ls(path: EnvPath,
       lake_path: Annotated[str, typer.Argument(help="zone or zone/dir; omit to list the zones.")] = "",
       recursive: Annotated[bool, typer.Option("--recursive", "-r", help="Everything below, not one level.")] = False,
       cloud: Cloud = None, state_dir: StateDir = None, debug: Debug = False) -> None:
    """List zones, or the files and directories under zone/path."""
    set_debug(debug)
    from azure.core.exceptions import HttpResponseError
    zone, rest = split(lake_path, zone_only_ok=True, directory_slash=True) if lake_path else ("", "")
    rest = rest.rstrip("/")
    loaded, clients, account = _context(path, cloud, state_dir)
    zones = _require_zone(loaded, clients, account, zone, path, f"cannot list {lake_path or account}")
    try:
        if not lake_path:
            for name in zones:
                print(f"{name}/")
            return
        from azlake.azure import datalake
        listed = 0
        for listed, item in enumerate(  # noqa: B007 (read after the loop: how many were listed)
                datalake.ls(clients, account, zone, rest or None, recursive=recursive), 1):
            suffix = "/" if item.is_directory else ""
            size = "" if item.is_directory else f"{item.content_length:>12}  "
            print(f"{size:>14}{zone}/{item.name}{suffix}")
        if not listed and rest and not datalake.is_directory(clients, account, zone, rest):
            raise AzlakeError(f"nothing at {zone}/{rest}", hint=f"list what there is with azlake lake ls {path} {zone}")
    except HttpResponseError as exc:
        raise _cloud_error(exc, f"cannot list {lake_path or account}") from None


@lake_app.command("put")
def put(path: EnvPath,
        local: Annotated[Path, typer.Argument(help="Local file, or a folder (uploaded whole).", exists=True)],
        lake_path: Annotated[str, typer.Argument(help="zone/dir (keeps the file name) or zone/dir/name.")],
        checksum: Annotated[bool, typer.Option("--checksum", help="Keep each file's MD5 as its Content-MD5; "
                                               "folders: skip files already there only when their MD5 matches "
                                               "(default: when their size does).")] = False,
        cloud: Cloud = None, state_dir: StateDir = None, debug: Debug = False,
        lock_timeout: LockTimeout = "0") -> None:
    """Upload a file or a whole folder into the lake (parallel, resumable, with progress)."""
    set_debug(debug)
    from azlake.azure.envlock import parse_timeout
    timeout = parse_timeout(lock_timeout)
    if not (local.is_file() or local.is_dir()):  # a FIFO would block the upload, /dev/zero never ends
        raise AzlakeError(f"{local} is not a regular file or a folder (a named pipe, device or socket)",
                          hint="upload a regular file, or copy the data into one first")
    zone, rest = split(lake_path, zone_only_ok=True, directory_slash=True)
    loaded, clients, account = _context(path, cloud, state_dir)
    # before the lock: taking it needs the data role too, which may still be propagating
    _require_zone(loaded, clients, account, zone, path, f"cannot upload to {lake_path}")
    with locked(loaded, clients, f"lake put {local} {lake_path}", timeout):
        _put_locked(clients, account, local, lake_path, zone, rest, checksum)


def _put_locked(clients: Any, account: str, local: Path, lake_path: str, zone: str, rest: str,
                checksum: bool) -> None:
    from azure.core.exceptions import HttpResponseError

    from azlake.azure import datalake
    if local.is_dir():
        _put_folder(clients, account, zone, rest.rstrip("/"), local, checksum)
        return
    note = ""
    try:
        if lake_path.endswith("/") or datalake.is_directory(clients, account, zone, rest):
            rest = f"{rest.rstrip('/')}/{local.name}".lstrip("/")
        elif not Path(rest).suffix and Path(local.name).suffix:  # most likely a misspelt directory
            note = (f"note: {zone}/{rest} is not a directory, so the file is stored under that name; "
                    f"end the path with / to upload into a new directory {zone}/{rest}/")
        with _progress(f"upload {local.name}", local.stat().st_size) as hook:
            size = datalake.put(clients, account, zone, rest, local, progress_hook=hook,  # the size stored
                                checksum=checksum)
    except HttpResponseError as exc:
        raise _cloud_error(exc, f"cannot upload to {zone}/{rest}", write=True) from None
    print(f"uploaded {local} -> {zone}/{rest} ({size} bytes)")
    if note:
        print(note, file=sys.stderr)


@lake_app.command("get")
def get(path: EnvPath,
        lake_path: Annotated[str, typer.Argument(help="zone/path of a file, or of a directory (downloaded whole).")],
        local: Annotated[Optional[Path], typer.Argument(help="Where to write (default: its name here).")] = None,
        cloud: Cloud = None, state_dir: StateDir = None, debug: Debug = False) -> None:
    """Download a lake file, or a whole directory into a local folder (parallel, resumable, with progress)."""
    set_debug(debug)
    from azure.core.exceptions import HttpResponseError

    from azlake.azure import datalake
    zone, rest = split(lake_path)
    loaded, clients, account = _context(path, cloud, state_dir)
    _require_zone(loaded, clients, account, zone, path, f"cannot download {lake_path}")
    if datalake.is_directory(clients, account, zone, rest):
        _get_folder(clients, account, zone, rest.rstrip("/"), local or Path(Path(rest).name or zone))
        return
    dest = local or Path(Path(rest).name)
    if dest.is_dir():
        dest = dest / Path(rest).name
    if not dest.parent.is_dir():
        raise AzlakeError(f"cannot write {dest}: the folder {dest.parent} does not exist",
                          hint="create it first (mkdir -p), or give another local path")
    try:
        with _progress(f"download {Path(rest).name}", None) as hook:
            size = datalake.download_to(clients, account, zone, rest, dest, progress_hook=hook)
    except HttpResponseError as exc:
        dest.unlink(missing_ok=True)
        raise _cloud_error(exc, f"cannot download {zone}/{rest}") from None
    print(f"downloaded {zone}/{rest} -> {dest} ({size} bytes)")


def _put_folder(clients: Any, account: str, zone: str, prefix: str, local: Path, checksum: bool) -> None:
    from azure.core.exceptions import HttpResponseError

    from azlake.azure import lake_folders
    fs = clients.datalake(account).get_file_system_client(zone)
    blobs = clients.blob(account).get_container_client(zone)
    try:
        with _count_progress(f"upload {local.name}/") as hook:
            done = lake_folders.put_folder(fs, blobs, local, prefix, checksum=checksum, progress=hook,
                                            parallel=lake_folders.parallelism(clients))
    except HttpResponseError as exc:
        raise _cloud_error(exc, f"cannot upload {local} to {zone}/{prefix}", write=True) from None
    print(f"uploaded {local}/ -> {zone}/{prefix}/: {len(done.sent)} file(s), {done.bytes} bytes; "
          f"{len(done.skipped)} already there {'(same MD5)' if checksum else '(same size)'}")


def _get_folder(clients: Any, account: str, zone: str, prefix: str, dest: Path) -> None:
    from azure.core.exceptions import HttpResponseError

    from azlake.azure import lake_folders
    if dest.exists() and not dest.is_dir():
        raise AzlakeError(f"cannot download the directory {zone}/{prefix} into {dest}: it is a file",
                          hint="give a folder (it is created if missing)")
    fs = clients.datalake(account).get_file_system_client(zone)
    try:
        with _count_progress(f"download {zone}/{prefix}/") as hook:
            done = lake_folders.get_folder(fs, prefix, dest, progress=hook,
                                            parallel=lake_folders.parallelism(clients))
    except HttpResponseError as exc:
        raise _cloud_error(exc, f"cannot download {zone}/{prefix}") from None
    print(f"downloaded {zone}/{prefix}/ -> {dest}/: {len(done.sent)} file(s), {done.bytes} bytes; "
          f"{len(done.skipped)} already there (same size)")


class _count_progress:
    """One bar counting files for a folder transfer; nothing in CI or when output is not a terminal."""

    def __init__(self, label: str) -> None:
        self.label, self.bar = label, None
        if not plain():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress
            self.bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                                transient=True)

    def __enter__(self):
        if self.bar is None:
            return None
        self.bar.start()
        task = self.bar.add_task(self.label, total=None)
        return lambda done, total: self.bar.update(task, completed=done, total=total)

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()


class _progress:
    """A rich progress bar for people; nothing in CI or when output is not a terminal."""

    def __init__(self, label: str, total: int | None) -> None:
        self.label, self.total, self.bar, self.task = label, total, None, None
        if not plain():
            from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn
            self.bar = Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                                TransferSpeedColumn(), transient=True)

    def __enter__(self):
        if self.bar is None:
            return None
        self.bar.start()
        self.task = self.bar.add_task(self.label, total=self.total)
        return lambda done, total: self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()


def register(app: typer.Typer) -> None:
    app.add_typer(lake_app, name="lake")
