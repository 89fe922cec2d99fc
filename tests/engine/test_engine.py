"""The engine API end to end on the emulator with real SDK clients: plan, apply, converge, destroy."""

from __future__ import annotations

import pytest

from azlake.engine import apply_plan, destroy_environment, plan_destroy, plan_environment
from azlake.errors import AzlakeError
from azlake.execute.progress import NullDisplay

_SECRETS: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _remember_secrets(secret_env):
    _SECRETS.clear()
    _SECRETS.update(secret_env)


def kinds(plan) -> dict[str, str]:
    return {a.address: a.verb for a in plan.actions}


def test_apply_converges_and_every_resource_is_tagged(load, clients):
    loaded = load("practice")
    plan = plan_environment(loaded, clients)
    assert set(kinds(plan).values()) == {"create"}
    apply_plan(plan, clients, NullDisplay())
    again = plan_environment(loaded, clients)
    assert set(kinds(again).values()) == {"noop"}, [(a.address, a.reason) for a in again.actions if a.verb != "noop"]
    assert all(a.reason for a in again.actions)
    top = {"Microsoft.Storage/storageAccounts", "Microsoft.HDInsight/clusters",
           "Microsoft.ManagedIdentity/userAssignedIdentities"}
    found = [r for r in clients.resources.resources.list_by_resource_group("grbigdatauserbda000") if r.type in top]
    assert len(found) == 3
    for res in found:
        assert res.tags["managed-by"] == "azlake" and res.tags["azlake-environment"] == "bda000"


def test_no_op_plan_reads_each_resource_once_and_writes_nothing(load, clients, emulator):
    loaded = load("practice")
    apply_plan(plan_environment(loaded, clients), clients, NullDisplay())
    mark = len(emulator.request_log())
    plan = plan_environment(loaded, clients)
    log = emulator.request_log()[mark:]
    # getGatewaySettings is a POST that only reads (Azure's API shape): the password is compared, not changed
    writes = [r for r in log if r["method"] not in ("GET", "HEAD") and not r["url"].split("?")[0].endswith(
        "/getGatewaySettings")]
    assert writes == []
    assert len(log) <= len(plan.actions) + 2  # one read per resource, the gateway credential, the orphans listing


def test_role_assignment_has_deterministic_name_and_service_principal_type(load, clients):
    loaded = load("practice")
    apply_plan(plan_environment(loaded, clients), clients, NullDisplay())
    scope = plan_environment(loaded, clients).by_address()["data_lake.account"].resource.id
    found = [a for a in clients.authorization.role_assignments.list_for_scope(scope)
             if a.role_definition_id.endswith("b7e6dc6d-f1e8-4753-8033-0f276bb0955b")]
    assert len(found) == 1 and found[0].principal_type == "ServicePrincipal"
    from azlake.azure.roles import role_assignment_name
    from azlake.catalog import role_definition_id
    rd = f"/subscriptions/{clients.target.subscription}/providers/Microsoft.Authorization/roleDefinitions/" \
         f"{role_definition_id('Storage Blob Data Owner')}"
    assert found[0].name == role_assignment_name(scope, found[0].principal_id, rd)


def test_lake_protection(load, clients):
    loaded = load("practice")
    apply_plan(plan_environment(loaded, clients), clients, NullDisplay())
    acct = clients.storage.storage_accounts.get_properties("grbigdatauserbda000", "storagebigdatauserbda000")
    assert acct.enable_https_traffic_only and acct.minimum_tls_version == "TLS1_2"
    assert acct.allow_blob_public_access is False and acct.is_hns_enabled
    blob = clients.storage.blob_services.get_service_properties("grbigdatauserbda000", "storagebigdatauserbda000")
    assert blob.delete_retention_policy.days == 7 and blob.container_delete_retention_policy.days == 7
    locks = list(clients.locks.management_locks.list_at_resource_group_level("grbigdatauserbda000"))
    assert [(lock.level, lock.id.split("/providers/Microsoft.Authorization")[0].rsplit("/", 1)[-1])
            for lock in locks] == [("CanNotDelete", "storagebigdatauserbda000")]


def test_worker_count_is_an_in_place_resize(load, clients, secret_env, tmp_path):
    loaded = load("practice")
    apply_plan(plan_environment(loaded, clients), clients, NullDisplay())
    text = (loaded.path.read_text().replace("worker: {size: Standard_E2_v3, count: 1}",
                                            "worker: {size: Standard_E2_v3, count: 3}"))
    changed = _copy_env(tmp_path, loaded.path, text)
    plan = plan_environment(changed, clients)
    cluster = plan.by_address()["cluster"]
    assert cluster.verb == "update" and [c.path for c in cluster.changes] == ["nodes.worker.count"]
    apply_plan(plan, clients, NullDisplay())
    c = clients.hdinsight.clusters.get("grbigdatauserbda000", "clusterbigdata001")
    workers = [r for r in c.properties.compute_profile.roles if r.name == "workernode"][0]
    assert workers.target_instance_count == 3
    assert set(kinds(plan_environment(changed, clients)).values()) == {"noop"}


