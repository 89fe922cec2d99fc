"""Management locks through the real ManagementLockClient, and how Azure enforces them."""

from __future__ import annotations

import uuid

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

RG = "grlocks"
STORAGE = ("Microsoft.Storage", "", "storageAccounts", "stlocked")


@pytest.fixture
def env(any_clients):
    c = any_clients
    c.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    c.storage.storage_accounts.begin_create(RG, "stlocked", {
        "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": "brazilsouth",
        "properties": {"isHnsEnabled": True}}).result()
    return c


def lock_account(c, level="CanNotDelete", name="keep-lake"):
    return c.locks.management_locks.create_or_update_at_resource_level(
        RG, *STORAGE, name, {"level": level, "notes": "the data lake outlives clusters"})


def test_resource_lock_create_get_list_delete(env):
    locks = env.locks.management_locks
    created = lock_account(env)
    assert created.level == "CanNotDelete" and created.type == "Microsoft.Authorization/locks"
    assert created.id.lower().endswith("/storageaccounts/stlocked/providers/microsoft.authorization/locks/keep-lake")
    assert locks.get_at_resource_level(RG, *STORAGE, "keep-lake").notes == "the data lake outlives clusters"
    assert [x.name for x in locks.list_at_resource_level(RG, *STORAGE)] == ["keep-lake"]
    assert [x.name for x in locks.list_at_resource_group_level(RG)] == ["keep-lake"]
    assert [x.name for x in locks.list_at_resource_group_level(RG, filter="name eq 'other'")] == []
    updated = lock_account(env, level="ReadOnly")
    assert updated.level == "ReadOnly" and updated.id == created.id
    locks.delete_at_resource_level(RG, *STORAGE, "keep-lake")
    with pytest.raises(ResourceNotFoundError) as exc:
        locks.get_at_resource_level(RG, *STORAGE, "keep-lake")
    assert exc.value.error.code == "LockNotFound"


def test_locked_account_cannot_be_deleted(env):
    lock_account(env)
    with pytest.raises(HttpResponseError) as exc:
        env.storage.storage_accounts.delete(RG, "stlocked")
    assert exc.value.status_code == 409 and exc.value.error.code == "ScopeLocked"
    account_id = env.storage.storage_accounts.get_properties(RG, "stlocked").id
    assert exc.value.error.message.lower() == (  # Azure, too, mixes the case of the ids it quotes
        f"The scope '{account_id}' cannot perform delete operation because following scope(s) are locked: "
        f"'{account_id}'. Please remove the lock and try again.").lower()
    assert env.storage.storage_accounts.update(RG, "stlocked", {"tags": {"still": "writable"}}).tags == \
        {"still": "writable"}
    env.locks.management_locks.delete_at_resource_level(RG, *STORAGE, "keep-lake")
    env.storage.storage_accounts.delete(RG, "stlocked")


def test_read_only_lock_blocks_writes(env):
    lock_account(env, level="ReadOnly")
    with pytest.raises(HttpResponseError) as exc:
        env.storage.storage_accounts.update(RG, "stlocked", {"tags": {"a": "b"}})
    assert exc.value.error.code == "ScopeLocked" and "cannot perform write operation" in exc.value.error.message
    with pytest.raises(HttpResponseError) as exc:
        env.storage.storage_accounts.delete(RG, "stlocked")
    assert exc.value.error.code == "ScopeLocked" and "cannot perform delete operation" in exc.value.error.message
    assert env.storage.storage_accounts.get_properties(RG, "stlocked").name == "stlocked"  # reads still work


def test_group_lock_covers_resources_and_blocks_group_delete(env):
    locks = env.locks.management_locks
    locks.create_or_update_at_resource_group_level(RG, "group-lock", {"level": "CanNotDelete"})
    assert locks.get_at_resource_group_level(RG, "group-lock").level == "CanNotDelete"
    identity = env.msi.user_assigned_identities.create_or_update(RG, "id-x", {"location": "brazilsouth"})
    with pytest.raises(HttpResponseError) as exc:
        env.msi.user_assigned_identities.delete(RG, "id-x")
    assert exc.value.error.code == "ScopeLocked"
    with pytest.raises(HttpResponseError) as exc:
        env.resources.resource_groups.begin_delete(RG)
    assert exc.value.error.code == "ScopeLocked"
    locks.delete_at_resource_group_level(RG, "group-lock")
    env.msi.user_assigned_identities.delete(RG, identity.name)


