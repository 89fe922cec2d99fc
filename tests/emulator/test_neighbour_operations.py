"""Operations a user of these resources calls beside azlake's: keys, deleted containers, hosts, configurations,
Event Hubs shared access rules. Each through the real SDK client, in-process and over HTTPS."""

from __future__ import annotations

import base64

import pytest
from azure.core.exceptions import HttpResponseError
from emulator.datalake_env import ACCOUNT, RG, make_lake
from emulator.hdinsight_env import LOGIN_PASSWORD, cluster_body
from emulator.hdinsight_env import make_lake as make_cluster_lake


# --- storage account keys --------------------------------------------------------------------------
def test_storage_keys_list_and_regenerate(any_clients, emulator):
    make_lake(any_clients)
    accounts = any_clients.storage.storage_accounts
    before = {k.key_name: k for k in accounts.list_keys(RG, ACCOUNT)["keys"]}
    assert set(before) == {"key1", "key2"}
    assert all(len(base64.b64decode(k.value)) == 64 and k.permissions.lower() == "full" for k in before.values())
    assert {k.key_name: k.value for k in accounts.list_keys(RG, ACCOUNT)["keys"]} == \
        {n: k.value for n, k in before.items()}  # stable until regenerated
    after = {k.key_name: k for k in accounts.regenerate_key(RG, ACCOUNT, {"keyName": "key2"})["keys"]}
    assert after["key1"].value == before["key1"].value and after["key2"].value != before["key2"].value
    props = accounts.get_properties(RG, ACCOUNT)
    assert props.key_creation_time.key2 >= props.key_creation_time.key1
    # secrets: in no request log line, nor in the account's ARM document
    log = repr(emulator.request_log())
    assert after["key2"].value not in log and before["key1"].value not in log
    assert after["key1"].value not in repr(props.as_dict())


def test_storage_key_name_must_be_key1_or_key2(clients):
    make_lake(clients)
    with pytest.raises(HttpResponseError) as exc:
        clients.storage.storage_accounts.regenerate_key(RG, ACCOUNT, {"keyName": "key3"})
    assert exc.value.status_code == 400 and "keyName" in exc.value.error.message


def test_read_only_lock_refuses_list_keys(clients):
    make_lake(clients)
    clients.locks.management_locks.create_or_update_at_resource_group_level(RG, "frozen", {"level": "ReadOnly"})
    with pytest.raises(HttpResponseError) as exc:
        clients.storage.storage_accounts.list_keys(RG, ACCOUNT)
    assert (exc.value.status_code, exc.value.error.code) == (409, "ScopeLocked")


# --- ARM container list with deleted containers ----------------------------------------------------
def test_container_list_includes_deleted_on_request(any_clients):
    make_lake(any_clients)
    any_clients.storage.blob_services.set_service_properties(RG, ACCOUNT, {"properties": {
        "containerDeleteRetentionPolicy": {"enabled": True, "days": 7}}})
    containers = any_clients.storage.blob_containers
    containers.create(RG, ACCOUNT, "landing", {})
    containers.create(RG, ACCOUNT, "curated", {"properties": {"defaultEncryptionScope": "scope1",
                                                               "denyEncryptionScopeOverride": True}})
    containers.delete(RG, ACCOUNT, "landing")
    assert [c.name for c in containers.list(RG, ACCOUNT)] == ["curated"]
    listed = {c.name: c for c in containers.list(RG, ACCOUNT, include="deleted")}
    assert set(listed) == {"curated", "landing"}
    gone = listed["landing"]
    assert gone.deleted and gone.version and gone.deleted_time and 0 < gone.remaining_retention_days <= 7
    assert not listed["curated"].deleted
    assert (listed["curated"].default_encryption_scope, listed["curated"].deny_encryption_scope_override) == \
        ("scope1", True)  # settings the data plane does not use are stored, not dropped


# --- HDInsight hosts and configurations ------------------------------------------------------------
@pytest.fixture
def cluster(any_clients):
    lake = make_cluster_lake(any_clients)
    body = cluster_body(lake)
    body["properties"]["clusterDefinition"]["configurations"]["core-site"] = {"fs.trash.interval": "60"}
    any_clients.hdinsight.clusters.begin_create("grclusters", "sparkops", body).result()
    return any_clients


def test_restart_hosts_and_list_hosts(cluster):
    hosts = cluster.hdinsight.virtual_machines.list_hosts("grclusters", "sparkops")
    assert sorted(h.name for h in hosts)[:2] == ["hn0-sparkops", "hn1-sparkops"]
    assert len(hosts) == 2 + 3 + 3 and all(h.fqdn.startswith(h.name + ".") for h in hosts)
    cluster.hdinsight.virtual_machines.begin_restart_hosts("grclusters", "sparkops", ["wn0-sparkops"]).result()
    got = cluster.hdinsight.clusters.get("grclusters", "sparkops")
    assert (got.properties.cluster_state, got.properties.provisioning_state) == ("Running", "Succeeded")


