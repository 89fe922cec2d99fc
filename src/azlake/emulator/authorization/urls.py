"""Routes of Microsoft.Authorization role definitions and assignments, at any scope."""

from __future__ import annotations

from azlake.emulator.authorization import access
from azlake.emulator.authorization.responses import RoleAssignmentResponses, RoleDefinitionResponses
from azlake.emulator.core.app import Emulator
from azlake.emulator.core.http import Request

DEFINITIONS = "{scope:path}/providers/Microsoft.Authorization/roleDefinitions"
ASSIGNMENTS = "{scope:path}/providers/Microsoft.Authorization/roleAssignments"


def register(app: Emulator) -> None:
    def authorize(req: Request) -> None:
        if access.exempt(req):
            return
        with app.store.tx(write=False) as tx:
            access.check(tx, app.clock, req)

    app.arm_authorizers.append(authorize)
    definitions = RoleDefinitionResponses(app)
    app.arm("GET", DEFINITIONS + "/{guid}", definitions.get)
    app.arm("GET", DEFINITIONS, definitions.list)
    assignments = RoleAssignmentResponses(app)
    app.arm("PUT", ASSIGNMENTS + "/{name}", assignments.put)
    app.arm("GET", ASSIGNMENTS + "/{name}", assignments.get)
    app.arm("DELETE", ASSIGNMENTS + "/{name}", assignments.delete)
    app.arm("GET", ASSIGNMENTS, assignments.list)
