"""`azlake reap`: ephemeral clusters older than cluster.max_age are destroyed; young or persistent ones stay."""

from __future__ import annotations

import shutil

import pytest
from azure.core.exceptions import ResourceNotFoundError
from conftest import local_cloud
from jobs_helpers import CLUSTER, ENVIRONMENTS, RG, azlake, lake_fs
from passwords import generated_password

from azlake.azure.clients import LOCAL_SUBSCRIPTION, Clients, Target


def set_max_age(folder, value: str) -> None:
    path = folder / "practice.yaml"
    text = path.read_text()
    assert "max_age: 8h" in text
    path.write_text(text.replace("max_age: 8h", f"max_age: {value}"))


def cluster_exists(clients) -> bool:
    try:
        clients.hdinsight.clusters.get(RG, CLUSTER)
        return True
    except ResourceNotFoundError:
        return False


@pytest.fixture(scope="module")
def applied_once(tmp_path_factory):
    """The practice environment applied once for the module (an apply is most of each test's time)."""
    root = tmp_path_factory.mktemp("reap")
    shutil.copytree(ENVIRONMENTS, root / "environments")
    password = generated_password()
    with pytest.MonkeyPatch.context() as patch:
        for key, value in local_cloud(password, root / "state").items():
            patch.setenv(key, value)
        code, out = azlake("apply", str(root / "environments" / "practice.yaml"), "--auto-approve")
    assert code == 0, out
    return root, password


@pytest.fixture
def applied(applied_once, tmp_path, monkeypatch):
    """Each test reaps its own copy of the applied files and local cloud: tests stay independent."""
    root, password = applied_once
    shutil.copytree(root / "environments", tmp_path / "environments")
    shutil.copytree(root / "state", tmp_path / "state")
    for key, value in local_cloud(password, tmp_path / "state").items():
        monkeypatch.setenv(key, value)
    return tmp_path / "environments", Clients(Target("local", LOCAL_SUBSCRIPTION, tmp_path / "state"))


def test_young_cluster_is_kept(applied):
    folder, clients = applied
    # emulated time runs 2000 times faster here: 30 days of it are 22 real minutes
    set_max_age(folder, "30d")
    code, out = azlake("reap", str(folder / "practice.yaml"))
    assert code == 0, out
    assert f"kept       cluster {CLUSTER} (environment bda000): age " in out
    assert "within max_age 30d0h00m" in out
    assert cluster_exists(clients)


def test_old_cluster_is_reaped_and_the_lake_stays(applied):
    folder, clients = applied
    set_max_age(folder, "1m")  # 60 nominal seconds: already past on the scaled-down local cloud
    dry, out = azlake("reap", "--dry-run", str(folder / "practice.yaml"))
    assert dry == 0 and "would reap" in out and cluster_exists(clients)
    code, out = azlake("reap", str(folder))
    assert code == 0, out
    assert f"reaped     cluster {CLUSTER} (environment bda000)" in out and "is over max_age 0h01m" in out
    assert not cluster_exists(clients)
    assert not lake_fs(clients, "dfs").exists()
    assert lake_fs(clients, "universal").exists() and lake_fs(clients, "smart").exists()
    # the other files in the folder say why they were left alone
    assert "datalake.yaml: skipped    no cluster" in out


def test_unpublished_outputs_keep_the_working_filesystem(applied):
    folder, clients = applied
    set_max_age(folder, "1m")
    lake_fs(clients, "dfs").get_file_client("objects/outputs/reporte/part-0.parquet").upload_data(
        b"PAR1", overwrite=True)
    code, out = azlake("reap", str(folder / "practice.yaml"))
    assert code == 0, out
    assert "holds unpublished outputs and was kept" in out
    assert not cluster_exists(clients)
    assert lake_fs(clients, "dfs").get_file_client("objects/outputs/reporte/part-0.parquet") \
        .download_file().readall() == b"PAR1"


def test_persistent_cluster_is_never_reaped(applied):
    folder, clients = applied
    path = folder / "practice.yaml"
    path.write_text(path.read_text().replace("lifecycle: ephemeral", "lifecycle: persistent")
                    .replace("max_age: 8h", "max_age: 1m"))
    code, out = azlake("reap", str(path))
    assert code == 0, out
    assert "persistent: never reaped" in out
    assert cluster_exists(clients)
