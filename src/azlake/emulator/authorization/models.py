"""Role definitions and role assignments: state and Azure's rules (no HTTP).

An assignment is stored as its GET body under `core.arm`; beside it, `role_assignment_timing` keeps when
it was made and the propagation delay in force then, so `effective_role_ids` can tell whether Azure
would already honour it (a new assignment takes minutes to apply in Azure).
"""

from __future__ import annotations

import datetime
import re

from azlake.emulator.authorization import roles
from azlake.emulator.authorization.errors import (
    InvalidPrincipalId,
    InvalidPrincipalType,
    InvalidRoleAssignmentId,
    PrincipalNotFound,
    RoleAssignmentExists,
    RoleAssignmentNotFound,
    RoleAssignmentUpdateNotPermitted,
    RoleDefinitionDoesNotExist,
    UnmatchedPrincipalType,
    UnsupportedQuery,
)
from azlake.emulator.core import arm
from azlake.emulator.core.auth import LOCAL_DEPLOYER_OBJECT_ID, LOCAL_TENANT_ID
from azlake.emulator.core.clock import Clock
from azlake.emulator.core.errors import EmulatedError, InvalidFilterInQueryString
from azlake.emulator.core.store import Tx
from azlake.emulator.msi.models import principal_exists

TYPE = "Microsoft.Authorization/roleAssignments"
SEGMENT = "/providers/microsoft.authorization/roleassignments/"
TIMING = "role_assignment_timing"
PRINCIPAL_TYPES = ("User", "Group", "ServicePrincipal", "ForeignGroup", "Device")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def normalise_scope(scope: str) -> str:
    """'/subscriptions/x/' or '//subscriptions/x' -> '/subscriptions/x'; '' -> '/'."""
    return "/" + "/".join(p for p in scope.split("/") if p)


def covers(outer: str, inner: str) -> bool:
    """Whether `outer` is `inner` or one of its parent scopes (segment-wise, case-insensitive)."""
    outer, inner = arm.key(normalise_scope(outer)), arm.key(normalise_scope(inner))
    return outer in ("", "/") or inner == outer or inner.startswith(outer + "/")


# --- role definitions ----------------------------------------------------------------------------
def get_definition(scope: str, guid: str) -> dict:
    doc = roles.definition(guid, _definition_scope(scope))
    if doc is None:
        raise RoleDefinitionDoesNotExist(f"The specified role definition with ID '{guid}' does not exist.")
    return doc


def _definition_scope(scope: str) -> str:
    """Built-ins answer with a subscription-level id under any scope inside a subscription."""
    parts = normalise_scope(scope).strip("/").split("/")
    return f"/subscriptions/{parts[1]}" if len(parts) >= 2 and parts[0].lower() == "subscriptions" else "/"


def list_definitions(scope: str, filter_: str | None) -> list[dict]:
    docs = [d for guid, *_ in roles.BUILT_IN.values() if (d := roles.definition(guid, _definition_scope(scope)))]
    if not filter_:
        return docs
    m = re.match(r"^\s*(roleName|type)\s+eq\s+'(.*)'\s*$", filter_, re.IGNORECASE)
    if not m:
        raise InvalidFilterInQueryString(
            f"The filter '{filter_}' is not supported. Use roleName eq '<name>' or type eq "
            "'BuiltInRole'.")
    field = "roleName" if m.group(1).lower() == "rolename" else "type"
    return [d for d in docs if d["properties"][field].lower() == m.group(2).lower()]


def definition_guid(role_definition_id: str) -> str:
    guid = role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower()
    if "/roledefinitions/" not in role_definition_id.lower() or guid not in roles.BY_GUID:
        raise RoleDefinitionDoesNotExist(f"The specified role definition with ID '{guid}' does not exist.", status=400)
    return guid


# --- role assignments ----------------------------------------------------------------------------
def assignment_id(scope: str, name: str) -> str:
    prefix = normalise_scope(scope).rstrip("/")
    return f"{prefix}/providers/{TYPE}/{name}"


def all_assignments(tx: Tx) -> list[dict]:
    return [d for d in tx.values(arm.COLLECTION) if d.get("type") == TYPE]


def known_principal(tx: Tx, principal_id: str) -> str | None:
    """The principal type of a principal this emulator knows, or None."""
    if principal_id.lower() == LOCAL_DEPLOYER_OBJECT_ID:
        return "User"
    return "ServicePrincipal" if principal_exists(tx, principal_id.lower()) else None


def _validate(tx: Tx, name: str, props: dict) -> tuple[str, str, str | None]:
    if not _GUID.match(name):
        raise InvalidRoleAssignmentId(
            f"The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.")
    principal = str(props.get("principalId") or "")
    if not _GUID.match(principal):
        raise InvalidPrincipalId("A valid principal ID must be provided for role assignment.")
    guid = definition_guid(str(props.get("roleDefinitionId") or ""))
    ptype = props.get("principalType")
    if ptype is not None and ptype not in PRINCIPAL_TYPES:
        raise InvalidPrincipalType(
            f"The principal type '{ptype}' is not valid; use one of {', '.join(PRINCIPAL_TYPES)}.")
    return principal.lower(), guid, ptype


def _principal_not_found(principal: str) -> EmulatedError:
    return PrincipalNotFound(
        f"Principal {principal.replace('-', '')} does not exist in the directory {LOCAL_TENANT_ID}. Check that you "
        "have the correct principal ID. If you are creating this principal and then immediately assigning a role, "
        "this error might be related to a replication delay. In this case, set the role assignment principalType "
        "property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype")


