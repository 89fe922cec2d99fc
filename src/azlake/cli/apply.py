"""`azlake apply PATH|PLANFILE`: make Azure match the file, in dependency order, in parallel, with progress."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from azlake.cli import render
from azlake.cli.options import (
    Adopt,
    AutoApprove,
    Cloud,
    Debug,
    LockTimeout,
    NoEphemeral,
    StateDir,
    clients_for,
    interactive,
    load,
    locked,
    say_err,
    set_debug,
)
from azlake.cli.show import Format, show_plan
from azlake.errors import Aborted, AzlakeError, ExitCode


def _plan_file_context(path: Path, cloud, state_dir):
    """A saved plan's document, its environment file loaded, and clients for its cloud."""
    from azlake.plan.planner import load_plan_file
    doc = load_plan_file(path)
    if doc.get("mode", "apply") != "apply":
        raise Aborted(f"{path} is a {doc['mode']} plan", hint="run azlake destroy instead")
    source = Path(doc["source"])
    if not source.is_file():
        raise Aborted(f"{path} was planned from {source}, which is not found from {Path.cwd()}",
                      hint="run azlake apply from the folder where you ran azlake plan --out")
    loaded = load(source)
    return doc, loaded, clients_for(loaded, cloud or doc.get("cloud"), state_dir)


def _is_plan_file(path: Path) -> bool:
    """A saved plan is JSON (`{`); an environment file is YAML. The name does not matter."""
    if path.suffix == ".json":
        return True
    try:
        with open(path, "rb") as fh:
            return fh.read(64).lstrip().startswith(b"{")
    except OSError:
        return False


def confirm(question: str, expected: str = "yes") -> None:
    """Ask; any other answer (or Ctrl-D) is a decision, not an error: exit 0, nothing done. Ctrl-C: exit 130."""
    try:  # the question is printed inside: a Ctrl-C as soon as it shows is still "at the question"
        print(f"{question} Type '{expected}' to continue: ", end="", flush=True)
        answer = input()
    except KeyboardInterrupt:
        print("\nInterrupted at the question: nothing was changed.", file=sys.stderr)
        # SystemExit, not typer.Exit: typer reports Exit(130) like a Ctrl-C during work, which would add
        # "run the same command again to finish" to a question where nothing was started
        raise SystemExit(ExitCode.INTERRUPTED) from None
    except EOFError:  # Ctrl-D
        answer = ""
        print()
    if answer.strip() != expected:
        print(f"Cancelled: nothing was changed (type {expected!r} to confirm, or pass --auto-approve).")
        raise typer.Exit(ExitCode.OK)


def _confirm_folder(question: str) -> None:
    """After the folder's plans are shown (so a wrong path or an invalid file is reported first)."""
    if not interactive():
        raise Aborted("apply needs --auto-approve when it cannot ask (CI=true or no terminal)",
                      hint="review the plans above, then run again with --auto-approve")
    confirm(question)


def apply_command(
    path: Annotated[Path, typer.Argument(help="Environment file, a folder of them, or a plan file from `azlake plan --out`.")],
    auto_approve: AutoApprove = False, no_ephemeral: NoEphemeral = False, adopt: Adopt = False,
    cloud: Cloud = None, state_dir: StateDir = None, debug: Debug = False, lock_timeout: LockTimeout = "0",
) -> None:
    """Make it so: create and update what the plan shows, in dependency order, in parallel where possible."""
    set_debug(debug)
    from azlake.azure.envlock import parse_timeout
    timeout = parse_timeout(lock_timeout)
    if path.is_dir():
        if adopt:
            raise AzlakeError("--adopt takes ownership for one environment file, not a folder",
                              hint="review each file's plan, then run azlake apply FILE --adopt for each")
        from azlake.cli.fleet import apply_folder
        code = apply_folder(path, auto_approve, cloud, state_dir, _confirm_folder, no_ephemeral, timeout)
        if code:
            raise typer.Exit(code)
        return
    saved = _is_plan_file(path)
    if saved:
        doc, loaded, clients = _plan_file_context(path, cloud, state_dir)
        no_ephemeral, adopt = bool(doc.get("skip_ephemeral")), adopt or bool(doc.get("adopt"))
    else:
        doc, loaded = None, load(path)
        clients = clients_for(loaded, cloud, state_dir)
    with locked(loaded, clients, f"apply {path}", timeout, defer_note=True) as lock:  # the plan is read under it
        _apply_locked(loaded, clients, doc, auto_approve or saved, {"skip_ephemeral": no_ephemeral, "adopt": adopt},
                      lock.note)


def _apply_locked(loaded, clients, doc: dict | None, approved: bool, how: dict, note: str | None) -> None:
    from azlake.engine import apply_plan, plan_environment
    from azlake.execute.progress import default_display
    plan = plan_environment(loaded, clients, **how)
    if doc is not None:  # a saved plan: refused when the live state (or the file) moved since it was written
        from azlake.plan.planner import check_plan_file
        check_plan_file(doc, plan)
    show_plan(plan, clients, Format.text, "apply")
    if not plan.has_changes and not plan.refusals:
        if note:
            say_err(note)
        print("No changes: the environment matches the file.")
        return
    if not approved and not interactive():  # refused before saying how an apply would run (the lock)
        raise Aborted("apply needs --auto-approve (or a plan file) when it cannot ask (CI=true or no terminal)",
                      hint="review with azlake plan --out FILE, then azlake apply FILE")
    if note:
        say_err(note)
    if not approved:
        confirm("Apply these changes?")
    result = apply_plan(plan, clients, default_display())
    render.print_apply_summary(result, "Apply")


def register(app: typer.Typer) -> None:
    app.command("apply")(apply_command)
