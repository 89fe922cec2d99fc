"""Options shared by every command that talks to a cloud, defined once; loading a file and building clients."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from azlake.errors import AzlakeError, SpecError

if TYPE_CHECKING:
    from azlake.azure.clients import Clients
    from azlake.envfile.load import LoadedEnvironment

Cloud = Annotated[Optional[str], typer.Option("--cloud", envvar="AZLAKE_CLOUD", show_default="azure",
                                              help="azure, or local for the embedded emulator.")]
StateDir = Annotated[Optional[Path], typer.Option("--state-dir", envvar="AZLAKE_STATE_DIR",
                                                  show_default="<project root>/.azlake",
                                                  help="Where the local cloud keeps its state (the project root "
                                                       "holds environments/, pyproject.toml or .git).")]
AutoApprove = Annotated[bool, typer.Option("--auto-approve", help="Do not ask for confirmation.")]
Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks of unexpected errors.")]
NoEphemeral = Annotated[bool, typer.Option(
    "--no-ephemeral", help="Only the persistent part: ephemeral clusters and their working filesystem are left "
                           "as they are (`azlake run` creates them when a job needs them).")]
LockTimeout = Annotated[str, typer.Option("--lock-timeout", envvar="AZLAKE_LOCK_TIMEOUT", metavar="DURATION",
                                          help="How long to wait while another command holds the environment's "
                                               "lock (0: refuse at once; e.g. 30s, 5m).")]

Adopt = Annotated[bool, typer.Option(
    "--adopt", help="Take ownership of what exists without azlake's tags (the plan's `adopt` actions: tags "
                    "only); without it those resources are used as they are.")]


def set_debug(debug: bool) -> None:
    if debug:
        os.environ["AZLAKE_DEBUG"] = "1"


def interactive() -> bool:
    """Prompts only for a person at a terminal: never in CI or when stdin is not a terminal."""
    return os.environ.get("CI", "").lower() != "true" and sys.stdin.isatty()


def load(path: Path, require_values: bool = True, command: str = "") -> Any:
    """Load an environment file; print its diagnostics (file:line key: problem) when it is invalid.

    `require_values=False` (cost, status, lake) accepts unset `${VAR}`s that only secrets need.
    """
    from azlake.envfile.load import load_environment
    if path.is_dir():
        files = sorted(p.name for p in path.glob("*.y*ml") if not p.name.startswith("_"))
        example = f", e.g. {path / files[0]}" if files else ""
        raise AzlakeError(f"{path} is a folder; azlake {command or 'this command'} takes one environment file",
                          hint=f"name one file{example} (plan, apply, validate and reap take folders)")
    if path.name.startswith("_") and path.suffix in (".yaml", ".yml"):
        raise AzlakeError(f"{path} is a partial (_*.yaml): shared keys that environment files pull in with extends:",
                          hint="name an environment file that extends it, e.g. environments/practice.yaml")
    if not path.exists() and not path.is_symlink():  # nothing to fix in a file that is not there
        raise AzlakeError(f"{path}: the file does not exist",
                          hint=f"check the path (relative to {Path.cwd()}); environment files are in environments/")
    try:
        loaded = load_environment(path, require_values=require_values)
    except SpecError as err:
        for diagnostic in err.diagnostics:
            print(diagnostic.render(), file=sys.stderr)
        err.detail = ""  # printed just above: the closing error line must not repeat them
        unset = _unset_variables(err.diagnostics)
        if unset:  # the file is right: the shell lacks a value
            err.summary = f"environment variable{'s' if len(unset) > 1 else ''} {', '.join(unset)} not set"
            err.args = (err.summary,)
            err.hint = ("export " + " ".join(f"{name}=..." for name in unset) + " in this shell (values stay out "
                        "of files and output), then run the command again")
        else:
            err.hint = "fix the file as the lines above say, then run the command again"
        raise
    return loaded


def _unset_variables(diagnostics: list) -> list[str]:
    """The variables named when every error is an unset `${VAR}` (else [])."""
    import re
    errors = [d for d in diagnostics if d.is_error]
    found = [re.fullmatch(r"environment variable (\w+) is not set", d.summary) for d in errors]
    if not errors or not all(found):
        return []
    return list(dict.fromkeys(m.group(1) for m in found if m))


def check_out(out: Path, example: str = "plan.json") -> None:
    """An --out FILE that cannot be written is a message, not an OSError after the work is done."""
    kind = _not_a_plain_path(out)
    if kind:
        raise AzlakeError(f"--out {out} {kind}", hint=f"give a regular file name, e.g. --out {example}")
    if out.is_dir():
        raise AzlakeError(f"--out {out} is a folder", hint=f"give a file name, e.g. --out {out / example}")
    if not out.parent.is_dir():
        raise AzlakeError(f"--out {out}: the folder {out.parent} does not exist",
                          hint="create it first (mkdir -p), or write the file elsewhere")


def _not_a_plain_path(path: Path, folder: bool = False) -> str | None:
    """What is wrong with a path azlake is about to write to (a device, a FIFO, a symlink loop), or None."""
    import errno
    import stat
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a loop of symbolic links"
        if exc.errno == errno.ENOTDIR:
            return "goes through a file as if it were a folder"
        return f"cannot be looked at: {exc.strerror or exc}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or \
        stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a regular file"
    return f"is {kind}, not a {'folder' if folder else 'file'}"


def check_state_dir(state_dir: Path, writable: bool = True) -> None:
    """The local cloud's state folder must be a folder azlake can write, or it fails deep in SQLite."""
    hint = "point --state-dir (or AZLAKE_STATE_DIR) at a folder you can write"
    kind = _not_a_plain_path(state_dir, folder=True)
    if kind:
        raise AzlakeError(f"the local cloud's state directory {state_dir} {kind}", hint=hint)
    if state_dir.exists() and not state_dir.is_dir():
        raise AzlakeError(f"the local cloud's state directory {state_dir} is a file", hint=hint)
    if not writable:
        return  # a command that only reads never writes there
    existing = next(p for p in (state_dir, *state_dir.absolute().parents) if p.exists())
    if not os.access(existing, os.W_OK | os.X_OK):
        raise AzlakeError(f"cannot write the local cloud's state under {existing}", hint=hint)


