"""Long-running operations as ARM does them: 201/202, Azure-AsyncOperation / Location, status resources.

An operation is stored with its start time and nominal duration; its status is computed on every read
from the emulator's clock, so any process sharing the state directory sees the same progress.
Faults can make an operation end `Failed` (see `faults.py`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from azlake.emulator.core.clock import Clock
from azlake.emulator.core.errors import OperationNotFound
from azlake.emulator.core.store import Tx

COLLECTION = "operations"


@dataclass
class Operation:
    id: str
    resource_id: str
    kind: str                  # create | update | delete | resize | ...
    started: float
    duration: float            # nominal seconds
    outcome: str = "Succeeded"  # Succeeded | Failed | Canceled
    error_code: str = ""
    error_message: str = ""
    error_status: int = 500    # HTTP status a Location poll answers once the operation has Failed

    def status(self, clock: Clock) -> str:
        if clock.elapsed_nominal(self.started) < self.duration:
            return "InProgress"
        return self.outcome

    def done(self, clock: Clock) -> bool:
        return self.status(clock) != "InProgress"

    def remaining(self, clock: Clock) -> float:
        return max(0.0, self.duration - clock.elapsed_nominal(self.started))

    def to_doc(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def status_body(self, clock: Clock) -> dict[str, Any]:
        status = self.status(clock)
        body: dict[str, Any] = {"id": self.id, "name": self.id, "status": status}
        if status == "Failed":
            body["error"] = {"code": self.error_code or "InternalServerError",
                             "message": self.error_message or "The operation failed."}
        return body


def start(tx: Tx, clock: Clock, resource_id: str, kind: str, duration: float,
          fail: tuple[str, str] | None = None, fail_status: int = 500) -> Operation:
    op = Operation(id=str(uuid.uuid4()), resource_id=resource_id, kind=kind, started=clock.now(),
                   duration=duration)
    if fail:
        op.outcome, op.error_code, op.error_message = "Failed", fail[0], fail[1]
        op.error_status = fail_status
    tx.put(COLLECTION, op.id, op.to_doc())
    return op


def load(tx: Tx, op_id: str) -> Operation:
    doc = tx.get(COLLECTION, op_id)
    if doc is None:
        raise OperationNotFound(f"The operation '{op_id}' was not found.")
    return Operation(**doc)


def accepted_headers(clock: Clock, op: Operation, async_url: str | None, location_url: str | None,
                     retry_nominal: float = 10.0) -> dict[str, str]:
    """Headers for the first 201/202 answer of a long-running operation."""
    headers = {"Retry-After": clock.retry_after(min(retry_nominal, max(op.duration, 1.0)))}
    if async_url:
        headers["Azure-AsyncOperation"] = async_url
    if location_url:
        headers["Location"] = location_url
    return headers
