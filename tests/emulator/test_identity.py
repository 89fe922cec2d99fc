"""User-assigned managed identities through the real ManagedServiceIdentityClient."""

from __future__ import annotations

import uuid

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

RG = "grident"


@pytest.fixture
def identities(any_clients):
    any_clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    return any_clients.msi.user_assigned_identities


def test_create_get_update_keep_ids(identities):
    created = identities.create_or_update(RG, "id-lake", {"location": "brazilsouth", "tags": {"a": "1"}})
    assert created.type == "Microsoft.ManagedIdentity/userAssignedIdentities"
    for value in (created.principal_id, created.client_id, created.tenant_id):
        uuid.UUID(value)
    updated = identities.create_or_update(RG, "id-lake", {"location": "brazilsouth", "tags": {"a": "2"}})
    patched = identities.update(RG, "id-lake", {"tags": {"a": "3"}})
    got = identities.get(RG, "id-lake")
    assert got.tags == {"a": "3"} and updated.tags == {"a": "2"} and patched.tags == {"a": "3"}
    assert {(i.principal_id, i.client_id) for i in (updated, patched, got)} == {(created.principal_id,
                                                                                  created.client_id)}


def test_put_answers_201_then_200(clients, emulator):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    for _ in range(2):
        clients.msi.user_assigned_identities.create_or_update(RG, "id-twice", {"location": "brazilsouth"})
    assert [r["status"] for r in emulator.request_log() if r["method"] == "PUT" and "id-twice" in r["url"]] == \
        [201, 200]


def test_list_and_delete(identities):
    identities.create_or_update(RG, "id-a", {"location": "brazilsouth"})
    identities.create_or_update(RG, "id-b", {"location": "brazilsouth"})
    assert sorted(i.name for i in identities.list_by_resource_group(RG)) == ["id-a", "id-b"]
    assert sorted(i.name for i in identities.list_by_subscription()) == ["id-a", "id-b"]
    identities.delete(RG, "id-a")
    identities.delete(RG, "id-a")  # gone already: 204, no error
    with pytest.raises(ResourceNotFoundError) as exc:
        identities.get(RG, "id-a")
    assert exc.value.error.code == "ResourceNotFound"


def test_new_identity_after_delete_has_new_principal(identities):
    first = identities.create_or_update(RG, "id-again", {"location": "brazilsouth"})
    identities.delete(RG, "id-again")
    second = identities.create_or_update(RG, "id-again", {"location": "brazilsouth"})
    assert first.principal_id != second.principal_id


@pytest.mark.parametrize("name", ["ab", "-lead", "has space", "x" * 129])
def test_invalid_names(clients, name):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    with pytest.raises(HttpResponseError) as exc:
        clients.msi.user_assigned_identities.create_or_update(RG, name, {"location": "brazilsouth"})
    assert exc.value.status_code == 400 and exc.value.error.code == "InvalidResourceName"


def test_errors(clients):
    ids = clients.msi.user_assigned_identities
    with pytest.raises(ResourceNotFoundError) as exc:
        ids.create_or_update("nogroup", "id-x", {"location": "brazilsouth"})
    assert exc.value.error.code == "ResourceGroupNotFound"
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    ids.create_or_update(RG, "id-x", {"location": "brazilsouth"})
    with pytest.raises(HttpResponseError) as exc:
        ids.create_or_update(RG, "id-x", {"location": "eastus"})
    assert (exc.value.status_code, exc.value.error.code) == (409, "InvalidResourceLocation")
    with pytest.raises(HttpResponseError) as exc:
        ids.create_or_update(RG, "id-y", {"location": ""})
    assert exc.value.error.code == "LocationRequired"


def test_isolation_scope(clients):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    ids = clients.msi.user_assigned_identities
    assert ids.create_or_update(RG, "id-iso", {"location": "brazilsouth"}).isolation_scope == "None"
    regional = ids.create_or_update(RG, "id-iso", {"location": "brazilsouth", "properties": {
        "isolationScope": "Regional"}})
    assert regional.isolation_scope == "Regional"
    with pytest.raises(HttpResponseError) as exc:
        ids.update(RG, "id-iso", {"properties": {"isolationScope": "Planetary"}})
    assert exc.value.status_code == 400 and exc.value.error.code == "InvalidRequestContent"
