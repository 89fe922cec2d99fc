"""Storage accounts over HTTP: parse requests, serialise answers (endpoints as the caller reaches them)."""

from __future__ import annotations

import copy

from azlake.emulator.core import arm, lro
from azlake.emulator.core.app import Emulator
from azlake.emulator.core.errors import InvalidResourceType
from azlake.emulator.core.http import Request, Response
from azlake.emulator.storage import models


def serialise(req: Request, doc: dict) -> dict:
    """The GET body, with blob/dfs endpoints pointing at this emulator as the caller reaches it."""
    out = copy.deepcopy(doc)
    eps = out["properties"].get("primaryEndpoints", {})
    if "blob" in eps:
        eps["blob"] = req.endpoints.blob(doc["name"])
    if "dfs" in eps:
        eps["dfs"] = req.endpoints.dfs(doc["name"])
    return out


class StorageAccountResponses:
    def __init__(self, app: Emulator) -> None:
        self.app = app

    def create(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            doc, created = models.create(tx, self.app.clock, sub, rg, name, req.json())
            if not created:
                return Response.json(serialise(req, doc), 200)
            op = self.app.start_operation(tx, req, doc["id"], "create", models.CREATE_SECONDS)
            models.remember_operation(tx, doc["id"], op)
        location = (f"{req.endpoints.arm}/subscriptions/{sub}/providers/Microsoft.Storage/locations/"
                    f"{doc['location']}/operationresults/{op.id}?api-version={req.q('api-version')}")
        return Response.empty(202, lro.accepted_headers(self.app.clock, op, None, location, retry_nominal=17.0))

    def get(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:  # a read may record provisioning progress
            return Response.json(serialise(req, models.get(tx, self.app.clock, sub, rg, name)))

    def update(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            doc = models.get(tx, self.app.clock, sub, rg, name)
            return Response.json(serialise(req, models.apply_update(tx, doc, req.json())))

    def delete(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            deleted = models.delete(tx, sub, rg, name)
        return Response.empty(200 if deleted else 204)

    def list_by_group(self, req: Request, sub: str, rg: str) -> Response:
        with self.app.store.tx() as tx:
            arm.require_group(tx, sub, rg)
            docs = models.list_accounts(tx, self.app.clock, arm.rg_id(sub, rg))
            return Response.json({"value": [serialise(req, d) for d in docs]})

    def list(self, req: Request, sub: str) -> Response:
        with self.app.store.tx() as tx:
            docs = models.list_accounts(tx, self.app.clock, f"/subscriptions/{sub}")
            return Response.json({"value": [serialise(req, d) for d in docs]})

    def list_keys(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            return Response.json(models.list_keys(tx, models.get(tx, self.app.clock, sub, rg, name)))

    def regenerate_key(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            doc = models.get(tx, self.app.clock, sub, rg, name)
            return Response.json(models.regenerate_key(tx, self.app.clock, doc, req.json()))

    def check_name(self, req: Request, sub: str) -> Response:
        body = req.json()
        if body.get("type") and body["type"].lower() != models.TYPE.lower():
            raise InvalidResourceType(f"The resource type '{body['type']}' is not supported; use '{models.TYPE}'.")
        with self.app.store.tx(write=False) as tx:
            return Response.json(models.check_name(tx, str(body.get("name", ""))))


class BlobServiceResponses:
    def __init__(self, app: Emulator) -> None:
        self.app = app

    def get(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            account = models.get(tx, self.app.clock, sub, rg, name)
            return Response.json(models.blob_service(tx, account))

    def list(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            account = models.get(tx, self.app.clock, sub, rg, name)
            return Response.json({"value": [models.blob_service(tx, account)]})

    def put(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            account = models.get(tx, self.app.clock, sub, rg, name)
            return Response.json(models.set_blob_service(tx, account, req.json()))
