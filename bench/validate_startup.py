"""Start-up of commands that never talk to Azure, next to what Python and the libraries cost by themselves.

    python bench/validate_startup.py [N]      # default N=15 runs of each

Each run is a fresh process, as a user or CI job starts it; no password or subscription variable is set.
Prints the median wall time and CPU time (user+sys, less sensitive to other work on a shared machine) of:
`python -c pass`, the bare imports of typer, pydantic and ruamel.yaml together, a typer app doing what
validate does with the same libraries and no azlake (the floor), `azlake --help`, `azlake validate` of one
file and of environments/, and the ratio validate (one file) / `python -c pass`.
Targets (issue 14, on an idle machine): validate of one file <= 0.2 s, `azlake --help` <= 0.15 s.

azlake's modules are timed as an install runs them, from Python's bytecode cache (pip compiles it when it
installs; an editable install writes it on its first run): a warm-up run writes it first, also when
PYTHONDONTWRITEBYTECODE is set. Validate of one file is also timed with azlake compiled from source on
every run (a copy of the package without a cache, nothing written), the worst case.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# What the libraries cost by themselves for a validate: a one-command typer app with validate's parameters
# (typer builds a pydantic adapter for each) that reads one file with PyYAML and validates it with a small
# pydantic model. azlake's own share of `validate` is the difference.
LIBRARIES_ONLY = """
from pathlib import Path
from typing import Optional
import typer
app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
@app.callback()
def root(debug: bool = typer.Option(False, "--debug"), version: bool = typer.Option(False, "--version")):
    pass
@app.command("validate")
def validate(paths: list[Path] = typer.Argument(...), require_values: bool = typer.Option(False, "--require-values"),
             fmt: str = typer.Option("text", "--format")):
    import yaml
    from pydantic import BaseModel, ConfigDict
    class Environment(BaseModel):
        model_config = ConfigDict(frozen=True, extra="allow")
        name: str
        department: Optional[str] = None
    for path in paths:
        print("ok", Environment.model_validate(yaml.safe_load(path.read_text())).name)
app()
"""


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


def uncached_copy(folder: Path) -> Path:
    """A copy of the azlake package without bytecode, for PYTHONPATH: every run compiles it from source."""
    shutil.copytree(REPO / "src" / "azlake", folder / "azlake", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    env = {k: v for k, v in os.environ.items() if "PASSWORD" not in k and "SUBSCRIPTION" not in k}
    azlake = Path(sys.executable).with_name("azlake")
    cli = [str(azlake)] if azlake.exists() else [sys.executable, "-m", "azlake"]
    validate_one = cli + ["validate", "environments/practice.yaml"]
    warm = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for command in (cli + ["--help"], validate_one, cli + ["schema"]):  # write the bytecode cache
        subprocess.run(command, cwd=REPO, env=warm, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    scratch = Path(tempfile.mkdtemp())
    cold = {**env, "PYTHONPATH": str(uncached_copy(scratch)), "PYTHONDONTWRITEBYTECODE": "1"}
    cases = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "import typer, pydantic, ruamel.yaml": ([sys.executable, "-c", "import typer, pydantic, ruamel.yaml"], env),
        "typer app + PyYAML + pydantic, no azlake": ([sys.executable, "-c", LIBRARIES_ONLY, "validate",
                                                      "environments/practice.yaml"], env),
        "azlake --help": (cli + ["--help"], env),
        "azlake validate (one file)": (validate_one, env),
        "azlake validate environments/": (cli + ["validate", "environments/"], env),
        "validate (one file), compiled each run": (validate_one, cold),
    }
    results = {}
    try:
        for label, (command, variables) in cases.items():
            results[label] = measure(command, runs, variables)
            wall, cpu, codes = results[label]
            print(f"{label:40s} median {wall:.3f} s wall, {cpu:.3f} s CPU (exit codes {sorted(codes)})")
    finally:
        shutil.rmtree(scratch)
    base = results["python -c pass"][0]
    print(f"validate (one file) / python -c pass: {results['azlake validate (one file)'][0] / base:.1f}; "
          f"{runs} runs each, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
