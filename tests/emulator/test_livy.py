"""The cluster gateway's Livy endpoint: basic auth, Livy's CSRF header, cluster states, batches and logs."""

from __future__ import annotations

import time
import uuid

import pytest
from livy_cluster import create_cluster, generated_password, lake, running_cluster, wait_final

from azlake.emulator.livy.models import log_page

CSRF = {"X-Requested-By": "azlake-tests"}
MISSING_SCRIPT = {"file": "abfss://dfs@stlivylake.dfs.core.windows.net/objects/scripts/nope.py"}


@pytest.fixture
def cluster(any_clients):
    return running_cluster(any_clients)


def test_gateway_needs_the_cluster_login(cluster):
    anonymous = cluster.session(auth=False).get(cluster.url())
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Basic")
    wrong = cluster.session(auth=False).get(cluster.url(), auth=(cluster.username, cluster.password + "x"))
    assert wrong.status_code == 401
    assert cluster.password not in wrong.text
    listed = cluster.session().get(cluster.url())
    assert listed.status_code == 200
    assert listed.json() == {"from": 0, "total": 0, "sessions": []}


def test_writes_need_the_csrf_header(cluster):
    refused = cluster.session().post(cluster.url(), json=MISSING_SCRIPT)
    assert refused.status_code == 400
    assert refused.json() == {"msg": "Missing Required Header for CSRF protection."}
    accepted = cluster.session().post(cluster.url(), json=MISSING_SCRIPT, headers=CSRF)
    assert accepted.status_code == 201
    batch_id = accepted.json()["id"]
    assert cluster.session().delete(cluster.url(f"/{batch_id}")).status_code == 400
    deleted = cluster.session().delete(cluster.url(f"/{batch_id}"), headers=CSRF)
    assert deleted.json() == {"msg": "deleted"}
    gone = cluster.session().get(cluster.url(f"/{batch_id}"))
    assert gone.status_code == 404 and gone.json() == {"msg": f"Session '{batch_id}' not found."}


def test_unknown_cluster_is_not_found(clients):
    from livy_cluster import LivyCluster
    ghost = LivyCluster(clients, "clusternothere", "admin", generated_password())
    assert ghost.session().get(ghost.url()).status_code == 404


def test_cluster_still_creating_answers_503(clients, emulator):
    prerequisites = lake(clients)
    emulator.configure(time_scale=1.0)  # the cluster's creation now takes its nominal 20 minutes
    password = generated_password()
    create_cluster(clients, "clustercreating", password, prerequisites, wait=False)
    from livy_cluster import LivyCluster
    creating = LivyCluster(clients, "clustercreating", "admin", password)
    answer = creating.session().get(creating.url())
    assert answer.status_code == 503
    assert "not running" in answer.json()["msg"]


def test_body_without_file_is_rejected(cluster):
    answer = cluster.session().post(cluster.url(), json={"args": ["x"]}, headers=CSRF)
    assert answer.status_code == 400
    assert "'file' is required" in answer.json()["msg"]


@pytest.mark.spark  # the batch reaches the missing script only once the local Spark runtime resolved
def test_missing_script_ends_dead_with_the_reason_in_the_log(cluster):
    created = cluster.session().post(cluster.url(), json=MISSING_SCRIPT, headers=CSRF)
    assert created.headers["Location"] == f"/batches/{created.json()['id']}"
    assert created.json()["state"] == "starting"
    states = wait_final(cluster, created.json()["id"])
    assert states[-1] == "dead"
    log = cluster.session().get(cluster.url(f"/{created.json()['id']}/log")).json()
    assert any("does not exist" in line for line in log["log"])
    assert log["id"] == created.json()["id"] and log["total"] == len(log["log"])


def test_batches_are_numbered_per_cluster_and_listed(cluster):
    ids = [cluster.session().post(cluster.url(), json=MISSING_SCRIPT, headers=CSRF).json()["id"]
           for _ in range(3)]
    assert ids == [0, 1, 2]
    listed = cluster.session().get(cluster.url(), params={"from": 1, "size": 1}).json()
    assert listed["from"] == 1 and listed["total"] == 3
    assert [s["id"] for s in listed["sessions"]] == [1]


