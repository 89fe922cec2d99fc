"""Routes of the ADLS Gen2 data plane (DFS and Blob endpoints of an account) and of ARM blobContainers."""

from __future__ import annotations

from azlake.emulator.core import arm
from azlake.emulator.core.app import Emulator
from azlake.emulator.core.store import Tx
from azlake.emulator.datalake import models, soft_delete
from azlake.emulator.datalake.arm_responses import CONTAINERS, ContainerResponses
from azlake.emulator.datalake.content import Content
from azlake.emulator.datalake.path_responses import PathResponses
from azlake.emulator.datalake.responses import ServiceResponses

_METHODS = ("GET", "HEAD", "PUT", "PATCH", "DELETE", "POST")


def _drop_account_data(tx: Tx, account_doc: dict) -> None:
    """ARM deleted a storage account: its filesystems, paths and bytes go with it."""
    # hooks are process-wide while emulators are per state directory: find this store's bytes from the store
    models.delete_account(tx, models.stored_content(tx), account_doc["name"].lower())
    soft_delete.drop_account(tx, account_doc["name"].lower())


def register(app: Emulator) -> None:
    service, paths = ServiceResponses(app), PathResponses(app)
    for method in _METHODS:
        app.route("storage", method, "/", service.service)
        app.route("storage", method, "/{fs}", service.filesystem)
        app.route("storage", method, "/{fs}/{path:path}", paths.path)
    containers = ContainerResponses(app)
    app.arm("PUT", CONTAINERS + "/{container}", containers.put)
    app.arm("PATCH", CONTAINERS + "/{container}", containers.patch)
    app.arm("GET", CONTAINERS + "/{container}", containers.get)
    app.arm("DELETE", CONTAINERS + "/{container}", containers.delete)
    app.arm("GET", CONTAINERS, containers.list)
    with app.store.tx() as tx:
        models.remember_blob_dir(tx, Content(app.store.blob_dir))
    arm.on_delete("Microsoft.Storage/storageAccounts", _drop_account_data)
