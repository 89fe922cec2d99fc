"""Routes of the cluster gateway's Livy endpoint (service "gateway", `req.account` = cluster name)."""

from __future__ import annotations

from azlake.emulator.core import arm
from azlake.emulator.core.store import Tx
from azlake.emulator.livy import models, spark
from azlake.emulator.livy.responses import LivyResponses


def _drop_batches(tx: Tx, cluster_doc: dict) -> None:
    """ARM deleted a cluster: its Livy goes with it; the batches' processes end (here, or through their
    watchdog in the process that runs them, which sees the batch's log file go) and the batches are forgotten."""
    name = str(cluster_doc["name"]).lower()
    for batch in models.list_batches(tx, name):  # every incarnation of the name (`<name>/<clusterId>`)
        spark.kill(batch["cluster"], batch["id"])
    models.drop_cluster(tx, name)


def register(app) -> None:
    with app.store.tx() as tx:
        models.remember_state_dir(tx, app.store.state_dir)
    arm.on_delete("Microsoft.HDInsight/clusters", _drop_batches)
    livy = LivyResponses(app)
    app.route("gateway", "POST", "/livy/batches", livy.create)
    app.route("gateway", "GET", "/livy/batches", livy.list)
    app.route("gateway", "GET", "/livy/batches/{batch_id}", livy.get)
    app.route("gateway", "GET", "/livy/batches/{batch_id}/state", livy.state)
    app.route("gateway", "GET", "/livy/batches/{batch_id}/log", livy.log)
    app.route("gateway", "DELETE", "/livy/batches/{batch_id}", livy.delete)
