"""HDInsight against the official 2021-06-01 examples and swagger (azure-specs/hdinsight).

Requests go through the HDInsightManagementClient. The create examples use versions and storage keys that
Azure no longer accepts (3.6, account keys), so the replayed create keeps the example's structure and
swaps in what a valid request needs today: version 5.1 Spark, the identity, the ADLS account's resource
ids, real VM size names and passwords that pass the rules. Everything is then compared with the
example's response and the swagger definitions.
"""

from __future__ import annotations

import copy

import pytest
from emulator.hdinsight_env import BLOB_DATA_OWNER, LOGIN_PASSWORD, SSH_PASSWORD, assign

from conformance.replay import send, shape_differences
from conformance.swagger import SPECS, Spec

ROOT = SPECS / "hdinsight/resource-manager/Microsoft.HDInsight/stable/2021-06-01"
CLUSTERS = Spec.load(ROOT / "cluster.json")
LOCATIONS = Spec.load(ROOT / "locations.json")
API = "2021-06-01"
# Example keys the emulator does not produce, and why (docs/emulator.md, "HDInsight"):
NOT_MODELLED = {
    "$.properties.clusterDefinition.componentVersion.Hadoop: missing",  # replayed as Spark 5.1, not Hadoop
}


class Recorder:
    """raw_response_hook that keeps every HTTP response of an SDK call (the first is the initial answer)."""

    def __init__(self) -> None:
        self.responses = []

    def __call__(self, pipeline_response) -> None:
        self.responses.append(pipeline_response.http_response)

    @property
    def first(self):
        return self.responses[0]


def lake(clients, group: str, account: str, location: str = "eastus") -> tuple[str, str]:
    clients.resources.resource_groups.create_or_update(group, {"location": location})
    acc = clients.storage.storage_accounts.begin_create(group, account, {
        "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": location,
        "properties": {"isHnsEnabled": True}}).result()
    ident = clients.msi.user_assigned_identities.create_or_update(group, "idconformance", {"location": location})
    assign(clients, acc.id, ident.principal_id, BLOB_DATA_OWNER)
    return acc.id, ident.id


def valid_today(request: dict, account_id: str, identity_id: str) -> dict:
    body = copy.deepcopy(request)
    props = body["properties"]
    props["clusterVersion"] = "5.1"
    props["clusterDefinition"].update(kind="Spark", componentVersion={"Spark": "3.3"})
    gateway = props["clusterDefinition"]["configurations"]["gateway"]
    gateway.update({"restAuthCredential.username": "lakeadmin", "restAuthCredential.password": LOGIN_PASSWORD})
    account = props["storageProfile"]["storageaccounts"][0]
    account.pop("key", None)
    account.update(resourceId=account_id, msiResourceId=identity_id)
    for role in props["computeProfile"]["roles"]:
        role["hardwareProfile"]["vmSize"] = "Standard_A2_v2" if role["name"] == "zookeepernode" else "Standard_D3_V2"
        role["osProfile"]["linuxOperatingSystemProfile"]["password"] = SSH_PASSWORD
    body["identity"] = {"type": "UserAssigned", "userAssignedIdentities": {identity_id: {}}}
    return body


def replay_create(clients):
    example = CLUSTERS.example("Clusters_Create", "Create Hadoop cluster with Azure Data Lake Storage Gen 2")
    p = example["parameters"]
    account_id, identity_id = lake(clients, p["resourceGroupName"], "mystorage")
    record = Recorder()
    poller = clients.hdinsight.clusters.begin_create(p["resourceGroupName"], p["clusterName"],
                                                     valid_today(p["parameters"], account_id, identity_id),
                                                     raw_response_hook=record)
    return example, record, poller


def test_create_example(any_clients):
    example, record, poller = replay_create(any_clients)
    cluster = poller.result()
    assert str(record.first.status_code) in example["responses"]
    # the example's status URL (.../clusters/cluster1/azureasyncoperations/create) is ours, past the subscription
    tail = example["responses"]["200"]["headers"]["location"].split("/resourceGroups/", 1)[1]
    assert record.first.headers["Azure-AsyncOperation"].split("/resourceGroups/", 1)[1] == tail
    assert CLUSTERS.check_response("Clusters_Create", 200, record.first.json()) == []
    final = record.responses[-1].json()
    assert CLUSTERS.check_response("Clusters_Create", 200, final) == []
    assert set(shape_differences(example["responses"]["200"]["body"], final)) <= NOT_MODELLED
    assert cluster.properties.cluster_state == "Running"


