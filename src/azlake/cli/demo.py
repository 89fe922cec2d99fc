"""`azlake demo`: the lecture in one command on the local cloud — apply, upload, run, report, teardown."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from azlake.cli.apply import apply_command
from azlake.cli.lake import ls, put
from azlake.cli.options import StateDir
from azlake.cli.run import run_command
from azlake.cli.status import status_command
from azlake.errors import AzlakeError

ENVIRONMENT = Path("environments/practice.yaml")
SAMPLE = Path("environments/data/transacciones.data")


PASSWORD_FILE = "demo-cluster-password"


def _generated_password() -> str:
    """A password that meets HDInsight's rules for the practice's users; never shown."""
    from azlake.envfile.secrets_rules import generate_password
    return generate_password(["admin", "adminssh"])


def demo_password(state_dir: Path) -> str:
    """The demo's cluster password, kept in the local cloud's state (owner-only) so that a second run uses
    the password of the cluster an interrupted first run left, as a person would keep theirs."""
    file = state_dir / PASSWORD_FILE
    if file.is_file():
        return file.read_text().strip()
    if not state_dir.exists():
        state_dir.mkdir(parents=True, mode=0o700)  # what the emulator itself would create
    password = _generated_password()
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # a file left by someone else keeps its mode through O_CREAT
    with os.fdopen(fd, "w") as out:
        out.write(password + "\n")
    return password


def _step(n: int, title: str) -> None:
    print(f"\n=== {n}/5 {title} " + "=" * max(0, 60 - len(title)), flush=True)


def demo_command(
    state_dir: StateDir = None,
    rows: Annotated[int, typer.Option("--rows", help="How many report rows to print.")] = 12,
) -> None:
    """Run the whole practice on the embedded emulator: apply, upload, Spark job, report, teardown."""
    if not ENVIRONMENT.exists():
        raise AzlakeError(f"{ENVIRONMENT} not found", hint="run `azlake demo` from the root of the azlake checkout")
    os.environ["AZLAKE_CLOUD"] = "local"
    if not os.environ.get("CLUSTER_PASSWORD"):  # a password of your own wins
        from azlake.azure.clients import Target
        state = Target.from_env("local", None, state_dir, ENVIRONMENT).state_dir
        os.environ["CLUSTER_PASSWORD"] = demo_password(state)
    common: dict[str, Any] = {"cloud": "local", "state_dir": state_dir}
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
