"""A department environment on the central lake: its own filesystem and roles there, never the lake itself."""

from __future__ import annotations

from azlake.azure import datalake
from azlake.engine import apply_plan, destroy_environment, plan_environment
from azlake.execute.progress import NullDisplay

LAKE = "stbdaplatformdatalake"


def kinds(plan) -> dict[str, str]:
    return {a.address: a.kind for a in plan.actions}


def test_department_uses_central_lake_and_never_deletes_it(load, clients):
    central, ventas = load("datalake"), load("ventas")
    plan = plan_environment(ventas, clients)
    assert plan.refusals and "apply that environment first" in plan.refusals[0]
    apply_plan(plan_environment(central, clients), clients, NullDisplay())
    plan = plan_environment(ventas, clients)
    assert kinds(plan)["data_lake.account"] == "noop" and "used from environment 'datalake'" in \
        plan.by_address()["data_lake.account"].reason
    assert plan.by_address()["identity.role[Storage Blob Data Owner]"].resource.context["scope"].endswith(LAKE)
    apply_plan(plan, clients, NullDisplay())
    assert set(kinds(plan_environment(ventas, clients)).values()) == {"noop"}
    assert [p.name for p in datalake.ls(clients, LAKE, "dfs-ventas", recursive=False)] == ["objects"]

    datalake.put(clients, LAKE, "landing", "ventas/t.data", b"v\n")
    destroy_environment(ventas, clients, NullDisplay(), all=True, discard_outputs=True)
    assert datalake.get(clients, LAKE, "landing", "ventas/t.data") == b"v\n"
    assert list(datalake.ls(clients, LAKE, "dfs-ventas")) == []
    assert clients.resources.resource_groups.check_existence("rg-bda-ventas") is False
    assert set(kinds(plan_environment(central, clients)).values()) == {"noop"}


def test_streaming_namespace_hubs_and_consumer_groups(load, clients):
    apply_plan(plan_environment(load("datalake"), clients), clients, NullDisplay())
    marketing = load("marketing")
    plan = plan_environment(marketing, clients)
    assert {"streaming.namespace", "streaming.hub[comentarios]",
            "streaming.consumer_group[comentarios/spark]"} <= {a for a, k in kinds(plan).items() if k == "create"}
    apply_plan(plan, clients, NullDisplay())
    again = plan_environment(marketing, clients)
    assert set(kinds(again).values()) == {"noop"}, [(a.address, a.reason) for a in again.actions if a.kind != "noop"]
    ns = again.by_address()["streaming.namespace"].resource
    hub = clients.eventhub.event_hubs.get(ns.context["group"], ns.name, "comentarios")
    assert hub.partition_count == 4
    destroy_environment(marketing, clients, NullDisplay(), all=True, discard_outputs=True)
    assert clients.resources.resource_groups.check_existence(ns.context["group"]) is False
