"""A department's `destroy --all` under the central lake's CanNotDelete lock: its role assignment on the lake
stays, the plan says so before anything runs, and no request Azure would refuse is sent."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

LAKE = "stbdaplatformdatalake"


def ok(result) -> None:
    assert result.exit_code == 0, result.output + result.error


def request_log(cli) -> list[dict]:
    from azlake.cli.main import app
    result = CliRunner().invoke(app, ["emulator", "log", "--state-dir", str(cli.state), "--json",
                                      "--last", "100000"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.strip()]


def test_department_destroy_all_keeps_the_assignment_the_lake_lock_protects(cli, lake_clients):
    ok(cli("apply", "datalake", "--auto-approve"))
    ok(cli("apply", "ventas", "--auto-approve"))
    lake_id = lake_clients.storage.storage_accounts.get_properties("rg-bda-platform-datalake", LAKE).id
    ours = [a for a in lake_clients.authorization.role_assignments.list_for_scope(lake_id)
            if "environment ventas" in (a.description or "")]
    assert len(ours) == 1
    seen = max(row["seq"] for row in request_log(cli))

    result = cli("destroy", "ventas", "--all", "--auto-approve")
    ok(result)
    lines = result.output.splitlines()
    plan_end = next(i for i, line in enumerate(lines) if line.startswith("Plan: "))
    kept = [i for i, line in enumerate(lines) if "identity.role[Storage Blob Data Owner]" in line and "kept:" in line]
    assert kept and kept[0] < plan_end, result.output  # said in the plan, before anything runs
    assert f"kept: {LAKE} carries the CanNotDelete lock azlake-cannotdelete of environment 'datalake'" in lines[kept[0]]
    assert lines[plan_end].endswith(", 1 kept.")
    warning = next(line for line in lines if line.startswith("warning: identity.role[Storage Blob Data Owner]"))
    assert "the owner of environment 'datalake' unlocks the lake and deletes it (az lock delete --ids " in warning
    assert f"az role assignment delete --ids {ours[0].id}" in warning and "datalake.yaml --all" in warning

    deletes = [line for line in lines[:plan_end] if line.lstrip().startswith("- ")]
    summary = re.search(r"Destroy complete: (\d+) deleted, 1 kept in ", result.output)
    assert summary and int(summary.group(1)) == len(deletes) > 0, result.output

    sent = [row for row in request_log(cli) if row["seq"] > seen]
    assert any(row["method"] == "DELETE" for row in sent)  # the department's own part did go
    assert not [row for row in sent if row["method"] == "DELETE" and "roleassignments" in row["url"].lower()]
    assert not [row for row in sent if row["status"] == 409]
    still = [a.id for a in lake_clients.authorization.role_assignments.list_for_scope(lake_id)]
    assert ours[0].id in still
