"""Helpers for the end-to-end tests: plans as JSON, what changed, what an environment still owns."""

from __future__ import annotations

import json
import signal

from typer.testing import CliRunner

from azlake.cli.main import app


def plan_json(cli, env_name: str) -> dict:
    result = cli("plan", env_name, "--format", "json")
    assert result.exit_code == 0, result.output + result.error
    return json.loads(result.output)


def changed(doc: dict) -> set[str]:
    return {a["address"] for a in doc["actions"] if a["action"] != "noop"}


def owned_anything(clients, environment: str) -> list[str]:
    """Every ARM document of the local cloud still tagged or marked as this environment's."""
    emulator = clients.emulator
    with emulator.store.tx() as tx:
        docs = tx.values("arm", "")
    return [d["id"] for d in docs if (d.get("tags") or {}).get("azlake-environment") == environment]


ACCOUNT_SCOPE = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/grbigdatauserbda000/providers/"
                 "Microsoft.Storage/storageAccounts/storagebigdatauserbda000")


def reassign_deployer_role(clients, propagation: float) -> None:
    """The deployer's data role as an interrupted apply leaves it: just assigned, propagating."""
    from azlake.emulator.core.auth import LOCAL_DEPLOYER_OBJECT_ID
    assignments = clients.authorization.role_assignments
    mine = [a for a in assignments.list_for_scope(ACCOUNT_SCOPE)
            if a.principal_id == LOCAL_DEPLOYER_OBJECT_ID and a.scope.lower() == ACCOUNT_SCOPE.lower()]
    assert len(mine) == 1
    assignments.delete_by_id(mine[0].id)
    # Slower time from here: 300 nominal seconds are 1.5 s, so a read surely comes while it propagates.
    clients.emulator.configure(role_propagation_seconds=propagation, time_scale=0.005)
    assignments.create_by_id(mine[0].id, {"properties": {
        "roleDefinitionId": mine[0].role_definition_id, "principalId": LOCAL_DEPLOYER_OBJECT_ID,
        "principalType": "User"}})


def lake(*args: str):
    """`azlake lake ARGS` in this process; `.text` holds the output and the rendered error, as the CLI prints."""
    result = CliRunner().invoke(app, ["lake", *args])
    error = result.exception if result.exception and not isinstance(result.exception, SystemExit) else None
    result.text = result.output + (error.render() if error else "")
    return result


def interruptible() -> None:
    """Popen's preexec_fn for a child a test interrupts: SIGINT back to its default, so that Python in the child
    turns it into KeyboardInterrupt even when the suite runs where SIGINT is ignored (a background job
    without job control ignores it, children inherit that, and Python then installs no handler)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
