"""The Markdown plan a reviewer reads: names, groups, classes, old -> new values, cost, escaping; and the JSON."""

from __future__ import annotations

import json

from e2e_support import plan_json
from markdown_reading import code_text, mermaid_nodes, table_rows

from azlake.cli import mermaid

HOSTILE = ["a<b>c", "x#35;y", "pipe|dir", "back`tick`s", 'say "hi"', "*star*_u_", "a&lt;b", "semi;colon:x"]


def markdown(cli, env_name: str = "practice") -> tuple[int, str]:
    result = cli("plan", env_name, "--format", "markdown")
    return result.exit_code, result.output


def rows_by_address(md: str) -> dict[str, list[str]]:
    return {code_text(r[2]): r for r in table_rows(md) if r[2].startswith("`")}


def test_a_fresh_plan_names_every_node_and_groups_them(cli):
    code, md = markdown(cli)
    assert code == 0, md
    assert "**Plan:** 20 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged." in md
    shown = {text: kind for kind, text in mermaid_nodes(md).values()}
    assert shown["+ storagebigdatauserbda000\ndata_lake.account"] == "create"
    assert shown["+ clusterbigdata001\ncluster"] == "create"
    assert shown["+ bigdatauserbda000\nidentity"] == "create"
    assert shown["+ dfs\ncluster.filesystem"] == "create"
    assert shown["+ data_lake.zone[landing]"] == "create"  # the address already holds the name
    assert len(shown) == 20
    block = md.split("```mermaid\n")[1].split("```")[0]
    for title in ("identity bigdatauserbda000 and its role", "data lake storagebigdatauserbda000 and its zones",
                  "cluster clusterbigdata001 and its working filesystem"):
        assert f'["{title}"]' in block
    lake = block.split('subgraph g_lake["data lake storagebigdatauserbda000 and its zones"]')[1].split("  end")[0]
    assert lake.count(":::create") == 12 and "zone[smart]" in lake and "dir[smart/reporte]" in lake
    cluster = block.split("and its working filesystem\"]")[1].split("  end")[0]
    assert "cluster.filesystem" in cluster and "cluster.dir[objects/inputs]" in cluster
    assert f"  classDef create {mermaid.CLASSES['create']}" in block and "color:#0b3d17" in block
    assert md.count("Legend: `+` create; an arrow points") == 1
    row = rows_by_address(md)["cluster"]
    assert row[0] == "+ create" and code_text(row[1]) == "clusterbigdata001" and row[4] == "does not exist"
    doc = plan_json(cli, "practice")
    assert {k: doc["cost"]["before"][k] for k in ("hourly", "vcpus", "ram_gib")} == \
        {"hourly": 0.0, "vcpus": 0, "ram_gib": 0.0}  # no cluster yet
    assert f"**Estimated cluster cost:** USD 0.00/hour → USD {doc['cost']['hourly']:.2f}/hour (12 vCPU, 60 GiB" in md


def test_an_update_with_a_refused_change_shows_old_and_new_and_the_refusal_apart(cli):
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    applied = plan_json(cli, "practice")["cost"]  # the file's cluster, as it now exists
    practice = cli.folder / "practice.yaml"
    practice.write_text(practice.read_text().replace("performance: standard", "performance: premium")
                        .replace("worker: {size: Standard_E2_v3, count: 1}",
                                 "worker: {size: Standard_E2_v3, count: 3}"))
    code, md = markdown(cli)
    assert code == 1
    assert "**Plan:** 0 to create, 1 to update, 0 to replace, 0 to delete, 18 unchanged, 1 refused." in md
    nodes = {text: kind for kind, text in mermaid_nodes(md).values()}
    assert nodes["! storagebigdatauserbda000\ndata_lake.account"] == "refused"
    assert nodes["~ clusterbigdata001\ncluster"] == "update"
    assert nodes["= dfs\ncluster.filesystem"] == "noop"
    rows = rows_by_address(md)
    assert rows["data_lake.account"][0] == "! **refused**"
    assert rows["data_lake.account"][3] == "`performance`: `standard` → `premium`"
    assert rows["cluster"][0] == "~ update" and rows["cluster"][3] == "`nodes.worker.count`: `1` → `3`"
    assert "Legend: `~` update in place · `!` refused · `=` unchanged;" in md
    assert "<details><summary>18 unchanged</summary>" in md
    assert "> **refused:** data\\_lake.account (storagebigdatauserbda000): performance:" in md

    result = cli("plan", "practice", "--format", "json")
    doc = json.loads(result.output)
    assert doc["summary"] == {"create": 0, "update": 2, "replace": 0, "delete": 0, "adopt": 0, "noop": 18,
                              "refused": 1}
    by = {a["address"]: a for a in doc["actions"]}
    assert by["data_lake.account"]["refused"].startswith("data_lake.account (storagebigdatauserbda000): performance")
    assert by["cluster"]["refused"] is None
    assert by["cluster"]["changes"] == [{"path": "nodes.worker.count", "before": 1, "after": 3}]
    was = {k: applied[k] for k in ("hourly", "vcpus", "ram_gib")}
    assert {k: doc["cost"]["before"][k] for k in was} == was  # read from the cluster Azure has
    assert doc["cost"]["hourly"] > was["hourly"] and doc["cost"]["vcpus"] > was["vcpus"]
    assert (f"**Estimated cluster cost:** USD {was['hourly']:.2f}/hour → USD {doc['cost']['hourly']:.2f}/hour"
            in md)


