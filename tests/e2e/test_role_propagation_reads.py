"""A plan after an interrupted apply reads the lake while the deployer's new data role still propagates."""

from __future__ import annotations

import json

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
    # Slower time from here: 300 nominal seconds are 1.5 s, so the plan surely reads while it propagates.
    clients.emulator.configure(role_propagation_seconds=propagation, time_scale=0.005)
    assignments.create_by_id(mine[0].id, {"properties": {
        "roleDefinitionId": mine[0].role_definition_id, "principalId": LOCAL_DEPLOYER_OBJECT_ID,
        "principalType": "User"}})


def test_plan_waits_for_a_data_role_that_is_still_propagating(cli, lake_clients, monkeypatch):
    monkeypatch.setenv("AZLAKE_EMULATOR_ROLE_PROPAGATION", str(10**7))
    practice = cli.folder / "practice.yaml"  # no lock: the test re-makes the role assignment underneath it
    practice.write_text(practice.read_text().replace("lock: true", "lock: false"))
    assert cli("apply", "practice", "--auto-approve").exit_code == 1  # directories: the role never arrived
    reassign_deployer_role(lake_clients, 300)  # well within the 600 nominal seconds a read waits
    plan = cli("plan", "practice", "--format", "json")
    assert plan.exit_code == 0, plan.output + plan.error
    assert "deployer_access: true" not in plan.output
    actions = {a["address"]: a for a in json.loads(plan.stdout)["actions"]}
    assert actions["data_lake.deployer_access"]["action"] == "noop"
    assert actions["data_lake.dir[landing/transaccion]"]["action"] == "create"
    assert "waiting for your data role" in plan.stderr


def test_plan_says_the_role_exists_and_propagates_when_it_takes_too_long(cli, monkeypatch):
    monkeypatch.setenv("AZLAKE_EMULATOR_ROLE_PROPAGATION", str(10**7))
    assert cli("apply", "practice", "--auto-approve").exit_code == 1
    plan = cli("plan", "practice")
    text = plan.output + plan.error
    assert plan.exit_code == 1
    assert "exists but is not effective yet" in text and "run the same command again in a few minutes" in text
    assert "deployer_access: true" not in text  # it is set: asking to set it would send the user astray
