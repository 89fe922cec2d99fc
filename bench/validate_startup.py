"""Start-up of commands that never talk to Azure, next to what Python and the libraries cost by themselves.

    python bench/validate_startup.py [N]      # default N=15 runs of each

Each run is a fresh process, as a user or CI job starts it; no password or subscription variable is set.
Prints the median wall time and CPU time (user+sys, less sensitive to other work on a shared machine) of:
`python -c pass`, the bare imports of typer, pydantic and ruamel.yaml together, `azlake --help`,
`azlake validate` of one file and of environments/, and the ratios validate (one file) / `python -c pass`.
Targets (issue 14, on an idle machine): validate of one file <= 0.2 s, `azlake --help` <= 0.15 s.
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


def measure(command: list[str], runs: int, env: dict) -> tuple[float, float, set]:
    """(median wall s, median CPU s, exit codes) of `runs` fresh processes."""
    walls, cpus, codes = [], [], set()
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        codes.add(result.returncode)
    return statistics.median(walls), statistics.median(cpus), codes


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    env = {k: v for k, v in os.environ.items() if "PASSWORD" not in k and "SUBSCRIPTION" not in k}
    azlake = Path(sys.executable).with_name("azlake")
    cli = [str(azlake)] if azlake.exists() else [sys.executable, "-m", "azlake"]
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import typer, pydantic, ruamel.yaml": [sys.executable, "-c", "import typer, pydantic, ruamel.yaml"],
        "azlake --help": cli + ["--help"],
        "azlake validate (one file)": cli + ["validate", "environments/practice.yaml"],
        "azlake validate environments/": cli + ["validate", "environments/"],
    }
    results = {}
    for label, command in cases.items():
        results[label] = measure(command, runs, env)
        wall, cpu, codes = results[label]
        print(f"{label:38s} median {wall:.3f} s wall, {cpu:.3f} s CPU (exit codes {sorted(codes)})")
    base = results["python -c pass"][0]
    print(f"validate (one file) / python -c pass: {results['azlake validate (one file)'][0] / base:.1f}; "
          f"{runs} runs each, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
