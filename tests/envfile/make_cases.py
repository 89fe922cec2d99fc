"""Regenerates the bad-file corpus in cases/: the practice environment broken one rule at a time.

Run `python tests/envfile/make_cases.py` after changing BASE or CASES; each file's `# expect:` header states the
diagnostic it must produce (severity, key path, line, words of the message). The files are committed.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent / "cases"

BASE = """\
name: bda000
company: bda
department: practice
subscription: ${AZURE_SUBSCRIPTION_ID:-00000000-0000-0000-0000-000000000000}
location: brazilsouth
tags: {owner: data-platform, cost-center: training}
resource_group: {name: grbigdatauserbda000}
identity: {name: bigdatauserbda000}
data_lake:
  account: storagebigdatauserbda000
  performance: standard
  redundancy: LRS
  hierarchical_namespace: true
  zones: [landingtmp, landing, universal, smart]
  directories:
    landingtmp: [transaccion]
    smart: [reporte]
  protection: {soft_delete_days: 7, lock: true}
cluster:
  name: clusterbigdata001
  version: "5.1"
  lifecycle: ephemeral
  max_age: 8h
  storage: {filesystem: dfs, layout: [objects/inputs, objects/outputs]}
  login: {username: admin, password: "${CLUSTER_PASSWORD}"}
  ssh: {username: adminssh, password: same-as-login}
  nodes:
    head: {size: Standard_E2_v3, count: 2}
    zookeeper: {size: Standard_A2_v2, count: 3}
    worker: {size: Standard_E2_v3, count: 1}
"""

STREAMING = """\
streaming:
  namespace: ehbigdatabda000
  sku: standard
  capacity: 1
  hubs:
    comentarios: {partitions: 4, retention_hours: 24, consumer_groups: [spark]}
"""

JOBS = """\
jobs:
  reporte:
    script: jobs/reporte.py
    inputs: {transaccion: universal/transaccion}
    outputs: {reporte: smart/reporte}
