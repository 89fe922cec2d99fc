"""`azlake plan PATH`: read the live state and show what apply would do (text, JSON or Markdown)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from azlake.cli.options import Adopt, Cloud, Debug, NoEphemeral, StateDir, check_out, clients_for, load, set_debug
from azlake.cli.show import Format, show_plan
from azlake.errors import AzlakeError, ExitCode


def plan_command(
    path: Annotated[Path, typer.Argument(help="Environment file, or a folder of them.")],
    out: Annotated[Optional[Path], typer.Option("--out", help="Save the plan (no secrets) for apply.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text, json or markdown (a PR comment).")] = Format.text,
    detailed_exitcode: Annotated[bool, typer.Option("--detailed-exitcode",
                                                    help="Exit 0 when nothing changes, 2 when changes are pending.")] = False,
    no_ephemeral: NoEphemeral = False, adopt: Adopt = False, cloud: Cloud = None, state_dir: StateDir = None,
    debug: Debug = False,
) -> None:
    """Read the live state and show what apply would do, with the estimated cost per hour."""
    set_debug(debug)
    if path.is_dir():
        if adopt:
            raise AzlakeError("--adopt plans adoption for one environment file, not a folder",
                              hint="plan each file with azlake plan FILE --adopt")
        if out:
            raise AzlakeError("--out saves the plan of one environment file, not of a folder",
                              hint="plan each file with its own --out")
        from azlake.cli.fleet import plan_folder
        code = plan_folder(path, fmt, detailed_exitcode, cloud, state_dir, no_ephemeral)
        if code:
            raise typer.Exit(code)
        return
    from azlake.engine import plan_environment
    if out is not None:
        check_out(out)  # before reading Azure: a plan that cannot be saved should not be computed first
    loaded = load(path)
    clients = clients_for(loaded, cloud, state_dir, read_only=True)
    plan = plan_environment(loaded, clients, skip_ephemeral=no_ephemeral, adopt=adopt)
    show_plan(plan, clients, fmt)
    if plan.refusals:
        from azlake.plan.diff import refusal_hint
        raise AzlakeError("the plan contains changes azlake will not make (see `refused:` above)",
                          hint=refusal_hint(plan.actions, plan.refusals))
    if out:
        plan.save(out)
        if fmt is Format.text:
            print(f"Saved the plan to {out}; apply it with: azlake apply {out}")
    if detailed_exitcode and plan.has_changes:
        raise typer.Exit(ExitCode.CHANGES)


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_command)
