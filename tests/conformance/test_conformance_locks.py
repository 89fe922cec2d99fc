"""Management locks against the official 2020-05-01 examples and swagger (azure-specs/resources/.../locks).

The resource-level examples name `parentResourcePath: "parentResourcePath"`; a storage account has no
parent resource, so the replay sends an empty parent path, as callers do for top-level resources.
"""

from __future__ import annotations

from conformance.replay import send, shape_differences, status_and_body
from conformance.swagger import SPECS, Spec

SPEC = Spec.load(SPECS / "resources/resource-manager/Microsoft.Authorization/locks/stable/2020-05-01/locks.json")


def setup_group(clients, p) -> None:
    clients.resources.resource_groups.create_or_update(p["resourceGroupName"], {"location": "eastus"})


def test_resource_group_level_examples(any_clients):
    c, locks = any_clients, any_clients.locks.management_locks
    example = SPEC.example("ManagementLocks_CreateOrUpdateAtResourceGroupLevel")
    p = example["parameters"]
    setup_group(c, p)
    answers = [locks.create_or_update_at_resource_group_level(p["resourceGroupName"], p["lockName"],
                                                              p["parameters"], cls=status_and_body)
               for _ in range(2)]
    assert [s for s, _ in answers] == [201, 200]
    for status, body in answers:
        assert SPEC.check_response("ManagementLocks_CreateOrUpdateAtResourceGroupLevel", status, body) == []
        assert shape_differences(example["responses"][str(status)]["body"], body) == []
    status, body = locks.get_at_resource_group_level(p["resourceGroupName"], p["lockName"], cls=status_and_body)
    assert status == 200 and SPEC.check_response("ManagementLocks_GetAtResourceGroupLevel", 200, body) == []
    listed = send(c, "GET", f"/subscriptions/{c.target.subscription}/resourceGroups/{p['resourceGroupName']}"
                  "/providers/Microsoft.Authorization/locks", "2020-05-01")
    assert SPEC.check_response("ManagementLocks_ListAtResourceGroupLevel", 200, listed.json()) == []

    delete = SPEC.example("ManagementLocks_DeleteAtResourceGroupLevel")
    statuses = [locks.delete_at_resource_group_level(p["resourceGroupName"], p["lockName"],
                                                     cls=lambda r, d, h: r.http_response.status_code)
                for _ in range(2)]
    assert statuses == [200, 204] and all(str(s) in delete["responses"] for s in statuses)


def test_resource_level_examples(clients):
    locks = clients.locks.management_locks
    example = SPEC.example("ManagementLocks_CreateOrUpdateAtResourceLevel")
    p = example["parameters"]
    setup_group(clients, p)
    clients.storage.storage_accounts.begin_create(p["resourceGroupName"], p["resourceName"], {
        "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": "eastus"}).result()
    where = (p["resourceGroupName"], p["resourceProviderNamespace"], "", p["resourceType"], p["resourceName"])
    status, body = locks.create_or_update_at_resource_level(*where, p["lockName"], p["parameters"],
                                                            cls=status_and_body)
    assert status == 201
    assert SPEC.check_response("ManagementLocks_CreateOrUpdateAtResourceLevel", 201, body) == []
    assert shape_differences(example["responses"]["201"]["body"], body) == []

    get = SPEC.example("ManagementLocks_GetAtResourceLevel")
    status, body = locks.get_at_resource_level(*where, get["parameters"]["lockName"], cls=status_and_body)
    assert status == 200 and SPEC.check_response("ManagementLocks_GetAtResourceLevel", 200, body) == []
    assert shape_differences(get["responses"]["200"]["body"], body) == []
    assert body["properties"]["level"] == "ReadOnly"


def test_get_at_scope_example(clients):
    example = SPEC.example("ManagementLocks_GetByScope")
    scope = f"/subscriptions/{clients.target.subscription}"
    lock = example["parameters"]["lockName"]
    clients.locks.management_locks.create_or_update_by_scope(scope, lock, {"properties": {"level": "ReadOnly"}})
    status, body = clients.locks.management_locks.get_by_scope(scope, lock, cls=status_and_body)
    assert status == 200 and SPEC.check_response("ManagementLocks_GetByScope", 200, body) == []
    assert shape_differences(example["responses"]["200"]["body"], body) == []
    missing = send(clients, "GET", f"{scope}/providers/Microsoft.Authorization/locks/absent", "2020-05-01")
    assert missing.status_code == 404
    assert SPEC.check_response("ManagementLocks_GetByScope", 404, missing.json()) == []
