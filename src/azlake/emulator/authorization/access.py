"""Azure RBAC for ARM requests: which action a request is, and whether the caller's roles allow it.

Registered as an `arm_authorizer` of the core. The local deployer owns every subscription of the emulator,
and a token without an object id is let through (the emulator accepts any bearer token); every other
principal needs an effective role whose actions cover the request, else `403 AuthorizationFailed`.
"""

from __future__ import annotations

import re

from azlake.emulator.authorization import roles
from azlake.emulator.authorization.errors import AuthorizationFailed
from azlake.emulator.authorization.models import effective_role_ids
from azlake.emulator.core.auth import LOCAL_DEPLOYER_OBJECT_ID
from azlake.emulator.core.clock import Clock
from azlake.emulator.core.http import Request
from azlake.emulator.core.store import Tx

_VERBS = {"GET": "read", "HEAD": "read", "PUT": "write", "PATCH": "write", "DELETE": "delete"}


def action_of(method: str, path: str) -> str:
    """The RBAC action of an ARM request, e.g. 'Microsoft.Storage/storageAccounts/write'."""
    parts = [p for p in path.split("/") if p]
    types: list[str] = []
    i = 0
    namespace = "Microsoft.Resources"
    while i < len(parts):
        seg = parts[i]
        if seg.lower() == "providers" and i + 1 < len(parts):
            namespace, types = parts[i + 1], []
            i += 2
            continue
        if seg.lower() == "subscriptions" and i == 0:
            types = ["subscriptions"]
        elif seg.lower() == "resourcegroups" and namespace == "Microsoft.Resources":
            types.append("resourceGroups")
        else:
            types.append(seg)
        i += 2  # a type is followed by its name
    if method == "POST":
        name = parts[-1]
        return f"{namespace}/{'/'.join(types[:-1] + [name])}/" + (
            "read" if name.lower() == "checknameavailability" else "action")
    return f"{namespace}/{'/'.join(types)}/{_VERBS.get(method, 'read')}"


def _matches(pattern: str, action: str) -> bool:
    regex = "^" + ".*".join(re.escape(p) for p in pattern.split("*")) + "$"
    return re.match(regex, action, re.IGNORECASE) is not None


def allowed(role_guids: set[str], action: str) -> bool:
    for guid in role_guids:
        name = roles.BY_GUID.get(guid)
        if name is None:
            continue
        actions, excluded = roles.BUILT_IN[name][2], roles.NOT_ACTIONS.get(name, [])
        if any(_matches(a, action) for a in actions) and not any(_matches(n, action) for n in excluded):
            return True
    return False


_OPERATION_STATUS = re.compile(r"/(operationresults|asyncoperations|operationstatuses|azureasyncoperations)/",
                               re.IGNORECASE)


def exempt(req: Request) -> bool:
    """Let through: the local deployer (it owns everything), a token without an object id (any bearer token
    is accepted), and polls of long-running operations (a caller with access to a group only must still be
    able to follow the operations it started there)."""
    return (req.principal_id is None or req.principal_id.lower() == LOCAL_DEPLOYER_OBJECT_ID
            or (req.method == "GET" and _OPERATION_STATUS.search(req.path) is not None))


def check(tx: Tx, clock: Clock, req: Request) -> None:
    if exempt(req):
        return
    caller = str(req.principal_id)
    scope = "/" + "/".join(p for p in req.path.split("/") if p)
    action = action_of(req.method, scope)
    if allowed(effective_role_ids(tx, clock, caller, scope), action):
        return
    raise AuthorizationFailed(f"The client '{caller}' with object id '{caller}' does not have authorization to perform "
                              f"action '{action}' over scope '{scope}' or the scope is invalid. If access was recently "
                              "granted, please refresh your credentials.")
