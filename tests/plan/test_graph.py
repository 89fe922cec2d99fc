"""Dependency order: dependencies first for creates, dependents first for deletes; cycles are errors."""

from __future__ import annotations

import pytest

from azlake.errors import AzlakeError
from azlake.plan.graph import Graph

DEPS = {
    "resource_group": [],
    "identity": ["resource_group"],
    "data_lake.account": ["resource_group"],
    "identity.role[Storage Blob Data Owner]": ["identity", "data_lake.account"],
    "data_lake.zone[landing]": ["data_lake.account"],
    "cluster.filesystem": ["data_lake.account"],
    "cluster": ["identity.role[Storage Blob Data Owner]", "cluster.filesystem"],
    "data_lake.lock": ["data_lake.account"],
}


def test_dependencies_come_first():
    order = Graph(DEPS).order()
    for node, deps in DEPS.items():
        for d in deps:
            assert order.index(d) < order.index(node), (d, node)


def test_deletes_walk_reversed():
    order = Graph(DEPS).reverse_order()
    assert order.index("cluster") < order.index("cluster.filesystem")
    assert order.index("data_lake.lock") < order.index("data_lake.account")
    assert order[-1] == "resource_group"


def test_reversed_graph_waits_for_dependents():
    rev = Graph(DEPS).reversed()
    assert set(rev.deps["data_lake.account"]) == {"identity.role[Storage Blob Data Owner]",
                                                   "data_lake.zone[landing]", "cluster.filesystem",
                                                   "data_lake.lock"}


def test_order_is_stable_and_unknown_deps_ignored():
    deps = {"b": ["a", "zzz"], "a": [], "c": []}
    assert Graph(deps).order() == ["a", "b", "c"]  # b is ready once a is done, and precedes c in the file


def test_cycle_is_an_error():
    with pytest.raises(AzlakeError, match="cycle"):
        Graph({"a": ["b"], "b": ["a"]})


def test_ancestors_and_descendants():
    g = Graph(DEPS)
    assert g.ancestors("cluster") >= {"identity", "resource_group", "cluster.filesystem"}
    assert g.descendants("data_lake.account") >= {"cluster", "data_lake.lock"}
