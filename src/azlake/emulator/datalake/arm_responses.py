"""ARM `blobContainers` (Microsoft.Storage .../blobServices/default/containers) on the data-plane state.

Management-plane callers need no data role here, as in Azure: ARM authorises them by their ARM role.
"""

from __future__ import annotations

from azlake.emulator.core import arm
from azlake.emulator.core.app import Emulator
from azlake.emulator.core.errors import EmulatedError, not_found
from azlake.emulator.core.http import Request, Response
from azlake.emulator.core.store import Tx
from azlake.emulator.datalake import models, soft_delete
from azlake.emulator.datalake.content import Content
from azlake.emulator.storage.errors import ContainerNotFound, ContainerOperationFailure

TYPE = "Microsoft.Storage/storageAccounts/blobServices/containers"
ACCOUNT = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{account}"
CONTAINERS = ACCOUNT + "/blobServices/default/containers"


def _iso(ts: float) -> str:
    import datetime
    return datetime.datetime.fromtimestamp(ts, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# settable container properties the data plane has no use for: stored as sent and answered back
_KEPT = ("defaultEncryptionScope", "denyEncryptionScopeOverride", "immutableStorageWithVersioning",
         "enableNfsV3RootSquash", "enableNfsV3AllSquash", "blobAccessPointConfiguration")


def _kept(body: dict) -> dict:
    props = body.get("properties") or {}
    return {k: props[k] for k in _KEPT if k in props}


def container_body(account_id: str, doc: dict) -> dict:
    body = _body(account_id, doc)
    body["properties"].update(doc.get("arm_settings") or {})
    return body


def deleted_body(clock, account_id: str, doc: dict) -> dict:
    """A soft-deleted container as `$include=deleted` lists it."""
    body = container_body(account_id, doc)
    body["properties"].update(deleted=True, deletedTime=_iso(doc["deleted"]), version=doc["version"],
                              leaseState="Expired",
                              remainingRetentionDays=max(0, int(soft_delete.remaining_days(clock, doc))))
    return body


def _listed(body: dict) -> dict:
    """A container as ARM's list shows it: without its metadata (the official BlobContainersList example
    has none; a GET of the container, or the data plane's List Containers with include=metadata, has it)."""
    body["properties"].pop("metadata", None)
    return body


def _body(account_id: str, doc: dict) -> dict:
    return {
        "id": f"{account_id}/blobServices/default/containers/{doc['name']}", "name": doc["name"], "type": TYPE,
        "etag": doc["etag"],
        "properties": {"publicAccess": {"blob": "Blob", "container": "Container"}.get(doc.get("public_access") or "",
                                                                                   "None"),
                       "leaseStatus": "Unlocked", "leaseState": "Available", "lastModifiedTime": _iso(doc["modified"]),
                       "metadata": doc["metadata"], "hasImmutabilityPolicy": False, "hasLegalHold": False,
                       "legalHold": {"hasLegalHold": False, "tags": []},
                       "deleted": False, "remainingRetentionDays": 0,
                       "defaultEncryptionScope": "$account-encryption-key", "denyEncryptionScopeOverride": False},
    }


class ContainerResponses:
    def __init__(self, app: Emulator) -> None:
        self.app = app

    def _account(self, tx: Tx, sub: str, rg: str, account: str) -> dict:
        arm.require_group(tx, sub, rg)
        rid = ACCOUNT.format(sub=sub, rg=rg, account=account)
        doc = arm.get(tx, rid)
        if doc is None:
            raise not_found("Microsoft.Storage/storageAccounts", account, rg)
        return doc

    @staticmethod
    def _validate(name: str) -> None:
        try:
            models.validate_fs_name(name)
        except EmulatedError as err:  # the storage RP reports the data plane's refusal under its own code
            raise ContainerOperationFailure(err.message) from None

    @staticmethod
    def _settings(body: dict) -> tuple[dict | None, str | None]:
        props = body.get("properties") or {}
        access = props.get("publicAccess")
        return props.get("metadata"), (None if access in (None, "None") else str(access).lower())

    def put(self, req: Request, sub: str, rg: str, account: str, container: str) -> Response:
        self._validate(container)
        metadata, public = self._settings(req.json())
        with self.app.store.tx() as tx:
            acc = self._account(tx, sub, rg, account)
            name, now = acc["name"].lower(), self.app.clock.now()
            doc = models.get_fs(tx, name, container)
            if doc is None:
                doc = models.create_fs(tx, name, container, now, metadata, public)
                doc["arm_settings"] = _kept(req.json())
                models.save_fs(tx, doc, now)
                models.remember_blob_dir(tx, Content(self.app.store.blob_dir))
                return Response.json(container_body(acc["id"], doc), 201)
            # ARM PUT is idempotent: an existing container takes the given settings
            doc["metadata"], doc["public_access"] = dict(metadata or {}), public
            doc["arm_settings"] = _kept(req.json())
            models.save_fs(tx, doc, now)
        return Response.json(container_body(acc["id"], doc), 200)

    def patch(self, req: Request, sub: str, rg: str, account: str, container: str) -> Response:
        metadata, public = self._settings(req.json())
        with self.app.store.tx() as tx:
            acc = self._account(tx, sub, rg, account)
            doc = self._require(tx, acc, container)
            if metadata is not None:
                doc["metadata"] = metadata
            if "publicAccess" in (req.json().get("properties") or {}):
                doc["public_access"] = public
            doc["arm_settings"] = {**(doc.get("arm_settings") or {}), **_kept(req.json())}
            models.save_fs(tx, doc, self.app.clock.now())
        return Response.json(container_body(acc["id"], doc))

    def _require(self, tx: Tx, acc: dict, container: str) -> dict:
        doc = models.get_fs(tx, acc["name"].lower(), container)
        if doc is None:
            raise ContainerNotFound("The specified container does not exist.")
        return doc

    def get(self, req: Request, sub: str, rg: str, account: str, container: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            acc = self._account(tx, sub, rg, account)
            return Response.json(container_body(acc["id"], self._require(tx, acc, container)))

    def delete(self, req: Request, sub: str, rg: str, account: str, container: str) -> Response:
        with self.app.store.tx() as tx:
            acc = self._account(tx, sub, rg, account)
            if models.get_fs(tx, acc["name"].lower(), container) is None:
                return Response.empty(204)
            soft_delete.delete_filesystem(tx, Content(self.app.store.blob_dir), self.app.clock, acc, container, False)
        return Response.empty(200)

    def list(self, req: Request, sub: str, rg: str, account: str) -> Response:
        """Containers whose name starts with `$filter`; `$include=deleted` adds the soft-deleted ones."""
        prefix = req.q("$filter") or ""
        with self.app.store.tx(write=False) as tx:
            acc = self._account(tx, sub, rg, account)
            values = [_listed(container_body(acc["id"], d)) for d in models.list_fs(tx, acc["name"].lower(), prefix)]
            if (req.q("$include") or "").lower() == "deleted":
                values += [_listed(deleted_body(self.app.clock, acc["id"], d))
                           for d in soft_delete.list_deleted(tx, self.app.clock, acc["name"].lower(), prefix)]
        return Response.json({"value": sorted(values, key=lambda b: (b["name"], b["properties"]["deleted"]))})
