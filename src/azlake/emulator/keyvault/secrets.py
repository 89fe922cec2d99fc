"""Key Vault secrets: versions, soft-deleted secrets, recovery and purge (no HTTP).

A secret's versions are kept oldest first; the latest is what a GET without a version answers. Deleting a
secret keeps it (all versions) as a deleted secret that can be recovered or, without purge protection, purged.
"""

from __future__ import annotations

import re
import time
import uuid

from azlake.emulator.core.store import Tx
from azlake.emulator.keyvault.errors import BadParameter, Conflict, Forbidden, SecretNotFound

LIVE = "keyvault_secrets"          # "<vault>/<secret>" (lower-case) -> {"name", "versions": [...]}
DELETED = "keyvault_deleted_secrets"
_NAME = re.compile(r"^[0-9A-Za-z-]{1,127}$")
MAX_VALUE_BYTES = 25 * 1024


def not_found(name: str) -> SecretNotFound:
    return SecretNotFound(f"A secret with (name/id) {name} was not found in this key vault. If "
                          "you recently deleted this secret you may be able to recover it using the correct recovery "
                          "command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?"
                          "linkid=2125182")


def _key(vault: str, name: str) -> str:
    return f"{vault.lower()}/{name.lower()}"


def check_name(name: str) -> None:
    if not _NAME.match(name):
        raise BadParameter(f"The request URI contains an invalid name: {name}. Secret names are "
                           "1-127 letters, digits and dashes.")


def _recovery(vault_doc: dict) -> dict:
    props = vault_doc["properties"]
    level = "Recoverable" if props.get("enablePurgeProtection") else "Recoverable+Purgeable"
    return {"recoveryLevel": level, "recoverableDays": props.get("softDeleteRetentionInDays", 90)}


def set_secret(tx: Tx, vault_doc: dict, name: str, body: dict) -> dict:
    """A new version (the first creates the secret); refused while a deleted secret holds the name."""
    check_name(name)
    vault = vault_doc["name"]
    value = body.get("value")
    if not isinstance(value, str):
        raise BadParameter("Property 'value' is required and must be a string.")
    if len(value.encode()) > MAX_VALUE_BYTES:
        raise BadParameter(f"The secret value exceeds {MAX_VALUE_BYTES} bytes.")
    if tx.get(DELETED, _key(vault, name)) is not None:
        raise Conflict(f"Secret {name} is currently in a deleted but recoverable state, and its "
                       "name cannot be reused; in this state, the secret can only be recovered or purged.",
                       inner="ObjectIsDeletedButRecoverable")
    entry = tx.get(LIVE, _key(vault, name)) or {"name": name, "versions": []}
    now = int(time.time())
    attrs = {"enabled": True, **(body.get("attributes") or {}), "created": now, "updated": now,
             **_recovery(vault_doc)}
    version = {"version": uuid.uuid4().hex, "value": value, "contentType": body.get("contentType"),
               "tags": body.get("tags") or {}, "attributes": attrs}
    entry["versions"].append(version)
    tx.put(LIVE, _key(vault, name), entry)
    return bundle(vault, entry["name"], version)


def bundle(vault: str, name: str, version: dict, with_value: bool = True) -> dict:
    out = {"id": f"https://{vault.lower()}.vault.azure.net/secrets/{name}/{version['version']}",
           "attributes": version["attributes"], "tags": version["tags"]}
    if version.get("contentType") is not None:
        out["contentType"] = version["contentType"]
    if with_value:
        out["value"] = version["value"]
    return out


def _entry(tx: Tx, vault: str, name: str) -> dict:
    entry = tx.get(LIVE, _key(vault, name))
    if entry is None:
        raise not_found(name)
    return entry


def _version(entry: dict, version: str | None) -> dict:
    if not version:
        return entry["versions"][-1]
    for v in entry["versions"]:
        if v["version"] == version.lower():
            return v
    raise not_found(f"{entry['name']}/{version}")


