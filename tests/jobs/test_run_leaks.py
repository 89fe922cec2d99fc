"""No billing leaks: a run deletes its cluster whatever an earlier run left behind, and a killed run is found."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from azure.core.exceptions import ResourceNotFoundError
from jobs_helpers import CLUSTER, RG, add_job, azlake, lake_fs, prepared
from test_run import FAILING_JOB
from typer.testing import CliRunner

from azlake.azure import envlock
from azlake.cli.main import app
from azlake.emulator.livy import models as livy_models


def _add_failing_job(folder) -> None:
    add_job(folder, "falla", "borrador: smart/borrador", code=FAILING_JOB)


@pytest.mark.spark
def test_a_successful_run_deletes_its_cluster_beside_an_earlier_jobs_unpublished_outputs(env):
    folder, clients, _ = env
    _add_failing_job(folder)
    prepared(folder, clients)
    code, out = azlake("run", str(folder / "practice.yaml"), "falla")
    assert code == 1 and "ended dead" in out
    code, out = azlake("run", str(folder / "practice.yaml"), "reporte")
    assert code == 0, out
    assert "published reporte" in out
    # the cluster is gone; the filesystem stays with falla's outputs, and the run said so
    with pytest.raises(ResourceNotFoundError):
        clients.hdinsight.clusters.get(RG, CLUSTER)
    assert "kept: dfs holds outputs not published to the lake: objects/outputs/borrador/partial.csv" in out
    assert "still running" not in out and "still billing" not in out
    partial = lake_fs(clients, "dfs").get_file_client("objects/outputs/borrador/partial.csv")
    assert partial.download_file().readall() == b"ID_PERSONA,TOTAL\n1,2\n"


SLOW_JOB = '''
import time
print("lento: working", flush=True)
time.sleep(300)
'''


def _group_members(pgid: int) -> list[int]:
    """Processes of a process group, read from /proc (the JVM and the job's Python of a local batch)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def _wait_for(what, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(0.2)
    return what()


@pytest.mark.spark
def test_a_killed_run_leaves_nothing_running_and_reap_removes_its_cluster(env):
    folder, clients, _ = env
    add_job(folder, "lento", "borrador: smart/borrador", code=SLOW_JOB)
    prepared(folder, clients)
    practice = str(folder / "practice.yaml")
    run = subprocess.Popen([sys.executable, "-m", "azlake", "run", practice, "lento"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, env=dict(os.environ))
    seen = []
    for line in run.stdout:  # until the Spark job runs
        seen.append(line)
        if "lento: working" in line:
            break
    assert any("lento: working" in line for line in seen), "".join(seen)
    with clients.emulator.store.tx(write=False) as tx:
        [batch] = livy_models.list_batches(tx, CLUSTER)
    group = batch["process_group"]
    assert _group_members(group)
    # a second run of the same job meanwhile is refused, naming the first: it never touches that cluster
    second = CliRunner().invoke(app, ["run", practice, "lento"])
    assert second.exit_code == 1
    assert f"environment bda000 is locked: `azlake run {practice} lento`" in second.exception.render()
    run.kill()  # kill -9 in the middle of the job
    run.wait()
    # the batch's processes (watchdog, spark-submit's JVM, the job's Python) end with the run that owned them
    assert _wait_for(lambda: not _group_members(group)), _group_members(group)
    with clients.emulator.store.tx(write=False) as tx:
        assert livy_models.effective_state(livy_models.get(tx, batch["cluster"], batch["id"])) == "dead"
    # the cluster says which run uses it; that run's lock lease expires once nobody renews it
    tags = clients.hdinsight.clusters.get(RG, CLUSTER).tags
    run_id = tags["azlake-run"]
    assert "azlake-run-ended" not in tags
    clients.emulator.clock.offset += envlock.LEASE_SECONDS + 1
    status = CliRunner().invoke(app, ["status", practice])
    assert status.exit_code == 0, status.output
    assert f"ABANDONED: run {run_id}" in status.output
    reaped = CliRunner().invoke(app, ["reap", practice])  # max_age is 8h: reaped because its run is dead
    assert reaped.exit_code == 0, reaped.output
    assert "reaped" in reaped.output and f"abandoned: run {run_id}" in reaped.output
    with pytest.raises(ResourceNotFoundError):
        clients.hdinsight.clusters.get(RG, CLUSTER)