def has_local_state(state_dir: Path) -> bool:
    """A state was made here: its database, or the marker written with it (a lost database is then
    explained by the store, not read as an empty cloud)."""
    return (state_dir / "emulator.db").exists() or (state_dir / ".emulator-state").exists()


def clients_for(loaded: LoadedEnvironment, cloud: str | None, state_dir: Path | None, read_only: bool = False) -> Any:
    """SDK clients for the file's subscription on Azure, or for the emulator's on the local cloud.

    The local cloud's state is found from the environment file (its project root), not the current folder.
    `read_only` commands never create it: on a local cloud with no state they read an empty one.
    """
    from azlake.azure.clients import Clients, Target
    target = Target.from_env(cloud, None, state_dir, anchor=getattr(loaded, "path", None))
    if target.cloud == "azure":
        refuse_placeholder_subscription(loaded)
        target.subscription = loaded.spec.subscription
    clients = Clients(target)
    if target.cloud == "local" and target.emulator_url is not None:
        check_emulator_url(target.emulator_url, target.state_dir)
    if target.cloud == "local" and target.emulator_url is None:
        check_state_dir(target.state_dir, writable=not read_only)
        if read_only and not has_local_state(target.state_dir):
            clients.use_empty_cloud()
    return clients


def check_emulator_url(url: str, state_dir: Path) -> None:
    """AZLAKE_EMULATOR_URL is a served emulator's https://host:port (0-65535) with its CA in the state
    folder: say so before the SDK fails to parse it or to find the CA."""
    from urllib.parse import urlsplit

    from azlake.errors import AzlakeError
    hint = "set AZLAKE_EMULATOR_URL to what `azlake emulator serve` printed, e.g. https://127.0.0.1:8443"
    try:
        parts = urlsplit(url)
        port = parts.port  # ValueError when not a number or out of 0-65535
    except ValueError as exc:
        raise AzlakeError(f"AZLAKE_EMULATOR_URL {url!r} is not a valid URL: {exc}", hint=hint) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or port is None:
        raise AzlakeError(f"AZLAKE_EMULATOR_URL {url!r} must be https://<host>:<port>", hint=hint)
    ca = state_dir / "emulator-ca.pem"
    if parts.scheme == "https" and not ca.is_file():
        raise AzlakeError(f"no emulator certificate authority at {ca}: AZLAKE_EMULATOR_URL needs the state "
                          "folder of the served emulator", hint="point --state-dir (or AZLAKE_STATE_DIR) at the "
                          "folder `azlake emulator serve` printed as its state")


def refuse_placeholder_subscription(loaded: LoadedEnvironment) -> None:
    """The all-zeros id is the local cloud's: on Azure it means a subscription variable was not set.

    Checked before any sign-in, so a pipeline with a missing variable stops at once and names it.
    """
    from azlake.azure.clients import LOCAL_SUBSCRIPTION
    if loaded.spec.subscription.lower() != LOCAL_SUBSCRIPTION:
        return
    variables = loaded.references.get("subscription", ())
    fix = (f"export {variables[0]}=<subscription id> (az account show --query id -o tsv)" if variables else
           "set subscription: to your subscription id (usually ${AZURE_SUBSCRIPTION_ID})")
    raise AzlakeError(f"{loaded.path}: subscription is {LOCAL_SUBSCRIPTION}, the local cloud's placeholder, "
                      "not an Azure subscription" + (f" ({variables[0]} is not set)" if variables else ""),
                      hint=f"{fix}, or use --cloud local")


def local_cloud_line(clients: Clients) -> str | None:
    """Where the local cloud is, for the header of every local command (None on Azure)."""
    t = clients.target
    if t.cloud != "local":
        return None
    if t.emulator_url:
        return f"local cloud: served at {t.emulator_url}"
    if getattr(clients, "empty_state", False):
        return (f"the local cloud is empty at {t.state_dir}: nothing has been applied there yet "
                "(--state-dir or AZLAKE_STATE_DIR names another)")
    return f"local cloud: {t.state_dir}"


def header(command: str, clients: Clients, environment: str) -> str:
    """The first lines of every plan, apply, destroy, status and run; on the local cloud, where it is."""
    t = clients.target
    line = f"azlake {command}: cloud {t.cloud}, subscription {t.subscription}, environment {environment}"
    where = local_cloud_line(clients)
    return line + (f"\n{where}" if where else "")


def say_err(text: str) -> None:
    sys.stdout.flush()  # after what the command already printed, also when both streams go to one log
    print(text, file=sys.stderr, flush=True)


@contextmanager
def locked(loaded: LoadedEnvironment, clients: Clients, command: str, lock_timeout: str | float, defer_note: bool = False) -> Any:
    """The environment's lock for the whole command (azlake.azure.envlock); messages go to standard error.

    Why a command runs unlocked is said at once, or (`defer_note`) by the caller after its plan's header."""
    from azlake.azure.envlock import held, parse_timeout
    timeout = lock_timeout if isinstance(lock_timeout, (int, float)) else parse_timeout(lock_timeout)
    with held(loaded, clients, command, timeout, say_err) as lock:
        if lock.note and not defer_note:
            say_err(lock.note)
        yield lock
