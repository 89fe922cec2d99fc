"""A department environment on the central lake: its own filesystem and roles there, never the lake itself."""

from __future__ import annotations

from azlake.azure import datalake
from azlake.engine import apply_plan, destroy_environment, plan_destroy, plan_environment
from azlake.execute.progress import NullDisplay

LAKE = "stbdaplatformdatalake"


def kinds(plan) -> dict[str, str]:
    return {a.address: a.verb for a in plan.actions}


def test_department_uses_central_lake_and_never_deletes_it(load, clients):
    central, ventas = load("datalake"), load("ventas")
    plan = plan_environment(ventas, clients)
    assert plan.refusals and "does not exist yet; apply it first: azlake apply " in plan.refusals[0]
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
    assert set(kinds(again).values()) == {"noop"}, [(a.address, a.reason) for a in again.actions if a.verb != "noop"]
    ns = again.by_address()["streaming.namespace"].resource
    hub = clients.eventhub.event_hubs.get(ns.context["group"], ns.name, "comentarios")
    assert hub.partition_count == 4
    destroy_environment(marketing, clients, NullDisplay(), all=True, discard_outputs=True)
    assert clients.resources.resource_groups.check_existence(ns.context["group"]) is False


def _department_on_lake(load, clients):
    central, ventas = load("datalake"), load("ventas")
    apply_plan(plan_environment(central, clients), clients, NullDisplay())
    apply_plan(plan_environment(ventas, clients), clients, NullDisplay())
    return central, ventas


def _lake_lock(clients):
    lake_id = clients.storage.storage_accounts.get_properties("rg-bda-platform-datalake", LAKE).id
    return lake_id, clients.locks.management_locks.get_by_scope(lake_id, "azlake-cannotdelete")


def test_without_the_lake_lock_the_assignment_is_deleted(load, clients):
    _, ventas = _department_on_lake(load, clients)
    lake_id, lock = _lake_lock(clients)
    clients.locks.management_locks.delete_by_scope(lake_id, lock.name)
    plan = plan_destroy(ventas, clients, all=True)
    role = plan.by_address()["identity.role[Storage Blob Data Owner]"]
    assert (role.verb, role.kept) == ("delete", False)
    result = apply_plan(plan, clients, NullDisplay())
    assert "kept" not in result.counts()
    assert [a for a in clients.authorization.role_assignments.list_for_scope(lake_id) if a.id == role.resource.id] == []


def test_a_lock_made_by_hand_is_named_with_whoever_manages_it(load, clients):
    _, ventas = _department_on_lake(load, clients)
    clients.locks.management_locks.create_or_update_at_resource_group_level(
        "rg-bda-platform-datalake", "ops-freeze", {"level": "ReadOnly", "notes": "change freeze"})
    lake_id, lock = _lake_lock(clients)
    clients.locks.management_locks.delete_by_scope(lake_id, lock.name)  # only the hand-made one is left
    plan = plan_destroy(ventas, clients, all=True)
    role = plan.by_address()["identity.role[Storage Blob Data Owner]"]
    assert role.verb == "noop" and role.kept
    assert "the ReadOnly lock ops-freeze of someone else" in role.reason
    assert any("whoever manages the lock ops-freeze" in w for w in plan.warnings)


def test_a_lock_that_appears_after_the_plan_is_counted_as_kept(load, clients):
    _, ventas = _department_on_lake(load, clients)
    lake_id, lock = _lake_lock(clients)
    clients.locks.management_locks.delete_by_scope(lake_id, lock.name)
    plan = plan_destroy(ventas, clients, all=True)
    assert plan.by_address()["identity.role[Storage Blob Data Owner]"].verb == "delete"
    clients.locks.management_locks.create_or_update_by_scope(lake_id, lock.name, {"level": "CanNotDelete"})
    result = apply_plan(plan, clients, NullDisplay())
    assert result.counts().get("kept") == 1 and "delete" in result.counts()
