"""The environment file as pydantic v2 models: frozen, unknown keys forbidden, secrets as SecretStr."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, SecretStr, WithJsonSchema

from azlake.envfile.naming import check, check_path, check_zone_path

# Strings checked against the Azure name rule of their kind (spelled out so type checkers read them as str)
EnvName = Annotated[str, AfterValidator(partial(check, "environment"))]
CompanyName = Annotated[str, AfterValidator(partial(check, "company"))]
DepartmentName = Annotated[str, AfterValidator(partial(check, "department"))]
ResourceGroupName = Annotated[str, AfterValidator(partial(check, "resource group"))]
StorageAccountName = Annotated[str, AfterValidator(partial(check, "storage account"))]
FilesystemName = Annotated[str, AfterValidator(partial(check, "filesystem"))]
IdentityName = Annotated[str, AfterValidator(partial(check, "managed identity"))]
ClusterName = Annotated[str, AfterValidator(partial(check, "HDInsight cluster"))]
NamespaceName = Annotated[str, AfterValidator(partial(check, "Event Hubs namespace"))]
HubName = Annotated[str, AfterValidator(partial(check, "event hub"))]
ConsumerGroupName = Annotated[str, AfterValidator(partial(check, "consumer group"))]
VaultName = Annotated[str, AfterValidator(partial(check, "key vault"))]
AdlsPath = Annotated[str, AfterValidator(check_path)]

_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?")
DURATION_PATTERN = r"^(\d+d)?(\d+h)?(\d+m)?$"


def parse_duration(value: object) -> object:
    """'8h', '90m', '1d12h' -> timedelta; other types pass through for pydantic to judge."""
    if isinstance(value, str):
        match = _DURATION.fullmatch(value.strip())
        if not match or not any(match.groups()):
            raise ValueError(f"duration {value!r} is not valid; write e.g. 8h, 90m, 1d12h")
        days, hours, minutes = (int(g or 0) for g in match.groups())
        delta = timedelta(days=days, hours=hours, minutes=minutes)
        if delta <= timedelta(0):
            raise ValueError("duration must be longer than zero")
        return delta
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"duration {value!r} has no unit; write e.g. 8h, 90m, 1d12h")
    return value


Duration = Annotated[timedelta, BeforeValidator(parse_duration),
                     WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN,
                                     "description": "e.g. 8h, 90m, 1d12h"})]
Secret = Annotated[SecretStr, WithJsonSchema({"type": "string", "pattern": r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$",
                                              "description": "an ${ENV_VAR} reference, never a literal"})]
LoginSecret = Annotated[SecretStr, WithJsonSchema({
    "type": "string", "pattern": r"^(\$\{[A-Za-z_][A-Za-z0-9_]*\}|generate|\$\{keyvault:[A-Za-z0-9-]{3,24}/[0-9A-Za-z-]{1,127}\})$",
    "description": "generate (azlake makes it and keeps it in the environment's key vault), a vault reference "
                   "${keyvault:<vault>/<secret>}, or an ${ENV_VAR} reference; never a literal"})]
SshSecret = Annotated[SecretStr, WithJsonSchema({
    "type": "string", "pattern": r"^(\$\{[A-Za-z_][A-Za-z0-9_]*\}|same-as-login)$",
    "description": "an ${ENV_VAR} reference or same-as-login (the default when no public_key)"})]


class Model(BaseModel):
    """Base of every section: immutable, and a key the language does not know is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True, defer_build=True)


class ResourceGroup(Model):
    name: Optional[ResourceGroupName] = Field(None, description="default rg-<company>-<department>[-<name>]")


class Identity(Model):
    name: Optional[IdentityName] = Field(None, description="default id-<company>-<department>[-<name>]")


class Protection(Model):
    soft_delete_days: Optional[int] = Field(7, ge=1, le=365, description="blob and container soft delete; "
                                            "null turns it off")
    lock: bool = Field(False, description="CanNotDelete lock on the storage account")


Redundancy = Literal["LRS", "ZRS", "GRS", "RAGRS", "GZRS", "RAGZRS"]


class DataLake(Model):
    use: Optional[EnvName] = Field(None, description="name of another environment that owns the lake")
    account: Optional[StorageAccountName] = Field(None, description="default st<company><department>[<name>]")
    performance: Literal["standard", "premium"] = "standard"
    redundancy: Redundancy = "LRS"
    hierarchical_namespace: bool = True
    zones: list[FilesystemName] = Field(default_factory=list)
    directories: dict[FilesystemName, list[AdlsPath]] = Field(default_factory=dict)
    protection: Protection = Field(default_factory=Protection)
    deployer_access: bool = True


class ClusterStorage(Model):
    filesystem: Optional[FilesystemName] = Field(None, description="default dfs (dfs-<department> on a "
                                                 "central lake)")
    layout: list[AdlsPath] = Field(default_factory=list)


