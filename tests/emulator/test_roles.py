"""Role definitions and role assignments through the real AuthorizationManagementClient."""

from __future__ import annotations

import uuid

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from azlake.emulator.authorization.models import effective_role_ids
from azlake.emulator.core.auth import LOCAL_DEPLOYER_OBJECT_ID

RG = "grroles"
BLOB_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
BUILT_INS = {"Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
             "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "Storage Blob Data Owner": BLOB_OWNER,
             "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
             "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
             "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"}


def role_id(clients, guid=BLOB_OWNER):
    return f"/subscriptions/{clients.target.subscription}/providers/Microsoft.Authorization/roleDefinitions/{guid}"


@pytest.fixture
def env(any_clients):
    """A group with an identity and a storage account; returns (clients, identity, account id)."""
    c = any_clients
    c.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    identity = c.msi.user_assigned_identities.create_or_update(RG, "id-lake", {"location": "brazilsouth"})
    account = c.storage.storage_accounts.begin_create(RG, "stroles", {
        "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": "brazilsouth",
        "properties": {"isHnsEnabled": True}}).result()
    return c, identity, account.id


def assign(clients, scope, principal, guid=BLOB_OWNER, name=None, **extra):
    return clients.authorization.role_assignments.create(
        scope, name or str(uuid.uuid4()),
        {"properties": {"roleDefinitionId": role_id(clients, guid), "principalId": principal, **extra}})


@pytest.mark.parametrize("name, guid", sorted(BUILT_INS.items()))
def test_built_in_role_definitions(clients, name, guid):
    scope = f"/subscriptions/{clients.target.subscription}"
    got = clients.authorization.role_definitions.get(scope, guid)
    assert (got.role_name, got.name, got.role_type) == (name, guid, "BuiltInRole")
    assert got.id == role_id(clients, guid)
    by_id = clients.authorization.role_definitions.get_by_id(role_id(clients, guid))
    assert by_id.role_name == name
    listed = list(clients.authorization.role_definitions.list(scope, filter=f"roleName eq '{name}'"))
    assert [d.name for d in listed] == [guid]


def test_unknown_role_definition(clients):
    with pytest.raises(ResourceNotFoundError) as exc:
        clients.authorization.role_definitions.get(f"/subscriptions/{clients.target.subscription}",
                                                   "00000000-1111-2222-3333-444444444444")
    assert exc.value.error.code == "RoleDefinitionDoesNotExist"


def test_assign_get_list_delete(env):
    c, identity, account_id = env
    name = str(uuid.uuid4())
    created = assign(c, account_id, identity.principal_id, name=name)
    assert created.principal_type == "ServicePrincipal" and created.scope == account_id
    assert created.role_definition_id == role_id(c, BLOB_OWNER)
    assert c.authorization.role_assignments.get(account_id, name).principal_id == identity.principal_id
    assert c.authorization.role_assignments.get_by_id(created.id).name == name
    at = list(c.authorization.role_assignments.list_for_scope(account_id, filter="atScope()"))
    assert [a.name for a in at] == [name]
    group_scope = f"/subscriptions/{c.target.subscription}/resourceGroups/{RG}"
    assert list(c.authorization.role_assignments.list_for_scope(group_scope, filter="atScope()")) == []
    below = list(c.authorization.role_assignments.list_for_resource_group(RG))
    assert [a.name for a in below] == [name]
    mine = list(c.authorization.role_assignments.list_for_subscription(
        filter=f"principalId eq '{identity.principal_id}'"))
    assert [a.name for a in mine] == [name]
    deleted = c.authorization.role_assignments.delete(account_id, name)
    assert deleted.name == name
    assert c.authorization.role_assignments.delete(account_id, name) is None  # 204 the second time
    with pytest.raises(ResourceNotFoundError) as exc:
        c.authorization.role_assignments.get(account_id, name)
    assert exc.value.error.code == "RoleAssignmentNotFound"


def test_duplicate_under_another_name(env):
    c, identity, account_id = env
    name = str(uuid.uuid4())
    assign(c, account_id, identity.principal_id, name=name)
    assign(c, account_id, identity.principal_id, name=name)  # the same PUT again is fine
    with pytest.raises(HttpResponseError) as exc:
        assign(c, account_id, identity.principal_id)
    assert exc.value.status_code == 409 and exc.value.error.code == "RoleAssignmentExists"
    assert name.replace("-", "") in exc.value.error.message
    with pytest.raises(HttpResponseError) as exc:
        assign(c, account_id, LOCAL_DEPLOYER_OBJECT_ID, name=name)
    assert exc.value.error.code == "RoleAssignmentUpdateNotPermitted"


