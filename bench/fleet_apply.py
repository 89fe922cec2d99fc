"""Fleet apply on the emulator: wall time of `apply FOLDER` with N departments ÷ the same with one.

Run: .venv/bin/python bench/fleet_apply.py [--sizes 5 20 50] [--time-scale 0.01]

Each run is a fresh local cloud and a generated folder (bench/fleet_files.py): the central lake and N
departments on it, applied by one `azlake apply FOLDER --auto-approve --cloud local` process, as a user
runs it. Every nominal Azure duration is multiplied by --time-scale (0.01: a cluster takes 12 s), so the
waits, not azlake's CPU, should bound the wall time. The baseline is the same folder with one department:
a fleet bounded only by Azure's waits applies N departments in about the time of one (target <= 1.5).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fleet_files import fleet_password, write_fleet  # noqa: E402


def apply_fleet(departments: int, time_scale: float) -> tuple[float, int, str]:
    """(wall seconds, exit code, last lines) of one fresh fleet apply."""
    work = Path(tempfile.mkdtemp(prefix="azlake-fleet-"))
    folder = write_fleet(work / "environments", departments, workers=1)  # 50 x 18 cores fit the 1,000-core quota
    env = dict(os.environ, AZLAKE_STATE_DIR=str(work / "state"), AZLAKE_EMULATOR_TIME_SCALE=str(time_scale),
               FLEET_CLUSTER_PASSWORD=fleet_password(departments), AZLAKE_EMULATOR_ROLE_PROPAGATION="0")
    azlake = Path(sys.executable).with_name("azlake")
    start = time.perf_counter()
    result = subprocess.run([str(azlake), "apply", str(folder), "--auto-approve", "--cloud", "local"],
                            cwd=work, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    lines = (result.stdout + result.stderr).strip().splitlines()
    failed = [line for line in lines if "FAILED" in line or "error" in line.lower()]
    tail = "\n".join((failed or lines)[-6:])
    return wall, result.returncode, tail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 20, 50])
    parser.add_argument("--time-scale", type=float, default=0.01)
    args = parser.parse_args()
    single, code, tail = apply_fleet(1, args.time_scale)
    print(f"1 department (baseline): {single:.1f} s, exit {code}")
    if code:
        print(tail)
        return 1
    for n in args.sizes:
        wall, code, tail = apply_fleet(n, args.time_scale)
        print(f"{n:3d} departments: {wall:6.1f} s, exit {code}, fleet wall / one department = {wall / single:.2f}")
        if code:
            print(tail)
    print(f"({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, time scale {args.time_scale})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
