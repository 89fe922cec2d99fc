"""The per-environment lock through the CLI on the local cloud: refuse or wait, name the holder, force-unlock."""

from __future__ import annotations

import threading

import pytest
from typer.testing import CliRunner

from azlake.azure import envlock
from azlake.cli.main import app
from azlake.envfile.load import load_environment


def _invoke(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def applied(cli):
    first = cli("apply", "practice", "--auto-approve")
    assert first.exit_code == 0, first.output + first.error
    assert "no lock: the lake account storagebigdatauserbda000 does not exist yet (first apply)" in first.stderr
    return cli


def _hold(cli, lake_clients, command: str = "run practice.yaml reporte") -> envlock.Lock:
    """Another command's lock, taken the way azlake takes it (same module, same blob, real SDK)."""
    loaded = load_environment(cli.folder / "practice.yaml", require_values=False)
    lock = envlock.acquire(loaded, lake_clients, command, 0, lambda text: None)
    assert lock.id is not None
    return lock


def test_a_second_writer_is_refused_naming_the_holder(applied, lake_clients):
    lock = _hold(applied, lake_clients)
    try:
        for command, args in (("apply", ["--auto-approve"]), ("destroy", ["--auto-approve"]),
                              ("run", ["reporte"])):
            result = applied(command, "practice", *args)
            assert result.exit_code == 1, command
            said = result.error  # the closing error line: what, who and what to do
            assert "environment bda000 is locked: `azlake run practice.yaml reporte` by user " in said
            assert f"lock id {lock.id}" in said
            assert f"force-unlock {applied.folder / 'practice.yaml'} {lock.id}" in said
        put = _invoke("lake", "put", str(applied.folder / "practice.yaml"),
                      str(applied.folder / "data" / "transacciones.data"), "landing/transaccion/")
        assert put.exit_code == 1 and "is locked" in str(put.exception.render())
        assert applied("plan", "practice").exit_code == 0  # reading needs no lock
    finally:
        lock.release()
    assert applied("apply", "practice", "--auto-approve").exit_code == 0


def test_a_second_writer_waits_up_to_lock_timeout(applied, lake_clients):
    lock = _hold(applied, lake_clients)
    threading.Timer(1.0, lock.release).start()
    result = applied("destroy", "practice", "--auto-approve", "--lock-timeout", "30s")
    assert result.exit_code == 0, result.output + result.stderr
    assert "lock: waiting up to 30s for environment bda000: held by `azlake run" in result.stderr


def test_lock_timeout_that_is_not_a_duration(applied):
    result = applied("apply", "practice", "--lock-timeout", "soon")
    assert result.exit_code == 1 and "--lock-timeout 'soon' is not a duration" in result.error


def test_force_unlock_needs_the_holders_id(applied, lake_clients):
    lock = _hold(applied, lake_clients)
    wrong = applied("force-unlock", "practice", "00000000-0000-0000-0000-000000000001", "--force")
    assert wrong.exit_code == 1 and "locked with another id" in wrong.error
    asked = applied("force-unlock", "practice", lock.id)  # no terminal: it needs --force
    assert asked.exit_code == 1 and "needs --force" in asked.error
    done = applied("force-unlock", "practice", lock.id, "--force")
    assert done.exit_code == 0, done.output + done.error
    assert f"lock {lock.id} broken" in done.output
    assert applied("apply", "practice", "--auto-approve").exit_code == 0
    lock.release()  # the old holder's release finds its lease broken: nothing happens
    assert applied("force-unlock", "practice", lock.id, "--force").exit_code == 1  # not locked any more


def test_a_crashed_holders_lock_expires(applied, lake_clients):
    lock = _hold(applied, lake_clients)
    lock._stop.set()  # the holder died: nobody renews its lease any more
    assert applied("apply", "practice", "--auto-approve").exit_code == 1
    lake_clients.emulator.clock.offset += envlock.LEASE_SECONDS + 1
    result = applied("apply", "practice", "--auto-approve")
    assert result.exit_code == 0, result.output + result.stderr


def test_the_lock_blob_is_not_a_zone(applied):
    assert applied("apply", "practice", "--auto-approve").exit_code == 0  # creates the lock blob
    listed = _invoke("lake", "ls", str(applied.folder / "practice.yaml"))
    assert listed.exit_code == 0 and envlock.CONTAINER not in listed.output


def test_two_concurrent_applies_take_turns(applied, lake_clients, password):
    """Two processes apply the same file at once (the cluster to create again): one waits for the other,
    the cluster is created once, and the plan is empty afterwards."""
    import os
    import subprocess
    import sys
    assert applied("destroy", "practice", "--auto-approve").exit_code == 0
    since = lake_clients.emulator.store.last_request_seq()
    env = {**os.environ, "CI": "true", "CLUSTER_PASSWORD": password}
    command = [sys.executable, "-m", "azlake", "apply", str(applied.folder / "practice.yaml"), "--auto-approve",
               "--lock-timeout", "5m"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)]
    outputs = [r.communicate(timeout=600)[0] for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outputs
    # whichever came second either waited for the first or started after it: never both at once
    assert sum("lock: waiting up to 300s for environment bda000" in out for out in outputs) <= 1, outputs
    assert sum("Apply complete: 5 created" in out for out in outputs) == 1, outputs
    assert sum("No changes" in out for out in outputs) == 1, outputs
    cluster_puts = [r for r in lake_clients.emulator.request_log(since)
                    if r["method"] == "PUT" and r["url"].split("?")[0].endswith("/clusters/clusterbigdata001")]
    assert len(cluster_puts) == 1
    assert applied("plan", "practice", "--detailed-exitcode").exit_code == 0


def test_a_pipeline_holder_is_named_by_its_run(applied, lake_clients, monkeypatch):
    for key, value in {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "datos/lagos", "GITHUB_WORKFLOW": "deploy",
                       "GITHUB_RUN_ID": "4242", "GITHUB_ACTOR": "ana"}.items():
        monkeypatch.setenv(key, value)
    lock = _hold(applied, lake_clients, "apply practice.yaml")
    monkeypatch.delenv("GITHUB_ACTIONS")
    try:
        result = applied("apply", "practice", "--auto-approve")
        assert result.exit_code == 1
        assert ("`azlake apply practice.yaml` by GitHub Actions datos/lagos workflow 'deploy' run 4242 (actor ana)"
                in result.error)
    finally:
        lock.release()
