"""After a job: tear the ephemeral part down (keeping a failed job's evidence), and what the cluster cost."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import ResourceNotFoundError

from azlake.azure.pricebook import catalog_book
from azlake.engine import apply_plan, plan_destroy
from azlake.plan.cost import cluster_cost
from azlake.plan.verb import Verb

if TYPE_CHECKING:
    from azlake.azure.clients import Clients
    from azlake.envfile.load import LoadedEnvironment
    from azlake.envfile.models import Environment
    from azlake.execute.progress import Display

KEEP_REASON = "kept: holds the failed job's outputs and log"
UNPUBLISHED = "holds outputs not published to the lake"  # the refusal engine._guard_outputs writes


def cluster_created(clients: Clients, spec: Environment) -> datetime | None:
    """The cluster's createdDate as HDInsight reports it (UTC), None when there is no cluster."""
    if spec.cluster is None:
        return None
    try:
        cluster = clients.hdinsight.clusters.get(spec.resource_group.name, spec.cluster.name)
    except ResourceNotFoundError:
        return None
    return parse_created(cluster.properties.created_date)


def parse_created(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value).rstrip("Z")
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def teardown(loaded: LoadedEnvironment, clients: Clients, display: Display | None,
             keep_working_filesystem: bool) -> list[str]:
    """Destroy the ephemeral part; with `keep_working_filesystem`, only what bills by the hour (the cluster).

    A working filesystem that holds unpublished outputs (of an earlier failed run, say) is kept too, never
    the cluster: returns why each thing was kept, for the caller to say."""

    plan = plan_destroy(loaded, clients, discard_outputs=keep_working_filesystem)
    kept = [r for r in plan.refusals if UNPUBLISHED in r]
    if kept:
        plan.refusals = [r for r in plan.refusals if r not in kept]
        keep_working_filesystem = True
    if keep_working_filesystem:
        # the working filesystem costs storage only; it keeps the outputs and the log for debugging
        plan.actions = [replace(a, verb=Verb.NOOP, reason=KEEP_REASON)
                        if a.verb is Verb.DELETE and a.address.startswith(("cluster.filesystem", "cluster.dir["))
                        else a for a in plan.actions]
        plan.warnings = [w for w in plan.warnings if "unpublished output" not in w]
    apply_plan(plan, clients, display)
    return kept


@dataclass
class Cost:
    hours: float
    hourly_usd: float        # the known part of the cluster's hourly price
    still_running: bool
    source: str = ""         # where the price comes from, and its date
    missing: tuple[str, ...] = ()  # what the price leaves out (then the figures are lower bounds)

    @property
    def usd(self) -> float:
        return self.hours * self.hourly_usd

    def describe(self) -> str:
        bound = "at least " if self.missing else "about "
        # the figures in USD as plan, status and cost write them
        text = (f"cluster uptime {_duration(self.hours)} × USD {self.hourly_usd:.2f}/h "
                f"{'≥' if self.missing else '≈'} USD {self.usd:.2f} "
                f"(estimate; prices: {self.source}" + (f"; not included: {'; '.join(self.missing)}" if self.missing
                                                       else "") + ")")
        if self.still_running:
            text += f"; the cluster is still running and costs {bound}USD {self.hourly_usd:.2f} every hour"
        return text


def run_cost(spec: Environment, created: datetime | None, run_started: float, still_running: bool,
             book: Any = None, *, clients: Clients) -> Cost:
    """Uptime from the cluster's creation (or this run's start, for a cluster that was already there), on the
    clock status and reap use (`Clients.seconds_since`)."""

    book = book or catalog_book(spec.location)
    cost = cluster_cost(spec, book)
    start = run_started
    if created is not None and created.timestamp() > run_started - 1:
        start = created.timestamp()
    return Cost(clients.seconds_since(start) / 3600, cost.hourly if cost else 0.0, still_running,
                f"{book.source}, of {book.as_of}", tuple(cost.missing) if cost else ())


def _duration(hours: float) -> str:
    seconds = int(hours * 3600)
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"

