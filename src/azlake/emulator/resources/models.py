"""Resource groups: state and rules (no HTTP)."""

from __future__ import annotations

import re

from azlake.emulator.core import arm
from azlake.emulator.core.errors import InvalidFilterInQueryString, LocationRequired
from azlake.emulator.core.store import Tx
from azlake.emulator.resources.errors import (
    InvalidResourceGroupLocation,
    InvalidResourceGroupName,
    InvalidResourceGroupNameLength,
)

TYPE = "Microsoft.Resources/resourceGroups"
_NAME = re.compile(r"^[-\w._()]{1,90}$")
DELETE_SECONDS = 30.0  # nominal


def validate_name(name: str) -> None:
    if not _NAME.match(name) or name.endswith("."):
        error = InvalidResourceGroupName if len(name) <= 90 else InvalidResourceGroupNameLength
        raise error(f"The provided resource group name '{name}' has these invalid characters or length: resource "
                    "group names must be 1-90 characters of letters, digits, '_', '(', ')', '-' and '.', and must "
                    "not end in '.'.")


def create_or_update(tx: Tx, subscription: str, name: str, body: dict) -> tuple[dict, bool]:
    validate_name(name)
    location = body.get("location")
    if not location:
        raise LocationRequired("The location property is required for this definition.")
    rid = arm.rg_id(subscription, name)
    existing = arm.get(tx, rid)
    if existing:
        if existing["location"].lower() != location.lower().replace(" ", ""):
            raise InvalidResourceGroupLocation(
                f"Invalid resource group location '{location}'. The Resource group already exists "
                f"in location '{existing['location']}'.")
        existing["tags"] = body.get("tags") or {}
        if "managedBy" in body:
            existing["managedBy"] = body["managedBy"]
        arm.put(tx, existing)
        return existing, False
    doc = arm.envelope(rid, existing["name"] if existing else name, TYPE,
                       location=location.lower().replace(" ", ""), tags=body.get("tags") or {},
                       managedBy=body.get("managedBy"), properties={"provisioningState": "Succeeded"})
    arm.put(tx, doc)
    return doc, True


def get(tx: Tx, subscription: str, name: str) -> dict:
    return arm.require_group(tx, subscription, name)


def list_groups(tx: Tx, subscription: str) -> list[dict]:
    prefix = f"/subscriptions/{subscription}/resourcegroups/".lower()
    return [d for d in tx.values(arm.COLLECTION, prefix) if d["type"] == TYPE]


def check_deletable(tx: Tx, subscription: str, name: str) -> dict:
    doc = arm.require_group(tx, subscription, name)
    locks = arm.locks_within(tx, doc["id"])
    if locks:
        raise arm.scope_locked_error(doc["id"], locks)
    return doc


def list_resources(tx: Tx, subscription: str, name: str, odata_filter: str | None = None) -> list[dict]:
    """Top-level resources of the group, as Azure lists them: not child resources (containers, event hubs)
    nor extension resources (locks, role assignments); `$filter` on resourceType, name, tagName/tagValue."""
    rid = arm.rg_id(subscription, name)
    depth = len(arm.key(rid).split("/")) + 4  # .../providers/{namespace}/{type}/{name}
    docs = [d for d in arm.children(tx, rid)
            if len(arm.key(d["id"]).split("/")) == depth and arm.key(d["id"]).split("/")[5] == "providers"
            and not d["type"].lower().startswith("microsoft.authorization/")]
    return [d for d in docs if _matches(d, odata_filter)]


_CLAUSE = re.compile(r"(resourceType|name|tagName|tagValue)\s+eq\s+'([^']*)'", re.IGNORECASE)


def _matches(doc: dict, odata_filter: str | None) -> bool:
    """ARM's `$filter` for this list, as far as the emulator knows it; anything else is refused, not ignored."""
    if not odata_filter:
        return True
    wanted = {k.lower(): v for k, v in _CLAUSE.findall(odata_filter)}
    if not wanted:
        raise InvalidFilterInQueryString(
            f"The $filter '{odata_filter}' is not supported by the azlake emulator (it knows "
            "resourceType, name, tagName and tagValue with 'eq').")
    tags = doc.get("tags") or {}
    if "resourcetype" in wanted and doc["type"].lower() != wanted["resourcetype"].lower():
        return False
    if "name" in wanted and doc["name"].lower() != wanted["name"].lower():
        return False
    if "tagname" in wanted and wanted["tagname"] not in tags:
        return False
    return "tagvalue" not in wanted or tags.get(wanted.get("tagname", "")) == wanted["tagvalue"]
