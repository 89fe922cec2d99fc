"""Routes of the cluster gateway's Livy endpoint (service "gateway", `req.account` = cluster name)."""

from __future__ import annotations

from azlake.emulator.livy.responses import LivyResponses


def register(app) -> None:
    livy = LivyResponses(app)
    app.route("gateway", "POST", "/livy/batches", livy.create)
    app.route("gateway", "GET", "/livy/batches", livy.list)
    app.route("gateway", "GET", "/livy/batches/{batch_id}", livy.get)
    app.route("gateway", "GET", "/livy/batches/{batch_id}/state", livy.state)
    app.route("gateway", "GET", "/livy/batches/{batch_id}/log", livy.log)
    app.route("gateway", "DELETE", "/livy/batches/{batch_id}", livy.delete)
