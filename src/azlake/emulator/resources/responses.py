"""Resource groups over HTTP: parse requests, serialise answers."""

from __future__ import annotations

from azlake.emulator.core import arm, lro
from azlake.emulator.core.app import Emulator
from azlake.emulator.core.errors import EmulatedError, ResourceGroupNotFound
from azlake.emulator.core.http import Request, Response
from azlake.emulator.resources import models


class ResourceGroupResponses:
    def __init__(self, app: Emulator) -> None:
        self.app = app

    def put(self, req: Request, sub: str, rg: str) -> Response:
        with self.app.store.tx() as tx:
            doc, created = models.create_or_update(tx, sub, rg, req.json())
        return Response.json(doc, 201 if created else 200)

    def get(self, req: Request, sub: str, rg: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(models.get(tx, sub, rg))

    def head(self, req: Request, sub: str, rg: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            found = arm.get(tx, arm.rg_id(sub, rg)) is not None
        return Response.empty(204 if found else 404)

    def patch(self, req: Request, sub: str, rg: str) -> Response:
        with self.app.store.tx() as tx:
            doc = models.get(tx, sub, rg)
            body = req.json()
            if "tags" in body:
                doc["tags"] = body["tags"] or {}
            arm.put(tx, doc)
        return Response.json(doc)

    def list(self, req: Request, sub: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json({"value": models.list_groups(tx, sub)})

    def list_resources(self, req: Request, sub: str, rg: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            models.get(tx, sub, rg)
            docs = models.list_resources(tx, sub, rg, req.q("$filter"))
        return Response.json({"value": [{k: d[k] for k in ("id", "name", "type", "location", "tags") if k in d}
                                        for d in docs]})

    def delete(self, req: Request, sub: str, rg: str) -> Response:
        with self.app.store.tx() as tx:
            if arm.get(tx, arm.rg_id(sub, rg)) is None:
                raise ResourceGroupNotFound(f"Resource group '{rg}' could not be found.")
            doc = models.check_deletable(tx, sub, rg)
            # Azure removes the group's contents while the operation runs; the emulator removes them at once
            # and lets the operation report progress for its nominal duration.
            arm.delete(tx, doc["id"])
            op = self.app.start_operation(tx, req, doc["id"], "delete", models.DELETE_SECONDS)
        location = (f"{req.endpoints.arm}/subscriptions/{sub}/operationresults/{op.id}"
                    f"?api-version={req.q('api-version')}")
        return Response.empty(202, lro.accepted_headers(self.app.clock, op, None, location))


class OperationResponses:
    """Generic operation endpoints: `Azure-AsyncOperation` status bodies and `Location` results."""

    def __init__(self, app: Emulator) -> None:
        self.app = app

    def status(self, req: Request, op_id: str, **_: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            op = lro.load(tx, op_id)
        headers = {} if op.done(self.app.clock) else {"Retry-After": self.app.clock.retry_after(
            min(10.0, max(op.remaining(self.app.clock), 1.0)))}
        return Response.json(op.status_body(self.app.clock), 200, headers)

    def result(self, req: Request, op_id: str, **_: str) -> Response:
        """Location polling: 202 while running; then the resource (create/update) or 200/204 (delete)."""
        with self.app.store.tx(write=False) as tx:
            op = lro.load(tx, op_id)
        clock = self.app.clock
        if not op.done(clock):
            return Response.empty(202, {"Location": req.url,
                                        "Retry-After": clock.retry_after(min(10.0, max(op.remaining(clock), 1.0)))})
        if op.outcome != "Succeeded":
            status = op.error_status if op.outcome == "Failed" else 409
            raise EmulatedError(status, op.error_code or "OperationFailed",
                                op.error_message or f"The operation ended {op.outcome}.")
        if op.kind == "delete":
            return Response.empty(200)
        return self.app.internal("GET", "arm", op.resource_id, f"api-version={req.q('api-version')}",
                                 endpoints=req.endpoints)
