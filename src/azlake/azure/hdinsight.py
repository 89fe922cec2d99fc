"""HDInsight Spark clusters: read, create (LRO), in-place resize/autoscale/tags, delete (LRO), live state."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import ResourceNotFoundError

from azlake.azure.keyvault import NotInVault, reveal
from azlake.azure.kind import REPLACE, Kind, Outcome, Resource
from azlake.azure.observed import SECRET_DIFFERS, SECRET_MATCHES, UNKNOWN, Observed, flat_tags, owner_from_tags
from azlake.azure.resource_groups import merged_tags
from azlake.errors import AzlakeError

if TYPE_CHECKING:
    from azlake.azure.clients import Clients

ROLE_NAMES = {"head": "headnode", "worker": "workernode", "zookeeper": "zookeepernode"}
# Failures of a creation that a not-yet-effective storage role causes (Azure reports it opaquely).
ROLE_NOT_EFFECTIVE_CODES = {"AmbariClusterCreationFailedErrorCode", "InternalServerError",
                            "StorageAccountAccessDenied", "ClusterCreationFailedDueToStorageAccess"}


def _models() -> Any:
    from azure.mgmt.hdinsight import models
    return models


def _read(clients: Clients, res: Resource) -> Observed:
    try:
        c = clients.hdinsight.clusters.get(res.context["group"], res.name)
    except ResourceNotFoundError:
        return Observed(False, detail=_name_problem(clients, res))
    p = c.properties
    # As Azure answers them ("Brazil South", "SPARK", "5.1.3000.0", "standard_e4_v3"): diff.same compares
    # them as Azure does.
    props: dict[str, Any] = {"location": c.location, "kind": p.cluster_definition.kind or "",
                             "version": p.cluster_version or "",
                             "spark": (p.cluster_definition.component_version or {}).get("Spark", UNKNOWN)}
    for role in (p.compute_profile.roles if p.compute_profile else []):
        short = {v: k for k, v in ROLE_NAMES.items()}.get((role.name or "").lower())
        if not short:
            continue
        props[f"nodes.{short}.size"] = role.hardware_profile.vm_size if role.hardware_profile else UNKNOWN
        props[f"nodes.{short}.count"] = role.target_instance_count
        if short == "worker":
            cap = role.autoscale_configuration.capacity if role.autoscale_configuration else None
            props["autoscale"] = {"min": cap.min_instance_count, "max": cap.max_instance_count} if cap else None
    props.update(_storage(p, res))
    props["identity"] = _identity(c, res)
    # Azure never returns the SSH user or password: never a reason to change.
    props.update({"ssh.username": UNKNOWN, **_gateway(clients, res, p), **flat_tags(c.tags)})
    return Observed(True, props, owner_from_tags(c.tags), p.provisioning_state, detail=p.cluster_state,
                    outputs={"created": str(p.created_date or ""), "state": p.cluster_state})


def _gateway(clients: Clients, res: Resource, p: Any) -> dict[str, Any]:
    """The gateway's user name and whether its password is the file's: compared here, never kept.

    Read only when the file's password is known (status, destroy and lake need none) and the cluster is
    ready: Azure answers `getGatewaySettings` for a running cluster.
    """
    unknown = {"login.username": UNKNOWN, "login.password": UNKNOWN}
    secret = res.secrets.get("login.password")
    if secret is None or p.provisioning_state != "Succeeded":
        return unknown
    from azure.core.exceptions import HttpResponseError
    try:
        settings = clients.hdinsight.clusters.get_gateway_settings(res.context["group"], res.name)
    except HttpResponseError:  # not readable now (e.g. the caller lacks the action): never a reason to change
        return unknown
    have = settings.password or ""
    if not have or set(have) == {"*"}:  # a masked answer cannot be compared
        return {**unknown, "login.username": settings.user_name or UNKNOWN}
    try:
        want = reveal(clients, secret)
    except NotInVault:  # apply generates it before it updates the cluster: the gateway then takes it
        return {"login.username": settings.user_name or UNKNOWN, "login.password": SECRET_DIFFERS}
    except AzlakeError:  # a vault password you may not read (status, destroy need none): not compared
        return {**unknown, "login.username": settings.user_name or UNKNOWN}
    same = hmac.compare_digest(have.encode(), want.encode())
    return {"login.username": settings.user_name or UNKNOWN, "login.password": SECRET_MATCHES if same
            else SECRET_DIFFERS}


def _storage(p: Any, res: Resource) -> dict[str, Any]:
    accounts = p.storage_profile.storageaccounts if p.storage_profile and p.storage_profile.storageaccounts else []
    default = next((a for a in accounts if a.is_default), None)
    if default is None:
        return {"storage.account": UNKNOWN, "storage.filesystem": UNKNOWN}
    return {"storage.account": (default.name or "").split(".")[0], "storage.filesystem": default.file_system}


def _identity(c: Any, res: Resource) -> Any:
    """The cluster's identity as Azure wrote it: the one the file names when present (diff compares ids
    case-insensitively), else the first."""
    ids = list((c.identity.user_assigned_identities or {}).keys()) if c.identity else []
    want = str(res.properties.get("identity", "")).lower()
    return next((i for i in ids if i.lower() == want), ids[0] if ids else None)


def _name_problem(clients: Clients, res: Resource) -> str | None:
    """Cluster names are global DNS names: say before apply when this one is taken."""
    try:
        result = clients.hdinsight.locations.check_name_availability(
            res.properties["location"], _models().NameAvailabilityCheckRequestParameters(
                name=res.name, type="clusters"))
    except Exception:  # pre-flight only: the creation reports the same problem
        return None
    return None if result.name_available else (result.message or f"the cluster name {res.name} is taken")


def preflight(clients: Clients, res: Resource) -> list[str]:
    """Azure's own validation of a creation (quota, sizes, names) before a 20-minute wait reveals it."""
    base = create_parameters(clients, res)
    params = _models().ClusterCreateRequestValidationParameters(
        location=base.location, tags=base.tags, properties=base.properties, identity=base.identity, name=res.name,
        type="Microsoft.HDInsight/clusters", tenant_id=None, fetch_aadds_resource=False)
    result = clients.hdinsight.locations.validate_cluster_create_request(res.properties["location"], params)
    return [f"{e.code}: {e.message}" for e in (result.validation_errors or [])]


