"""Blob and container leases (Lease Blob, Lease Container, DFS Path Lease), no HTTP: states and rules.

A lease lives in the document it locks (a path or a filesystem) under `lease`: its id, the state it was
last put in (`leased`, `breaking`, `broken`, `available`), its duration (-1 = infinite) and the times it
expires or finishes breaking. `expired` and `broken` are read from the clock, as Azure derives them.
Durations are real seconds: a lease paces clients (a holder renews it), not Azure's own work, so the
emulator's time scale does not shorten it.
"""

from __future__ import annotations

import uuid

from azlake.emulator.datalake.errors import (
    InvalidHeaderValue,
    LeaseAlreadyPresent,
    LeaseIdMismatch,
    LeaseIdMismatchWithBlobOperation,
    LeaseIdMismatchWithContainerOperation,
    LeaseIdMismatchWithLeaseOperation,
    LeaseIdMissing,
    LeaseIsBreakingAndCannotBeAcquired,
    LeaseIsBreakingAndCannotBeChanged,
    LeaseIsBrokenAndCannotBeRenewed,
    LeaseLost,
    LeaseNotPresent,
    LeaseNotPresentWithBlobOperation,
    LeaseNotPresentWithContainerOperation,
    LeaseNotPresentWithLeaseOperation,
    MissingRequiredHeader,
)

AVAILABLE, LEASED, EXPIRED, BREAKING, BROKEN = "available", "leased", "expired", "breaking", "broken"
ACTIVE = (LEASED, BREAKING)
ACTIONS = ("acquire", "renew", "change", "release", "break")


def _what(container: bool) -> str:
    return "container" if container else "blob"


def state(doc: dict, now: float) -> str:
    """The lease state Azure reports now: available, leased, expired, breaking or broken."""
    lease = doc.get("lease") or {}
    base = lease.get("state", AVAILABLE)
    if base == LEASED and lease.get("duration", -1) != -1 and now >= lease["expires"]:
        return EXPIRED
    if base == BREAKING and now >= lease["break_at"]:
        return BROKEN
    return base


def describe(doc: dict, now: float) -> tuple[str, str, str | None]:
    """(x-ms-lease-status, x-ms-lease-state, x-ms-lease-duration or None) for properties and listings."""
    current = state(doc, now)
    if current == LEASED:
        return "locked", LEASED, "infinite" if doc["lease"].get("duration", -1) == -1 else "fixed"
    return ("locked" if current == BREAKING else "unlocked"), current, None


def headers(doc: dict, now: float) -> dict[str, str]:
    status, current, duration = describe(doc, now)
    out = {"x-ms-lease-status": status, "x-ms-lease-state": current}
    if duration:
        out["x-ms-lease-duration"] = duration
    return out


def xml(doc: dict, now: float) -> str:
    status, current, duration = describe(doc, now)
    return (f"<LeaseStatus>{status}</LeaseStatus><LeaseState>{current}</LeaseState>"
            + (f"<LeaseDuration>{duration}</LeaseDuration>" if duration else ""))


def guid(value: str, header: str) -> str:
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise InvalidHeaderValue(f"The value for one of the HTTP headers is not in the correct "
                                 f"format: {header}.") from None


def same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and str(a).lower() == str(b).lower()


def parse_duration(value: str | None) -> int:
    try:
        seconds = int(value) if value is not None else None
    except ValueError:
        seconds = None
    if seconds is None or not (seconds == -1 or 15 <= seconds <= 60):
        raise InvalidHeaderValue("The value for one of the HTTP headers is not in the correct format: "
                                 "x-ms-lease-duration (-1, or 15 to 60 seconds).")
    return seconds


def _required(value: str | None, header: str) -> str:
    if not value:
        raise MissingRequiredHeader(f"An HTTP header that's mandatory for this request is not "
                                    f"specified: {header}.")
    return value


def _not_present(what: str) -> LeaseNotPresentWithLeaseOperation:
    return LeaseNotPresentWithLeaseOperation(f"There is currently no lease on the {what}.")


def _mismatch(what: str) -> LeaseIdMismatchWithLeaseOperation:
    return LeaseIdMismatchWithLeaseOperation(
        f"The lease ID specified did not match the lease ID for the {what}.")


def grant(doc: dict, lease_id: str, duration: int, now: float) -> None:
    doc["lease"] = {"id": lease_id, "state": LEASED, "duration": duration,
                    "expires": now + duration if duration != -1 else None, "break_at": None}


