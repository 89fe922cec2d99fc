"""`azlake run PATH JOB`: the job on an ephemeral cluster, from capacity check to teardown and cost."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from azlake.cli.options import Cloud, Debug, LockTimeout, StateDir, clients_for, header, load, locked, set_debug
from azlake.errors import ExitCode


def run_command(
    path: Annotated[Path, typer.Argument(help="Environment file.")],
    job: Annotated[str, typer.Argument(help="Name of the job under jobs: in the file.")],
    keep_cluster: Annotated[bool, typer.Option("--keep-cluster",
                                               help="Leave the cluster running afterwards (for debugging; "
                                                    "it keeps billing until `azlake destroy`).")] = False,
    replace_outputs: Annotated[bool, typer.Option("--replace-outputs",
                                                  help="Discard an earlier run's unpublished outputs.")] = False,
    show: Annotated[int, typer.Option("--show", metavar="ROWS",
                                      help="Print the first ROWS rows of each published parquet output.")] = 0,
    cloud: Cloud = None, state_dir: StateDir = None, debug: Debug = False, lock_timeout: LockTimeout = "0",
) -> None:
    """Ensure the cluster, stage inputs, run the Spark job, publish outputs to the lake, tear the cluster down."""
    set_debug(debug)
    from azlake.azure.envlock import parse_timeout
    from azlake.execute.progress import default_display
    from azlake.jobs.layout import layout
    from azlake.jobs.runner import RunOptions, run_job

    timeout = parse_timeout(lock_timeout)
    loaded = load(path, command="run")
    layout(loaded, job)  # an unknown job is the file's matter: said before the cloud is even named
    clients = clients_for(loaded, cloud, state_dir)
    first, *where = header("run", clients, loaded.spec.name).split("\n")
    print("\n".join([f"{first}, job {job}", *where]), flush=True)
    with locked(loaded, clients, f"run {path} {job}", timeout) as lock:
        result = run_job(loaded, job, clients, lambda text: print(text, flush=True), default_display(),
                         RunOptions(keep_cluster=keep_cluster, replace_outputs=replace_outputs,
                                    run_id=lock.id))
    if not result.ok:
        log_note = f"; its log is in {result.log_location}" if result.log_location else ""
        print(f"error: job {job} ended {result.state}{log_note}. Its outputs stay in the working filesystem "
              "(not published).", flush=True)
        raise typer.Exit(ExitCode.ERROR)
    for name, files in result.published.items():
        print(f"{name}: {len(files)} file(s) in the lake", flush=True)
        if show > 0:
            from azlake.jobs.preview import preview
            preview(clients, layout(loaded, job).outputs[name], files, show, lambda text: print(text, flush=True))


def register(app: typer.Typer) -> None:
    app.command("run")(run_command)
