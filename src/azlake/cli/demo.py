"""`azlake demo`: the lecture in one command on the local cloud — apply, upload, run, report, teardown."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer

from azlake.cli.options import StateDir
from azlake.errors import AzlakeError

ENVIRONMENT = Path("environments/practice.yaml")
SAMPLE = Path("environments/data/transacciones.data")


def _generated_password() -> str:
    """A password that meets HDInsight's rules; lives only in this process's environment, never shown.

    Hex digits after a fixed prefix: random letters could hold three consecutive characters of the user
    names ("adm", "ssh"), which HDInsight refuses."""
    return "Qz7!" + secrets.token_hex(10)


def _step(n: int, title: str) -> None:
    print(f"\n=== {n}/5 {title} " + "=" * max(0, 60 - len(title)), flush=True)


def demo_command(
    state_dir: StateDir = None,
    rows: Annotated[int, typer.Option("--rows", help="How many report rows to print.")] = 12,
) -> None:
    """Run the whole practice on the embedded emulator: apply, upload, Spark job, report, teardown."""
    from azlake.cli.apply import apply_command
    from azlake.cli.lake import ls, put
    from azlake.cli.run import run_command
    from azlake.cli.status import status_command
    if not ENVIRONMENT.exists():
        raise AzlakeError(f"{ENVIRONMENT} not found", hint="run `azlake demo` from the root of the azlake checkout")
    os.environ["AZLAKE_CLOUD"] = "local"
    os.environ.setdefault("CLUSTER_PASSWORD", _generated_password())
    common = {"cloud": "local", "state_dir": state_dir}
    _step(1, "apply the practice environment (resource group, lake, identity, role, cluster)")
    apply_command(ENVIRONMENT, auto_approve=True, **common)
    _step(2, "status: what exists, endpoints, cost so far")
    status_command(ENVIRONMENT, **common)
    _step(3, "upload transacciones.data into the lake")
    put(ENVIRONMENT, SAMPLE, "landingtmp/transaccion", **common)
    put(ENVIRONMENT, SAMPLE, "universal/transaccion", **common)
    _step(4, "run the reporte Spark job: stage, submit, publish to smart, show the report, tear down")
    run_command(ENVIRONMENT, "reporte", show=rows, **common)
    _step(5, "after teardown: no cluster billing, the lake and its data stay")
    status_command(ENVIRONMENT, **common)
    ls(ENVIRONMENT, "", recursive=False, **common)
    for zone in ("landingtmp", "universal", "smart"):
        ls(ENVIRONMENT, zone, recursive=True, **common)
    print("\nDone. Run `azlake demo` again (it converges), or `azlake destroy environments/practice.yaml --all "
          "--cloud local` to remove everything.")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
