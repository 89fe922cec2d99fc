"""What an ADLS Gen2 data-plane test needs: a group, a storage account, and a data role for the caller.

Every prerequisite is made through the real SDK clients, as azlake does it.
"""

from __future__ import annotations

import uuid

from azlake.emulator.core.auth import LOCAL_DEPLOYER_OBJECT_ID

RG = "grlake"
LOCATION = "brazilsouth"
ACCOUNT = "stlakedfs"
DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"  # management-plane Owner: grants no data access


def make_account(clients, account: str = ACCOUNT, *, hns: bool = True, group: str = RG) -> str:
    """Create the group and a StorageV2 account through ARM; returns the account's resource id."""
    clients.resources.resource_groups.create_or_update(group, {"location": LOCATION})
    acc = clients.storage.storage_accounts.begin_create(group, account, {
        "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": LOCATION,
        "properties": {"isHnsEnabled": hns}}).result()
    return acc.id


def assign(clients, scope: str, role: str, principal_id: str = LOCAL_DEPLOYER_OBJECT_ID) -> None:
    definition = f"/subscriptions/{clients.target.subscription}/providers/Microsoft.Authorization/roleDefinitions/{role}"
    clients.authorization.role_assignments.create(scope, str(uuid.uuid4()), {"properties": {
        "roleDefinitionId": definition, "principalId": principal_id, "principalType": "User"}})


def make_lake(clients, account: str = ACCOUNT, *, hns: bool = True, role: str | None = DATA_OWNER) -> str:
    """An account the caller ("you", the local deployer) can use as the data plane; returns its id."""
    account_id = make_account(clients, account, hns=hns)
    if role:
        assign(clients, account_id, role)
    return account_id


def blob_client(clients, account: str, filesystem: str, path: str):
    """A BlobClient on the account's Blob endpoint, from the same factory azlake uses for its copies."""
    return clients.blob(account).get_blob_client(filesystem, path)
