"""Event Hubs over HTTP: parse requests, serialise answers, long-running operation headers."""

from __future__ import annotations

from azlake.emulator.core import arm, lro
from azlake.emulator.core.app import Emulator
from azlake.emulator.core.http import Request, Response
from azlake.emulator.eventhub import access_rules, entities, models


class NamespaceResponses:
    def __init__(self, app: Emulator) -> None:
        self.app = app

    def _accepted(self, req: Request, sub: str, location: str, op: lro.Operation, status: int,
                  body: dict | None = None) -> Response:
        """Event Hubs LROs report through Azure-AsyncOperation (final-state-via azure-async-operation)."""
        version = req.q("api-version")
        status_url = (f"{req.endpoints.arm}/subscriptions/{sub}/providers/Microsoft.EventHub/locations/{location}"
                      f"/asyncoperations/{op.id}?api-version={version}")
        headers = lro.accepted_headers(self.app.clock, op, status_url, None)
        return Response.json(body, status, headers) if body is not None else Response.empty(status, headers)

    def put(self, req: Request, sub: str, rg: str, ns: str) -> Response:
        with self.app.store.tx() as tx:
            doc, op = models.create_or_update_namespace(self.app, tx, req, sub, rg, ns, req.json())
            body = models.namespace_view(tx, self.app.clock, doc)
            if op is not None and not access_rules.rules(tx, doc):
                access_rules.add_root_rule(tx, doc)  # Azure makes RootManageSharedAccessKey with the namespace
        if op is None:
            return Response.json(body, 200)
        return self._accepted(req, sub, arm.region(doc["location"]), op, 201, body)

    def patch(self, req: Request, sub: str, rg: str, ns: str) -> Response:
        with self.app.store.tx() as tx:
            doc = models.patch_namespace(self.app, tx, req, sub, rg, ns, req.json())
            return Response.json(models.namespace_view(tx, self.app.clock, doc))

    def get(self, req: Request, sub: str, rg: str, ns: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            doc = models.require_namespace(tx, sub, rg, ns)
            return Response.json(models.namespace_view(tx, self.app.clock, doc))

    def delete(self, req: Request, sub: str, rg: str, ns: str) -> Response:
        with self.app.store.tx() as tx:
            started = models.delete_namespace(self.app, tx, req, sub, rg, ns)
        if started is None:
            return Response.empty(204)
        return self._accepted(req, sub, started[1], started[0], 202)

    def list_group(self, req: Request, sub: str, rg: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            arm.require_group(tx, sub, rg)
            return Response.json({"value": [models.namespace_view(tx, self.app.clock, d)
                                            for d in models.namespaces_in(tx, sub, rg)]})

    def list_subscription(self, req: Request, sub: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json({"value": [models.namespace_view(tx, self.app.clock, d)
                                            for d in models.namespaces_in(tx, sub)]})

    def check_name(self, req: Request, sub: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(models.check_name(tx, req.json()))


class EntityResponses:
    def __init__(self, app: Emulator) -> None:
        self.app = app

    def put_hub(self, req: Request, sub: str, rg: str, ns: str, hub: str) -> Response:
        with self.app.store.tx() as tx:
            return Response.json(entities.create_or_update_hub(tx, self.app.clock, sub, rg, ns, hub, req.json()))

    def get_hub(self, req: Request, sub: str, rg: str, ns: str, hub: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(entities.require_hub(tx, sub, rg, ns, hub))

    def delete_hub(self, req: Request, sub: str, rg: str, ns: str, hub: str) -> Response:
        with self.app.store.tx() as tx:
            found = entities.delete_hub(tx, sub, rg, ns, hub)
        return Response.empty(200 if found else 204)

    def list_hubs(self, req: Request, sub: str, rg: str, ns: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json({"value": entities.hubs(tx, sub, rg, ns)})

    def put_group(self, req: Request, sub: str, rg: str, ns: str, hub: str, cg: str) -> Response:
        with self.app.store.tx() as tx:
            return Response.json(entities.create_or_update_group(tx, self.app.clock, sub, rg, ns, hub, cg,
                                                                 req.json()))

    def get_group(self, req: Request, sub: str, rg: str, ns: str, hub: str, cg: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(entities.require_group(tx, sub, rg, ns, hub, cg))

    def delete_group(self, req: Request, sub: str, rg: str, ns: str, hub: str, cg: str) -> Response:
        with self.app.store.tx() as tx:
            found = entities.delete_group(tx, sub, rg, ns, hub, cg)
        return Response.empty(200 if found else 204)

    def list_groups(self, req: Request, sub: str, rg: str, ns: str, hub: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json({"value": entities.groups(tx, sub, rg, ns, hub)})


class RuleResponses:
    """Authorization rules of a namespace (`hub` None) or of an event hub, and their keys."""

    def __init__(self, app: Emulator) -> None:
        self.app = app

    @staticmethod
    def _parent(tx, sub: str, rg: str, ns: str, hub: str | None) -> dict:
        if hub is None:
            return models.require_namespace(tx, sub, rg, ns)
        return entities.require_hub(tx, sub, rg, ns, hub)

    def put(self, req: Request, sub: str, rg: str, ns: str, rule: str, hub: str | None = None) -> Response:
        with self.app.store.tx() as tx:
            return Response.json(access_rules.put_rule(tx, self._parent(tx, sub, rg, ns, hub), rule, req.json()))

    def get(self, req: Request, sub: str, rg: str, ns: str, rule: str, hub: str | None = None) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json(access_rules.require_rule(tx, self._parent(tx, sub, rg, ns, hub), rule))

    def list(self, req: Request, sub: str, rg: str, ns: str, hub: str | None = None) -> Response:
        with self.app.store.tx(write=False) as tx:
            return Response.json({"value": access_rules.rules(tx, self._parent(tx, sub, rg, ns, hub))})

    def delete(self, req: Request, sub: str, rg: str, ns: str, rule: str, hub: str | None = None) -> Response:
        with self.app.store.tx() as tx:
            found = access_rules.delete_rule(tx, self._parent(tx, sub, rg, ns, hub), rule)
        return Response.empty(200 if found else 204)

    def list_keys(self, req: Request, sub: str, rg: str, ns: str, rule: str, hub: str | None = None) -> Response:
        with self.app.store.tx(write=False) as tx:
            doc = access_rules.require_rule(tx, self._parent(tx, sub, rg, ns, hub), rule)
            return Response.json(access_rules.access_keys(tx, doc, ns, hub))

    def regenerate(self, req: Request, sub: str, rg: str, ns: str, rule: str, hub: str | None = None) -> Response:
        with self.app.store.tx() as tx:
            doc = access_rules.require_rule(tx, self._parent(tx, sub, rg, ns, hub), rule)
            access_rules.regenerate(tx, doc, req.json())
            return Response.json(access_rules.access_keys(tx, doc, ns, hub))