def test_after_destroy_and_with_nothing_to_change(cli):
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    code, same = markdown(cli)
    assert code == 0 and "**Plan:** 0 to create, 0 to update, 0 to replace, 0 to delete, 20 unchanged." in same
    hourly = plan_json(cli, "practice")["cost"]["hourly"]
    assert f"USD {hourly:.2f}/hour, unchanged" in same
    details = same.split("<details><summary>Diagram and resources (nothing changes)</summary>")[1]
    assert "```mermaid" in details and "| = noop | `clusterbigdata001` | `cluster` |" in details
    assert "```mermaid" not in same.split("<details>")[0]  # nothing to review: the picture is one click away

    assert cli("destroy", "practice", "--auto-approve").exit_code == 0
    code, after = markdown(cli)
    assert code == 0 and "**Plan:** 5 to create, 0 to update, 0 to replace, 0 to delete, 15 unchanged." in after
    assert f"**Estimated cluster cost:** USD 0.00/hour → USD {hourly:.2f}/hour" in after
    assert {kind for kind, text in mermaid_nodes(after).values() if "cluster" in text} == {"create"}
    assert "```mermaid" in after.split("<details>")[0]


def test_hostile_directory_names_are_shown_as_written(cli):
    practice = cli.folder / "practice.yaml"
    quoted = ", ".join(json.dumps(name) for name in HOSTILE)
    practice.write_text(practice.read_text().replace("smart: [reporte]", f"smart: [reporte, {quoted}]"))
    code, md = markdown(cli)
    assert code == 0, md
    shown = [text for _, text in mermaid_nodes(md).values()]
    for name in HOSTILE:
        assert f"+ data_lake.dir[smart/{name}]" in shown, (name, shown)
    rows = rows_by_address(md)
    for name in HOSTILE:
        row = rows[f"data_lake.dir[smart/{name}]"]
        assert len(row) == 5 and code_text(row[1]) == name and row[4] == "does not exist"
    block = md.split("```mermaid\n")[1].split("```")[0]
    assert "<b>" not in block and "x#35;y" not in block and 'say "hi"' not in block


def test_a_secret_in_a_value_is_masked_in_every_format(cli, password):
    practice = cli.folder / "practice.yaml"
    practice.write_text(practice.read_text().replace(
        "identity: {name: bigdatauserbda000}",
        f'identity: {{name: bigdatauserbda000}}\ntags: {{note: "pasted {password} here", api-key: k-123}}'))
    doc = plan_json(cli, "practice")
    group = next(a for a in doc["actions"] if a["address"] == "resource_group")
    changes = {c["path"]: c["after"] for c in group["changes"]}
    assert changes["tags.note"] == "(secret)" and changes["tags.api-key"] == "(secret)"
    assert changes["tags.owner"] == "data-platform"  # other values are shown
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    practice.write_text(practice.read_text().replace("api-key: k-123", "api-key: k-456"))
    for fmt in ("text", "markdown", "json"):
        out = cli("plan", "practice", "--format", fmt).output
        assert password not in out and "k-456" not in out and "k-123" not in out, fmt
    md = cli("plan", "practice", "--format", "markdown").output
    assert rows_by_address(md)["resource_group"][3] == "`tags.api-key`: `(secret)` → `(secret)`"


def folder_markdown(cli) -> tuple[int, str]:
    from typer.testing import CliRunner

    from azlake.cli.main import app
    result = CliRunner().invoke(app, ["plan", str(cli.folder), "--format", "markdown"])
    return result.exit_code, result.output


