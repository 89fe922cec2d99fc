"""The practice environment through the CLI: apply, no-op plan, destroy keeps the lake, apply again, destroy --all."""

from __future__ import annotations

from e2e_support import changed, owned_anything, plan_json

from azlake.azure import datalake

ACCOUNT = "storagebigdatauserbda000"
CLUSTER_PART = {"cluster", "cluster.filesystem", "cluster.dir[objects/inputs]", "cluster.dir[objects/outputs]",
                "cluster.dir[objects/scripts]"}


def test_practice_lifecycle(cli, lake_clients, password):
    first = cli("apply", "practice", "--auto-approve")
    assert first.exit_code == 0, first.output + first.error
    assert first.output.splitlines()[0] == ("azlake apply: cloud local, subscription "
                                            "00000000-0000-0000-0000-000000000000, environment bda000")
    assert "Apply complete: 20 created" in first.output
    assert cli("plan", "practice", "--detailed-exitcode").exit_code == 0

    datalake.put(lake_clients, ACCOUNT, "landing", "transaccion/transacciones.data", b"id;monto\n1;10\n")
    gone = cli("destroy", "practice", "--auto-approve")
    assert gone.exit_code == 0, gone.output + gone.error
    assert datalake.get(lake_clients, ACCOUNT, "landing", "transaccion/transacciones.data") == b"id;monto\n1;10\n"
    assert cli("plan", "practice", "--detailed-exitcode").exit_code == 2
    assert changed(plan_json(cli, "practice")) == CLUSTER_PART

    again = cli("apply", "practice", "--auto-approve")
    assert again.exit_code == 0 and "Apply complete: 5 created" in again.output, again.output + again.error
    assert cli("plan", "practice", "--detailed-exitcode").exit_code == 0

    everything = cli("destroy", "practice", "--all", "--auto-approve")
    assert everything.exit_code == 0, everything.output + everything.error
    assert owned_anything(lake_clients, "bda000") == []
    assert lake_clients.resources.resource_groups.check_existence("grbigdatauserbda000") is False
    for result in (first, gone, again, everything):
        assert password not in result.output


def test_json_plan_shape_and_saved_plan(cli, tmp_path, password):
    doc = plan_json(cli, "practice")
    assert doc["format_version"] == 1 and doc["environment"] == "bda000" and doc["cloud"] == "local"
    assert set(doc) == {"format_version", "environment", "cloud", "subscription", "actions", "summary", "cost",
                        "warnings"}
    cluster = next(a for a in doc["actions"] if a["address"] == "cluster")
    assert set(cluster) == {"address", "type", "name", "id", "action", "lifecycle", "changes", "reason",
                            "refused", "depends_on"}
    assert cluster["type"] == "Microsoft.HDInsight/clusters" and cluster["lifecycle"] == "ephemeral"
    assert cluster["depends_on"] == ["identity.role[Storage Blob Data Owner]", "cluster.filesystem"]
    assert {"path": "nodes.worker.count", "before": None, "after": 1} in cluster["changes"]
    assert doc["summary"] == {"create": 20, "update": 0, "replace": 0, "delete": 0, "adopt": 0, "noop": 0,
                              "refused": 0}
    assert doc["cost"]["currency"] == "USD" and doc["cost"]["hourly"] > 0

    saved = tmp_path / "plan.json"
    assert cli("plan", "practice", "--out", str(saved)).exit_code == 0
    assert password not in saved.read_text()
    from typer.testing import CliRunner

    from azlake.cli.main import app
    result = CliRunner().invoke(app, ["apply", str(saved)])  # a plan file needs no --auto-approve
    assert result.exit_code == 0, result.output
    stale = CliRunner().invoke(app, ["apply", str(saved)])  # the state moved: it was applied
    assert stale.exit_code == 1 and "no longer matches" in str(stale.exception)


def test_markdown_plan_has_a_mermaid_diagram(cli):
    result = cli("plan", "practice", "--format", "markdown")
    assert result.exit_code == 0
    assert "```mermaid" in result.output and ":::create" in result.output
    assert "| + create | `clusterbigdata001` | `cluster` |" in result.output


def test_non_interactive_apply_needs_approval(cli):
    result = cli("apply", "practice")
    assert result.exit_code == 1 and "--auto-approve" in result.error
    assert cli("plan", "practice", "--detailed-exitcode").exit_code == 2  # nothing was created
