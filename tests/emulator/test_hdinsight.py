"""HDInsight clusters through the real HDInsightManagementClient: lifecycle, states over time, operations."""

from __future__ import annotations

import json

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from hdinsight_env import LOGIN_PASSWORD, RG, SSH_PASSWORD, cluster_body, make_lake

from azlake.emulator.hdinsight.models import cluster_gateway

NAME = "hdilakedev01"


def raw_get(clients, name=NAME, group=RG):
    from azure.core.rest import HttpRequest
    url = (f"{clients.arm_endpoint}/subscriptions/{clients.target.subscription}/resourceGroups/{group}"
           f"/providers/Microsoft.HDInsight/clusters/{name}?api-version=2021-06-01")
    return clients.hdinsight._client.send_request(HttpRequest("GET", url))


def test_create_polls_to_running_and_get_hides_passwords(any_clients):
    lake = make_lake(any_clients)
    cluster = any_clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake)).result()
    props = cluster.properties
    assert (props.provisioning_state, props.cluster_state) == ("Succeeded", "Running")
    assert props.cluster_version.startswith("5.1.")
    assert props.cluster_definition.component_version == {"Spark": "3.3"}
    assert {(e.name, e.location, e.port) for e in props.connectivity_endpoints} == {
        ("HTTPS", f"{NAME}.azurehdinsight.net", 443), ("SSH", f"{NAME}-ssh.azurehdinsight.net", 22)}
    assert props.quota_info.cores_used == 2 * 4 + 3 * 4 + 3 * 2
    assert props.storage_profile.storageaccounts[0].resource_id == lake.account_id
    assert cluster.identity.user_assigned_identities[lake.identity_id].principal_id == lake.principal_id
    text = raw_get(any_clients).text()
    assert LOGIN_PASSWORD not in text and SSH_PASSWORD not in text
    assert json.loads(text)["properties"]["computeProfile"]["roles"][0]["osProfile"] == {
        "linuxOperatingSystemProfile": {"username": "lakessh"}}


def test_create_answers_with_async_operation_and_location_headers(clients, emulator):
    lake = make_lake(clients)
    emulator.configure(time_scale=1.0)  # hold the creation at its start
    poller = clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake), polling=False)
    initial = poller.polling_method()._initial_response.http_response
    assert initial.status_code == 200
    assert initial.headers["Azure-AsyncOperation"].split("?")[0].endswith(
        f"/clusters/{NAME}/azureasyncoperations/create")
    assert "/operationresults/create" in initial.headers["Location"]
    assert initial.json()["properties"]["provisioningState"] == "InProgress"


def test_states_follow_the_clock(clients, emulator):
    lake = make_lake(clients)
    emulator.configure(time_scale=1.0)
    clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake), polling=False)
    seen = []
    for step in (0, 120, 700, 500):
        emulator.advance(step)
        props = clients.hdinsight.clusters.get(RG, NAME).properties
        seen.append((props.provisioning_state, props.cluster_state))
    assert seen == [("InProgress", "Accepted"), ("InProgress", "AzureVMConfiguration"),
                    ("InProgress", "HdInsightConfiguration"), ("Succeeded", "Running")]


@pytest.mark.parametrize("role_at", ["account", "group"])
def test_blob_data_owner_at_account_or_parent_scope_is_enough(clients, role_at):
    lake = make_lake(clients, role_at=role_at)
    cluster = clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake)).result()
    assert cluster.properties.cluster_state == "Running"


@pytest.mark.parametrize("role", [None, "ba92f5b4-2d11-453d-a403-e96b0029c9fe"])
def test_without_blob_data_owner_the_creation_is_accepted_then_fails(clients, role):
    lake = make_lake(clients, role=role)
    poller = clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake))
    with pytest.raises(HttpResponseError) as exc:
        poller.result()
    assert "AmbariClusterCreationFailedErrorCode" in str(exc.value)
    props = clients.hdinsight.clusters.get(RG, NAME).properties
    assert (props.provisioning_state, props.cluster_state) == ("Failed", "Error")
    assert props.errors[0].code == "AmbariClusterCreationFailedErrorCode"


def test_a_role_effective_before_hdinsight_reaches_its_storage_is_enough(clients, emulator):
    # HDInsight reads its storage after the VMs exist (~11 nominal minutes in), not when asked to create
    emulator.configure(role_propagation_seconds=600)
    lake = make_lake(clients)
    cluster = clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake)).result()
    assert cluster.properties.cluster_state == "Running"


