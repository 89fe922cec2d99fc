"""Storage accounts through the real StorageManagementClient against the emulator."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.core.rest import HttpRequest

from azlake.azure.clients import Clients

RG = "grlake"


def account(sku="Standard_LRS", kind="StorageV2", hns=True, location="brazilsouth", **extra):
    body = {"sku": {"name": sku}, "kind": kind, "location": location, "properties": {"isHnsEnabled": hns}}
    body.update(extra)
    return body


@pytest.fixture
def group(any_clients):
    any_clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    return any_clients


def other_subscription(clients, emulator, sub="11111111-0000-0000-0000-000000000000") -> Clients:
    other = Clients.for_emulator(emulator, clients.target.emulator_url, subscription=sub)
    other.resources.resource_groups.create_or_update("elsewhere", {"location": "eastus"})
    return other


def test_create_polls_to_succeeded_with_endpoints_at_the_emulator(group):
    acc = group.storage.storage_accounts.begin_create(RG, "stlakedev01", account(tags={"a": "b"})).result()
    assert acc.properties.provisioning_state == "Succeeded"
    assert acc.properties.is_hns_enabled is True
    assert acc.sku.tier == "Standard" and acc.kind == "StorageV2" and acc.tags == {"a": "b"}
    assert acc.properties.minimum_tls_version == "TLS1_2"
    assert acc.properties.allow_blob_public_access is False
    dfs = acc.properties.primary_endpoints.dfs
    if group.target.emulator_url:
        assert dfs == f"{group.target.emulator_url}/stlakedev01/"
    else:
        assert dfs == "https://stlakedev01.dfs.core.windows.net/"
    assert group.storage.storage_accounts.get_properties(RG, "stlakedev01").properties.primary_endpoints.dfs == dfs


def test_create_answers_202_with_location_and_retry_after(clients, emulator):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    emulator.configure(time_scale=1.0)  # hold the account mid-provisioning
    url = (f"https://management.azure.com/subscriptions/{clients.target.subscription}/resourceGroups/{RG}"
           "/providers/Microsoft.Storage/storageAccounts/stheld?api-version=2026-09-01")
    resp = clients.storage._client.send_request(HttpRequest("PUT", url, json=account()))
    assert resp.status_code == 202
    assert "/operationresults/" in resp.headers["Location"]
    assert int(resp.headers["Retry-After"]) >= 1
    states = [clients.storage.storage_accounts.get_properties(RG, "stheld").properties.provisioning_state]
    emulator.advance(16)
    states.append(clients.storage.storage_accounts.get_properties(RG, "stheld").properties.provisioning_state)
    emulator.advance(5)
    states.append(clients.storage.storage_accounts.get_properties(RG, "stheld").properties.provisioning_state)
    assert states == ["Creating", "ResolvingDNS", "Succeeded"]
    assert clients.resources._client.send_request(HttpRequest("GET", resp.headers["Location"])).status_code == 200


def test_failed_create_with_a_client_error_status_fails_the_poller_at_once(clients, emulator):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    emulator.add_fault(kind="lro_fail", method="PUT", path="storageAccounts/stquota", status=409,
                       code="StorageAccountOperationFailed", message="The operation failed (injected).")
    with pytest.raises(HttpResponseError) as exc:
        clients.storage.storage_accounts.begin_create(RG, "stquota", account()).result()
    assert "StorageAccountOperationFailed" in str(exc.value)
    polls = [r for r in emulator.request_log() if "/operationresults/" in r["url"]]
    assert polls and polls[-1]["status"] == 409 and all(r["status"] in (202, 409) for r in polls)


def test_create_that_fails_leaves_a_failed_account(clients, emulator):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    emulator.add_fault(kind="lro_fail", method="PUT", path="storageAccounts/stbroken", code="InternalError",
                       message="Provisioning failed (injected).")
    poller = clients.storage.storage_accounts.begin_create(RG, "stbroken", account(), retry_total=0)
    with pytest.raises(HttpResponseError) as exc:
        poller.result()
    assert "InternalError" in str(exc.value)
    assert clients.storage.storage_accounts.get_properties(RG, "stbroken").properties.provisioning_state == "Failed"


def test_put_provisions_a_failed_account_again_and_patch_does_not(clients, emulator):
    test_create_that_fails_leaves_a_failed_account(clients, emulator)
    accounts = clients.storage.storage_accounts
    accounts.update(RG, "stbroken", {"tags": {"x": "1"}})
    assert accounts.get_properties(RG, "stbroken").properties.provisioning_state == "Failed"
    again = accounts.begin_create(RG, "stbroken", account(tags={"x": "2"})).result()
    assert again.provisioning_state == "Succeeded" and again.tags == {"x": "2"}
    puts = [r["status"] for r in emulator.request_log() if r["method"] == "PUT" and "stbroken" in r["url"]]
    assert puts[-1] == 202  # a new creation operation, not an in-place 200


def test_repeated_put_on_the_same_account_is_idempotent(group):
    accounts = group.storage.storage_accounts
    first = accounts.begin_create(RG, "stsame", account()).result()
    again = accounts.begin_create(RG, "stsame", account(tags={"x": "1"})).result()
    assert again.properties.creation_time == first.properties.creation_time
    assert again.tags == {"x": "1"}
    assert [a.name for a in accounts.list_by_resource_group(RG)] == ["stsame"]
    assert [a.name for a in accounts.list()] == ["stsame"]


def test_name_taken_in_another_subscription(clients, emulator):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    clients.storage.storage_accounts.begin_create(RG, "stglobal", account()).result()
    other = other_subscription(clients, emulator)
    with pytest.raises(HttpResponseError) as exc:
        other.storage.storage_accounts.begin_create("elsewhere", "stglobal", account(location="eastus"))
    assert exc.value.status_code == 409
    assert exc.value.error.code == "StorageAccountAlreadyTaken"
    assert exc.value.error.message == "The storage account named stglobal is already taken."
    result = other.storage.storage_accounts.check_name_availability(
        {"name": "stglobal", "type": "Microsoft.Storage/storageAccounts"})
    assert (result.name_available, result.reason) == (False, "AlreadyExists")


def test_name_taken_in_another_group(clients):
    for rg in (RG, "grsecond"):
        clients.resources.resource_groups.create_or_update(rg, {"location": "brazilsouth"})
    clients.storage.storage_accounts.begin_create(RG, "sttwice", account()).result()
    with pytest.raises(HttpResponseError) as exc:
        clients.storage.storage_accounts.begin_create("grsecond", "sttwice", account())
    assert (exc.value.status_code, exc.value.error.code) == (409, "StorageAccountAlreadyTaken")


@pytest.mark.parametrize("name", ["ab", "UpperCase1", "with-dash", "a" * 25])
def test_invalid_names(clients, name):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    result = clients.storage.storage_accounts.check_name_availability(
        {"name": name, "type": "Microsoft.Storage/storageAccounts"})
    assert (result.name_available, result.reason) == (False, "AccountNameInvalid")
    assert "must be between 3 and 24 characters" in result.message
    with pytest.raises(HttpResponseError) as exc:
        clients.storage.storage_accounts.begin_create(RG, name, account())
    assert exc.value.error.code == "AccountNameInvalid"


def test_available_name(clients):
    result = clients.storage.storage_accounts.check_name_availability(
        {"name": "stfree", "type": "Microsoft.Storage/storageAccounts"})
    assert result.name_available is True


@pytest.mark.parametrize("kind, sku, fields", [
    ("BlockBlobStorage", "Standard_LRS", "kind, sku"),
    ("StorageV2", "Premium_ZRS", "kind, sku"),
    ("StorageV3", "Standard_LRS", "kind"),
    ("StorageV2", "Standard_XRS", "sku"),
])
def test_invalid_kind_and_sku_combinations(clients, kind, sku, fields):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    with pytest.raises(HttpResponseError) as exc:
        clients.storage.storage_accounts.begin_create(RG, "stbad", account(sku=sku, kind=kind))
    assert exc.value.status_code == 400
    assert exc.value.error.code == "InvalidValuesForRequestParameters"
    assert exc.value.error.message == f"Values for request parameters are invalid: {fields}."


def test_premium_block_blob_with_hns(clients):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    acc = clients.storage.storage_accounts.begin_create(
        RG, "stpremium", account(sku="Premium_ZRS", kind="BlockBlobStorage")).result()
    # Azure answers the Premium access tier for premium block blob accounts (official create example)
    assert acc.sku.tier == "Premium" and acc.properties.access_tier == "Premium"


def test_create_in_missing_group(clients):
    with pytest.raises(ResourceNotFoundError) as exc:
        clients.storage.storage_accounts.begin_create("nogroup", "stnogroup", account())
    assert exc.value.error.code == "ResourceGroupNotFound"


def test_in_place_updates(group):
    accounts = group.storage.storage_accounts
    accounts.begin_create(RG, "stupd", account()).result()
    for sku in ("Standard_GRS", "Standard_RAGRS", "Standard_LRS"):
        assert accounts.update(RG, "stupd", {"sku": {"name": sku}}).sku.name == sku
    updated = accounts.update(RG, "stupd", {"tags": {"env": "dev"}, "properties": {
        "accessTier": "Cool", "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False,
        "supportsHttpsTrafficOnly": True}})
    assert updated.tags == {"env": "dev"} and updated.properties.access_tier == "Cool"
    assert accounts.get_properties(RG, "stupd").properties.access_tier == "Cool"


def test_zone_redundant_family_converts_in_place(clients):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    accounts = clients.storage.storage_accounts
    accounts.begin_create(RG, "stzrs", account(sku="Standard_ZRS")).result()
    assert accounts.update(RG, "stzrs", {"sku": {"name": "Standard_RAGZRS"}}).properties.secondary_endpoints.dfs


@pytest.mark.parametrize("change, code, message", [
    ({"sku": {"name": "Standard_ZRS"}}, "InvalidValuesForRequestParameters", "invalid: sku."),
    ({"sku": {"name": "Premium_LRS"}}, "InvalidValuesForRequestParameters", "invalid: sku."),
    ({"kind": "BlockBlobStorage"}, "AccountPropertyCannotBeUpdated", "The property 'kind' was specified"),
    ({"properties": {"isHnsEnabled": False}}, "AccountPropertyCannotBeUpdated",
     "The property 'isHnsEnabled' was specified in the input, but it cannot be updated"),
])
def test_changes_azure_refuses_in_place(clients, change, code, message):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    accounts = clients.storage.storage_accounts
    accounts.begin_create(RG, "strefuse", account()).result()
    with pytest.raises(HttpResponseError) as exc:
        accounts.update(RG, "strefuse", change)
    assert exc.value.status_code == 400
    assert exc.value.error.code == code and message in exc.value.error.message


def test_recreate_with_other_location_or_hns_is_refused(clients):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    accounts = clients.storage.storage_accounts
    accounts.begin_create(RG, "stmove", account()).result()
    with pytest.raises(HttpResponseError) as exc:
        accounts.begin_create(RG, "stmove", account(location="eastus"))
    assert (exc.value.status_code, exc.value.error.code) == (409, "InvalidResourceLocation")
    with pytest.raises(HttpResponseError) as exc:
        accounts.begin_create(RG, "stmove", account(hns=False))
    assert exc.value.error.code == "AccountPropertyCannotBeUpdated"


def test_delete_and_missing_account(any_clients):
    any_clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    accounts = any_clients.storage.storage_accounts
    accounts.begin_create(RG, "stgone", account()).result()
    accounts.delete(RG, "stgone")
    with pytest.raises(ResourceNotFoundError) as exc:
        accounts.get_properties(RG, "stgone")
    assert exc.value.error.code == "ResourceNotFound"
    assert "Microsoft.Storage/storageAccounts/stgone" in exc.value.error.message
    accounts.delete(RG, "stgone")  # Azure answers 204 for an account that is not there
    assert any_clients.storage.storage_accounts.check_name_availability(
        {"name": "stgone", "type": "Microsoft.Storage/storageAccounts"}).name_available is True


def test_soft_delete_settings(group):
    group.storage.storage_accounts.begin_create(RG, "stsoft", account()).result()
    blob = group.storage.blob_services
    assert blob.get_service_properties(RG, "stsoft").delete_retention_policy.enabled is False
    blob.set_service_properties(RG, "stsoft", {"properties": {
        "deleteRetentionPolicy": {"enabled": True, "days": 14},
        "containerDeleteRetentionPolicy": {"enabled": True, "days": 7}}})
    props = blob.get_service_properties(RG, "stsoft")
    assert props.delete_retention_policy.days == 14
    assert props.container_delete_retention_policy.days == 7
    assert [p.name for p in blob.list(RG, "stsoft")] == ["default"]


@pytest.mark.parametrize("days", [0, 366])
def test_retention_outside_1_to_365_days(clients, days):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    clients.storage.storage_accounts.begin_create(RG, "stdays", account()).result()
    with pytest.raises(HttpResponseError) as exc:
        clients.storage.blob_services.set_service_properties(RG, "stdays", {"properties": {
            "deleteRetentionPolicy": {"enabled": True, "days": days}}})
    assert exc.value.status_code == 400 and exc.value.error.code == "InvalidRequestPropertyValue"


def test_versioning_refused_with_hierarchical_namespace(clients):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    accounts, blob = clients.storage.storage_accounts, clients.storage.blob_services
    accounts.begin_create(RG, "sthns", account()).result()
    accounts.begin_create(RG, "stflat", account(hns=False)).result()
    with pytest.raises(HttpResponseError) as exc:
        blob.set_service_properties(RG, "sthns", {"properties": {"isVersioningEnabled": True}})
    assert exc.value.error.code == "FeatureNotSupportedForAccount"
    assert blob.set_service_properties(RG, "stflat", {"properties": {"isVersioningEnabled": True}}) \
        .is_versioning_enabled is True


def test_throttled_create_is_retried(clients, emulator):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    emulator.add_fault(kind="status", status=429, count=1, method="PUT", path="storageAccounts", retry_after=0)
    clients.storage.storage_accounts.begin_create(RG, "stretry", account()).result()
    puts = [r["status"] for r in emulator.request_log() if r["method"] == "PUT" and "storageAccounts" in r["url"]]
    assert puts == [429, 202]


def test_plain_sdk_client_as_docs_describe(served):
    """docs/emulator.md: any SDK client works with base_url, the emulator's CA and any bearer token."""
    import time

    from azure.core.credentials import AccessToken
    from azure.mgmt.storage import StorageManagementClient

    class AnyToken:
        def get_token(self, *scopes, **kwargs):
            return AccessToken("any-token-will-do", int(time.time()) + 3600)

    served.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    client = StorageManagementClient(AnyToken(), served.target.subscription, base_url=served.target.emulator_url,
                                     connection_verify=str(served.target.state_dir / "emulator-ca.pem"),
                                     polling_interval=0.05)
    acc = client.storage_accounts.begin_create(RG, "stdocs", account()).result()
    assert acc.properties.primary_endpoints.dfs == f"{served.target.emulator_url}/stdocs/"


