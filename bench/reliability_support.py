"""Support for bench/reliability.py: a sandboxed local cloud per trial, and what a trial counts afterwards."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROUP, ACCOUNT, CLUSTER = "grbigdatauserbda000", "storagebigdatauserbda000", "clusterbigdata001"
SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
ACCOUNT_SCOPE = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}/providers/Microsoft.Storage/storageAccounts/{ACCOUNT}"
TIME_SCALE = "0.0005"  # a 20-minute cluster takes 0.6 s
PASSWORD = "Qz7!" + secrets.token_hex(8)  # HDInsight's rules; hex never holds three letters of a user name


@dataclass
class Row:
    """One scenario's figures; `lake_lost` None means the scenario has no lake files to keep."""

    scenario: str
    trials: int = 0
    converged: int = 0
    duplicates: int = 0
    leaked_clusters: int = 0
    leaked_processes: int = 0
    lake_lost: int | None = None
    notes: list[str] = field(default_factory=list)

    def add(self, other: Row) -> None:
        self.trials += other.trials
        self.converged += other.converged
        self.duplicates += other.duplicates
        self.leaked_clusters += other.leaked_clusters
        self.leaked_processes += other.leaked_processes
        if other.lake_lost is not None:
            self.lake_lost = (self.lake_lost or 0) + other.lake_lost
        self.notes += other.notes

    @property
    def clean(self) -> bool:
        return (self.converged == self.trials and not self.duplicates and not self.leaked_clusters
                and not self.leaked_processes and not self.lake_lost)


def print_table(rows: list[Row]) -> None:
    head = ("scenario", "trials", "converged<=1", "duplicates", "leaked clusters", "leaked processes",
            "lake files lost/changed")
    lines = [head] + [(r.scenario, str(r.trials), f"{r.converged}/{r.trials}", str(r.duplicates),
                       str(r.leaked_clusters), str(r.leaked_processes),
                       "-" if r.lake_lost is None else str(r.lake_lost)) for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)), flush=True)
    for r in rows:
        for note in r.notes:
            print(f"  note {r.scenario}: {note}", flush=True)


def cli_env(state: Path) -> dict[str, str]:
    return {**os.environ, "AZLAKE_CLOUD": "local", "AZLAKE_STATE_DIR": str(state), "CI": "true",
            "AZLAKE_EMULATOR_TIME_SCALE": TIME_SCALE, "AZLAKE_EMULATOR_ROLE_PROPAGATION": "0",
            "CLUSTER_PASSWORD": PASSWORD, "VENTAS_CLUSTER_PASSWORD": PASSWORD,
            "MARKETING_CLUSTER_PASSWORD": PASSWORD}


class Sandbox:
    """A copy of environments/ and a local cloud of its own; commands run as separate processes."""

    def __init__(self, base: Path, name: str) -> None:
        self.dir = base / name
        shutil.copytree(ROOT / "environments", self.dir / "environments")
        self.state = self.dir / "state"
        self.env = cli_env(self.state)
        self._clients = None

    def file(self, name: str = "practice") -> str:
        return str(self.dir / "environments" / f"{name}.yaml")

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "azlake", *args], env=self.env, cwd=self.dir,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def cli(self, *args: str, timeout: float = 900, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "azlake", *args], env={**self.env, **env}, cwd=self.dir,
                              capture_output=True, text=True, timeout=timeout)

    def again(self, *args: str, unlock_dead_holder: bool = False) -> subprocess.CompletedProcess:
        """The one more command an operator runs after a kill: the same, waiting for the dead holder's
        lock (its lease expires within 60 s), as the refusal message suggests; or, with
        `unlock_dead_holder` (the tests: no real minute to wait), first `azlake force-unlock` of a lock
        whose holder process is gone, as an operator who checked that would."""
        if not unlock_dead_holder:
            return self.cli(*args, AZLAKE_LOCK_TIMEOUT="2m")
        holder = self.lock_holder()
        if holder is not None and not _alive(holder.pid):
            done = self.cli("force-unlock", args[1], holder.id, "--force")
            if done.returncode != 0:
                return done
        return self.cli(*args)

    def lock_holder(self):
        """Who holds the practice environment's lock (None: nobody, or no lake to hold it)."""
        from azure.core.exceptions import AzureError

        from azlake.azure.envlock import lock_blob, read_holder
        try:
            blob = lock_blob(self.clients(), ACCOUNT, "bda000")
            if blob.get_blob_properties().lease.state != "leased":
                return None
            return read_holder(blob)
        except AzureError:
            return None

    def clients(self):
        """SDK clients on this sandbox's local cloud, from this process (for counting, not for changing)."""
        if self._clients is None:
            from azlake.azure.clients import Clients
            from azlake.emulator.core.app import Emulator
            self._clients = Clients.for_emulator(Emulator(self.state))
        return self._clients

    def plan_is_clean(self, name: str = "practice", *extra: str) -> bool:
        return self.cli("plan", self.file(name), "--detailed-exitcode", *extra).returncode == 0

    def remove(self) -> None:
        for pid in processes_of(self.dir):  # never leave a trial's processes behind
            _kill(pid)
        shutil.rmtree(self.dir, ignore_errors=True)


