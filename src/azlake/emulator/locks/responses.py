"""Management locks over HTTP."""

from __future__ import annotations

from azlake.emulator.core.app import Emulator
from azlake.emulator.core.http import Request, Response
from azlake.emulator.locks import models


class LockResponses:
    def __init__(self, app: Emulator) -> None:
        self.app = app

    def put(self, req: Request, scope: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            doc, created = models.create_or_update(tx, scope, name, req.json())
        return Response.json(doc, 201 if created else 200)

    def get(self, req: Request, scope: str, name: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(models.get(tx, scope, name))

    def delete(self, req: Request, scope: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            deleted = models.delete(tx, scope, name)
        return Response.empty(200 if deleted else 204)

    def list(self, req: Request, scope: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json({"value": models.list_at(tx, scope, req.q("$filter"))})
