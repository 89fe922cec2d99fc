"""The role-propagation gate: a new data-role assignment takes minutes to be effective in Azure.

HDInsight creation fails (opaquely) and data-plane calls answer 403 AuthorizationPermissionMismatch until
it is. Both are retried here with a bounded wait; a failed cluster is deleted before its next creation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import HttpResponseError

from azlake.azure.datalake import role_not_effective
from azlake.azure.errors import cloud_error, error_parts
from azlake.azure.registry import kind_of
from azlake.azure.retry import transient
from azlake.azure.roles import ROLE_PROPAGATION_BOUND, ROLE_SETTLE, while_role_propagates
from azlake.errors import CloudError

if TYPE_CHECKING:
    from azlake.azure.kind import Resource

# HDInsight reaches its storage only once its VMs exist (about 10 minutes into a creation), so the cluster
# is requested at once and the role propagates meanwhile; a creation that still fails for it is cleaned
# up and retried (create_with_identity_role).
CLUSTER_ROLE_SETTLE = 0.0
MAX_CLUSTER_ATTEMPTS = 3


def create_with_identity_role(executor: Any, action: Any) -> None:
    """Create the cluster; on a failure a not-yet-effective storage role explains, clean up and retry."""
    res, clients = action.resource, executor.clients
    kind = kind_of(res)
    codes = kind.role_not_effective_codes
    _settle(executor, res, CLUSTER_ROLE_SETTLE)
    for attempt in range(1, MAX_CLUSTER_ATTEMPTS + 1):
        try:
            executor.finish(res, kind.create(clients, res, executor.facts, action.observed))
            return
        except HttpResponseError as exc:
            code, _, _ = error_parts(exc)
            young = executor.role_age() is None or executor.role_age() < clients.scaled(ROLE_PROPAGATION_BOUND)
            if code not in codes or attempt == MAX_CLUSTER_ATTEMPTS or (attempt > 1 and not young):
                if code not in codes:
                    raise
                raise CloudError(
                    f"creating cluster {res.name} failed ({code}) {attempt} time(s): the identity's Storage Blob "
                    "Data Owner role on the lake is most likely not effective yet (Azure takes up to 10 minutes)",
                    code=code, hint="check the role assignment (Access control of the storage account) and run "
                                    "apply again in a few minutes; the failed cluster is cleaned up first") from exc
            executor.display.status(res.address, f"creation failed ({code}): the identity's storage role may not "
                                                 "be effective yet; deleting the failed cluster and retrying")
            _delete_failed(executor, res)
            _settle(executor, res, ROLE_PROPAGATION_BOUND / MAX_CLUSTER_ATTEMPTS)


def _settle(executor: Any, res: Resource, nominal: float, principal: str = "identity") -> None:
    """Give a role assigned in this apply time to take effect before a call depends on it."""
    age = executor.role_age(principal)
    if age is None:
        return
    left = executor.clients.scaled(nominal) - age
    if left > 0:
        executor.display.status(res.address, f"waiting {left:.1f}s for the new role assignment to take effect")
        executor.sleep(left)


def _delete_failed(executor: Any, res: Resource) -> None:
    try:
        executor.finish(res, kind_of(res).delete(executor.clients, res, executor.facts.get("environment", "")))
    except HttpResponseError as exc:
        if exc.status_code != 404:
            raise


# the deployer's data role a write waits for -> (the 403 code while it propagates, what it opens)
_DATA_ROLES = {"data_lake.deployer_access": ("AuthorizationPermissionMismatch", "lake"),
               "key_vault.deployer_access": ("Forbidden", "key vault")}


def with_data_role(executor: Any, action: Any, call: Callable[[], Any]) -> Any:
    """A data-plane write: retry 403 (storage's AuthorizationPermissionMismatch, Key Vault's Forbidden) while
    the deployer's data role propagates."""
    clients, res = executor.clients, action.resource
    role = next((r for r in _DATA_ROLES if r in res.depends_on), None)
    if role is not None:
        _settle(executor, res, ROLE_SETTLE, principal="deployer")

    def propagating(exc: HttpResponseError) -> bool:
        # throttling or a 5xx is not the role: the executor's bounded retries of the whole step take it
        return role is not None and not transient(exc) and error_parts(exc)[0] == _DATA_ROLES[role][0]

    def waiting() -> None:
        what = _DATA_ROLES[role][1] if role is not None else "data"
        executor.display.status(res.address, f"waiting for your data role on the {what} to become effective")

    try:
        return while_role_propagates(clients, call, propagating, waiting, executor.sleep)
    except HttpResponseError as exc:
        if transient(exc):
            raise
        if role == "data_lake.deployer_access" and propagating(exc):
            # the role was assigned before this step (it depends on it): it exists, Azure has not applied it
            raise role_not_effective(f"creating {res.address} ({res.name}): your data role on the lake") from exc
        raise cloud_error(exc, f"creating {res.address} ({res.name})") from exc
