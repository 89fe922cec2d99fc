"""A plan after an interrupted apply reads the lake while the deployer's new data role still propagates."""

from __future__ import annotations

import json

from e2e_support import reassign_deployer_role


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
