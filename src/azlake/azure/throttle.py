"""Keeps azlake under Azure Resource Manager's request limits when many environments run at once.

ARM throttles per subscription, per principal and per operation type with token buckets (since 2024):
reads 250 tokens refilled at 25 per second, writes and deletes 200 refilled at 10 per second
(learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling). One process
applying a whole fleet shares those buckets, so every management client of the process takes a token
before each attempt it sends and waits for one when the bucket is empty, instead of drawing 429s. On the
local cloud the refill runs on the emulator's scaled clock, as its other durations do.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from azure.core.pipeline.policies import HTTPPolicy

# (bucket size, tokens refilled per nominal second) per operation type
LIMITS = {"read": (250, 25.0), "write": (200, 10.0), "delete": (200, 10.0)}
KINDS = {"GET": "read", "HEAD": "read", "DELETE": "delete"}


class TokenBucket:
    """A thread-safe token bucket; `take` blocks until a token is there."""

    def __init__(self, size: int, per_second: float, clock=time.monotonic, sleep=time.sleep) -> None:
        self.size, self.per_second = size, per_second
        self.tokens, self.clock, self.sleep = float(size), clock, sleep
        self.updated = clock()
        self.lock = threading.Lock()

    def take(self) -> float:
        """Take one token; return the seconds waited for it."""
        waited = 0.0
        while True:
            with self.lock:
                now = self.clock()
                self.tokens = min(self.size, self.tokens + (now - self.updated) * self.per_second)
                self.updated = now
                if self.tokens >= 1 - 1e-9:  # refills in float steps land a hair under 1
                    self.tokens = max(0.0, self.tokens - 1)
                    return waited
                pause = (1 - self.tokens) / self.per_second
            self.sleep(pause)
            waited += pause


_BUCKETS: dict[tuple[str, str], TokenBucket] = {}
_BUCKETS_LOCK = threading.Lock()


def bucket(subscription: str, kind: str, time_scale: float = 1.0) -> TokenBucket:
    """The process-wide bucket of one subscription and operation type."""
    key = (subscription.lower(), kind)
    with _BUCKETS_LOCK:
        if key not in _BUCKETS:
            size, rate = LIMITS[kind]
            _BUCKETS[key] = TokenBucket(size, rate / time_scale if time_scale > 0 else float("inf"))
        return _BUCKETS[key]


class ArmThrottlePolicy(HTTPPolicy):
    """Placed after the retry policy: every attempt sent to ARM takes a token of its subscription's bucket."""

    def __init__(self, subscription: str, time_scale: float = 1.0) -> None:
        super().__init__()
        self.subscription, self.time_scale = subscription, time_scale

    def send(self, request: Any) -> Any:
        kind = KINDS.get(request.http_request.method.upper(), "write")
        if self.time_scale > 0:
            bucket(self.subscription, kind, self.time_scale).take()
        return self.next.send(request)
