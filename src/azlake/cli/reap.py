"""`azlake reap PATH...`: destroy ephemeral clusters older than their max_age (run it on a schedule in CI)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from azlake.cli.options import Cloud, Debug, LockTimeout, StateDir, clients_for, local_cloud_line, locked, set_debug
from azlake.errors import AzlakeError, ExitCode


def _files(paths: list[Path]) -> list[Path]:
    from azlake.envfile.load import environment_files, is_partial
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(environment_files(path))
        elif path.is_file() and not is_partial(path):
            out.append(path)
        elif not path.exists():
            raise AzlakeError(f"{path}: no such file or folder", hint="give environment files or their folder")
    return out


def reap_command(
    paths: Annotated[list[Path], typer.Argument(help="Environment files or folders of them.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would be reaped.")] = False,
    cloud: Cloud = None, state_dir: StateDir = None, debug: Debug = False, lock_timeout: LockTimeout = "0",
) -> None:
    """Destroy ephemeral clusters older than their cluster.max_age; the lake and published data stay."""
    set_debug(debug)
    from contextlib import nullcontext

    from azlake.azure.envlock import parse_timeout
    from azlake.envfile.load import load_environment
    from azlake.execute.progress import default_display
    from azlake.jobs.reap import reap

    timeout, failed, shown = parse_timeout(lock_timeout), False, set()
    for file in _files(paths):
        try:
            # no secret is needed to read a cluster's age and delete it
            loaded = load_environment(file, require_values=False)
            clients = clients_for(loaded, cloud, state_dir, read_only=True)  # nothing to reap where nothing is
            where = local_cloud_line(clients)
            if where and where not in shown:  # once per local cloud, before its files' lines
                shown.add(where)
                print(where, flush=True)
            # reaping deletes: it waits for (or refuses beside) a run or apply that holds the environment
            with nullcontext() if dry_run else locked(loaded, clients, f"reap {file}", timeout):
                verdict = reap(loaded, clients, default_display(), dry_run=dry_run)
            print(f"{file}: {verdict.line()}", flush=True)
        except AzlakeError as err:
            failed = True
            print(f"{file}: error: {err.render()}", file=sys.stderr, flush=True)
    if failed:
        raise typer.Exit(ExitCode.ERROR)


def register(app: typer.Typer) -> None:
    app.command("reap")(reap_command)