def kill_at(proc: subprocess.Popen, seconds: float) -> bool:
    """kill -9 the command after `seconds`; False when it had already finished."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    if proc.poll() is not None:
        return False
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return True


def timed(sandbox: Sandbox, *args: str) -> float:
    t0 = time.monotonic()
    done = sandbox.cli(*args)
    if done.returncode != 0:
        raise RuntimeError(f"calibration of {' '.join(args[:1])} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.monotonic() - t0


# --- what a trial counts -------------------------------------------------------------------------
def clusters(clients, group: str = GROUP) -> list:
    from azure.core.exceptions import HttpResponseError
    try:
        return list(clients.hdinsight.clusters.list_by_resource_group(group))
    except HttpResponseError:
        return []  # no group: no clusters


def duplicate_count(clients, group: str = GROUP, scope: str = ACCOUNT_SCOPE) -> int:
    """Clusters beyond one per group plus role assignments made twice (same principal, role and scope)."""
    from azure.core.exceptions import HttpResponseError
    extra = max(0, len(clusters(clients, group)) - 1)
    try:
        roles = [r for r in clients.authorization.role_assignments.list_for_scope(scope)
                 if r.scope.lower() == scope.lower()]
    except HttpResponseError:
        roles = []
    keys = [(r.principal_id, r.role_definition_id.rsplit("/", 1)[-1].lower()) for r in roles]
    return extra + len(keys) - len(set(keys))


def group_exists(clients, group: str = GROUP) -> bool:
    return bool(clients.resources.resource_groups.check_existence(group))


def seed_lake(clients, count: int = 5, account: str = ACCOUNT) -> dict[tuple[str, str], str]:
    """Files of random bytes in the lake's zones; returns (zone, path) -> MD5."""
    from azlake.azure import datalake
    zones = ["landing", "universal", "smart", "landingtmp"]
    seeded = {}
    for i in range(count):
        data = os.urandom(1024 * (i + 1))
        where = (zones[i % len(zones)], f"reliability/seed-{i}.bin")
        datalake.put(clients, account, where[0], where[1], data)
        seeded[where] = hashlib.md5(data).hexdigest()
    return seeded


def lake_lost(clients, seeded: dict[tuple[str, str], str], account: str = ACCOUNT) -> int:
    """How many seeded files are gone or hold other bytes."""
    from azlake.azure import datalake
    lost = 0
    for (zone, path), digest in seeded.items():
        try:
            data = datalake.get(clients, account, zone, path)
        except Exception:  # missing zone or file, or no lake: the file is lost either way
            lost += 1
            continue
        lost += hashlib.md5(data).hexdigest() != digest
    return lost


def processes_of(folder: Path) -> list[int]:
    """Live processes (not this one) whose command line, working folder or environment points into `folder`."""
    mark, found = str(folder), []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if (entry / "stat").read_text().split(") ", 1)[1].startswith("Z"):
                continue  # a zombie holds nothing: it waits for its parent to read its status
            texts = [(entry / "cmdline").read_bytes().decode(errors="replace"),
                     os.readlink(entry / "cwd"), (entry / "environ").read_bytes().decode(errors="replace")]
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if any(mark in text for text in texts):
            found.append(int(entry.name))
    return found


def settle_processes(folder: Path, seconds: float = 15.0) -> list[int]:
    """Processes still there after a grace period (watchdogs need a moment to notice a dead owner)."""
    deadline = time.monotonic() + seconds
    left = processes_of(folder)
    while left and time.monotonic() < deadline:
        time.sleep(0.5)
        left = processes_of(folder)
    return left


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