@pytest.mark.parametrize("body, code", [
    ({"sku": {"name": "Standard_LRS"}, "kind": "StorageV2"}, "LocationRequired"),
    (account(location="Brazil South!"), "LocationNotAvailableForResourceType"),
    ({"sku": {"name": "Standard_LRS"}, "location": "brazilsouth"}, "MissingRequiredProperty"),
    ({"location": "brazilsouth"}, "InvalidRequestContent"),
    (account(properties={"accessTier": "Warm"}), "InvalidValuesForRequestParameters"),
    (account(properties={"minimumTlsVersion": "TLS9"}), "InvalidValuesForRequestParameters"),
])
def test_create_body_errors(clients, body, code):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    with pytest.raises(HttpResponseError) as exc:
        clients.storage.storage_accounts.begin_create(RG, "stbody", body)
    assert exc.value.status_code == 400 and exc.value.error.code == code


def test_region_display_names_are_accepted(clients):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    acc = clients.storage.storage_accounts.begin_create(RG, "stdisplay", account(location="Brazil South")).result()
    assert acc.location == "brazilsouth"


def test_premium_accounts_have_no_access_tier(clients):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    accounts = clients.storage.storage_accounts
    accounts.begin_create(RG, "stprem", account(sku="Premium_LRS", kind="BlockBlobStorage")).result()
    with pytest.raises(HttpResponseError) as exc:
        accounts.update(RG, "stprem", {"properties": {"accessTier": "Cool"}})
    assert exc.value.error.code == "InvalidValuesForRequestParameters"


def test_check_name_of_another_resource_type(clients):
    with pytest.raises(HttpResponseError) as exc:
        clients.storage.storage_accounts.check_name_availability({"name": "stany", "type": "Microsoft.Web/sites"})
    assert exc.value.status_code == 400 and exc.value.error.code == "InvalidResourceType"
