"""Injected faults on the storage, identity, role and lock routes: the SDKs retry them or report them."""

from __future__ import annotations

import uuid

import pytest
from azure.core.exceptions import HttpResponseError

RG = "grfaults"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"


def _identity(c):
    return c.msi.user_assigned_identities.create_or_update(RG, "id-f", {"location": "brazilsouth"})


def _assignment(c):
    scope = f"/subscriptions/{c.target.subscription}/resourceGroups/{RG}"
    return c.authorization.role_assignments.create(scope, str(uuid.uuid4()), {"properties": {
        "roleDefinitionId": f"{scope}/providers/Microsoft.Authorization/roleDefinitions/{READER}",
        "principalId": str(uuid.uuid4()), "principalType": "ServicePrincipal"}})


def _lock(c):
    return c.locks.management_locks.create_or_update_at_resource_group_level(RG, "l", {"level": "CanNotDelete"})


def _storage(c):
    return c.storage.storage_accounts.begin_create(RG, "stfaults", {
        "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": "brazilsouth"}).result()


CALLS = {"userAssignedIdentities": _identity, "roleAssignments": _assignment, "locks": _lock,
         "storageAccounts": _storage}


@pytest.mark.parametrize("route", sorted(CALLS))
@pytest.mark.parametrize("fault", [{"kind": "status", "status": 503}, {"kind": "status", "status": 429},
                                   {"kind": "status", "status": 500}, {"kind": "drop"}])
def test_transient_faults_are_retried(any_clients, emulator, route, fault):
    any_clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    emulator.add_fault(**fault, method="PUT", path=route, count=1, retry_after=0)
    assert CALLS[route](any_clients).name
    puts = [r for r in emulator.request_log() if r["method"] == "PUT" and route.lower() in r["url"].lower()]
    assert len(puts) == 2 and puts[0]["code"] in ("DroppedConnection", "ServiceUnavailable", "TooManyRequests",
                                                  "InternalServerError")


def test_a_fault_that_outlasts_the_retries_is_reported(clients, emulator):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    emulator.add_fault(kind="status", status=409, code="Conflict", message="Another operation is in progress.",
                       method="PUT", path="userAssignedIdentities", count=1)
    with pytest.raises(HttpResponseError) as exc:
        _identity(clients)
    assert exc.value.status_code == 409 and exc.value.error.code == "Conflict"
