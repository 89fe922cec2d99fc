"""Role definitions and role assignments over HTTP."""

from __future__ import annotations

from azlake.emulator.authorization import models
from azlake.emulator.core.app import Emulator
from azlake.emulator.core.http import Request, Response


class RoleDefinitionResponses:
    def __init__(self, app: Emulator) -> None:
        self.app = app

    def get(self, req: Request, scope: str, guid: str) -> Response:
        return Response.json(models.get_definition(scope, guid))

    def list(self, req: Request, scope: str) -> Response:
        return Response.json({"value": models.list_definitions(scope, req.q("$filter"))})


class RoleAssignmentResponses:
    def __init__(self, app: Emulator) -> None:
        self.app = app

    def put(self, req: Request, scope: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            doc, created = models.create(tx, self.app.clock, scope, name, req.json(), req.principal_id,
                                         self.app.settings.role_propagation_seconds)
        return Response.json(doc, 201 if created else 200)

    def get(self, req: Request, scope: str, name: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(models.get(tx, scope, name))

    def delete(self, req: Request, scope: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            doc = models.delete(tx, scope, name)
        return Response.json(doc) if doc else Response.empty(204)

    def list(self, req: Request, scope: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json({"value": models.list_for_scope(tx, scope, req.q("$filter"))})
