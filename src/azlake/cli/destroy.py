"""`azlake destroy PATH`: remove the ephemeral part (or, with --all, everything the environment owns)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from azlake.cli import render
from azlake.cli.apply import confirm
from azlake.cli.options import (
    AutoApprove,
    Cloud,
    Debug,
    LockTimeout,
    StateDir,
    clients_for,
    interactive,
    load,
    locked,
    say_err,
    set_debug,
)
from azlake.cli.show import Format, show_plan
from azlake.errors import Aborted, AzlakeError


def destroy_command(
    path: Annotated[Path, typer.Argument(help="Environment file.")],
    all: Annotated[bool, typer.Option("--all", help="Remove everything the environment owns, its own lake too "
                                                    "(never a central lake it uses); asks you to type the "
                                                    "environment name.")] = False,
    discard_outputs: Annotated[bool, typer.Option("--discard-outputs",
                                                  help="Delete a working filesystem even with unpublished outputs.")] = False,
    auto_approve: AutoApprove = False, cloud: Cloud = None, state_dir: StateDir = None, debug: Debug = False,
    lock_timeout: LockTimeout = "0",
) -> None:
    """Tear down the ephemeral part (cluster and working filesystem); the lake and its data stay."""
    set_debug(debug)
    from azlake.azure.envlock import parse_timeout
    timeout = parse_timeout(lock_timeout)
    if path.is_dir():
        files = sorted(p.name for p in path.glob("*.y*ml") if not p.name.startswith("_"))
        raise AzlakeError(f"{path} is a folder: azlake destroy takes one environment file, so that a whole "
                          "folder of environments is never torn down by one command",
                          hint=f"destroy each environment by its file, e.g. azlake destroy "
                               f"{path / (files[0] if files else 'ENV.yaml')} (departments before the central "
                               "lake they use)")
    loaded = load(path, require_values=False)  # tearing down needs no cluster password
    clients = clients_for(loaded, cloud, state_dir, read_only=True)  # an empty local cloud: nothing to destroy
    with locked(loaded, clients, f"destroy{' --all' if all else ''} {path}", timeout, defer_note=True) as lock:
        _destroy_locked(loaded, clients, all, discard_outputs, auto_approve, lock.note)


def _destroy_locked(loaded, clients, all: bool, discard_outputs: bool, auto_approve: bool,
                    note: str | None) -> None:
    from azlake.engine import apply_plan, plan_destroy
    from azlake.execute.progress import default_display
    plan = plan_destroy(loaded, clients, all=all, discard_outputs=discard_outputs)
    show_plan(plan, clients, Format.text, "destroy --all" if all else "destroy")
    if note:
        say_err(note)
    if plan.refusals:
        raise AzlakeError("destroy refused (see `refused:` above); nothing was deleted",
                          hint="do what the refused: lines say (unpublished outputs: publish or copy them, or "
                               "pass --discard-outputs), then destroy again")
    if not plan.has_changes:
        print("Nothing to destroy.")
        return
    if not auto_approve:
        if not interactive():
            raise Aborted("destroy needs --auto-approve when it cannot ask (CI=true or no terminal)",
                          hint="run it in a terminal to confirm, or add --auto-approve once you have read "
                               "the plan above")
        if all:
            lake = loaded.spec.data_lake
            what = ("; the central lake it uses stays" if lake is not None and lake.use else
                    ", its data lake included" if lake is not None else "")
            confirm(f"This deletes everything environment {plan.environment} owns{what}.", expected=plan.environment)
        else:
            confirm("Delete the resources marked '-'?")
    result = apply_plan(plan, clients, default_display())
    render.print_apply_summary(result, "Destroy")


def register(app: typer.Typer) -> None:
    app.command("destroy")(destroy_command)
