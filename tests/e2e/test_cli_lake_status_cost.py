"""`azlake lake`, `status` and `cost` through the CLI on the local cloud."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from azlake.cli.main import app

runner = CliRunner()


def _invoke(*args: str):
    result = runner.invoke(app, list(args))
    return result


def test_cost_is_offline_and_sums_the_roles(cli, monkeypatch):
    monkeypatch.delenv("CLUSTER_PASSWORD")  # cost needs no secret and no cloud
    practice = str(cli.folder / "practice.yaml")
    result = _invoke("cost", practice, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    roles = {r["role"]: r for r in doc["roles"]}
    # head 2 x E2_v3 (2 vCPU, 16 GiB), zookeeper 3 x A2_v2 (2, 4), worker 1 x E2_v3
    assert (roles["head"]["vcpus"], roles["zookeeper"]["vcpus"], roles["worker"]["vcpus"]) == (4, 6, 2)
    assert doc["vcpus"] == 12 and doc["ram_gib"] == 60
    assert abs(doc["hourly"] - sum(r["hourly_usd"] for r in doc["roles"])) < 1e-6
    assert doc["estimate"] is True
    text = _invoke("cost", practice)
    assert "total" in text.output and "Standard_A2_v2" in text.output


def test_lake_put_ls_get_round_trip_and_status(cli, tmp_path):
    practice = str(cli.folder / "practice.yaml")
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    data = cli.folder / "data" / "transacciones.data"

    put = _invoke("lake", "put", practice, str(data), "landingtmp/transaccion")
    assert put.exit_code == 0, put.output
    assert "landingtmp/transaccion/transacciones.data" in put.output

    zones = _invoke("lake", "ls", practice)
    assert set(zones.output.split()) >= {"landingtmp/", "landing/", "universal/", "smart/", "dfs/"}
    listing = _invoke("lake", "ls", practice, "landingtmp", "-r")
    assert f"{data.stat().st_size}  landingtmp/transaccion/transacciones.data" in listing.output

    dest = tmp_path / "back.data"
    got = _invoke("lake", "get", practice, "landingtmp/transaccion/transacciones.data", str(dest))
    assert got.exit_code == 0, got.output
    assert dest.read_bytes() == data.read_bytes()

    status = _invoke("status", practice, "--json")
    assert status.exit_code == 0, status.output
    doc = json.loads(status.output)
    assert doc["cluster"]["state"] == "Running"
    assert doc["cluster"]["gateway"] == "https://clusterbigdata001.azurehdinsight.net"
    assert doc["cluster"]["ssh"].startswith("ssh adminssh@clusterbigdata001-ssh.azurehdinsight.net")
    assert all(r["exists"] for r in doc["resources"])
    assert {r["state"] for r in doc["resources"] if r["address"] == "data_lake.account"} == {"Succeeded"}


def test_lake_get_of_a_missing_file_is_a_clear_error(cli, tmp_path):
    practice = str(cli.folder / "practice.yaml")
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    result = _invoke("lake", "get", practice, "landing/transaccion/nope.data", str(tmp_path / "x"))
    assert result.exit_code != 0
    assert "cannot download landing/transaccion/nope.data" in result.exception.render()
    assert not (tmp_path / "x").exists()


def test_status_before_apply_says_nothing_is_billing(cli):
    result = _invoke("status", str(cli.folder / "practice.yaml"))
    assert result.exit_code == 0, result.output
    assert "cluster: absent (nothing billing" in result.output
