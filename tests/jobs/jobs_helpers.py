"""Helpers for the jobs tests: the CLI as a user runs it, and the lecture's first steps."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ENVIRONMENTS = Path(__file__).resolve().parents[2] / "environments"
SAMPLE = ENVIRONMENTS / "data" / "transacciones.data"
ACCOUNT, RG, CLUSTER = "storagebigdatauserbda000", "grbigdatauserbda000", "clusterbigdata001"


def azlake(*args: str):
    """The command as a user runs it (its own process, its own in-process emulator on the shared state)."""
    result = subprocess.run([sys.executable, "-m", "azlake", *args], env=dict(os.environ), capture_output=True,
                            text=True, timeout=600)
    return result.returncode, result.stdout + result.stderr


def lake_fs(clients, zone):
    return clients.datalake(ACCOUNT).get_file_system_client(zone)


def prepared(folder: Path, clients) -> bytes:
    """The lecture's first steps: apply the environment, put transacciones.data into universal/transaccion."""
    code, out = azlake("apply", str(folder / "practice.yaml"), "--auto-approve")
    assert code == 0, out
    code, out = azlake("lake", "put", str(folder / "practice.yaml"), str(SAMPLE), "universal/transaccion")
    assert code == 0, out
    return SAMPLE.read_bytes()




def add_job(folder: Path, name: str, outputs: str, code: str | None = None, script: str | None = None,
            extra: str = "") -> None:
    """Append job `name` to the folder's practice.yaml, reading universal/transaccion and writing `outputs`
    (`key: zone/path`); `code` becomes jobs/<name>.py, else it runs `script`; `extra`: more keys of the job."""
    if code is not None:
        (folder / "jobs" / f"{name}.py").write_text(code)
    with open(folder / "practice.yaml", "a") as fh:
        fh.write(f"  {name}:\n    script: {script or f'jobs/{name}.py'}\n    inputs: {{transaccion: universal/transaccion}}\n"
                 f"    outputs: {{{outputs}}}\n{extra}")
