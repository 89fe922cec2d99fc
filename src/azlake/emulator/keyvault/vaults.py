"""Key Vault vaults: global names, soft delete and purge protection, deleted vaults, recovery (no HTTP).

Vault names are global (`<name>.vault.azure.net`). Deleting a vault keeps it, with its secrets, as a deleted
vault until its scheduled purge date; the name stays taken meanwhile. `createMode: recover` brings it back.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

from azlake.emulator.core import arm
from azlake.emulator.core.errors import BadRequest, Conflict, InvalidResourceLocation, ResourceNotFound
from azlake.emulator.core.store import Tx
from azlake.emulator.keyvault import secrets
from azlake.emulator.keyvault.errors import ConflictError, VaultAlreadyExists, VaultNameNotValid

TYPE = "Microsoft.KeyVault/vaults"
DELETED_TYPE = "Microsoft.KeyVault/deletedVaults"
DELETED = "keyvault_deleted_vaults"  # lower-case name -> {"vault": ARM document, "deletionDate", ...}
DEFAULT_RETENTION_DAYS = 90
# From this api-version on, a new vault uses Azure RBAC unless the request says otherwise.
RBAC_DEFAULT_SINCE = "2026-02-01"
_NAME = re.compile(r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]$")
NAME_INVALID = ("The vault name '{name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. "
                "The name must begin with a letter, end with a letter or digit, and not contain consecutive "
                "hyphens.")
NAME_IN_USE = ("The vault name '{name}' is already in use. Vault names are globally unique so it is possible that "
               "the name is already taken. If you are sure that the vault name was not taken then it is possible "
               "that a vault with the same name was recently deleted but not purged after being placed in a "
               "recoverable state. If the vault is in a recoverable state then the vault will need to be purged "
               "before reusing the name. For more information on VaultAlreadyExists, soft delete and purging a "
               "vault follow this link https://go.microsoft.com/fwlink/?linkid=2147740.")
IN_DELETED_STATE = ("A vault with the same name already exists in deleted state. You need to either recover or purge "
                    "existing key vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more "
                    "information on soft delete.")


def vault_id(sub: str, group: str, name: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{group}/providers/{TYPE}/{name}"


def vault_uri(name: str) -> str:
    return f"https://{name.lower()}.vault.azure.net"


def name_problem(name: str) -> str | None:
    return None if _NAME.match(name) else NAME_INVALID.format(name=name)


def find_vault(tx: Tx, name: str) -> dict | None:
    """The live vault called `name` in any subscription (names are global)."""
    name = name.lower()
    for doc in tx.values(arm.COLLECTION, "/subscriptions/"):
        if str(doc.get("type", "")).lower() == TYPE.lower() and doc.get("name", "").lower() == name:
            return doc
    return None


def find_deleted(tx: Tx, name: str) -> dict | None:
    return tx.get(DELETED, name.lower())


def _stamp(at: float | None = None) -> str:
    return datetime.fromtimestamp(at if at is not None else time.time(), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _bool(props: dict, key: str, default: bool | None) -> bool | None:
    value = props.get(key, default)
    if value is not None and not isinstance(value, bool):
        raise BadRequest(f"The property '{key}' must be true or false.")
    return value


def _properties(props: dict, old: dict, api_version: str, name: str) -> dict:
    """The vault's properties as Azure answers them: what was sent, with Azure's defaults filled in."""
    sku = props.get("sku") or old.get("sku")
    if not isinstance(sku, dict) or str(sku.get("name", "")).lower() not in ("standard", "premium"):
        raise BadRequest("The parameter 'sku' must name 'standard' or 'premium'.")
    tenant = props.get("tenantId") or old.get("tenantId")
    if not tenant:
        raise BadRequest("The parameter 'tenantId' is required.")
    rbac_default = old.get("enableRbacAuthorization", api_version >= RBAC_DEFAULT_SINCE)
    out = {**old, "sku": {"family": sku.get("family", "A"), "name": str(sku["name"]).lower()}, "tenantId": tenant,
           "accessPolicies": props.get("accessPolicies", old.get("accessPolicies", [])),
           "enableRbacAuthorization": _bool(props, "enableRbacAuthorization", rbac_default),
           "vaultUri": vault_uri(name), "provisioningState": "Succeeded",
           "publicNetworkAccess": props.get("publicNetworkAccess", old.get("publicNetworkAccess", "Enabled"))}
    if out["publicNetworkAccess"] not in ("Enabled", "Disabled"):
        raise BadRequest("publicNetworkAccess must be 'Enabled' or 'Disabled'.")
    if props.get("enableSoftDelete") is False:
        raise BadRequest("Soft delete cannot be turned off: it is enabled on every vault. "
                         "The property 'enableSoftDelete' can only be true.")
    out["enableSoftDelete"] = True
    days = props.get("softDeleteRetentionInDays", old.get("softDeleteRetentionInDays", DEFAULT_RETENTION_DAYS))
    if not isinstance(days, int) or not 7 <= days <= 90:
        raise BadRequest("softDeleteRetentionInDays must be between 7 and 90.")
    if old and days != old.get("softDeleteRetentionInDays"):
        raise BadRequest("The soft delete retention period of a vault cannot be changed "
                         "after it is created.")
    out["softDeleteRetentionInDays"] = days
    purge = _bool(props, "enablePurgeProtection", old.get("enablePurgeProtection"))
    if old.get("enablePurgeProtection") and purge is False:
        raise BadRequest("Purge protection cannot be turned off once it is enabled.")
    if purge is not None:
        out["enablePurgeProtection"] = purge
    for key in ("enabledForDeployment", "enabledForDiskEncryption", "enabledForTemplateDeployment",
                "networkAcls"):
        if key in props:
            out[key] = props[key]
    return out


def create_or_update(tx: Tx, sub: str, group: str, name: str, body: dict, api_version: str) -> tuple[dict, bool]:
    """PUT a vault: a new one, an update, or (createMode recover) the return of a deleted one."""
    problem = name_problem(name)
    if problem:
        raise VaultNameNotValid(problem)
    arm.require_group(tx, sub, group)
    location = arm.location(body, TYPE)
    rid = vault_id(sub, group, name)
    existing = arm.get(tx, rid)
    props = body.get("properties") or {}
    if props.get("createMode") == "recover":
        return recover(tx, sub, group, name, location, body), True
    if existing is None:
        _check_name_free(tx, sub, name)
    elif arm.region(existing["location"]) != location:
        raise InvalidResourceLocation(
            f"The resource '{name}' already exists in location '{existing['location']}' in resource "
            f"group '{group}'. A resource with the same name cannot be created in location "
            f"'{location}'. Please select a new resource name.")
    old = (existing or {}).get("properties") or {}
    doc = arm.envelope(rid, name, TYPE, location=location, tags=body.get("tags") or {},
                       properties=_properties(props, old, api_version, name))
    arm.put(tx, doc)
    return doc, existing is None


def _check_name_free(tx: Tx, sub: str, name: str) -> None:
    if find_vault(tx, name) is not None:
        raise VaultAlreadyExists(NAME_IN_USE.format(name=name))
    deleted = find_deleted(tx, name)
    if deleted is not None:
        if deleted["vault"]["id"].split("/")[2].lower() == sub.lower():
            raise ConflictError(IN_DELETED_STATE)
        raise VaultAlreadyExists(NAME_IN_USE.format(name=name))


def update(tx: Tx, sub: str, group: str, name: str, body: dict, api_version: str) -> dict:
    """PATCH: the properties sent replace theirs; the rest stays."""
    doc = get(tx, sub, group, name)
    if body.get("tags") is not None:
        doc["tags"] = body["tags"]
    doc["properties"] = _properties(body.get("properties") or {}, doc["properties"], api_version, name)
    arm.put(tx, doc)
    return doc


def get(tx: Tx, sub: str, group: str, name: str) -> dict:
    return arm.require(tx, sub, group, vault_id(sub, group, name), TYPE, name)


def list_vaults(tx: Tx, prefix: str) -> list[dict]:
    return [d for d in tx.values(arm.COLLECTION, arm.key(prefix) + "/") if d.get("type") == TYPE]


def delete(tx: Tx, sub: str, group: str, name: str) -> bool:
    """Soft delete: the vault (and its secrets) become a deleted vault until its scheduled purge date."""
    return arm.delete_in_group(tx, sub, group, vault_id(sub, group, name))


def soft_delete(tx: Tx, doc: dict) -> None:
    """arm.on_delete hook (a vault deleted, or its resource group): its secrets stay with the deleted vault."""
    now = time.time()
    days = doc["properties"].get("softDeleteRetentionInDays", DEFAULT_RETENTION_DAYS)
    tx.put(DELETED, doc["name"].lower(), {"vault": doc, "deletionDate": _stamp(now),
                                          "scheduledPurgeDate": _stamp(now + days * 86400)})


def deleted_document(entry: dict) -> dict:
    vault = entry["vault"]
    sub = vault["id"].split("/")[2]
    name, location = vault["name"], vault["location"]
    return {"id": f"/subscriptions/{sub}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{name}",
            "name": name, "type": DELETED_TYPE,
            "properties": {"vaultId": vault["id"], "location": location, "tags": vault.get("tags") or {},
                           "deletionDate": entry["deletionDate"], "scheduledPurgeDate": entry["scheduledPurgeDate"],
                           "purgeProtectionEnabled": bool(vault["properties"].get("enablePurgeProtection"))}}


def require_deleted(tx: Tx, sub: str, location: str, name: str) -> dict:
    entry = find_deleted(tx, name)
    if entry is None or entry["vault"]["id"].split("/")[2].lower() != sub.lower() \
            or arm.region(entry["vault"]["location"]) != arm.region(location):
        raise ResourceNotFound(f"The Resource '{DELETED_TYPE}/{name}' was not found in "
                               f"location '{location}'.")
    return entry


def list_deleted(tx: Tx, sub: str) -> list[dict]:
    return [deleted_document(e) for e in tx.values(DELETED) if e["vault"]["id"].split("/")[2].lower() == sub.lower()]


def purge(tx: Tx, sub: str, location: str, name: str) -> None:
    """Purge a deleted vault and its secrets for good; refused while purge protection holds it."""
    entry = require_deleted(tx, sub, location, name)
    if entry["vault"]["properties"].get("enablePurgeProtection") and \
            entry["scheduledPurgeDate"] > _stamp():
        raise Conflict(f"Vault '{name}' has purge protection enabled and cannot be purged "
                       f"before its scheduled purge date ({entry['scheduledPurgeDate']}); it can be recovered.")
    tx.delete(DELETED, name.lower())
    secrets.drop_vault(tx, name)


def recover(tx: Tx, sub: str, group: str, name: str, location: str, body: dict) -> dict:
    entry = find_deleted(tx, name)
    rid = vault_id(sub, group, name)
    if entry is None or entry["vault"]["id"].lower() != rid.lower():
        raise ResourceNotFound(f"A deleted vault '{name}' in resource group '{group}' was not "
                               "found; only a soft-deleted vault can be recovered (createMode recover).")
    arm.require_group(tx, sub, group)
    doc = entry["vault"]
    if body.get("tags") is not None:
        doc["tags"] = body["tags"]
    arm.put(tx, doc)
    tx.delete(DELETED, name.lower())
    return doc


def name_availability(tx: Tx, body: dict) -> dict:
    """checkNameAvailability: free, invalid, or taken (by a live vault or a deleted one)."""
    name = str(body.get("name") or "")
    if str(body.get("type", "")).lower() != TYPE.lower():
        raise BadRequest(f"The type must be '{TYPE}'.")
    if name_problem(name):
        return {"nameAvailable": False, "reason": "AccountNameInvalid", "message": NAME_INVALID.format(name=name)}
    if find_vault(tx, name) is not None or find_deleted(tx, name) is not None:
        return {"nameAvailable": False, "reason": "AlreadyExists", "message": NAME_IN_USE.format(name=name)}
    return {"nameAvailable": True}

