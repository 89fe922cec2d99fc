"""Management locks: state and rules (no HTTP). Enforcement lives in the core (`Emulator._check_locks`)."""

from __future__ import annotations

import re

from azlake.emulator.core import arm
from azlake.emulator.core.errors import InvalidFilterInQueryString
from azlake.emulator.core.store import Tx
from azlake.emulator.locks.errors import InvalidLockLevel, InvalidLockName, LockNotesTooLong, LockNotFound

TYPE = "Microsoft.Authorization/locks"
LEVELS = ("CanNotDelete", "ReadOnly")
_NAME = re.compile(r"^[^<>*%&:\\?/+]{1,260}$")


def normalise_scope(scope: str) -> str:
    return "/" + "/".join(p for p in scope.split("/") if p)


def lock_id(scope: str, name: str) -> str:
    return f"{normalise_scope(scope).rstrip('/')}/providers/{TYPE}/{name}"


def _validate(name: str, body: dict) -> dict:
    if not _NAME.match(name):
        raise InvalidLockName(f"The lock name '{name}' is invalid: use 1-260 characters without < > * % & : \\ ? / +.")
    props = body.get("properties") or {}
    level = props.get("level")
    if level not in LEVELS:
        raise InvalidLockLevel(f"The lock level '{level}' is not valid. Use CanNotDelete or ReadOnly.")
    notes = props.get("notes")
    if notes is not None and len(notes) > 512:
        raise LockNotesTooLong("The lock notes must be at most 512 characters long.")
    return props


def create_or_update(tx: Tx, scope: str, name: str, body: dict) -> tuple[dict, bool]:
    props = _validate(name, body)
    scope = normalise_scope(scope)
    arm.require_scope(tx, scope)
    rid = lock_id(scope, name)
    existing = arm.get(tx, rid)
    doc = arm.envelope(existing["id"] if existing else rid, existing["name"] if existing else name, TYPE,
                       properties={k: v for k, v in (("level", props["level"]), ("notes", props.get("notes")),
                                                     ("owners", props.get("owners"))) if v is not None})
    arm.put(tx, doc)
    return doc, existing is None


def get(tx: Tx, scope: str, name: str) -> dict:
    doc = arm.get(tx, lock_id(scope, name))
    if doc is None:
        raise LockNotFound(f"The lock '{name}' could not be found.")
    return doc


def delete(tx: Tx, scope: str, name: str) -> bool:
    rid = lock_id(scope, name)
    if arm.get(tx, rid) is None:
        return False
    arm.delete(tx, rid)
    return True


def list_at(tx: Tx, scope: str, filter_: str | None) -> list[dict]:
    """Locks at the scope and below it (what `az lock list` shows for a group or a resource)."""
    scope = normalise_scope(scope)
    docs = arm.locks_within(tx, scope)
    if filter_:
        m = re.fullmatch(r"\s*name\s+eq\s+'([^']*)'\s*", filter_, re.IGNORECASE)
        if not m:
            raise InvalidFilterInQueryString(f"The filter '{filter_}' is not supported; use name eq '<lock name>'.")
        docs = [d for d in docs if d["name"].lower() == m.group(1).lower()]
    return sorted(docs, key=lambda d: arm.key(d["id"]))
