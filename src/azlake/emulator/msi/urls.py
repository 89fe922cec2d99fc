"""Routes of Microsoft.ManagedIdentity."""

from __future__ import annotations

from azlake.emulator.core.app import Emulator
from azlake.emulator.msi.responses import IdentityResponses

PROVIDER = "/subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities"


def register(app: Emulator) -> None:
    ids = IdentityResponses(app)
    app.arm("PUT", PROVIDER + "/{name}", ids.put)
    app.arm("PATCH", PROVIDER + "/{name}", ids.patch)
    app.arm("GET", PROVIDER + "/{name}", ids.get)
    app.arm("DELETE", PROVIDER + "/{name}", ids.delete)
    app.arm("GET", PROVIDER, ids.list_by_group)
    app.arm("GET", "/subscriptions/{sub}/providers/Microsoft.ManagedIdentity/userAssignedIdentities", ids.list)
