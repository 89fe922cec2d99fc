"""Key Vault through the real KeyVaultManagementClient and SecretClient: vaults, soft delete, names, secrets, RBAC."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError

from azlake.azure.clients import Clients
from azlake.azure.roles import role_assignment_name
from azlake.emulator.core.auth import LOCAL_DEPLOYER_OBJECT_ID, LOCAL_TENANT_ID, EmulatorCredential

RG = "grvault"
OFFICER = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"
USER = "4633458b-17de-408a-b874-0445c86b69e6"
OTHER = "99999999-8888-4777-8666-555555555555"


def vault_body(**props):
    return {"location": "brazilsouth", "properties": {"tenantId": LOCAL_TENANT_ID,
                                                       "sku": {"family": "A", "name": "standard"}, **props}}


def make_vault(clients, name="kv-bda-test", **props):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    body = vault_body(enableRbacAuthorization=True, **props)
    return clients.keyvault.vaults.begin_create_or_update(RG, name, body).result()


def grant(clients, vault, role, principal=LOCAL_DEPLOYER_OBJECT_ID, scope=None):
    scope = scope or vault.id
    definition = f"/subscriptions/{clients.target.subscription}/providers/Microsoft.Authorization/roleDefinitions/{role}"
    clients.authorization.role_assignments.create(scope, role_assignment_name(scope, principal, definition), {
        "role_definition_id": definition, "principal_id": principal, "principal_type": "ServicePrincipal"})


def test_vault_create_answers_azure_defaults(any_clients):
    vault = make_vault(any_clients, enablePurgeProtection=True)
    p = vault.properties
    assert vault.type == "Microsoft.KeyVault/vaults" and p.vault_uri == "https://kv-bda-test.vault.azure.net"
    assert (p.enable_soft_delete, p.soft_delete_retention_in_days, p.enable_purge_protection) == (True, 90, True)
    assert p.enable_rbac_authorization is True and p.public_network_access == "Enabled"
    assert p.provisioning_state == "Succeeded"


def test_new_vault_uses_rbac_by_default_on_current_api_version(clients):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    vault = clients.keyvault.vaults.begin_create_or_update(RG, "kv-default", vault_body()).result()
    assert vault.properties.enable_rbac_authorization is True


def test_purge_protection_cannot_be_turned_off(clients):
    make_vault(clients, enablePurgeProtection=True)
    with pytest.raises(HttpResponseError) as exc:
        make_vault(clients, enablePurgeProtection=False)
    assert exc.value.status_code == 400 and "cannot be turned off" in exc.value.message


@pytest.mark.parametrize("name", ["ab", "1vault", "kv--double", "kv-", "x" * 25])
def test_invalid_names_refused(clients, name):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    with pytest.raises(HttpResponseError) as exc:
        clients.keyvault.vaults.begin_create_or_update(RG, name, vault_body()).result()
    assert exc.value.error.code == "VaultNameNotValid"
    check = clients.keyvault.vaults.check_name_availability({"name": name, "type": "Microsoft.KeyVault/vaults"})
    assert (check.name_available, check.reason) == (False, "AccountNameInvalid")


def test_names_are_global_and_soft_deleted_vaults_keep_them(clients):
    make_vault(clients)
    free = clients.keyvault.vaults.check_name_availability({"name": "kv-free", "type": "Microsoft.KeyVault/vaults"})
    assert free.name_available is True
    taken = clients.keyvault.vaults.check_name_availability({"name": "kv-bda-test",
                                                            "type": "Microsoft.KeyVault/vaults"})
    assert (taken.name_available, taken.reason) == (False, "AlreadyExists") and "already in use" in taken.message
    other = Clients.for_emulator(clients.emulator, subscription="22222222-0000-4000-8000-000000000000")
    other.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    with pytest.raises(HttpResponseError) as exc:
        other.keyvault.vaults.begin_create_or_update(RG, "kv-bda-test", vault_body()).result()
    assert (exc.value.status_code, exc.value.error.code) == (409, "VaultAlreadyExists")
    clients.keyvault.vaults.delete(RG, "kv-bda-test")
    still = clients.keyvault.vaults.check_name_availability({"name": "kv-bda-test", "type": "Microsoft.KeyVault/vaults"})
    assert still.name_available is False and still.reason == "AlreadyExists"
    with pytest.raises(HttpResponseError) as exc:
        make_vault(clients)
    assert exc.value.error.code == "ConflictError" and "deleted state" in exc.value.message


def test_deleted_vault_get_list_recover_and_purge(clients):
    make_vault(clients)
    secrets = clients.secrets("kv-bda-test")
    grant(clients, clients.keyvault.vaults.get(RG, "kv-bda-test"), OFFICER)
    secrets.set_secret("kept", "value-1")
    clients.keyvault.vaults.delete(RG, "kv-bda-test")
    deleted = clients.keyvault.vaults.get_deleted("kv-bda-test", "brazilsouth")
    assert deleted.type == "Microsoft.KeyVault/deletedVaults"
    assert deleted.properties.vault_id.endswith("/vaults/kv-bda-test") and deleted.properties.scheduled_purge_date
    assert [v.name for v in clients.keyvault.vaults.list_deleted()] == ["kv-bda-test"]
    recovered = clients.keyvault.vaults.begin_create_or_update(
        RG, "kv-bda-test", vault_body(createMode="recover")).result()
    assert recovered.properties.enable_rbac_authorization is True
    grant(clients, recovered, OFFICER)  # assignments on the vault's scope went with its deletion
    assert secrets.get_secret("kept").value == "value-1"  # the secrets came back with the vault
    clients.keyvault.vaults.delete(RG, "kv-bda-test")
    clients.keyvault.vaults.begin_purge_deleted("kv-bda-test", "brazilsouth").result()
    assert list(clients.keyvault.vaults.list_deleted()) == []
    assert make_vault(clients).name == "kv-bda-test"


def test_purge_protection_refuses_purge(clients):
    make_vault(clients, enablePurgeProtection=True)
    clients.keyvault.vaults.delete(RG, "kv-bda-test")
    with pytest.raises(HttpResponseError) as exc:
        clients.keyvault.vaults.begin_purge_deleted("kv-bda-test", "brazilsouth").result()
    assert exc.value.status_code == 409 and "purge protection" in exc.value.message


def test_resource_group_deletion_soft_deletes_its_vault(clients):
    make_vault(clients)
    clients.resources.resource_groups.begin_delete(RG).result()
    assert [v.name for v in clients.keyvault.vaults.list_deleted()] == ["kv-bda-test"]


def test_secrets_set_get_versions_list(any_clients):
    vault = make_vault(any_clients)
    grant(any_clients, vault, OFFICER)
    secrets = any_clients.secrets("kv-bda-test")
    first = secrets.set_secret("cluster-login", "one-Value!1", tags={"azlake-state": "current"})
    second = secrets.set_secret("cluster-login", "two-Value!2")
    assert first.properties.version != second.properties.version
    assert secrets.get_secret("cluster-login").value == "two-Value!2"
    assert secrets.get_secret("cluster-login", first.properties.version).value == "one-Value!1"
    versions = list(secrets.list_properties_of_secret_versions("cluster-login"))
    assert {v.version for v in versions} == {first.properties.version, second.properties.version}
    assert [s.name for s in secrets.list_properties_of_secrets()] == ["cluster-login"]
    updated = secrets.update_secret_properties("cluster-login", first.properties.version, tags={"azlake-state": "old"})
    assert updated.tags == {"azlake-state": "old"}
    assert first.properties.recovery_level == "Recoverable+Purgeable"


def test_secret_delete_recover_purge(any_clients):
    vault = make_vault(any_clients)
    grant(any_clients, vault, OFFICER)
    secrets = any_clients.secrets("kv-bda-test")
    secrets.set_secret("gone", "v")
    deleted = secrets.begin_delete_secret("gone").result()
    assert deleted.recovery_id.endswith("/deletedsecrets/gone")
    with pytest.raises(ResourceNotFoundError) as exc:
        secrets.get_secret("gone")
    assert exc.value.error.code == "SecretNotFound"
    with pytest.raises(ResourceExistsError) as exc:
        secrets.set_secret("gone", "again")
    assert "deleted but recoverable" in exc.value.message
    assert [d.name for d in secrets.list_deleted_secrets()] == ["gone"]
    secrets.begin_recover_deleted_secret("gone").result()
    assert secrets.get_secret("gone").value == "v"
    secrets.begin_delete_secret("gone").result()
    secrets.purge_deleted_secret("gone")
    assert list(secrets.list_deleted_secrets()) == []


def test_no_role_is_forbidden_naming_the_data_action(any_clients):
    make_vault(any_clients)
    with pytest.raises(HttpResponseError) as exc:
        any_clients.secrets("kv-bda-test").set_secret("s", "v")
    assert exc.value.status_code == 403 and exc.value.error.code == "Forbidden"
    assert "Microsoft.KeyVault/vaults/secrets/setSecret/action" in exc.value.message


def test_secrets_user_reads_but_cannot_write(clients):
    vault = make_vault(clients)
    grant(clients, vault, OFFICER)
    clients.secrets("kv-bda-test").set_secret("s", "v")
    grant(clients, vault, USER, principal=OTHER)
    reader = Clients.for_emulator(clients.emulator)
    reader.__dict__["credential"] = EmulatorCredential(OTHER)
    assert reader.secrets("kv-bda-test").get_secret("s").value == "v"
    with pytest.raises(HttpResponseError) as exc:
        reader.secrets("kv-bda-test").set_secret("s", "w")
    assert exc.value.status_code == 403 and "setSecret/action" in exc.value.message


def test_request_without_token_gets_the_challenge(emulator):
    from azlake.emulator.core.http import Headers, Request
    make_vault(Clients.for_emulator(emulator))
    resp = emulator.handle(Request("GET", "https://kv-bda-test.vault.azure.net/secrets?api-version=7.6", Headers()))
    assert resp.status == 401 and 'resource="https://vault.azure.net"' in resp.headers["WWW-Authenticate"]


def test_disabled_public_access_refuses_data_plane(clients):
    vault = make_vault(clients, publicNetworkAccess="Disabled")
    grant(clients, vault, OFFICER)
    with pytest.raises(HttpResponseError) as exc:
        clients.secrets("kv-bda-test").set_secret("s", "v")
    assert exc.value.status_code == 403 and "Public network access is disabled" in exc.value.message


def test_secret_values_never_logged(clients, emulator):
    vault = make_vault(clients)
    grant(clients, vault, OFFICER)
    clients.secrets("kv-bda-test").set_secret("s", "Very-Secret-Value-42")
    assert "Very-Secret-Value-42" not in repr(emulator.request_log())
