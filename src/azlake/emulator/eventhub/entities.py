"""Event hubs and consumer groups inside a namespace: partitions, retention and counts per tier (no HTTP)."""

from __future__ import annotations

import math
import uuid

from azlake.emulator.core import arm
from azlake.emulator.core.clock import Clock
from azlake.emulator.core.errors import EmulatedError, NotFound, QuotaExceeded
from azlake.emulator.core.store import Tx
from azlake.emulator.eventhub.models import (
    DEFAULT_GROUP,
    ENTITY_NAME,
    GROUP_TYPE,
    HUB_TYPE,
    TIERS,
    active_namespace,
    bad_request,
    namespace_id,
    require_namespace,
    timestamp,
)

DEFAULT_PARTITIONS = 4
DEFAULT_RETENTION_HOURS = 24


def hub_id(sub: str, group: str, namespace: str, hub: str) -> str:
    return f"{namespace_id(sub, group, namespace)}/eventhubs/{hub}"


def entity_not_found(namespace: str, kind: str, name: str) -> EmulatedError:
    return NotFound(f"The messaging entity '{namespace}:{kind}:{name}' could not be found. "
                    "Check the name, or create it first.")


def _check_name(name: str, what: str, longest: int) -> None:
    if len(name) > longest or not ENTITY_NAME.match(name):
        raise bad_request(f"The {what} name '{name}' is invalid: use 1-{longest} letters, digits, '.', '-' and '_', "
                          "starting and ending with a letter or digit.")


def hub_limit(namespace: dict) -> int:
    tier = TIERS[namespace["sku"]["name"]]
    if namespace["sku"]["name"] == "Premium":
        return min(1000, tier.hubs * namespace["sku"]["capacity"])
    return tier.hubs


def require_hub(tx: Tx, sub: str, group: str, namespace: str, hub: str) -> dict:
    require_namespace(tx, sub, group, namespace)
    doc = arm.get(tx, hub_id(sub, group, namespace, hub))
    if doc is None:
        raise entity_not_found(namespace, "eventhub", hub)
    return doc


def _retention_hours(props: dict, tier_name: str) -> int:
    described = (props.get("retentionDescription") or {}).get("retentionTimeInHours")
    if described == -1:  # what Azure answers for a compacted hub; sent back, it means "by key, not by time"
        described = None
    days = props.get("messageRetentionInDays")
    hours = described if described is not None else (days * 24 if days is not None else DEFAULT_RETENTION_HOURS)
    longest = TIERS[tier_name].retention_hours
    if not isinstance(hours, int) or not 1 <= hours <= longest:
        raise bad_request(f"Retention of {hours} hours is not valid for the {tier_name} tier: use 1 to {longest} hours "
                          f"({longest // 24} days).")
    return hours


def _retention(props: dict, old: dict, hours: int) -> dict:
    """retentionDescription as Azure answers it: a compacted hub keeps events by key, not by time (-1 hours)."""
    sent = props.get("retentionDescription") or {}
    kept = {**(old.get("retentionDescription") or {}), **sent} if not sent or "cleanupPolicy" not in sent else sent
    policy = kept.get("cleanupPolicy") or "Delete"
    if policy not in ("Delete", "Compact", "DeleteOrCompact"):
        raise bad_request(f"The cleanup policy '{policy}' is not valid; use Delete, Compact or DeleteOrCompact.")
    out = {"cleanupPolicy": policy, "retentionTimeInHours": -1 if policy == "Compact" else hours}
    for key in ("minCompactionLagTimeInMinutes", "tombstoneRetentionTimeInHours"):
        if kept.get(key) is not None:
            out[key] = kept[key]
    return out


