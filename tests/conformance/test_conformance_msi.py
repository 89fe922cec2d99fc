"""User-assigned identities against the official 2024-11-30 examples and swagger (azure-specs/msi)."""

from __future__ import annotations

from conformance.replay import send, shape_differences, status_and_body
from conformance.swagger import SPECS, Spec

SPEC = Spec.load(SPECS / "msi/resource-manager/Microsoft.ManagedIdentity/stable/2024-11-30/ManagedIdentity.json")



def test_create_get_delete_examples(any_clients):
    c = any_clients
    create = SPEC.example("UserAssignedIdentities_CreateOrUpdate")
    p = create["parameters"]
    c.resources.resource_groups.create_or_update(p["resourceGroupName"], {"location": "eastus"})
    ids = c.msi.user_assigned_identities
    answers = [ids.create_or_update(p["resourceGroupName"], p["resourceName"], p["parameters"], cls=status_and_body)
               for _ in range(2)]
    assert [s for s, _ in answers] == [201, 200]
    for status, body in answers:
        assert SPEC.check_response("UserAssignedIdentities_CreateOrUpdate", status, body) == []
        assert shape_differences(create["responses"][str(status)]["body"], body) == []
        assert body["tags"] == p["parameters"]["tags"]

    get = SPEC.example("UserAssignedIdentities_Get")
    status, body = ids.get(p["resourceGroupName"], p["resourceName"], cls=status_and_body)
    assert status == 200 and SPEC.check_response("UserAssignedIdentities_Get", 200, body) == []
    assert shape_differences(get["responses"]["200"]["body"], body) == []

    delete = SPEC.example("UserAssignedIdentities_Delete")
    statuses = [ids.delete(p["resourceGroupName"], p["resourceName"], cls=lambda r, d, h: r.http_response.status_code)
                for _ in range(2)]
    assert statuses == [200, 204] and all(str(s) in delete["responses"] for s in statuses)


def test_missing_identity_answers_the_declared_error(clients):
    clients.resources.resource_groups.create_or_update("rgName", {"location": "eastus"})
    resp = send(clients, "GET", f"/subscriptions/{clients.target.subscription}/resourceGroups/rgName/providers/"
                "Microsoft.ManagedIdentity/userAssignedIdentities/nobody", "2024-11-30")
    assert resp.status_code == 404
    assert SPEC.check_response("UserAssignedIdentities_Get", 404, resp.json()) == []
    assert resp.json()["error"]["code"] == "ResourceNotFound"
