"""Shared access authorization rules of Event Hubs namespaces and event hubs, and their keys (no HTTP).

A namespace is born with `RootManageSharedAccessKey` (Listen, Manage, Send), as in Azure. Keys are secrets:
they live in their own collection, never in the ARM document, and are only answered by listKeys and
regenerateKeys.
"""

from __future__ import annotations

import base64
import secrets

from azlake.emulator.core import arm
from azlake.emulator.core.errors import NotFound
from azlake.emulator.core.store import Tx
from azlake.emulator.eventhub.models import bad_request

KEYS = "eventhub_keys"  # rule id (lower-case) -> {"primaryKey", "secondaryKey"}
ROOT_RULE = "RootManageSharedAccessKey"
_RIGHTS = ("Listen", "Manage", "Send")


def rule_type(parent: dict) -> str:
    return f"{parent['type']}/AuthorizationRules"


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _rights(body: dict) -> list[str]:
    rights = (body.get("properties") or {}).get("rights")
    if not isinstance(rights, list) or not rights:
        raise bad_request("The authorization rule needs 'properties.rights': one or more of Listen, Manage, Send.")
    wrong = [r for r in rights if r not in _RIGHTS]
    if wrong:
        raise bad_request(f"The rights {wrong} are not valid; use Listen, Manage and Send.")
    if "Manage" in rights and not {"Listen", "Send"} <= set(rights):
        raise bad_request("An authorization rule with the Manage right must also have Listen and Send.")
    return [r for r in _RIGHTS if r in rights]


def put_rule(tx: Tx, parent: dict, name: str, body: dict) -> dict:
    rid = f"{parent['id']}/authorizationRules/{name}"
    doc = arm.envelope(rid, name, rule_type(parent), location=parent.get("location"),
                       properties={"rights": _rights(body)})
    arm.put(tx, doc)
    if tx.get(KEYS, arm.key(rid)) is None:
        tx.put(KEYS, arm.key(rid), {"primaryKey": new_key(), "secondaryKey": new_key()})
    return doc


def add_root_rule(tx: Tx, namespace: dict) -> None:
    put_rule(tx, namespace, ROOT_RULE, {"properties": {"rights": list(_RIGHTS)}})


def require_rule(tx: Tx, parent: dict, name: str) -> dict:
    doc = arm.get(tx, f"{parent['id']}/authorizationRules/{name}")
    if doc is None:
        kind = "eventhub" if parent["type"].lower().endswith("eventhubs") else "namespace"
        raise NotFound(f"The authorization rule '{name}' of {kind} '{parent['name']}' could "
                       "not be found.")
    return doc


def rules(tx: Tx, parent: dict) -> list[dict]:
    wanted = rule_type(parent).lower()
    return [d for d in arm.children(tx, parent["id"]) if str(d.get("type", "")).lower() == wanted]


def delete_rule(tx: Tx, parent: dict, name: str) -> bool:
    rid = f"{parent['id']}/authorizationRules/{name}"
    if arm.get(tx, rid) is None:
        return False
    arm.delete(tx, rid)
    tx.delete(KEYS, arm.key(rid))
    return True


def access_keys(tx: Tx, rule: dict, namespace: str, hub: str | None = None) -> dict:
    keys = tx.get(KEYS, arm.key(rule["id"])) or {}
    entity = f";EntityPath={hub}" if hub else ""

    def connection(key: str) -> str:
        return (f"Endpoint=sb://{namespace.lower()}.servicebus.windows.net/;SharedAccessKeyName={rule['name']};"
                f"SharedAccessKey={key}{entity}")

    return {"keyName": rule["name"], "primaryKey": keys.get("primaryKey"), "secondaryKey": keys.get("secondaryKey"),
            "primaryConnectionString": connection(keys.get("primaryKey", "")),
            "secondaryConnectionString": connection(keys.get("secondaryKey", ""))}


def regenerate(tx: Tx, rule: dict, body: dict) -> None:
    which = body.get("keyType")
    if which not in ("PrimaryKey", "SecondaryKey"):
        raise bad_request(f"The key type '{which}' is not valid; use PrimaryKey or SecondaryKey.")
    keys = tx.get(KEYS, arm.key(rule["id"])) or {}
    field = "primaryKey" if which == "PrimaryKey" else "secondaryKey"
    keys[field] = body.get("key") or new_key()
    tx.put(KEYS, arm.key(rule["id"]), keys)


def drop_keys(tx: Tx, doc: dict) -> None:
    """arm.on_delete hook: a rule's keys go with it (and with its namespace or event hub)."""
    tx.delete(KEYS, arm.key(doc["id"]))