def test_a_recreated_cluster_has_a_new_livy(cluster):
    cluster.session().post(cluster.url(), json=MISSING_SCRIPT, headers=CSRF)
    cluster.clients.hdinsight.clusters.begin_delete("grlivy", cluster.name).result()
    assert cluster.session().get(cluster.url()).status_code == 404
    create_cluster(cluster.clients, cluster.name, cluster.password, cluster.prerequisites)
    assert cluster.session().get(cluster.url()).json()["total"] == 0
    assert cluster.session().post(cluster.url(), json=MISSING_SCRIPT, headers=CSRF).json()["id"] == 0


@pytest.mark.parametrize("start,size,expected_from,expected", [
    (None, None, 50, list(range(50, 150))),       # Livy's default: the last 100 lines
    (0, 3, 0, [0, 1, 2]),
    (148, 10, 148, [148, 149]),
    (None, 5, 145, [145, 146, 147, 148, 149]),
    (200, 5, 200, []),
])
def test_log_paging_follows_livy(start, size, expected_from, expected):
    lines = [str(i) for i in range(150)]
    got_from, page = log_page(lines, start, size)
    assert got_from == expected_from
    assert page == [str(i) for i in expected]


CHATTY_JOB = b"""
import sys
for i in range(150):
    print(f"line {i}")
print("args", " ".join(sys.argv[1:]))
"""


@pytest.fixture
def in_process_cluster(clients):
    return running_cluster(clients)


@pytest.mark.spark
def test_a_batch_runs_and_its_log_pages_like_livy(in_process_cluster):
    cluster = in_process_cluster
    cluster.put_file("objects/scripts/chatty.py", CHATTY_JOB)
    created = cluster.session().post(cluster.url(), headers=CSRF, json={
        "file": cluster.uri("objects/scripts/chatty.py"), "args": ["plain", cluster.uri("objects/outputs/x")],
        "numExecutors": 1, "executorCores": 1})
    batch_id = created.json()["id"]
    states = wait_final(cluster, batch_id)
    assert states[-1] == "success" and "running" in states
    session = cluster.session()
    full = session.get(cluster.url(f"/{batch_id}/log"), params={"from": 0, "size": 10_000}).json()
    numbered = [line for line in full["log"] if line.startswith("line ")]
    assert numbered == [f"line {i}" for i in range(150)]
    first = full["log"].index("line 0")
    page = session.get(cluster.url(f"/{batch_id}/log"), params={"from": first + 10, "size": 3}).json()
    assert page == {"id": batch_id, "from": first + 10, "total": full["total"], "log": ["line 10", "line 11",
                                                                                        "line 12"]}
    tail = session.get(cluster.url(f"/{batch_id}/log")).json()
    assert tail["from"] == max(0, full["total"] - 100) and tail["log"] == full["log"][-100:]
    # the job saw its abfss:// arguments as paths; the log shows them as the abfss:// URIs again
    assert f"args plain {cluster.uri('objects/outputs/x')}" in full["log"]
    batch = session.get(cluster.url(f"/{batch_id}")).json()
    assert batch["state"] == "success" and batch["appId"].startswith("application_")


def _processes_mentioning(marker: str) -> list[int]:
    from pathlib import Path
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _sleeping_batch(cluster) -> tuple[str, int, float]:
    """A batch that sleeps for ten minutes, once its script runs: (script name, batch id, a deadline)."""
    script = f"sleeper-{uuid.uuid4().hex}.py"
    cluster.put_file(f"objects/scripts/{script}", b"import time\nprint('sleeping', flush=True)\ntime.sleep(600)\n")
    batch_id = cluster.session().post(cluster.url(), headers=CSRF,
                                      json={"file": cluster.uri(f"objects/scripts/{script}")}).json()["id"]
    deadline = time.monotonic() + 120
    while "sleeping" not in cluster.session().get(cluster.url(f"/{batch_id}/log")).json()["log"]:
        assert time.monotonic() < deadline, "the batch never started"
        time.sleep(0.2)
    return script, batch_id, deadline


@pytest.mark.spark
def test_deleting_a_running_batch_stops_its_processes(in_process_cluster):
    cluster = in_process_cluster
    script, batch_id, deadline = _sleeping_batch(cluster)
    assert _processes_mentioning(script)
    assert cluster.session().delete(cluster.url(f"/{batch_id}"), headers=CSRF).json() == {"msg": "deleted"}
    assert cluster.session().get(cluster.url(f"/{batch_id}")).status_code == 404
    while _processes_mentioning(script):
        assert time.monotonic() < deadline, "the batch's processes outlived its deletion"
        time.sleep(0.2)


