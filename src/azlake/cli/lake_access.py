"""The deployer's data role for `azlake lake`: waited for while it propagates, else explained with its fix."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from azlake.errors import CloudError

ROLE_ADDRESS = "data_lake.deployer_access"


def with_data_role(loaded: Any, clients: Any, account: str, call: Callable[[], Any], doing: str) -> Any:
    """`call()`, the command's first data-plane request. On 403 AuthorizationPermissionMismatch, decide as
    plan does whether the file's data role for the deployer exists: if so, wait (the one bounded
    role-propagation wait, azure/roles.py) while Azure still refuses; if not, say what gives one."""
    from azure.core.exceptions import HttpResponseError

    from azlake.azure.datalake import is_permission_mismatch, role_not_effective
    from azlake.azure.roles import ROLE_PROPAGATION_BOUND, while_role_propagates
    try:
        return call()
    except HttpResponseError as exc:
        if not is_permission_mismatch(exc):
            raise
        role, assigned = deployer_role(loaded, clients)
        if role is None or not assigned:
            raise no_data_role(loaded, account, doing, role is not None, assigned) from None
    started, unit, told = time.monotonic(), clients.scaled(1.0) or 1.0, [False]

    def waiting() -> None:  # one line per retry: a CI log shows it is alive
        if not told[0]:
            told[0] = True
            print(f"waiting for your data role on the lake {account} to become effective ({ROLE_ADDRESS}, "
                  "assigned by an earlier apply; Azure takes up to 10 minutes)", file=sys.stderr)
            return
        waited = (time.monotonic() - started) / unit  # in Azure's seconds (the local cloud runs faster)
        print(f"still waiting for your data role on the lake {account}: {waited:.0f}s of up to "
              f"{ROLE_PROPAGATION_BOUND:.0f}s", file=sys.stderr)

    try:
        return while_role_propagates(clients, call, is_permission_mismatch, waiting)
    except HttpResponseError as exc:
        if not is_permission_mismatch(exc):
            raise
        raise role_not_effective(f"{doing}: your data role on the lake {account}") from None


def deployer_role(loaded: Any, clients: Any) -> tuple[Any, bool | None]:
    """(the role assignment the file makes for the deployer on its lake or None, whether it exists: None
    when the role assignments could not be read). Read as plan reads it: by its deterministic name, or the
    same access granted under another name. For a central lake, its own file decides."""
    from azure.core.exceptions import HttpResponseError

    from azlake.azure.roles import RoleAssignment
    from azlake.plan.resources import desired_resources
    owner = loaded.lake if loaded.spec.data_lake.use and loaded.lake is not None else loaded
    if not owner.spec.data_lake.deployer_access:
        return None, False
    role = next((r for r in desired_resources(owner, clients.target.subscription) if r.address == ROLE_ADDRESS),
                None)
    if role is None:
        return None, False
    facts = {"deployer_principal_id": clients.principal_id, "environment": owner.spec.name}
    try:
        return role, RoleAssignment().read(clients, role, facts).exists
    except HttpResponseError:
        return role, None  # e.g. no right to read role assignments: the message covers both cases


def no_data_role(loaded: Any, account: str, doing: str, in_file: bool, assigned: bool | None) -> CloudError:
    """The 403 explained: which file gives the deployer a data role on the lake, and what to run."""
    owner = loaded.lake if loaded.spec.data_lake.use and loaded.lake is not None else loaded
    ask = f"or ask an admin to assign you Storage Blob Data Contributor on the storage account {account}"
    summary = f"{doing}: you have no data role on the lake {account}"
    if in_file:
        unread = " (azlake could not read the role assignments to check it)" if assigned is None else ""
        return CloudError(
            f"{summary}: {owner.path} gives you one (data_lake.deployer_access: true) but it is not assigned"
            f"{unread}", code="AuthorizationPermissionMismatch",
            detail="management roles (Owner, Contributor) do not open files; Storage Blob Data Contributor does",
            hint=f"run azlake apply {owner.path} (it assigns the role; Azure then takes up to 10 minutes to "
                 f"apply it), {ask}")
    return CloudError(
        summary, code="AuthorizationPermissionMismatch",
        detail="management roles (Owner, Contributor) do not open files; Storage Blob Data Contributor does",
        hint=f"set data_lake.deployer_access: true in {owner.path} and run azlake apply {owner.path}, {ask}")

