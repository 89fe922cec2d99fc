"""The environment language: extends, ${VAR}, derived names, central lakes, jobs, defaults, warnings."""

from __future__ import annotations

import pytest
from spec_helpers import ENVIRONMENTS, MINIMAL

from azlake.envfile.load import load_environment
from azlake.errors import SpecError

CLUSTER = """
data_lake: {zones: [raw]}
cluster:
  login: {password: "${PW}"}
"""


def test_names_are_derived_with_caf_abbreviations(write, password):
    path = write("demo.yaml", MINIMAL + CLUSTER + "streaming: {hubs: {h1: {}}}\n")
    loaded = load_environment(path, env={"PW": password})
    spec = loaded.spec
    assert spec.resource_group.name == "rg-bda-ventas-demo"
    assert spec.identity.name == "id-bda-ventas-demo"
    assert spec.data_lake.account == "stbdaventasdemo"
    assert spec.cluster.name == "hdi-bda-ventas-demo"
    assert spec.streaming.namespace == "evhns-bda-ventas-demo"
    assert spec.cluster.storage.filesystem == "dfs"
    assert "data_lake.account" in loaded.derived and "resource_group.name" in loaded.derived


def test_derived_storage_account_stays_within_24_characters(write):
    text = MINIMAL.replace("name: demo", "name: a-very-long-env-name").replace("ventas", "departamento")
    loaded = load_environment(write("long.yaml", text + "data_lake: {}\n"), env={})
    account = loaded.spec.data_lake.account
    assert len(account) == 24 and account.isalnum() and account.startswith("stbdadepartamento")


def test_department_name_equal_to_environment_name_is_not_repeated(write):
    loaded = load_environment(write("v.yaml", MINIMAL.replace("name: demo", "name: ventas")), env={})
    assert loaded.spec.resource_group.name == "rg-bda-ventas"


def test_extends_deep_merges_maps_and_replaces_lists(write):
    write("_base.yaml", """
        company: bda
        location: eastus2
        tags: {owner: platform, cost-center: shared}
        data_lake: {zones: [a01, b01, c01], redundancy: GRS}
    """)
    path = write("child.yaml", """
        name: child
        extends: _base.yaml
        department: ventas
        subscription: 00000000-0000-0000-0000-000000000000
        tags: {cost-center: ventas}
        data_lake: {zones: [z01]}
    """)
    spec = load_environment(path, env={}).spec
    assert spec.tags == {"owner": "platform", "cost-center": "ventas"}
    assert spec.data_lake.zones == ["z01"]
    assert spec.data_lake.redundancy == "GRS" and spec.location == "eastus2"


def test_error_in_a_partial_points_at_the_partial(write):
    write("_base.yaml", "company: bda\nlocation: brazilsouth\nredundancy: GRS\n")
    path = write("child.yaml", "name: child\nextends: _base.yaml\ndepartment: ventas\n"
                 "subscription: 00000000-0000-0000-0000-000000000000\n")
    with pytest.raises(SpecError) as caught:
        load_environment(path, env={})
    [unknown] = [d for d in caught.value.diagnostics if d.key_path == "redundancy"]
    assert unknown.file.name == "_base.yaml" and unknown.line == 3


def test_extends_loop_is_reported(write):
    write("_a.yaml", "extends: _b.yaml\n")
    write("_b.yaml", "extends: _a.yaml\n")
    path = write("c.yaml", MINIMAL + "extends: _a.yaml\n")
    with pytest.raises(SpecError) as caught:
        load_environment(path, env={})
    assert any("loops back" in d.summary for d in caught.value.diagnostics)


def test_variables_with_defaults_and_escapes(write):
    text = MINIMAL.replace("location: brazilsouth", "location: ${REGION:-brazilsouth}")
    text += "tags: {note: 'costs $$5 in ${REGION:-nowhere}', who: '${WHO}'}\n"
    spec = load_environment(write("v.yaml", text), env={"REGION": "eastus", "WHO": "ana"}).spec
    assert spec.location == "eastus"
    assert spec.tags == {"note": "costs $5 in eastus", "who": "ana"}


