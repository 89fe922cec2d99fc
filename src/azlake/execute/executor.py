"""Walks the dependency graph, runs independent actions in parallel, waits separately, retries only where safe."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import HttpResponseError
from azure.core.polling import LROPoller

from azlake.azure.errors import cloud_error
from azlake.azure.providers import provider
from azlake.azure.retry import with_retries
from azlake.azure.roles import principal_facts
from azlake.errors import AzlakeError, CloudError
from azlake.execute import gates
from azlake.execute.progress import Display
from azlake.plan.diff import Action
from azlake.plan.graph import Graph

if TYPE_CHECKING:
    from azlake.azure.clients import Clients
    from azlake.plan.resources import Resource

STATUS_INTERVAL = 30.0  # nominal seconds between looks at a cluster's state while it is created


@dataclass
class StepResult:
    address: str
    kind: str
    ok: bool
    elapsed: float = 0.0
    error: AzlakeError | None = None
    skipped: str | None = None


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
            if s.ok and s.kind != "noop":
                out[s.kind] = out.get(s.kind, 0) + 1
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
        self.graph, self.result, self.failed = graph, ApplyResult(), set()
        pending = {a: {d for d in graph.deps[a] if d in self.by_address} for a in graph.order() if a in self.by_address}
        running: dict[Future[Any], str] = {}
        with ThreadPoolExecutor(max_workers=self.max_workers) as pool:
            try:
                while pending or running:
                    for address in [a for a, deps in pending.items() if not deps]:
                        del pending[address]
                        if self._settled_without_running(address):
                            _release(pending, address)
                        else:
                            running[pool.submit(self._step, self.by_address[address])] = address
                    if running:
                        done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                        for fut in done:
                            address = running.pop(fut)
                            step = fut.result()
                            self.result.steps.append(step)
                            if not step.ok:
                                self.failed.add(address)
                            _release(pending, address)
            except KeyboardInterrupt:
                # Ctrl-C: running steps stop waiting at their next look (Azure finishes what it started;
                # the next apply awaits it) and nothing new starts.
                self.stop.set()
                for fut in running:
                    fut.cancel()
                raise
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
            self.result.steps.append(StepResult(address, action.kind, False, skipped=reason))
            return True
        if action.kind == "noop":
            self.result.steps.append(StepResult(address, "kept" if action.kept else "noop", True))
            return True
        return False

    def sleep(self, seconds: float) -> None:
        """A wait that ends early (raising Interrupted) when the apply is being stopped."""
        if self.stop.wait(max(0.0, seconds)):
            raise Interrupted("stopped")

    # --- one action ----------------------------------------------------------------------------------
    def _step(self, action: Action) -> StepResult:
        res, t0 = action.resource, time.monotonic()
        self.display.start(res.address, action.kind, res.name)
        try:
            with_retries(lambda: getattr(self, f"_do_{action.kind}")(action), self.clients,
                         on_retry=lambda text: self.display.status(res.address, text))
        except Interrupted:
            self.display.finish(res.address, action.kind, time.monotonic() - t0,
                                "interrupted: Azure finishes what it started; "
                                "running the same command again picks it up")
            return StepResult(res.address, action.kind, False, time.monotonic() - t0, skipped="interrupted")
        except Exception as exc:  # every failure becomes a message; the traceback only with --debug
            err = self._as_error(exc, action)
            self.display.finish(res.address, action.kind, time.monotonic() - t0, err.summary)
            return StepResult(res.address, action.kind, False, time.monotonic() - t0, err)
        self.display.finish(res.address, action.kind, time.monotonic() - t0)
        return StepResult(res.address, "kept" if action.kept else action.kind, True, time.monotonic() - t0)

    def _as_error(self, exc: Exception, action: Action) -> AzlakeError:
        if os.environ.get("AZLAKE_DEBUG") == "1":
            import traceback
            traceback.print_exc()
        if isinstance(exc, AzlakeError):
            return exc
        verb = {"create": "creating", "update": "updating", "replace": "replacing", "delete": "deleting",
                "adopt": "adopting"}
        doing = f"{verb.get(action.kind, action.kind)} {action.address} ({action.resource.name})"
        if isinstance(exc, HttpResponseError):
            return cloud_error(exc, doing)
        return CloudError(f"{doing} failed: {type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}",
                          hint="run the same command again; with --debug for the traceback")

    def _do_create(self, action: Action) -> None:
        res, p = action.resource, provider(action.resource.kind)
        if action.observed is not None and action.observed.state == "Deleting":
            self._wait_gone(action)
            action.observed = None
        if action.resume:
            self._wait_ready(action)
        elif res.kind == "cluster":
            gates.create_cluster(self, action)
        elif res.kind in ("directory", "kv_secret"):
            gates.with_data_role(self, action, lambda: p.create(self.clients, res, self.facts, action.observed))
        else:
            self._remember(res, self.wait(res, p.create(self.clients, res, self.facts, action.observed)))

    def _do_update(self, action: Action) -> None:
        res, p = action.resource, provider(action.resource.kind)
        if action.resume:
            self._wait_ready(action)
            return
        if action.rewrite:
            self._remember(res, self.wait(res, p.create(self.clients, res, self.facts, action.observed)))
            return
        if res.kind == "cluster":
            out = p.update(self.clients, res, self.facts, action.observed, action.changes)
        else:
            out = p.update(self.clients, res, self.facts, action.observed)
        for handle in (out if isinstance(out, list) else [out]):
            # a starter (callable) begins its operation only once the previous one finished
            self.wait(res, handle() if callable(handle) and not isinstance(handle, LROPoller) else handle)

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

    def _delete(self, action: Action) -> None:
        res, p = action.resource, provider(action.resource.kind)
        try:
            note = self.wait(res, p.delete(self.clients, res, self.facts.get("environment")))
            if isinstance(note, str):  # Azure kept it (a lock appeared after the plan): counted as kept
                action.kept = True
                self.display.message(f"{res.address}: {note}")
        except HttpResponseError as exc:
            if exc.status_code != 404:  # already gone (an earlier, interrupted destroy): done
                raise

    # --- waiting ------------------------------------------------------------------------------------
    def wait(self, res: Resource, handle: Any) -> Any:
        """Wait for a long-running operation, showing the cluster's state as it moves."""
        if not isinstance(handle, LROPoller):
            return handle
        status = provider(res.kind).status
        interval = max(0.05, self.clients.scaled(STATUS_INTERVAL))
        while not handle.done():
            handle.wait(interval)
            if self.stop.is_set():
                raise Interrupted("stopped")
            if status and not handle.done():
                self.display.status(res.address, status(self.clients, res))
        return handle.result()

    def _wait_ready(self, action: Action) -> None:
        """An earlier apply started this write: poll until Azure finishes it (no second write)."""
        res, p = action.resource, provider(action.resource.kind)
        interval = max(0.05, self.clients.scaled(STATUS_INTERVAL))
        deadline = time.monotonic() + max(self.clients.scaled(3600 * 2), 5.0)
        while time.monotonic() < deadline:
            obs = p.read(self.clients, res, self.facts)
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
        res, p = action.resource, provider(action.resource.kind)
        interval = max(0.05, self.clients.scaled(STATUS_INTERVAL))
        deadline = time.monotonic() + max(self.clients.scaled(3600), 5.0)
        while time.monotonic() < deadline:
            if not p.read(self.clients, res, self.facts).exists:
                return
            self.display.status(res.address, "waiting for an earlier deletion to finish")
            self.sleep(interval)
        raise CloudError(f"{res.address} ({res.name}) is still being deleted", hint="run apply again later")

    def _remember(self, res: Resource, outputs: Any) -> None:
        if res.kind == "identity":
            self.facts.update(principal_facts((), self.clients, outputs))
        if res.kind == "role":
            self.role_assigned_at[res.context.get("principal", "")] = time.monotonic()

    def role_age(self, principal: str = "identity") -> float | None:
        """Seconds since this apply assigned a role to the identity or the deployer (None: it was there)."""
        at = self.role_assigned_at.get(principal)
        return None if at is None else time.monotonic() - at


def _release(pending: dict[str, set[str]], address: str) -> None:
    for deps in pending.values():
        deps.discard(address)