def test_unknown_principal_needs_a_principal_type(env):
    c, _, account_id = env
    stranger = str(uuid.uuid4())
    with pytest.raises(HttpResponseError) as exc:
        assign(c, account_id, stranger)
    assert exc.value.status_code == 400 and exc.value.error.code == "PrincipalNotFound"
    assert "replication delay" in exc.value.error.message
    accepted = assign(c, account_id, stranger, principalType="ServicePrincipal")
    assert accepted.principal_type == "ServicePrincipal"
    deployer = assign(c, account_id, LOCAL_DEPLOYER_OBJECT_ID)
    assert deployer.principal_type == "User"


@pytest.mark.parametrize("change, code", [
    ({"guid": "00000000-1111-2222-3333-444444444444"}, "RoleDefinitionDoesNotExist"),
    ({"name": "not-a-guid"}, "InvalidRoleAssignmentId"),
    ({"principal": "nobody"}, "InvalidPrincipalId"),
])
def test_invalid_requests(env, change, code):
    c, identity, account_id = env
    with pytest.raises(HttpResponseError) as exc:
        assign(c, account_id, change.get("principal", identity.principal_id), guid=change.get("guid", BLOB_OWNER),
               name=change.get("name"))
    assert exc.value.status_code == 400 and exc.value.error.code == code


def test_scope_must_exist(clients):
    scope = f"/subscriptions/{clients.target.subscription}/resourceGroups/nogroup"
    with pytest.raises(ResourceNotFoundError) as exc:
        assign(clients, scope, LOCAL_DEPLOYER_OBJECT_ID)
    assert exc.value.error.code == "ResourceGroupNotFound"


def test_assignment_takes_effect_after_propagation(clients, emulator):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    clients.resources.resource_groups.create_or_update("grother", {"location": "brazilsouth"})
    identity = clients.msi.user_assigned_identities.create_or_update(RG, "id-slow", {"location": "brazilsouth"})
    emulator.configure(role_propagation_seconds=600, time_scale=1.0)
    group_scope = f"/subscriptions/{clients.target.subscription}/resourceGroups/{RG}"
    assign(clients, group_scope, identity.principal_id)
    inside = f"{group_scope}/providers/Microsoft.Storage/storageAccounts/stanything"
    sibling = f"/subscriptions/{clients.target.subscription}/resourceGroups/grother"

    def effective(scope):
        with emulator.store.tx(write=False) as tx:
            return effective_role_ids(tx, emulator.clock, identity.principal_id, scope)

    assert effective(inside) == set()
    emulator.advance(601)
    assert effective(inside) == {BLOB_OWNER} and effective(group_scope) == {BLOB_OWNER}
    assert effective(sibling) == set()
    assert effective(f"/subscriptions/{clients.target.subscription}") == set()  # not granted above the group


@pytest.mark.parametrize("flt", ["principalName eq 'x'", "atScope() or principalId eq 'y'"])
def test_unsupported_assignment_filters(clients, flt):
    with pytest.raises(HttpResponseError) as exc:
        list(clients.authorization.role_assignments.list_for_subscription(filter=flt))
    assert exc.value.status_code == 400 and exc.value.error.code == "UnsupportedQuery"


def test_unsupported_definition_filter(clients):
    with pytest.raises(HttpResponseError) as exc:
        list(clients.authorization.role_definitions.list(f"/subscriptions/{clients.target.subscription}",
                                                         filter="roleName ne 'Owner'"))
    assert exc.value.status_code == 400 and exc.value.error.code == "InvalidFilterInQueryString"


def test_invalid_principal_type(env):
    c, identity, account_id = env
    with pytest.raises(HttpResponseError) as exc:
        assign(c, account_id, identity.principal_id, principalType="Robot")
    assert exc.value.status_code == 400 and exc.value.error.code == "InvalidPrincipalType"


def test_only_owners_may_assign_roles(clients, emulator):
    from azlake.azure.clients import Clients
    from azlake.emulator.core.auth import EmulatorCredential

    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    identity = clients.msi.user_assigned_identities.create_or_update(RG, "id-caller", {"location": "brazilsouth"})
    as_identity = Clients(clients.target)
    as_identity.__dict__.update(emulator=emulator, credential=EmulatorCredential(identity.principal_id))
    scope = f"/subscriptions/{clients.target.subscription}/resourceGroups/{RG}"
    with pytest.raises(HttpResponseError) as exc:
        assign(as_identity, scope, identity.principal_id, guid=BUILT_INS["Reader"])
    assert exc.value.status_code == 403 and exc.value.error.code == "AuthorizationFailed"
    assert "Microsoft.Authorization/roleAssignments/write" in exc.value.error.message
    assign(clients, scope, identity.principal_id, guid=BUILT_INS["User Access Administrator"])
    assert assign(as_identity, scope, identity.principal_id, guid=BUILT_INS["Reader"]).principal_id == \
        identity.principal_id