def test_missing_variable_is_a_warning_for_validate_and_an_error_for_plan(write):
    path = write("v.yaml", MINIMAL.replace("00000000-0000-0000-0000-000000000000", "${SUB_ID}") + CLUSTER)
    loaded = load_environment(path, env={}, require_values=False)
    names = {d.summary for d in loaded.warnings}
    assert any("SUB_ID" in s and "plan and apply" in s for s in names)
    assert any("PW" in s for s in names)
    assert loaded.unresolved == {"subscription": "SUB_ID", "cluster.login.password": "PW",
                                 "cluster.ssh.password": "PW"}
    with pytest.raises(SpecError) as caught:
        load_environment(path, env={}, require_values=True)
    errors = {d.key_path: d.summary for d in caught.value.diagnostics if d.is_error}
    assert "SUB_ID" in errors["subscription"] and "PW" in errors["cluster.login.password"]


def test_ssh_defaults_to_the_login_password(write, password):
    spec = load_environment(write("d.yaml", MINIMAL + CLUSTER), env={"PW": password}).spec
    assert spec.cluster.ssh.username == "sshuser"
    assert spec.cluster.ssh.password.get_secret_value() == password


def test_ssh_public_key_file_is_read_relative_to_the_file(write, password):
    write("keys/id.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIexample azlake\n")
    text = MINIMAL + CLUSTER + "  ssh: {username: sshuser, public_key: keys/id.pub}\n"
    spec = load_environment(write("d.yaml", text), env={"PW": password}).spec
    assert spec.cluster.ssh.public_key.startswith("ssh-ed25519 ") and spec.cluster.ssh.password is None


def test_central_lake_is_found_by_name_and_cluster_gets_its_own_filesystem(password):
    loaded = load_environment(ENVIRONMENTS / "ventas.yaml", env={"VENTAS_CLUSTER_PASSWORD": password})
    assert loaded.lake is not None and loaded.lake.spec.name == "datalake"
    assert loaded.lake.path.name == "datalake.yaml"
    assert loaded.spec.data_lake.use == "datalake" and loaded.spec.data_lake.account is None
    assert loaded.spec.cluster.storage.filesystem == "dfs-ventas"
    assert loaded.lake.spec.data_lake.redundancy == "GRS"


def test_jobs_parse_and_scripts_resolve_relative_to_the_file(write, password):
    write("jobs/reporte.py", "print('hola')\n")
    text = MINIMAL + CLUSTER.replace("[raw]", "[universal, smart]") + """
jobs:
  reporte:
    script: jobs/reporte.py
    inputs: {transaccion: universal/transaccion}
    outputs: {reporte: smart/reporte}
    executors: {count: 2, cores: 1, memory: 1g}
"""
    path = write("d.yaml", text)
    job = load_environment(path, env={"PW": password}).spec.jobs["reporte"]
    assert job.script == path.parent / "jobs" / "reporte.py" and job.script.is_absolute()
    assert job.inputs == {"transaccion": "universal/transaccion"} and job.executors.count == 2


def test_all_problems_of_a_file_are_reported_at_once(write):
    text = MINIMAL.replace("location: brazilsouth", "location: marte") + """
data_lake: {account: Bad_Name, performance: fast, zones: [OK]}
cluster:
  login: {password: literal}
  nodes: {zookeeper: {size: Standard_A2_v2, count: 1}}
"""
    with pytest.raises(SpecError) as caught:
        load_environment(write("d.yaml", text), env={})
    paths = {d.key_path for d in caught.value.diagnostics if d.is_error}
    assert {"location", "data_lake.account", "data_lake.performance", "data_lake.zones[0]",
            "cluster.login.password"} <= paths


def test_warnings_do_not_fail_and_policy_warnings_apply(write, password):
    lrs = load_environment(write("a.yaml", MINIMAL + "data_lake: {redundancy: LRS}\n"), env={})
    grs = load_environment(write("b.yaml", MINIMAL + "data_lake: {redundancy: GRS}\n"), env={})
    assert any(d.key_path == "data_lake.redundancy" and "GRS" in d.detail for d in lrs.warnings)
    assert not any(d.key_path == "data_lake.redundancy" for d in grs.warnings)