def create_or_update_hub(tx: Tx, clock: Clock, sub: str, group: str, namespace: str, hub: str, body: dict) -> dict:
    ns = active_namespace(tx, clock, sub, group, namespace)
    tier = ns["sku"]["name"]
    _check_name(hub, "event hub", 256)
    rid = hub_id(sub, group, namespace, hub)
    existing = arm.get(tx, rid)
    props = body.get("properties") or {}
    partitions = props.get("partitionCount") or (existing["properties"]["partitionCount"] if existing
                                                 else DEFAULT_PARTITIONS)
    if not isinstance(partitions, int) or not 1 <= partitions <= TIERS[tier].partitions:
        raise bad_request(f"Partition count {partitions} is not valid for the {tier} tier: use 1 to "
                          f"{TIERS[tier].partitions}.")
    if existing and partitions != existing["properties"]["partitionCount"]:
        if tier != "Premium" or partitions < existing["properties"]["partitionCount"]:
            raise bad_request(f"The partition count of event hub '{hub}' cannot change from "
                              f"{existing['properties']['partitionCount']} to {partitions} in the {tier} tier (only "
                              "Premium and Dedicated can add partitions, never remove them).")
    if existing is None and len(_hubs(tx, ns)) >= hub_limit(ns):
        raise QuotaExceeded(f"Namespace '{namespace}' ({tier}) already has "
                            f"{hub_limit(ns)} event hubs, its limit. Delete one or use another namespace.")
    hours = _retention_hours(props, tier)
    stamp = timestamp()
    old = (existing or {}).get("properties") or {}
    out = {"partitionCount": partitions, "partitionIds": [str(i) for i in range(partitions)],
           # Azure answers both retention fields as sent; one not sent follows the other
           "messageRetentionInDays": props.get("messageRetentionInDays") or max(1, math.ceil(hours / 24)),
           "retentionDescription": _retention(props, old, hours),
           "messageTimestampDescription": props.get("messageTimestampDescription")
           or old.get("messageTimestampDescription") or {"timestampType": "LogAppend"},
           "status": props.get("status") or old.get("status") or "Active",
           "createdAt": old.get("createdAt", stamp), "updatedAt": stamp,
           "identifier": old.get("identifier", str(uuid.uuid4()))}
    for key in ("userMetadata", "captureDescription"):  # echoed; capture itself is not emulated
        if props.get(key, old.get(key)) is not None:
            out[key] = props.get(key, old.get(key))
    doc = arm.envelope(rid, hub, HUB_TYPE, location=ns["location"], properties=out)
    arm.put(tx, doc)
    if existing is None:
        _put_group(tx, doc, DEFAULT_GROUP, {})
    return doc


def _hubs(tx: Tx, namespace: dict) -> list[dict]:
    return [d for d in arm.children(tx, namespace["id"]) if d.get("type") == HUB_TYPE]


def hubs(tx: Tx, sub: str, group: str, namespace: str) -> list[dict]:
    return _hubs(tx, require_namespace(tx, sub, group, namespace))


def delete_hub(tx: Tx, sub: str, group: str, namespace: str, hub: str) -> bool:
    require_namespace(tx, sub, group, namespace)
    rid = hub_id(sub, group, namespace, hub)
    if arm.get(tx, rid) is None:
        return False
    locks = arm.locks_covering(tx, rid)
    if locks:
        raise arm.scope_locked_error(rid, locks)
    arm.delete(tx, rid)
    return True


# --- consumer groups -----------------------------------------------------------------------------
def groups(tx: Tx, sub: str, group: str, namespace: str, hub: str) -> list[dict]:
    doc = require_hub(tx, sub, group, namespace, hub)
    return [d for d in arm.children(tx, doc["id"]) if d.get("type") == GROUP_TYPE]


def require_group(tx: Tx, sub: str, group: str, namespace: str, hub: str, name: str) -> dict:
    doc = arm.get(tx, f"{require_hub(tx, sub, group, namespace, hub)['id']}/consumergroups/{name}")
    if doc is None:
        raise entity_not_found(namespace, f"eventhub:{hub}:consumergroup", name)
    return doc


def create_or_update_group(tx: Tx, clock: Clock, sub: str, group: str, namespace: str, hub: str, name: str,
                           body: dict) -> dict:
    ns = active_namespace(tx, clock, sub, group, namespace)
    hub_doc = require_hub(tx, sub, group, namespace, hub)
    _check_name(name, "consumer group", 50)
    tier = ns["sku"]["name"]
    existing = arm.get(tx, f"{hub_doc['id']}/consumergroups/{name}")
    limit = TIERS[tier].consumer_groups
    if existing is None and len(groups(tx, sub, group, namespace, hub)) >= limit:
        raise QuotaExceeded(f"Event hub '{hub}' already has {limit} consumer group(s), the "
                            f"limit of the {tier} tier" + (" (only $Default)." if limit == 1 else ".")
                            + " Delete one or use a higher tier.")
    return _put_group(tx, hub_doc, name, (body.get("properties") or {}), existing)


def _put_group(tx: Tx, hub_doc: dict, name: str, props: dict, existing: dict | None = None) -> dict:
    stamp = timestamp()
    out = {"createdAt": ((existing or {}).get("properties") or {}).get("createdAt", stamp), "updatedAt": stamp}
    if props.get("userMetadata") is not None:
        out["userMetadata"] = props["userMetadata"]
    doc = arm.envelope(f"{hub_doc['id']}/consumergroups/{name}", name, GROUP_TYPE, location=hub_doc["location"],
                       properties=out)
    arm.put(tx, doc)
    return doc


def delete_group(tx: Tx, sub: str, group: str, namespace: str, hub: str, name: str) -> bool:
    hub_doc = require_hub(tx, sub, group, namespace, hub)
    if name.lower() == DEFAULT_GROUP.lower():
        raise bad_request(f"The consumer group '{DEFAULT_GROUP}' of event hub '{hub}' cannot be deleted.")
    rid = f"{hub_doc['id']}/consumergroups/{name}"
    if arm.get(tx, rid) is None:
        return False
    arm.delete(tx, rid)
    return True