_NODE_TYPES = {"head": "headnode", "worker": "workernode", "zookeeper": "zookeepernode"}


def size_key(name: str) -> str:
    """Standard_E2_v3, standard_e2_v3 and E2_v3 are one size (billingSpecs lists them either way)."""
    name = (name or "").lower()
    return name[len("standard_"):] if name.startswith("standard_") else name


def offered_sizes(clients: Clients, location: str, kind: str, version: str) -> dict[str, dict[str, str]]:
    """The VM sizes HDInsight offers per node role in `location` (Locations_ListBillingSpecs).

    A subscription-level read: it answers before the resource group exists. vmSizeFilters apply in order
    (later ones override earlier ones); a filter field left empty matches everything.
    """
    specs = clients.hdinsight.locations.list_billing_specs(location)
    offered = {role: {size_key(s): s for s in (specs.vm_sizes or [])} for role in _NODE_TYPES}  # key -> as Azure writes it

    def matches(values: list | None, wanted: str) -> bool:
        return not values or any(str(v).lower() == wanted for v in values)

    for f in specs.vm_size_filters or []:
        mode = str(f.filter_mode or "").lower()
        if mode not in ("include", "exclude") or not matches(f.cluster_flavors, kind):
            continue
        if not matches(f.cluster_versions, version) or not matches(f.os_type, "linux"):
            continue
        if f.regions and not any(str(r).lower().replace(" ", "") == location.lower() for r in f.regions):
            continue
        for role, node_type in _NODE_TYPES.items():
            if matches(f.node_types, node_type):
                sizes = {size_key(s): s for s in (f.vm_sizes or [])}
                if mode == "include":
                    offered[role].update(sizes)
                else:
                    offered[role] = {k: v for k, v in offered[role].items() if k not in sizes}
    return offered


def create_parameters(clients: Clients, res: Resource, observed: Observed | None = None) -> Any:
    m, p = _models(), res.properties
    login_pw = reveal(clients, res.secrets["login.password"])
    roles = []
    for short, role_name in ROLE_NAMES.items():
        roles.append(m.Role(name=role_name, target_instance_count=p[f"nodes.{short}.count"],
                            hardware_profile=m.HardwareProfile(vm_size=p[f"nodes.{short}.size"]),
                            os_profile=_os_profile(clients, res),
                            autoscale_configuration=_autoscale(p["autoscale"]) if short == "worker" else None))
    definition = m.ClusterDefinition(kind=p["kind"], component_version={"Spark": p["spark"]} if p["spark"] else None,
                                     configurations={"gateway": {"restAuthCredential.isEnabled": True,
                                                                 "restAuthCredential.username": p["login.username"],
                                                                 "restAuthCredential.password": login_pw}})
    storage = None
    if p.get("storage.account"):
        storage = m.StorageProfile(storageaccounts=[m.StorageAccount(
            name=f"{p['storage.account']}.dfs.core.windows.net", is_default=True,
            file_system=p["storage.filesystem"], resource_id=res.context["storage_account_id"],
            msi_resource_id=p["identity"])])
    props = m.ClusterCreateProperties(cluster_version=p["version"], os_type="Linux", tier="Standard",
                                      cluster_definition=definition, compute_profile=m.ComputeProfile(roles=roles),
                                      storage_profile=storage, min_supported_tls_version="1.2")
    identity = m.ClusterIdentity(type="UserAssigned",
                                 user_assigned_identities={p["identity"]: m.UserAssignedIdentity()})
    return m.ClusterCreateParametersExtended(location=p["location"], tags=merged_tags(res, observed),
                                             properties=props, identity=identity)