"""

# name, old text, new text, expected key path, expected words, [line marker], [extra text appended]
CASES = [
    ("unknown_top_key", "department: practice", "departmnt: practice", "departmnt",
     "did you mean 'department'"),
    ("unknown_nested_key", "    zookeeper: {", "    zookeper: {", "cluster.nodes.zookeper",
     "did you mean 'zookeeper'"),
    ("enum_performance", "performance: standard", "performance: premum", "data_lake.performance",
     "did you mean 'premium'"),
    ("enum_redundancy", "redundancy: LRS", "redundancy: GRSS", "data_lake.redundancy", "allowed: 'LRS'"),
    ("enum_redundancy_case", "redundancy: LRS", "redundancy: grs", "data_lake.redundancy",
     "did you mean 'GRS'"),
    ("env_name_uppercase", "name: bda000", "name: BDA000", "name", "environment name 'BDA000' is not valid"),
    ("env_name_too_long", "name: bda000", "name: bda000-practice-environment", "name", "allowed: 2-24"),
    ("storage_account_uppercase", "account: storagebigdatauserbda000", "account: StorageBigData",
     "data_lake.account", "lowercase letters and digits only"),
    ("storage_account_too_long", "account: storagebigdatauserbda000", "account: storagebigdatauserbda0001",
     "data_lake.account", "has 25 characters"),
    ("storage_account_hyphen", "account: storagebigdatauserbda000", "account: st-bda", "data_lake.account",
     "lowercase letters and digits only"),
    ("zone_double_hyphen", "zones: [landingtmp,", "zones: [landing--tmp,", "data_lake.zones[0]",
     "no '--'"),
    ("zone_too_short", "zones: [landingtmp,", "zones: [lz,", "data_lake.zones[0]", "allowed: 3-63"),
    ("directories_unknown_zone", "    smart: [reporte]", "    smrt: [reporte]", "data_lake.directories.smrt",
     "did you mean 'smart'"),
    ("premium_with_grs", "performance: standard\n  redundancy: LRS", "performance: premium\n  redundancy: GRS",
     "data_lake.redundancy", "premium storage allows only LRS or ZRS", "redundancy: GRS"),
    ("hns_off_with_cluster", "hierarchical_namespace: true", "hierarchical_namespace: false",
     "data_lake.hierarchical_namespace", "not a Data Lake Storage Gen2 lake"),
    ("zookeeper_count", "zookeeper: {size: Standard_A2_v2, count: 3}",
     "zookeeper: {size: Standard_A2_v2, count: 2}", "cluster.nodes.zookeeper.count", "must be 3"),
    ("head_count", "head: {size: Standard_E2_v3, count: 2}", "head: {size: Standard_E2_v3, count: 1}",
     "cluster.nodes.head.count", "must be 2"),
    ("worker_count_zero", "worker: {size: Standard_E2_v3, count: 1}", "worker: {size: Standard_E2_v3, count: 0}",
     "cluster.nodes.worker.count", "must be at least 1"),
    ("version_retired", 'version: "5.1"', 'version: "4.0"', "cluster.version", "retired"),
    ("version_unknown", 'version: "5.1"', 'version: "5.3"', "cluster.version", "did you mean '5.1'"),
    ("version_unquoted", 'version: "5.1"', "version: 5.1", "cluster.version", 'quote it'),
    ("literal_password", 'password: "${CLUSTER_PASSWORD}"', "password: Hunter2!Hunter2",
     "cluster.login.password", "literal secret"),
    ("password_with_default", 'password: "${CLUSTER_PASSWORD}"', 'password: "${CLUSTER_PASSWORD:-Hunter2!x9}"',
     "cluster.login.password", "a secret with a default value"),
    ("weak_password", 'password: "${CLUSTER_PASSWORD}"', 'password: "${WEAK_PASSWORD}"',
     "cluster.login.password", "too weak for HDInsight"),
    ("password_contains_user", 'password: "${CLUSTER_PASSWORD}"', 'password: "${USERNAME_PASSWORD}"',
     "cluster.login.password", "three consecutive characters of the user name 'admin'"),
    ("ssh_user_reserved", "ssh: {username: adminssh", "ssh: {username: root", "cluster.ssh.username",
     "reserved"),
    ("ssh_user_equals_login", "ssh: {username: adminssh", "ssh: {username: Admin", "cluster.ssh.username",
     "must differ from the login"),
    ("login_user_too_long", "login: {username: admin,", "login: {username: administrator-of-the-cluster,",
     "cluster.login.username", "allows 2-20"),
    ("ssh_key_and_password", "ssh: {username: adminssh, password: same-as-login}",
     "ssh: {username: adminssh, password: same-as-login, public_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f}",
     "cluster.ssh.public_key", "both a password and a public_key"),
    ("missing_variable", "subscription: ${AZURE_SUBSCRIPTION_ID:-00000000-0000-0000-0000-000000000000}",
     "subscription: ${AZLAKE_TEST_UNSET_SUBSCRIPTION}", "subscription",
     "environment variable AZLAKE_TEST_UNSET_SUBSCRIPTION is not set"),
    ("bad_variable_reference", "subscription: ${AZURE_SUBSCRIPTION_ID:-00000000-0000-0000-0000-000000000000}",
     "subscription: ${1BAD}", "subscription", "not a valid variable reference"),
    ("bad_subscription", "subscription: ${AZURE_SUBSCRIPTION_ID:-00000000-0000-0000-0000-000000000000}",
     "subscription: my-subscription", "subscription", "is not a subscription id"),
    ("unknown_region", "location: brazilsouth", "location: brazilsouht", "location",
     "did you mean 'brazilsouth'"),
    ("cluster_name_reserved", "name: clusterbigdata001", "name: apps", "cluster.name", "reserved"),
    ("cluster_name_underscore", "name: clusterbigdata001", "name: cluster_bigdata", "cluster.name",
     "is not valid"),
    ("cluster_filesystem_is_zone", "filesystem: dfs,", "filesystem: landing,", "cluster.storage.filesystem",
     "is a lake zone"),
    ("bad_max_age", "max_age: 8h", "max_age: 8 hours", "cluster.max_age", "write e.g. 8h"),
    ("autoscale_min_above_max", "    worker: {size: Standard_E2_v3, count: 1}",
     "    worker: {size: Standard_E2_v3, count: 1}\n  autoscale: {min: 4, max: 2}", "cluster.autoscale.min",
     "above max", "autoscale:"),
    ("kind_not_spark", "  version: \"5.1\"", "  kind: hadoop\n  version: \"5.1\"", "cluster.kind",
     "allowed: 'spark'", "kind: hadoop"),
    ("node_size_not_azure", "worker: {size: Standard_E2_v3", "worker: {size: E2_v3", "cluster.nodes.worker.size",
     "did you mean 'Standard_E2_v3'"),
    ("node_size_typo", "worker: {size: Standard_E2_v3", "worker: {size: Standard_E2v3", "cluster.nodes.worker.size",
     "not an HDInsight VM size (did you mean 'Standard_E2_v3'"),
    ("node_size_not_for_role", "head: {size: Standard_E2_v3", "head: {size: Standard_A2_v2", "cluster.nodes.head.size",
     "not a size HDInsight offers for head nodes"),
    ("reserved_tag", "tags: {owner: data-platform,", "tags: {managed-by: me, owner: data-platform,",
     "tags.managed-by", "reserved"),
    ("zones_not_a_list", "zones: [landingtmp, landing, universal, smart]", "zones: landingtmp",
     "data_lake.zones", "must be a list"),
    ("soft_delete_too_long", "soft_delete_days: 7", "soft_delete_days: 400", "data_lake.protection.soft_delete_days",
     "must be at most 365"),
    ("use_unknown_lake", "data_lake:\n  account: storagebigdatauserbda000", "data_lake:\n  use: nolake\n"
     "  account: storagebigdatauserbda000", "data_lake.use", "no environment named 'nolake'", "use: nolake"),
    ("use_with_account", "data_lake:\n  account: storagebigdatauserbda000", "data_lake:\n  use: bda000\n"
     "  account: storagebigdatauserbda000", "data_lake.use", "names this environment itself", "use: bda000"),
    ("eventhubs_basic_limits", "", "", "streaming.hubs.comentarios.partitions", "the basic tier allows 1-32",
     "comentarios:", STREAMING.replace("sku: standard", "sku: basic").replace("partitions: 4", "partitions: 40")),
    ("eventhubs_retention", "", "", "streaming.hubs.comentarios.retention_hours", "at most 168 hours",
     "comentarios:", STREAMING.replace("retention_hours: 24", "retention_hours: 200")),
    ("eventhubs_namespace_short", "", "", "streaming.namespace", "allowed: 6-50", "namespace:",
     STREAMING.replace("ehbigdatabda000", "ehns")),
    ("eventhubs_basic_consumer_group", "", "", "streaming.hubs.comentarios.consumer_groups",
     "basic has only $Default", "comentarios:", STREAMING.replace("sku: standard", "sku: basic")),
    ("job_unknown_zone_and_script", "", "", "jobs.reporte.inputs.transaccion", "did you mean 'universal'",
     "inputs:", JOBS.replace("universal/transaccion", "univrsal/transaccion")),
    ("job_missing_script", "", "", "jobs.reporte.script", "does not exist", "script:", JOBS),
    # a job script is uploaded to the lake: one outside the environment's folder tree is refused unread
    ("job_script_absolute", "", "", "jobs.reporte.script", "takes a path relative to this file", "script:",
     JOBS.replace("jobs/reporte.py", "/etc/passwd")),
    ("job_script_home", "", "", "jobs.reporte.script", "takes a path relative to this file", "script:",
     JOBS.replace("jobs/reporte.py", "~/.ssh/id_rsa")),
    ("job_script_dotdot", "", "", "jobs.reporte.script", "leads out of", "script:",
     JOBS.replace("jobs/reporte.py", "../../../../../../../../../../etc/passwd")),
    ("job_script_backslash", "", "", "jobs.reporte.script", "copy it there", "script:",
     JOBS.replace("jobs/reporte.py", "..\\..\\secrets\\id_rsa")),
    ("extends_missing", "name: bda000", "name: bda000\nextends: _compnay.yaml", "extends", "not found",
     "extends:"),
    ("yaml_syntax", "    head: {size: Standard_E2_v3, count: 2}", "    head: {size: Standard_E2_v3, count: 2",
     "", "YAML syntax", "zookeeper: {"),
    ("duplicate_key", "  redundancy: LRS", "  redundancy: LRS\n  redundancy: GRS", "", "YAML syntax",
     "redundancy: GRS"),
    ("missing_password", '  login: {username: admin, password: "${CLUSTER_PASSWORD}"}',
     "  login: {username: admin}", "cluster.login.password", "required key 'password' is missing",
     "login: {username: admin}"),
]


def build(case: tuple) -> str:
    name, old, new, key, words, *rest = case
    marker = rest[0] if rest else new.splitlines()[0]
    extra = rest[1] if len(rest) > 1 else ""
    body = BASE.replace(old, new, 1) if old else BASE
    assert not old or old in BASE, name
    body += extra
    header = ["# A broken copy of the practice environment (generated by tests/envfile/make_cases.py)."]
    lines = body.splitlines()
    start = len(BASE.splitlines()) if extra else 0  # a marker in appended text is searched there only
    line = len(header) + 2 + next(i for i, text in enumerate(lines) if marker in text and i >= start)
    header.insert(1, f"# expect: error {key or '-'} line {line}: {words}")
    return "\n".join(header) + "\n" + body


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for case in CASES:
        (HERE / f"{case[0]}.yaml").write_text(build(case), encoding="utf-8")
    print(f"wrote {len(CASES)} cases to {HERE}")


if __name__ == "__main__":
    main()