def test_a_role_still_propagating_fails_the_creation_and_works_once_effective(clients, emulator):
    emulator.configure(role_propagation_seconds=900)
    lake = make_lake(clients)
    with pytest.raises(HttpResponseError) as exc:
        clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake)).result()
    assert "AmbariClusterCreationFailedErrorCode" in str(exc.value)
    clients.hdinsight.clusters.begin_delete(RG, NAME).result()
    emulator.advance(900)
    cluster = clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake)).result()
    assert cluster.properties.cluster_state == "Running"


def test_injected_lro_failure_ends_the_cluster_failed(clients, emulator):
    lake = make_lake(clients)
    emulator.add_fault(kind="lro_fail", method="PUT", path="/clusters/", code="InternalServerError")
    with pytest.raises(HttpResponseError):
        clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake)).result()
    assert clients.hdinsight.clusters.get(RG, NAME).properties.provisioning_state == "Failed"


def test_cluster_names_are_global(clients, emulator):
    from azlake.azure.clients import Clients
    lake = make_lake(clients)
    clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake)).result()
    other = Clients.for_emulator(emulator, subscription="22222222-0000-0000-0000-000000000000")
    other_lake = make_lake(other, account="stlakeother")
    with pytest.raises(HttpResponseError) as exc:
        other.hdinsight.clusters.begin_create(RG, NAME, cluster_body(other_lake))
    assert exc.value.status_code == 409 and "already in use" in exc.value.error.message
    answer = other.hdinsight.locations.check_name_availability("brazilsouth", {"name": NAME, "type": "clusters"})
    assert (answer.name_available, answer.reason) == (False, "AlreadyExists")


def test_second_put_on_the_same_cluster_is_refused(clients):
    lake = make_lake(clients)
    clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake)).result()
    with pytest.raises(HttpResponseError) as exc:
        clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake))
    assert exc.value.status_code == 409 and "cannot be changed by PUT" in exc.value.error.message


def test_resize_changes_workers_and_cores(any_clients):
    lake = make_lake(any_clients)
    hdi = any_clients.hdinsight.clusters
    hdi.begin_create(RG, NAME, cluster_body(lake)).result()
    hdi.begin_resize(RG, NAME, "workernode", {"targetInstanceCount": 5}).result()
    props = hdi.get(RG, NAME).properties
    worker = next(r for r in props.compute_profile.roles if r.name == "workernode")
    assert worker.target_instance_count == 5
    assert props.quota_info.cores_used == 2 * 4 + 5 * 4 + 3 * 2
    with pytest.raises(HttpResponseError) as exc:
        hdi.begin_resize(RG, NAME, "headnode", {"targetInstanceCount": 3})
    assert exc.value.status_code == 400


def test_operations_wait_for_the_creation(clients, emulator):
    lake = make_lake(clients)
    emulator.configure(time_scale=1.0)
    clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake), polling=False)
    with pytest.raises(HttpResponseError) as exc:
        clients.hdinsight.clusters.begin_resize(RG, NAME, "workernode", {"targetInstanceCount": 4})
    assert exc.value.status_code == 409 and "Accepted" in exc.value.error.message


def test_autoscale_is_set_and_removed(clients):
    lake = make_lake(clients)
    hdi = clients.hdinsight.clusters
    hdi.begin_create(RG, NAME, cluster_body(lake)).result()
    hdi.begin_update_auto_scale_configuration(
        RG, NAME, "workernode", {"autoscale": {"capacity": {"minInstanceCount": 3, "maxInstanceCount": 8}}}).result()
    worker = next(r for r in hdi.get(RG, NAME).properties.compute_profile.roles if r.name == "workernode")
    assert (worker.autoscale_configuration.capacity.min_instance_count,
            worker.autoscale_configuration.capacity.max_instance_count) == (3, 8)
    hdi.begin_update_auto_scale_configuration(RG, NAME, "workernode", {"autoscale": None}).result()
    worker = next(r for r in hdi.get(RG, NAME).properties.compute_profile.roles if r.name == "workernode")
    assert worker.autoscale_configuration is None
    with pytest.raises(HttpResponseError) as exc:
        hdi.begin_update_auto_scale_configuration(
            RG, NAME, "workernode", {"autoscale": {"capacity": {"minInstanceCount": 5, "maxInstanceCount": 2}}})
    assert exc.value.error.code == "InvalidDocumentErrorCode"


