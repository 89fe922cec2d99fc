"""A Livy batch client over the HDInsight gateway: submit, follow the state, stream the log, kill.

HDInsight serves Livy at https://<cluster>.azurehdinsight.net/livy/batches behind basic auth with the
cluster login (gateway) user; Livy's CSRF protection wants an X-Requested-By header on writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from azlake.errors import CloudError

if TYPE_CHECKING:
    import requests

    from azlake.envfile.models import Executors

FINAL = ("success", "dead", "killed", "error")
CSRF = {"X-Requested-By": "azlake"}


@dataclass
class Batch:
    id: int
    state: str
    app_id: str | None = None
    log: list[str] = field(default_factory=list)


class LivyClient:
    def __init__(self, session: requests.Session, gateway_url: str, username: str, password: str) -> None:
        self.session = session
        self.session.auth = (username, password)  # kept in the session only: never printed or logged
        self.base = f"{gateway_url.rstrip('/')}/livy/batches"

    def _call(self, method: str, path: str = "", **kwargs: Any) -> Any:
        try:
            resp = self.session.request(method, self.base + path, timeout=60, **kwargs)
        except Exception as exc:  # requests' connection errors: say where, never the credential
            raise CloudError(f"cannot reach the cluster gateway ({self.base}): {type(exc).__name__}",
                             hint="check that the cluster exists and is Running (`azlake status`)") from None
        if resp.status_code == 401:
            raise CloudError("the cluster gateway refused the cluster login (401)",
                             hint="the password in the environment (cluster.login.password) must match the "
                                  "cluster's; `azlake apply` updates the cluster's gateway credential")
        if resp.status_code >= 400:
            raise CloudError(f"Livy answered {resp.status_code} to {method} {self.base}{path}: {_msg(resp)}",
                             hint="check the cluster state with `azlake status`")
        return resp.json() if resp.content else {}

    def submit(self, file: str, args: list[str], name: str, executors: Executors,
               conf: dict[str, str] | None = None) -> Batch:
        body = {"file": file, "args": args, "name": name, "conf": conf or {},
                "numExecutors": executors.count, "executorCores": executors.cores,
                "executorMemory": executors.memory}
        doc = self._call("POST", json=body, headers=CSRF)
        return Batch(int(doc["id"]), doc.get("state", "starting"), doc.get("appId"))

    def get(self, batch_id: int) -> Batch:
        doc = self._call("GET", f"/{batch_id}")
        return Batch(int(doc["id"]), doc["state"], doc.get("appId"), list(doc.get("log") or []))

    def state(self, batch_id: int) -> str:
        return str(self._call("GET", f"/{batch_id}/state")["state"])

    def log(self, batch_id: int, start: int, size: int = 100) -> tuple[int, list[str]]:
        """Lines [start, start+size) of the batch's log and the log's total length."""
        doc = self._call("GET", f"/{batch_id}/log", params={"from": start, "size": size})
        return int(doc.get("total", 0)), list(doc.get("log") or [])

    def delete(self, batch_id: int) -> None:
        self._call("DELETE", f"/{batch_id}", headers=CSRF)

    def follow(self, batch_id: int, on_line: Callable[[str], None], on_state: Callable[[str], None],
               poll_s: float) -> str:
        """Wait for a final state, passing on each new log line and each state change; returns the state."""
        seen, state, last = 0, "", None
        while True:
            state = self.state(batch_id)
            seen = self._drain(batch_id, seen, on_line)  # the lines written before the state was read
            if state != last:
                on_state(state)
                last = state
            if state in FINAL:
                return state
            time.sleep(poll_s)

    def _drain(self, batch_id: int, seen: int, on_line: Callable[[str], None]) -> int:
        while True:
            total, lines = self.log(batch_id, seen)
            for line in lines:
                on_line(line)
            seen += len(lines)
            if not lines or seen >= total:
                return seen


def _msg(resp: requests.Response) -> str:
    try:
        return str(resp.json().get("msg") or resp.text[:200])
    except ValueError:
        return resp.text[:200]
