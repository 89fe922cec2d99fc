"""Median start-to-exit time of `azlake validate environments/` over N runs (a figure, not a test).

    python bench/validate_startup.py [N]      # default N=15

Each run is a fresh process, as a user or CI job starts it; no password or subscription variable is set, as in
CI. Prints the median, the fastest and the slowest run in seconds, the exit codes seen, and the median CPU
time of a run (less sensitive than wall time to other work on a shared machine).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    env = {k: v for k, v in os.environ.items() if "PASSWORD" not in k and "SUBSCRIPTION" not in k}
    azlake = Path(sys.executable).with_name("azlake")
    command = [str(azlake)] if azlake.exists() else [sys.executable, "-m", "azlake"]
    command += ["validate", "environments/"]
    timings, cpu, codes = [], [], set()
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        timings.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        codes.add(result.returncode)
    print(f"azlake validate environments/: median {statistics.median(timings):.3f} s over {runs} runs "
          f"(min {min(timings):.3f} s, max {max(timings):.3f} s; exit codes {sorted(codes)}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f})")
    # CPU time is what the process itself costs; wall time also counts waiting for a busy machine.
    print(f"CPU time (user+sys) per run: median {statistics.median(cpu):.3f} s")


if __name__ == "__main__":
    main()
