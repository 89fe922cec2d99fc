"""Routes of Microsoft.Authorization/locks: one set of scope routes serves subscription, group and resource."""

from __future__ import annotations

from azlake.emulator.core.app import Emulator
from azlake.emulator.locks.responses import LockResponses

LOCKS = "{scope:path}/providers/Microsoft.Authorization/locks"


def register(app: Emulator) -> None:
    locks = LockResponses(app)
    app.arm("PUT", LOCKS + "/{name}", locks.put)
    app.arm("GET", LOCKS + "/{name}", locks.get)
    app.arm("DELETE", LOCKS + "/{name}", locks.delete)
    app.arm("GET", LOCKS, locks.list)
