"""The built-in role definitions the emulator knows (Azure's GUIDs, names and main permissions)."""

from __future__ import annotations

_STORAGE_DATA = "Microsoft.Storage/storageAccounts/blobServices/containers"
_KEY_VAULT_READS = ("Microsoft.Authorization/*/read", "Microsoft.Resources/subscriptions/resourceGroups/read",
                    "Microsoft.KeyVault/checkNameAvailability/read", "Microsoft.KeyVault/deletedVaults/read",
                    "Microsoft.KeyVault/locations/*/read", "Microsoft.KeyVault/vaults/*/read",
                    "Microsoft.KeyVault/operations/read")
# actions a role excludes (Azure's notActions); only the built-ins that have any are listed
NOT_ACTIONS: dict[str, list[str]] = {
    "Contributor": ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
                    "Microsoft.Authorization/elevateAccess/Action"],
}
# name -> (GUID, description, actions, dataActions)
BUILT_IN: dict[str, tuple[str, str, list[str], list[str]]] = {
    "Owner": ("8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
              "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
              ["*"], []),
    "Contributor": ("b24988ac-6180-42a0-ab88-20f7382dd24c",
                    "Grants full access to manage all resources, but does not allow you to assign roles in Azure "
                    "RBAC.", ["*"], []),
    "Reader": ("acdd72a7-3385-48ef-bd42-f606fba81ae7", "View all resources, but does not allow you to make any "
               "changes.", ["*/read"], []),
    "User Access Administrator": ("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
                                  "Lets you manage user access to Azure resources.",
                                  ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"], []),
    "Storage Account Contributor": ("17d1049b-9a84-46fb-8f53-869881c3d3ab",
                                    "Lets you manage storage accounts, but not access to them.",
                                    ["Microsoft.Storage/storageAccounts/*"], []),
    "Storage Blob Data Owner": ("b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
                                "Provides full access to Azure Storage blob containers and data, including "
                                "assigning POSIX access control.", [f"{_STORAGE_DATA}/*"],
                                [f"{_STORAGE_DATA}/blobs/*"]),
    "Storage Blob Data Contributor": ("ba92f5b4-2d11-453d-a403-e96b0029c9fe",
                                      "Allows for read, write and delete access to Azure Storage blob containers "
                                      "and data", [f"{_STORAGE_DATA}/delete", f"{_STORAGE_DATA}/read",
                                                   f"{_STORAGE_DATA}/write"],
                                      [f"{_STORAGE_DATA}/blobs/delete", f"{_STORAGE_DATA}/blobs/read",
                                       f"{_STORAGE_DATA}/blobs/write"]),
    "Storage Blob Data Reader": ("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
                                 "Allows for read access to Azure Storage blob containers and data",
                                 [f"{_STORAGE_DATA}/read"], [f"{_STORAGE_DATA}/blobs/read"]),
    "Managed Identity Operator": ("f1a07417-d97a-45cb-824c-7a7467783830", "Read and Assign User Assigned "
                                  "Identity", ["Microsoft.ManagedIdentity/userAssignedIdentities/*/read",
                                               "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action"],
                                  []),
    "Managed Identity Contributor": ("e40ec5ca-96e0-45a2-b4ff-59039f2c2b59", "Create, Read, Update, and Delete "
                                     "User Assigned Identity", ["Microsoft.ManagedIdentity/userAssignedIdentities/*"],
                                     []),
    "Key Vault Administrator": ("00482a5a-887f-4fb3-b363-3b7fe8e74483", "Perform all data plane operations on a key "
                                "vault and all objects in it, including certificates, keys, and secrets.",
                                [*_KEY_VAULT_READS], ["Microsoft.KeyVault/vaults/*"]),
    "Key Vault Secrets Officer": ("b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Perform any action on the secrets of a "
                                  "key vault, except manage permissions.", [*_KEY_VAULT_READS],
                                  ["Microsoft.KeyVault/vaults/secrets/*"]),
    "Key Vault Secrets User": ("4633458b-17de-408a-b874-0445c86b69e6", "Read secret contents.", [],
                               ["Microsoft.KeyVault/vaults/secrets/getSecret/action",
                                "Microsoft.KeyVault/vaults/secrets/readMetadata/action"]),
    "Key Vault Reader": ("21090545-7ca7-4776-b22c-e363652d74d2", "Read metadata of key vaults and its certificates, "
                         "keys, and secrets.", ["Microsoft.KeyVault/checkNameAvailability/read",
                                                "Microsoft.KeyVault/deletedVaults/read", "Microsoft.KeyVault/vaults/*/read"],
                         ["Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"]),
    "Azure Event Hubs Data Owner": ("f526a384-b230-433a-b45c-95f59c4a2dec", "Allows for full access to Azure "
                                    "Event Hubs resources.", ["Microsoft.EventHub/*"], ["Microsoft.EventHub/*"]),
    "Azure Event Hubs Data Sender": ("2b629674-e913-4c01-ae53-ef4638d8f975", "Allows send access to Azure Event "
                                     "Hubs resources.", ["Microsoft.EventHub/*/eventhubs/read"],
                                     ["Microsoft.EventHub/*/send/action"]),
    "Azure Event Hubs Data Receiver": ("a638d3c7-ab3a-418d-83e6-5f17a39d4fde", "Allows receive access to Azure "
                                       "Event Hubs resources.", ["Microsoft.EventHub/*/eventhubs/consumergroups/read"],
                                       ["Microsoft.EventHub/*/receive/action"]),
}
BY_GUID = {guid: name for name, (guid, *_rest) in BUILT_IN.items()}
CREATED = "2015-02-02T21:55:09.8806423Z"  # built-ins carry Azure's own timestamps; one fixed value here


def definition(guid: str, scope: str) -> dict | None:
    """The role definition body for a GUID, with the id at `scope` as Azure answers it."""
    name = BY_GUID.get(guid.lower())
    if name is None:
        return None
    _, description, actions, data_actions = BUILT_IN[name]
    prefix = "" if scope in ("", "/") else scope.rstrip("/")
    return {"id": f"{prefix}/providers/Microsoft.Authorization/roleDefinitions/{guid.lower()}",
            "name": guid.lower(), "type": "Microsoft.Authorization/roleDefinitions",
            "properties": {"roleName": name, "type": "BuiltInRole", "description": description,
                           "assignableScopes": ["/"],
                           "permissions": [{"actions": actions, "notActions": NOT_ACTIONS.get(name, []),
                                            "dataActions": data_actions, "notDataActions": []}],
                           "createdOn": CREATED, "updatedOn": CREATED, "createdBy": None, "updatedBy": None}}
