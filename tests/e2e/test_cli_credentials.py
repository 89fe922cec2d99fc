"""A changed cluster password through the CLI: one in-place update of the gateway credential, never shown."""

from __future__ import annotations

import json

from passwords import generated_password

CLUSTER = "clusterbigdata001"


def ok(result) -> None:
    assert result.exit_code == 0, result.output + result.error


def gateway_answers(clients, username: str, password: str) -> int:
    """What the cluster's HTTPS gateway says to Livy's batch list with this basic-auth credential."""
    session = clients.http_session()
    session.auth = (username, password)
    return session.get(clients.gateway_url(CLUSTER) + "/livy/batches", timeout=30).status_code


def test_changed_password_is_one_in_place_update(cli, lake_clients, monkeypatch, password):
    ok(cli("apply", "practice", "--auto-approve"))
    new = generated_password()
    monkeypatch.setenv("CLUSTER_PASSWORD", new)

    plan = cli("plan", "practice", "--detailed-exitcode")
    assert plan.exit_code == 2, plan.output + plan.error
    assert "~ cluster (clusterbigdata001) — update: changed in place: gateway credential (the password differs)" \
        in plan.output
    assert "      gateway credential: update (the password differs)" in plan.output
    assert "Plan: 0 to create, 1 to update, 0 to replace" in plan.output
    assert "the SSH password cannot change in place" in plan.output  # practice: ssh same-as-login
    doc = cli("plan", "practice", "--format", "json")
    actions = [a for a in json.loads(doc.output)["actions"] if a["action"] != "noop"]
    assert [(a["address"], [c["path"] for c in a["changes"]]) for a in actions] == [("cluster", ["login.password"])]
    for shown in (plan.output + plan.error, doc.output + doc.error):
        assert password not in shown and new not in shown

    applied = cli("apply", "practice", "--auto-approve")
    ok(applied)
    assert password not in applied.output + applied.error and new not in applied.output + applied.error
    assert gateway_answers(lake_clients, "admin", new) == 200
    assert gateway_answers(lake_clients, "admin", password) == 401
    assert cli("plan", "practice", "--detailed-exitcode").exit_code == 0


def test_unset_password_reads_nothing_secret(cli, monkeypatch):
    ok(cli("apply", "practice", "--auto-approve"))
    monkeypatch.delenv("CLUSTER_PASSWORD")
    status = cli("status", "practice", "--json")
    ok(status)
    drift = {r["address"]: r["drift"] for r in json.loads(status.output)["resources"]}
    assert drift["cluster"] is None and set(drift.values()) == {None}  # no password: never a reason to change