def apply(doc: dict, action: str, now: float, *, lease_id: str | None = None, proposed: str | None = None,
          duration: str | None = None, break_period: str | None = None,
          container: bool = False, dfs: bool = False) -> tuple[int, dict[str, str]]:
    """One lease action on `doc` (changed in place); returns Azure's status and lease headers.

    The DFS endpoint's messages name the path a "resource" (the DFS error list of Microsoft.StorageDataLake).
    """
    what = "resource" if dfs else _what(container)
    if action not in ACTIONS:
        if not action:
            _required(None, "x-ms-lease-action")
        raise InvalidHeaderValue("The value for one of the HTTP headers is not in the correct format: "
                                 "x-ms-lease-action (acquire, renew, change, release, break).")
    current, lease = state(doc, now), doc.get("lease") or {}
    if action == "acquire":
        seconds = parse_duration(duration)
        new_id = guid(proposed, "x-ms-proposed-lease-id") if proposed else str(uuid.uuid4())
        if current == LEASED and not same(new_id, lease["id"]):
            raise LeaseAlreadyPresent("There is already a lease present.")
        if current == BREAKING:
            raise LeaseIsBreakingAndCannotBeAcquired(
                f"There is already a breaking lease on the {what}: it cannot be acquired "
                "until the break period has passed.")
        grant(doc, new_id, seconds, now)
        return 201, {"x-ms-lease-id": new_id}
    if action == "break":
        return _break(doc, current, lease, now, break_period, what)
    given = guid(_required(lease_id, "x-ms-lease-id"), "x-ms-lease-id")
    if current == AVAILABLE:
        raise _not_present(what)
    if action == "change":
        target = guid(_required(proposed, "x-ms-proposed-lease-id"), "x-ms-proposed-lease-id")
        if current == LEASED and (same(given, lease["id"]) or same(target, lease["id"])):
            lease["id"] = target
            return 200, {"x-ms-lease-id": target}
        if not same(given, lease["id"]):
            raise _mismatch(what)
        if current == BREAKING:
            raise LeaseIsBreakingAndCannotBeChanged(
                f"The lease on the {what} is breaking: its ID cannot be changed.")
        raise _not_present(what)  # expired or broken: nothing left to change
    if not same(given, lease["id"]):
        raise _mismatch(what)
    if action == "renew":
        if current in (BREAKING, BROKEN):
            raise LeaseIsBrokenAndCannotBeRenewed(
                f"The lease on the {what} has been broken and cannot be renewed.")
        grant(doc, lease["id"], lease["duration"], now)  # an expired lease renews while nobody else took it
        return 200, {"x-ms-lease-id": lease["id"]}
    doc["lease"] = None  # release
    return 200, {}


def _break(doc: dict, current: str, lease: dict, now: float, period: str | None,
           what: str) -> tuple[int, dict[str, str]]:
    if current == AVAILABLE:
        raise _not_present(what)
    asked = None
    if period is not None:
        try:
            asked = int(period)
        except ValueError:
            asked = -1
        if not 0 <= asked <= 60:
            raise InvalidHeaderValue("The value for one of the HTTP headers is not in the correct "
                                     "format: x-ms-lease-break-period (0 to 60 seconds).")
    if current in (EXPIRED, BROKEN):
        lease.update(state=BROKEN, break_at=now)
        doc["lease"] = lease
        return 202, {"x-ms-lease-time": "0"}
    if current == LEASED:
        remaining = None if lease["duration"] == -1 else max(0.0, lease["expires"] - now)
    else:  # breaking again can only shorten the break
        remaining = max(0.0, lease["break_at"] - now)
    # an infinite lease breaks at once unless a period is given; otherwise the shorter of the two
    wait = asked if remaining is None else (remaining if asked is None else min(asked, remaining))
    wait = wait or 0
    lease.update(state=BREAKING if wait > 0 else BROKEN, break_at=now + wait)
    doc["lease"] = lease
    return 202, {"x-ms-lease-time": str(int(wait + 0.999))}


def check_write(doc: dict | None, lease_id: str | None, now: float, container: bool = False,
                dfs: bool = False) -> None:
    """A write or delete of a leased blob (or a deleted leased container) needs the lease's id (412 otherwise).

    The DFS endpoint names the path a "resource" and has codes of its own for a wrong id (LeaseIdMismatch) and an
    id on an unleased path (LeaseNotPresent): the ErrorResponse list of the Microsoft.StorageDataLake
    2018-11-09 spec. The Blob endpoint answers the Blob service's ...WithBlobOperation codes.
    """
    if doc is None:
        return
    what = "resource" if dfs else _what(container)
    current, lease = state(doc, now), doc.get("lease") or {}
    if current in ACTIVE:
        if not lease_id:
            raise LeaseIdMissing(f"There is currently a lease on the {what} and no lease ID was specified "
                                 "in the request.")
        if not same(lease_id, lease["id"]):
            mismatch = (LeaseIdMismatch if dfs else LeaseIdMismatchWithContainerOperation if container
                        else LeaseIdMismatchWithBlobOperation)
            raise mismatch(f"The lease ID specified did not match the lease ID for the {what}.")
        return
    if lease_id:
        if current in (EXPIRED, BROKEN) and same(lease_id, lease.get("id")):
            raise LeaseLost(f"A lease ID was specified, but the lease for the {what} has expired.")
        not_present = (LeaseNotPresent if dfs else LeaseNotPresentWithContainerOperation if container
                       else LeaseNotPresentWithBlobOperation)
        raise not_present(f"There is currently no lease on the {what}.")


def carry(old: dict | None, new: dict, now: float) -> None:
    """A blob written again keeps its active lease; an expired or broken one ends with the write."""
    if old is not None and state(old, now) in ACTIVE:
        new["lease"] = old["lease"]
