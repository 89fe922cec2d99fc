"""`azlake run`: check capacity, ensure the environment, stage, submit, watch, publish, tear down, cost."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from azlake.azure import datalake
from azlake.azure.errors import cloud_error
from azlake.azure.keyvault import reveal
from azlake.engine import apply_plan, plan_environment
from azlake.envfile import capacity
from azlake.errors import AzlakeError
from azlake.jobs import transfer, usage
from azlake.jobs.layout import JobLayout, Location, job_cluster, layout
from azlake.jobs.livy import LivyClient
from azlake.jobs.teardown import Cost, cluster_created, run_cost, teardown
from azlake.plan.planner import price_book

if TYPE_CHECKING:
    from datetime import datetime

    from azlake.azure.clients import Clients
    from azlake.envfile.load import LoadedEnvironment
    from azlake.envfile.models import Cluster
    from azlake.execute.progress import Display

Say = Callable[[str], None]


@dataclass
class RunResult:
    state: str                                   # Livy's final state: success | dead | killed
    batch_id: int | None = None
    published: dict[str, list[str]] = field(default_factory=dict)  # output name -> lake paths written
    torn_down: bool = False
    cost: Cost | None = None
    log_location: str | None = None
    complete: bool = False                       # the job succeeded and every output is published

    @property
    def ok(self) -> bool:
        return self.state == "success"


@dataclass
class RunOptions:
    keep_cluster: bool = False
    replace_outputs: bool = False
    poll_s: float | None = None                  # default: 0.3 s on the local cloud, 10 s on Azure
    run_id: str | None = None                    # the id of the environment lock this run holds


def run_job(loaded: LoadedEnvironment, job_name: str, clients: Clients, say: Say, display: Display | None,
            options: RunOptions | None = None) -> RunResult:
    """Run one job end to end. Tears the ephemeral part down whatever happens, unless asked to keep it."""
    options = options or RunOptions()
    lay = layout(loaded, job_name)
    cluster = job_cluster(loaded, job_name)
    report = capacity.check_job(loaded.spec, job_name)
    say(f"capacity: {report.summary}")
    for warning in report.warnings:
        say(f"warning: {warning}")
    started, created = time.time(), None
    result = RunResult(state="not submitted")
    _require_inputs(lay, loaded, clients)  # before a cluster is created (and billed) for nothing
    try:
        _ensure_environment(loaded, lay, clients, display, say)
        _claim_cluster(loaded, cluster, clients, options)
        created = cluster_created(clients, loaded.spec)
        _run_batch(lay, loaded, clients, say, options, result)
        if result.ok:
            _publish(lay, clients, say, result)
            result.complete = True
    finally:
        _finish(loaded, cluster, clients, display, say, options, result, created, started)
    return result


def _ensure_environment(loaded: LoadedEnvironment, lay: JobLayout, clients: Clients, display: Display | None,
                        say: Say) -> None:
    plan = plan_environment(loaded, clients)
    if plan.has_changes:
        counts = ", ".join(f"{n} to {k}" for k, n in plan.summary().items() if n and k != "noop")
        say(f"environment {loaded.spec.name}: applying {counts}")
        apply_plan(plan, clients, display)
    else:
        say(f"environment {loaded.spec.name}: up to date, cluster {lay.cluster} ready")


def _claim_cluster(loaded: LoadedEnvironment, cluster: Cluster, clients: Clients, options: RunOptions) -> None:
    """Tag the ephemeral cluster with this run's lock id, so that a run killed mid-way leaves it findable."""
    if options.run_id and cluster.lifecycle == "ephemeral":
        with _doing(f"tagging cluster {cluster.name} with this run"):
            usage.mark_in_use(clients, loaded.spec, options.run_id)


@contextmanager
def _doing(what: str) -> Iterator[None]:
    """Azure SDK errors become CloudErrors saying what azlake was doing and what to do next."""
    from azure.core.exceptions import AzureError

    try:
        yield
    except AzureError as exc:
        raise cloud_error(exc, what) from None


def _run_batch(lay: JobLayout, loaded: LoadedEnvironment, clients: Clients, say: Say, options: RunOptions,
               result: RunResult) -> None:
    with _doing("checking the outputs of an earlier run"):
        _check_previous_outputs(lay, clients, options)
    for name, source in lay.inputs.items():
        target = lay.staged(name)
        with _doing(f"staging input {name} from {source} to {target}"):
            transfer.delete_tree(clients, target)  # an earlier run's staging must not mix with this one's
            copied = transfer.copy_tree(clients, source, target)
        if not copied:
            raise _no_input(name, source, loaded)
        say(f"staged {name}: {len(copied)} file(s), {sum(c.size for c in copied)} bytes "
            f"{source} -> {target} (server-side copy)")
    script, content = lay.script_location, lay.script_bytes()
    with _doing(f"uploading the script to {script}"):
        datalake.put(clients, script.account, script.filesystem, script.path, content)
    say(f"script {lay.script.name} -> {script}")
    livy = _livy(loaded, lay, clients)
    batch = livy.submit(script.abfss, lay.arguments(), f"azlake-{lay.environment}-{lay.job}", lay.executors)
    result.batch_id = batch.id
    say(f"submitted Livy batch {batch.id} to {lay.cluster}")
    poll = options.poll_s if options.poll_s is not None else (0.3 if clients.local else 10.0)
    lines: list[str] = []

    def on_line(line: str) -> None:
        lines.append(line)
        say(f"  | {line}")

    result.state = livy.follow(batch.id, on_line, lambda s: say(f"batch {batch.id}: {s}"), poll)
    if not result.ok:
        where = lay.log_location(batch.id)
        with _doing(f"saving the job's log to {where}"):
            datalake.put(clients, where.account, where.filesystem, where.path, "\n".join(lines).encode())
        result.log_location = str(where)


