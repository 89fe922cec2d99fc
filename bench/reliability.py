"""Reliability figures (not a timed test): kill -9 at random points, concurrent commands, the fault matrix.

Run: .venv/bin/python bench/reliability.py [--trials 5] [--run-trials 2] [--seed N] [--only kill,concurrent,faults]

Every trial has its own local cloud (a copy of environments/ and a state folder) and runs the real CLI as
separate processes. Per scenario it prints: trials; how many converged after at most one more command (the
same command again, with --lock-timeout so that it waits for the killed holder's lock to expire, as the
refusal says; then the plan is clean or the resources are gone); duplicates (a second cluster, a role
assignment made twice); leaked clusters (a cluster left where the scenario ends with none, or a stray one);
leaked processes (any process still pointing into the trial's folder once the commands are over: Spark,
Livy, azlake); lake files lost or changed (MD5 of files put in the lake before the command; '-' where the
scenario has none to keep, e.g. destroy --all deletes the lake by design).

Concurrent scenarios need the environment lock (issue 9 item 1); without it they are reported as skipped.
The fault matrix injects 429, 500, 503, dropped connections and failed long-running operations on the reads
and the writes of every resource kind (in-process, through the engine: one apply, then at most one more).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reliability_faults import fault_rows  # noqa: E402
from reliability_support import (  # noqa: E402
    ACCOUNT,
    CLUSTER,
    Row,
    Sandbox,
    clusters,
    duplicate_count,
    group_exists,
    kill_at,
    lake_lost,
    print_table,
    seed_lake,
    settle_processes,
    timed,
)

INPUT = ("universal", "transaccion/transacciones.data")


@dataclass
class KillScenario:
    name: str
    prepare: Callable[[Sandbox], dict]        # returns the seeded lake files ((zone, path) -> MD5)
    command: Callable[[Sandbox], tuple]
    converged: Callable[[Sandbox], bool]      # after the command ran once more
    ends_without_cluster: bool
    keeps_lake: bool = True


def _applied(sb: Sandbox) -> dict:
    _must(sb.cli("apply", sb.file(), "--auto-approve"))
    return seed_lake(sb.clients())


def _lake_only(sb: Sandbox) -> dict:
    """The persistent part and the job's input in the lake: what `run` starts from."""
    _must(sb.cli("apply", sb.file(), "--auto-approve", "--no-ephemeral"))
    from azlake.azure import datalake
    data = (sb.dir / "environments" / "data" / "transacciones.data").read_bytes()
    datalake.put(sb.clients(), ACCOUNT, *INPUT, data)
    import hashlib
    return {INPUT: hashlib.md5(data).hexdigest(), **seed_lake(sb.clients())}


def _must(done) -> None:
    if done.returncode != 0:
        raise RuntimeError(f"preparing a trial failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")


def _outputs_published(sb: Sandbox) -> bool:
    from azlake.azure import datalake
    return any(not p.is_directory for p in datalake.ls(sb.clients(), ACCOUNT, "smart", "reporte"))


KILLS = [
    KillScenario("kill -9 apply", lambda sb: {}, lambda sb: ("apply", sb.file(), "--auto-approve"),
                 lambda sb: sb.plan_is_clean(), ends_without_cluster=False, keeps_lake=False),
    KillScenario("kill -9 destroy", _applied, lambda sb: ("destroy", sb.file(), "--auto-approve"),
                 lambda sb: not clusters(sb.clients()) and sb.plan_is_clean("practice", "--no-ephemeral"),
                 ends_without_cluster=True),
    KillScenario("kill -9 destroy --all", _applied,
                 lambda sb: ("destroy", sb.file(), "--all", "--auto-approve"),
                 lambda sb: not group_exists(sb.clients()), ends_without_cluster=True, keeps_lake=False),
    KillScenario("kill -9 run", _lake_only, lambda sb: ("run", sb.file(), "reporte"),
                 lambda sb: not clusters(sb.clients()) and _outputs_published(sb), ends_without_cluster=True),
]


def calibrate(base: Path, scenario: KillScenario) -> float:
    """Seconds the command takes uninterrupted here (kill points are drawn within it)."""
    sb = Sandbox(base, f"calibrate-{scenario.name.split()[-1].strip('-')}")
    try:
        scenario.prepare(sb)
        return timed(sb, *scenario.command(sb))
    finally:
        sb.remove()


def kill_trial(base: Path, scenario: KillScenario, at_seconds: float, label: str,
               unlock_dead_holder: bool = False) -> Row:
    """One trial: prepare, start the command, kill -9 it after `at_seconds`, run it once more, count."""
    sb = Sandbox(base, label)
    row = Row(scenario.name, trials=1)
    try:
        try:
            seeded = scenario.prepare(sb)
        except RuntimeError as exc:  # counted, not a crash of the whole bench
            row.notes.append(f"{label}: preparing failed: {str(exc)[-300:]}")
            return row
        killed = kill_at(sb.start(*scenario.command(sb)), at_seconds)
        again = sb.again(*scenario.command(sb), unlock_dead_holder=unlock_dead_holder)
        ok = again.returncode == 0 and scenario.converged(sb)
        row.converged = int(ok)
        if not ok:
            row.notes.append(f"{label}: not converged (killed={killed} at {at_seconds:.2f}s): "
                             + (again.stdout + again.stderr).strip().splitlines()[-1:][0][:300])
        _count(sb, row, scenario.ends_without_cluster, seeded if scenario.keeps_lake else None)
    finally:
        sb.remove()
    return row


