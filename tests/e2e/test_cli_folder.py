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
