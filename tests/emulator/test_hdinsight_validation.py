"""What HDInsight refuses at create time, and the per-location pre-flight operations, through the real SDK."""

from __future__ import annotations

from datetime import timedelta

import pytest
from azure.core.exceptions import HttpResponseError
from hdinsight_env import LOGIN_PASSWORD, RG, cluster_body, make_lake

NAME = "hdivalidation01"


def _set(body: dict, path: str, value) -> dict:
    node = body
    keys = path.split(".")
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    node[keys[-1]] = value
    return body


@pytest.mark.parametrize("change, code, words", [
    (dict(version="4.0"), "InvalidDocumentErrorCode", "retired"),
    (dict(version="5.0"), "InvalidDocumentErrorCode", "retired"),
    (dict(version="9.9"), "InvalidDocumentErrorCode", "not supported"),
    (dict(heads=1), "InvalidDocumentErrorCode", "'headnode' has targetInstanceCount 1"),
    (dict(zookeepers=2), "InvalidDocumentErrorCode", "'zookeepernode' has targetInstanceCount 2"),
    (dict(workers=0), "InvalidDocumentErrorCode", "'workernode' has targetInstanceCount 0"),
    (dict(worker_size="Standard_Z99_v9"), "InvalidDocumentErrorCode", "invalid or not supported for role"),
    (dict(password="alllowercase1!"), "InvalidDocumentErrorCode", "at least 10 characters"),
    (dict(password="Lakeadmin-77X"), "InvalidDocumentErrorCode", "3 consecutive characters"),
    (dict(password="Rx7.Tq2-Vm9w"), "InvalidDocumentErrorCode", "except (single-quote"),
    (dict(login="a"), "InvalidDocumentErrorCode", "2-20 characters"),
    (dict(ssh_user="root"), "InvalidDocumentErrorCode", "reserved"),
    (dict(ssh_user="lakeadmin"), "InvalidDocumentErrorCode", "must differ"),
    (dict(ssh_password="weak"), "InvalidDocumentErrorCode", "6-72 characters"),
    (dict(ssh_password=None), "InvalidDocumentErrorCode", "password or at least one public key"),
    (dict(autoscale={"minInstanceCount": 0, "maxInstanceCount": 3}), "InvalidDocumentErrorCode", "Autoscale"),
    (dict(location="eastus"), "BadRequest", "same region"),
])
def test_invalid_requests_are_refused(clients, change, code, words):
    lake = make_lake(clients)
    with pytest.raises(HttpResponseError) as exc:
        clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake, **change))
    assert exc.value.status_code == 400
    assert exc.value.error.code == code
    assert words in exc.value.error.message
    assert LOGIN_PASSWORD not in str(exc.value)


@pytest.mark.parametrize("path, value, code, words", [
    ("identity.userAssignedIdentities", {"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/"
                                         "grclusters/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"
                                         "nobody": {}}, "FailedIdentityOperation", "was not found"),
    ("identity.type", "SystemAssigned", "BadRequest", "user-assigned managed identity"),
    ("properties.storageProfile.storageaccounts.0.resourceId",
     "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/grclusters/providers/"
     "Microsoft.Storage/storageAccounts/stmissing", "StorageAccountNotFound", "was not found"),
    ("properties.storageProfile.storageaccounts.0.name", "stlakeclusters.blob.core.windows.net", "BadRequest",
     "DFS host"),
    ("properties.storageProfile.storageaccounts.0.msiResourceId", None, "BadRequest", "msiResourceId"),
    ("properties.clusterDefinition.kind", "storm", "InvalidDocumentErrorCode", "not supported"),
    ("properties.clusterDefinition.componentVersion", {"Spark": "2.4"}, "InvalidDocumentErrorCode", "Spark 3.3"),
])
def test_invalid_prerequisites_are_refused(clients, path, value, code, words):
    body = _set(cluster_body(make_lake(clients)), path, value)
    with pytest.raises(HttpResponseError) as exc:
        clients.hdinsight.clusters.begin_create(RG, NAME, body)
    assert (exc.value.status_code, exc.value.error.code) == (400, code)
    assert words in exc.value.error.message


def test_storage_without_hierarchical_namespace_is_refused(clients):
    lake = make_lake(clients, hns=False)
    with pytest.raises(HttpResponseError) as exc:
        clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake))
    assert "hierarchical namespace" in exc.value.error.message


