"""`azlake import` of what the portal built: a file that validates, plans to adoption only, adopts, keeps data."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import portal_build
from portal_build import LECTURE


@pytest.fixture
def azlake(cli):
    """azlake("import", "-g", ...) -> click Result, on the same local cloud as `cli`."""
    from azlake.cli.main import app
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args))
    return run


def ok(result) -> None:
    assert result.exit_code == 0, result.output + repr(result.exception)


def plan_doc(azlake, path, *extra) -> dict:
    result = azlake("plan", str(path), "--format", "json", *extra)
    ok(result)
    return json.loads(result.stdout)


def test_lecture_environment_is_imported_adopted_and_its_lake_kept(cli, azlake, lake_clients, password, monkeypatch):
    portal_build.lecture(lake_clients, password)
    files = portal_build.lake_files(lake_clients)
    out = cli.folder / "imported.yaml"
    result = azlake("import", "--resource-group", LECTURE["group"], "--out", str(out))
    ok(result)
    text = out.read_text()
    for name in ("storagebigdatauserbda000", "bigdatauserbda000", "clusterbigdata001", "grbigdatauserbda000"):
        assert name in text
    assert password not in text and password not in result.output
    assert "${BDA000_CLUSTER_PASSWORD}" in text and "transaccion" in text and "objects/inputs" in text
    ok(azlake("validate", str(out)))

    monkeypatch.setenv("BDA000_CLUSTER_PASSWORD", password)
    doc = plan_doc(azlake, out)
    kinds = {a["address"]: a["action"] for a in doc["actions"]}
    assert set(kinds.values()) <= {"adopt", "noop"}, kinds
    assert kinds["cluster"] == kinds["data_lake.account"] == kinds["identity"] == "adopt"
    assert kinds["data_lake.lock"] == kinds["identity.role[Storage Blob Data Owner]"] == "adopt"
    adopted_changes = {c["path"] for a in doc["actions"] for c in a["changes"]}
    assert all(p.startswith(("tags.", "metadata.", "notes")) for p in adopted_changes), adopted_changes
    assert azlake("plan", str(out), "--detailed-exitcode").exit_code == 0  # adoption is opt-in
    ok(azlake("apply", str(out), "--auto-approve"))  # without --adopt: nothing is changed
    assert lake_clients.storage.storage_accounts.get_properties(LECTURE["group"], LECTURE["account"]).tags in ({}, None)

    ok(azlake("apply", str(out), "--adopt", "--auto-approve"))
    assert azlake("plan", str(out), "--detailed-exitcode").exit_code == 0
    doc = plan_doc(azlake, out)
    assert {a["action"] for a in doc["actions"]} == {"noop"}, [a for a in doc["actions"] if a["action"] != "noop"]
    tags = lake_clients.hdinsight.clusters.get(LECTURE["group"], LECTURE["cluster"]).tags
    assert tags["managed-by"] == "azlake" and tags["azlake-environment"] == "bda000"

    ok(azlake("destroy", str(out), "--auto-approve"))
    assert not any(c.name == LECTURE["cluster"] for c in lake_clients.hdinsight.clusters.list_by_resource_group(
        LECTURE["group"]))
    filesystems = {c.name for c in lake_clients.storage.blob_containers.list(LECTURE["group"], LECTURE["account"])}
    assert "dfs" not in filesystems and set(portal_build.ZONES) <= filesystems
    assert portal_build.lake_files(lake_clients) == files
