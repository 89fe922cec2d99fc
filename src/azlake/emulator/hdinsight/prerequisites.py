"""The resources a cluster depends on: its user-assigned identity, its ADLS Gen2 account and the data role.

Read from the ARM documents the other emulated services keep (shapes in notes/CONTRACTS.md). Missing or
wrong prerequisites are refused at once (400); a data role that is not yet effective is not visible to
ARM validation, so Azure accepts the request and the creation fails later, which is what happens here.
"""

from __future__ import annotations

from azlake.emulator.authorization.models import effective_role_ids
from azlake.emulator.core import arm
from azlake.emulator.core.clock import Clock
from azlake.emulator.core.store import Tx
from azlake.emulator.hdinsight.rules import Problem

STORAGE_TYPE = "microsoft.storage/storageaccounts"
IDENTITY_TYPE = "microsoft.managedidentity/userassignedidentities"
BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
# What Azure reports when the identity cannot reach ADLS Gen2 during creation (HDInsight troubleshooting
# docs, "Troubleshoot cluster creation failures": AmbariClusterCreationFailedErrorCode for missing roles).
STORAGE_ACCESS_FAILURE = ("AmbariClusterCreationFailedErrorCode",
                          "Internal server error occurred while processing the request. Please retry the request "
                          "or contact support.")


def identity_doc(tx: Tx, resource_id: str) -> dict | None:
    doc = arm.get(tx, resource_id) if resource_id else None
    return doc if doc and str(doc.get("type", "")).lower() == IDENTITY_TYPE else None


def identity_summary(tx: Tx, resource_id: str) -> dict:
    props = (identity_doc(tx, resource_id) or {}).get("properties") or {}
    return {"principalId": props.get("principalId"), "clientId": props.get("clientId")}


def default_storage(body: dict) -> dict | None:
    accounts = ((body.get("properties") or {}).get("storageProfile") or {}).get("storageaccounts") or []
    return next((a for a in accounts if a.get("isDefault")), None)


def problems(tx: Tx, body: dict, location: str) -> list[Problem]:
    """Identity and storage problems Azure refuses synchronously, first one first."""
    return _identity_problems(tx, body) or _storage_problems(tx, body, location)


def _identity_problems(tx: Tx, body: dict) -> list[Problem]:
    identity = body.get("identity") or {}
    ids = list((identity.get("userAssignedIdentities") or {}).keys())
    if "userassigned" not in str(identity.get("type", "")).lower().replace(" ", "") or not ids:
        return [Problem("BadRequest", "An ADLS Gen2 cluster needs a user-assigned managed identity: set "
                        "identity.type 'UserAssigned' and list the identity in identity.userAssignedIdentities.")]
    for rid in ids:
        if identity_doc(tx, rid) is None:
            return [Problem("FailedIdentityOperation", f"The user-assigned managed identity '{rid}' was not found. "
                            "Create it first, or fix the resource id.", rid)]
    return []


def _storage_problems(tx: Tx, body: dict, location: str) -> list[Problem]:
    storage = default_storage(body)
    if storage is None:
        return [Problem("BadRequest", "The storage profile has no default storage account (isDefault: true).")]
    name, rid = str(storage.get("name") or ""), str(storage.get("resourceId") or "")
    account = arm.get(tx, rid) if rid else None
    if account is None or str(account.get("type", "")).lower() != STORAGE_TYPE:
        return [Problem("StorageAccountNotFound", f"The storage account '{rid or name}' was not found. Create the "
                        "ADLS Gen2 account first and give its resource id in storageaccounts[].resourceId.", rid)]
    if name.lower() != f"{account['name']}.dfs.core.windows.net".lower():
        return [Problem("BadRequest", f"The default storage name '{name}' must be the account's DFS host "
                        f"'{account['name']}.dfs.core.windows.net'.", rid)]
    if not (account.get("properties") or {}).get("isHnsEnabled"):
        return [Problem("BadRequest", f"The storage account '{account['name']}' does not have a hierarchical "
                        "namespace; Azure Data Lake Storage Gen2 (isHnsEnabled) is required.", rid)]
    if str(account.get("location", "")).lower() != location:
        return [Problem("BadRequest", f"The storage account '{account['name']}' is in '{account.get('location')}' "
                        f"but the cluster is in '{location}'; they must be in the same region.", rid)]
    if not storage.get("fileSystem"):
        return [Problem("BadRequest", "The default storage account needs a fileSystem.", rid)]
    msi = str(storage.get("msiResourceId") or "")
    assigned = {arm.key(k) for k in ((body.get("identity") or {}).get("userAssignedIdentities") or {})}
    if not msi or arm.key(msi) not in assigned:
        return [Problem("BadRequest", "storageaccounts[].msiResourceId must name one of the cluster's "
                        "user-assigned identities.", rid)]
    return []


def storage_access_failure(tx: Tx, clock: Clock, body: dict, at: float | None = None) -> tuple[str, str] | None:
    """Azure's opaque failure when the identity holds no effective Storage Blob Data Owner on the account
    at `at`: the moment the creation first reaches its storage (default: now)."""
    storage = default_storage(body) or {}
    identity = identity_doc(tx, str(storage.get("msiResourceId") or "")) or {}
    principal = (identity.get("properties") or {}).get("principalId")
    if principal and BLOB_DATA_OWNER in _effective_roles(tx, clock, principal, str(storage["resourceId"]), at):
        return None
    return STORAGE_ACCESS_FAILURE


def _effective_roles(tx: Tx, clock: Clock, principal: str, scope: str, at: float | None) -> set[str]:
    return {r.lower() for r in effective_role_ids(tx, clock, principal, scope, at)}
