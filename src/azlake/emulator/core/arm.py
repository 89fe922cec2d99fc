"""ARM resource registry shared by all services: documents keyed by lower-cased resource id.

Keeping every ARM resource in one collection lets the resource-group service delete a group's
contents, the locks service find locks above a resource, and services cascade their own clean-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from azlake.emulator.core.errors import (
    EmulatedError,
    LocationNotAvailableForResourceType,
    LocationRequired,
    ResourceGroupNotFound,
    ResourceNotFound,
    ScopeLocked,
    not_found,
)
from azlake.emulator.core.store import Tx

COLLECTION = "arm"

# resource type (lower-case) -> clean-ups run when a resource of that type is deleted (e.g. data plane),
# by name: every Emulator registers its services again, and a service registers one hook per type
_cleanup: dict[str, dict[str, Callable[[Tx, dict], None]]] = {}


def on_delete(resource_type: str, hook: Callable[[Tx, dict], None]) -> None:
    _cleanup.setdefault(resource_type.lower(), {})[f"{hook.__module__}.{hook.__qualname__}"] = hook


def key(resource_id: str) -> str:
    return resource_id.rstrip("/").lower()


def rg_id(subscription: str, group: str) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{group}"


def get(tx: Tx, resource_id: str) -> dict | None:
    return tx.get(COLLECTION, key(resource_id))


def put(tx: Tx, doc: dict) -> None:
    tx.put(COLLECTION, key(doc["id"]), doc)


def children(tx: Tx, resource_id: str) -> list[dict]:
    """Every resource strictly below `resource_id`."""
    return tx.values(COLLECTION, key(resource_id) + "/")


def delete(tx: Tx, resource_id: str) -> None:
    """Delete a resource and everything under it, running each type's clean-up hook."""
    docs = children(tx, resource_id)
    own = get(tx, resource_id)
    if own:
        docs.append(own)
    for doc in docs:
        for hook in _cleanup.get(str(doc.get("type", "")).lower(), {}).values():
            hook(tx, doc)
        tx.delete(COLLECTION, key(doc["id"]))


def require_group(tx: Tx, subscription: str, group: str) -> dict:
    doc = get(tx, rg_id(subscription, group))
    if doc is None:
        raise ResourceGroupNotFound(f"Resource group '{group}' could not be found.")
    return doc


def require(tx: Tx, subscription: str, group: str, resource_id: str, resource_type: str, name: str) -> dict:
    """A resource of a group, or Azure's 404 (ResourceGroupNotFound first, then ResourceNotFound)."""
    require_group(tx, subscription, group)
    doc = get(tx, resource_id)
    if doc is None:
        raise not_found(resource_type, name, group)
    return doc


def delete_in_group(tx: Tx, subscription: str, group: str, resource_id: str) -> bool:
    """Delete a resource of a group (with what is under it); False when it did not exist (Azure: 204)."""
    require_group(tx, subscription, group)
    if get(tx, resource_id) is None:
        return False
    delete(tx, resource_id)
    return True


def require_scope(tx: Tx, scope: str) -> None:
    """An extension resource's scope (role assignment, lock) must exist: its group, and its resource if any.

    Only the top-level resource is looked up: child resources (containers, event hubs) may live in a
    service's own state rather than in this registry."""
    parts = [p for p in scope.split("/") if p]
    if len(parts) >= 4 and parts[0].lower() == "subscriptions" and parts[2].lower() == "resourcegroups":
        require_group(tx, parts[1], parts[3])
        if len(parts) >= 8 and get(tx, "/" + "/".join(parts[:8])) is None:
            raise ResourceNotFound(f"The Resource '{'/'.join(parts[5:8])}' under resource group '{parts[3]}' was not "
                                   "found. For more details please go to https://aka.ms/ARMResourceNotFoundFix")


def locks_covering(tx: Tx, resource_id: str) -> list[dict]:
    """Management locks at the resource, or any scope above it (group, subscription)."""
    found = []
    parts = key(resource_id).split("/")
    for i in range(3, len(parts) + 1):
        scope = "/".join(parts[:i])
        for doc in tx.values(COLLECTION, scope + "/providers/microsoft.authorization/locks/"):
            if key(doc["id"]).rsplit("/providers/microsoft.authorization/locks/", 1)[0] == scope:
                found.append(doc)
    return found


def locks_within(tx: Tx, resource_id: str) -> list[dict]:
    """Locks on the resource or on anything inside it."""
    return [d for d in [get(tx, resource_id), *children(tx, resource_id)]
            if d and str(d.get("type", "")).lower() == "microsoft.authorization/locks"]


def scope_locked_error(resource_id: str, locks: list[dict], operation: str = "delete") -> EmulatedError:
    """Azure names the locked scopes (where the locks sit), not the locks."""
    scopes = dict.fromkeys(d["id"].rsplit("/providers/Microsoft.Authorization/locks/", 1)[0] for d in locks)
    names = ",".join(scopes)
    return ScopeLocked(
        f"The scope '{resource_id}' cannot perform {operation} operation because following scope(s) are "
        f"locked: '{names}'. Please remove the lock and try again.")


_LOCATION = re.compile(r"^[a-z][a-z0-9]+$")


def region(name: str) -> str:
    """A location as ARM compares it: "West Europe" and "westeurope" are one region."""
    return str(name or "").lower().replace(" ", "")


def location(body: dict, resource_type: str) -> str:
    """A request body's location as ARM stores it ("Brazil South" -> "brazilsouth"), or Azure's 400."""
    value = str(body.get("location") or "").lower().replace(" ", "")
    if not value:
        raise LocationRequired("The location property is required for this definition.")
    if not _LOCATION.match(value):
        raise LocationNotAvailableForResourceType(
            f"The provided location '{body.get('location')}' is not available for resource type "
            f"'{resource_type}'.")
    return value


def envelope(resource_id: str, name: str, rtype: str, **fields: Any) -> dict:
    doc = {"id": resource_id, "name": name, "type": rtype}
    doc.update({k: v for k, v in fields.items() if v is not None})
    return doc
