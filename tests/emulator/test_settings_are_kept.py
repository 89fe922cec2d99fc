"""No accept-and-drop: what the specs let a request set is stored and answered, as Azure does."""

from __future__ import annotations

from emulator.datalake_env import ACCOUNT, RG, make_lake
from emulator.hdinsight_env import cluster_body
from emulator.hdinsight_env import make_lake as make_cluster_lake


def _identity(clients, group: str, name: str) -> dict:
    return clients.msi.user_assigned_identities.create_or_update(group, name, {"location": "brazilsouth"})


def test_storage_account_identity_is_kept_and_patched(any_clients):
    make_lake(any_clients)
    ident = _identity(any_clients, RG, "idstorage")
    accounts = any_clients.storage.storage_accounts
    accounts.update(RG, ACCOUNT, {"identity": {"type": "SystemAssigned,UserAssigned",
                                               "userAssignedIdentities": {ident.id: {}}}})
    got = accounts.get_properties(RG, ACCOUNT).identity
    assert got.type == "SystemAssigned,UserAssigned" and got.principal_id and got.tenant_id
    user = got.user_assigned_identities[ident.id]
    assert (user.principal_id, user.client_id) == (ident.principal_id, ident.client_id)
    system_principal = got.principal_id
    accounts.update(RG, ACCOUNT, {"identity": {"type": "SystemAssigned", "userAssignedIdentities": {ident.id: None}}})
    got = accounts.get_properties(RG, ACCOUNT).identity
    assert got.type == "SystemAssigned" and got.principal_id == system_principal  # fixed for the account's life
    assert not got.user_assigned_identities


def test_event_hubs_namespace_identity_on_patch_and_location_as_sent(any_clients):
    any_clients.resources.resource_groups.create_or_update("grkept", {"location": "westeurope"})
    ident = _identity(any_clients, "grkept", "idhubs")
    ns = any_clients.eventhub.namespaces
    created = ns.begin_create_or_update("grkept", "nskepttest", {"location": "West Europe",
                                                                 "sku": {"name": "Standard"}}).result()
    assert created.location == "West Europe"  # Event Hubs answers the location as sent (its examples show it)
    patched = ns.update("grkept", "nskepttest", {"identity": {"type": "UserAssigned",
                                                              "userAssignedIdentities": {ident.id: {}}}})
    assert patched.identity.type == "UserAssigned"
    assert patched.identity.user_assigned_identities[ident.id].principal_id == ident.principal_id
    assert ns.get("grkept", "nskepttest").identity.type == "UserAssigned"
    assert ns.get("grkept", "nskepttest").properties.platform_capabilities.confidential_compute.mode == "Disabled"


def test_event_hub_compaction_settings_are_kept(any_clients):
    any_clients.resources.resource_groups.create_or_update("grkept", {"location": "westeurope"})
    any_clients.eventhub.namespaces.begin_create_or_update("grkept", "nskepttest", {
        "location": "westeurope", "sku": {"name": "Standard"}}).result()
    hub = any_clients.eventhub.event_hubs.create_or_update("grkept", "nskepttest", "compacted", {"properties": {
        "partitionCount": 2, "retentionDescription": {"cleanupPolicy": "Compact", "minCompactionLagTimeInMinutes": 10,
                                                      "tombstoneRetentionTimeInHours": 1}}})
    retention = hub.properties.retention_description
    assert (retention.cleanup_policy, retention.min_compaction_lag_time_in_minutes,
            retention.tombstone_retention_time_in_hours, retention.retention_time_in_hours) == ("Compact", 10, 1, -1)
    got = any_clients.eventhub.event_hubs.get("grkept", "nskepttest", "compacted").properties.retention_description
    assert (got.min_compaction_lag_time_in_minutes, got.tombstone_retention_time_in_hours) == (10, 1)


def test_cluster_zones_and_encryption_in_transit_are_kept(clients):
    lake = make_cluster_lake(clients)
    body = cluster_body(lake)
    body["zones"] = ["1"]
    body["properties"]["encryptionInTransitProperties"] = {"isEncryptionInTransitEnabled": True}
    body["properties"]["networkProperties"] = {"resourceProviderConnection": "Outbound",
                                               "privateLink": "Disabled"}
    cluster = clients.hdinsight.clusters.begin_create("grclusters", "sparkkept", body).result()
    assert cluster.zones == ["1"]
    assert cluster.properties.encryption_in_transit_properties.is_encryption_in_transit_enabled is True
    assert cluster.properties.network_properties.resource_provider_connection == "Outbound"


def test_storage_enums_come_back_in_azures_case(any_clients):
    any_clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    accounts = any_clients.storage.storage_accounts
    accounts.begin_create(RG, "stenumcase", {"sku": {"name": "standard_lrs"}, "kind": "storagev2",
                                             "location": "brazilsouth",
                                             "properties": {"accessTier": "cool", "minimumTlsVersion": "tls1_2"}}
                          ).result()
    got = accounts.get_properties(RG, "stenumcase")
    assert (got.sku.name, got.kind, got.properties.access_tier, got.properties.minimum_tls_version) == \
        ("Standard_LRS", "StorageV2", "Cool", "TLS1_2")
    accounts.update(RG, "stenumcase", {"sku": {"name": "standard_grs"}, "properties": {"accessTier": "HOT"}})
    got = accounts.get_properties(RG, "stenumcase")
    assert (got.sku.name, got.properties.access_tier) == ("Standard_GRS", "Hot")
