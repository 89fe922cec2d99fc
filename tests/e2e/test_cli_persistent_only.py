"""`apply --no-ephemeral` (what CI runs on a merge): the persistent part only; `run` creates the cluster."""

from __future__ import annotations

import json

from e2e_support import changed, plan_json

CLUSTER_PART = {"cluster", "cluster.filesystem", "cluster.dir[objects/inputs]", "cluster.dir[objects/outputs]",
                "cluster.dir[objects/scripts]"}


def test_no_ephemeral_applies_everything_but_the_cluster(cli, lake_clients, tmp_path):
    first = cli("apply", "practice", "--auto-approve", "--no-ephemeral")
    assert first.exit_code == 0, first.output + first.error
    assert "cluster (clusterbigdata001) — noop: ephemeral: not created (--no-ephemeral)" in first.output
    assert [c.name for c in lake_clients.hdinsight.clusters.list_by_resource_group("grbigdatauserbda000")] == []
    # the persistent part is all there: only the ephemeral part is left for `run`
    assert changed(plan_json(cli, "practice")) == CLUSTER_PART
    assert cli("plan", "practice", "--no-ephemeral", "--detailed-exitcode").exit_code == 0

    # a saved --no-ephemeral plan applies as saved (the option travels with the file)
    saved = tmp_path / "plan.json"
    assert cli("plan", "practice", "--no-ephemeral", "--out", str(saved)).exit_code == 0
    assert json.loads(saved.read_text())["skip_ephemeral"] is True


def test_no_ephemeral_leaves_an_existing_cluster_as_it_is(cli, lake_clients):
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    text = (cli.folder / "practice.yaml").read_text()
    (cli.folder / "practice.yaml").write_text(text.replace("worker: {size: Standard_E2_v3, count: 1}",
                                                           "worker: {size: Standard_E2_v3, count: 2}"))
    result = cli("plan", "practice", "--no-ephemeral", "--detailed-exitcode")
    assert result.exit_code == 0, result.output + result.error
    assert "ephemeral: left as it is (--no-ephemeral)" in result.output
    assert cli("plan", "practice", "--detailed-exitcode").exit_code == 2  # without the option: the resize


def test_a_folder_merge_apply_creates_no_cluster(cli, lake_clients):
    from typer.testing import CliRunner

    from azlake.cli.main import app
    result = CliRunner().invoke(app, ["apply", str(cli.folder), "--auto-approve", "--no-ephemeral"])
    assert result.exit_code == 0, result.output
    groups = [g.name for g in lake_clients.resources.resource_groups.list()]
    assert {"grbigdatauserbda000", "rg-bda-ventas", "rg-bda-marketing", "rg-bda-platform-datalake"} <= set(groups)
    assert [c.name for c in lake_clients.hdinsight.clusters.list()] == []
    again = CliRunner().invoke(app, ["plan", str(cli.folder), "--no-ephemeral", "--detailed-exitcode"])
    assert again.exit_code == 0, again.output