def _count(sb: Sandbox, row: Row, ends_without_cluster: bool, seeded: dict | None) -> None:
    clients = sb.clients()
    row.duplicates = duplicate_count(clients)
    names = [c.name for c in clusters(clients)]
    row.leaked_clusters = len(names) if ends_without_cluster else len([n for n in names if n != CLUSTER])
    row.leaked_processes = len(settle_processes(sb.dir))
    row.lake_lost = None if seeded is None else lake_lost(clients, seeded)


def kill_rows(base: Path, rng: random.Random, trials: int, run_trials: int) -> list[Row]:
    rows = []
    for scenario in KILLS:
        n = run_trials if scenario.name.endswith("run") else trials
        duration = calibrate(base, scenario)
        total = Row(scenario.name, lake_lost=0 if scenario.keeps_lake else None)
        points = sorted(rng.uniform(0.03, 1.0) * duration for _ in range(n))
        print(f"{scenario.name}: uninterrupted {duration:.1f}s; kill points "
              + ", ".join(f"{p:.2f}s" for p in points), flush=True)
        for i, at in enumerate(points):
            total.add(kill_trial(base, scenario, at, f"{scenario.name.split()[-1].strip('-')}-{i}"))
        rows.append(total)
    return rows


# --- two commands at once (needs the environment lock) --------------------------------------------
def locking_available() -> bool:
    try:
        import azlake.azure.envlock  # noqa: F401  (issue 9 item 1)
    except ImportError:
        return False
    return True


def concurrent_trial(base: Path, name: str, label: str) -> Row:
    """Two commands started together; then, if the end state is not already right, one more command."""
    first, second = name.split(" | ")
    sb = Sandbox(base, label)
    row = Row(name, trials=1)
    prepare = {"apply | apply": _lake_only, "apply | apply (new environment)": lambda sb: {},
               "apply | destroy": _applied, "run | run": _lake_only}[name]
    try:
        seeded = prepare(sb)  # a lake first (but for a new environment): the lock lives in its account
        commands = {"apply": ("apply", sb.file(), "--auto-approve"),
                    "destroy": ("destroy", sb.file(), "--auto-approve"), "run": ("run", sb.file(), "reporte")}
        procs = [sb.start(*commands[first.split()[0]]), sb.start(*commands[second.split()[0]])]
        codes = [p.wait(timeout=1800) for p in procs]
        outputs = [p.stdout.read() if p.stdout else "" for p in procs]
        refused = sum("is locked" in out for out in outputs)
        final = "run" if first == "run" else "apply"
        ok = (0 in codes and final == "run") or (final == "apply" and sb.plan_is_clean())
        if not ok:  # the one more command an operator would run
            ok = sb.again(*commands[final]).returncode == 0 and (
                sb.plan_is_clean() if final == "apply" else True)
        if final == "run":
            ok = ok and not clusters(sb.clients()) and _outputs_published(sb)
        row.converged = int(ok)
        row.notes.append(f"{label}: exit codes {codes}, {refused} refused as locked" + "".join(
            f"; other failure: {_first_error(out)}" for code, out in zip(codes, outputs)
            if code and "is locked" not in out))
        _count(sb, row, ends_without_cluster=final == "run", seeded=seeded or None)
    finally:
        sb.remove()
    return row


def _first_error(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith(("error:", "Error:"))
             or "FAILED" in line]
    return (lines[0] if lines else output.strip().splitlines()[-1:][0] if output.strip() else "")[:240]


CONCURRENT = ["apply | apply", "apply | apply (new environment)", "apply | destroy", "run | run"]


def concurrent_rows(base: Path, trials: int, run_trials: int) -> list[Row]:
    if not locking_available():
        return [Row(name, notes=["skipped: needs the environment lock (issue 9 item 1), not on this branch"])
                for name in CONCURRENT]
    rows = []
    for name in CONCURRENT:
        total = Row(name)
        for i in range(run_trials if name.startswith("run") else trials):
            total.add(concurrent_trial(base, name, f"{name.split()[0]}-{name.split()[-1].strip('()')}-{i}"))
        rows.append(total)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=5, help="kill points per apply/destroy scenario")
    parser.add_argument("--run-trials", type=int, default=2, help="kill points for run (a Spark job each)")
    parser.add_argument("--concurrent-trials", type=int, default=2)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--only", default="kill,concurrent,faults")
    args = parser.parse_args()
    import logging
    logging.getLogger("azure").setLevel(logging.ERROR)  # dropped connections are injected: no warnings
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    rng, groups = random.Random(seed), set(args.only.split(","))
    print(f"reliability: seed {seed} (repeat with --seed {seed})", flush=True)
    t0, rows = time.monotonic(), []
    with tempfile.TemporaryDirectory(prefix="azlake-reliability-") as tmp:
        base = Path(tmp)
        if "kill" in groups:
            rows += kill_rows(base, rng, args.trials, args.run_trials)
        if "concurrent" in groups:
            rows += concurrent_rows(base, args.concurrent_trials, 1)
        if "faults" in groups:
            rows += fault_rows(base)
    print(f"\n{len(rows)} scenarios in {time.monotonic() - t0:.0f}s", flush=True)
    print_table(rows)
    bad = [r.scenario for r in rows if r.trials and not r.clean]
    print("RESULT: " + ("every scenario clean" if not bad else "NOT clean: " + "; ".join(bad)), flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
