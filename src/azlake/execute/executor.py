"""Walks the dependency graph, runs independent actions in parallel, waits separately, retries only where safe."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import HttpResponseError

from azlake.azure.errors import cloud_error
from azlake.azure.kind import Outcome, Resource
from azlake.azure.registry import kind_of
from azlake.azure.retry import with_retries
from azlake.errors import AzlakeError, CloudError
from azlake.execute import gates
from azlake.execute.progress import Display
from azlake.plan.diff import Action
from azlake.plan.graph import Graph, walk
from azlake.plan.verb import Verb

if TYPE_CHECKING:
    from azure.core.polling import LROPoller

    from azlake.azure.clients import Clients

STATUS_INTERVAL = 30.0  # nominal seconds between looks at a cluster's state while it is created


@dataclass
class StepResult:
    address: str
    verb: Verb
    ok: bool
    elapsed: float = 0.0
    error: AzlakeError | None = None
    skipped: str | None = None
    kept: bool = False               # a delete Azure refused (a lock): counted apart

    @property
    def outcome(self) -> str:
        """What the step did, as a summary counts it: its verb, or `kept`."""
        return "kept" if self.kept else self.verb.value


@dataclass
class ApplyResult:
    steps: list[StepResult] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)

    @property
    def failed(self) -> list[StepResult]:
        return [s for s in self.steps if not s.ok and not s.skipped]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.steps:
            if s.ok and s.outcome != Verb.NOOP:
                out[s.outcome] = out.get(s.outcome, 0) + 1
        return out


class Interrupted(Exception):
    """The apply is being stopped (Ctrl-C): a step's wait ends early."""


class ApplyFailed(AzlakeError):
    """Some actions failed; the rest that could run did. Running apply again finishes the job."""

    def __init__(self, result: ApplyResult) -> None:
        first = result.failed[0]
        names = ", ".join(s.address for s in result.failed)
        err = first.error
        detail = "\n".join(x for x in (err.summary, err.detail) if x) if err else ""
        super().__init__(f"{len(result.failed)} action(s) failed: {names}", detail=detail,
                         hint=(err.hint if err and err.hint else "fix the cause") +
                         "; running the same command again does not repeat finished steps",
                         code=err.code if err else "")
        self.result = result