class Login(Model):
    username: str = Field("admin", description="gateway (Ambari, Jupyter, Livy) user, 2-20 characters")
    password: LoginSecret


class Ssh(Model):
    username: str = "sshuser"
    password: Optional[SshSecret] = Field(None, description="${VAR} or same-as-login")
    public_key: Optional[str] = Field(None, description="path to a public key file, or the key text")


class Node(Model):
    size: str
    count: int = Field(ge=1)


def _node(size: str, count: int) -> Any:  # what pydantic's Field() returns: a field default
    return Field(default_factory=lambda: Node(size=size, count=count))


class Nodes(Model):
    head: Node = _node("Standard_E4_v3", 2)
    zookeeper: Node = _node("Standard_A2_v2", 3)
    worker: Node = _node("Standard_E4_v3", 3)


class Autoscale(Model):
    min: int = Field(ge=1)
    max: int = Field(ge=1)


class Cluster(Model):
    name: Optional[ClusterName] = Field(None, description="default hdi-<company>-<department>[-<name>]")
    kind: Literal["spark"] = "spark"
    version: str = "5.1"
    lifecycle: Literal["ephemeral", "persistent"] = "ephemeral"
    max_age: Optional[Duration] = None
    allow_preview: bool = False
    storage: ClusterStorage = Field(default_factory=ClusterStorage)
    login: Login
    ssh: Ssh = Field(default_factory=Ssh)
    nodes: Nodes = Field(default_factory=Nodes)
    autoscale: Optional[Autoscale] = None


class Hub(Model):
    partitions: int = Field(2, ge=1)
    retention_hours: int = Field(24, ge=1)
    consumer_groups: list[ConsumerGroupName] = Field(default_factory=list)


class Streaming(Model):
    namespace: Optional[NamespaceName] = Field(None, description="default evhns-<company>-<department>[-<name>]")
    sku: Literal["basic", "standard", "premium"] = "standard"
    capacity: int = Field(1, ge=1, description="throughput units (basic, standard) or processing units (premium)")
    hubs: dict[HubName, Hub] = Field(default_factory=dict)


class KeyVault(Model):
    use: Optional[EnvName] = Field(None, description="name of another environment whose vault keeps this one's "
                                   "secrets (a shared vault)")
    name: Optional[VaultName] = Field(None, description="default kv-<company>-<department>[-<name>] (3-24 "
                                      "characters, globally unique)")
    public_network_access: Literal["enabled", "disabled"] = Field(
        "enabled", description="disabled: only private endpoints and trusted services reach the secrets (azlake "
                               "itself then needs a network path to the vault)")
    purge_protection: bool = Field(True, description="a deleted vault cannot be purged before its retention ends "
                                   "(one-way: Azure never turns it off)")
    soft_delete_days: int = Field(90, ge=7, le=90, description="how long a deleted vault or secret can be recovered "
                                  "(set at creation)")
    identity_access: bool = Field(False, description="give the environment's managed identity Key Vault Secrets "
                                  "User, for jobs that read secrets")


MEMORY_PATTERN = r"^[1-9][0-9]*[mMgG]$"
ZONE_PATH_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}/.+$"


class Executors(Model):
    count: int = Field(1, ge=1)
    cores: int = Field(1, ge=1)
    memory: str = Field("2g", pattern=MEMORY_PATTERN, description="Spark memory, e.g. 2g or 512m")


ZonePath = Annotated[str, Field(pattern=ZONE_PATH_PATTERN, description="<zone>/<path>"),
                     AfterValidator(check_zone_path)]


class Job(Model):
    script: Path = Field(description="relative to the environment file")
    inputs: dict[str, ZonePath] = Field(default_factory=dict)
    outputs: dict[str, ZonePath] = Field(default_factory=dict)
    executors: Executors = Field(default_factory=Executors)


class Environment(Model):
    """One environment file, after extends:, ${VAR} interpolation and name derivation."""

    model_config = ConfigDict(title="azlake environment file")

    name: EnvName
    extends: Optional[str | list[str]] = Field(None, description="partials merged under this file")
    company: CompanyName
    department: DepartmentName
    subscription: str = Field(description="subscription id (GUID), usually ${AZURE_SUBSCRIPTION_ID}")
    location: str = Field(description="Azure region, e.g. brazilsouth")
    tags: dict[str, str] = Field(default_factory=dict)
    resource_group: ResourceGroup = Field(default_factory=ResourceGroup)
    identity: Identity = Field(default_factory=Identity)
    data_lake: Optional[DataLake] = None
    cluster: Optional[Cluster] = None
    streaming: Optional[Streaming] = None
    key_vault: Optional[KeyVault] = None
    jobs: dict[Annotated[str, AfterValidator(partial(check, "job"))], Job] = Field(default_factory=dict)


SECRET_PATHS = (("cluster", "login", "password"), ("cluster", "ssh", "password"))
