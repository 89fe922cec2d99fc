"""Costs that are true: `cost`, `plan` and `status` through the CLI on the local cloud.

A total never leaves a part out silently; HDInsight nodes are priced by their HDInsight meter (which includes
the VM) from the Retail Prices API, cached with its date, the packaged catalog offline; Event Hubs units
are part of what bills by the hour.
"""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from azlake.cli.main import app

runner = CliRunner()


def _cost(cli, name: str, *args: str):
    result = runner.invoke(app, ["cost", str(cli.folder / f"{name}.yaml"), *args])
    assert result.exit_code == 0, result.output
    return result


def _prices_requests(lake_clients) -> int:
    return sum(1 for r in lake_clients.emulator.request_log() if r.get("service") == "prices")


def test_a_count_from_an_unset_variable_is_named_not_left_out(cli, monkeypatch):
    monkeypatch.delenv("WORKERS", raising=False)
    path = cli.folder / "practice.yaml"
    path.write_text(path.read_text().replace("worker: {size: Standard_E2_v3, count: 1}",
                                             "worker: {size: Standard_E2_v3, count: \"${WORKERS}\"}"))
    doc = json.loads(_cost(cli, "practice", "--json").output)
    assert doc["complete"] is False
    assert any("${WORKERS} is not set" in m for m in doc["missing"]), doc["missing"]
    worker = next(r for r in doc["roles"] if r["role"] == "worker")
    assert worker["hourly_usd"] is None and worker["count"] == 0  # no default count stands in for it
    text = _cost(cli, "practice").output
    assert "≥ " in text and "not included: worker nodes: ${WORKERS} is not set" in text
    assert "The total is a lower bound" in text and "at least USD" in text


def test_offline_the_catalog_total_is_marked_incomplete_naming_hdinsights_charge(cli):
    # no local cloud yet (nothing applied): nothing to ask, the packaged catalog answers
    doc = json.loads(_cost(cli, "practice", "--json").output)
    assert doc["source"] == "packaged catalog" and doc["as_of"] == "2026-11-28"
    assert doc["complete"] is False
    assert doc["missing"] == ["head, zookeeper, worker nodes: HDInsight's own charge (the packaged catalog has "
                              "VM prices only)"]
    assert not (cli.state).exists()  # asking for prices created no local cloud


def test_the_retail_prices_api_prices_nodes_by_their_hdinsight_meter_cached_with_its_date(cli, lake_clients):
    import shutil
    assert cli("apply", "datalake", "--auto-approve").exit_code == 0  # the local cloud exists now
    shutil.rmtree(cli.state / "retail-prices")  # the plan of that apply read and cached them: start afresh
    offline = json.loads(runner.invoke(app, ["cost", str(cli.folder / "practice.yaml"), "--json",
                                             "--cloud", "local", "--state-dir", str(cli.state / "none")]).output)
    before = _prices_requests(lake_clients)
    doc = json.loads(_cost(cli, "practice", "--json").output)
    assert doc["source"] == "the local cloud's Retail Prices API (emulated figures), read now"
    assert doc["as_of"] == dt.date.today().isoformat() and doc["complete"] is True and doc["missing"] == []
    assert "includes the VM" in doc["basis"]
    assert doc["hourly"] > offline["hourly"]  # the node's meter, not the VM's price alone
    assert _prices_requests(lake_clients) > before
    # the second time: from the cache, with its date, without asking again
    asked = _prices_requests(lake_clients)
    again = json.loads(_cost(cli, "practice", "--json").output)
    assert again["source"].endswith(", cached") and again["hourly"] == doc["hourly"]
    assert _prices_requests(lake_clients) == asked
    text = _cost(cli, "practice").output
    assert f"Prices: the local cloud's Retail Prices API (emulated figures), cached, of {doc['as_of']}" in text


def test_a_stale_cache_is_used_with_its_date_when_the_api_cannot_be_read(cli, lake_clients):
    assert cli("apply", "datalake", "--auto-approve").exit_code == 0
    _cost(cli, "practice")  # fills the cache
    [cache] = (cli.state / "retail-prices").glob("local-brazilsouth.json")
    doc = json.loads(cache.read_text())
    doc["as_of"] = "2026-01-02"
    cache.write_text(json.dumps(doc))
    lake_clients.emulator.add_fault(service="prices", status=503, count=5)
    result = json.loads(_cost(cli, "practice", "--json").output)
    assert result["source"].endswith(", cached") and result["as_of"] == "2026-01-02"
    assert "could not be read" in result["basis"]


def test_event_hubs_units_bill_by_the_hour_in_plan_cost_and_status(cli):
    assert cli("apply", "datalake", "--auto-approve").exit_code == 0
    cost = json.loads(_cost(cli, "marketing", "--json").output)
    assert cost["eventhubs"]["sku"] == "standard" and cost["eventhubs"]["units"] == 1
    assert cost["eventhubs"]["hourly_usd"] > 0
    assert abs(cost["hourly"] - sum(r["hourly_usd"] for r in cost["roles"]) - cost["eventhubs"]["hourly_usd"]) < 1e-6

    plan = cli("plan", "marketing")
    assert "Event Hubs units: USD 0.03/h" in plan.output
    doc = json.loads(cli("plan", "marketing", "--format", "json").output)
    assert doc["cost"]["eventhubs_hourly"] == cost["eventhubs"]["hourly_usd"]

    absent = cli("status", "marketing")
    assert "cluster: absent (nothing billing" in absent.output
    assert cli("apply", "marketing", "--auto-approve", "--no-ephemeral").exit_code == 0
    status = cli("status", "marketing")
    assert status.exit_code == 0, status.output
    assert "nothing billing" not in status.output
    assert "Event Hubs namespace evhns-bda-marketing: exists, billing USD 0.03 every hour (standard, 1 unit(s))" \
        in status.output
    as_json = json.loads(cli("status", "marketing", "--json").output)
    assert as_json["eventhubs"]["exists"] is True and as_json["eventhubs"]["hourly"] == cost["eventhubs"]["hourly_usd"]