def get_secret(tx: Tx, vault: str, name: str, version: str | None) -> dict:
    entry = _entry(tx, vault, name)
    found = _version(entry, version)
    if not found["attributes"].get("enabled", True):
        raise Forbidden("Operation get is not allowed on a disabled secret.",
                        inner="SecretDisabled")
    return bundle(vault, entry["name"], found)


def update_secret(tx: Tx, vault: str, name: str, version: str | None, body: dict) -> dict:
    """PATCH a version's content type, tags and enabled flag (never its value)."""
    entry = _entry(tx, vault, name)
    found = _version(entry, version)
    if "contentType" in body:
        found["contentType"] = body["contentType"]
    if body.get("tags") is not None:
        found["tags"] = body["tags"]
    for key, value in (body.get("attributes") or {}).items():
        if key in ("enabled", "nbf", "exp"):
            found["attributes"][key] = value
    found["attributes"]["updated"] = int(time.time())
    tx.put(LIVE, _key(vault, name), entry)
    return bundle(vault, entry["name"], found, with_value=False)


def _item(vault: str, name: str, version: dict, versioned: bool) -> dict:
    out = bundle(vault, name, version, with_value=False)
    if not versioned:
        out["id"] = out["id"].rsplit("/", 1)[0]
    return out


def list_secrets(tx: Tx, vault: str) -> list[dict]:
    return [_item(vault, e["name"], e["versions"][-1], False) for e in tx.values(LIVE, vault.lower() + "/")]


def list_versions(tx: Tx, vault: str, name: str) -> list[dict]:
    entry = _entry(tx, vault, name)
    return [_item(vault, entry["name"], v, True) for v in entry["versions"]]


def delete_secret(tx: Tx, vault_doc: dict, name: str) -> dict:
    vault = vault_doc["name"]
    entry = _entry(tx, vault, name)
    now = int(time.time())
    days = vault_doc["properties"].get("softDeleteRetentionInDays", 90)
    entry.update(deletedDate=now, scheduledPurgeDate=now + days * 86400)
    tx.put(DELETED, _key(vault, name), entry)
    tx.delete(LIVE, _key(vault, name))
    return deleted_bundle(vault, entry)


def deleted_bundle(vault: str, entry: dict) -> dict:
    out = bundle(vault, entry["name"], entry["versions"][-1], with_value=False)
    out.update(recoveryId=f"https://{vault.lower()}.vault.azure.net/deletedsecrets/{entry['name']}",
               deletedDate=entry["deletedDate"], scheduledPurgeDate=entry["scheduledPurgeDate"])
    return out


def get_deleted(tx: Tx, vault: str, name: str) -> dict:
    entry = tx.get(DELETED, _key(vault, name))
    if entry is None:
        raise SecretNotFound(f"Deleted Secret not found: {name}")
    return entry


def list_deleted(tx: Tx, vault: str) -> list[dict]:
    out = []
    for entry in tx.values(DELETED, vault.lower() + "/"):
        item = deleted_bundle(vault, entry)
        item["id"] = item["id"].rsplit("/", 1)[0]
        out.append(item)
    return out


def recover(tx: Tx, vault: str, name: str) -> dict:
    entry = get_deleted(tx, vault, name)
    entry.pop("deletedDate", None)
    entry.pop("scheduledPurgeDate", None)
    tx.put(LIVE, _key(vault, name), entry)
    tx.delete(DELETED, _key(vault, name))
    return bundle(vault, entry["name"], entry["versions"][-1], with_value=False)


def purge(tx: Tx, vault_doc: dict, name: str) -> None:
    get_deleted(tx, vault_doc["name"], name)
    if vault_doc["properties"].get("enablePurgeProtection"):
        raise Forbidden("Operation \"purge\" is not allowed because purge protection is enabled "
                        "for this vault. Key Vault service will automatically purge it after the retention "
                        "period has passed.", inner="PurgeProtectionEnabled")
    tx.delete(DELETED, _key(vault_doc["name"], name))


def drop_vault(tx: Tx, vault: str) -> None:
    """A purged vault's secrets go with it."""
    tx.delete_prefix(LIVE, vault.lower() + "/")
    tx.delete_prefix(DELETED, vault.lower() + "/")
