"""User-assigned identities over HTTP."""

from __future__ import annotations

from azlake.emulator.core import arm
from azlake.emulator.core.app import Emulator
from azlake.emulator.core.http import Request, Response
from azlake.emulator.msi import models


class IdentityResponses:
    def __init__(self, app: Emulator) -> None:
        self.app = app

    def put(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            doc, created = models.create_or_update(tx, sub, rg, name, req.json())
        return Response.json(doc, 201 if created else 200)

    def patch(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            return Response.json(models.update(tx, sub, rg, name, req.json()))

    def get(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(models.get(tx, sub, rg, name))

    def delete(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            deleted = models.delete(tx, sub, rg, name)
        return Response.empty(200 if deleted else 204)

    def list_by_group(self, req: Request, sub: str, rg: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            arm.require_group(tx, sub, rg)
            return Response.json({"value": models.list_identities(tx, arm.rg_id(sub, rg))})

    def list(self, req: Request, sub: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json({"value": models.list_identities(tx, f"/subscriptions/{sub}")})