def create(tx: Tx, clock: Clock, scope: str, name: str, body: dict, caller: str | None,
           propagation_seconds: float) -> tuple[dict, bool]:
    scope = normalise_scope(scope)
    props = body.get("properties") or {}
    principal, guid, ptype = _validate(tx, name, props)
    arm.require_scope(tx, scope)
    known = known_principal(tx, principal)
    if ptype is None and known is None:
        raise _principal_not_found(principal)  # an explicit principalType skips the directory look-up
    # the local deployer stands for whoever runs azlake (a person or a CI service principal): either type goes
    if ptype is not None and known is not None and ptype != known and principal != LOCAL_DEPLOYER_OBJECT_ID:
        raise UnmatchedPrincipalType(
            f"The PrincipalId '{principal.replace('-', '')}' has type '{known}' , which is different "
            f"from specified PrincipalType '{ptype}'.")
    rid = assignment_id(scope, name)
    existing = arm.get(tx, rid)
    if existing:
        same = (existing["properties"]["principalId"] == principal and
                definition_guid(existing["properties"]["roleDefinitionId"]) == guid)
        if not same:
            raise RoleAssignmentUpdateNotPermitted(
                "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.")
        return existing, False
    _refuse_duplicate(tx, scope, principal, guid)
    doc = _document(clock, rid, name, scope, principal, guid, ptype or known or "ServicePrincipal", props, caller)
    arm.put(tx, doc)
    tx.put(TIMING, arm.key(rid), {"created": clock.now(), "propagation": float(propagation_seconds)})
    return doc, True


def _refuse_duplicate(tx: Tx, scope: str, principal: str, guid: str) -> None:
    for doc in all_assignments(tx):
        p = doc["properties"]
        if (p["principalId"] == principal and arm.key(p["scope"]) == arm.key(scope)
                and definition_guid(p["roleDefinitionId"]) == guid):
            raise RoleAssignmentExists(f"The role assignment already exists. The ID of the existing role assignment is "
                                       f"{doc['name'].replace('-', '')}.")


def _document(clock: Clock, rid: str, name: str, scope: str, principal: str, guid: str, ptype: str,
              props: dict, caller: str | None) -> dict:
    now = datetime.datetime.fromtimestamp(clock.now(), datetime.UTC).isoformat().replace("+00:00", "Z")
    definition_scope = _definition_scope(scope).rstrip("/")
    return arm.envelope(rid, name, TYPE, properties={
        "roleDefinitionId": f"{definition_scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}",
        "principalId": principal, "principalType": ptype, "scope": scope,
        "condition": props.get("condition"), "conditionVersion": props.get("conditionVersion"),
        "description": props.get("description"), "createdOn": now, "updatedOn": now,
        "createdBy": caller, "updatedBy": caller,
        "delegatedManagedIdentityResourceId": props.get("delegatedManagedIdentityResourceId")})


def get(tx: Tx, scope: str, name: str) -> dict:
    doc = arm.get(tx, assignment_id(scope, name))
    if doc is None:
        raise RoleAssignmentNotFound(f"The role assignment '{name}' is not found.")
    return doc


def delete(tx: Tx, scope: str, name: str) -> dict | None:
    rid = assignment_id(scope, name)
    doc = arm.get(tx, rid)
    if doc is not None:
        arm.delete(tx, rid)
        tx.delete(TIMING, arm.key(rid))
    return doc


def list_for_scope(tx: Tx, scope: str, filter_: str | None) -> list[dict]:
    """At, above and below the scope; `atScope()` keeps at/above; principalId/assignedTo filter by principal."""
    scope = normalise_scope(scope)
    at_scope, principal = _parse_filter(filter_)
    out = []
    for doc in all_assignments(tx):
        p = doc["properties"]
        above = covers(p["scope"], scope)
        if not above and (at_scope or not covers(scope, p["scope"])):
            continue
        if principal and p["principalId"] != principal:
            continue
        out.append(doc)
    return out


def _parse_filter(filter_: str | None) -> tuple[bool, str | None]:
    if not filter_:
        return False, None
    at_scope, principal = False, None
    for clause in re.split(r"\s+and\s+", filter_.strip(), flags=re.IGNORECASE):
        if re.fullmatch(r"atScope\(\)", clause, re.IGNORECASE):
            at_scope = True
            continue
        m = (re.fullmatch(r"principalId\s+eq\s+'([^']+)'", clause, re.IGNORECASE)
             or re.fullmatch(r"assignedTo\('([^']+)'\)", clause, re.IGNORECASE))
        if not m:
            raise UnsupportedQuery(f"The filter '{filter_}' is not supported. Supported filters are atScope(), "
                                   "principalId eq '{id}' and assignedTo('{id}').")
        principal = m.group(1).lower()
    return at_scope, principal


# --- what other services ask ---------------------------------------------------------------------
def effective_role_ids(tx: Tx, clock: Clock, principal_id: str, scope: str, at: float | None = None) -> set[str]:
    """Role-definition GUIDs assigned to the principal at `scope` or any parent scope, once propagated.

    `at` (a clock timestamp, default now) asks what will be effective then, for a service that touches the
    scope later (HDInsight reaches its storage minutes into a creation)."""
    found: set[str] = set()
    when = clock.now() if at is None else at
    for doc in all_assignments(tx):
        p = doc["properties"]
        if p["principalId"] != principal_id.lower() or not covers(p["scope"], scope):
            continue
        timing = tx.get(TIMING, arm.key(doc["id"]))
        if timing and _nominal(clock, when - timing["created"]) < timing["propagation"]:
            continue
        found.add(definition_guid(p["roleDefinitionId"]))
    return found


def _nominal(clock: Clock, real_seconds: float) -> float:
    return float("inf") if clock.time_scale <= 0 else real_seconds / clock.time_scale
