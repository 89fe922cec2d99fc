"""Racing writers: each request is one transaction, so global rules hold under concurrency."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from azure.core.exceptions import HttpResponseError

READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"


def _outcome(fn) -> str:
    try:
        fn()
        return "ok"
    except HttpResponseError as exc:
        return exc.error.code


def test_racing_duplicate_assignments_leave_exactly_one(any_clients):
    c = any_clients
    c.resources.resource_groups.create_or_update("grrace", {"location": "brazilsouth"})
    scope = f"/subscriptions/{c.target.subscription}/resourceGroups/grrace"
    principal = str(uuid.uuid4())
    body = {"properties": {"roleDefinitionId": f"{scope}/providers/Microsoft.Authorization/roleDefinitions/{READER}",
                           "principalId": principal, "principalType": "ServicePrincipal"}}
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda _: _outcome(lambda: c.authorization.role_assignments.create(
            scope, str(uuid.uuid4()), body)), range(8)))
    assert sorted(outcomes) == ["RoleAssignmentExists"] * 7 + ["ok"]
    assert len(list(c.authorization.role_assignments.list_for_scope(
        scope, filter=f"principalId eq '{principal}'"))) == 1


def test_racing_accounts_with_one_name_leave_exactly_one(any_clients):
    c = any_clients
    groups = [f"grrace{i}" for i in range(4)]
    for g in groups:
        c.resources.resource_groups.create_or_update(g, {"location": "brazilsouth"})
    body = {"sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": "brazilsouth"}
    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(lambda g: _outcome(lambda: c.storage.storage_accounts.begin_create(
            g, "stcontested", body)), groups))
    assert sorted(outcomes) == ["StorageAccountAlreadyTaken"] * 3 + ["ok"]


@pytest.mark.slow
def test_two_processes_share_the_state(clients, emulator):
    """Another azlake process on the same state directory sees and respects this one's assignments."""
    clients.resources.resource_groups.create_or_update("grshared", {"location": "brazilsouth"})
    scope = f"/subscriptions/{clients.target.subscription}/resourceGroups/grshared"
    principal = str(uuid.uuid4())
    body = {"properties": {"roleDefinitionId": f"{scope}/providers/Microsoft.Authorization/roleDefinitions/{READER}",
                           "principalId": principal, "principalType": "ServicePrincipal"}}
    clients.authorization.role_assignments.create(scope, str(uuid.uuid4()), body)
    script = textwrap.dedent(f"""
        import sys, uuid
        from azure.core.exceptions import HttpResponseError
        from azlake.azure.clients import Clients, Target
        c = Clients(Target("local", {clients.target.subscription!r}, {str(emulator.store.state_dir)!r}))
        try:
            c.authorization.role_assignments.create({scope!r}, str(uuid.uuid4()), {body!r})
        except HttpResponseError as exc:
            print(exc.error.code)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "RoleAssignmentExists", out.stderr[-2000:]
