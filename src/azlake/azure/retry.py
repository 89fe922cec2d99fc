"""One more layer of patience over azure-core's retries, for throttling storms and transient 5xx.

Safe because every call azlake retries is idempotent: reads, PUTs of a whole resource, DELETEs, and
resizes to an absolute count. A failed long-running operation is not retried here (its status is 200).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from azure.core.exceptions import HttpResponseError, ServiceRequestError, ServiceResponseError

if TYPE_CHECKING:
    from azlake.azure.clients import Clients

T = TypeVar("T")
TRANSIENT = {408, 429, 500, 502, 503, 504}
ATTEMPTS = 4
BACKOFF = 20.0  # nominal seconds, times the attempt number, when Azure sends no Retry-After


def transient(exc: Exception) -> bool:
    if isinstance(exc, (ServiceRequestError, ServiceResponseError)):
        return True
    return isinstance(exc, HttpResponseError) and exc.status_code in TRANSIENT


def with_retries(call: Callable[[], T], clients: Clients, attempts: int = ATTEMPTS,
                 on_retry: Callable[[str], None] | None = None) -> T:
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except Exception as exc:
            if attempt == attempts or not transient(exc):
                raise
            wait = _retry_after(exc)
            wait = clients.scaled(BACKOFF * attempt) if wait is None else wait
            if on_retry:
                status = getattr(exc, "status_code", None) or type(exc).__name__
                on_retry(f"Azure answered {status}; trying again in {wait:.1f}s (attempt {attempt + 1}/{attempts})")
            time.sleep(min(wait, 120.0))
    raise AssertionError("unreachable")


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    value = getattr(response, "headers", {}).get("Retry-After") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
