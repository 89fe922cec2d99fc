"""The `identity` block of an ARM resource (system- and user-assigned managed identities), as Azure answers it.

Azure gives a system-assigned identity a principal id and the tenant, fixed for the resource's life, and
answers each user-assigned identity with its principal and client ids. A PATCH's map merges into the
stored one, a null value removing that identity (ARM's merge-patch rule).
"""

from __future__ import annotations

import uuid

from azlake.emulator.core import arm
from azlake.emulator.core.auth import LOCAL_TENANT_ID
from azlake.emulator.core.errors import BadRequest, InvalidIdentity, InvalidIdentityType
from azlake.emulator.core.store import Tx

_TYPES = {"none", "systemassigned", "userassigned", "systemassigned,userassigned"}


def _kind(value: str) -> str:
    return value.replace(" ", "").lower()


def _user_ids(tx: Tx, rid: str) -> dict:
    """Principal and client id of a user-assigned identity (stable made-up ids for one not in this emulator)."""
    doc = arm.get(tx, rid)
    if doc is not None:
        return {"principalId": doc["properties"]["principalId"], "clientId": doc["properties"]["clientId"]}
    return {"principalId": str(uuid.uuid5(uuid.NAMESPACE_URL, rid.lower() + "#principal")),
            "clientId": str(uuid.uuid5(uuid.NAMESPACE_URL, rid.lower() + "#client"))}


def resolve(tx: Tx, sent: dict | None, existing: dict | None, *, patch: bool = False) -> dict | None:
    """The identity block to store and answer, from what a PUT/PATCH sent and what the resource had."""
    if sent is None:
        return existing
    if not isinstance(sent, dict) or not isinstance(sent.get("type", ""), str):
        raise InvalidIdentity("The 'identity' property must be an object with a 'type'.")
    given = sent.get("type") or (existing or {}).get("type") or "None"
    if _kind(given) not in _TYPES:
        raise InvalidIdentityType(
            f"The identity type '{given}' is not valid; use None, SystemAssigned, UserAssigned or "
            "'SystemAssigned, UserAssigned'.")
    if _kind(given) == "none":
        return {"type": given}
    out: dict = {"type": given}
    if "systemassigned" in _kind(given):
        old = existing if existing and "systemassigned" in _kind(existing.get("type", "")) else {}
        out["principalId"] = old.get("principalId") or str(uuid.uuid4())
        out["tenantId"] = LOCAL_TENANT_ID
    if "userassigned" in _kind(given):
        users = dict((existing or {}).get("userAssignedIdentities") or {}) if patch else {}
        for rid, value in (sent.get("userAssignedIdentities") or {}).items():
            if value is None:
                users.pop(next((k for k in users if k.lower() == rid.lower()), rid), None)
            else:
                users[rid] = _user_ids(tx, rid)
        if not users:
            raise BadRequest(f"The identity type '{given}' needs at least one user-assigned "
                             "identity in 'userAssignedIdentities'.")
        out["userAssignedIdentities"] = users
    return out
