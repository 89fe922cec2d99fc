"""Reads by list (Kind.listing_key): one list answers for many resources exactly as their own reads would."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from azlake.azure.registry import kind_of
from azlake.engine import apply_plan, plan_environment
from azlake.execute.progress import NullDisplay
from azlake.plan.graph import Graph
from azlake.plan.planner import read_live
from azlake.plan.resources import desired_resources

ENVIRONMENTS = Path(__file__).resolve().parents[2] / "environments"


def single_reads(resources, observed, clients, env):
    """Each resource read on its own (no plan listings in the facts), with the facts a plan would have."""
    identity = observed.get("identity")
    facts = {"environment": env, "deployer_principal_id": clients.principal_id,
             "owners": {a: o.owner if o.exists else None for a, o in observed.items()}}
    if identity is not None and identity.exists:
        facts["identity_principal_id"] = identity.outputs["principal_id"]
    found = {}
    for r in resources:
        obs = kind_of(r).read(clients, r, facts)
        found[r.address] = (obs.exists, obs.owner, obs.properties, r.id)
    return found


def listed_reads(loaded, clients, env):
    resources = desired_resources(loaded, clients.target.subscription)
    observed, _ = read_live(resources, Graph({r.address: r.depends_on for r in resources}), clients, env)
    return resources, observed, {r.address: (observed[r.address].exists, observed[r.address].owner,
                                             observed[r.address].properties, r.id) for r in resources}


def test_lists_answer_as_single_reads_in_a_changed_lake(load, clients, emulator):
    datalake, practice = load("datalake"), load("practice")
    for loaded in (datalake, practice):
        apply_plan(plan_environment(loaded, clients), clients, NullDisplay())
    lake = clients.datalake("stbdaplatformdatalake")
    lake.get_file_system_client("landing").get_directory_client("ventas").delete_directory()
    lake.get_file_system_client("universal").get_directory_client("marketing").set_metadata({"other": "x"})
    lake.get_file_system_client("smart").get_file_client("ventas2").create_file()  # a file beside the folders
    own = clients.datalake("storagebigdatauserbda000")
    own.get_file_system_client("landing").set_file_system_metadata({"azlake_environment": "someone-else"})
    own.delete_file_system("landingtmp")
    own.get_file_system_client("dfs").get_directory_client("objects/scripts").delete_directory()
    # the identity's access granted again under a random name (the portal's way), ours removed
    scope = plan_environment(practice, clients).by_address()["data_lake.account"].resource.id
    role = next(a for a in clients.authorization.role_assignments.list_for_scope(scope, filter="atScope()")
                if a.role_definition_id.endswith("b7e6dc6d-f1e8-4753-8033-0f276bb0955b"))
    clients.locks.management_locks.delete_by_scope(scope, "azlake-cannotdelete")  # it blocks the deletion
    clients.authorization.role_assignments.delete_by_id(role.id)
    random_id = f"{scope}/providers/Microsoft.Authorization/roleAssignments/{uuid.uuid4()}"
    clients.authorization.role_assignments.create_by_id(random_id, {
        "role_definition_id": role.role_definition_id, "principal_id": role.principal_id,
        "principal_type": "ServicePrincipal"})

    for loaded, env in ((datalake, "datalake"), (practice, "bda000")):
        mark = emulator.store.last_request_seq()
        resources, observed, listed = listed_reads(loaded, clients, env)
        log = emulator.request_log(mark)
        assert listed == single_reads(resources, observed, clients, env)
        heads = [r for r in log if r["method"] == "HEAD"]
        container_gets = [r for r in log if "/blobServices/default/containers/" in r["url"]]
        assert container_gets == [], "an account's filesystems are answered by one data-plane list"
        assert sum(1 for r in log if "comp=list" in r["url"] and "restype=container" not in r["url"]) == 1
        if env == "datalake":
            assert heads == [], "two directories per zone: one listing per zone instead of a HEAD each"
        else:
            # one directory per zone: a HEAD each, but landingtmp's is not read (its filesystem is to be created);
            # the cluster's three directories are one listing
            assert len(heads) == 3 and not any("/landingtmp/" in r["url"] for r in log)
            assert sum(1 for r in log if "/roleAssignments" in r["url"]) == 1
    by = dict(listed)
    assert by["identity.role[Storage Blob Data Owner]"][0] is True
    assert by["identity.role[Storage Blob Data Owner]"][3].lower() == random_id.lower()
    assert by["data_lake.zone[landingtmp]"][0] is False and by["data_lake.zone[landing]"][1] == "someone-else"
    assert by["cluster.dir[objects/scripts]"][0] is False and by["cluster.dir[objects/inputs]"][1] == "bda000"


def test_without_a_data_role_filesystems_are_read_through_arm(load, clients, emulator, tmp_path):
    """List Containers needs a data role; ARM's GET of each filesystem needs only management roles."""
    shutil.copy(ENVIRONMENTS / "_company.yaml", tmp_path / "_company.yaml")
    text = (ENVIRONMENTS / "datalake.yaml").read_text().replace("deployer_access: true", "deployer_access: false")
    start = text.index("  directories:")
    end = text.index("  protection:")
    (tmp_path / "datalake.yaml").write_text(text[:start] + text[end:])  # directories need the data role
    loaded = load("datalake", tmp_path)
    apply_plan(plan_environment(loaded, clients), clients, NullDisplay())
    mark = emulator.store.last_request_seq()
    plan = plan_environment(loaded, clients)
    log = emulator.request_log(mark)
    assert not plan.has_changes, [(a.address, a.reason) for a in plan.actions if a.verb != "noop"]
    listing = [r for r in log if r["service"] == "storage"]
    assert [(r["method"], r["status"], r["code"]) for r in listing] == \
        [("GET", 403, "AuthorizationPermissionMismatch")]
    assert sum(1 for r in log if "/blobServices/default/containers/" in r["url"]) == 4
