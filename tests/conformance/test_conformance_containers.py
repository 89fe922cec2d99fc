"""BlobContainers (Microsoft.Storage 2026-09-01) replayed from the official examples against the emulator."""

from __future__ import annotations

import pytest

from conformance.replay import send, shape_differences
from conformance.swagger import SPECS, Spec

API = "2026-09-01"
OPENAPI = SPECS / "storage/resource-manager/Microsoft.Storage/Storage/stable/2026-09-01/openapi.json"
# keys of the GET example that describe its container's particular state (a locked immutability policy)
STATE_SPECIFIC = ("immutabilityPolicy",)


@pytest.fixture(scope="module")
def spec() -> Spec:
    return Spec.load(OPENAPI)


def _account(clients, example: dict) -> str:
    p = example["parameters"]
    clients.resources.resource_groups.create_or_update(p["resourceGroupName"], {"location": "eastus"})
    clients.storage.storage_accounts.begin_create(p["resourceGroupName"], p["accountName"], {
        "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": "eastus",
        "properties": {"isHnsEnabled": True}}).result()
    sub = clients.target.subscription
    return (f"/subscriptions/{sub}/resourceGroups/{p['resourceGroupName']}/providers/Microsoft.Storage/"
            f"storageAccounts/{p['accountName']}/blobServices/default/containers/{p['containerName']}")


def test_put_container_example(any_clients, spec):
    example = spec.example("BlobContainers_Create", "PutContainers")
    path = _account(any_clients, example)
    resp = send(any_clients, "PUT", path, API, example["parameters"]["blobContainer"])
    assert resp.status_code == 201
    body = resp.json()
    assert shape_differences(example["responses"]["201"]["body"], body) == []
    assert spec.check_response("BlobContainers_Create", 201, body) == []
    assert body["name"] == example["parameters"]["containerName"]
    again = send(any_clients, "PUT", path, API, example["parameters"]["blobContainer"])
    assert again.status_code == 200
    assert spec.check_response("BlobContainers_Create", 200, again.json()) == []


def test_get_container_example(clients, spec):
    example = spec.example("BlobContainers_Get")
    path = _account(clients, example)
    send(clients, "PUT", path, API, {})
    resp = send(clients, "GET", path, API)
    assert resp.status_code == 200
    expected = dict(example["responses"]["200"]["body"])
    expected["properties"] = {k: v for k, v in expected["properties"].items() if k not in STATE_SPECIFIC}
    expected["properties"]["legalHold"] = {"hasLegalHold": False, "tags": []}  # no legal hold tags here
    assert shape_differences(expected, resp.json()) == []
    assert spec.check_response("BlobContainers_Get", 200, resp.json()) == []


def test_delete_container_example(clients, spec):
    example = spec.example("BlobContainers_Delete")
    path = _account(clients, example)
    send(clients, "PUT", path, API, {})
    assert send(clients, "DELETE", path, API).status_code in map(int, example["responses"])
    assert send(clients, "DELETE", path, API).status_code == 204
    assert send(clients, "GET", path, API).status_code == 404


def test_list_containers_matches_the_swagger(clients, spec):
    example = spec.example("BlobContainers_Create", "PutContainers")
    path = _account(clients, example)
    send(clients, "PUT", path, API, {})
    resp = send(clients, "GET", path.rsplit("/", 1)[0], API)
    assert resp.status_code == 200
    assert spec.check_response("BlobContainers_List", 200, resp.json()) == []
    assert [c["name"] for c in resp.json()["value"]] == [example["parameters"]["containerName"]]
