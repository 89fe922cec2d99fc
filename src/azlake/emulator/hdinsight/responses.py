"""HDInsight over HTTP: parse requests, serialise answers, long-running operation headers."""

from __future__ import annotations

from azlake.emulator.core import arm, lro
from azlake.emulator.core.app import Emulator
from azlake.emulator.core.errors import EmulatedError
from azlake.emulator.core.http import Request, Response
from azlake.emulator.hdinsight import hosts, locations, models


class ClusterResponses:
    def __init__(self, app: Emulator) -> None:
        self.app = app

    # --- helpers ---------------------------------------------------------------------------------
    def _accepted(self, req: Request, cluster_id: str, op: lro.Operation, alias: str | None = None,
                  status: int = 202, body: dict | None = None) -> Response:
        """HDInsight's LRO answer: Azure-AsyncOperation for status, Location for the final result."""
        name = alias or op.id
        base, version = f"{req.endpoints.arm}{cluster_id}", req.q("api-version")
        headers = lro.accepted_headers(self.app.clock, op, f"{base}/azureasyncoperations/{name}?api-version={version}",
                                       f"{base}/operationresults/{name}?api-version={version}")
        if body is None:
            return Response.empty(status, headers)
        return Response.json(body, status, headers)

    def _view(self, tx, doc: dict) -> dict:
        return models.view(tx, self.app.clock, doc)

    # --- clusters --------------------------------------------------------------------------------
    def put(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            doc = models.create(self.app, tx, req, sub, rg, name, req.json())
            record = models.private(tx, name)
            assert record is not None  # create() wrote it
            op = lro.load(tx, record["ops"]["create"])
            body = self._view(tx, doc)
        return self._accepted(req, doc["id"], op, "create", 200, body)

    def get(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            return Response.json(self._view(tx, models.require(tx, sub, rg, name)))

    def patch(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            return Response.json(self._view(tx, models.patch_tags(tx, sub, rg, name, req.json())))

    def delete(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            if arm.get(tx, models.cluster_id(sub, rg, name)) is None:
                arm.require_group(tx, sub, rg)
                return Response.empty(204)
            op = models.delete(self.app, tx, req, sub, rg, name)
        return self._accepted(req, op.resource_id, op)

    def list_group(self, req: Request, sub: str, rg: str) -> Response:
        with self.app.store.tx() as tx:
            arm.require_group(tx, sub, rg)
            return Response.json({"value": [self._view(tx, d) for d in models.clusters_in(tx, sub, rg)]})

    def list_subscription(self, req: Request, sub: str) -> Response:
        with self.app.store.tx() as tx:
            return Response.json({"value": [self._view(tx, d) for d in models.clusters_in(tx, sub)]})

    def resize(self, req: Request, sub: str, rg: str, name: str, role: str) -> Response:
        with self.app.store.tx() as tx:
            op = models.resize(self.app, tx, req, sub, rg, name, role, req.json())
        return self._accepted(req, op.resource_id, op)

    def autoscale(self, req: Request, sub: str, rg: str, name: str, role: str) -> Response:
        with self.app.store.tx() as tx:
            op = models.update_autoscale(self.app, tx, req, sub, rg, name, role, req.json())
        return self._accepted(req, op.resource_id, op)

    def get_gateway(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            return Response.json(models.gateway_settings(tx, self.app.clock, sub, rg, name))

    def update_gateway(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            op = models.update_gateway(self.app, tx, req, sub, rg, name, req.json())
        return self._accepted(req, op.resource_id, op)

    # --- configurations and hosts ----------------------------------------------------------------
    def list_configurations(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            return Response.json({"configurations": hosts.configurations(tx, self.app.clock, sub, rg, name)})

    def get_configuration(self, req: Request, sub: str, rg: str, name: str, config: str) -> Response:
        with self.app.store.tx() as tx:
            return Response.json(hosts.configuration(tx, self.app.clock, sub, rg, name, config))

    def update_configuration(self, req: Request, sub: str, rg: str, name: str, config: str) -> Response:
        with self.app.store.tx() as tx:
            op = hosts.update_configuration(self.app, tx, req, sub, rg, name, config, req.json())
        return self._accepted(req, op.resource_id, op)

    def list_hosts(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(hosts.hosts(tx, sub, rg, name))

    def restart_hosts(self, req: Request, sub: str, rg: str, name: str) -> Response:
        with self.app.store.tx() as tx:
            op = hosts.restart_hosts(self.app, tx, req, sub, rg, name, req.json())
        return self._accepted(req, op.resource_id, op)

    # --- operations ------------------------------------------------------------------------------
    def _resolve(self, tx, name: str, op_name: str) -> lro.Operation:
        """`create` (the name HDInsight uses for a creation) or an operation id."""
        record = models.private(tx, name) or {}
        return lro.load(tx, (record.get("ops") or {}).get(op_name.lower(), op_name))

    def async_status(self, req: Request, sub: str, rg: str, name: str, op: str) -> Response:
        with self.app.store.tx() as tx:
            operation = self._resolve(tx, name, op)
        return _status(self.app, operation)

    def result(self, req: Request, sub: str, rg: str, name: str, op: str) -> Response:
        clock = self.app.clock
        with self.app.store.tx() as tx:
            operation = self._resolve(tx, name, op)
            if not operation.done(clock):
                return Response.empty(202, {"Location": req.url, "Retry-After": clock.retry_after(
                    min(10.0, max(operation.remaining(clock), 1.0)))})
            if operation.outcome != "Succeeded":
                raise EmulatedError(400, operation.error_code or "OperationFailed",
                                    operation.error_message or f"The operation ended {operation.outcome}.")
            doc = arm.get(tx, operation.resource_id)
            if operation.kind == "create" and doc is not None:
                return Response.json(self._view(tx, doc))
        return Response.empty(200)


class LocationResponses:
    def __init__(self, app: Emulator) -> None:
        self.app = app

    def capabilities(self, req: Request, sub: str, loc: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(locations.capabilities(tx, sub, loc))

    def usages(self, req: Request, sub: str, loc: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(locations.usages(tx, sub, loc))

    def billing_specs(self, req: Request, sub: str, loc: str) -> Response:
        return Response.json(locations.billing_specs(loc))

    def check_name(self, req: Request, sub: str, loc: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(locations.check_name(tx, req.json()))

    def validate(self, req: Request, sub: str, loc: str) -> Response:
        with self.app.store.tx() as tx:
            return Response.json(locations.validate(tx, self.app.clock, sub, loc, req.json()))

    def async_status(self, req: Request, sub: str, loc: str, op: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            operation = lro.load(tx, op)
        return _status(self.app, operation)


def _status(app: Emulator, operation: lro.Operation) -> Response:
    clock = app.clock
    headers = {} if operation.done(clock) else {
        "Retry-After": clock.retry_after(min(10.0, max(operation.remaining(clock), 1.0)))}
    return Response.json(operation.status_body(clock), 200, headers)