UDF_JOB = b"""
import sys
from pyspark.sql import SparkSession, functions as F, types as T
spark = SparkSession.builder.getOrCreate()
people = spark.createDataFrame([(1, "ana"), (2, "luis")], ["id", "name"])
shout = F.udf(lambda s: s.upper() + "!", T.StringType())
print("udf", sorted(r.loud for r in people.select(shout("name").alias("loud")).collect()))
print("rdd", spark.sparkContext.parallelize([1, 2, 3]).map(lambda x: x * 10).collect())
print("cast", spark.sql("SELECT CAST('abc' AS INT) AS n").collect()[0].n)
print("spark", spark.version, "python", "%d.%d" % sys.version_info[:2])
spark.stop()
"""


@pytest.mark.spark
def test_python_udfs_and_rdd_lambdas_run_on_the_clusters_spark_line(in_process_cluster):
    """HDInsight 5.1 runs Spark 3.3: the batch runs there, on a Python whose functions Spark 3.3 can pickle."""
    cluster = in_process_cluster
    cluster.put_file("objects/scripts/udf.py", UDF_JOB)
    batch_id = cluster.session().post(cluster.url(), headers=CSRF,
                                      json={"file": cluster.uri("objects/scripts/udf.py")}).json()["id"]
    states = wait_final(cluster, batch_id)
    log = cluster.session().get(cluster.url(f"/{batch_id}/log"), params={"from": 0, "size": 10_000}).json()["log"]
    assert states[-1] == "success", "\n".join(log)
    assert "udf ['ANA!', 'LUIS!']" in log
    assert "rdd [10, 20, 30]" in log
    assert "cast None" in log  # Spark 3.3's default: ANSI mode off, a bad cast is null (Spark 4 fails the job)
    versions = next(line for line in log if line.startswith("spark "))
    spark_version, python = versions.split()[1], versions.split()[3]
    assert spark_version.startswith("3.3.")
    assert python in ("3.8", "3.9", "3.10")
    assert any(line.startswith("azlake emulator: HDInsight 5.1 runs Spark 3.3: local Spark is pyspark 3.3.")
               for line in log)


@pytest.mark.spark
def test_deleting_the_cluster_ends_its_running_batches(in_process_cluster):
    cluster = in_process_cluster
    script, batch_id, deadline = _sleeping_batch(cluster)
    from livy_cluster import RG
    cluster.clients.hdinsight.clusters.begin_delete(RG, cluster.name).result()
    while _processes_mentioning(script):
        assert time.monotonic() < deadline, "the batch's processes outlived its cluster"
        time.sleep(0.2)
    with cluster.clients.emulator.store.tx(write=False) as tx:
        from azlake.emulator.livy.models import list_batches
        assert list_batches(tx, cluster.name) == []


def _watchdog(marker, owner: int | None = None):
    import os
    import subprocess
    import sys
    return subprocess.Popen([sys.executable, "-m", "azlake.emulator.livy.watchdog", str(owner or os.getpid()),
                             str(marker), "--", sys.executable, "-c", "import time; time.sleep(600)"],
                            start_new_session=True)


def _group_gone(pgid: int, seconds: float = 30) -> bool:
    import os
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_watchdog_ends_the_group_when_the_batch_log_goes(tmp_path):
    """A batch deleted by another process than the one running it: its log file goes, so do its processes."""
    marker = tmp_path / "0.log"
    marker.write_text("")
    dog = _watchdog(marker)
    time.sleep(1.0)
    assert dog.poll() is None  # runs while the batch exists
    marker.unlink()
    dog.wait(timeout=30)
    assert _group_gone(dog.pid)


def test_watchdog_ends_the_group_when_its_owner_dies(tmp_path):
    """kill -9 of the process that ran the batch: nothing of the batch stays."""
    import subprocess
    import sys
    marker = tmp_path / "0.log"
    marker.write_text("")
    owner = subprocess.Popen([sys.executable, "-c", f"""
import subprocess, sys, time
dog = subprocess.Popen([sys.executable, "-m", "azlake.emulator.livy.watchdog", str(__import__("os").getpid()),
                        {str(marker)!r}, "--", sys.executable, "-c", "import time; time.sleep(600)"],
                       start_new_session=True)
print(dog.pid, flush=True)
time.sleep(600)
"""], stdout=subprocess.PIPE, text=True)
    group = int(owner.stdout.readline())
    import os
    os.killpg(group, 0)  # the batch's group is there
    owner.kill()
    owner.wait()
    assert _group_gone(group)