def test_a_folder_plan_starts_with_its_summary_and_the_fleet_before_and_after_the_central_lake(cli, password):
    from azlake.envfile.load import load_environment
    from azlake.plan.planner import estimate_cost
    code, md = folder_markdown(cli)
    assert code == 0, md
    summary, first_diagram = md.split("```mermaid\n", 1)[0], md.split("```mermaid\n")[1].split("```")[0]
    assert summary.startswith(f"### azlake plan of `{cli.folder}`: 4 environment file(s)")
    assert "**Plan:** 4 file(s): 2 with changes, 0 unchanged, 2 planned later, 0 failed." in summary
    rows = {code_text(r[1]): r for r in table_rows(summary)[1:]}  # after the header row
    assert rows[str(cli.folder / "datalake.yaml")][2:] == ["18 to create", "none"]
    ventas = load_environment(cli.folder / "ventas.yaml", env={"VENTAS_CLUSTER_PASSWORD": password})
    assert rows[str(cli.folder / "ventas.yaml")][2].startswith("planned once datalake (its central lake) is applied")
    lower = estimate_cost(ventas.spec)  # the packaged catalog's VM prices: a lower bound
    assert rows[str(cli.folder / "ventas.yaml")][3] == f"≥ {lower['cluster_hourly']:.2f} once created"
    assert "`?` planned later" in summary.split("Legend:")[1].splitlines()[0]
    nodes = mermaid_nodes(first_diagram)  # the fleet overview comes first
    assert nodes["e0_lake"] == ("create", "+ stbdaplatformdatalake\ndata lake, 4 zones")
    assert nodes["e3_identity"] == ("pending", "? id-bda-ventas\nidentity")
    assert nodes["e1_streaming"] == ("pending", "? evhns-bda-marketing\nEvent Hubs, 1 hub(s)")
    assert nodes["e2_lake"][1] == "+ storagebigdatauserbda000\ndata lake, 4 zones"  # practice keeps its own lake
    assert '  e3_identity -->|"Storage Blob Data Owner"| e0_lake' in first_diagram
    assert '  e3_cluster -->|"works in dfs-ventas"| e0_lake' in first_diagram
    assert '  e2_cluster -->|"works in dfs"| e2_lake' in first_diagram
    assert md.count("```mermaid") == 3  # the overview, then the two environments planned now
    assert "<details open><summary><b>datalake</b>" in md and "<details open><summary><b>ventas</b>" in md
    ventas_summary = md.split("<summary><b>ventas</b>")[1].split("</summary>")[0]
    assert "<code>azlake apply</code>" in ventas_summary and "`" not in ventas_summary  # HTML: no literal backticks

    lake = cli("apply", "datalake", "--auto-approve")
    assert lake.exit_code == 0, lake.output + lake.error
    code, md = folder_markdown(cli)
    assert code == 0, md
    assert "**Plan:** 4 file(s): 3 with changes, 1 unchanged, 0 planned later, 0 failed." in md
    nodes = mermaid_nodes(md.split("```mermaid\n")[1].split("```")[0])
    assert nodes["e0_lake"][0] == "noop" and nodes["e3_identity"] == ("create", "+ id-bda-ventas\nidentity")
    assert nodes["e3_cluster"] == ("create", "+ hdi-bda-ventas\nephemeral Spark cluster, 8 nodes")
    assert md.count("```mermaid") == 5
    assert "<details><summary><b>datalake</b>" in md  # nothing changes there: collapsed
    ventas_part = md.split("<details open><summary><b>ventas</b>")[1].split("</details>")[0]
    assert 'subgraph g_lake["central lake stbdaplatformdatalake (environment datalake)"]' in ventas_part
    assert "**Plan:** 8 to create, 0 to update, 0 to replace, 0 to delete, 1 unchanged." in ventas_part


def test_a_folder_plan_shows_a_broken_file_as_failed_with_its_diagnostics(cli):
    (cli.folder / "broken.yaml").write_text("name: broken\nlocation: brazilsouth\nsubscription: x\n"
                                            "bogus_key: <b>1</b>\n")
    code, md = folder_markdown(cli)
    assert code == 1
    row = next(r for r in table_rows(md) if r[1] == f"`{cli.folder / 'broken.yaml'}`")
    assert row[0] == "" and row[2].startswith("**FAILED**: ") and "error(s) in the file" in row[2]
    part = md.split(f"<details open><summary><b>broken.yaml</b> (<code>{cli.folder / 'broken.yaml'}</code>): FAILED")[1]
    assert "bogus\\_key" in part.split("</details>")[0] and "<b>1" not in md  # the diagnostic, escaped


def test_the_images_the_plan_docs_show_are_in_the_repository():
    import re
    from pathlib import Path
    docs = Path(__file__).resolve().parents[2] / "docs"
    shown = re.findall(r'(?:src|srcset)="([^"]+)"', (docs / "plan-format.md").read_text())
    assert {Path(p).name for p in shown} == {f"plan-{n}-{t}.png" for n in ("update", "fleet")
                                             for t in ("light", "dark")}
    for path in shown:
        assert (docs / path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path


def test_a_resource_to_adopt_has_its_own_class_and_shows_the_marks_it_would_gain(cli, lake_clients):
    lake_clients.resources.resource_groups.create_or_update("grbigdatauserbda000", {"location": "brazilsouth"})
    code, md = markdown(cli)
    assert code == 0, md
    nodes = {text: kind for kind, text in mermaid_nodes(md).values()}
    assert nodes["@ grbigdatauserbda000\nresource_group"] == "adopt"
    assert "  classDef adopt " in md and "`@` adopt" in md.split("Legend:")[1].splitlines()[0]
    row = rows_by_address(md)["resource_group"]
    assert row[0] == "@ adopt" and "`tags.managed-by`: `(none)` → `azlake`" in row[3]
