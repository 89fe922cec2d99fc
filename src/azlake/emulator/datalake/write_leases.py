"""Leases a DFS write carries: its lease condition, and the lease actions of Path - Create / append / flush.

Path - Create may acquire a lease on the path it creates (`x-ms-proposed-lease-id` + `x-ms-lease-duration`);
append and flush may carry `x-ms-lease-action` (DataLake spec 2026-06-06, parameter LeaseAction): `acquire`
(the proposed id becomes the lease), `auto-renew` (renews the lease the write holds; the answer says
`x-ms-lease-renewed: true`), `release` (only on a flush) and `acquire-release` (acquire, write, release).
The azure-storage-file-datalake SDK sends the `lease` argument as the proposed id for the acquiring actions
and as `x-ms-lease-id` for the others; its recorded tests (test_file.py, test_append_data_lease_action,
test_flush_data_lease_action, test_create_file_proposed_lease_id) show the lease states that follow.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from azlake.emulator.core.http import Headers
from azlake.emulator.datalake import leases
from azlake.emulator.datalake.errors import InvalidHeaderValue, MissingRequiredHeader

ACTIONS = ("acquire", "auto-renew", "release", "acquire-release")
ACQUIRING = ("acquire", "acquire-release")


@dataclass(frozen=True)
class WriteLease:
    action: str | None  # one of ACTIONS, or None for a plain write
    lease_id: str | None  # x-ms-lease-id: the lease the write holds
    proposed: str | None = None  # the id an acquiring action takes
    duration: int | None = None


def _missing(header: str) -> MissingRequiredHeader:
    return MissingRequiredHeader(f"An HTTP header that's mandatory for this request is not specified: {header}.")


def parse(headers: Headers, *, create: bool = False) -> WriteLease:
    """The lease headers of a DFS write; Path - Create acquires when it names a proposed id or a duration."""
    lease_id = headers.get("x-ms-lease-id") or None
    if create:
        acquiring = bool(headers.get("x-ms-proposed-lease-id") or headers.get("x-ms-lease-duration"))
        action = "acquire" if acquiring else None
    else:
        action = (headers.get("x-ms-lease-action") or "").lower() or None
        if action is not None and action not in ACTIONS:
            raise InvalidHeaderValue("The value for one of the HTTP headers is not in the correct format: "
                                     "x-ms-lease-action (acquire, auto-renew, release, acquire-release).")
    if action in ACQUIRING:
        proposed = headers.get("x-ms-proposed-lease-id")
        if not proposed:
            raise _missing("x-ms-proposed-lease-id")
        return WriteLease(action, lease_id, leases.guid(proposed, "x-ms-proposed-lease-id"),
                          leases.parse_duration(headers.get("x-ms-lease-duration")))
    if action is not None and not lease_id:  # auto-renew and release act on the lease the write holds
        raise _missing("x-ms-lease-id")
    return WriteLease(action, lease_id)


def check(doc: dict | None, wl: WriteLease, now: float) -> None:
    """Refuse the write before it happens: the DFS lease condition, and an acquire the path's lease forbids."""
    if wl.action in ACQUIRING and not wl.lease_id:
        if doc is not None:  # acquiring on someone else's lease fails as Path - Lease acquire does
            leases.apply(copy.deepcopy(doc), "acquire", now, proposed=wl.proposed, duration=str(wl.duration))
        return
    leases.check_write(doc, wl.lease_id, now, dfs=True)


def apply(doc: dict, wl: WriteLease, now: float, *, flushed: bool) -> dict[str, str]:
    """Carry out the write's lease action on `doc` (the caller saves it); returns the answer's extra headers."""
    if wl.action in ACQUIRING:
        leases.apply(doc, "acquire", now, proposed=wl.proposed, duration=str(wl.duration))
    extra: dict[str, str] = {}
    lease = doc.get("lease")
    if wl.action == "auto-renew" and lease:
        leases.grant(doc, lease["id"], lease["duration"], now)
        extra["x-ms-lease-renewed"] = "true"
    if wl.action == "acquire-release" or (wl.action == "release" and flushed):
        doc["lease"] = None  # "release" on an append alone waits for the flush, as the spec says
    return extra
