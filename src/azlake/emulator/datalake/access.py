"""Who may touch the data plane: the storage account behind a host name, HNS, and Entra ID data roles."""

from __future__ import annotations

from azlake.emulator.authorization.models import effective_role_ids
from azlake.emulator.core import arm
from azlake.emulator.core.clock import Clock
from azlake.emulator.core.store import Tx
from azlake.emulator.datalake.errors import (
    AuthorizationPermissionMismatch,
    HierarchicalNamespaceNotEnabled,
    NoAuthenticationInformation,
    ResourceNotFound,
)

ACCOUNT_TYPE = "microsoft.storage/storageaccounts"
DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
WRITE_ROLES = {DATA_OWNER, DATA_CONTRIBUTOR}
READ_ROLES = WRITE_ROLES | {DATA_READER}

PERMISSION_MISMATCH = "This request is not authorized to perform this operation using this permission."


def find_account(tx: Tx, name: str) -> dict | None:
    """The ARM document of the storage account `name` (names are global across subscriptions)."""
    name = name.lower()
    for doc in tx.values(arm.COLLECTION, "/subscriptions/"):
        if str(doc.get("type", "")).lower() == ACCOUNT_TYPE and doc.get("name", "").lower() == name:
            return doc
    return None


def require_account(tx: Tx, name: str) -> dict:
    doc = find_account(tx, name)
    if doc is None:
        # In Azure the host name would not resolve; an answer that says so is more useful than a hang.
        raise ResourceNotFound(f"The storage account '{name}' does not exist in this emulator (in Azure its host name "
                               "would not resolve). Create it through ARM first.")
    return doc


def is_hns(account: dict) -> bool:
    return bool((account.get("properties") or {}).get("isHnsEnabled"))


def require_hns(account: dict) -> None:
    if not is_hns(account):
        raise HierarchicalNamespaceNotEnabled("This operation is only supported on a hierarchical namespace account.")


def container_scope(account: dict, filesystem: str | None) -> str:
    scope = account["id"]
    return f"{scope}/blobServices/default/containers/{filesystem}" if filesystem else scope


def role_ids(tx: Tx, clock: Clock, principal_id: str, scope: str) -> set[str]:
    """Effective role-definition GUIDs of a principal at `scope` (owned by the authorization service)."""
    return {r.lower() for r in effective_role_ids(tx, clock, principal_id, scope)}


def authorize(tx: Tx, clock: Clock, principal_id: str | None, account: dict, filesystem: str | None,
              write: bool) -> set[str]:
    """Raise 403 unless the caller holds an effective data role; return the caller's role ids."""
    if not principal_id:
        raise NoAuthenticationInformation(
            "Server failed to authenticate the request. Please refer to the information in the "
            "www-authenticate header.",
            headers={"WWW-Authenticate": "Bearer authorization_uri=https://login.microsoftonline"
                                         ".com/common/oauth2/authorize resource_id=https://storage"
                                         ".azure.com"})
    held = role_ids(tx, clock, principal_id, container_scope(account, filesystem))
    if not held & (WRITE_ROLES if write else READ_ROLES):
        raise AuthorizationPermissionMismatch(PERMISSION_MISMATCH)
    return held