def _livy(loaded: LoadedEnvironment, lay: JobLayout, clients: Clients) -> LivyClient:
    login = job_cluster(loaded, lay.job).login
    return LivyClient(clients.http_session(), clients.gateway_url(lay.cluster), login.username,
                      reveal(clients, login.password))


def _check_previous_outputs(lay: JobLayout, clients: Clients, options: RunOptions) -> None:
    """An earlier run's output that was never published is kept unless the user says to replace it."""
    for name in lay.outputs:
        where = lay.produced(name)
        left = transfer.unpublished(clients, where)
        if left and not options.replace_outputs:
            shown = ", ".join(left[:5]) + (f" and {len(left) - 5} more" if len(left) > 5 else "")
            raise AzlakeError(f"output {name!r}: an earlier run left unpublished files in {where}: {shown}",
                              hint="look at them first, then run again with --replace-outputs to discard them")
        transfer.delete_tree(clients, where)


def _publish(lay: JobLayout, clients: Clients, say: Say, result: RunResult) -> None:
    for name, target in lay.outputs.items():
        with _doing(f"publishing output {name} to {target}"):
            _publish_one(lay, clients, say, result, name, target)


def _publish_one(lay: JobLayout, clients: Clients, say: Say, result: RunResult, name: str, target: Location) -> None:
    source = lay.produced(name)
    job = f"{lay.environment}/{lay.job}"
    copied = transfer.copy_tree(clients, source, target, metadata={transfer.JOB_META: job})
    if not copied:
        result.state = "dead"
        raise AzlakeError(f"output {name!r}: the job succeeded but wrote nothing to {source}",
                          hint="the script must write its output to the path it gets as argument")
    transfer.verify(clients, target, copied)
    transfer.mark_published(clients, source, copied, target)
    stale, foreign = transfer.remove_stale(clients, target, copied, job)
    result.published[name] = [f"{target.filesystem}/{c.target}" for c in copied]
    note = f", replaced {len(stale)} file(s) of an earlier run" if stale else ""
    say(f"published {name}: {len(copied)} file(s) {source} -> {target} (verified{note})")
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        say(f"warning: {target} also holds files this job did not publish (kept, never deleted): {shown}; "
            "readers of the output directory will see them too")


def _no_input(name: str, source: Location, loaded: LoadedEnvironment) -> AzlakeError:
    return AzlakeError(f"input {name!r}: nothing to stage at {source} (no files in the lake there)",
                       hint=f"upload the data first: azlake lake put {loaded.path} FILE {str(source).rstrip('/')}/ "
                            "(the trailing / makes it a directory: the file keeps its name inside it)")


def _require_inputs(lay: JobLayout, loaded: LoadedEnvironment, clients: Clients) -> None:
    """Refuse a run whose inputs are empty before anything is created; unreadable now means staging decides."""
    from azure.core.exceptions import HttpResponseError
    for name, source in lay.inputs.items():
        try:
            present = transfer.files_under(clients, source)
        except HttpResponseError:
            continue  # e.g. a data role still propagating: staging reads again once the cluster is there
        if not present:
            raise _no_input(name, source, loaded)


def _finish(loaded: LoadedEnvironment, cluster: Cluster, clients: Clients, display: Display | None, say: Say,
            options: RunOptions, result: RunResult, created: datetime | None, started: float) -> None:
    if cluster.lifecycle != "ephemeral":
        say(f"cluster {cluster.name} is persistent: left running")
    elif options.keep_cluster:
        say(f"cluster {cluster.name} kept (--keep-cluster): `azlake destroy` removes it")
        if result.batch_id is not None or options.run_id:
            with _doing(f"marking cluster {cluster.name} as kept"):
                usage.mark_kept(clients, loaded.spec)  # kept on purpose: not an abandoned cluster
    else:
        failed = not result.complete  # keep the working filesystem: outputs unpublished, or the log
        say(f"tearing down cluster {cluster.name}" + (
            f" (keeping {cluster.storage.filesystem} with the outputs and the log)" if failed else
            f" and filesystem {cluster.storage.filesystem}"))
        try:
            for why in teardown(loaded, clients, display, keep_working_filesystem=failed):
                say(f"kept: {why}; the cluster is deleted, the filesystem stays (azlake destroy --discard-outputs "
                    "removes it)")
            result.torn_down = True
        finally:
            _say_cost(loaded, cluster, clients, say, result, created, started, teardown_failed=not result.torn_down)
        return
    _say_cost(loaded, cluster, clients, say, result, created, started)


def _say_cost(loaded: LoadedEnvironment, cluster: Cluster, clients: Clients, say: Say, result: RunResult,
              created: datetime | None, started: float, teardown_failed: bool = False) -> None:
    """What the run cost; a cluster left behind (kept, persistent, or a failed teardown) is said to bill on."""
    result.cost = run_cost(loaded.spec, created, started, not result.torn_down,
                           price_book(clients, loaded.spec.location), clients=clients)
    say(f"cost: {result.cost.describe()}")
    if teardown_failed:
        say(f"error: cluster {cluster.name} was not deleted and is still billing: "
            f"run `azlake destroy {loaded.path}` to delete it")
