"""Azure Key Vault: the environment's vault (ARM), its generated passwords and vault references (data plane).

Every read and write of a secret uses the caller's identity through azure-keyvault-secrets; values are
returned to the caller and never logged, printed or kept anywhere but in the vault.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError, ServiceRequestError

from azlake.azure.errors import cloud_error
from azlake.azure.kind import DONE, REFUSE_MOVE, Kind, Outcome, Resource, Rule
from azlake.azure.observed import TAG_ENVIRONMENT, Observed, flat_tags, owner_from_tags
from azlake.azure.resource_groups import merged_tags
from azlake.envfile.secrets_rules import generate_password
from azlake.envfile.vault_refs import CURRENT_TAG, VaultSecret
from azlake.errors import AzlakeError

if TYPE_CHECKING:
    from azlake.azure.clients import Clients

PENDING, CURRENT = "pending", "current"


def _models() -> Any:
    from azure.mgmt.keyvault import models
    return models


def tenant_id(clients: Clients) -> str:
    """The signed-in principal's tenant (a vault answers tokens of its own tenant only), from its ARM token."""
    token = clients.credential.get_token("https://management.azure.com/.default").token
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["tid"]
    except (IndexError, KeyError, ValueError) as exc:
        raise AzlakeError("could not read the tenant of the signed-in principal from its token",
                          hint="sign in with `az login` (or workload identity) and run the command again") from exc


class Vault(Kind):
    """The environment's key vault (RBAC authorisation, soft delete); its name is global."""

    name = "key_vault"
    global_name = True
    used_noun = "key vault"
    rules = {"location": REFUSE_MOVE,
             "soft_delete_days": Rule.refuse("a vault's soft-delete retention is set when it is created; keep the "
                                             "value it has (see plan) in the file")}

    def rule(self, path: str, before: Any, after: Any) -> Rule:
        if path == "purge_protection" and before is True:
            return Rule.refuse("purge protection cannot be turned off once a vault has it (Azure makes it "
                               "irreversible); set key_vault.purge_protection: true")
        return super().rule(path, before, after)

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        group, name = res.context["group"], res.context["vault"]
        try:
            v = clients.keyvault.vaults.get(group, name)
        except ResourceNotFoundError:
            return _absent(clients, res, facts) if res.managed else Observed.missing()
        p = v.properties
        props = {"location": v.location, "rbac_authorization": bool(p.enable_rbac_authorization),
                 "public_network_access": str(p.public_network_access or "Enabled").lower(),
                 "purge_protection": bool(p.enable_purge_protection),
                 "soft_delete_days": p.soft_delete_retention_in_days, **flat_tags(v.tags)}
        return Observed(True, props, owner_from_tags(v.tags), p.provisioning_state, outputs={"uri": p.vault_uri})

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        return Outcome(clients.keyvault.vaults.begin_create_or_update(res.context["group"], res.context["vault"],
                                                                      _parameters(clients, res, observed)))

    def update(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None,
               paths: set[str]) -> Outcome:
        params = _parameters(clients, res, observed)
        params.properties.access_policies = []  # RBAC vault: no access policies
        return Outcome(clients.keyvault.vaults.begin_create_or_update(res.context["group"], res.context["vault"],
                                                                      params))

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        """Soft delete: Azure keeps the vault and its secrets until its retention ends."""
        clients.keyvault.vaults.delete(res.context["group"], res.context["vault"])
        return DONE

    def deletion(self, res: Resource, source: str | None) -> tuple[str, str] | None:
        """A vault is never deleted by a plain destroy; destroy --all soft-deletes it: say how to undo it."""
        name, days = res.name, res.properties.get("soft_delete_days")
        return (f"soft-deleted by destroy --all: recoverable for {days} days with its secrets",
                f"key vault {name} is soft-deleted, not purged: its secrets (generated passwords included) can be "
                f"recovered for {days} days. To get it back, run azlake apply {source} (it recovers the vault) or "
                f"az keyvault recover --name {name}; its name stays taken meanwhile")


def _absent(clients: Clients, res: Resource, facts: dict) -> Observed:
    """No vault here: recover our own soft-deleted one, or say who holds the name (names are global)."""
    name = res.context["vault"]
    try:
        deleted = clients.keyvault.vaults.get_deleted(name, res.properties["location"])
    except ResourceNotFoundError:
        deleted = None
    if deleted is not None:
        p = deleted.properties
        ours = str(p.vault_id).lower() == str(res.id).lower() and owner_from_tags(p.tags) == facts.get("environment")
        if ours:
            return Observed(False, outputs={"recover": True, "deleted_on": str(p.deletion_date)})
        purge = ("it cannot be purged before " + str(p.scheduled_purge_date) if p.purge_protection_enabled
                 else f"purge it for good: az keyvault purge --name {name}")
        return Observed(False, detail=f"the vault name {name} is held by a soft-deleted vault ({p.vault_id}, deleted "
                        f"{p.deletion_date}): recover it (az keyvault recover --name {name}) and use it, or {purge}; "
                        "or choose another key_vault.name")
    check = clients.keyvault.vaults.check_name_availability(
        _models().VaultCheckNameAvailabilityParameters(name=name, type="Microsoft.KeyVault/vaults"))
    if check.name_available:
        return Observed.missing()
    return Observed(False, detail=f"the vault name {name} is not available ({check.reason}): another vault, in "
                    "some subscription, or a soft-deleted one there, holds it; choose another key_vault.name")


