"""`azlake import` of what the portal built: a file that validates, plans to adoption only, adopts, keeps data."""

from __future__ import annotations

import json

import portal_build
import pytest
from portal_build import LECTURE
from typer.testing import CliRunner


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


def writes_since(clients, seq: int) -> list[str]:
    """Requests that could change something (a POST that only reads, getGatewaySettings, excepted)."""
    return [f"{r['method']} {r['url']}" for r in clients.emulator.request_log(seq)
            if r["method"] not in ("GET", "HEAD") and not r["url"].split("?")[0].endswith("/getGatewaySettings")]


def plan_doc(azlake, path, *extra) -> dict:
    result = azlake("plan", str(path), "--format", "json", *extra)
    ok(result)
    return json.loads(result.stdout)


def test_lecture_environment_is_imported_adopted_and_its_lake_kept(cli, azlake, lake_clients, password, monkeypatch):
    portal_build.lecture(lake_clients, password)
    files = portal_build.lake_files(lake_clients)
    out = cli.folder / "imported.yaml"
    since = lake_clients.emulator.store.last_request_seq()
    result = azlake("import", "--resource-group", LECTURE["group"], "--out", str(out))
    ok(result)
    assert writes_since(lake_clients, since) == []  # import only reads
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
    assert azlake("plan", str(out), "--adopt", "--detailed-exitcode").exit_code == 2
    text_plan = azlake("plan", str(out)).stdout
    assert "  @ cluster (clusterbigdata001) — adopt:" in text_plan and "19 to adopt, 1 unchanged" in text_plan
    markdown = azlake("plan", str(out), "--format", "markdown").stdout
    assert "classDef adopt " in markdown and ":::adopt" in markdown and "| @ adopt | `clusterbigdata001` |" in markdown
    assert "`@` adopt" in markdown  # in the legend
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

    assert "azlake-locks" in filesystems  # the locked commands above leased their lock blob there
    again = cli.folder / "again.yaml"
    ok(azlake("import", "--resource-group", LECTURE["group"], "--out", str(again)))
    assert "azlake-locks" not in again.read_text()  # azlake's own container is not a zone of the lake


def test_a_department_on_a_central_lake_uses_the_imported_lake(cli, azlake, lake_clients, password, monkeypatch):
    from portal_build import CENTRAL
    portal_build.central_lake_and_department(lake_clients, password)
    lake_file, dept_file = cli.folder / "platform.yaml", cli.folder / "ventasimported.yaml"
    result = azlake("import", "-g", CENTRAL["group"], "--out", str(lake_file))
    ok(result)
    assert "dfs-ventas" in result.output and "zones: [landing, universal]" in lake_file.read_text()
    result = azlake("import", "-g", CENTRAL["department_group"], "--out", str(dept_file))
    ok(result)
    text = dept_file.read_text()
    assert "use: platform" in text and "filesystem: dfs-ventas" in text and "username: ventasssh" in text
    monkeypatch.setenv("VENTAS_CLUSTER_PASSWORD", password)
    assert "the plan creates it" in lake_file.read_text()  # a lake without an identity: azlake adds one
    for path in (lake_file, dept_file):
        doc = plan_doc(azlake, path)
        created = {a["address"] for a in doc["actions"] if a["action"] == "create"}
        assert created == ({"identity"} if path == lake_file else set()), created
        assert {a["action"] for a in doc["actions"]} <= {"adopt", "noop", "create"}, doc["actions"]
        ok(azlake("apply", str(path), "--adopt", "--auto-approve"))
        assert azlake("plan", str(path), "--detailed-exitcode").exit_code == 0
    assert {a["action"] for a in plan_doc(azlake, dept_file)["actions"]} == {"noop"}
    ok(azlake("destroy", str(dept_file), "--auto-approve"))
    from azlake.azure import datalake
    assert datalake.get(lake_clients, CENTRAL["account"], "landing", "ventas/pedidos.csv") == b"pedido;total\n7;70\n"
    assert CENTRAL["filesystem"] not in {c.name for c in lake_clients.storage.blob_containers.list(
        CENTRAL["group"], CENTRAL["account"])}


