"""Livy over HTTP: the gateway's basic auth, Livy's CSRF header, request parsing and Livy's JSON answers."""

from __future__ import annotations

import base64
import binascii
import json
from functools import wraps
from typing import TypeVar

from azlake.emulator.core import arm
from azlake.emulator.core.http import Request, Response
from azlake.emulator.hdinsight.models import cluster_gateway
from azlake.emulator.livy import models, spark
from azlake.emulator.livy.models import LivyError

CSRF_HEADER = "X-Requested-By"


def _answer(handler):
    """Turn LivyError into Livy's {"msg": ...} body (Livy does not use Azure's error shape)."""
    @wraps(handler)
    def wrapper(self, req: Request, **kwargs):
        try:
            return handler(self, req, **kwargs)
        except LivyError as err:
            return Response.json({"msg": err.msg}, err.status, err.headers)
    return wrapper


class LivyResponses:
    def __init__(self, app) -> None:
        self.app = app

    # --- the gateway in front of Livy ------------------------------------------------------------
    def _gateway(self, req: Request):
        """The cluster behind this gateway, after basic auth; Livy's CSRF check for writes.

        Returns the cluster and its Livy scope: batches belong to one incarnation of the cluster (its
        clusterId), so a cluster re-created under the same name starts again from batch 0, like a new Livy.
        """
        cluster, scope, _ = self._gateway_doc(req)
        return cluster, scope

    def _gateway_doc(self, req: Request):
        """_gateway, and the cluster's ARM document (its version says which Spark runs the batches)."""

        with self.app.store.tx() as tx:
            cluster = cluster_gateway(tx, self.app.clock, req.account)
            doc = arm.get(tx, cluster.id) if cluster else None
        if cluster is None:
            raise LivyError(404, f"The cluster '{req.account}' does not exist (no such host "
                                 f"{req.account}.azurehdinsight.net).")
        user, password = _basic_credentials(req.headers.get("Authorization"))
        if user is None or not cluster.check_basic_auth(user, password or ""):
            raise LivyError(401, "Unauthorized: the cluster login (gateway) user name or password is wrong.",
                            {"WWW-Authenticate": 'Basic realm="HDInsight"'})
        if not cluster.running:
            raise LivyError(503, f"The cluster '{cluster.name}' is not running (state "
                                 f"{cluster.cluster_state}); its gateway cannot serve requests yet.")
        if req.method in ("POST", "DELETE") and not req.headers.get(CSRF_HEADER):
            raise LivyError(400, "Missing Required Header for CSRF protection.")
        incarnation = ((doc or {}).get("properties") or {}).get("clusterId") or "0"
        return cluster, f"{cluster.name.lower()}/{incarnation}", doc or {}

    # --- batches ---------------------------------------------------------------------------------
    @_answer
    def create(self, req: Request) -> Response:
        cluster, scope, cluster_doc = self._gateway_doc(req)
        try:
            body = json.loads(req.body or b"{}")
        except ValueError:
            raise LivyError(400, "Rejected, Reason: the request body is not JSON.") from None
        sub = models.Submission.parse(body)
        with self.app.store.tx() as tx:
            doc = models.create(tx, self.app.store, scope, sub, self.app.clock.now())
        hdinsight, spark_line = spark.spark_line(cluster_doc)
        run = spark.BatchRun(scope, doc["id"], sub.file, sub.args, sub.conf,
                             spark.local_cores(sub.num_executors, sub.executor_cores),
                             cluster.identity_principal_id, hdinsight, spark_line, sub.name)
        spark.start(self.app, run)
        return Response.json(models.batch_json(doc, []), 201, {"Location": f"/batches/{doc['id']}"})

    @_answer
    def list(self, req: Request) -> Response:
        _, scope = self._gateway(req)
        start, size = _int_param(req, "from", 0), _int_param(req, "size", 100)
        with self.app.store.tx(write=False) as tx:
            docs = models.list_batches(tx, scope)
        page = docs[start:start + size]
        sessions = [models.batch_json(d, models.read_log(self.app.store, scope, d["id"])) for d in page]
        return Response.json({"from": start, "total": len(docs), "sessions": sessions})

    @_answer
    def get(self, req: Request, batch_id: str) -> Response:
        _, scope = self._gateway(req)
        doc = self._batch(scope, batch_id)
        return Response.json(models.batch_json(doc, models.read_log(self.app.store, scope, doc["id"])))

    @_answer
    def state(self, req: Request, batch_id: str) -> Response:
        _, scope = self._gateway(req)
        doc = self._batch(scope, batch_id)
        return Response.json({"id": doc["id"], "state": models.effective_state(doc)})

    @_answer
    def log(self, req: Request, batch_id: str) -> Response:
        _, scope = self._gateway(req)
        doc = self._batch(scope, batch_id)
        lines = models.read_log(self.app.store, scope, doc["id"])
        start, page = models.log_page(lines, _int_param(req, "from", None), _int_param(req, "size", None))
        return Response.json({"id": doc["id"], "from": start, "total": len(lines), "log": page})

    @_answer
    def delete(self, req: Request, batch_id: str) -> Response:
        _, scope = self._gateway(req)
        number = _batch_number(batch_id)
        with self.app.store.tx() as tx:
            models.delete(tx, self.app.store, scope, number)
        spark.kill(scope, number)
        return Response.json({"msg": "deleted"})

    def _batch(self, scope: str, batch_id: str) -> dict:
        with self.app.store.tx(write=False) as tx:
            return models.get(tx, scope, _batch_number(batch_id))


def _batch_number(batch_id: str) -> int:
    try:
        return int(batch_id)
    except ValueError:
        raise LivyError(404, f"Session '{batch_id}' not found.") from None


_Default = TypeVar("_Default", int, None)


def _int_param(req: Request, name: str, default: _Default) -> int | _Default:
    raw = req.q(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise LivyError(400, f"'{name}' must be an integer.") from None


def _basic_credentials(header: str | None) -> tuple[str | None, str | None]:
    if not header or not header.lower().startswith("basic "):
        return None, None
    try:
        decoded = base64.b64decode(header.split(" ", 1)[1].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else (None, None)
