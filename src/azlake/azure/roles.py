"""Role assignments with deterministic names (uuid5 of scope, principal, role): a retry never duplicates."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from azlake.azure.kind import DONE, Kind, Outcome, Resource
from azlake.azure.listings import listed
from azlake.azure.observed import Observed
from azlake.errors import AzlakeError

if TYPE_CHECKING:
    from azlake.azure.clients import Clients

# Role propagation: Azure documents "up to 10 minutes" for a new assignment to take effect.
ROLE_PROPAGATION_BOUND = 600.0
ROLE_RETRY_INTERVAL = 60.0
ROLE_SETTLE = 120.0  # typical propagation: waited (from the assignment) before a data-plane call needs it


def while_role_propagates(clients: Clients, call: Callable[[], Any], propagating: Callable[[HttpResponseError], bool],
                          waiting: Callable[[], None], sleep: Callable[[float], None] = time.sleep) -> Any:
    """`call()`, again and again while Azure answers that a new role assignment is not effective yet
    (`propagating(exc)`), up to the bound Azure gives for propagation; `waiting()` says so each time.
    Any other error, or the same one past the bound, is raised for the caller to explain."""
    deadline = time.monotonic() + clients.scaled(ROLE_PROPAGATION_BOUND)
    interval = max(0.05, clients.scaled(ROLE_RETRY_INTERVAL) / 2)
    while True:
        try:
            return call()
        except HttpResponseError as exc:
            if not propagating(exc) or time.monotonic() >= deadline:
                raise
            waiting()
            sleep(interval)


def principal_facts(resources: Iterable[Any], clients: Clients, identity_outputs: Any = None) -> dict[str, str]:
    """The principals role assignments are for: the deployer's only when a role of these resources is for it
    (reading it asks for a token), the environment identity's once it exists (`identity_outputs`)."""
    facts = {}
    if any(r.kind == RoleAssignment.name and r.context.get("principal") == "deployer" for r in resources):
        facts["deployer_principal_id"] = clients.principal_id
    if isinstance(identity_outputs, dict) and identity_outputs.get("principal_id"):
        facts["identity_principal_id"] = identity_outputs["principal_id"]
    return facts


def principal_of(res: Resource, facts: dict) -> str | None:
    """The principal this assignment is for: the deployer, or the environment's identity once it exists."""
    return facts.get("deployer_principal_id") if res.context["principal"] == "deployer" \
        else facts.get("identity_principal_id")