def test_restart_hosts_needs_a_host_list(cluster):
    with pytest.raises(HttpResponseError) as exc:
        cluster.hdinsight.virtual_machines.begin_restart_hosts("grclusters", "sparkops", []).result()
    assert exc.value.status_code == 400


def test_configurations_list_get_and_update(cluster):
    configs = cluster.hdinsight.configurations
    listed = configs.list("grclusters", "sparkops").configurations
    assert listed["core-site"] == {"fs.trash.interval": "60"}
    assert listed["gateway"]["restAuthCredential.username"] == "lakeadmin"
    assert configs.get("grclusters", "sparkops", "core-site") == {"fs.trash.interval": "60"}
    new_password = LOGIN_PASSWORD + "x"
    configs.begin_update("grclusters", "sparkops", "gateway", {
        "restAuthCredential.isEnabled": "true", "restAuthCredential.username": "lakeadmin",
        "restAuthCredential.password": new_password}).result()
    settings = cluster.hdinsight.clusters.get_gateway_settings("grclusters", "sparkops")
    assert settings.password == new_password
    with pytest.raises(HttpResponseError) as exc:
        configs.begin_update("grclusters", "sparkops", "core-site", {"fs.trash.interval": "0"}).result()
    assert exc.value.status_code == 400
    with pytest.raises(HttpResponseError) as exc:
        configs.get("grclusters", "sparkops", "hive-site")
    assert exc.value.status_code == 404


# --- Event Hubs shared access rules ----------------------------------------------------------------
@pytest.fixture
def namespace(any_clients):
    any_clients.resources.resource_groups.create_or_update("grhubs", {"location": "westeurope"})
    any_clients.eventhub.namespaces.begin_create_or_update("grhubs", "nsrulestest", {
        "location": "westeurope", "sku": {"name": "Standard", "capacity": 1}}).result()
    return any_clients


def test_namespace_comes_with_the_root_rule(namespace):
    rules = list(namespace.eventhub.namespaces.list_authorization_rules("grhubs", "nsrulestest"))
    assert [(r.name, sorted(r.rights)) for r in rules] == [("RootManageSharedAccessKey", ["Listen", "Manage", "Send"])]


def test_authorization_rule_crud_keys_and_regeneration(namespace, emulator):
    ns = namespace.eventhub.namespaces
    rule = ns.create_or_update_authorization_rule("grhubs", "nsrulestest", "sender", {"properties": {"rights": ["Send"]}})
    assert (rule.name, rule.rights) == ("sender", ["Send"])
    assert ns.get_authorization_rule("grhubs", "nsrulestest", "sender").rights == ["Send"]
    keys = ns.list_keys("grhubs", "nsrulestest", "sender")
    assert keys.key_name == "sender" and len(base64.b64decode(keys.primary_key)) == 32
    assert keys.primary_connection_string == ("Endpoint=sb://nsrulestest.servicebus.windows.net/;"
                                              f"SharedAccessKeyName=sender;SharedAccessKey={keys.primary_key}")
    again = ns.regenerate_keys("grhubs", "nsrulestest", "sender", {"keyType": "SecondaryKey"})
    assert again.primary_key == keys.primary_key and again.secondary_key != keys.secondary_key
    assert keys.primary_key not in repr(emulator.request_log())
    ns.delete_authorization_rule("grhubs", "nsrulestest", "sender")
    with pytest.raises(HttpResponseError) as exc:
        ns.list_keys("grhubs", "nsrulestest", "sender")
    assert exc.value.status_code == 404


def test_manage_right_needs_listen_and_send(namespace):
    with pytest.raises(HttpResponseError) as exc:
        namespace.eventhub.namespaces.create_or_update_authorization_rule(
            "grhubs", "nsrulestest", "admin", {"properties": {"rights": ["Manage"]}})
    assert exc.value.status_code == 400


def test_event_hub_rules_carry_the_entity_path(namespace):
    namespace.eventhub.event_hubs.create_or_update("grhubs", "nsrulestest", "ventas", {"properties": {"partitionCount": 2}})
    namespace.eventhub.event_hubs.create_or_update_authorization_rule(
        "grhubs", "nsrulestest", "ventas", "reader", {"properties": {"rights": ["Listen"]}})
    keys = namespace.eventhub.event_hubs.list_keys("grhubs", "nsrulestest", "ventas", "reader")
    assert keys.primary_connection_string.endswith(";EntityPath=ventas")
    assert [r.name for r in namespace.eventhub.namespaces.list_authorization_rules("grhubs", "nsrulestest")] == \
        ["RootManageSharedAccessKey"]
