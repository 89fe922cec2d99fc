"""What HDInsight accepts in a cluster create request: names, versions, roles, sizes, credentials (no HTTP).

Each check returns a list of `Problem`s so that create (which stops at the first) and
`validate_cluster_create_request` (which lists them all) share one set of rules. The limits come from
/work/shared/design/AZURE-FACTS.md (HDInsight section) and the 2021-06-01 swagger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from azlake.emulator.core.errors import EmulatedError

# Azure's own wrapper for create-request validation failures: "DeploymentDocument '<doc>' failed the
# validation. Error: '<detail>'" with code InvalidDocumentErrorCode (seen in Azure's error reports).
CSM_DOCUMENT = "CsmDocument_2_0"
AMBARI_DOCUMENT = "AmbariConfiguration_1_7"

# version -> (status, spark version). 4.0 and 5.0 were retired on 2025-03-31 (no new clusters).
VERSIONS = {"5.1": ("supported", "3.3"), "5.0": ("retired", "3.1"), "4.0": ("retired", "2.4"),
            "3.6": ("retired", "2.3")}
CURRENT_BUILD = {"5.1": "5.1.3000.0"}
# the other components of a version's image (HDInsight 5.1 release notes: Hadoop 3.3.4, HBase 2.4.11)
COMPONENTS = {"5.1": {"Hadoop": "3.3.4", "HBase": "2.4.11"}}
KINDS = {"spark", "hadoop", "kafka", "hbase", "interactivehive"}

# VM sizes HDInsight offers for Linux cluster roles (lower-case name -> vCPUs); the cores drive the quota.
VM_CORES = {
    "standard_a2_v2": 2, "standard_a4_v2": 4, "standard_a8_v2": 8, "standard_a2m_v2": 2, "standard_a4m_v2": 4,
    "standard_d3_v2": 4, "standard_d4_v2": 8, "standard_d5_v2": 16, "standard_d11_v2": 2, "standard_d12_v2": 4,
    "standard_d13_v2": 8, "standard_d14_v2": 16, "standard_d4a_v4": 4, "standard_d8a_v4": 8,
    "standard_d16a_v4": 16, "standard_e2_v3": 2, "standard_e4_v3": 4, "standard_e8_v3": 8, "standard_e16_v3": 16,
    "standard_e20_v3": 20, "standard_e32_v3": 32, "standard_e64_v3": 64, "standard_e2a_v4": 2,
    "standard_e4a_v4": 4, "standard_e8a_v4": 8, "standard_e16a_v4": 16, "standard_e32a_v4": 32,
    "standard_e64a_v4": 64,
}
ZOOKEEPER_SIZES = {"standard_a2_v2", "standard_a4_v2", "standard_a2m_v2", "standard_a4m_v2", "standard_d3_v2",
                   "standard_d11_v2", "standard_d12_v2", "standard_e2_v3", "standard_e4_v3", "standard_e2a_v4"}
ROLE_COUNTS = {"headnode": (2, 2), "zookeepernode": (3, 3), "workernode": (1, None)}

RESERVED_SSH_USERS = {
    "hadoop", "users", "oozie", "hive", "mapred", "ambari-qa", "zookeeper", "tez", "hdfs", "sqoop", "yarn",
    "hcat", "ams", "hbase", "administrator", "admin", "user", "user1", "user2", "user3", "user4", "user5",
    "test", "test1", "test2", "test3", "admin1", "admin2", "1", "123", "a", "actuser", "adm", "aspnet",
    "backup", "console", "david", "guest", "john", "owner", "root", "server", "sql", "support",
    "support_388945a0", "sys", "spark"}
_LOGIN_FORBIDDEN = set("'\"\\].")
_CLUSTER_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9-]{1,57}[a-zA-Z0-9]$")
_USER_NAME = re.compile(r"^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$")


@dataclass
class Problem:
    code: str
    message: str
    resource: str = ""

    def error(self, status: int = 400) -> EmulatedError:
        return EmulatedError(status, self.code, self.message)

    def info(self) -> dict:
        return {"code": self.code, "message": self.message, "errorResource": self.resource,
                "messageArguments": []}


def invalid_document(detail: str, document: str = CSM_DOCUMENT, resource: str = "") -> Problem:
    return Problem("InvalidDocumentErrorCode",
                   f"DeploymentDocument '{document}' failed the validation. Error: '{detail}'", resource)


def cluster_name_problem(name: str) -> str | None:
    """Why a cluster name is invalid, or None. (3-59 letters, digits, inner hyphens; 'apps' is reserved.)"""
    if not _CLUSTER_NAME.match(name or ""):
        return (f"The cluster name '{name}' is invalid: use 3-59 letters, digits and hyphens, starting and "
                "ending with a letter or digit.")
    if name.lower() == "apps":
        return "The cluster name 'apps' is reserved."
    return None


def version_problems(props: dict) -> list[Problem]:
    version = str(props.get("clusterVersion") or "")
    short = ".".join(version.split(".")[:2])
    known = VERSIONS.get(short)
    if known is None:
        return [invalid_document(f"Cluster version '{version}' is not supported. Supported versions: 5.1.")]
    if known[0] == "retired":
        return [invalid_document(f"Cluster version '{version}' is retired and cannot be used to create new "
                                 "clusters (HDInsight 4.0 and 5.0 were retired on 2025-03-31). Use 5.1.")]
    definition = props.get("clusterDefinition") or {}
    kind = str(definition.get("kind") or "").lower()
    if kind not in KINDS:
        return [invalid_document(f"Cluster kind '{definition.get('kind')}' is not supported. Use one of "
                                 f"{', '.join(sorted(KINDS))}.")]
    spark = (definition.get("componentVersion") or {}).get("Spark")
    if kind == "spark" and spark and spark != known[1]:
        return [invalid_document(f"Spark version '{spark}' is not available on cluster version {short}; "
                                 f"it ships Spark {known[1]}.")]
    return []


def roles_by_name(props: dict) -> dict[str, dict]:
    return {str(r.get("name", "")).lower(): r for r in (props.get("computeProfile") or {}).get("roles") or []}


def role_problems(props: dict) -> list[Problem]:
    roles = roles_by_name(props)
    problems: list[Problem] = []
    for name, (low, high) in ROLE_COUNTS.items():
        role = roles.get(name)
        if role is None:
            problems.append(invalid_document(f"The role '{name}' is missing from the compute profile."))
            continue
        count = role.get("targetInstanceCount")
        if not isinstance(count, int) or count < low or (high is not None and count > high):
            want = f"exactly {low}" if low == high else f"at least {low}"
            problems.append(invalid_document(
                f"Role '{name}' has targetInstanceCount {count}; HDInsight requires {want}."))
        size = str((role.get("hardwareProfile") or {}).get("vmSize") or "").lower()
        if size not in VM_CORES or (name == "zookeepernode" and size not in ZOOKEEPER_SIZES):
            problems.append(invalid_document(
                f"VM size '{(role.get('hardwareProfile') or {}).get('vmSize')}' provided in the CSM document "
                f"is invalid or not supported for role '{name}'"))
        problems += autoscale_problems(name, role.get("autoscale"))
    return problems


def autoscale_problems(role: str, autoscale: dict | None) -> list[Problem]:
    capacity = (autoscale or {}).get("capacity")
    if not capacity:
        return []
    if role != "workernode":
        return [invalid_document(f"Autoscale is only supported on the workernode role, not '{role}'.")]
    low, high = capacity.get("minInstanceCount"), capacity.get("maxInstanceCount")
    if not isinstance(low, int) or not isinstance(high, int) or low < 1 or high < low:
        return [invalid_document(f"Autoscale capacity min {low} / max {high} is invalid: use "
                                 "1 <= minInstanceCount <= maxInstanceCount.")]
    return []


def core_count(props: dict) -> int:
    total = 0
    for role in roles_by_name(props).values():
        size = str((role.get("hardwareProfile") or {}).get("vmSize") or "").lower()
        count = role.get("targetInstanceCount") or 0
        total += VM_CORES.get(size, 0) * (count if isinstance(count, int) else 0)
    return total


def gateway_of(props: dict) -> dict:
    return ((props.get("clusterDefinition") or {}).get("configurations") or {}).get("gateway") or {}


def ssh_profile(props: dict) -> dict:
    roles = roles_by_name(props)
    role = roles.get("headnode") or roles.get("workernode") or {}
    return ((role.get("osProfile") or {}).get("linuxOperatingSystemProfile") or {})


def credential_problems(props: dict) -> list[Problem]:
    gateway = gateway_of(props)
    ssh = ssh_profile(props)
    problems = login_problems(gateway.get("restAuthCredential.username"),
                              gateway.get("restAuthCredential.password"), ssh.get("username"))
    problems += ssh_problems(ssh, gateway.get("restAuthCredential.username"))
    return problems


def login_problems(user: object, password: object, ssh_user: object) -> list[Problem]:
    user, password = str(user or ""), str(password or "")
    if not 2 <= len(user) <= 20 or not _USER_NAME.match(user):
        return [invalid_document(f"The cluster login user name must be 2-20 characters (letters, digits, "
                                 f"'_', '-', '.'); got {len(user)} characters.", AMBARI_DOCUMENT)]
    if not _password_ok(password, user, str(ssh_user or "")):
        return [invalid_document(
            "The password must be at least 10 characters in length and must contain at least one digit, one "
            "upper case letter, one lower case letter, and one non-alphanumeric character except (single-quote, "
            "double-quote, backslash, right-bracket, full-stop). Also, the password must not contain 3 "
            "consecutive characters from the cluster username or SSH username.", AMBARI_DOCUMENT)]
    return []


def _password_ok(password: str, *names: str) -> bool:
    if len(password) < 10 or any(c in _LOGIN_FORBIDDEN for c in password):
        return False
    if not (any(c.isdigit() for c in password) and any(c.isupper() for c in password)
            and any(c.islower() for c in password) and any(not c.isalnum() for c in password)):
        return False
    lowered = password.lower()
    for name in names:
        name = name.lower()
        if any(name[i:i + 3] in lowered for i in range(max(0, len(name) - 2))):
            return False
    return True


def ssh_problems(ssh: dict, login_user: object) -> list[Problem]:
    user = str(ssh.get("username") or "")
    if not user or len(user) > 64 or not _USER_NAME.match(user):
        return [invalid_document("The SSH user name must be 1-64 characters of letters, digits, '_', '-', '.'.")]
    if user.lower() in RESERVED_SSH_USERS:
        return [invalid_document(f"The SSH user name '{user}' is reserved; choose another one.")]
    if user.lower() == str(login_user or "").lower():
        return [invalid_document("The SSH user name must differ from the cluster login user name.")]
    password = ssh.get("password")
    keys = (ssh.get("sshProfile") or {}).get("publicKeys") or []
    if not password and not keys:
        return [invalid_document("Give the SSH user a password or at least one public key.")]
    if password and not (6 <= len(password) <= 72 and any(c.isdigit() for c in password)
                         and any(c.isupper() for c in password) and any(c.islower() for c in password)):
        return [invalid_document("The SSH password must be 6-72 characters with at least one digit, one upper "
                                 "case letter and one lower case letter.")]
    return []


def request_problems(props: dict) -> list[Problem]:
    """Every rule that needs nothing but the request body."""
    return version_problems(props) + role_problems(props) + credential_problems(props)