def test_lock_inside_group_blocks_group_delete(env):
    lock_account(env)
    with pytest.raises(HttpResponseError) as exc:
        env.resources.resource_groups.begin_delete(RG)
    assert exc.value.status_code == 409 and exc.value.error.code == "ScopeLocked"


def test_role_assignment_under_a_delete_lock_cannot_be_removed(clients):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    scope = f"/subscriptions/{clients.target.subscription}/resourceGroups/{RG}"
    name = str(uuid.uuid4())
    clients.authorization.role_assignments.create(scope, name, {"properties": {
        "roleDefinitionId": f"{scope}/providers/Microsoft.Authorization/roleDefinitions/"
                            "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "principalId": str(uuid.uuid4()), "principalType": "ServicePrincipal"}})
    clients.locks.management_locks.create_or_update_by_scope(scope, "no-delete", {"level": "CanNotDelete"})
    with pytest.raises(HttpResponseError) as exc:
        clients.authorization.role_assignments.delete(scope, name)
    assert exc.value.error.code == "ScopeLocked"


def test_subscription_lock(clients):
    locks = clients.locks.management_locks
    locks.create_or_update_at_subscription_level("sub-lock", {"level": "ReadOnly"})
    assert locks.get_at_subscription_level("sub-lock").level == "ReadOnly"
    assert [x.name for x in locks.list_at_subscription_level()] == ["sub-lock"]
    with pytest.raises(HttpResponseError) as exc:
        clients.resources.resource_groups.create_or_update("newgroup", {"location": "brazilsouth"})
    assert exc.value.error.code == "ScopeLocked"
    locks.delete_at_subscription_level("sub-lock")
    clients.resources.resource_groups.create_or_update("newgroup", {"location": "brazilsouth"})


@pytest.mark.parametrize("body, code", [({"level": "NotSpecified"}, "InvalidLockLevel"),
                                        ({"level": "CanNotDelete", "notes": "x" * 513}, "LockNotesTooLong")])
def test_invalid_locks(clients, body, code):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    with pytest.raises(HttpResponseError) as exc:
        clients.locks.management_locks.create_or_update_at_resource_group_level(RG, "bad", body)
    assert exc.value.status_code == 400 and exc.value.error.code == code


def test_lock_scope_must_exist(clients):
    with pytest.raises(ResourceNotFoundError) as exc:
        clients.locks.management_locks.create_or_update_at_resource_group_level("nogroup", "l", {"level": "ReadOnly"})
    assert exc.value.error.code == "ResourceGroupNotFound"
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    with pytest.raises(ResourceNotFoundError) as exc:
        clients.locks.management_locks.create_or_update_at_resource_level(
            RG, "Microsoft.Storage", "", "storageAccounts", "stnothere", "l", {"level": "ReadOnly"})
    assert exc.value.error.code == "ResourceNotFound"
    clients.locks.management_locks.delete_at_resource_group_level(RG, "never-made")  # 204, no error


def test_invalid_lock_name_and_filter(clients):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    with pytest.raises(HttpResponseError) as exc:
        clients.locks.management_locks.create_or_update_at_resource_group_level(RG, "a*b", {"level": "ReadOnly"})
    assert exc.value.status_code == 400 and exc.value.error.code == "InvalidLockName"
    with pytest.raises(HttpResponseError) as exc:
        list(clients.locks.management_locks.list_at_resource_group_level(RG, filter="level eq 'ReadOnly'"))
    assert exc.value.status_code == 400 and exc.value.error.code == "InvalidFilterInQueryString"


def test_group_listing_shows_top_level_resources_only(env):
    lock_account(env)
    scope = f"/subscriptions/{env.target.subscription}/resourceGroups/{RG}"
    env.authorization.role_assignments.create(scope, str(uuid.uuid4()), {"properties": {
        "roleDefinitionId": f"{scope}/providers/Microsoft.Authorization/roleDefinitions/"
                            "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "principalId": str(uuid.uuid4()), "principalType": "ServicePrincipal"}})
    env.locks.management_locks.create_or_update_at_resource_group_level(RG, "group-lock", {"level": "CanNotDelete"})
    listed = [(r.type, r.name) for r in env.resources.resources.list_by_resource_group(RG)]
    assert listed == [("Microsoft.Storage/storageAccounts", "stlocked")]
