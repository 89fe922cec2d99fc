"""Folder loading and `validate` of a generated fleet at 50 / 100 / 300 files: does it grow linearly?

Run: .venv/bin/python bench/fleet_load.py

Each size is a fresh folder (bench/fleet_files.py: a central lake and N-1 departments that use it) and a
fresh process, as a user or CI runs it: `azlake validate FOLDER` from start to exit, and the loading alone
(every file read, parsed and checked once, as plan and apply of a folder do) timed inside one process.
Prints the times and the ratio 300 / 100 (linear growth: 3.0; target <= 3.5).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fleet_files import fleet_password, write_fleet  # noqa: E402

LOAD = """
import sys, time
from pathlib import Path
from azlake.cli.fleet import load_folder
start = time.perf_counter()
good, bad = load_folder(Path(sys.argv[1]))
print(time.perf_counter() - start, len(good), len(bad))
"""


def main() -> None:
    azlake = Path(sys.executable).with_name("azlake")
    env = {k: v for k, v in os.environ.items() if "PASSWORD" not in k}
    env["FLEET_CLUSTER_PASSWORD"] = fleet_password(300)  # plan and apply load with values required
    loads, validates = {}, {}
    for files in (50, 100, 300):
        folder = write_fleet(Path(tempfile.mkdtemp()) / "environments", files - 1)
        out = subprocess.run([sys.executable, "-c", LOAD, str(folder)], capture_output=True, text=True,
                             env=env, check=True).stdout.split()
        loads[files] = float(out[0])
        start = time.perf_counter()
        result = subprocess.run([str(azlake), "validate", str(folder)], capture_output=True, env=env)
        validates[files] = time.perf_counter() - start
        print(f"{files:3d} files: load {loads[files]:6.2f} s ({out[1]} environments, {out[2]} invalid), "
              f"validate {validates[files]:6.2f} s (exit {result.returncode})")
    print(f"300 / 100 files: load {loads[300] / loads[100]:.2f}, validate {validates[300] / validates[100]:.2f} "
          f"(linear: 3.0; target <= 3.5; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
