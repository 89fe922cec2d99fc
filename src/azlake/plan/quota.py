"""Fleet preflight: the cores every department's new cluster needs, added up per subscription and region,
against the HDInsight core quota Azure reports, before any environment of the fleet writes anything.

One department's plan already asks Azure to validate its own cluster creation; what no single plan sees is
that fifty departments each fitting the quota do not fit it together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from azlake.catalog import vm_size
from azlake.plan.verb import Verb

if TYPE_CHECKING:
    from azlake.azure.clients import Clients


@dataclass(frozen=True)
class Demand:
    """One cluster a fleet apply would create."""

    environment: str
    subscription: str
    location: str
    cores: int
    unknown_sizes: tuple[str, ...] = ()


def cluster_cores(cluster: Any) -> tuple[int, tuple[str, ...]]:
    """(cores of the cluster's nodes at creation, sizes the catalog does not know)."""
    total, unknown = 0, []
    for node in (cluster.nodes.head, cluster.nodes.zookeeper, cluster.nodes.worker):
        size = vm_size(node.size)
        if size is None:
            unknown.append(node.size)
        else:
            total += size.vcpus * node.count
    return total, tuple(unknown)


def demand_of(spec: Any, subscription: str) -> Demand:
    cores, unknown = cluster_cores(spec.cluster)
    return Demand(spec.name, subscription.lower(), spec.location.lower().replace(" ", ""), cores, unknown)


def creates_cluster(spec: Any, plan: Any, skip_ephemeral: bool, clients: Clients) -> bool:
    """Whether applying the environment creates its cluster: its plan says so, or, for a department not
    planned yet (its central lake comes first), Azure has no cluster of that name."""
    if spec.cluster is None or (skip_ephemeral and spec.cluster.lifecycle == "ephemeral"):
        return False
    if plan is not None:
        return any(a.address == "cluster" and a.verb in (Verb.CREATE, Verb.REPLACE) for a in plan.actions)
    from azure.core.exceptions import ResourceNotFoundError

    try:
        clients.hdinsight.clusters.get(spec.resource_group.name, spec.cluster.name)
    except ResourceNotFoundError:
        return True
    return False


def check(demands: Iterable[Demand], usage_of: Any) -> list[str]:
    """A problem per subscription and region whose new clusters exceed the cores left there.

    `usage_of(subscription, location)` answers (cores in use, limit) as Azure reports them, or None when
    the quota could not be read (then nothing is claimed about that region).
    """
    groups: dict[tuple[str, str], list[Demand]] = {}
    for d in demands:
        groups.setdefault((d.subscription, d.location), []).append(d)
    problems = []
    for (subscription, location), group in sorted(groups.items()):
        usage = usage_of(subscription, location)
        if usage is None:
            continue
        used, limit = usage
        needed = sum(d.cores for d in group)
        if used + needed <= limit:
            continue
        names = ", ".join(f"{d.environment} ({d.cores})" for d in sorted(group, key=lambda d: -d.cores))
        problems.append(f"the new clusters of {len(group)} environment(s) need {needed} cores in {location} "
                        f"(subscription {subscription}), but only {max(limit - used, 0)} of its {limit} "
                        f"HDInsight cores are free: {names}")
    return problems


def regional_usage(clients: Clients, location: str) -> tuple[int, int] | None:
    """(cores in use, limit) of HDInsight in `location` for the clients' subscription, or None if unreadable."""
    from azure.core.exceptions import AzureError

    try:
        for usage in clients.hdinsight.locations.list_usages(location).value or []:
            if (usage.name.value or "").lower() == "cores":
                return int(usage.current_value or 0), int(usage.limit or 0)
    except AzureError:
        return None
    return None
