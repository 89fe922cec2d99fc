"""Capacity (vCPU, RAM) and estimated hourly cost of an environment's cluster, per role and in total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ROLES = ("head", "zookeeper", "worker")


@dataclass(frozen=True)
class RoleCost:
    role: str
    size: str
    count: int
    vcpus: int            # all nodes of the role
    ram_gib: float
    hourly_usd: float | None  # None when the size is not in the catalog


@dataclass(frozen=True)
class ClusterCost:
    roles: tuple[RoleCost, ...]
    basis: str
    currency: str = "USD"

    @property
    def vcpus(self) -> int:
        return sum(r.vcpus for r in self.roles)

    @property
    def ram_gib(self) -> float:
        return sum(r.ram_gib for r in self.roles)

    @property
    def hourly(self) -> float:
        return round(sum(r.hourly_usd or 0.0 for r in self.roles), 3)

    @property
    def unknown_sizes(self) -> list[str]:
        return [r.size for r in self.roles if r.hourly_usd is None]


def cluster_cost(spec: Any, worker_count: int | None = None) -> ClusterCost | None:
    """The cluster's capacity and list-price estimate; `worker_count` overrides the file (autoscale max)."""
    if spec.cluster is None:
        return None
    nodes = {}
    for role in ROLES:
        node = getattr(spec.cluster.nodes, role)
        nodes[role] = (node.size, worker_count if (role == "worker" and worker_count is not None) else node.count)
    return nodes_cost(nodes)


def nodes_cost(nodes: dict[str, tuple[str, int]]) -> ClusterCost:
    """Capacity and estimate of (size, count) per role: the file's nodes, or a cluster's as read from Azure."""
    from azlake.catalog import price_basis, vm_size
    roles = []
    for role in ROLES:
        name, count = nodes[role]
        size = vm_size(name)
        roles.append(RoleCost(role, name, count, (size.vcpus if size else 0) * count,
                              (size.ram_gib if size else 0.0) * count,
                              round(size.hourly_usd * count, 4) if size else None))
    return ClusterCost(tuple(roles), price_basis())
