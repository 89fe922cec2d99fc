"""A resource whose creation ended Failed is written again as Azure needs it; one more apply clears the plan."""

from __future__ import annotations

import json

import pytest

from azlake.azure.retry import ATTEMPTS

# (environment, plan address, the resource's ARM path, what the next apply must send to it)
KINDS = {
    "storage": ("practice", "data_lake.account", "/storageAccounts/storagebigdatauserbda000", ["PUT"]),
    "eh_namespace": ("marketing", "streaming.namespace", "/namespaces/evhns-bda-marketing", ["PUT"]),
    # HDInsight changes nothing by PUT (409 on an existing cluster): a Failed cluster is deleted, then created.
    "cluster": ("practice", "cluster", "/clusters/clusterbigdata001", ["DELETE", "PUT"]),
}


def writes_to(clients, arm_path: str, since: int) -> list[str]:
    return [r["method"] for r in clients.emulator.request_log(since)
            if r["method"] in ("PUT", "PATCH", "DELETE") and r["url"].split("?")[0].endswith(arm_path)]


@pytest.mark.parametrize("kind", list(KINDS))
def test_failed_creation_converges_after_one_more_apply(cli, lake_clients, kind):
    env_name, address, arm_path, expected = KINDS[kind]
    if env_name == "marketing":  # a department on the central lake: the lake comes first
        assert cli("apply", "datalake", "--auto-approve").exit_code == 0
    # Every attempt of the first apply fails (azlake retries a failed storage or namespace creation itself).
    lake_clients.emulator.add_fault(kind="lro_fail", method="PUT", path=arm_path + "$", count=ATTEMPTS,
                                    code="InternalServerError", message="The operation failed.")
    first = cli("apply", env_name, "--auto-approve")
    assert first.exit_code == 1, first.output + first.error
    assert "InternalServerError" in first.output + first.error  # the operation's own error, not a bare status
    lake_clients.emulator.clear_faults()  # what the first apply did not use

    plan = json.loads(cli("plan", env_name, "--format", "json").output)
    action = next(a for a in plan["actions"] if a["address"] == address)
    assert action["action"] in ("update", "replace") and "Failed" in action["reason"], action

    since = len(lake_clients.emulator.request_log())
    second = cli("apply", env_name, "--auto-approve")
    assert second.exit_code == 0, second.output + second.error
    assert writes_to(lake_clients, arm_path, since) == expected  # a PATCH would leave it Failed for ever
    clean = cli("plan", env_name, "--detailed-exitcode")
    assert clean.exit_code == 0, clean.output + clean.error