class Executor:
    def __init__(self, clients: Clients, display: Display, facts: dict[str, Any], max_workers: int = 8) -> None:
        self.clients, self.display, self.facts = clients, display, facts
        self.max_workers = max_workers
        self.stop = threading.Event()
        self.role_assigned_at: dict[str, float] = {}  # principal kind (identity, deployer) -> when

    def run(self, actions: list[Action], graph: Graph) -> ApplyResult:
        """Each action starts once everything it waits for has finished; a failure skips its dependents."""
        t0 = time.monotonic()
        self.by_address = {a.address: a for a in actions}
        self.graph, self.result = graph, ApplyResult()
        self.failed: set[str] = set()
        pending = {a: {d for d in graph.deps[a] if d in self.by_address} for a in graph.order() if a in self.by_address}

        def start(address: str) -> Callable[[], StepResult] | None:
            if self._settled_without_running(address):
                return None
            return partial(self._step, self.by_address[address])

        def finish(address: str, step: StepResult) -> None:
            self.result.steps.append(step)
            if not step.ok:
                self.failed.add(address)

        # Ctrl-C: running steps stop waiting at their next look (Azure finishes what it started; the next
        # apply awaits it) and nothing new starts.
        walk(pending, start, finish, self.max_workers, on_interrupt=self.stop.set)
        self.result.elapsed = time.monotonic() - t0
        return self.result

    def _settled_without_running(self, address: str) -> bool:
        """Skip an action whose dependency failed; a noop is done at once. False: it must run."""
        action = self.by_address[address]
        blocked = sorted(self.failed & set(self.graph.deps[address]))
        if blocked:
            self.failed.add(address)
            reason = f"{', '.join(blocked)} failed"
            self.display.skip(address, reason)
            self.result.steps.append(StepResult(address, action.verb, False, skipped=reason))
            return True
        if action.verb is Verb.NOOP:
            self.result.steps.append(StepResult(address, action.verb, True, kept=action.kept))
            return True
        return False

    def sleep(self, seconds: float) -> None:
        """A wait that ends early (raising Interrupted) when the apply is being stopped."""
        if self.stop.wait(max(0.0, seconds)):
            raise Interrupted("stopped")

    # --- one action ----------------------------------------------------------------------------------
    def _step(self, action: Action) -> StepResult:
        res, t0 = action.resource, time.monotonic()
        self.display.start(res.address, action.verb, res.name)
        try:
            with_retries(lambda: self._do[action.verb](self, action), self.clients,
                         on_retry=lambda text: self.display.status(res.address, text))
        except Interrupted:
            self.display.finish(res.address, action.verb, time.monotonic() - t0,
                                "interrupted: Azure finishes what it started; "
                                "running the same command again picks it up")
            return StepResult(res.address, action.verb, False, time.monotonic() - t0, skipped="interrupted")
        except Exception as exc:  # every failure becomes a message; the traceback only with --debug
            err = self._as_error(exc, action)
            self.display.finish(res.address, action.verb, time.monotonic() - t0, err.summary)
            return StepResult(res.address, action.verb, False, time.monotonic() - t0, err)
        self.display.finish(res.address, action.verb, time.monotonic() - t0)
        return StepResult(res.address, action.verb, True, time.monotonic() - t0, kept=action.kept)

    def _as_error(self, exc: Exception, action: Action) -> AzlakeError:
        if os.environ.get("AZLAKE_DEBUG") == "1":
            import traceback
            traceback.print_exc()
        if isinstance(exc, AzlakeError):
            return exc
        verb = {"create": "creating", "update": "updating", "replace": "replacing", "delete": "deleting",
                "adopt": "adopting"}
        doing = f"{verb.get(action.verb, action.verb)} {action.address} ({action.resource.name})"
        if isinstance(exc, HttpResponseError):
            return cloud_error(exc, doing)
        return CloudError(f"{doing} failed: {type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}",
                          hint="run the same command again; with --debug for the traceback")

    def _do_create(self, action: Action) -> None:
        res, kind = action.resource, kind_of(action.resource)
        if action.observed is not None and action.observed.state == "Deleting":
            self._wait_gone(action)
            action.observed = None
        if action.resume:
            self._wait_ready(action)
        elif kind.role_not_effective_codes:
            gates.create_with_identity_role(self, action)
        elif kind.data_plane:
            gates.with_data_role(self, action,
                                 lambda: self.finish(res, kind.create(self.clients, res, self.facts, action.observed)))
        else:
            self.finish(res, kind.create(self.clients, res, self.facts, action.observed))

    def _do_update(self, action: Action) -> None:
        res, kind = action.resource, kind_of(action.resource)
        if action.resume:
            self._wait_ready(action)
        elif action.rewrite:
            self.finish(res, kind.create(self.clients, res, self.facts, action.observed))
        else:
            paths = {c.path for c in action.changes}
            self.finish(res, kind.update(self.clients, res, self.facts, action.observed, paths))

    def _do_adopt(self, action: Action) -> None:
        """Taking ownership: the resource's own update call writes azlake's marks (and the file's tags) and
        keeps everything else Azure has. Nothing to write: a role assignment is this environment's when its
        identity is."""
        if action.changes:
            self._do_update(action)

    def _do_replace(self, action: Action) -> None:
        self._delete(action)
        action.observed = None
        self._do_create(action)

    def _do_delete(self, action: Action) -> None:
        self._delete(action)

    _do = {Verb.CREATE: _do_create, Verb.UPDATE: _do_update, Verb.ADOPT: _do_adopt, Verb.REPLACE: _do_replace,
           Verb.DELETE: _do_delete}

    def _delete(self, action: Action) -> None:
        res = action.resource
        try:
            outcome = self.finish(res, kind_of(res).delete(self.clients, res, self.facts.get("environment", "")))
        except HttpResponseError as exc:
            if exc.status_code != 404:  # already gone (an earlier, interrupted destroy): done
                raise
            return
        if outcome.kept:  # Azure kept it (a lock appeared after the plan): counted as kept
            action.kept = True
            self.display.message(f"{res.address}: {outcome.kept}")

    def finish(self, res: Resource, outcome: Outcome) -> Outcome:
        """Wait for what a write started (and start what follows it, one at a time); remember what it gave."""
        if outcome.poller is not None:
            self.wait(res, outcome.poller)
        for start in outcome.then:
            self.wait(res, start())
        self._remember(res, outcome.outputs)
        return outcome

    # --- waiting ------------------------------------------------------------------------------------
    def wait(self, res: Resource, poller: LROPoller[Any]) -> Any:
        """Wait for a long-running operation, showing the resource's state as it moves (a cluster's)."""
        kind = kind_of(res)
        interval = max(0.05, self.clients.scaled(STATUS_INTERVAL))
        while not poller.done():
            poller.wait(interval)
            if self.stop.is_set():
                raise Interrupted("stopped")
            if not poller.done():
                state = kind.status(self.clients, res)
                if state is not None:
                    self.display.status(res.address, state)
        return poller.result()

    def _wait_ready(self, action: Action) -> None:
        """An earlier apply started this write: poll until Azure finishes it (no second write)."""
        res, kind = action.resource, kind_of(action.resource)
        interval = max(0.05, self.clients.scaled(STATUS_INTERVAL))
        deadline = time.monotonic() + max(self.clients.scaled(3600 * 2), 5.0)
        while time.monotonic() < deadline:
            obs = kind.read(self.clients, res, self.facts)
            self.display.status(res.address, obs.detail or obs.state or "waiting")
            if not obs.exists:
                raise CloudError(f"{res.address} ({res.name}) disappeared while it was being created",
                                 hint="run apply again to create it")
            if obs.state in ("Failed", "Canceled"):
                raise CloudError(f"{res.address} ({res.name}) ended {obs.state}",
                                 hint="run apply again: a failed cluster is deleted and created anew")
            if obs.state not in ("InProgress", "Creating", "Accepted", "Updating", "ResolvingDNS"):
                self._remember(res, obs.outputs)
                return
            self.sleep(interval)
        raise CloudError(f"{res.address} ({res.name}) is still {obs.state}", hint="run apply again later")

    def _wait_gone(self, action: Action) -> None:
        """An earlier destroy is still deleting this resource: creating it now would conflict."""
        res, kind = action.resource, kind_of(action.resource)
        interval = max(0.05, self.clients.scaled(STATUS_INTERVAL))
        deadline = time.monotonic() + max(self.clients.scaled(3600), 5.0)
        while time.monotonic() < deadline:
            if not kind.read(self.clients, res, self.facts).exists:
                return
            self.display.status(res.address, "waiting for an earlier deletion to finish")
            self.sleep(interval)
        raise CloudError(f"{res.address} ({res.name}) is still being deleted", hint="run apply again later")

    def _remember(self, res: Resource, outputs: Mapping[str, Any]) -> None:
        kind = kind_of(res)
        self.facts.update(kind.facts(self.clients, outputs))
        if kind.grants_role:
            self.role_assigned_at[res.context.get("principal", "")] = time.monotonic()

    def role_age(self, principal: str = "identity") -> float | None:
        """Seconds since this apply assigned a role to the identity or the deployer (None: it was there)."""
        at = self.role_assigned_at.get(principal)
        return None if at is None else time.monotonic() - at