def _os_profile(clients: Clients, res: Resource) -> Any:
    m = _models()
    ssh_pw, key = res.secrets.get("ssh.password"), res.secrets.get("ssh.public_key")
    ssh_profile = None
    if key:
        text = Path(key).expanduser().read_text().strip() if Path(key).expanduser().is_file() else key
        ssh_profile = m.SshProfile(public_keys=[m.SshPublicKey(certificate_data=text)])
    linux = m.LinuxOperatingSystemProfile(username=res.properties["ssh.username"],
                                          password=reveal(clients, ssh_pw) if ssh_pw else None,
                                          ssh_profile=ssh_profile)
    return m.OsProfile(linux_operating_system_profile=linux)


def _autoscale(cfg: dict | None) -> Any:
    if not cfg:
        return None
    m = _models()
    return m.Autoscale(capacity=m.AutoscaleCapacity(min_instance_count=cfg["min"], max_instance_count=cfg["max"]))


class Cluster(Kind):
    """An HDInsight Spark cluster: created when work needs it, deleted when idle; its name is global."""

    name = "cluster"
    global_name = True
    replace_when_failed = True   # unusable and billing: deleting it first is what Azure support advises
    role_not_effective_codes = frozenset(ROLE_NOT_EFFECTIVE_CODES)
    rules = {key: REPLACE for key in (
        "location", "kind", "version", "spark", "storage.account", "storage.filesystem", "identity",
        "nodes.head.size", "nodes.head.count", "nodes.zookeeper.size", "nodes.zookeeper.count",
        "nodes.worker.size", "ssh.username")}
    # Azure validates a creation against what exists: the group, the identity, the lake and the password.
    preflight_after = frozenset({"resource_group", "identity", "storage", "key_vault", "kv_secret"})

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        return _read(clients, res)

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        return Outcome(clients.hdinsight.clusters.begin_create(res.context["group"], res.name,
                                                               create_parameters(clients, res, observed)))

    def update(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None,
               paths: set[str]) -> Outcome:
        """In-place changes: tags (PATCH), gateway credential, autoscale, worker count. HDInsight refuses a
        second operation while one runs: each starts once the previous one finished."""
        m, group = _models(), res.context["group"]
        hdi = clients.hdinsight.clusters
        if any(path.startswith("tags.") for path in paths):
            hdi.update(group, res.name, m.ClusterPatchParameters(tags=merged_tags(res, observed)))
        starts = []
        if paths & {"login.username", "login.password"}:
            starts.append(lambda: hdi.begin_update_gateway_settings(group, res.name, m.UpdateGatewaySettingsParameters(
                is_credential_enabled=True, user_name=res.properties["login.username"],
                password=reveal(clients, res.secrets["login.password"]))))
        if "autoscale" in paths:
            param = m.AutoscaleConfigurationUpdateParameter(autoscale=_autoscale(res.properties["autoscale"]))
            starts.append(lambda: hdi.begin_update_auto_scale_configuration(group, res.name, "workernode", param))
        if "nodes.worker.count" in paths:
            size = m.ClusterResizeParameters(target_instance_count=res.properties["nodes.worker.count"])
            starts.append(lambda: hdi.begin_resize(group, res.name, "workernode", size))
        return Outcome(then=tuple(starts))

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        return Outcome(clients.hdinsight.clusters.begin_delete(res.context["group"], res.name))

    def status(self, clients: Clients, res: Resource) -> str | None:
        """The cluster's state as it moves (Accepted, AzureVMConfiguration, ... Running), for progress."""
        try:
            c = clients.hdinsight.clusters.get(res.context["group"], res.name)
        except ResourceNotFoundError:
            return "gone"
        return c.properties.cluster_state or c.properties.provisioning_state or ""

    def preflight(self, clients: Clients, res: Resource) -> list[str] | None:
        return preflight(clients, res)

    def update_warnings(self, res: Resource, paths: set[str]) -> list[str]:
        note = _ssh_password_note(res) if "login.password" in paths else None
        return [note] if note else []


def _ssh_password_note(res: Resource) -> str | None:
    """HDInsight sets the SSH password when it creates the nodes; its API has no call to change it."""
    if res.secrets.get("ssh.password") is None:
        return None  # SSH by key: nothing to say
    what = (f"cluster ({res.name}): the SSH password cannot change in place (HDInsight's API sets it only when "
            "it creates the cluster), so SSH keeps the old one")
    on_nodes = ("a script action run on every node (Microsoft's guide: 'Change the SSH user password or public "
                "key'; see docs/azure-facts.md)")
    if res.lifecycle == "ephemeral":
        return (what + " until the cluster is created again: `azlake destroy` removes this ephemeral cluster and "
                "the next `azlake apply` or `azlake run` creates it with the new password; or change it with "
                + on_nodes)
    return (what + f": azlake never replaces a persistent cluster; change it with {on_nodes}")