def test_get_example(clients):
    replay_create(clients)[2].result()
    example = CLUSTERS.example("Clusters_Get")
    p = example["parameters"]
    record = Recorder()
    clients.hdinsight.clusters.get(p["resourceGroupName"], p["clusterName"], raw_response_hook=record)
    body = record.first.json()
    assert record.first.status_code == 200
    assert CLUSTERS.check_response("Clusters_Get", 200, body) == []
    assert set(shape_differences(example["responses"]["200"]["body"], body)) <= NOT_MODELLED


@pytest.mark.parametrize("operation, example_name, call", [
    ("Clusters_Resize", None,
     lambda hdi, p, **kw: hdi.begin_resize(p["resourceGroupName"], p["clusterName"], p["roleName"],
                                           p["parameters"], **kw)),
    ("Clusters_UpdateAutoScaleConfiguration", "Enable or Update Autoscale with the load based configuration for "
     "HDInsight cluster",
     lambda hdi, p, **kw: hdi.begin_update_auto_scale_configuration(p["resourceGroupName"], p["clusterName"],
                                                                    p["roleName"], p["parameters"], **kw)),
    ("Clusters_UpdateAutoScaleConfiguration", "Disable Autoscale for the HDInsight cluster",
     lambda hdi, p, **kw: hdi.begin_update_auto_scale_configuration(p["resourceGroupName"], p["clusterName"],
                                                                    p["roleName"], p["parameters"], **kw)),
    ("Clusters_UpdateGatewaySettings", None,
     lambda hdi, p, **kw: hdi.begin_update_gateway_settings(
         p["resourceGroupName"], p["clusterName"],
         {**p["parameters"], "restAuthCredential.password": LOGIN_PASSWORD[::-1]}, **kw)),
    ("Clusters_Delete", None,
     lambda hdi, p, **kw: hdi.begin_delete(p["resourceGroupName"], p["clusterName"], **kw)),
])
def test_long_running_action_examples(clients, operation, example_name, call):
    replay_create(clients)[2].result()
    example = CLUSTERS.example(operation, example_name)
    record = Recorder()
    call(clients.hdinsight.clusters, example["parameters"], raw_response_hook=record).result()
    first = record.first
    assert str(first.status_code) in example["responses"] and first.status_code == 202
    assert "location" in {k.lower() for k in first.headers}
    assert CLUSTERS.check_response(operation, first.status_code, None) == []
    status = send(clients, "GET", first.headers["Azure-AsyncOperation"].split("?")[0].split(
        clients.arm_endpoint, 1)[1], API)
    assert CLUSTERS.check_response("Clusters_GetAzureAsyncOperationStatus", 200, status.json()) == []
    assert status.json()["status"] == "Succeeded"


def test_get_gateway_settings_example(clients):
    replay_create(clients)[2].result()
    example = CLUSTERS.example("Clusters_GetGatewaySettings")
    p = example["parameters"]
    record = Recorder()
    clients.hdinsight.clusters.get_gateway_settings(p["resourceGroupName"], p["clusterName"],
                                                    raw_response_hook=record)
    assert record.first.status_code == 200
    assert CLUSTERS.check_response("Clusters_GetGatewaySettings", 200, record.first.json()) == []
    assert shape_differences(example["responses"]["200"]["body"], record.first.json()) == []