def test_management_plane_access_follows_the_callers_roles(clients, emulator):
    from azlake.azure.clients import Clients
    from azlake.emulator.core.auth import EmulatorCredential

    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    clients.storage.storage_accounts.begin_create(RG, "straccess", {
        "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": "brazilsouth"}).result()
    principal = str(uuid.uuid4())
    other = Clients(clients.target)
    other.__dict__.update(emulator=emulator, credential=EmulatorCredential(principal))
    scope = f"/subscriptions/{clients.target.subscription}/resourceGroups/{RG}"

    def code(fn):
        try:
            fn()
            return "ok"
        except HttpResponseError as exc:
            return exc.error.code

    def read():
        return other.storage.storage_accounts.get_properties(RG, "straccess")

    def write():
        return other.storage.storage_accounts.update(RG, "straccess", {"tags": {"by": "other"}})

    def lock():
        return other.locks.management_locks.create_or_update_at_resource_group_level(RG, "l", {"level": "ReadOnly"})

    with pytest.raises(HttpResponseError) as exc:
        read()
    assert exc.value.status_code == 403 and exc.value.error.code == "AuthorizationFailed"
    assert "'Microsoft.Storage/storageAccounts/read' over scope" in exc.value.error.message
    seen = {}
    for role in ("Reader", "Contributor", "Owner"):
        assign(clients, scope, principal, guid=BUILT_INS[role], principalType="ServicePrincipal")
        seen[role] = (code(read), code(write), code(lock))
    assert seen == {"Reader": ("ok", "AuthorizationFailed", "AuthorizationFailed"),
                    "Contributor": ("ok", "ok", "AuthorizationFailed"),
                    "Owner": ("ok", "ok", "ok")}


def test_definitions_at_the_root_scope(any_clients):
    defs = any_clients.authorization.role_definitions
    owner = list(defs.list("/", filter="roleName eq 'Owner'"))
    assert [d.id for d in owner] == ["/providers/Microsoft.Authorization/roleDefinitions/"
                                     "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"]
    assert defs.get_by_id(owner[0].id).role_name == "Owner"
    contributor = defs.get("/", BUILT_INS["Contributor"])
    assert "Microsoft.Authorization/*/Write" in contributor.permissions[0].not_actions


def test_assignment_at_container_scope(env):
    c, identity, account_id = env
    c.storage.blob_containers.create(RG, "stroles", "raw", {})
    container = f"{account_id}/blobServices/default/containers/raw"
    made = assign(c, container, identity.principal_id, guid=BUILT_INS["Storage Blob Data Contributor"])
    assert made.scope == container
    with pytest.raises(ResourceNotFoundError) as exc:
        assign(c, account_id.replace("stroles", "stmissing") + "/blobServices/default/containers/raw",
               identity.principal_id)
    assert exc.value.error.code == "ResourceNotFound"


def test_principal_type_must_match_a_known_principal(env):
    c, identity, account_id = env
    with pytest.raises(HttpResponseError) as exc:
        assign(c, account_id, identity.principal_id, principalType="User")
    assert exc.value.status_code == 400 and exc.value.error.code == "UnmatchedPrincipalType"
    assert "has type 'ServicePrincipal'" in exc.value.error.message


def test_the_local_deployer_may_be_either_type(env):
    c, _, account_id = env
    made = assign(c, account_id, LOCAL_DEPLOYER_OBJECT_ID, principalType="ServicePrincipal")
    assert made.principal_type == "ServicePrincipal"


def test_a_group_contributor_can_follow_its_long_running_operations(clients, emulator):
    from azlake.azure.clients import Clients
    from azlake.emulator.core.auth import EmulatorCredential

    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    principal = str(uuid.uuid4())
    assign(clients, f"/subscriptions/{clients.target.subscription}/resourceGroups/{RG}", principal,
           guid=BUILT_INS["Contributor"], principalType="ServicePrincipal")
    other = Clients(clients.target)
    other.__dict__.update(emulator=emulator, credential=EmulatorCredential(principal))
    acc = other.storage.storage_accounts.begin_create(RG, "stbycontrib", {
        "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": "brazilsouth"}).result()
    assert acc.properties.provisioning_state == "Succeeded"
    with pytest.raises(HttpResponseError) as exc:  # but nothing outside its group
        other.resources.resource_groups.create_or_update("grelsewhere", {"location": "brazilsouth"})
    assert exc.value.error.code == "AuthorizationFailed"
