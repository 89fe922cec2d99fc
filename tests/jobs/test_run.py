"""`azlake run` end to end on the local cloud: the lecture's reporte job, a failing job, a refused one."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from azure.core.exceptions import ResourceNotFoundError
from jobs_helpers import CLUSTER, RG, add_job, azlake, lake_fs, prepared

FAILING_JOB = '''
import os
import sys
# writes part of its output, then fails: what a job that dies half-way leaves behind
out = sys.argv[-1]
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "partial.csv"), "w").write("ID_PERSONA,TOTAL\\n1,2\\n")
print("falla: division by zero while computing the report", file=sys.stderr)
sys.exit(3)
'''


def expected_report(data: bytes) -> dict[str, tuple[int, Decimal]]:
    """Count and sum of MONTO per ID_PERSONA, computed without Spark."""
    lines = data.decode().splitlines()
    columns = lines[0].split("|")
    person, amount = columns.index("ID_PERSONA"), columns.index("MONTO")
    totals: dict[str, list] = defaultdict(lambda: [0, Decimal("0")])
    for line in lines[1:]:
        fields = line.split("|")
        totals[fields[person]][0] += 1
        totals[fields[person]][1] += Decimal(fields[amount])
    return {k: (n, s) for k, (n, s) in totals.items()}


def read_report(clients) -> dict[str, tuple[int, Decimal]]:
    import pyarrow.parquet as pq
    fs = lake_fs(clients, "smart")
    parts = [p.name for p in fs.get_paths(path="reporte") if p.name.endswith(".parquet")]
    assert parts, "no parquet file was published to smart/reporte"
    rows = {}
    for part in parts:
        table = pq.read_table(io.BytesIO(fs.get_file_client(part).download_file().readall()))
        for row in table.to_pylist():
            rows[row["ID_PERSONA"]] = (row["CANTIDAD_TRANSACCIONES"], row["MONTO_TOTAL"])
    return rows


def gone(clients, filesystem="dfs") -> bool:
    try:
        clients.hdinsight.clusters.get(RG, CLUSTER)
        return False
    except ResourceNotFoundError:
        return not lake_fs(clients, filesystem).exists()


@pytest.mark.spark
def test_reporte_end_to_end(env):
    folder, clients, password = env
    data = prepared(folder, clients)
    code, out = azlake("run", str(folder / "practice.yaml"), "reporte", "--show", "5")
    assert code == 0, out
    assert "server-side copy" in out and "published reporte" in out
    assert "batch 0: running" in out and "batch 0: success" in out
    assert re.search(r"cost: cluster uptime \S+ × USD \d+\.\d\d/h ≈ USD \d+\.\d\d \(estimate; prices: .+, of \d{4}-\d\d-\d\d\)", out), out
    assert password not in out
    expected = expected_report(data)
    assert read_report(clients) == expected
    # --show 5: the first five rows, in the job's order (by ID_PERSONA), read back from the lake
    assert "smart/reporte: first 5 row(s)" in out
    first = sorted(expected)[:5]
    for person in first:
        count, total = expected[person]
        assert any(line.split() == [person, str(count), str(total)] for line in out.splitlines()), person
    published = [p.name for p in lake_fs(clients, "smart").get_paths(path="reporte")]
    assert not any(name.endswith(".crc") for name in published)
    # the ephemeral part is gone, the lake and its input stay as they were
    assert gone(clients)
    assert lake_fs(clients, "universal").get_file_client("transaccion/transacciones.data") \
        .download_file().readall() == data


@pytest.fixture(params=["in-process", "served"])
def where(request, env, monkeypatch):
    """The CLI with its own in-process emulator, or talking over HTTPS to one served by the test process
    (then the batch runs in the server's process and the CLI follows it from another)."""
    if request.param == "in-process":
        yield env
        return
    from azlake.emulator.core.server import EmulatorServer
    server = EmulatorServer(env[1].emulator).start()
    monkeypatch.setenv("AZLAKE_EMULATOR_URL", server.base_url)
    try:
        yield env
    finally:
        server.stop()


@pytest.mark.spark
def test_failing_job_keeps_outputs_and_log_and_leaves_nothing_billing(where):
    folder, clients, password = where
    add_job(folder, "falla", "reporte: smart/reporte", code=FAILING_JOB)
    prepared(folder, clients)
    code, out = azlake("run", str(folder / "practice.yaml"), "falla")
    assert code == 1
    assert "division by zero" in out and "ended dead" in out
    assert password not in out
    # nothing bills: the cluster is deleted; the working filesystem keeps the evidence
    with pytest.raises(ResourceNotFoundError):
        clients.hdinsight.clusters.get(RG, CLUSTER)
    dfs = lake_fs(clients, "dfs")
    partial = dfs.get_file_client("objects/outputs/reporte/partial.csv")
    assert partial.download_file().readall() == b"ID_PERSONA,TOTAL\n1,2\n"
    assert "azlake_published_to" not in (partial.get_file_properties().metadata or {})
    logs = [p.name for p in dfs.get_paths(path="objects/logs/falla")]
    assert len(logs) == 1
    assert b"division by zero" in dfs.get_file_client(logs[0]).download_file().readall()
    # nothing was published
    assert [p.name for p in lake_fs(clients, "smart").get_paths(path="reporte")] == []


def test_capacity_refusal_creates_nothing(env):
    folder, clients, _ = env
    add_job(folder, "ancho", "reporte: smart/reporte", script="jobs/reporte.py",
            extra="    executors: {count: 8, cores: 2, memory: 4g}\n")
    code, out = azlake("run", str(folder / "practice.yaml"), "ancho")
    assert code == 1
    assert "pseudo-parallelism" in out
    assert "8 executor(s) × 2 core(s) = 16 cores" in out
    assert "1.6 usable cores" in out
    assert "worker.size: Standard_E" in out or "worker.count" in out
    assert not clients.resources.resource_groups.check_existence(RG)


def test_unknown_job_names_the_jobs_there_are(env):
    folder, _, _ = env
    code, out = azlake("run", str(folder / "practice.yaml"), "nope")
    assert code == 1
    assert "no job 'nope'" in out and "reporte" in out
    assert "azlake run: cloud" not in out  # a file error, said before any cloud is named or read


@pytest.mark.spark
def test_keep_cluster_leaves_it_running_and_says_what_it_costs(env):
    folder, clients, _ = env
    add_job(folder, "falla", "reporte: smart/reporte", code=FAILING_JOB)
    prepared(folder, clients)
    code, out = azlake("run", str(folder / "practice.yaml"), "falla", "--keep-cluster")
    assert code == 1
    assert "kept (--keep-cluster)" in out and "the cluster is still running and costs about USD " in out
    assert clients.hdinsight.clusters.get(RG, CLUSTER).properties.cluster_state == "Running"
    # the next run refuses to overwrite the unpublished outputs unless told to
    code, out = azlake("run", str(folder / "practice.yaml"), "falla", "--keep-cluster")
    assert code == 1 and "an earlier run left unpublished files" in out and "--replace-outputs" in out
    code, out = azlake("run", str(folder / "practice.yaml"), "falla", "--keep-cluster", "--replace-outputs")
    assert code == 1 and "ended dead" in out
