"""Event Hubs namespaces, event hubs and consumer groups: state, per-SKU limits and lifecycle (no HTTP).

Limits are the documented quotas (AZURE-FACTS.md "Event Hubs"): the tier fixes capacity, partitions,
retention and consumer groups, and cannot change after creation. A namespace's states are computed
on every read from its creation operation and the emulator's clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from azlake.emulator.core import arm, identity, lro
from azlake.emulator.core.clock import Clock, timeline_state
from azlake.emulator.core.errors import BadRequest, Conflict, EmulatedError, InvalidResourceLocation
from azlake.emulator.core.store import Tx

NAMESPACE_TYPE = "Microsoft.EventHub/Namespaces"
HUB_TYPE = "Microsoft.EventHub/Namespaces/EventHubs"
GROUP_TYPE = "Microsoft.EventHub/Namespaces/EventHubs/ConsumerGroups"
PRIVATE = "eventhub"
DEFAULT_GROUP = "$Default"
# namespace creation, nominal seconds: status Created, then Activating, then Active
CREATE_STEPS = [("Created", 10.0), ("Activating", 50.0)]
CREATE_SECONDS = sum(d for _, d in CREATE_STEPS)
DELETE_SECONDS = 30.0


@dataclass(frozen=True)
class Tier:
    capacities: tuple[int, ...]
    partitions: int
    retention_hours: int
    consumer_groups: int
    hubs: int          # per namespace (Premium: per processing unit, see hub_limit)
    kafka: bool


TIERS = {
    "Basic": Tier(tuple(range(1, 41)), 32, 24, 1, 10, False),
    "Standard": Tier(tuple(range(1, 41)), 32, 168, 20, 10, True),
    "Premium": Tier((1, 2, 4, 8, 16), 100, 2160, 100, 100, True),
}
# computed by Event Hubs, ignored in requests as ARM ignores read-only values
_READ_ONLY = {"provisioningState", "status", "createdAt", "updatedAt", "serviceBusEndpoint", "metricId",
              "privateEndpointConnections"}
_NAMESPACE_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]{4,48}[a-zA-Z0-9]$")
ENTITY_NAME = re.compile(r"^[a-zA-Z0-9$]([a-zA-Z0-9._-]{0,254}[a-zA-Z0-9])?$")


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def bad_request(message: str) -> EmulatedError:
    return BadRequest(message)


def namespace_id(sub: str, group: str, name: str) -> str:
    return f"{arm.rg_id(sub, group)}/providers/Microsoft.EventHub/namespaces/{name}"


def namespace_name_problem(name: str) -> str | None:
    if not _NAMESPACE_NAME.match(name) or name.lower().endswith(("-sb", "-mgmt")):
        return (f"The namespace name '{name}' is invalid: use 6-50 letters, digits and hyphens, starting with a "
                "letter and ending with a letter or digit (not '-sb' or '-mgmt').")
    return None


# --- namespaces ----------------------------------------------------------------------------------
def require_namespace(tx: Tx, sub: str, group: str, name: str) -> dict:
    return arm.require(tx, sub, group, namespace_id(sub, group, name), NAMESPACE_TYPE, name)


def _sku(body: dict, existing: dict | None) -> dict:
    # no SKU: Standard with one throughput unit (the official create example sends none and gets Standard back)
    sku = dict(body.get("sku") or (existing or {}).get("sku") or {"name": "Standard", "capacity": 1})
    tier = str(sku.get("name") or "").capitalize()
    if tier not in TIERS:
        raise bad_request(f"The SKU '{sku.get('name')}' is not valid; use Basic, Standard or Premium.")
    if existing and existing["sku"]["name"] != tier:
        raise bad_request(f"The tier of namespace '{existing['name']}' cannot change from {existing['sku']['name']} to "
                          f"{tier} after creation; create a new namespace with the {tier} tier instead.")
    capacity = 1 if sku.get("capacity") is None else sku["capacity"]
    if capacity not in TIERS[tier].capacities:
        unit = "processing units" if tier == "Premium" else "throughput units"
        allowed = ", ".join(map(str, TIERS[tier].capacities)) if tier == "Premium" else "1 to 40"
        raise bad_request(f"Capacity {capacity} is not valid for the {tier} tier: use {allowed} {unit}.")
    return {"name": tier, "tier": tier, "capacity": capacity}


def _properties(body: dict, sku: dict, existing: dict | None) -> dict:
    given = body.get("properties") or {}
    old = (existing or {}).get("properties") or {}
    inflate = bool(given.get("isAutoInflateEnabled", old.get("isAutoInflateEnabled", False)))
    maximum = int(given.get("maximumThroughputUnits", old.get("maximumThroughputUnits", 0)) or 0)
    if inflate and sku["tier"] != "Standard":
        raise bad_request(f"Auto-inflate is only available in the Standard tier, not {sku['tier']}.")
    if inflate and not sku["capacity"] <= maximum <= 40:
        raise bad_request(f"maximumThroughputUnits {maximum} must be between the capacity ({sku['capacity']}) and 40 "
                          "when auto-inflate is enabled.")
    kept = {k: v for k, v in given.items() if k not in _READ_ONLY}  # stored as sent, answered back
    encryption = kept.get("encryption")
    if isinstance(encryption, dict):  # Azure fills what a customer-managed key setting leaves out
        encryption.setdefault("requireInfrastructureEncryption", False)
        for key in encryption.get("keyVaultProperties") or []:
            if isinstance(key, dict):
                key.setdefault("keyVersion", "")
    return {"platformCapabilities": {"confidentialCompute": {"mode": "Disabled"}}, **old, **kept,
            "isAutoInflateEnabled": inflate, "maximumThroughputUnits": maximum if inflate else 0,
            "kafkaEnabled": TIERS[sku["tier"]].kafka,
            "minimumTlsVersion": given.get("minimumTlsVersion", old.get("minimumTlsVersion", "1.2")),
            "zoneRedundant": bool(given.get("zoneRedundant", old.get("zoneRedundant", True))),
            "disableLocalAuth": bool(given.get("disableLocalAuth", old.get("disableLocalAuth", False))),
            "publicNetworkAccess": given.get("publicNetworkAccess", old.get("publicNetworkAccess", "Enabled")),
            "ipV6Enabled": bool(given.get("ipV6Enabled", old.get("ipV6Enabled", False))),
            "privateEndpointConnections": []}


def create_or_update_namespace(app, tx: Tx, req, sub: str, group: str, name: str,
                               body: dict, put: bool = True) -> tuple[dict, lro.Operation | None]:
    """Create (returns the operation) or update capacity, settings and tags in place (operation None).

    A PUT on a namespace whose creation failed provisions it again (returns the new operation); a PATCH
    (`put=False`) only changes settings and leaves it Failed."""
    group_doc = arm.require_group(tx, sub, group)
    rid = namespace_id(sub, group, name)
    existing = arm.get(tx, rid)
    location = arm.location(body, NAMESPACE_TYPE)
    if existing is None:
        _check_new_name(tx, name)
        locks = arm.locks_covering(tx, group_doc["id"])
        if any(d["properties"].get("level") == "ReadOnly" for d in locks):
            raise arm.scope_locked_error(group_doc["id"], locks, "write")
    elif arm.region(existing["location"]) != location:
        raise InvalidResourceLocation(f"The namespace '{name}' already exists in location "
                                      f"'{existing['location']}'; it cannot move to '{location}'.")
    sku = _sku(body, existing)
    props = _properties(body, sku, existing)
    stamp = timestamp()
    props.update({"updatedAt": stamp, "createdAt": props.get("createdAt", stamp),
                  "serviceBusEndpoint": f"https://{name}.servicebus.windows.net:443/", "metricId": f"{sub}:{name}"})
    # Event Hubs answers the location as it was first sent ("East US" stays "East US"; its examples show it)
    shown = existing["location"] if existing else str(body["location"])
    doc = arm.envelope(rid, existing["name"] if existing else name, NAMESPACE_TYPE, location=shown,
                       tags=body.get("tags") if body.get("tags") is not None else (existing or {}).get("tags", {}),
                       sku=sku, identity=identity.resolve(tx, body.get("identity"), (existing or {}).get("identity"),
                                                          patch=not put),
                       properties=props)
    arm.put(tx, doc)
    if existing and not (put and namespace_states(tx, app.clock, name)[0] == "Failed"):
        return doc, None
    op = app.start_operation(tx, req, rid, "create", CREATE_SECONDS)
    tx.put(PRIVATE, name.lower(), {"id": rid, "ops": {"create": op.id}})
    return doc, op


def patch_namespace(app, tx: Tx, req, sub: str, group: str, name: str, body: dict) -> dict:
    """PATCH: capacity, settings and tags of an existing namespace (the tier still cannot change)."""
    existing = require_namespace(tx, sub, group, name)
    merged = {"location": existing["location"], "sku": {**existing["sku"], **(body.get("sku") or {})},
              "tags": body.get("tags"), "properties": body.get("properties") or {}, "identity": body.get("identity")}
    return create_or_update_namespace(app, tx, req, sub, group, name, merged, put=False)[0]


def _check_new_name(tx: Tx, name: str) -> None:
    problem = namespace_name_problem(name)
    if problem:
        raise bad_request(problem)
    if tx.get(PRIVATE, name.lower()) is not None:
        raise Conflict(f"The namespace name '{name}' is already in use. Event Hubs namespace "
                       f"names are unique across Azure (they form {name}.servicebus.windows.net); choose "
                       "another name.")


def namespace_states(tx: Tx, clock: Clock, name: str) -> tuple[str, str]:
    """(provisioningState, status) of a namespace now."""
    record = tx.get(PRIVATE, name.lower()) or {}
    op_doc = tx.get(lro.COLLECTION, (record.get("ops") or {}).get("create", ""))
    if op_doc is None:
        return "Succeeded", "Active"
    op = lro.Operation(**op_doc)
    elapsed = clock.elapsed_nominal(op.started)
    if op.outcome == "Failed" and elapsed >= op.duration:
        return "Failed", "Unknown"
    status = timeline_state(elapsed, CREATE_STEPS, "Active")
    return ("Succeeded" if status == "Active" else "Created"), status


def namespace_view(tx: Tx, clock: Clock, doc: dict) -> dict:
    provisioning, status = namespace_states(tx, clock, doc["name"])
    return {**doc, "properties": {**doc["properties"], "provisioningState": provisioning, "status": status}}


def namespaces_in(tx: Tx, sub: str, group: str | None = None) -> list[dict]:
    prefix = arm.key(arm.rg_id(sub, group) if group else f"/subscriptions/{sub}") + "/"
    return [d for d in tx.values(arm.COLLECTION, prefix) if d.get("type") == NAMESPACE_TYPE]


def delete_namespace(app, tx: Tx, req, sub: str, group: str, name: str) -> tuple[lro.Operation, str] | None:
    """Start the deletion; (operation, namespace location), or None when there is no such namespace."""
    arm.require_group(tx, sub, group)
    rid = namespace_id(sub, group, name)
    doc = arm.get(tx, rid)
    if doc is None:
        return None
    locks = arm.locks_covering(tx, rid) + arm.locks_within(tx, rid)
    if locks:
        raise arm.scope_locked_error(rid, locks)
    op = app.start_operation(tx, req, rid, "delete", DELETE_SECONDS)
    if op.outcome == "Succeeded":  # a delete that is made to fail keeps the namespace
        arm.delete(tx, rid)  # hubs and consumer groups go with it
    return op, arm.region(doc["location"])


def drop_private(tx: Tx, doc: dict) -> None:
    """arm.on_delete hook: free the global namespace name."""
    tx.delete(PRIVATE, str(doc["name"]).lower())


def check_name(tx: Tx, body: dict) -> dict:
    name = str(body.get("name") or "")
    problem = namespace_name_problem(name)
    if problem:
        return {"nameAvailable": False, "reason": "InvalidName", "message": problem}
    if tx.get(PRIVATE, name.lower()) is not None:
        return {"nameAvailable": False, "reason": "NameInUse",
                "message": f"The namespace name '{name}' is already in use."}
    return {"nameAvailable": True, "reason": "None", "message": ""}


def active_namespace(tx: Tx, clock: Clock, sub: str, group: str, name: str) -> dict:
    doc = require_namespace(tx, sub, group, name)
    provisioning, status = namespace_states(tx, clock, name)
    if status != "Active":
        raise Conflict(f"The namespace '{name}' is {status} (provisioningState "
                       f"{provisioning}); wait until it is Active and retry.")
    return doc