def role_assignment_name(scope: str, principal_id: str, role_definition_id: str) -> str:
    """Deterministic, so a retried create never makes a second assignment (409 RoleAssignmentExists)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{scope.lower()}|{principal_id}|{role_definition_id.lower()}"))


def assignment_id(res: Resource, principal_id: str) -> str:
    name = role_assignment_name(res.context["scope"], principal_id, res.context["role_definition_id"])
    return f"{res.context['scope']}/providers/Microsoft.Authorization/roleAssignments/{name}"


def _same_role(assignment: Any, res: Resource) -> bool:
    return str(assignment.role_definition_id).lower().endswith(
        res.context["role_definition_id"].lower().rsplit("/", 1)[-1])


# What each assignment's ownership follows when it was made under another name (in the portal, with a
# random name): the identity it grants, or for the deployer's access, the lake it opens.
_ANCHOR = {"identity": "identity", "deployer": "data_lake.account"}


def _assigned_otherwise(clients: Clients, res: Resource, facts: dict, principal: str,
                        listing: list[Any] | None = None) -> Observed:
    """The same access (principal, role, scope) granted under another name: it exists, and Azure refuses a
    second one (409 RoleAssignmentExists). It is this environment's once what it follows is. `listing`:
    the scope's assignments the plan already listed (else the principal's are listed here)."""
    scope = res.context["scope"].lower().rstrip("/")
    if listing is None:
        listing = clients.authorization.role_assignments.list_for_scope(
            res.context["scope"], filter=f"principalId eq '{principal}'")
    for a in listing:
        if str(a.scope).lower().rstrip("/") == scope and a.principal_id == principal and _same_role(a, res):
            res.id = a.id
            anchor = (facts.get("owners") or {}).get(_ANCHOR.get(res.context["principal"], ""))
            env = facts.get("environment")
            return Observed(True, dict(res.properties), owner=env if anchor == env else None)
    return Observed.missing()


def principal_type(clients: Clients, res: Resource) -> str:
    """ServicePrincipal for a managed identity (skips the replication lookup) and for a pipeline's
    workload identity; User when a person signed in with `az login` (Azure refuses a mismatched type)."""
    if res.context["principal"] != "deployer":
        return "ServicePrincipal"
    claims = _token_claims(clients)
    if claims.get("idtyp") == "user" or "upn" in claims or "unique_name" in claims:
        return "User"
    return "ServicePrincipal"


def _token_claims(clients: Clients) -> dict:
    import base64
    import json
    token = clients.credential.get_token("https://management.azure.com/.default").token
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}


class RoleAssignment(Kind):
    """A role for the identity or the deployer at a scope; its deterministic name marks it as ours."""

    name = "role"
    grants_role = True
    kept_under_foreign_lock = True

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        principal = principal_of(res, facts)
        if not principal:
            return Observed.missing()  # the identity does not exist yet, so neither can its assignment
        res.id = assignment_id(res, principal)
        listing = listed(self, clients, res, facts)
        if listing is not None:
            a = next((a for a in listing if str(a.id).lower() == res.id.lower()), None)
            if a is None:
                return _assigned_otherwise(clients, res, facts, principal, listing)
        else:
            try:
                a = clients.authorization.role_assignments.get_by_id(res.id)
            except ResourceNotFoundError:
                return _assigned_otherwise(clients, res, facts, principal)
            except HttpResponseError as exc:
                if exc.status_code == 404:
                    return _assigned_otherwise(clients, res, facts, principal)
                raise
        # Our deterministic name is the ownership mark: role assignments carry no tags.
        same = a.principal_id == principal and _same_role(a, res)
        return Observed(True, dict(res.properties), owner=facts.get("environment") if same else None)

    def listing_key(self, res: Resource) -> tuple[str, ...] | None:
        return (res.context["scope"].rstrip("/"),)

    def listing(self, clients: Clients, key: tuple[str, ...], facts: dict[str, Any]) -> list[Any]:
        """The assignments at the scope and above it (atScope()): ours by name, or the same access under
        another name, both at exactly this scope."""
        return list(clients.authorization.role_assignments.list_for_scope(key[0], filter="atScope()"))

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        principal = principal_of(res, facts)
        if not principal:
            raise AzlakeError(f"cannot assign {res.name}: the principal is not known yet",
                              hint="run apply again; the identity is created first")
        res.id = assignment_id(res, principal)
        try:
            clients.authorization.role_assignments.create_by_id(res.id, {
                "role_definition_id": res.context["role_definition_id"], "principal_id": principal,
                "principal_type": principal_type(clients, res),
                "description": f"azlake: {res.address} of environment {facts.get('environment')}"})
        except HttpResponseError as exc:
            if getattr(exc.error, "code", "") != "RoleAssignmentExists":
                raise
            # the same access under another name (assigned by hand): the intent is met, leave theirs alone
        return Outcome(outputs={"principal_id": principal})

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        """Kept (with why) when Azure refuses: a lake locked by its owning environment."""
        if not res.id:
            return DONE
        try:
            clients.authorization.role_assignments.delete_by_id(res.id)
        except HttpResponseError as exc:
            if getattr(exc.error, "code", "") != "ScopeLocked":
                raise
            return Outcome(kept="kept: the lake is locked by the environment that owns it; the assignment stays "
                                "(harmless once the identity is gone) until that environment removes its lock")
        return DONE
