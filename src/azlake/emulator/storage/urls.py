"""Routes of Microsoft.Storage (management plane; the data plane and blobContainers are `datalake`)."""

from __future__ import annotations

from azlake.emulator.core.app import Emulator
from azlake.emulator.storage.responses import BlobServiceResponses, StorageAccountResponses

PROVIDER = "/subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.Storage/storageAccounts"
ACCOUNT = PROVIDER + "/{name}"


def register(app: Emulator) -> None:
    accounts = StorageAccountResponses(app)
    app.arm("PUT", ACCOUNT, accounts.create)
    app.arm("GET", ACCOUNT, accounts.get)
    app.arm("PATCH", ACCOUNT, accounts.update)
    app.arm("DELETE", ACCOUNT, accounts.delete)
    app.arm("POST", ACCOUNT + "/listKeys", accounts.list_keys)
    app.arm("POST", ACCOUNT + "/regenerateKey", accounts.regenerate_key)
    app.arm("GET", PROVIDER, accounts.list_by_group)
    app.arm("GET", "/subscriptions/{sub}/providers/Microsoft.Storage/storageAccounts", accounts.list)
    app.arm("POST", "/subscriptions/{sub}/providers/Microsoft.Storage/checkNameAvailability", accounts.check_name)
    blob = BlobServiceResponses(app)
    app.arm("GET", ACCOUNT + "/blobServices", blob.list)
    app.arm("GET", ACCOUNT + "/blobServices/default", blob.get)
    app.arm("PUT", ACCOUNT + "/blobServices/default", blob.put)
