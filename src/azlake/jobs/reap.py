"""`azlake reap`: destroy ephemeral clusters older than their `cluster.max_age` (a scheduled CI job's guard).

Age is the cluster's `createdDate` from HDInsight against the current time, on the clock of
`Clients.seconds_since` (on the local cloud the emulator's scaled time, the same as `status` shows).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from azure.core.exceptions import ResourceNotFoundError

from azlake.engine import plan_destroy
from azlake.jobs.teardown import parse_created, teardown
from azlake.jobs.usage import usage
from azlake.plan.verb import Verb

if TYPE_CHECKING:
    from azlake.azure.clients import Clients
    from azlake.envfile.load import LoadedEnvironment
    from azlake.execute.progress import Display


@dataclass
class Verdict:
    environment: str
    cluster: str | None
    action: str            # reaped | kept | skipped | would reap
    reason: str

    def line(self) -> str:
        name = f"cluster {self.cluster}" if self.cluster else "no cluster"
        return f"{self.action:<10} {name} (environment {self.environment}): {self.reason}"


def judge(loaded: LoadedEnvironment, clients: Clients) -> tuple[Verdict, bool]:
    """What reap does with this environment's cluster, and whether it is due."""
    spec = loaded.spec
    cluster = spec.cluster
    if cluster is None:
        return Verdict(spec.name, None, "skipped", "the file declares no cluster"), False
    if cluster.lifecycle != "ephemeral":
        return Verdict(spec.name, cluster.name, "skipped", "persistent: never reaped"), False
    try:
        live = clients.hdinsight.clusters.get(spec.resource_group.name, cluster.name)
    except ResourceNotFoundError:
        return Verdict(spec.name, cluster.name, "skipped", "does not exist"), False
    if (live.properties.provisioning_state or "").lower() == "deleting":
        return Verdict(spec.name, cluster.name, "skipped", "already being deleted"), False
    used = usage(loaded, clients, live.tags)
    if used is not None and not used.alive:  # its run died (kill -9, a lost runner): no reason to wait
        return Verdict(spec.name, cluster.name, "reaped", f"abandoned: run {used.run_id} ({used.by}, since "
                                                          f"{used.since}) that used it is no longer running"), True
    if cluster.max_age is None:
        return Verdict(spec.name, cluster.name, "skipped", "no cluster.max_age in the file"), False
    created = parse_created(live.properties.created_date)
    if created is None:
        return Verdict(spec.name, cluster.name, "skipped", "HDInsight reports no createdDate"), False
    age = clients.seconds_since(created.timestamp())  # emulated time on the local cloud, as status shows
    limit = cluster.max_age.total_seconds()
    if age <= limit:
        return Verdict(spec.name, cluster.name, "kept", f"age {_hm(age)} within max_age {_hm(limit)}"), False
    return Verdict(spec.name, cluster.name, "reaped", f"age {_hm(age)} is over max_age {_hm(limit)}"), True


def reap(loaded: LoadedEnvironment, clients: Clients, display: Display | None, dry_run: bool = False) -> Verdict:
    """Destroy the environment's ephemeral part when its cluster is too old.

    The working filesystem goes too, unless it holds outputs never published to the lake: then only the
    cluster (what bills by the hour) is deleted and the outputs stay for someone to look at.
    """

    verdict, due = judge(loaded, clients)
    if not due:
        return verdict
    if dry_run:
        verdict.action = "would reap"
        return verdict
    plan = plan_destroy(loaded, clients)
    keep = bool(plan.refusals)
    if not any(a.verb is Verb.DELETE and a.address == "cluster" for a in plan.actions):
        verdict.action, verdict.reason = "skipped", verdict.reason + "; but not owned by this environment"
        return verdict
    teardown(loaded, clients, display, keep_working_filesystem=keep)
    if keep:
        verdict.reason += "; its working filesystem holds unpublished outputs and was kept"
    return verdict


def _hm(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return (f"{days}d" if days else "") + f"{hours}h{minutes:02d}m"
