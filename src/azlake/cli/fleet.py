"""`azlake plan|apply FOLDER`: every environment of a folder, concurrently, one result each.

Environments that use a central lake (`data_lake: {use: X}`) go in a later wave than X, so a fresh
folder applies in one command. Within a wave, environments are planned and applied in parallel.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azlake.azure.envlock import acquire
from azlake.azure.errors import sign_in_error
from azlake.cli.fleet_fit import comment
from azlake.cli.options import clients_for, say_err
from azlake.cli.show import Format, show_plan
from azlake.envfile.load import environment_files, load_environment
from azlake.errors import AzlakeError, ExitCode, SpecError
from azlake.execute.progress import PlainDisplay
from azlake.plan import quota
from azlake.plan.verb import Verb

if TYPE_CHECKING:
    from azlake.azure.clients import Clients
    from azlake.envfile.load import LoadedEnvironment
    from azlake.plan.planner import Plan

# Environments of a wave all run at once: their time goes to waiting for Azure, and ARM's request limits
# are kept by the clients' shared token buckets (azure/throttle.py), not by running fewer environments.
MAX_PARALLEL = 256


@dataclass
class Outcome:
    path: Path
    name: str = ""
    ok: bool = True
    changes: bool = False
    message: str = ""
    plan: Plan | None = None
    loaded: LoadedEnvironment | None = None
    clients: Clients | None = None
    diagnostics: list = field(default_factory=list)
    lock: Any = None                  # the environment's lock while it is planned and applied

    def environment(self) -> LoadedEnvironment:
        """The loaded environment: only files that loaded are planned and applied."""
        if self.loaded is None:
            raise AzlakeError(f"{self.path} did not load: it is not planned")
        return self.loaded


def load_folder(folder: Path) -> tuple[list[Outcome], list[Outcome]]:
    """(loaded environments, files that failed to load) — every file is read, all problems reported."""
    files = environment_files(folder)
    if not files:
        raise AzlakeError(f"{folder}: no environment files (*.yaml) in this folder")
    good, bad = [], []
    for path in files:
        try:
            loaded = load_environment(path)
        except SpecError as err:
            errors = [d for d in err.diagnostics if d.is_error]
            bad.append(Outcome(path, ok=False, message=f"{len(errors)} error(s) in the file",
                               diagnostics=err.diagnostics))
            continue
        good.append(Outcome(path, loaded.spec.name, loaded=loaded))
    return good, bad


def waves(outcomes: list[Outcome]) -> list[list[Outcome]]:
    """Central lakes and shared vaults first, then the environments that use them (a file order otherwise)."""
    names = {o.name for o in outcomes}
    left, out = list(outcomes), []
    done: set[str] = set()
    while left:
        wave = [o for o in left if not (_needs(o) & names) - done] or left  # a cycle: the rest together
        out.append(wave)
        done |= {o.name for o in wave}
        left = [o for o in left if o not in wave]
    return out


def _needs(o: Outcome) -> set[str]:
    """The environments whose resources this one uses: its central lake and its shared vault."""
    vault = o.environment().spec.key_vault
    return {n for n in (_uses(o), vault.use if vault is not None else None) if n}


def _uses(o: Outcome) -> str | None:
    lake = o.environment().spec.data_lake
    return lake.use if lake is not None else None


def parallel(items: list[Outcome], work: Callable[[Outcome], None]) -> None:
    """Run `work` on every item concurrently; an exception marks that item failed, never the others."""
    def guarded(o: Outcome) -> None:
        try:
            work(o)
        except AzlakeError as err:
            o.ok, o.message = False, err.render()
        except Exception as exc:  # one environment's failure must not hide the others' results
            known = sign_in_error(exc)
            o.ok, o.message = False, known.render() if known else f"unexpected {type(exc).__name__}: {exc}"
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, max(1, len(items)))) as pool:
        list(pool.map(guarded, items))


def plan_one(o: Outcome, cloud: str | None, state_dir: Path | None, skip_ephemeral: bool = False,
             read_only: bool = False, lock_timeout: float | None = None) -> None:
    """Plan one environment; with a `lock_timeout` (apply), under its lock, which stays held in `o.lock`."""
    from azlake.engine import plan_environment
    loaded = o.environment()
    o.clients = clients_for(loaded, cloud, state_dir, read_only=read_only)
    if lock_timeout is not None:
        o.lock = acquire(loaded, o.clients, f"apply {o.path}", lock_timeout, lambda t: say_err(f"{o.name} | {t}"))
        if o.lock.note:
            say_err(f"{o.name} | {o.lock.note}")
    o.plan = plan_environment(loaded, o.clients, skip_ephemeral=skip_ephemeral)
    o.changes = o.plan.has_changes
    if o.plan.refusals:
        o.ok, o.message = False, "the plan contains changes azlake will not make"


def report(outcomes: list[Outcome], verb: str, markdown: bool = False) -> int:
    """One line per environment (a list in a Markdown comment) and the overall exit code (1 if any failed)."""
    print(f"\n{'**' if markdown else ''}{verb} of {len(outcomes)} environment(s):{'**' if markdown else ''}")
    if markdown:
        print()
    for o in sorted(outcomes, key=lambda o: str(o.path)):
        state = "ok    " if o.ok else "FAILED"
        what = o.message.splitlines()[0] if o.message else ("changes pending" if o.changes else "no changes")
        name = f" ({o.name})" if o.name else ""
        print(f"- {state.strip()} `{o.path}`{name}: {what}" if markdown else f"  {state} {o.path}{name}: {what}")
    return ExitCode.ERROR if any(not o.ok for o in outcomes) else ExitCode.OK


def print_load_failures(bad: list[Outcome]) -> None:
    for o in bad:
        for d in o.diagnostics:
            print(d.render(), file=sys.stderr)


def plan_folder(folder: Path, fmt: Any, detailed_exitcode: bool, cloud: str | None,
                state_dir: Path | None, skip_ephemeral: bool = False) -> int:
    good, bad = load_folder(folder)
    print_load_failures(bad)
    parallel(good, lambda o: plan_one(o, cloud, state_dir, skip_ephemeral, read_only=True))
    _defer_on_new_lakes(good)
    quota_problems = fleet_quota(good, cloud, state_dir, skip_ephemeral)
    planned = [o for o in good if o.plan is not None]
    if fmt is Format.json:
        print(json.dumps({"files": [_file_json(o) for o in sorted(good + bad, key=lambda o: str(o.path))]},
                         indent=2))
    elif fmt is Format.markdown:  # one comment: the summary and the fleet first, each environment after
        print(comment(folder, good + bad), end="")
    else:
        for o in planned:
            show_plan(o.plan, o.clients, fmt)
            print()
    code = report(good + bad, "Plan") if fmt is Format.text else \
        (ExitCode.ERROR if any(not o.ok for o in good + bad) else ExitCode.OK)
    if quota_problems:
        print_quota_refusal(quota_problems)
        return ExitCode.ERROR
    if code == ExitCode.OK and detailed_exitcode and any(o.changes for o in good):
        return ExitCode.CHANGES
    return code


def _file_json(o: Outcome) -> dict:
    """One file of a folder plan: every file has an entry, planned or not, and says which."""
    if o.diagnostics and o.loaded is None:
        state = "invalid"
    elif not o.ok:
        state = "failed"
    elif o.plan is None:
        state = "deferred"  # its central lake is still to be created
    else:
        state = "planned"
    return {"path": str(o.path), "environment": o.name or None, "state": state, "changes": o.changes,
            "message": o.message or None,
            "diagnostics": [{"severity": d.severity, "file": str(d.file) if d.file else None, "line": d.line,
                             "key_path": d.key_path, "summary": d.summary} for d in o.diagnostics],
            "plan": o.plan.to_json() if o.plan is not None else None}


def _defer_on_new_lakes(outcomes: list[Outcome]) -> None:
    """A department whose central lake this folder still has to create cannot be planned yet: say so."""
    by_name = {o.name: o for o in outcomes}
    for o in outcomes:
        lake = by_name.get(_uses(o) or "")
        if lake is None or lake.plan is None:
            continue
        if any(a.address == "data_lake.account" and a.verb is Verb.CREATE for a in lake.plan.actions):
            o.plan, o.ok, o.changes = None, True, True
            o.message = f"planned once {lake.name} (its central lake) is applied: `azlake apply` does both in order"


def fleet_quota(outcomes: list[Outcome], cloud: str | None, state_dir: Path | None,
                skip_ephemeral: bool) -> list[str]:
    """Problems where the fleet's new clusters together exceed a region's HDInsight core quota."""

    demands: list[Any] = []
    clients_of: dict[Any, Any] = {}
    for o in outcomes:
        if not o.ok or o.loaded is None or o.loaded.spec.cluster is None:
            continue
        clients = o.clients or clients_for(o.loaded, cloud, state_dir)
        if quota.creates_cluster(o.loaded.spec, o.plan, skip_ephemeral, clients):
            demand = quota.demand_of(o.loaded.spec, clients.target.subscription)
            demands.append(demand)
            clients_of.setdefault((demand.subscription, demand.location), clients)
    return quota.check(demands, lambda sub, loc: quota.regional_usage(clients_of[(sub, loc)], loc))


def print_quota_refusal(problems: list[str]) -> None:
    print("\nThe fleet does not fit the subscription's HDInsight core quota; nothing was changed:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    print("  Request more cores (portal: Subscriptions > Usage + quotas > HDInsight), use smaller or fewer "
          "nodes, or apply the persistent part (apply --no-ephemeral) and let `azlake run` create clusters when jobs need them.",
          file=sys.stderr)


class _Prefixed:
    """A text stream that labels every line with its environment (concurrent applies share stdout)."""

    _lock = threading.Lock()

    def __init__(self, label: str) -> None:
        self.label, self.buffer = label, ""

    def write(self, text: str) -> int:
        self.buffer += text
        while "\n" in self.buffer:
            line, self.buffer = self.buffer.split("\n", 1)
            with self._lock:
                sys.stdout.write(f"{self.label} | {line}\n")
        return len(text)

    def flush(self) -> None:
        sys.stdout.flush()


def apply_folder(folder: Path, auto_approve: bool, cloud: str | None, state_dir: Path | None,
                 confirm: Callable[[str], None], skip_ephemeral: bool = False, lock_timeout: float = 0.0) -> int:
    """Plan and apply wave by wave: a department's plan reads the central lake the first wave created.

    Each environment is locked from its plan to the end of its wave's apply."""
    good, bad = load_folder(folder)
    print_load_failures(bad)
    for number, wave in enumerate(waves(good)):
        try:
            if not _apply_wave(number, wave, good, auto_approve, cloud, state_dir, confirm, skip_ephemeral,
                               lock_timeout):
                return ExitCode.ERROR  # before any environment of the fleet writes anything
        finally:
            for o in wave:
                if o.lock is not None:
                    o.lock.release()
    return report(good + bad, "Apply")


