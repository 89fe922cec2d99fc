"""What an environment bills by the hour while it exists: its cluster per role, its Event Hubs units.

A total never leaves a part out silently: a role whose size has no price, or whose count or size comes
from an unset variable, and a price that lacks HDInsight's own charge, are named in `missing` and the
total is then a lower bound (`complete` False).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from azlake.azure.pricebook import PriceBook
from azlake.catalog import price_basis, vm_size

ROLES = ("head", "zookeeper", "worker")


@dataclass(frozen=True)
class RoleCost:
    role: str
    size: str
    count: int
    vcpus: int            # all nodes of the role
    ram_gib: float
    hourly_usd: float | None  # what is known of the role's price; None when nothing is
    missing: str | None = None  # what hourly_usd leaves out


@dataclass(frozen=True)
class StreamCost:
    namespace: str
    sku: str
    units: int
    hourly_usd: float | None
    missing: str | None = None


@dataclass(frozen=True)
class ClusterCost:
    roles: tuple[RoleCost, ...]
    basis: str
    currency: str = "USD"
    source: str = ""
    as_of: str = ""
    extra_missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def vcpus(self) -> int:
        return sum(r.vcpus for r in self.roles)

    @property
    def ram_gib(self) -> float:
        return sum(r.ram_gib for r in self.roles)

    @property
    def hourly(self) -> float:
        """The known part of the hourly price (the whole of it when `complete`)."""
        return round(sum(r.hourly_usd or 0.0 for r in self.roles), 3)

    @property
    def missing(self) -> list[str]:
        """What the total leaves out, one line per reason ("head, worker nodes: ...")."""
        by_reason: dict[str, list[str]] = {}
        for r in self.roles:
            if r.missing:
                by_reason.setdefault(r.missing, []).append(r.role)
        return [f"{', '.join(roles)} nodes: {why}" for why, roles in by_reason.items()] + list(self.extra_missing)

    @property
    def complete(self) -> bool:
        return not self.missing


def cluster_cost(spec: Any, book: PriceBook, worker_count: int | None = None,
                 unresolved: dict[str, str] | None = None) -> ClusterCost | None:
    """The cluster's capacity and price per role; `worker_count` overrides the file (autoscale maximum)."""
    if spec.cluster is None:
        return None
    unresolved = unresolved or {}
    nodes: dict[str, tuple[str, int] | str] = {}
    for role in ROLES:
        node = getattr(spec.cluster.nodes, role)
        unset = [unresolved[k] for k in (f"cluster.nodes.{role}.size", f"cluster.nodes.{role}.count")
                 if k in unresolved]
        if role == "worker" and worker_count is not None:
            unset = [v for v in unset if unresolved.get("cluster.nodes.worker.count") != v]
        # the file's value is not known: a default in its place would be a confident wrong figure
        nodes[role] = unset[0] if unset else (
            node.size, worker_count if (role == "worker" and worker_count is not None) else node.count)
    return nodes_cost(nodes, book)


def nodes_cost(nodes: dict[str, Any], book: PriceBook) -> ClusterCost:
    """Capacity and price of (size, count) per role — the file's nodes, or a cluster's as read from Azure; a
    role given as a variable name instead is unknown (its ${VAR} is not set)."""
    roles = []
    for role in ROLES:
        if isinstance(nodes[role], str):
            var = nodes[role]
            roles.append(RoleCost(role, f"(${{{var}}} unset)", 0, 0, 0.0, None,
                                  f"${{{var}}} is not set, so their count or size is unknown"))
            continue
        name, count = nodes[role]
        size = vm_size(name)
        price = book.node(name)
        roles.append(RoleCost(role, size.name if size else name, count, (size.vcpus if size else 0) * count,
                              (size.ram_gib if size else 0.0) * count,
                              None if price.hourly_usd is None else round(price.hourly_usd * count, 4),
                              price.missing))
    return ClusterCost(tuple(roles), basis(book), source=book.source, as_of=book.as_of)


def streaming_cost(spec: Any, book: PriceBook, unresolved: dict[str, str] | None = None) -> StreamCost | None:
    """Event Hubs units bill every hour the namespace exists, used or not."""
    s = spec.streaming
    if s is None:
        return None
    if unresolved and "streaming.capacity" in unresolved:
        return StreamCost(s.namespace, s.sku, s.capacity, None,
                          f"Event Hubs: ${{{unresolved['streaming.capacity']}}} is not set")
    unit = book.eventhubs_unit(s.sku)
    return StreamCost(s.namespace, s.sku, s.capacity,
                      None if unit.hourly_usd is None else round(unit.hourly_usd * s.capacity, 4), unit.missing)


def basis(book: PriceBook) -> str:
    """What the figures are, in words (for plans, `cost` and docs)."""
    if book.live:
        return (f"{book.region}, pay-as-you-go USD per hour; an HDInsight node is priced by its HDInsight meter, "
                "which includes the VM" + (f" ({book.note})" if book.note else ""))
    return price_basis() + (f" ({book.note})" if book.note else "")


def estimate(spec: Any, book: PriceBook, unresolved: dict[str, str] | None = None) -> dict[str, Any]:
    """The plan's `cost`: the cluster and Event Hubs per hour, whether the total is whole, and its source."""
    cluster = cluster_cost(spec, book, unresolved=unresolved)
    stream = streaming_cost(spec, book, unresolved)
    missing = (cluster.missing if cluster else []) + ([stream.missing] if stream and stream.missing else [])
    cluster_hourly = cluster.hourly if cluster else 0.0
    stream_hourly = (stream.hourly_usd or 0.0) if stream else 0.0
    return {"currency": "USD", "hourly": round(cluster_hourly + stream_hourly, 3), "complete": not missing,
            "missing": missing, "cluster_hourly": cluster_hourly, "eventhubs_hourly": stream_hourly if stream else None,
            "basis": basis(book), "source": book.source, "as_of": book.as_of, "estimate": True,
            "vcpus": cluster.vcpus if cluster else 0, "ram_gib": cluster.ram_gib if cluster else 0.0}