def test_gateway_settings_examples_rotate_the_credential(clients):
    """UpdateGatewaySettings_Enable, then GetGatewaySettings: the new credential, and only it, opens the gateway."""
    replay_create(clients)[2].result()
    update = CLUSTERS.example("Clusters_UpdateGatewaySettings")
    p, new_password = update["parameters"], LOGIN_PASSWORD[::-1]  # the example's password is masked
    clients.hdinsight.clusters.begin_update_gateway_settings(
        p["resourceGroupName"], p["clusterName"], {**p["parameters"], "restAuthCredential.password": new_password}
    ).result()
    record = Recorder()
    settings = clients.hdinsight.clusters.get_gateway_settings(p["resourceGroupName"], p["clusterName"],
                                                               raw_response_hook=record)
    body, example = record.first.json(), CLUSTERS.example("Clusters_GetGatewaySettings")["responses"]["200"]["body"]
    assert set(body) == set(example) and body["restAuthCredential.isEnabled"] == "true"
    assert body["restAuthCredential.username"] == example["restAuthCredential.username"] == "hadoop"
    assert settings.password == new_password
    session = clients.http_session()
    livy = clients.gateway_url(p["clusterName"]) + "/livy/batches"
    assert session.get(livy, auth=("lakeadmin", LOGIN_PASSWORD), timeout=30).status_code == 401
    assert session.get(livy, auth=("hadoop", LOGIN_PASSWORD), timeout=30).status_code == 401
    assert session.get(livy, auth=("hadoop", new_password), timeout=30).status_code == 200


def test_capabilities_example(clients):
    example = LOCATIONS.example("Locations_GetCapabilities")
    record = Recorder()
    clients.hdinsight.locations.get_capabilities(example["parameters"]["location"], raw_response_hook=record)
    body = record.first.json()
    assert LOCATIONS.check_response("Locations_GetCapabilities", 200, body) == []
    declared = LOCATIONS.doc["definitions"]["CapabilitiesResult"]["properties"]
    example_body = {k: v for k, v in example["responses"]["200"]["body"].items() if k in declared}
    # the example's quota uses snake_case keys the swagger does not declare; compare the declared part
    example_body["quota"] = {"coresUsed": 0, "maxCoresAllowed": 0, "regionalQuotas": [
        {"regionName": "x", "coresUsed": 0, "coresAvailable": 0}]}
    # componentVersions is a free map whose keys depend on the version (the example lists 2015's HDP builds)
    assert [d for d in shape_differences(example_body, body) if ".componentVersions." not in d] == []


def test_validate_example(clients):
    example = LOCATIONS.example("Locations_ValidateClusterCreateRequest")
    p = example["parameters"]
    record = Recorder()
    clients.hdinsight.locations.validate_cluster_create_request(p["location"], p["parameters"],
                                                                raw_response_hook=record)
    body = record.first.json()
    assert record.first.status_code == 200
    assert LOCATIONS.check_response("Locations_ValidateClusterCreateRequest", 200, body) == []
    assert shape_differences(example["responses"]["200"]["body"], body) == []
    assert body["estimatedCreationDuration"] == "PT20M"
    assert any("retired" in e["message"] for e in body["validationErrors"])  # the example asks for 4.0


@pytest.mark.parametrize("operation, call", [
    ("Locations_ListUsages", lambda w, **kw: w.list_usages("eastus", **kw)),
    ("Locations_ListBillingSpecs", lambda w, **kw: w.list_billing_specs("eastus", **kw)),
    ("Locations_CheckNameAvailability",
     lambda w, **kw: w.check_name_availability("eastus", {"name": "cluster1", "type": "clusters"}, **kw)),
])
def test_location_operations_match_the_swagger(clients, operation, call):
    record = Recorder()
    call(clients.hdinsight.locations, raw_response_hook=record)
    assert record.first.status_code == 200
    assert LOCATIONS.check_response(operation, 200, record.first.json()) == []


def test_async_operation_status_example(clients):
    example, record, poller = replay_create(clients)
    poller.result()
    url = record.first.headers["Azure-AsyncOperation"]
    op_id = send(clients, "GET", url.split(clients.arm_endpoint, 1)[1].split("?")[0], API).json()["id"]
    location_example = LOCATIONS.example("Locations_GetAzureAsyncOperationStatus")
    body = clients.hdinsight.locations.get_azure_async_operation_status("eastus", op_id)
    assert body.status == "Succeeded"
    raw = send(clients, "GET", f"/subscriptions/{clients.target.subscription}/providers/Microsoft.HDInsight/"
               f"locations/eastus/azureasyncoperations/{op_id}", API).json()
    assert shape_differences(location_example["responses"]["200"]["body"], raw) == []
    assert LOCATIONS.check_response("Locations_GetAzureAsyncOperationStatus", 200, raw) == []