def _apply_wave(number: int, wave: list[Outcome], good: list[Outcome], auto_approve: bool, cloud: str | None,
                state_dir: Path | None, confirm: Callable[[str], None], skip_ephemeral: bool,
                lock_timeout: float) -> bool:
    """One wave under its environments' locks; False when the fleet's quota refuses it (nothing written)."""
    parallel(wave, lambda o: plan_one(o, cloud, state_dir, skip_ephemeral, lock_timeout=lock_timeout))
    if number == 0 and (problems := fleet_quota(good, cloud, state_dir, skip_ephemeral)):
        print_quota_refusal(problems)
        return False
    pending = [o for o in wave if o.ok and o.plan is not None and o.plan.has_changes]
    for o in wave:
        if o.plan is not None:
            show_plan(o.plan, o.clients, Format.text, "apply")
            print()
    if not pending:
        return True
    if not auto_approve:
        confirm(f"Apply the changes to {', '.join(o.name for o in pending)}?")
    tally = _Tally(len(pending))
    parallel(pending, lambda o: _apply_one(o, tally))
    return True


class _Tally:
    """The fleet as a whole: one line each time an environment of the wave finishes."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.failed, self.lock = total, 0, 0, threading.Lock()

    def finished(self, o: Outcome, ok: bool) -> None:
        with self.lock:
            self.done += 1
            self.failed += not ok
            failed = f", {self.failed} failed" if self.failed else ""
            line = f"fleet | {self.done}/{self.total} environment(s) of this wave done{failed} ({o.name} last)"
            with _Prefixed._lock:
                sys.stdout.write(line + "\n")


def _apply_one(o: Outcome, tally: _Tally) -> None:
    from azlake.engine import apply_plan
    if o.plan is None or o.clients is None:
        raise AzlakeError(f"{o.path} was not planned: it is not applied")
    try:
        result = apply_plan(o.plan, o.clients, PlainDisplay(_Prefixed(o.name)))
    except BaseException:
        tally.finished(o, False)
        raise
    tally.finished(o, True)
    counts = ", ".join(f"{n} {k}d" for k, n in result.counts().items()) or "nothing changed"
    o.message = f"applied: {counts} in {result.elapsed:.1f}s"
