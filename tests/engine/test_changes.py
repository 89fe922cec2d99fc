"""In-place changes through each provider with real SDK clients, orphans, and the served (HTTPS) path."""

from __future__ import annotations

import shutil

import pytest

from azlake.engine import apply_plan, plan_environment
from azlake.envfile.load import load_environment
from azlake.execute.progress import NullDisplay


@pytest.fixture
def edit(tmp_path, load, secret_env):
    """edit("practice", old, new) -> the environment with one text replacement, in a copy of the folder."""
    def _edit(name: str, *replacements: tuple[str, str]):
        original = load(name).path
        folder = tmp_path / "environments"
        if not folder.exists():
            shutil.copytree(original.parent, folder)
        text = (folder / original.name).read_text()
        for old, new in replacements:
            assert old in text, old
            text = text.replace(old, new)
        (folder / original.name).write_text(text)
        return load_environment(folder / original.name, env=secret_env)
    return _edit


def applied(loaded, clients):
    apply_plan(plan_environment(loaded, clients), clients, NullDisplay())
    after = plan_environment(loaded, clients)
    assert not after.has_changes, [(a.address, a.reason) for a in after.actions if a.verb != "noop"]
    return after


def only_change(plan) -> tuple[str, str, list[str]]:
    [a] = [a for a in plan.actions if a.verb != "noop"]
    return a.address, a.verb, [c.path for c in a.changes]


def test_redundancy_lrs_to_grs_in_place(load, edit, clients):
    applied(load("practice"), clients)
    grs = edit("practice", ("redundancy: LRS", "redundancy: GRS"))
    assert only_change(plan_environment(grs, clients)) == ("data_lake.account", "update", ["redundancy"])
    applied(grs, clients)
    sku = clients.storage.storage_accounts.get_properties("grbigdatauserbda000", "storagebigdatauserbda000").sku
    assert sku.name == "Standard_GRS"


def test_autoscale_in_place(load, edit, clients):
    applied(load("practice"), clients)
    auto = edit("practice", ("    worker: {size: Standard_E2_v3, count: 1}\n",
                             "    worker: {size: Standard_E2_v3, count: 3}\n  autoscale: {min: 3, max: 5}\n"))
    address, kind, paths = only_change(plan_environment(auto, clients))
    assert (address, kind) == ("cluster", "update") and "autoscale" in paths
    applied(auto, clients)
    c = clients.hdinsight.clusters.get("grbigdatauserbda000", "clusterbigdata001")
    worker = [r for r in c.properties.compute_profile.roles if r.name == "workernode"][0]
    assert worker.autoscale_configuration.capacity.max_instance_count == 5


def test_soft_delete_days_and_tags_in_place(load, edit, clients):
    applied(load("practice"), clients)
    changed = edit("practice", ("soft_delete_days: 7", "soft_delete_days: 14"))
    assert only_change(plan_environment(changed, clients)) == ("data_lake.soft_delete", "update",
                                                                ["soft_delete_days"])
    applied(changed, clients)


def test_cluster_size_change_replaces_the_ephemeral_cluster(load, edit, clients, emulator):
    applied(load("practice"), clients)
    bigger = edit("practice", ("worker: {size: Standard_E2_v3", "worker: {size: Standard_E4_v3"))
    assert only_change(plan_environment(bigger, clients)) == ("cluster", "replace", ["nodes.worker.size"])
    applied(bigger, clients)
    methods = [r["method"] for r in emulator.request_log()
               if r["method"] in ("PUT", "DELETE") and r["url"].split("?")[0].endswith("/clusters/clusterbigdata001")]
    assert methods == ["PUT", "DELETE", "PUT"]


def test_persistent_cluster_is_never_replaced(load, edit, clients):
    persistent = edit("practice", ("lifecycle: ephemeral", "lifecycle: persistent"))
    applied(persistent, clients)
    bigger = edit("practice", ("worker: {size: Standard_E2_v3", "worker: {size: Standard_E4_v3"))
    plan = plan_environment(bigger, clients)
    assert any("never replaces a persistent resource" in r for r in plan.refusals)


def test_removed_resource_is_reported_as_orphan_and_kept(load, edit, clients):
    applied(load("practice"), clients)
    renamed = edit("practice", ("identity: {name: bigdatauserbda000}", "identity: {name: bigdatauserbda001}"))
    plan = plan_environment(renamed, clients)
    assert any(w.startswith("orphaned:") and "bigdatauserbda000" in w for w in plan.warnings)
    applied(renamed, clients)
    assert clients.msi.user_assigned_identities.get("grbigdatauserbda000", "bigdatauserbda000").name


def test_event_hubs_capacity_in_place(load, edit, clients):
    applied(load("datalake"), clients)
    applied(load("marketing"), clients)
    more = edit("marketing", ("capacity: 1", "capacity: 2"))
    assert only_change(plan_environment(more, clients)) == ("streaming.namespace", "update", ["capacity"])
    applied(more, clients)


def test_apply_over_https_converges(load, served):
    applied(load("practice"), served)


def test_cluster_creation_is_prevalidated_by_azure(load, edit, clients):
    from azlake.engine import destroy_environment
    loaded = load("practice")
    applied(loaded, clients)
    destroy_environment(loaded, clients, NullDisplay())
    assert plan_environment(loaded, clients).refusals == []
    huge = edit("practice", ("worker: {size: Standard_E2_v3, count: 1}", "worker: {size: Standard_E64_v3, count: 20}"))
    plan = plan_environment(huge, clients)
    assert any("QuotaExceeded" in r for r in plan.refusals), plan.refusals
