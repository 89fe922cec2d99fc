"""Faults Azure really produces: each ends converged after at most one more apply, with no duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from e2e_support import interruptible

from azlake.engine import apply_plan, plan_environment
from azlake.envfile.load import load_environment
from azlake.execute.executor import ApplyFailed
from azlake.execute.progress import NullDisplay

ENVIRONMENTS = Path(__file__).resolve().parents[2] / "environments"
ACCOUNT_SCOPE = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/grbigdatauserbda000/providers/"
                 "Microsoft.Storage/storageAccounts/storagebigdatauserbda000")


@pytest.fixture
def practice(password):
    return load_environment(ENVIRONMENTS / "practice.yaml", env={"CLUSTER_PASSWORD": password})


def converge(loaded, clients, display=None) -> int:
    """Apply until the plan is empty; returns how many applies it took (at most two allowed)."""
    for attempt in (1, 2):
        try:
            apply_plan(plan_environment(loaded, clients), clients, display or NullDisplay())
        except ApplyFailed:
            if attempt == 2:
                raise
            continue
        break
    after = plan_environment(loaded, clients)
    assert not after.has_changes, [(a.address, a.reason) for a in after.actions if a.verb != "noop"]
    return attempt


def assert_no_duplicates(clients) -> None:
    roles = [r for r in clients.authorization.role_assignments.list_for_scope(ACCOUNT_SCOPE)
             if r.scope.lower() == ACCOUNT_SCOPE.lower()]  # the list also holds inherited assignments
    keys = [(r.principal_id, r.role_definition_id.rsplit("/", 1)[-1]) for r in roles]
    assert len(keys) == len(set(keys)) == 2, keys  # identity: Data Owner; deployer: Data Contributor
    clusters = list(clients.hdinsight.clusters.list_by_resource_group("grbigdatauserbda000"))
    assert [c.name for c in clusters] == ["clusterbigdata001"]
    assert clusters[0].properties.cluster_state == "Running"


@pytest.mark.parametrize("fault", [
    {"kind": "status", "status": 429, "count": 8, "method": "PUT", "retry_after": 0},
    {"kind": "status", "status": 429, "count": 8, "method": "GET", "retry_after": 0},
    {"kind": "status", "status": 500, "count": 3, "method": "PUT"},
    {"kind": "status", "status": 503, "count": 4, "method": "*"},
    {"kind": "drop", "count": 3, "method": "GET"},
], ids=["429-writes", "429-reads", "500", "503", "dropped"])
def test_transient_errors_converge(practice, clients, emulator, fault):
    emulator.add_fault(**fault)
    assert converge(practice, clients) <= 2
    assert_no_duplicates(clients)
    assert any(r["code"] for r in emulator.request_log())  # the fault really happened


def test_cluster_lro_that_fails_is_replaced_on_the_next_apply(practice, clients, emulator):
    emulator.add_fault(kind="lro_fail", method="PUT", path="/clusters/", code="VMExtensionProvisioningError",
                       message="VM has reported a failure when processing extension.")
    with pytest.raises(ApplyFailed) as exc:
        apply_plan(plan_environment(practice, clients), clients, NullDisplay())
    assert exc.value.code == "VMExtensionProvisioningError" and "cluster" in exc.value.summary
    plan = plan_environment(practice, clients)
    assert plan.by_address()["cluster"].verb == "replace" and "Failed" in plan.by_address()["cluster"].reason
    apply_plan(plan, clients, NullDisplay())
    assert not plan_environment(practice, clients).has_changes
    assert_no_duplicates(clients)
    cluster_calls = [r["method"] for r in emulator.request_log()
                     if r["method"] in ("PUT", "DELETE") and r["url"].split("?")[0].endswith("/clusters/clusterbigdata001")]
    assert cluster_calls == ["PUT", "DELETE", "PUT"]  # the failed cluster is removed before the new one


def test_slow_role_propagation_is_waited_for_within_one_apply(practice, clients, emulator):
    # The deployer already holds a data role on the subscription (effective), so only the identity's new
    # Storage Blob Data Owner is slow: longer than the ~11 minutes after which HDInsight first reaches its
    # storage. The failed creation is cleaned up and retried within the same apply.
    from azlake.emulator.core.auth import LOCAL_DEPLOYER_OBJECT_ID
    sub = "/subscriptions/00000000-0000-0000-0000-000000000000"
    clients.authorization.role_assignments.create(sub, "6f1b2f4e-0000-4000-8000-000000000001", {
        "properties": {"roleDefinitionId": f"{sub}/providers/Microsoft.Authorization/roleDefinitions/"
                                           "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
                       "principalId": LOCAL_DEPLOYER_OBJECT_ID, "principalType": "User"}})
    # At the suite's usual scale a busy machine's real delays are whole nominal minutes, enough for the role
    # to turn effective before the cluster first reaches its storage: this test needs a slower clock.
    emulator.configure(role_propagation_seconds=800, time_scale=0.004)
    display = NullDisplay()
    assert converge(practice, clients, display) == 1
    assert_no_duplicates(clients)
    assert any("may not be effective" in text for kind, _, text in display.events if kind == "status")


def test_typical_role_propagation_overlaps_the_cluster_creation(practice, clients, emulator):
    emulator.configure(role_propagation_seconds=120)  # Azure's usual delay: the cluster needs it minutes later
    display = NullDisplay()
    assert converge(practice, clients, display) == 1
    cluster_puts = [r for r in emulator.request_log()
                    if r["method"] == "PUT" and r["url"].split("?")[0].endswith("/clusters/clusterbigdata001")]
    assert len(cluster_puts) == 1  # created once, without a failed attempt
    assert not any("waiting" in text and "role" in text for kind, address, text in display.events
                   if kind == "status" and address == "cluster")


def test_role_that_never_propagates_fails_with_a_clear_message(practice, clients, emulator):
    emulator.configure(role_propagation_seconds=10**7)
    with pytest.raises(ApplyFailed) as exc:
        apply_plan(plan_environment(practice, clients), clients, NullDisplay())
    errors = {step.address: step.error for step in exc.value.result.failed}
    assert "Storage Blob Data Owner role" in errors["cluster"].summary and "apply again" in errors["cluster"].hint
    directory = errors["data_lake.dir[landing/transaccion]"]  # the deployer's own data role did not arrive either
    assert directory.code == "AuthorizationPermissionMismatch" and "deployer_access" in directory.summary
    assert "exists but is not effective yet" in directory.summary and "again in a few minutes" in directory.hint
    clusters = list(clients.hdinsight.clusters.list_by_resource_group("grbigdatauserbda000"))
    assert [c.properties.provisioning_state for c in clusters] in ([], ["Failed"])


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["killed", "ctrl-c"])
def test_interrupted_apply_finishes_on_the_next_apply(practice, clients, emulator, password, how):
    env = {**os.environ, "CLUSTER_PASSWORD": password, "AZLAKE_EMULATOR_TIME_SCALE": "0.005",
           "AZLAKE_EMULATOR_ROLE_PROPAGATION": "0", "CI": "true"}
    proc = subprocess.Popen([sys.executable, "-m", "azlake", "apply", str(practice.path), "--cloud", "local",
                             "--state-dir", str(emulator.store.state_dir), "--auto-approve"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=interruptible)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if any(r["method"] == "PUT" and "/clusters/" in r["url"] for r in emulator.request_log()):
                break
            time.sleep(0.05)
        assert proc.poll() is None, "apply finished before it could be interrupted"
        proc.send_signal(how)
        assert proc.wait(timeout=60) != 0  # Ctrl-C stops waiting; it does not wait for the cluster
    finally:
        proc.kill()
        proc.wait()
    plan = plan_environment(practice, clients)
    assert plan.by_address()["cluster"].verb in ("create", "noop")  # still creating, or done meanwhile
    assert converge(practice, clients) == 1
    assert_no_duplicates(clients)
    puts = [r for r in emulator.request_log() if r["method"] == "PUT" and "/clusters/clusterbigdata001" in r["url"]]
    assert len(puts) == 1  # the running creation was awaited, not repeated


def test_apply_during_an_interrupted_destroy_waits_then_recreates(practice, clients, emulator):
    converge(practice, clients)
    clients.hdinsight.clusters.begin_delete("grbigdatauserbda000", "clusterbigdata001")  # no wait: "killed"
    plan = plan_environment(practice, clients)
    cluster = plan.by_address()["cluster"]
    if cluster.verb != "noop":  # the deletion may already be over at this time scale; both must converge
        assert cluster.verb == "create" and ("being deleted" in cluster.reason or "does not exist" in cluster.reason)
    assert converge(practice, clients) == 1
    assert_no_duplicates(clients)