def test_storage_change_azure_cannot_make_is_refused(load, clients, tmp_path):
    loaded = load("practice")
    apply_plan(plan_environment(loaded, clients), clients, NullDisplay())
    changed = _copy_env(tmp_path, loaded.path, loaded.path.read_text().replace("performance: standard",
                                                                              "performance: premium"))
    plan = plan_environment(changed, clients)
    assert any("copy the data" in r for r in plan.refusals)
    with pytest.raises(AzlakeError, match="will not make"):
        apply_plan(plan, clients, NullDisplay())


def test_default_destroy_keeps_the_lake_and_its_data(load, clients):
    from azlake.azure import datalake
    loaded = load("practice")
    apply_plan(plan_environment(loaded, clients), clients, NullDisplay())
    datalake.put(clients, "storagebigdatauserbda000", "landing", "transaccion/t.data", b"1;2;3\n")
    destroy_environment(loaded, clients, NullDisplay())
    assert datalake.get(clients, "storagebigdatauserbda000", "landing", "transaccion/t.data") == b"1;2;3\n"
    plan = plan_environment(loaded, clients)
    assert {a for a, k in kinds(plan).items() if k != "noop"} == {
        "cluster", "cluster.filesystem", "cluster.dir[objects/inputs]", "cluster.dir[objects/outputs]",
        "cluster.dir[objects/scripts]"}


def test_unpublished_outputs_stop_destroy(load, clients):
    from azlake.azure import datalake
    loaded = load("practice")
    apply_plan(plan_environment(loaded, clients), clients, NullDisplay())
    datalake.put(clients, "storagebigdatauserbda000", "dfs", "objects/outputs/r.csv", b"x\n")
    datalake.put(clients, "storagebigdatauserbda000", "dfs", "objects/outputs/ok.csv", b"y\n",
                 metadata={"azlake_published_to": "smart/reporte/ok.csv"})
    plan = plan_destroy(loaded, clients)
    assert plan.refusals and "objects/outputs/r.csv" in plan.refusals[0] and "ok.csv" not in plan.refusals[0]
    with pytest.raises(AzlakeError):
        apply_plan(plan, clients, NullDisplay())
    destroy_environment(loaded, clients, NullDisplay(), discard_outputs=True)
    assert list(datalake.ls(clients, "storagebigdatauserbda000", "dfs")) == []


def test_resources_without_our_tags_are_never_touched(load, clients):
    loaded = load("practice")
    clients.resources.resource_groups.create_or_update("grbigdatauserbda000", {"location": "brazilsouth"})
    clients.msi.user_assigned_identities.create_or_update("grbigdatauserbda000", "bigdatauserbda000",
                                                          {"location": "brazilsouth", "tags": {"team": "x"}})
    plan = plan_environment(loaded, clients)
    assert kinds(plan)["identity"] == "adopt" and "without azlake's marks" in plan.by_address()["identity"].reason
    apply_plan(plan, clients, NullDisplay())
    ident = clients.msi.user_assigned_identities.get("grbigdatauserbda000", "bigdatauserbda000")
    assert ident.tags == {"team": "x"}
    destroy_environment(loaded, clients, NullDisplay(), all=True, discard_outputs=True)
    assert clients.msi.user_assigned_identities.get("grbigdatauserbda000", "bigdatauserbda000").name
    assert clients.resources.resource_groups.check_existence("grbigdatauserbda000")


def _copy_env(tmp_path, original, text):
    """The environments folder copied (partials, jobs) with one file changed, loaded with the same secrets."""
    import shutil

    from azlake.envfile.load import load_environment
    folder = tmp_path / "environments"
    shutil.copytree(original.parent, folder)
    (folder / original.name).write_text(text)
    return load_environment(folder / original.name, env=_SECRETS)


def test_deployer_principal_type_follows_the_signed_in_principal(clients):
    """A person (az login) gets principalType User, a pipeline's identity ServicePrincipal."""
    import base64
    import json

    from azure.core.credentials import AccessToken

    from azlake.azure.roles import principal_type
    from azlake.plan.resources import Resource

    class SignedIn:
        def __init__(self, claims: dict) -> None:
            self.claims = claims

        def get_token(self, *scopes, **kwargs) -> AccessToken:
            body = base64.urlsafe_b64encode(json.dumps(self.claims).encode()).decode().rstrip("=")
            return AccessToken(f"e30.{body}.", 2**31)

    deployer = Resource("data_lake.deployer_access", "role", "T", "n", None, "persistent", {},
                        context={"principal": "deployer"})
    identity = Resource("identity.role[x]", "role", "T", "n", None, "persistent", {}, context={"principal": "identity"})
    clients.__dict__["credential"] = SignedIn({"oid": "o", "idtyp": "user", "upn": "ana@contoso.com"})
    assert principal_type(clients, deployer) == "User"
    assert principal_type(clients, identity) == "ServicePrincipal"
    clients.__dict__["credential"] = SignedIn({"oid": "o", "idtyp": "app"})
    assert principal_type(clients, deployer) == "ServicePrincipal"
