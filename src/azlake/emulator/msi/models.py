"""User-assigned identities: state and rules (no HTTP). Principal and client ids never change on update."""

from __future__ import annotations

import re
import uuid

from azlake.emulator.core import arm
from azlake.emulator.core.auth import LOCAL_TENANT_ID
from azlake.emulator.core.errors import (
    InvalidRequestContent,
    InvalidResourceLocation,
    InvalidResourceName,
)
from azlake.emulator.core.store import Tx

TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$")


def identity_id(sub: str, group: str, name: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{group}/providers/{TYPE}/{name}"


def validate_name(name: str) -> None:
    if not _NAME.match(name):
        raise InvalidResourceName(
            f"Resource name {name} is invalid. The name can be 3-128 characters long, may contain "
            "letters, digits, hyphens and underscores, and must begin with a letter or digit.")


def create_or_update(tx: Tx, sub: str, group: str, name: str, body: dict) -> tuple[dict, bool]:
    validate_name(name)
    arm.require_group(tx, sub, group)
    location = arm.location(body, TYPE)
    rid = identity_id(sub, group, name)
    existing = arm.get(tx, rid)
    if existing:
        if existing["location"] != location:
            raise InvalidResourceLocation(
                f"The resource '{name}' already exists in location '{existing['location']}' in "
                f"resource group '{group}'. A resource with the same name cannot be created in "
                f"location '{location}'. Please select a new resource name.")
        existing["tags"] = body.get("tags") or {}
        _copy_isolation(existing, body)
        arm.put(tx, existing)
        return existing, False
    doc = arm.envelope(rid, name, TYPE, location=location, tags=body.get("tags") or {},
                       properties={"tenantId": LOCAL_TENANT_ID, "principalId": str(uuid.uuid4()),
                                   "clientId": str(uuid.uuid4()), "isolationScope": "None"})
    _copy_isolation(doc, body)
    arm.put(tx, doc)
    return doc, True


def _copy_isolation(doc: dict, body: dict) -> None:
    scope = (body.get("properties") or {}).get("isolationScope")
    if scope is not None:
        if scope not in ("None", "Regional"):
            raise InvalidRequestContent(f"isolationScope '{scope}' is not valid; use None or Regional.")
        doc["properties"]["isolationScope"] = scope


def update(tx: Tx, sub: str, group: str, name: str, body: dict) -> dict:
    doc = get(tx, sub, group, name)
    if body.get("tags") is not None:
        doc["tags"] = body["tags"]
    _copy_isolation(doc, body)
    arm.put(tx, doc)
    return doc


def get(tx: Tx, sub: str, group: str, name: str) -> dict:
    return arm.require(tx, sub, group, identity_id(sub, group, name), TYPE, name)


def delete(tx: Tx, sub: str, group: str, name: str) -> bool:
    return arm.delete_in_group(tx, sub, group, identity_id(sub, group, name))


def list_identities(tx: Tx, prefix: str) -> list[dict]:
    return [d for d in tx.values(arm.COLLECTION, arm.key(prefix) + "/") if d["type"] == TYPE]


def principal_exists(tx: Tx, principal_id: str) -> bool:
    """Whether an identity of this emulator has the principal id (any subscription)."""
    return any(d.get("type") == TYPE and d["properties"]["principalId"] == principal_id
               for d in tx.values(arm.COLLECTION, "/subscriptions/"))