def test_gateway_settings_read_and_rotate(clients, emulator):
    lake = make_lake(clients)
    hdi = clients.hdinsight.clusters
    hdi.begin_create(RG, NAME, cluster_body(lake)).result()
    settings = hdi.get_gateway_settings(RG, NAME)
    assert (settings.user_name, settings.password) == ("lakeadmin", LOGIN_PASSWORD)
    new_password = LOGIN_PASSWORD[::-1]
    hdi.begin_update_gateway_settings(RG, NAME, {"restAuthCredential.isEnabled": True,
                                                 "restAuthCredential.username": "lakeowner",
                                                 "restAuthCredential.password": new_password}).result()
    assert hdi.get_gateway_settings(RG, NAME).password == new_password
    with emulator.store.tx() as tx:
        gateway = cluster_gateway(tx, emulator.clock, NAME)
    assert gateway.running and gateway.check_basic_auth("lakeowner", new_password)
    assert not gateway.check_basic_auth("lakeadmin", LOGIN_PASSWORD)
    assert gateway.storage_account_id == lake.account_id and gateway.file_system == "cluster"
    assert gateway.identity_principal_id == lake.principal_id
    with pytest.raises(HttpResponseError) as exc:
        hdi.begin_update_gateway_settings(RG, NAME, {"restAuthCredential.username": "lakeowner",
                                                     "restAuthCredential.password": "short"})
    assert exc.value.error.code == "InvalidDocumentErrorCode"


def test_failed_gateway_update_keeps_the_old_credential(clients, emulator):
    lake = make_lake(clients)
    hdi = clients.hdinsight.clusters
    hdi.begin_create(RG, NAME, cluster_body(lake)).result()
    emulator.add_fault(kind="lro_fail", method="POST", path="updateGatewaySettings")
    with pytest.raises(HttpResponseError):
        hdi.begin_update_gateway_settings(RG, NAME, {"restAuthCredential.username": "lakeowner",
                                                     "restAuthCredential.password": LOGIN_PASSWORD[::-1]}).result()
    assert hdi.get_gateway_settings(RG, NAME).user_name == "lakeadmin"


def test_tags_list_and_delete(any_clients):
    lake = make_lake(any_clients)
    hdi = any_clients.hdinsight.clusters
    hdi.begin_create(RG, NAME, cluster_body(lake)).result()
    assert hdi.update(RG, NAME, {"tags": {"env": "dev"}}).tags == {"env": "dev"}
    assert [c.name for c in hdi.list_by_resource_group(RG)] == [NAME]
    assert [c.name for c in hdi.list()] == [NAME]
    hdi.begin_delete(RG, NAME).result()
    with pytest.raises(ResourceNotFoundError):
        hdi.get(RG, NAME)
    assert any_clients.hdinsight.locations.check_name_availability(
        "brazilsouth", {"name": NAME, "type": "clusters"}).name_available


def test_gateway_lookup_of_an_unknown_cluster_is_none(emulator):
    with emulator.store.tx() as tx:
        assert cluster_gateway(tx, emulator.clock, "nosuchcluster") is None


def test_missing_cluster_answers_resource_not_found(clients):
    make_lake(clients)
    with pytest.raises(ResourceNotFoundError) as exc:
        clients.hdinsight.clusters.get(RG, "nosuchcluster")
    assert exc.value.error.code == "ResourceNotFound"


def test_throttled_and_failing_status_polls_are_retried(clients, emulator):
    lake = make_lake(clients)
    emulator.add_fault(kind="status", status=429, count=2, method="PUT", path="/clusters/", retry_after=0)
    emulator.add_fault(kind="status", status=503, count=1, method="GET", path="azureasyncoperations", retry_after=0)
    cluster = clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake)).result()
    assert cluster.properties.cluster_state == "Running"
    codes = [r["status"] for r in emulator.request_log() if "/clusters/" in r["url"]]
    assert codes[:3] == [429, 429, 200] and 503 in codes


def test_deleting_the_group_frees_the_cluster_name(clients):
    lake = make_lake(clients)
    clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake)).result()
    clients.resources.resource_groups.begin_delete(RG).result()
    answer = clients.hdinsight.locations.check_name_availability("brazilsouth", {"name": NAME, "type": "clusters"})
    assert answer.name_available is True


def test_a_failed_delete_keeps_the_cluster(clients, emulator):
    lake = make_lake(clients)
    clients.hdinsight.clusters.begin_create(RG, NAME, cluster_body(lake)).result()
    emulator.add_fault(kind="lro_fail", method="DELETE", path="/clusters/")
    with pytest.raises(HttpResponseError):
        clients.hdinsight.clusters.begin_delete(RG, NAME).result()
    assert clients.hdinsight.clusters.get(RG, NAME).properties.cluster_state == "Running"
