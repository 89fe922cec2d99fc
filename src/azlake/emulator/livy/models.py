"""Livy batches behind an emulated HDInsight gateway: state, logs and Livy's JSON shapes (no HTTP).

A batch is a document in the emulator store (collection `livy_batches`, key `<scope>/<id>`, the scope
being `<cluster name>/<clusterId>`: one Livy per incarnation of a cluster), so a served emulator and the
CLI sharing a state directory see the same batches; its log is a text file under
`<state-dir>/livy/<scope>/<id>.log`. The process that accepted the batch runs it (see
`spark.py`) and records its pid: a batch whose runner process has gone is reported `dead`, as Livy
reports a batch whose YARN application was lost.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azlake.emulator.core.store import Store, Tx

BATCHES = "livy_batches"
SEQUENCES = "livy_sequences"
SETTINGS = "livy_settings"

# Livy's batch states (org.apache.livy.sessions.SessionState) that this emulator goes through.
STARTING, RUNNING, SUCCESS, DEAD, KILLED = "starting", "running", "success", "dead", "killed"
FINAL_STATES = (SUCCESS, DEAD, KILLED)
DEFAULT_LOG_SIZE = 100  # Livy answers the last 100 lines when `from` is not given


class LivyError(Exception):
    """An answer Livy gives as {"msg": ...} with an HTTP status."""

    def __init__(self, status: int, msg: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(msg)
        self.status = status
        self.msg = msg
        self.headers = headers or {}


@dataclass
class Submission:
    """What POST /batches asked for (Livy's CreateBatchRequest fields the emulator uses)."""

    file: str
    args: list[str]
    conf: dict[str, str]
    name: str | None = None
    executor_cores: int | None = None
    num_executors: int | None = None
    executor_memory: str | None = None
    driver_memory: str | None = None
    proxy_user: str | None = None

    @classmethod
    def parse(cls, body: Any) -> Submission:
        if not isinstance(body, dict) or not isinstance(body.get("file"), str) or not body["file"]:
            raise LivyError(400, "Rejected, Reason: 'file' is required and must be a path to the application.")
        args = body.get("args") or []
        conf = body.get("conf") or {}
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            raise LivyError(400, "Rejected, Reason: 'args' must be a list of strings.")
        if not isinstance(conf, dict):
            raise LivyError(400, "Rejected, Reason: 'conf' must be a map of Spark properties.")
        return cls(body["file"], list(args), {str(k): str(v) for k, v in conf.items()}, body.get("name"),
                   _opt_int(body, "executorCores"), _opt_int(body, "numExecutors"),
                   body.get("executorMemory"), body.get("driverMemory"), body.get("proxyUser"))


def _opt_int(body: dict, key: str) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or value < 1:
        raise LivyError(400, f"Rejected, Reason: '{key}' must be a positive integer.")
    return value


def log_path(store: Store, cluster: str, batch_id: int) -> Path:
    return store.state_dir / "livy" / cluster.lower() / f"{batch_id}.log"


def _key(cluster: str, batch_id: int) -> str:
    return f"{cluster.lower()}/{batch_id:09d}"


def create(tx: Tx, store: Store, cluster: str, sub: Submission, now: float) -> dict:
    """Record a new batch in state `starting`; the caller starts its runner."""
    seq = tx.get(SEQUENCES, cluster.lower()) or 0
    tx.put(SEQUENCES, cluster.lower(), seq + 1)
    doc = {"id": seq, "cluster": cluster.lower(), "name": sub.name, "owner": None,
           "proxyUser": sub.proxy_user, "state": STARTING, "appId": None, "file": sub.file,
           "args": sub.args, "conf": sub.conf, "executorCores": sub.executor_cores,
           "numExecutors": sub.num_executors, "executorMemory": sub.executor_memory,
           "driverMemory": sub.driver_memory, "created": now, "finished": None,
           "runner": {"pid": os.getpid(), "host": socket.gethostname()}}
    tx.put(BATCHES, _key(cluster, seq), doc)
    path = log_path(store, cluster, seq)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    return doc


def remember_state_dir(tx: Tx, state_dir: Path) -> None:
    """Where the logs live: the ARM clean-up hook of a deleted cluster is process-wide and only gets a Tx."""
    if tx.get(SETTINGS, "state_dir") != str(state_dir):
        tx.put(SETTINGS, "state_dir", str(state_dir))


def drop_cluster(tx: Tx, name: str) -> None:
    """Forget every batch of a deleted cluster (all its scopes `<name>/<clusterId>`), and their logs."""
    where = tx.get(SETTINGS, "state_dir")
    for doc in list_batches(tx, name):
        tx.delete(BATCHES, _key(doc["cluster"], doc["id"]))
        if where:
            (Path(where) / "livy" / doc["cluster"] / f"{doc['id']}.log").unlink(missing_ok=True)


def get(tx: Tx, cluster: str, batch_id: int) -> dict:
    doc = tx.get(BATCHES, _key(cluster, batch_id))
    if doc is None:
        raise LivyError(404, f"Session '{batch_id}' not found.")
    return doc


def list_batches(tx: Tx, cluster: str) -> list[dict]:
    return tx.values(BATCHES, cluster.lower() + "/")


def update(tx: Tx, cluster: str, batch_id: int, **fields: Any) -> dict | None:
    """Change a batch that still exists (a deleted batch stays deleted)."""
    doc = tx.get(BATCHES, _key(cluster, batch_id))
    if doc is None:
        return None
    doc.update(fields)
    tx.put(BATCHES, _key(cluster, batch_id), doc)
    return doc


def delete(tx: Tx, store: Store, cluster: str, batch_id: int) -> dict:
    doc = get(tx, cluster, batch_id)
    tx.delete(BATCHES, _key(cluster, batch_id))
    log_path(store, cluster, batch_id).unlink(missing_ok=True)
    return doc


def effective_state(doc: dict) -> str:
    """The batch's state, `dead` when its runner process is gone before it finished."""
    if doc["state"] in FINAL_STATES:
        return doc["state"]
    runner = doc.get("runner") or {}
    if runner.get("host") == socket.gethostname() and not _alive(int(runner.get("pid", 0))):
        return DEAD
    return doc["state"]


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def append_log(store: Store, cluster: str, batch_id: int, lines: list[str]) -> None:
    path = log_path(store, cluster, batch_id)
    if not path.exists():
        return  # the batch was deleted meanwhile
    with open(path, "a", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line.rstrip("\n").replace("\n", " ") + "\n")


def read_log(store: Store, cluster: str, batch_id: int) -> list[str]:
    path = log_path(store, cluster, batch_id)
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []


def log_page(lines: list[str], start: int | None, size: int | None) -> tuple[int, list[str]]:
    """Livy's paging: `size` lines (default 100) from `from` (default: the last `size` lines)."""
    size = DEFAULT_LOG_SIZE if size is None else size
    if size < 0:
        size = len(lines)
    if start is None or start < 0:
        start = max(0, len(lines) - size)
    return start, lines[start:start + size]


def batch_json(doc: dict, lines: list[str]) -> dict:
    """Livy's Batch object: id, name, owner, proxyUser, state, appId, appInfo and the log's tail."""
    return {"id": doc["id"], "name": doc.get("name"), "owner": doc.get("owner"),
            "proxyUser": doc.get("proxyUser"), "state": effective_state(doc), "appId": doc.get("appId"),
            "appInfo": {"driverLogUrl": None, "sparkUiUrl": None}, "log": lines[-DEFAULT_LOG_SIZE:]}
