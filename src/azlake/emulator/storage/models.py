"""Storage accounts and blob service properties: state and Azure's rules (no HTTP).

The ARM document in `core.arm` is the GET body, with endpoints in their Azure (in-process) form;
responses rewrite them for a served emulator. Provisioning moves Creating -> ResolvingDNS -> Succeeded
over nominal time, computed from the create operation on every read (see `refresh`).
"""

from __future__ import annotations

import datetime
import re

from azlake.emulator.core import arm, identity, lro
from azlake.emulator.core.clock import Clock, timeline_state
from azlake.emulator.core.errors import (
    InvalidRequestContent,
    InvalidResourceLocation,
    InvalidValuesForRequestParameters,
)
from azlake.emulator.core.store import Tx
from azlake.emulator.storage import errors

TYPE = "Microsoft.Storage/storageAccounts"
BLOB_SERVICE_TYPE = "Microsoft.Storage/storageAccounts/blobServices"
SIDE = "storage_accounts"          # per account: {"op": create operation id}
BLOB_SERVICES = "storage_blob_services"  # per account: blob service properties
KEYS = "storage_keys"              # per account: {"key1", "key2"} (secrets, never in the ARM document)
PROVISIONING = [("Creating", 15.0), ("ResolvingDNS", 5.0)]  # nominal seconds per state
CREATE_SECONDS = sum(d for _, d in PROVISIONING)

_NAME = re.compile(r"^[a-z0-9]{3,24}$")
# kind -> SKUs Azure accepts at creation (AZURE-FACTS.md, plus the legacy kinds the specs still carry)
KIND_SKUS = {
    "StorageV2": {"Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_RAGRS", "Standard_GZRS",
                  "Standard_RAGZRS", "Premium_LRS"},
    "BlockBlobStorage": {"Premium_LRS", "Premium_ZRS"},
    "Storage": {"Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_RAGRS", "Premium_LRS"},
    "BlobStorage": {"Standard_LRS", "Standard_GRS", "Standard_RAGRS"},
    "FileStorage": {"Premium_LRS", "Premium_ZRS"},
}
# SKU changes Azure makes in place (others are conversions/migrations or re-creation)
_SKU_FAMILIES = [{"Standard_LRS", "Standard_GRS", "Standard_RAGRS"},
                 {"Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS"}]
_GEO = {"Standard_GRS", "Standard_RAGRS", "Standard_GZRS", "Standard_RAGZRS"}
# Properties Azure computes (ignored on input, as ARM ignores read-only values) and those fixed at creation
_READ_ONLY = {"provisioningState", "primaryEndpoints", "primaryLocation", "statusOfPrimary", "secondaryLocation",
              "statusOfSecondary", "secondaryEndpoints", "creationTime", "keyCreationTime",
              "privateEndpointConnections", "lastGeoFailoverTime", "geoReplicationStats", "failoverInProgress",
              "blobRestoreStatus", "accountMigrationInProgress", "isSkuConversionBlocked",
              "storageAccountSkuConversionStatus"}
_FIXED_AT_CREATION = ("isHnsEnabled", "isNfsV3Enabled")
_ALL_SKUS = set().union(*KIND_SKUS.values())
_ACCESS_TIERS = {"Hot", "Cool", "Cold", "Premium"}
_TLS = {"TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"}


