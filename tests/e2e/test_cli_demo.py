"""`azlake demo` interrupted with its cluster still up is finished by running it again (same password)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The first upload is refused: the demo stops after creating its cluster, as after a Ctrl-C there.
STOP_AFTER_APPLY = [{"kind": "status", "service": "storage", "method": "PUT", "path": "transacciones.data",
                     "status": 403, "code": "AuthorizationFailure", "count": 1}]


def demo(folder: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CLUSTER_PASSWORD", "AZLAKE_STATE_DIR", "CI")}
    env.update(AZLAKE_EMULATOR_TIME_SCALE="0.0005", AZLAKE_EMULATOR_ROLE_PROPAGATION="0", **extra)
    return subprocess.run([sys.executable, "-m", "azlake", "demo", "--rows", "3"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=600)


def test_interrupted_demo_finishes_on_the_next_run(tmp_path):
    shutil.copytree(ROOT / "environments", tmp_path / "environments")
    first = demo(tmp_path, AZLAKE_EMULATOR_FAULTS=json.dumps(STOP_AFTER_APPLY))
    assert first.returncode == 1 and "=== 3/5 upload" in first.stdout and "=== 4/5" not in first.stdout
    kept = tmp_path / ".azlake" / "demo-cluster-password"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    password = kept.read_text().strip()

    second = demo(tmp_path)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr
    assert "Plan: 0 to create, 0 to update" in second.stdout  # the kept password is the cluster's
    assert "batch 0: success" in second.stdout and "\nDone." in second.stdout
    assert kept.read_text().strip() == password
    for run in (first, second):
        assert password not in run.stdout + run.stderr
