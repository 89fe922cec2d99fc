"""Event Hubs against the official 2026-01-01 examples and swagger (azure-specs/eventhub), through the SDK."""

from __future__ import annotations

import pytest

from conformance.replay import send, shape_differences
from conformance.swagger import SPECS, Spec

SPEC = Spec.load(SPECS / "eventhub/resource-manager/Microsoft.EventHub/Eventhub/stable/2026-01-01/openapi.json")
API = "2026-01-01"
# Example keys absent here because these tests make their namespace without those settings (the generic
# replay in test_examples.py makes it with them and checks they are stored and answered).
NOT_MODELLED = {
    "$.identity: missing", "$.properties.clusterArmId: missing", "$.properties.encryption: missing",
    "$.properties.geoDataReplication: missing", "$.properties.platformCapabilities: missing",
}


class Recorder:
    """raw_response_hook keeping every HTTP response of an SDK call."""

    def __init__(self) -> None:
        self.responses = []

    def __call__(self, pipeline_response) -> None:
        self.responses.append(pipeline_response.http_response)


def _group(clients, name: str) -> None:
    clients.resources.resource_groups.create_or_update(name, {"location": "eastus"})


def _namespace(clients, group: str, name: str) -> None:
    _group(clients, group)
    clients.eventhub.namespaces.begin_create_or_update(
        group, name, {"location": "eastus", "sku": {"name": "Standard", "capacity": 1}}).result()


def test_namespace_create_example(any_clients):
    example = SPEC.example("Namespaces_CreateOrUpdate")
    p = example["parameters"]
    _group(any_clients, p["resourceGroupName"])
    record = Recorder()
    ns = any_clients.eventhub.namespaces.begin_create_or_update(
        p["resourceGroupName"], p["namespaceName"], p["parameters"], raw_response_hook=record).result()
    first, final = record.responses[0], record.responses[-1]
    assert str(first.status_code) in example["responses"] and first.status_code == 201
    assert SPEC.check_response("Namespaces_CreateOrUpdate", 201, first.json()) == []
    assert SPEC.check_response("Namespaces_CreateOrUpdate", 200, final.json()) == []
    assert set(shape_differences(example["responses"]["200"]["body"], final.json())) <= NOT_MODELLED
    assert (ns.sku.name, ns.properties.provisioning_state) == ("Standard", "Succeeded")


def test_namespace_get_example(clients):
    example = SPEC.example("Namespaces_Get")
    p = example["parameters"]
    _namespace(clients, p["resourceGroupName"], p["namespaceName"])
    record = Recorder()
    clients.eventhub.namespaces.get(p["resourceGroupName"], p["namespaceName"], raw_response_hook=record)
    body = record.responses[0].json()
    assert SPEC.check_response("Namespaces_Get", 200, body) == []
    assert set(shape_differences(example["responses"]["200"]["body"], body)) <= NOT_MODELLED


def test_namespace_delete_example(clients):
    example = SPEC.example("Namespaces_Delete")
    p = example["parameters"]
    _namespace(clients, p["resourceGroupName"], p["namespaceName"])
    record = Recorder()
    clients.eventhub.namespaces.begin_delete(p["resourceGroupName"], p["namespaceName"],
                                             raw_response_hook=record).result()
    first = record.responses[0]
    assert str(first.status_code) in example["responses"] and first.status_code == 202
    assert "azure-asyncoperation" in {k.lower() for k in first.headers}
    again = send(clients, "DELETE", f"/subscriptions/{clients.target.subscription}/resourceGroups/"
                 f"{p['resourceGroupName']}/providers/Microsoft.EventHub/namespaces/{p['namespaceName']}", API)
    assert again.status_code == 204 and "204" in example["responses"]


def test_event_hub_create_example(any_clients):
    example = SPEC.example("EventHubs_CreateOrUpdate")
    p = example["parameters"]
    _namespace(any_clients, p["resourceGroupName"], p["namespaceName"])
    record = Recorder()
    any_clients.eventhub.event_hubs.create_or_update(p["resourceGroupName"], p["namespaceName"], p["eventHubName"],
                                                     p["parameters"], raw_response_hook=record)
    body = record.responses[0].json()
    assert record.responses[0].status_code == 200
    assert SPEC.check_response("EventHubs_CreateOrUpdate", 200, body) == []
    assert shape_differences(example["responses"]["200"]["body"], body) == []
    assert body["properties"]["partitionIds"] == ["0", "1", "2", "3"]


def test_consumer_group_create_example(clients):
    example = SPEC.example("ConsumerGroups_CreateOrUpdate")
    p = example["parameters"]
    _namespace(clients, p["resourceGroupName"], p["namespaceName"])
    clients.eventhub.event_hubs.create_or_update(p["resourceGroupName"], p["namespaceName"], p["eventHubName"],
                                                 {"properties": {"partitionCount": 2}})
    record = Recorder()
    clients.eventhub.consumer_groups.create_or_update(p["resourceGroupName"], p["namespaceName"], p["eventHubName"],
                                                      p["consumerGroupName"], p["parameters"],
                                                      raw_response_hook=record)
    body = record.responses[0].json()
    assert SPEC.check_response("ConsumerGroups_CreateOrUpdate", 200, body) == []
    assert shape_differences(example["responses"]["200"]["body"], body) == []


@pytest.mark.parametrize("operation, path", [
    ("EventHubs_ListByNamespace", "/eventhubs"),
    ("ConsumerGroups_ListByEventHub", "/eventhubs/hub1/consumergroups"),
    ("EventHubs_Get", "/eventhubs/hub1"),
    ("ConsumerGroups_Get", "/eventhubs/hub1/consumergroups/$Default"),
    ("Namespaces_ListByResourceGroup", ""),
])
def test_reads_match_the_swagger(clients, operation, path):
    _namespace(clients, "grconformance", "ehconformance01")
    clients.eventhub.event_hubs.create_or_update("grconformance", "ehconformance01", "hub1",
                                                 {"properties": {"partitionCount": 2}})
    base = (f"/subscriptions/{clients.target.subscription}/resourceGroups/grconformance/providers/"
            f"Microsoft.EventHub/namespaces")
    resp = send(clients, "GET", base + ("/ehconformance01" + path if path else ""), API)
    assert resp.status_code == 200
    assert SPEC.check_response(operation, 200, resp.json()) == []


def test_check_name_availability_matches_the_swagger(clients):
    record = Recorder()
    clients.eventhub.namespaces.check_name_availability({"name": "ehconformance01"}, raw_response_hook=record)
    assert SPEC.check_response("Namespaces_CheckNameAvailability", 200, record.responses[0].json()) == []


def test_namespace_update_matches_the_swagger(clients):
    _namespace(clients, "grconformance", "ehconformance01")
    record = Recorder()
    clients.eventhub.namespaces.update("grconformance", "ehconformance01", {"tags": {"env": "dev"}},
                                       raw_response_hook=record)
    assert record.responses[0].status_code == 200
    assert SPEC.check_response("Namespaces_Update", 200, record.responses[0].json()) == []
