"""`azlake plan|apply FOLDER`: every environment, central lake first, one result each, one exit code."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from azlake.cli.main import app

runner = CliRunner()


def test_apply_a_folder_orders_the_central_lake_first_and_converges(cli):
    folder = str(cli.folder)
    before = runner.invoke(app, ["plan", folder, "--detailed-exitcode"])
    assert before.exit_code == 2, before.output
    assert "ventas): planned once datalake (its central lake) is applied" in before.output

    applied = runner.invoke(app, ["apply", folder, "--auto-approve"])
    assert applied.exit_code == 0, applied.output
    summary = applied.output.split("Apply of 4 environment(s):")[1]
    for name in ("datalake", "ventas", "marketing", "bda000"):
        assert f"({name}): applied:" in summary
    # the department's lines come after the central lake finished: it is a later wave
    lines = applied.output.splitlines()
    lake_done = max(i for i, line in enumerate(lines) if line.startswith("datalake | "))
    ventas_first = min(i for i, line in enumerate(lines) if line.startswith("ventas | "))
    assert lake_done < ventas_first
    # the fleet as a whole: each wave counts its environments as they finish
    assert applied.output.count("fleet | 1/2 environment(s) of this wave done") == 2
    assert applied.output.count("fleet | 2/2 environment(s) of this wave done") == 2

    after = runner.invoke(app, ["plan", folder, "--detailed-exitcode", "--format", "json"])
    assert after.exit_code == 0, after.output
    files = json.loads(after.output)["files"]
    assert [f["state"] for f in files] == ["planned"] * 4
    plans = [f["plan"] for f in files]
    assert sorted(p["environment"] for p in plans) == ["bda000", "datalake", "marketing", "ventas"]
    assert all(p["summary"]["create"] == 0 and p["summary"]["update"] == 0 for p in plans)


def test_a_json_folder_plan_has_an_entry_for_every_file_with_its_state(cli):
    (cli.folder / "roto.yaml").write_text("name: roto\ncompany: bda\ndepartment: x\nlocation: brazilsouth\n"
                                          "clutser: {}\n")
    result = runner.invoke(app, ["plan", str(cli.folder), "--format", "json"])
    assert result.exit_code == 1  # the broken file fails the run
    files = {f["path"].rsplit("/", 1)[1]: f for f in json.loads(result.stdout)["files"]}
    assert sorted(files) == ["datalake.yaml", "marketing.yaml", "practice.yaml", "roto.yaml", "ventas.yaml"]
    assert files["datalake.yaml"]["state"] == "planned" and files["datalake.yaml"]["plan"]["summary"]["create"] > 0
    for department in ("ventas.yaml", "marketing.yaml"):  # their central lake does not exist yet
        entry = files[department]
        assert entry["state"] == "deferred" and entry["plan"] is None and entry["changes"] is True
        assert "planned once datalake (its central lake) is applied" in entry["message"]
    roto = files["roto.yaml"]
    assert roto["state"] == "invalid" and roto["environment"] is None
    assert any(d["key_path"] == "clutser" for d in roto["diagnostics"])


def test_a_broken_file_fails_the_run_but_not_the_others(cli):
    (cli.folder / "roto.yaml").write_text("name: roto\ncompany: bda\ndepartment: x\nlocation: brazilsouth\n"
                                          "clutser: {}\n")
    result = runner.invoke(app, ["plan", str(cli.folder)])
    assert result.exit_code == 1
    assert "FAILED" in result.output and "roto.yaml" in result.output
    assert "(datalake): changes pending" in result.output


def test_out_is_refused_for_a_folder(cli, tmp_path):
    result = runner.invoke(app, ["plan", str(cli.folder), "--out", str(tmp_path / "p.json")])
    assert result.exit_code != 0
    assert "--out saves the plan of one environment file" in result.exception.render()


def _grow_workers(folder, count: int) -> None:
    """Departments whose clusters each fit the regional core quota but not together."""
    for name in ("ventas", "marketing"):
        path = folder / f"{name}.yaml"
        text = path.read_text().replace("worker: {size: Standard_E4_v3, count: 3}",
                                        f"worker: {{size: Standard_E4_v3, count: {count}}}")
        path.write_text(text.replace("  autoscale: {min: 3, max: 6}\n", ""))


def test_a_fleet_over_the_regional_core_quota_is_refused_before_any_write(cli, lake_clients):
    _grow_workers(cli.folder, 125)  # 514 cores each, 1,040 with the practice cluster: the quota is 1,000
    planned = runner.invoke(app, ["plan", str(cli.folder)])
    assert planned.exit_code == 1, planned.output
    assert "need 1040 cores in brazilsouth" in planned.output
    assert "ventas (514)" in planned.output and "marketing (514)" in planned.output
    assert "bda000 (12)" in planned.output

    applied = runner.invoke(app, ["apply", str(cli.folder), "--auto-approve"])
    assert applied.exit_code == 1, applied.output
    assert "nothing was changed" in applied.output
    assert list(lake_clients.resources.resource_groups.list()) == []


def test_the_persistent_part_of_a_large_fleet_is_not_held_back_by_its_clusters(cli):
    _grow_workers(cli.folder, 125)
    applied = runner.invoke(app, ["apply", str(cli.folder), "--auto-approve", "--no-ephemeral"])
    assert "HDInsight core" not in applied.output
    assert applied.exit_code == 0, applied.output
