"""Plan-time check of the cluster's VM sizes against what Azure offers HDInsight in the region."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from azlake.azure import hdinsight
from azlake.azure.retry import with_retries
from azlake.plan.verb import Verb

if TYPE_CHECKING:
    from azlake.azure.clients import Clients

ROLES = ("head", "zookeeper", "worker")


def check_offered_sizes(plan: Any, clients: Clients) -> None:
    """Refuse a cluster creation whose sizes the region does not offer for their role, naming key and line.

    Asked before anything is created (the billing specs are per subscription and region, so they answer
    while the resource group does not exist yet): Azure would otherwise refuse the cluster after the lake,
    the identity and its roles were made.
    """
    from azure.core.exceptions import AzureError
    cluster = next((a for a in plan.actions if a.address == "cluster"), None)
    if cluster is None or cluster.verb not in (Verb.CREATE, Verb.REPLACE) or cluster.resume or plan.loaded is None:
        return
    spec = plan.loaded.spec
    location = spec.location
    try:
        offered = with_retries(lambda: hdinsight.offered_sizes(clients, location, spec.cluster.kind,
                                                               spec.cluster.version), clients)
    except AzureError as exc:  # advice: the creation itself reports the same problem
        plan.warnings.append(f"could not ask Azure which VM sizes HDInsight offers in {location}: "
                             f"{str(exc).splitlines()[0][:200]}")
        return
    for role in ROLES:
        size = getattr(spec.cluster.nodes, role).size
        if hdinsight.size_key(size) in offered[role]:
            continue
        choices = sorted(offered[role].values(), key=str.lower)
        shown = ", ".join(choices[:10])
        plan.refusals.append(
            f"{plan.loaded.where('cluster', 'nodes', role, 'size')}: {size} is not a VM size HDInsight offers for "
            f"{role} nodes in {location} (Azure's billing specs for the region)"
            + (f"; offered: {shown}{', ...' if len(choices) > 10 else ''}" if choices else
               "; HDInsight offers no sizes there: choose another region"))
