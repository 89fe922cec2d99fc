"""Resource groups through the real ResourceManagementClient against the emulator."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError


def test_create_get_list_delete(any_clients):
    rgs = any_clients.resources.resource_groups
    created = rgs.create_or_update("grbigdatauserbda000", {"location": "brazilsouth", "tags": {"owner": "dp"}})
    assert created.id.endswith("/resourceGroups/grbigdatauserbda000")
    assert created.properties.provisioning_state == "Succeeded"
    assert rgs.get("grbigdatauserbda000").tags == {"owner": "dp"}
    assert [g.name for g in rgs.list()] == ["grbigdatauserbda000"]
    assert rgs.check_existence("grbigdatauserbda000") is True
    rgs.begin_delete("grbigdatauserbda000").result()
    assert rgs.check_existence("grbigdatauserbda000") is False


def test_missing_group_answers_resource_group_not_found(clients):
    with pytest.raises(ResourceNotFoundError) as exc:
        clients.resources.resource_groups.get("nope")
    assert exc.value.error.code == "ResourceGroupNotFound"
    assert "Resource group 'nope' could not be found." in exc.value.error.message


def test_location_cannot_change(clients):
    rgs = clients.resources.resource_groups
    rgs.create_or_update("g1", {"location": "brazilsouth"})
    with pytest.raises(HttpResponseError) as exc:
        rgs.create_or_update("g1", {"location": "eastus"})
    assert exc.value.status_code == 409
    assert exc.value.error.code == "InvalidResourceGroupLocation"


def test_invalid_name(clients):
    with pytest.raises(HttpResponseError) as exc:
        clients.resources.resource_groups.create_or_update("bad name.", {"location": "brazilsouth"})
    assert exc.value.error.code == "InvalidResourceGroupName"
    with pytest.raises(HttpResponseError) as exc:
        clients.resources.resource_groups.create_or_update("g" * 91, {"location": "brazilsouth"})
    assert (exc.value.status_code, exc.value.error.code) == (400, "InvalidResourceGroupNameLength")


def test_throttling_is_retried_by_the_sdk(clients, emulator):
    emulator.add_fault(kind="status", status=429, count=2, method="PUT", retry_after=0)
    clients.resources.resource_groups.create_or_update("g1", {"location": "brazilsouth"})
    statuses = [r["status"] for r in emulator.request_log() if r["method"] == "PUT"]
    assert statuses == [429, 429, 201]


def test_dropped_connection_is_retried(clients, emulator):
    emulator.add_fault(kind="drop", count=1, method="GET")
    clients.resources.resource_groups.create_or_update("g1", {"location": "brazilsouth"})
    assert clients.resources.resource_groups.get("g1").name == "g1"
    codes = [r["code"] for r in emulator.request_log() if r["method"] == "GET"]
    assert codes == ["DroppedConnection", None]


def test_missing_api_version_is_rejected(clients):
    from azure.core.rest import HttpRequest

    resp = clients.resources._client.send_request(
        HttpRequest("GET", f"https://management.azure.com/subscriptions/{clients.target.subscription}/resourcegroups"))
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "MissingApiVersionParameter"


def test_list_by_resource_group_shows_top_level_resources_only(clients):
    clients.resources.resource_groups.create_or_update("g1", {"location": "brazilsouth"})
    clients.msi.user_assigned_identities.create_or_update("g1", "id1", {"location": "brazilsouth",
                                                                        "tags": {"team": "a"}})
    account = clients.storage.storage_accounts.begin_create(
        "g1", "stlisttest", {"location": "brazilsouth", "kind": "StorageV2", "sku": {"name": "Standard_LRS"},
                             "properties": {"isHnsEnabled": True}}).result()
    clients.storage.blob_containers.create("g1", "stlisttest", "landing", {})
    clients.locks.management_locks.create_or_update_by_scope(account.id, "nodelete", {"level": "CanNotDelete"})
    listed = {r.type for r in clients.resources.resources.list_by_resource_group("g1")}
    assert listed == {"Microsoft.ManagedIdentity/userAssignedIdentities", "Microsoft.Storage/storageAccounts"}
    tagged = [r.name for r in clients.resources.resources.list_by_resource_group(
        "g1", filter="tagName eq 'team' and tagValue eq 'a'")]
    assert tagged == ["id1"]
    by_type = [r.name for r in clients.resources.resources.list_by_resource_group(
        "g1", filter="resourceType eq 'Microsoft.Storage/storageAccounts'")]
    assert by_type == ["stlisttest"]