def test_what_azlake_does_not_model_is_listed_and_left_as_it_is(cli, azlake, lake_clients):
    from azure.mgmt.eventhub import models as eh
    from azure.mgmt.storage import models as m
    c, group, loc = lake_clients, "rg-bda-marketing", "brazilsouth"
    hidden = {"hidden-link:/subscriptions/x/resourceGroups/y": "Resource"}  # a tag name the file cannot hold
    c.resources.resource_groups.create_or_update(group, {"location": loc, "tags": {"cost-center": "mkt", **hidden}})
    lake_id = portal_build.storage_account(c, group, "stbdamarketing", loc, tags={"cost-center": "mkt", **hidden})
    c.storage.storage_accounts.update(group, "stbdamarketing", m.StorageAccountUpdateParameters(
        allow_shared_key_access=False, network_rule_set=m.NetworkRuleSet(
            default_action="Deny", ip_rules=[m.IPRule(ip_address_or_range="203.0.113.0/24")])))
    portal_build.assign(c, lake_id, c.principal_id, "Storage Blob Data Contributor")
    portal_build.zones(c, group, "stbdamarketing", {"raw": ["clicks"]})
    c.storage.storage_accounts.begin_create(group, "stbdamarketinglogs", m.StorageAccountCreateParameters(
        sku=m.Sku(name="Standard_GRS"), kind="StorageV2", location=loc)).result()
    _, principal = portal_build.identity(c, group, "id-bda-marketing", loc)
    c.msi.user_assigned_identities.update(group, "id-bda-marketing", {"tags": {"cost-center": "mkt", **hidden}})
    portal_build.assign(c, lake_id, principal, "Storage Blob Data Reader")
    group_id = c.resources.resource_groups.get(group).id
    portal_build.assign(c, group_id, principal, "Reader")
    portal_build.identity(c, group, "id-scanner", loc)
    logs_id = c.storage.storage_accounts.get_properties(group, "stbdamarketinglogs").id
    c.locks.management_locks.create_or_update_by_scope(logs_id, "logslock", {"level": "ReadOnly"})
    c.eventhub.namespaces.begin_create_or_update(group, "evhns-bda-marketing", eh.EHNamespace(
        location=loc, sku=eh.Sku(name="Standard", tier="Standard", capacity=2),
        tags={"cost-center": "mkt", **hidden})).result()
    c.eventhub.event_hubs.create_or_update(group, "evhns-bda-marketing", "clicks", eh.Eventhub(
        partition_count=4, retention_description=eh.RetentionDescription(cleanup_policy="Delete",
                                                                         retention_time_in_hours=48)))
    c.eventhub.consumer_groups.create_or_update(group, "evhns-bda-marketing", "clicks", "spark", eh.ConsumerGroup())
    c.locks.management_locks.create_or_update_at_resource_group_level(group, "nodelete", {"level": "CanNotDelete"})

    out = cli.folder / "marketing-imported.yaml"
    result = azlake("import", "-g", group, "--out", str(out))
    ok(result)
    text = out.read_text()
    for what in ("storage account stbdamarketinglogs", "managed identity id-scanner", "network rules",
                 "shared key access is turned off", "CanNotDelete lock nodelete",
                 "identity id-bda-marketing: Reader on rg-bda-marketing",
                 "ReadOnly lock logslock on stbdamarketinglogs"):
        assert what in result.output and what in text, what
    assert "clicks: {partitions: 4, retention_hours: 48, consumer_groups: [spark]}" in text
    assert "company: bda" in text and "department: marketing" in text  # rg-<company>-<department>
    ok(azlake("validate", str(out)))
    doc = plan_doc(azlake, out)
    # the identity's Reader role: azlake assigns the identity a role only for a cluster, so it stays as it is
    assert "identity id-bda-marketing: Storage Blob Data Reader" in text
    assert {a["address"] for a in doc["actions"] if a["action"] not in ("adopt", "noop")} == set()
    ok(azlake("apply", str(out), "--adopt", "--auto-approve"))
    assert azlake("plan", str(out), "--detailed-exitcode").exit_code == 0
    account = c.storage.storage_accounts.get_properties(group, "stbdamarketing")
    assert str(account.network_rule_set.default_action).endswith(("Deny", "DENY")) and \
        account.allow_shared_key_access is False and account.tags["managed-by"] == "azlake"
    assert not (c.storage.storage_accounts.get_properties(group, "stbdamarketinglogs").tags or {})
    assert not (c.msi.user_assigned_identities.get(group, "id-scanner").tags or {})
    assert "tags: {cost-center: mkt}" in text  # on every resource; the hidden-link tag stays in Azure only
    assert "hidden-link" not in text and c.resources.resource_groups.get(group).tags.keys() >= hidden.keys()


