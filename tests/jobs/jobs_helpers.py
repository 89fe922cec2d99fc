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


