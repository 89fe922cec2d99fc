"""`azlake force-unlock PATH LOCK_ID`: free an environment's lock whose holder died, as Terraform's force-unlock."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from azlake.cli.apply import confirm
from azlake.cli.options import Cloud, Debug, StateDir, clients_for, interactive, load, set_debug
from azlake.errors import Aborted


def force_unlock_command(
    path: Annotated[Path, typer.Argument(help="Environment file.")],
    lock_id: Annotated[str, typer.Argument(help="The lock id that the refused command printed.")],
    force: Annotated[bool, typer.Option("--force", help="Do not ask for confirmation.")] = False,
    cloud: Cloud = None, state_dir: StateDir = None, debug: Debug = False,
) -> None:
    """Break the environment's lock LOCK_ID now. Only when its holder is surely not running any more."""
    set_debug(debug)
    from azlake.azure.envlock import current, force_unlock
    loaded = load(path, require_values=False)
    clients = clients_for(loaded, cloud, state_dir)
    state, holder = current(loaded, clients)
    if holder is not None:
        print(f"environment {loaded.spec.name} is locked by {holder.describe()}")
    if not force and state in ("leased", "breaking"):
        if not interactive():
            raise Aborted("force-unlock needs --force when it cannot ask (CI=true or no terminal)",
                          hint="make sure the holder is not running, then run again with --force")
        confirm("A command that still runs would go on without its lock, and another could change the "
                "environment under it.", expected="yes")
    force_unlock(loaded, clients, lock_id)
    print(f"environment {loaded.spec.name}: lock {lock_id} broken; the next command can take it")


def register(app: typer.Typer) -> None:
    app.command("force-unlock")(force_unlock_command)