def test_listing_a_large_lake_is_bounded(cli, azlake, lake_clients):
    c, group, account = lake_clients, "rg-bda-archive", "stbdaarchive"
    c.resources.resource_groups.create_or_update(group, {"location": "brazilsouth"})
    lake_id = portal_build.storage_account(c, group, account, "brazilsouth")
    portal_build.assign(c, lake_id, c.principal_id, "Storage Blob Data Contributor")
    tops = [f"anio{y:04d}" for y in range(40)]
    portal_build.zones(c, group, account, {"historico": [f"{t}/{m}" for t in tops for m in ("01", "02")]})

    def listings(since: int) -> int:
        return sum(1 for r in c.emulator.request_log(since) if r["method"] == "GET" and "historico" in r["url"]
                   and "resource=filesystem" in r["url"])

    since = c.emulator.store.last_request_seq()
    out = cli.folder / "archive.yaml"
    ok(azlake("import", "-g", group, "--out", str(out)))
    assert listings(since) == 1 and writes_since(c, since) == []  # depth 1: one page of the top level
    assert "historico: [anio0000, anio0001," in out.read_text() and "anio0000/01" not in out.read_text()

    since = c.emulator.store.last_request_seq()
    deep = cli.folder / "archive-deep.yaml"
    result = azlake("import", "-g", group, "--out", str(deep), "--depth", "2", "--max-directories", "50")
    ok(result)
    text = deep.read_text()
    assert "listing stopped at 50 directories" in text and "anio0000/01" in text
    listed = [p.strip() for p in text.split("historico: [", 1)[1].split("]", 1)[0].split(",")]
    assert len(listed) <= 50 and {p.split("/")[0] for p in listed} == set(tops)  # every top directory stays
    assert listings(since) <= 1 + 11  # the top level, then one page per directory expanded
    ok(azlake("validate", str(deep)))


def test_without_a_data_role_the_zones_come_without_directories_and_say_why(cli, azlake, lake_clients, password,
                                                                             monkeypatch):
    portal_build.lecture(lake_clients, password, keep_browse_role=False)
    out = cli.folder / "nodata.yaml"
    result = azlake("import", "-g", LECTURE["group"], "--out", str(out))
    ok(result)
    text = out.read_text()
    assert "you hold no data role on the lake" in text and "deployer_access: false" in text
    assert "zones: [landing, landingtmp, smart, universal]" in text and "directories:" not in text
    monkeypatch.setenv("BDA000_CLUSTER_PASSWORD", password)
    doc = plan_doc(azlake, out)
    assert {a["action"] for a in doc["actions"]} <= {"adopt", "noop"}, doc["actions"]
    by_cluster = azlake("import", "--cluster", LECTURE["cluster"])  # the same group, found from its cluster
    ok(by_cluster)
    assert "resource_group: {name: grbigdatauserbda000}" in by_cluster.stdout
    assert azlake("import", "--storage-account", "nosuchaccount").exit_code == 1