def test_gateway_login_may_be_admin_but_ssh_user_may_not(write, password):
    ok = MINIMAL + CLUSTER.replace('{password: "${PW}"}', '{username: admin, password: "${PW}"}')
    load_environment(write("ok.yaml", ok), env={"PW": password})
    bad = ok + "  ssh: {username: admin2}\n"
    with pytest.raises(SpecError) as caught:
        load_environment(write("bad.yaml", bad), env={"PW": password})
    assert [d.key_path for d in caught.value.diagnostics if d.is_error] == ["cluster.ssh.username"]


@pytest.mark.parametrize("name", ["practice.yaml", "datalake.yaml", "ventas.yaml", "marketing.yaml"])
def test_shipped_environments_validate_without_any_variable(name: str):
    loaded = load_environment(ENVIRONMENTS / name, env={}, require_values=False)
    assert not any(d.is_error for d in loaded.diagnostics)


def test_practice_keeps_the_lecture_names(password):
    spec = load_environment(ENVIRONMENTS / "practice.yaml", env={"CLUSTER_PASSWORD": password}).spec
    lake, cluster = spec.data_lake, spec.cluster
    assert (spec.resource_group.name, lake.account, spec.identity.name, cluster.name) == (
        "grbigdatauserbda000", "storagebigdatauserbda000", "bigdatauserbda000", "clusterbigdata001")
    assert lake.zones == ["landingtmp", "landing", "universal", "smart"]
    assert lake.directories == {"landingtmp": ["transaccion"], "landing": ["transaccion"],
                                "universal": ["transaccion"], "smart": ["reporte"]}
    assert cluster.storage.filesystem == "dfs"
    assert cluster.storage.layout == ["objects/inputs", "objects/outputs", "objects/scripts"]
    nodes = cluster.nodes
    assert [(n.size, n.count) for n in (nodes.head, nodes.zookeeper, nodes.worker)] == [
        ("Standard_E2_v3", 2), ("Standard_A2_v2", 3), ("Standard_E2_v3", 1)]
    assert cluster.autoscale is None and cluster.login.username == "admin"
    assert cluster.ssh.username == "adminssh"
    assert cluster.ssh.password.get_secret_value() == password
    assert (lake.performance, lake.redundancy, lake.hierarchical_namespace) == ("standard", "LRS", True)
    assert spec.location == "brazilsouth"
    for job in spec.jobs.values():  # the RUN stream adds the reporte job; its script sits next to the file
        assert job.script.is_file() and job.script.is_relative_to(ENVIRONMENTS)


def test_a_number_from_an_unset_variable_is_only_a_warning_in_validate(write, password):
    text = MINIMAL + CLUSTER + "  nodes: {worker: {size: Standard_E2_v3, count: '${WORKERS}'}}\n"
    path = write("n.yaml", text)
    loaded = load_environment(path, env={"PW": password}, require_values=False)
    assert [d.key_path for d in loaded.warnings if "WORKERS" in d.summary] == ["cluster.nodes.worker.count"]
    assert load_environment(path, env={"PW": password, "WORKERS": "4"}).spec.cluster.nodes.worker.count == 4
    with pytest.raises(SpecError) as caught:
        load_environment(path, env={"PW": password})
    assert [d.summary for d in caught.value.diagnostics if d.is_error] == [
        "environment variable WORKERS is not set"]


def test_yaml_12_scalars_and_durations_need_units(write, password):
    text = (MINIMAL + "tags: {window: 1:30, switch: on}\n" + CLUSTER
            + "  nodes: {worker: {size: Standard_E4_v3, count: 010}}\n  max_age: 90\n")
    with pytest.raises(SpecError) as caught:
        load_environment(write("y.yaml", text), env={"PW": password})
    [error] = [d for d in caught.value.diagnostics if d.is_error]
    assert error.key_path == "cluster.max_age" and "no unit" in error.summary
    spec = load_environment(write("z.yaml", text.replace("max_age: 90", "max_age: 1d12h")),
                            env={"PW": password}).spec
    assert spec.tags == {"window": "1:30", "switch": "on"}  # YAML 1.1 would read 90 and True
    assert spec.cluster.nodes.worker.count == 10  # YAML 1.1 would read octal 8
    assert spec.cluster.max_age.total_seconds() == 36 * 3600