@pytest.mark.parametrize("name", ["ab", "-lead", "trail-", "has_underscore", "x" * 60, "apps"])
def test_invalid_cluster_names(clients, name):
    lake = make_lake(clients)
    with pytest.raises(HttpResponseError) as exc:
        clients.hdinsight.clusters.begin_create(RG, name, cluster_body(lake))
    assert exc.value.error.code == "InvalidResourceName"
    answer = clients.hdinsight.locations.check_name_availability("brazilsouth", {"name": name, "type": "clusters"})
    assert (answer.name_available, answer.reason) == (False, "Invalid")


def _lock(clients, emulator, level="CanNotDelete"):
    clients.locks.management_locks.create_or_update_at_resource_group_level(
        RG, "keep", {"level": level, "notes": "protect the lake"})


def test_locked_group_refuses_create_and_delete(clients, emulator):
    lake = make_lake(clients)
    _lock(clients, emulator)
    with pytest.raises(HttpResponseError) as exc:
        clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake))
    assert (exc.value.status_code, exc.value.error.code) == (409, "ScopeLocked")
    clients.locks.management_locks.delete_at_resource_group_level(RG, "keep")
    clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake)).result()
    _lock(clients, emulator)
    with pytest.raises(HttpResponseError) as exc:
        clients.hdinsight.clusters.begin_delete(RG, NAME)
    assert exc.value.error.code == "ScopeLocked"
    assert clients.hdinsight.clusters.get(RG, NAME).properties.cluster_state == "Running"


def test_quota_counts_cores_of_existing_clusters(clients):
    lake = make_lake(clients)
    where = clients.hdinsight.locations
    before = where.get_capabilities("brazilsouth").quota
    clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake)).result()
    after = where.get_capabilities("brazilsouth")
    assert after.quota.cores_used == before.cores_used + 26
    region = next(q for q in after.quota.regional_quotas if q.region_name == "Brazil South")
    assert region.cores_used == 26 and region.cores_available >= 26
    assert [v.friendly_name for v in after.versions["paas"].available] == ["5.1"]
    usage = list(where.list_usages("brazilsouth").value)[0]
    assert (usage.name.value, usage.current_value) == ("cores", 26)
    with pytest.raises(HttpResponseError) as exc:
        clients.hdinsight.clusters.begin_create(RG, "hdihuge01", cluster_body(lake, workers=16,
                                                                              worker_size="Standard_E64_v3"))
    assert exc.value.error.code == "QuotaExceeded"


def test_validate_lists_every_problem(clients):
    lake = make_lake(clients)
    body = {**cluster_body(lake, version="4.0", heads=1), "name": NAME, "type": "Microsoft.HDInsight/clusters",
            "tenantId": "00000000-0000-0000-0000-000000000000"}
    result = clients.hdinsight.locations.validate_cluster_create_request("brazilsouth", body)
    messages = " | ".join(e.message for e in result.validation_errors)
    assert "retired" in messages and "'headnode' has targetInstanceCount 1" in messages
    assert result.estimated_creation_duration == timedelta(minutes=20)


def test_validate_warns_when_the_data_role_is_not_effective(clients):
    lake = make_lake(clients, role=None)
    body = {**cluster_body(lake, workers=2), "name": NAME, "type": "Microsoft.HDInsight/clusters"}
    result = clients.hdinsight.locations.validate_cluster_create_request("brazilsouth", body)
    assert result.validation_errors == []
    assert {w.code for w in result.validation_warnings} == {"StorageAccessNotEffective", "WorkerNodeCountLow"}


def test_billing_specs_list_vm_sizes_with_cores(clients):
    specs = clients.hdinsight.locations.list_billing_specs("brazilsouth")
    cores = {p.name: p.cores for p in specs.vm_size_properties}
    assert cores["Standard_E4_v3"] == 4 and cores["Standard_A2_v2"] == 2
    assert "Standard_E2a_v4" in specs.vm_sizes


def test_billing_specs_exclude_sizes_zookeeper_nodes_may_not_use(clients):
    """The sizes create refuses for ZooKeeper (rules.ZOOKEEPER_SIZES) are excluded for that node type only."""
    specs = clients.hdinsight.locations.list_billing_specs("brazilsouth")
    [only] = specs.vm_size_filters
    assert only.filter_mode == "Exclude" and only.node_types == ["ZookeeperNode"]
    assert "Standard_E8_v3" in only.vm_sizes and "Standard_A2_v2" not in only.vm_sizes
    assert clients.hdinsight.locations.list_billing_specs("antarctica").vm_sizes == []