def _parameters(clients: Clients, res: Resource, observed: Observed | None) -> Any:
    m, p = _models(), res.properties
    recover = bool(observed is not None and observed.outputs.get("recover"))
    props = m.VaultProperties(
        tenant_id=tenant_id(clients), sku=m.Sku(family="A", name="standard"), enable_rbac_authorization=True,
        enable_soft_delete=True, soft_delete_retention_in_days=p["soft_delete_days"],
        # Azure accepts only true: purge protection is irreversible, so false is said by leaving it out
        enable_purge_protection=True if p["purge_protection"] else None,
        public_network_access=p["public_network_access"].capitalize(), create_mode="recover" if recover else None)
    return m.VaultCreateOrUpdateParameters(location=p["location"], tags=merged_tags(res, observed), properties=props)


# --- secrets -------------------------------------------------------------------------------------
def current_version(client: Any, secret: str) -> Any | None:
    """The newest version that is not a rotation still under way (tag azlake-state=pending), or None."""
    versions = [v for v in client.list_properties_of_secret_versions(secret) if v.enabled is not False]
    versions.sort(key=lambda v: v.created_on or 0)
    done = [v for v in versions if (v.tags or {}).get(CURRENT_TAG) != PENDING]
    return done[-1] if done else None


def pending_version(client: Any, secret: str) -> Any | None:
    """A rotation's new password, written before the cluster took it (newer than the current one)."""
    versions = sorted(client.list_properties_of_secret_versions(secret), key=lambda v: v.created_on or 0)
    return versions[-1] if versions and (versions[-1].tags or {}).get(CURRENT_TAG) == PENDING else None


def reveal(clients: Clients, secret: Any) -> str:
    """The value of a secret: a SecretStr's own, or a VaultSecret's read from its vault (once)."""
    if isinstance(secret, VaultSecret) and not secret.known:
        secret.remember(read_secret(clients, secret))
    return secret.get_secret_value()


def read_secret(clients: Clients, secret: Any) -> str:
    """The value of a VaultSecret, read with the caller's identity; a clear message when it cannot be."""
    client = clients.secrets(secret.vault)
    try:
        if secret.generated:
            version = current_version(client, secret.secret)
            if version is None:
                raise ResourceNotFoundError("no current version")
            return client.get_secret(secret.secret, version.version).value
        return client.get_secret(secret.secret).value
    except ResourceNotFoundError as exc:
        raise _missing(clients, secret) from exc
    except HttpResponseError as exc:
        raise access_error(clients, secret.vault, exc, f"reading the secret {secret.where}") from exc


class NotInVault(AzlakeError):
    """A generated password the vault does not hold yet (apply generates it)."""


def _missing(clients: Clients, secret: Any) -> AzlakeError:
    if secret.generated:
        return NotInVault(f"the generated password {secret.where} is not in the vault yet",
                           hint="run azlake apply: it creates the vault and generates the password")
    return AzlakeError(f"the secret {secret.secret} does not exist in vault {secret.vault} (or was deleted)",
                       hint=f"create it (az keyvault secret set --vault-name {secret.vault} --name {secret.secret} "
                            "--file <file with the value>), recover it if it was deleted (az keyvault secret "
                            "recover), or fix the reference in the file")


def access_error(clients: Clients, vault: str, exc: HttpResponseError, doing: str) -> AzlakeError:
    """403 from a vault: which data action was missing and how to get it."""
    if exc.status_code != 403:
        return cloud_error(exc, doing)
    message = str(getattr(getattr(exc, "error", None), "message", "") or "")
    action = next((line.split("'")[1] for line in message.splitlines() if line.startswith("Action: '")), None)
    if "Public network access is disabled" in message:
        return AzlakeError(f"{doing} failed: vault {vault} refuses requests from public networks",
                           hint="run azlake from a network with a private endpoint to the vault, or set "
                                "key_vault.public_network_access: enabled")
    return AzlakeError(f"{doing} failed: you have no role on vault {vault} that allows "
                       f"{action or 'this secret operation'}",
                       hint="ask the vault's owner for Key Vault Secrets User (to read) or Key Vault Secrets "
                            "Officer (to write): az role assignment create --role \"Key Vault Secrets User\" "
                            "--assignee <your object id> --scope <the vault's id>; a new role takes a few "
                            "minutes to apply")


def store_password(client: Any, secret: str, value: str, environment: str, state: str) -> Any:
    return client.set_secret(secret, value, content_type="password",
                             tags={TAG_ENVIRONMENT: environment, CURRENT_TAG: state})


class Secret(Kind):
    """A password azlake generates into the vault (the cluster login); it lives and dies with the vault."""

    name = "kv_secret"
    data_plane = True

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        client = clients.secrets(res.context["vault"])
        try:
            version = current_version(client, res.context["secret"])
        except (ResourceNotFoundError, ServiceRequestError):  # no such secret; or no vault (its name resolves not)
            return Observed.missing()
        if version is None:
            return Observed.missing()
        return Observed(True, {}, owner=(version.tags or {}).get(TAG_ENVIRONMENT))

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        """Generate the password unless the vault already holds one (a recovered vault, an earlier apply)."""
        client, name = clients.secrets(res.context["vault"]), res.context["secret"]
        try:
            if current_version(client, name) is not None:
                return DONE
        except ResourceNotFoundError:
            pass
        try:
            store_password(client, name, generate_password(res.context["users"]), facts.get("environment", ""),
                           CURRENT)
        except ResourceExistsError:  # deleted but recoverable: bring the old password back rather than a new one
            client.begin_recover_deleted_secret(name).result()
        return DONE

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        """In a shared vault the environment's own password is soft-deleted (the next apply recovers it);
        in its own vault it goes with the vault."""
        if not res.context.get("shared"):
            return Outcome(kept="kept: a generated password lives and is deleted with its vault")
        clients.secrets(res.context["vault"]).begin_delete_secret(res.context["secret"])
        return DONE

    def goes_with(self, res: Resource, deleting: set[str]) -> bool:
        return "key_vault" in deleting  # soft-deleted with it, and back with it