def account_id(sub: str, group: str, name: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{group}/providers/{TYPE}/{name}"


def _now_iso(clock: Clock) -> str:
    return datetime.datetime.fromtimestamp(clock.now(), datetime.UTC).isoformat().replace("+00:00", "Z")


# --- names ---------------------------------------------------------------------------------------
def name_problem(name: str) -> str | None:
    if not _NAME.match(name or ""):
        return (f"{name} is not a valid storage account name. Storage account name must be between 3 and 24 "
                "characters in length and use numbers and lower-case letters only.")
    return None


def taken_message(name: str) -> str:
    return f"The storage account named {name} is already taken."


def find_by_name(tx: Tx, name: str) -> dict | None:
    """The account with this name in any subscription of the emulator (names are global in Azure)."""
    for doc in tx.values(arm.COLLECTION, "/subscriptions/"):
        if doc.get("type") == TYPE and doc["name"].lower() == name.lower():
            return doc
    return None


def check_name(tx: Tx, name: str) -> dict:
    problem = name_problem(name)
    if problem:
        return {"nameAvailable": False, "reason": "AccountNameInvalid", "message": problem}
    if find_by_name(tx, name):
        return {"nameAvailable": False, "reason": "AlreadyExists", "message": taken_message(name)}
    return {"nameAvailable": True}


# --- create --------------------------------------------------------------------------------------
def _invalid_values(*fields: str) -> InvalidValuesForRequestParameters:
    return InvalidValuesForRequestParameters(f"Values for request parameters are invalid: {', '.join(fields)}.")


def validate_create(body: dict) -> tuple[str, str, str]:
    """(location, kind, sku) of a create body, or Azure's error for what is missing or invalid."""
    location = arm.location(body, TYPE)
    sku = (body.get("sku") or {}).get("name")
    kind = body.get("kind")
    if not sku or not kind:
        missing = [f for f, v in (("sku", sku), ("kind", kind)) if not v]
        error = errors.MissingRequiredProperty if len(missing) == 1 else InvalidRequestContent
        raise error(f"The request is missing required properties: {', '.join(missing)}.")
    kind, sku = _canonical(kind, KIND_SKUS), _canonical(sku, _ALL_SKUS)
    if kind not in KIND_SKUS:
        raise _invalid_values("kind")
    if sku not in _ALL_SKUS:
        raise _invalid_values("sku")
    if sku not in KIND_SKUS[kind]:
        raise _invalid_values("kind", "sku")
    props = body.get("properties") or {}
    _validate_settable(props)
    return location, kind, sku


def _canonical(value, allowed) -> str:
    """An enum value in the case Azure answers it ("standard_lrs" -> "Standard_LRS"); unknown values unchanged."""
    return next((a for a in allowed if isinstance(value, str) and a.lower() == value.lower()), value)


def _validate_settable(props: dict) -> None:
    """Check the enum settings of a create or update, rewriting them in Azure's case (in place)."""
    for key, allowed in (("accessTier", _ACCESS_TIERS), ("minimumTlsVersion", _TLS)):
        if props.get(key) is not None:
            props[key] = _canonical(props[key], allowed)
            if props[key] not in allowed:
                raise _invalid_values(key)


def new_document(clock: Clock, rid: str, name: str, location: str, kind: str, sku: str, body: dict) -> dict:
    props = {k: v for k, v in (body.get("properties") or {}).items() if k not in _READ_ONLY}
    now = _now_iso(clock)
    premium = sku.startswith("Premium")
    defaults = {"minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False, "supportsHttpsTrafficOnly": True,
                "isHnsEnabled": False, "allowSharedKeyAccess": True,
                "networkAcls": {"bypass": "AzureServices", "virtualNetworkRules": [], "ipRules": [],
                                "defaultAction": "Allow"},
                "encryption": {"keySource": "Microsoft.Storage", "services": {
                    s: {"keyType": "Account", "enabled": True, "lastEnabledTime": now} for s in ("blob", "file")}}}
    if kind in ("StorageV2", "BlobStorage") and not premium:
        defaults["accessTier"] = "Hot"
    elif kind == "BlockBlobStorage":
        defaults["accessTier"] = "Premium"  # what Azure answers for premium block blob accounts
    props = {**defaults, **props}
    props.update({"provisioningState": "Creating", "creationTime": now, "privateEndpointConnections": [],
                  "keyCreationTime": {"key1": now, "key2": now}, "primaryEndpoints": endpoints(name, kind),
                  "primaryLocation": location, "statusOfPrimary": "available"})
    _set_geo(props, name, kind, sku, location)
    _routing_endpoints(props, name)
    _complete(props, now)
    return arm.envelope(rid, name, TYPE, location=location, kind=kind,
                        sku={"name": sku, "tier": "Premium" if premium else "Standard"},
                        tags=body.get("tags") or {}, extendedLocation=body.get("extendedLocation"),
                        zones=body.get("zones"), placement=body.get("placement"), properties=props)


def _routing_endpoints(props: dict, name: str) -> None:
    """Azure publishes routing-specific endpoints when routingPreference asks for them (`<name>-microsoftrouting`,
    `<name>-internetrouting`; no queue or table over internet routing); none are served by the emulator."""
    eps = props.setdefault("primaryEndpoints", {})
    routing = props.get("routingPreference") or {}
    for flag, key, suffix, services in (
            ("publishMicrosoftEndpoints", "microsoftEndpoints", "microsoftrouting",
             ("blob", "dfs", "file", "queue", "table", "web")),
            ("publishInternetEndpoints", "internetEndpoints", "internetrouting", ("blob", "dfs", "file", "web"))):
        if routing.get(flag):
            eps[key] = {s: f"https://{name}-{suffix}.{s}.core.windows.net/" for s in services
                        if s in eps or s in ("blob", "dfs")}
        else:
            eps.pop(key, None)


def _complete(props: dict, when: str) -> None:
    """Fill what Azure fills in partial settings: network rule defaults and encryption timestamps."""
    acls = props.get("networkAcls")
    if isinstance(acls, dict):
        for key, default in (("bypass", "AzureServices"), ("virtualNetworkRules", []), ("ipRules", []),
                             ("defaultAction", "Allow")):
            acls.setdefault(key, default)
    _complete_encryption(props, when)


def _complete_encryption(props: dict, when: str) -> None:
    """Azure stamps each encrypted service with the time encryption was enabled."""
    services = (props.get("encryption") or {}).get("services") or {}
    for service in services.values():
        if isinstance(service, dict) and service.get("enabled", True):
            service.setdefault("lastEnabledTime", when)


def endpoints(name: str, kind: str) -> dict:
    """Endpoints in Azure's form; `responses` rewrites blob/dfs for a served emulator."""
    services = {"BlockBlobStorage": ("blob", "dfs", "web"), "FileStorage": ("file",),
                "BlobStorage": ("blob", "dfs")}.get(kind, ("blob", "dfs", "queue", "table", "file", "web"))
    return {s: f"https://{name}.{s}.core.windows.net/" for s in services}


def _set_geo(props: dict, name: str, kind: str, sku: str, location: str) -> None:
    for key in ("secondaryLocation", "statusOfSecondary", "secondaryEndpoints"):
        props.pop(key, None)
    if sku in _GEO:
        props["secondaryLocation"] = f"{location}-paired"  # Azure names the region pair; none is modelled
        props["statusOfSecondary"] = "available"
        if "RA" in sku:
            props["secondaryEndpoints"] = {s: u.replace(f"//{name}.", f"//{name}-secondary.")
                                           for s, u in endpoints(name, kind).items() if s in ("blob", "dfs", "web")}


def create(tx: Tx, clock: Clock, sub: str, group: str, name: str, body: dict) -> tuple[dict, bool]:
    """Create the account (returns (doc, True)) or update it in place on a repeated PUT ((doc, False)).

    A repeated PUT on a Failed account starts provisioning again: (doc, True), the caller starts an operation."""
    problem = name_problem(name)
    if problem:
        raise errors.AccountNameInvalid(problem)
    arm.require_group(tx, sub, group)
    location, kind, sku = validate_create(body)
    rid = account_id(sub, group, name)
    existing = find_by_name(tx, name)
    if existing and arm.key(existing["id"]) != arm.key(rid):
        raise errors.StorageAccountAlreadyTaken(taken_message(name))
    if existing:
        if existing["location"] != location:
            raise InvalidResourceLocation(
                f"The resource '{name}' already exists in location '{existing['location']}' in "
                f"resource group '{group}'. A resource with the same name cannot be created in "
                f"location '{location}'. Please select a new resource name.")
        existing = refresh(tx, clock, existing)
        if existing["properties"].get("provisioningState") != "Failed":
            return apply_update(tx, existing, body), False
        # A PUT on an account whose creation failed provisions it again (a redeployment is how Azure
        # users retry); a PATCH does not (it only changes settings and the account stays Failed).
        doc = apply_update(tx, existing, body)
        doc["properties"]["provisioningState"] = "Creating"
        arm.put(tx, doc)
        return doc, True
    doc = new_document(clock, rid, name, location, kind, sku, body)
    if body.get("identity") is not None:
        doc["identity"] = identity.resolve(tx, body["identity"], None)
    arm.put(tx, doc)
    tx.put(BLOB_SERVICES, arm.key(rid), default_blob_service(rid, doc["sku"]))
    return doc, True


def remember_operation(tx: Tx, rid: str, op: lro.Operation) -> None:
    tx.put(SIDE, arm.key(rid), {"op": op.id})


# --- read ----------------------------------------------------------------------------------------
def refresh(tx: Tx, clock: Clock, doc: dict) -> dict:
    """Bring provisioningState up to date with the create operation's progress (persisted if changed)."""
    side = tx.get(SIDE, arm.key(doc["id"]))
    if not side or doc["properties"].get("provisioningState") in ("Succeeded", "Failed"):
        return doc
    op = lro.load(tx, side["op"]) if tx.get(lro.COLLECTION, side["op"]) else None
    if op is None:
        state = "Succeeded"
    elif op.done(clock):
        state = "Succeeded" if op.outcome == "Succeeded" else "Failed"
    else:
        state = timeline_state(clock.elapsed_nominal(op.started), PROVISIONING, "Succeeded")
    if state != doc["properties"]["provisioningState"]:
        doc["properties"]["provisioningState"] = state
        arm.put(tx, doc)
    return doc


def get(tx: Tx, clock: Clock, sub: str, group: str, name: str) -> dict:
    return refresh(tx, clock, arm.require(tx, sub, group, account_id(sub, group, name), TYPE, name))


def list_accounts(tx: Tx, clock: Clock, prefix: str) -> list[dict]:
    return [refresh(tx, clock, d) for d in tx.values(arm.COLLECTION, arm.key(prefix) + "/") if d["type"] == TYPE]


# --- update --------------------------------------------------------------------------------------
def _cannot_update(prop: str) -> errors.AccountPropertyCannotBeUpdated:
    return errors.AccountPropertyCannotBeUpdated(
        f"The property '{prop}' was specified in the input, but it cannot be updated as it is "
        "read-only. For more information, see - https://aka.ms/storageaccountupdate")


def apply_update(tx: Tx, doc: dict, body: dict) -> dict:
    """PATCH (or a PUT on an existing account): what Azure changes in place; errors for the rest."""
    props = body.get("properties") or {}
    for fixed in _FIXED_AT_CREATION:
        if fixed in props and bool(props[fixed]) != bool(doc["properties"].get(fixed, False)):
            raise _cannot_update(fixed)
    kind = _canonical(body.get("kind"), KIND_SKUS)
    if kind and kind != doc["kind"]:
        if not (kind == "StorageV2" and doc["kind"] in ("Storage", "BlobStorage")):
            raise _cannot_update("kind")
        doc["kind"] = kind  # the one kind change Azure allows: upgrade to general-purpose v2
    sku = _canonical((body.get("sku") or {}).get("name"), _ALL_SKUS)
    if sku and sku != doc["sku"]["name"]:
        if not any(sku in fam and doc["sku"]["name"] in fam for fam in _SKU_FAMILIES):
            raise _invalid_values("sku")
        doc["sku"]["name"] = sku
        _set_geo(doc["properties"], doc["name"], doc["kind"], sku, doc["location"])
    _validate_settable(props)
    if "accessTier" in props and doc["sku"]["tier"] == "Premium":
        raise _invalid_values("accessTier")
    for key, value in props.items():
        if key not in _READ_ONLY:
            doc["properties"][key] = value
    _routing_endpoints(doc["properties"], doc["name"])
    _complete(doc["properties"], doc["properties"]["creationTime"])
    if "tags" in body and body["tags"] is not None:
        doc["tags"] = body["tags"]
    for key in ("zones", "placement"):  # stored as sent (zonal placement is not simulated)
        if body.get(key) is not None:
            doc[key] = body[key]
    if body.get("identity") is not None:
        doc["identity"] = identity.resolve(tx, body["identity"], doc.get("identity"), patch=True)
    arm.put(tx, doc)
    tx.put(BLOB_SERVICES, arm.key(doc["id"]), {**blob_service(tx, doc), "sku": dict(doc["sku"])})
    return doc


# --- delete --------------------------------------------------------------------------------------
def delete(tx: Tx, sub: str, group: str, name: str) -> bool:
    """Delete the account and what lives under it; False when there was none (Azure answers 204)."""
    rid = account_id(sub, group, name)
    if not arm.delete_in_group(tx, sub, group, rid):
        return False
    tx.delete(SIDE, arm.key(rid))
    tx.delete(BLOB_SERVICES, arm.key(rid))
    tx.delete(KEYS, arm.key(rid))
    return True


# --- access keys (secrets: kept apart from the ARM document, answered only by listKeys/regenerateKey) ----
def _new_key() -> str:
    import base64
    import secrets
    return base64.b64encode(secrets.token_bytes(64)).decode()


def list_keys(tx: Tx, doc: dict) -> dict:
    keys = tx.get(KEYS, arm.key(doc["id"]))
    if keys is None:  # made on first use, at the account's creation time
        keys = {"key1": _new_key(), "key2": _new_key()}
        tx.put(KEYS, arm.key(doc["id"]), keys)
    created = doc["properties"].get("keyCreationTime") or {}
    return {"keys": [{"keyName": name, "value": keys[name], "permissions": "Full", "creationTime": created.get(name)}
                     for name in ("key1", "key2")]}


def regenerate_key(tx: Tx, clock: Clock, doc: dict, body: dict) -> dict:
    name = str(body.get("keyName") or "")
    if name.lower() not in ("key1", "key2"):
        raise InvalidValuesForRequestParameters(
            "Values for request parameters are invalid: keyName (use key1 or key2; kerb1/kerb2 need "
            "Active Directory authentication for Azure Files, which the emulator does not model).")
    list_keys(tx, doc)
    keys = tx.get(KEYS, arm.key(doc["id"]))
    assert keys is not None  # list_keys made them
    keys[name.lower()] = _new_key()
    tx.put(KEYS, arm.key(doc["id"]), keys)
    doc["properties"].setdefault("keyCreationTime", {})[name.lower()] = _now_iso(clock)
    arm.put(tx, doc)
    return list_keys(tx, doc)


# --- blob service properties ---------------------------------------------------------------------
def default_blob_service(rid: str, sku: dict) -> dict:
    return {"id": f"{rid}/blobServices/default", "name": "default", "type": BLOB_SERVICE_TYPE, "sku": dict(sku),
            "properties": {"cors": {"corsRules": []},
                           "deleteRetentionPolicy": {"enabled": False, "allowPermanentDelete": False}}}


def blob_service(tx: Tx, account: dict) -> dict:
    return tx.get(BLOB_SERVICES, arm.key(account["id"])) or default_blob_service(account["id"], account["sku"])


def _check_retention(props: dict, key: str) -> None:
    policy = props.get(key)
    if not isinstance(policy, dict) or not policy.get("enabled"):
        return
    days = policy.get("days")
    if days is None or not isinstance(days, int) or not 1 <= days <= 365:
        raise errors.InvalidRequestPropertyValue(f"The value '{days}' is not allowed for property {key}.days: "
                                                 "retention must be between 1 and 365 days.")


def set_blob_service(tx: Tx, account: dict, body: dict) -> dict:
    props = body.get("properties") or {}
    for key in ("deleteRetentionPolicy", "containerDeleteRetentionPolicy"):
        _check_retention(props, key)
    if props.get("isVersioningEnabled") and account["properties"].get("isHnsEnabled"):
        raise errors.FeatureNotSupportedForAccount("Blob versioning is not supported for storage accounts with "
                                                   "hierarchical namespace enabled.")
    current = blob_service(tx, account)
    current["properties"].update(props)  # Azure keeps the settings a request leaves out
    tx.put(BLOB_SERVICES, arm.key(account["id"]), current)
    return current
