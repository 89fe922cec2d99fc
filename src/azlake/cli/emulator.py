"""`azlake emulator serve|reset|faults`: run, clear or inspect the local Azure emulator."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Optional

import typer

from azlake.cli.options import check_state_dir, interactive
from azlake.errors import Aborted, AzlakeError

emulator_app = typer.Typer(help="Run or clear the local Azure emulator (the `--cloud local` target).",
                           no_args_is_help=True, rich_markup_mode=None)

STATE_DIR = typer.Option(None, "--state-dir", envvar="AZLAKE_STATE_DIR", show_default="<project root>/.azlake",
                         help="Where the emulator keeps its state (default: .azlake in the first folder at or "
                              "above this one holding environments/, pyproject.toml or .git).")


def _state(state_dir: Path | None) -> Path:
    """The same local cloud the other commands find from here."""
    from azlake.azure.clients import default_state_dir
    return state_dir.absolute() if state_dir else default_state_dir()


@emulator_app.command("serve")
def serve(port: int = typer.Option(8443, "--port", "-p", min=0, max=65535,
                                   help="HTTPS port on 127.0.0.1 (0 picks a free one)."),
          state_dir: Optional[Path] = STATE_DIR,
          time_scale: float = typer.Option(None, "--time-scale",
                                           help="Multiply every Azure duration by this (default 0.005)."),
          ) -> None:
    """Serve the Azure REST APIs over HTTPS on 127.0.0.1 until interrupted."""
    from azlake.emulator import Emulator
    from azlake.emulator.core.server import EmulatorServer

    state_dir = _state(state_dir)
    check_state_dir(state_dir)
    emu = Emulator(state_dir, time_scale=time_scale)
    try:
        server = EmulatorServer(emu, port=port)
    except OSError as exc:  # most often the port: another emulator (or anything) already listens there
        raise AzlakeError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}",
                          hint="pick another port (--port 0 takes a free one), or stop what uses this one") from None
    typer.echo(f"azlake emulator listening on {server.base_url}")
    typer.echo(f"  state:   {state_dir.resolve()}")
    typer.echo(f"  CA:      {server.ca_path.resolve()}  (trust it: connection_verify / REQUESTS_CA_BUNDLE)")
    typer.echo(f"  use it:  AZLAKE_EMULATOR_URL={server.base_url} azlake plan ... --cloud local")
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("emulator stopped")
    finally:
        server.httpd.server_close()


@emulator_app.command("reset")
def reset(state_dir: Optional[Path] = STATE_DIR,
          yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")) -> None:
    """Forget every emulated resource and file in the state directory."""
    from azlake.emulator import Emulator

    state_dir = _state(state_dir)
    blobs = state_dir / "blobs"
    if not any((state_dir / name).exists() for name in ("emulator.db", ".emulator-state")) and \
            not (blobs.is_dir() and any(blobs.iterdir())):
        typer.echo(f"nothing to reset: no emulator state in {state_dir}")
        return
    if not yes:
        if not interactive():
            raise Aborted("emulator reset needs --yes when it cannot ask (CI=true or no terminal)",
                          hint=f"azlake emulator reset --yes --state-dir {state_dir}")
        from azlake.cli.apply import confirm
        confirm(f"Delete all emulated resources and lake files in {state_dir}?")
    from azlake.emulator.core.store import StateError, Store
    try:
        Emulator(state_dir).reset()
    except StateError as err:
        if err.code not in ("StateDamaged", "StateEmpty", "StateGone"):
            raise  # locked or not writable: deleting would not help (or would hurt another process)
        Store.discard(state_dir)  # what it held cannot be read back: start an empty local cloud
    typer.echo(f"emulator state in {state_dir} cleared")


@emulator_app.command("log")
def log(state_dir: Optional[Path] = STATE_DIR,
        last: int = typer.Option(20, "--last", "-n", help="How many requests to show."),
        as_json: bool = typer.Option(False, "--json", help="One JSON object per line.")) -> None:
    """Show the emulator's request log (secrets masked)."""
    from azlake.emulator.core.store import Store

    state_dir = _state(state_dir)
    check_state_dir(state_dir)
    if not (state_dir / "emulator.db").exists():
        typer.echo(f"no emulator state in {state_dir} (nothing has run on the local cloud there yet)")
        return
    rows = Store(state_dir).request_log()[-last:]
    for row in rows:
        if as_json:
            typer.echo(json.dumps(row))
        else:
            typer.echo(f"{row['seq']:>6} {row['status']:>3} {row['method']:<6} {row['service']:<8} {row['url']}"
                       + (f"  [{row['code']}]" if row["code"] else ""))


def register(app: typer.Typer) -> None:
    app.add_typer(emulator_app, name="emulator")
