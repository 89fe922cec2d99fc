"""The desired state: an environment spec turned into Resources with addresses, ids and dependencies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from azlake.azure.kind import Resource
from azlake.azure.observed import META_ENVIRONMENT, SECRET_MATCHES, flat_tags, ownership_tags
from azlake.catalog import hdinsight_version, role_definition_id
from azlake.envfile.load import derived
from azlake.errors import AzlakeError
from azlake.plan.vault import add_vault, password_dependencies

if TYPE_CHECKING:
    from azlake.envfile.load import LoadedEnvironment

DATA_OWNER = "Storage Blob Data Owner"
DEPLOYER_ROLE = "Storage Blob Data Contributor"
LOCK_NAME = "azlake-cannotdelete"


def role_definition_resource_id(subscription: str, role: str) -> str:
    return f"/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{role_definition_id(role)}"


class _Builder:
    def __init__(self, loaded: LoadedEnvironment, subscription: str) -> None:
        self.loaded, self.spec, self.sub = loaded, loaded.spec, subscription
        self.out: list[Resource] = []
        self.env = self.spec.name
        self.group = derived(self.spec.resource_group.name, "resource_group.name")
        self.rg_id = f"/subscriptions/{subscription}/resourceGroups/{self.group}"

    def add(self, address: str, kind: str, rtype: str, name: str, rid: str | None, properties: dict[str, Any],
            depends_on: list[str] | None = None, lifecycle: str = "persistent", **context: Any) -> Resource:
        res = Resource(address, kind, rtype, name, rid, lifecycle, properties, list(depends_on or []), context)
        self.out.append(res)
        return res

    def tags(self, lifecycle: str = "persistent") -> dict[str, str]:
        return flat_tags({**self.spec.tags, **ownership_tags(self.env, lifecycle)})

    def base(self) -> None:
        s = self.spec
        self.add("resource_group", "resource_group", "Microsoft.Resources/resourceGroups",
                 self.group, self.rg_id, {"location": s.location, **self.tags()}, group=self.group)
        identity = derived(s.identity.name, "identity.name")
        self.identity_id = f"{self.rg_id}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{identity}"
        self.add("identity", "identity", "Microsoft.ManagedIdentity/userAssignedIdentities", identity,
                 self.identity_id, {"location": s.location, **self.tags()}, ["resource_group"], group=self.group)

    def lake(self) -> tuple[str, str, str] | None:
        """The lake's (group, account, account id), own or central; adds its resources."""
        lake = self.spec.data_lake
        if lake is None:
            return None
        if lake.use:
            if self.loaded.lake is None:
                raise AzlakeError(f"data_lake.use: {lake.use}: the central lake's file was not loaded")
            central, central_file = self.loaded.lake.spec, self.loaded.lake.path
            if self.sub == self.spec.subscription and central.subscription.lower() != self.sub.lower():
                raise AzlakeError(f"the central lake {central.name!r} is in subscription {central.subscription}, "
                                  f"this environment in {self.sub}: azlake manages a department on a central lake "
                                  "in the same subscription only",
                                  hint="put the department in the lake's subscription, or give it its own data_lake")
            if central.data_lake is None:
                raise AzlakeError(f"data_lake.use: {lake.use}: {central_file} has no data_lake")
            group = derived(central.resource_group.name, "resource_group.name")
            account = derived(central.data_lake.account, "data_lake.account")
            acct_id = self._account_id(group, account)
            self.add("data_lake.account", "storage", "Microsoft.Storage/storageAccounts", account, acct_id, {},
                     group=group, account=account, used_from=central.name,
                     used_file=str(central_file)).managed = False
            return group, account, acct_id
        return self._own_lake(lake)

    def _account_id(self, group: str, account: str) -> str:
        return f"/subscriptions/{self.sub}/resourceGroups/{group}/providers/Microsoft.Storage/storageAccounts/{account}"

    def _own_lake(self, lake: Any) -> tuple[str, str, str]:
        group, account = self.group, derived(lake.account, "data_lake.account")
        acct_id = self._account_id(group, account)
        self.add("data_lake.account", "storage", "Microsoft.Storage/storageAccounts", account, acct_id, {
            "location": self.spec.location, "performance": lake.performance, "redundancy": lake.redundancy,
            "hierarchical_namespace": lake.hierarchical_namespace, "https_only": True,
            "minimum_tls_version": "TLS1_2", "allow_blob_public_access": False, **self.tags()},
            ["resource_group"], group=group, account=account)
        if lake.protection.soft_delete_days:
            self.add("data_lake.soft_delete", "blob_service", "Microsoft.Storage/storageAccounts/blobServices",
                     "default", f"{acct_id}/blobServices/default",
                     {"soft_delete_days": lake.protection.soft_delete_days}, ["data_lake.account"],
                     group=group, account=account)
        if lake.protection.lock:
            self.add("data_lake.lock", "lock", "Microsoft.Authorization/locks", LOCK_NAME,
                     f"{acct_id}/providers/Microsoft.Authorization/locks/{LOCK_NAME}",
                     {"level": "CanNotDelete", "notes": f"managed by azlake for environment {self.env}"},
                     ["data_lake.account"], scope=acct_id)
        dir_deps = ["data_lake.account"]
        if lake.deployer_access:
            self.role("data_lake.deployer_access", DEPLOYER_ROLE, acct_id, ["data_lake.account"],
                      principal="deployer")
            dir_deps = ["data_lake.deployer_access"]
        for zone in lake.zones:
            self.container(f"data_lake.zone[{zone}]", group, account, zone, ["data_lake.account"], "persistent")
        for zone, paths in lake.directories.items():
            for path in paths:
                self.directory(f"data_lake.dir[{zone}/{path}]", account, zone, path,
                               [f"data_lake.zone[{zone}]", *dir_deps], "persistent")
        return group, account, acct_id

    def role(self, address: str, role: str, scope: str, deps: list[str], principal: str) -> Resource:
        return self.add(address, "role", "Microsoft.Authorization/roleAssignments", role, None,
                        {"role": role, "scope": scope}, deps, scope=scope, principal=principal,
                        role_definition_id=role_definition_resource_id(self.sub, role))

    def container(self, address: str, group: str, account: str, name: str, deps: list[str],
                  lifecycle: str) -> None:
        acct_id = self._account_id(group, account)
        self.add(address, "container", "Microsoft.Storage/storageAccounts/blobServices/containers", name,
                 f"{acct_id}/blobServices/default/containers/{name}",
                 {f"metadata.{META_ENVIRONMENT}": self.env}, deps, lifecycle,
                 group=group, account=account, container=name)

    def directory(self, address: str, account: str, filesystem: str, path: str, deps: list[str],
                  lifecycle: str) -> None:
        self.add(address, "directory", "Microsoft.Storage/storageAccounts/fileSystems/directories", path,
                 f"https://{account}.dfs.core.windows.net/{filesystem}/{path}",
                 {f"metadata.{META_ENVIRONMENT}": self.env}, deps, lifecycle,
                 account=account, filesystem=filesystem, path=path)

    def cluster(self, lake: tuple[str, str, str] | None) -> None:
        c = self.spec.cluster
        if c is None:
            return
        deps = ["resource_group", "identity"]
        storage: dict[str, Any] = {}
        if lake:
            group, account, acct_id = lake
            own_lake = self.spec.data_lake if self.spec.data_lake and not self.spec.data_lake.use else None
            self.role(f"identity.role[{DATA_OWNER}]", DATA_OWNER, acct_id, ["identity", "data_lake.account"],
                      principal="identity")
            fs = derived(c.storage.filesystem, "cluster.storage.filesystem")
            self.container("cluster.filesystem", group, account, fs, ["data_lake.account"], c.lifecycle)
            for path in c.storage.layout:
                dir_deps = ["cluster.filesystem"]
                if own_lake is not None and own_lake.deployer_access:
                    dir_deps.append("data_lake.deployer_access")
                self.directory(f"cluster.dir[{path}]", account, fs, path, dir_deps, c.lifecycle)
            deps = [f"identity.role[{DATA_OWNER}]", "cluster.filesystem"]
            storage = {"storage.account": account, "storage.filesystem": fs}
        version = hdinsight_version(c.version)
        props = {"location": self.spec.location, "kind": c.kind, "version": c.version,
                 "spark": version.spark if version else None, **storage, "identity": self.identity_id}
        for role in ("head", "zookeeper", "worker"):
            node = getattr(c.nodes, role)
            props[f"nodes.{role}.size"], props[f"nodes.{role}.count"] = node.size, node.count
        props["autoscale"] = {"min": c.autoscale.min, "max": c.autoscale.max} if c.autoscale else None
        props.update({"login.username": c.login.username, "login.password": SECRET_MATCHES,
                      "ssh.username": c.ssh.username, **self.tags(c.lifecycle)})
        deps = deps + password_dependencies(self, c.login.password)
        name = derived(c.name, "cluster.name")
        res = self.add("cluster", "cluster", "Microsoft.HDInsight/clusters", name,
                       f"{self.rg_id}/providers/Microsoft.HDInsight/clusters/{name}", props, deps, c.lifecycle,
                       group=self.group,
                       storage_account_id=lake[2] if lake else None)
        unset = set(getattr(self.loaded, "unresolved", {}) or {})  # status, destroy, lake: no password needed
        res.secrets = {"login.password": None if "cluster.login.password" in unset else c.login.password,
                       "ssh.password": None if "cluster.ssh.password" in unset else c.ssh.password,
                       "ssh.public_key": c.ssh.public_key}

    def streaming(self) -> None:
        st = self.spec.streaming
        if st is None:
            return
        group, namespace = self.group, derived(st.namespace, "streaming.namespace")
        ns_id = f"{self.rg_id}/providers/Microsoft.EventHub/namespaces/{namespace}"
        self.add("streaming.namespace", "eh_namespace", "Microsoft.EventHub/namespaces", namespace, ns_id,
                 {"location": self.spec.location, "sku": st.sku, "capacity": st.capacity, **self.tags()},
                 ["resource_group"], group=group, namespace=namespace)
        for hub, cfg in st.hubs.items():
            self.add(f"streaming.hub[{hub}]", "eh_hub", "Microsoft.EventHub/namespaces/eventhubs", hub,
                     f"{ns_id}/eventhubs/{hub}", {"partitions": cfg.partitions,
                                                  "retention_hours": cfg.retention_hours},
                     ["streaming.namespace"], group=group, namespace=namespace, hub=hub)
            for cg in cfg.consumer_groups:
                self.add(f"streaming.consumer_group[{hub}/{cg}]", "eh_group",
                         "Microsoft.EventHub/namespaces/eventhubs/consumergroups", cg,
                         f"{ns_id}/eventhubs/{hub}/consumergroups/{cg}", {"user_metadata": self.meta()},
                         [f"streaming.hub[{hub}]"], group=group, namespace=namespace, hub=hub, group_name=cg)

    def meta(self) -> str:
        return f"{META_ENVIRONMENT}={self.env}"


def desired_resources(loaded: LoadedEnvironment, subscription: str) -> list[Resource]:
    """Every resource the environment file asks for, in file order (the graph decides the apply order)."""
    b = _Builder(loaded, subscription)
    b.base()
    add_vault(b)
    lake = b.lake()
    b.cluster(lake)
    b.streaming()
    return b.out
