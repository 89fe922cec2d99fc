"""Role definitions and assignments against the official 2022-04-01 examples and swagger.

The examples name a role definition (0b5fe924-...) that is not one of the built-ins the emulator knows,
and placeholder ids ("roleDefinitionId"); the replay substitutes the Reader and Storage Blob Data
Owner built-ins. Everything else is sent as the example has it.
"""

from __future__ import annotations

import json

import pytest

from conformance.replay import send, shape_differences, status_and_body
from conformance.swagger import SPECS, Spec

BASE = SPECS / "authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01"
ASSIGNMENTS = Spec.load(BASE / "authorization-RoleAssignmentsCalls.json")
DEFINITIONS = Spec.load(BASE / "authorization-RoleDefinitionsCalls.json")
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
BLOB_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"



def localise(clients, example: dict) -> dict:
    """The example with our subscription and a role the emulator knows."""
    text = json.dumps(example).replace("a925f2f7-5c63-4b7b-8799-25a5f97bc3b2", clients.target.subscription)
    return json.loads(text.replace("0b5fe924-9a61-425c-96af-cfe6e287ca2d", READER))


@pytest.mark.parametrize("example_name", ["Create role assignment for subscription",
                                          "Create role assignment for resource group"])
def test_create_get_delete_examples(any_clients, example_name):
    c = any_clients
    example = localise(c, ASSIGNMENTS.example("RoleAssignments_Create", example_name))
    p = example["parameters"]
    c.resources.resource_groups.create_or_update("testrg", {"location": "eastus"})
    scope, name = "/" + p["scope"], p["roleAssignmentName"]
    answers = [c.authorization.role_assignments.create(scope, name, p["parameters"], cls=status_and_body)
               for _ in range(2)]
    assert [s for s, _ in answers] == [201, 200]
    for status, body in answers:
        assert ASSIGNMENTS.check_response("RoleAssignments_Create", status, body) == []
        assert shape_differences(example["responses"][str(status)]["body"], body) == []
        assert body["properties"]["scope"] == example["responses"][str(status)]["body"]["properties"]["scope"]
        assert body["properties"]["principalType"] == "User"

    status, body = c.authorization.role_assignments.get(scope, name, cls=status_and_body)
    assert status == 200 and ASSIGNMENTS.check_response("RoleAssignments_Get", 200, body) == []
    get_example = ASSIGNMENTS.example("RoleAssignments_Get")
    assert shape_differences(get_example["responses"]["200"]["body"], body) == []

    delete_example = ASSIGNMENTS.example("RoleAssignments_Delete")
    results = [c.authorization.role_assignments.delete(scope, name, cls=status_and_body) for _ in range(2)]
    assert [s for s, _ in results] == [200, 204]
    assert ASSIGNMENTS.check_response("RoleAssignments_Delete", 200, results[0][1]) == []
    assert shape_differences(delete_example["responses"]["200"]["body"], results[0][1]) == []


def test_list_for_scope_answers_the_declared_shape(clients):
    scope = f"/subscriptions/{clients.target.subscription}"
    clients.authorization.role_assignments.create(scope, "05c5a614-a7d6-4502-b150-c2fb455033ff", {"properties": {
        "roleDefinitionId": f"{scope}/providers/Microsoft.Authorization/roleDefinitions/{READER}",
        "principalId": "ce2ce14e-85d7-4629-bdbc-454d0519d987", "principalType": "User"}})
    resp = send(clients, "GET", f"{scope}/providers/Microsoft.Authorization/roleAssignments", "2022-04-01")
    assert resp.status_code == 200
    assert ASSIGNMENTS.check_response("RoleAssignments_ListForScope", 200, resp.json()) == []
    assert len(resp.json()["value"]) == 1


@pytest.mark.parametrize("operation, example_name", [("RoleDefinitions_Get", "Get role definition by name"),
                                                     ("RoleDefinitions_GetById", "Get role definition by ID")])
def test_role_definition_examples(any_clients, operation, example_name):
    c = any_clients
    example = DEFINITIONS.example(operation, example_name)
    scope = f"/subscriptions/{c.target.subscription}"
    if operation == "RoleDefinitions_Get":
        status, body = c.authorization.role_definitions.get(scope, BLOB_OWNER, cls=status_and_body)
    else:
        status, body = c.authorization.role_definitions.get_by_id(
            f"{scope}/providers/Microsoft.Authorization/roleDefinitions/{BLOB_OWNER}", cls=status_and_body)
    assert str(status) in example["responses"]
    assert DEFINITIONS.check_response(operation, 200, body) == []
    assert shape_differences(example["responses"]["200"]["body"], body) == []
    assert body["properties"]["roleName"] == "Storage Blob Data Owner"


def test_role_definition_list_with_filter(clients):
    resp = send(clients, "GET", f"/subscriptions/{clients.target.subscription}/providers/Microsoft.Authorization/"
                "roleDefinitions?$filter=roleName%20eq%20'Owner'", "2022-04-01")
    assert resp.status_code == 200
    assert DEFINITIONS.check_response("RoleDefinitions_List", 200, resp.json()) == []
    assert [d["properties"]["roleName"] for d in resp.json()["value"]] == ["Owner"]
