"""Reads one resource group through the SDK (GET and LIST only: import never writes to Azure)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from azlake.azure.envlock import CONTAINER as LOCKS
from azlake.catalog import role_definitions
from azlake.importer import listing
from azlake.importer.found import Cluster, Found, Hub, Lake, Listing, Streaming

if TYPE_CHECKING:
    from azlake.azure.clients import Clients

MODELLED = {"microsoft.storage/storageaccounts", "microsoft.managedidentity/userassignedidentities",
            "microsoft.hdinsight/clusters", "microsoft.eventhub/namespaces"}
DATA_ROLES = {"b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
              "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
              "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1": "Storage Blob Data Reader"}
_ROLES = {"headnode": "head", "workernode": "worker", "zookeepernode": "zookeeper"}


def _text(value: Any) -> str:
    """An SDK enum or string as Azure spells it (`Hot`, `TLS1_2`), never `AccessTier.HOT`."""
    return str(getattr(value, "value", value) or "")


class Reader:
    def __init__(self, clients: Clients, group: str, depth: int, limit: int,
                 progress: Callable[[str], None] | None = None) -> None:
        self.clients, self.group, self.depth, self.limit = clients, group, depth, limit
        self.say = progress or (lambda text: None)

    def read(self) -> Found:
        c = self.clients
        g = c.resources.resource_groups.get(self.group)
        found = Found(c.target.subscription, g.name, g.location, dict(g.tags or {}))
        self.say(f"reading resource group {g.name}")
        items = list(c.resources.resources.list_by_resource_group(self.group))
        by_type: dict[str, list[Any]] = {}
        for r in items:
            by_type.setdefault(str(r.type).lower(), []).append(r)
            if str(r.type).lower() not in MODELLED:
                found.leave(f"{r.type} {r.name}: azlake does not model it")
        found.cluster = self._cluster(found, by_type.get("microsoft.hdinsight/clusters", []))
        found.lake = self._lake(found, by_type.get("microsoft.storage/storageaccounts", []))
        self._identity(found, by_type.get("microsoft.managedidentity/userassignedidentities", []))
        found.streaming = self._streaming(found, by_type.get("microsoft.eventhub/namespaces", []))
        self._group_locks(found)
        return found

    # --- cluster ---------------------------------------------------------------------------------
    def _cluster(self, found: Found, items: list[Any]) -> Cluster | None:
        chosen = None
        for item in items:
            c = self.clients.hdinsight.clusters.get(self.group, item.name)
            kind = str(c.properties.cluster_definition.kind or "").lower()
            if kind != "spark":
                found.leave(f"HDInsight cluster {c.name} ({kind or 'unknown kind'}): azlake models Spark clusters only")
            elif chosen is not None:
                found.leave(f"HDInsight cluster {c.name}: a second cluster (an environment has one)")
            else:
                chosen = self._cluster_facts(found, c)
        return chosen

    def _cluster_facts(self, found: Found, c: Any) -> Cluster:
        p = c.properties
        self.say(f"reading cluster {c.name}")
        nodes, autoscale, ssh_user = {}, None, None
        for role in (p.compute_profile.roles if p.compute_profile else []):
            short = _ROLES.get(str(role.name).lower())
            if short is None:
                found.leave(f"cluster {c.name}: node role {role.name}")
                continue
            nodes[short] = (role.hardware_profile.vm_size if role.hardware_profile else "", role.target_instance_count)
            linux = role.os_profile.linux_operating_system_profile if role.os_profile else None
            ssh_user = ssh_user or (linux.username if linux else None)
            scale = role.autoscale_configuration
            if short == "worker" and scale is not None:
                if scale.capacity is not None:
                    autoscale = (scale.capacity.min_instance_count, scale.capacity.max_instance_count)
                if scale.recurrence is not None:
                    found.leave(f"cluster {c.name}: schedule-based autoscale (azlake writes load-based only)")
            if role.virtual_network_profile is not None:
                found.leave(f"cluster {c.name}: its virtual network ({role.virtual_network_profile.id})")
            if role.script_actions:
                found.leave(f"cluster {c.name}: script actions of {role.name}")
        out = Cluster(c.name, c.id, "spark", str(p.cluster_version or ""), c.location, dict(c.tags or {}), nodes,
                      autoscale, ssh_user=ssh_user)
        self._cluster_storage(found, c, out)
        out.login_user = self._gateway_user(c.name)
        if _text(p.tier or "standard").lower() != "standard":
            found.leave(f"cluster {c.name}: tier {p.tier}")
        if p.disk_encryption_properties is not None or p.encryption_in_transit_properties is not None:
            found.leave(f"cluster {c.name}: disk or in-transit encryption settings")
        return out

    def _cluster_storage(self, found: Found, c: Any, out: Cluster) -> None:
        accounts = c.properties.storage_profile.storageaccounts if c.properties.storage_profile else None
        for a in accounts or []:
            name = str(a.name or "").split(".")[0]
            if not a.is_default:
                found.leave(f"cluster {c.name}: additional storage account {name}")
                continue
            out.storage_account, out.storage_account_id = name, a.resource_id
            out.filesystem, out.identity_id = a.file_system or a.container, a.msi_resource_id
        ids = list((c.identity.user_assigned_identities or {}).keys()) if c.identity else []
        out.identity_id = out.identity_id or (ids[0] if ids else None)

    def _gateway_user(self, cluster: str) -> str | None:
        """The gateway's user name. Azure's answer also holds the password: it is dropped here, unread."""
        from azure.core.exceptions import HttpResponseError
        try:
            settings = self.clients.hdinsight.clusters.get_gateway_settings(self.group, cluster)
        except HttpResponseError:
            return None
        user: str | None = settings.user_name
        del settings
        return user

    # --- lake ------------------------------------------------------------------------------------
    def _lake(self, found: Found, items: list[Any]) -> Lake | None:
        wanted = (found.cluster.storage_account or "").lower() if found.cluster else ""
        accounts = [self.clients.storage.storage_accounts.get_properties(self.group, i.name) for i in items]
        chosen = next((a for a in accounts if a.name.lower() == wanted), None) or \
            next((a for a in accounts if a.is_hns_enabled), None) or (accounts[0] if len(accounts) == 1 else None)
        for a in accounts:
            if a is not chosen:
                found.leave(f"storage account {a.name}: " + ("a second account (an environment has one lake)"
                                                             if chosen else "no hierarchical namespace"))
        if chosen is not None and _text(chosen.kind) not in ("StorageV2", "BlockBlobStorage"):
            found.leave(f"storage account {chosen.name}: kind {_text(chosen.kind)} (azlake creates StorageV2 or "
                        "BlockBlobStorage; this one stays as it is)")
        if found.cluster and found.cluster.storage_account and (chosen is None or chosen.name.lower() != wanted):
            found.central_lake = self._central(found, found.cluster, found.cluster.storage_account)
        return self._lake_facts(found, chosen) if chosen is not None else None

    def _central(self, found: Found, cluster: Cluster, account: str) -> Lake | None:
        """The cluster works in a lake of another group (`account`): a department on a central lake."""
        match = re.search(r"/resourcegroups/([^/]+)/", cluster.storage_account_id or "", re.IGNORECASE)
        if match is None:
            found.leave(f"cluster {cluster.name}: its storage account {account} (not found in this subscription)")
            return None
        group = match.group(1)
        a = self.clients.storage.storage_accounts.get_properties(group, account)
        tier, _, redundancy = (a.sku.name or "").partition("_")
        lake = Lake(a.name, a.id, group, a.location, tier.lower(), redundancy, bool(a.is_hns_enabled),
                    dict(a.tags or {}))
        cluster.layout = self._list(lake, cluster.filesystem, 2, listing.HDINSIGHT_FOLDERS)
        return lake

    def _lake_facts(self, found: Found, a: Any) -> Lake:
        self.say(f"reading storage account {a.name}")
        tier, _, redundancy = (a.sku.name or "").partition("_")
        lake = Lake(a.name, a.id, self.group, a.location, tier.lower(), redundancy, bool(a.is_hns_enabled),
                    dict(a.tags or {}))
        self._account_settings(found, a)
        self._soft_delete(found, lake)
        self._account_locks(found, lake)
        lake.deployer_access = self._deployer(found, lake)
        elsewhere = self._used_by_other_groups(a.name)
        for fs in self.clients.storage.blob_containers.list(self.group, a.name):
            if fs.name == LOCKS:
                continue  # where azlake's commands lock environments: azlake's, not a zone
            if fs.name in elsewhere:
                found.leave(f"filesystem {fs.name}: the working filesystem of cluster {elsewhere[fs.name]} (a "
                            "department on this lake: import its group into the same folder)")
            elif found.cluster is not None and fs.name == found.cluster.filesystem:
                found.cluster.layout = self._list(lake, fs.name, 2, listing.HDINSIGHT_FOLDERS)
            else:
                lake.filesystems[fs.name] = self._list(lake, fs.name, self.depth)
        return lake

    def _used_by_other_groups(self, account: str) -> dict[str, str]:
        """Filesystems of this lake that clusters of other groups work in (departments on a central lake)."""
        out = {}
        for c in self.clients.hdinsight.clusters.list():
            match = re.search(r"/resourcegroups/([^/]+)/", str(c.id), re.IGNORECASE)
            group = match.group(1) if match else ""
            profile = c.properties.storage_profile
            for a in (profile.storageaccounts if profile and profile.storageaccounts else []):
                if a.is_default and str(a.name or "").split(".")[0].lower() == account.lower() and \
                        group.lower() != self.group.lower():
                    out[a.file_system] = f"{c.name} (group {group})"
        return out

    def _list(self, lake: Lake, filesystem: str | None, depth: int, skip: frozenset[str] = frozenset()) -> Listing:
        if not filesystem:
            return Listing()
        self.say(f"listing {lake.name}/{filesystem} (depth {depth}, at most {self.limit} directories)")
        return listing.list_directories(self.clients, lake.name, filesystem, depth, self.limit, self.say, skip)

    def _account_settings(self, found: Found, a: Any) -> None:
        rules = a.network_rule_set
        if rules is not None and (_text(rules.default_action).lower() == "deny" or rules.ip_rules
                                  or rules.virtual_network_rules):
            found.leave(f"storage account {a.name}: network rules (default {_text(rules.default_action)}, "
                        f"{len(rules.ip_rules or [])} IP rule(s), {len(rules.virtual_network_rules or [])} "
                        "network rule(s))")
        if a.allow_shared_key_access is False:
            found.leave(f"storage account {a.name}: shared key access is turned off")
        if a.key_policy is not None or a.sas_policy is not None:
            found.leave(f"storage account {a.name}: key expiration or SAS policy")
        if a.private_endpoint_connections:
            found.leave(f"storage account {a.name}: private endpoints")
        if a.access_tier and _text(a.access_tier).lower() != "hot":
            found.leave(f"storage account {a.name}: default access tier {_text(a.access_tier)}")
        fixes = [(a.enable_https_traffic_only is False, "HTTPS-only off (azlake turns it on)"),
                 (_text(a.minimum_tls_version or "TLS1_2").upper() != "TLS1_2",
                  f"minimum TLS {_text(a.minimum_tls_version)} (azlake sets TLS1_2)"),
                 (bool(a.allow_blob_public_access), "anonymous blob access allowed (azlake turns it off)")]
        for differs, what in fixes:
            if differs:
                found.notes.append(f"storage account {a.name}: {what}: adopting the account changes it")

    def _soft_delete(self, found: Found, lake: Lake) -> None:
        s = self.clients.storage.blob_services.get_service_properties(self.group, lake.name)
        blob, container = s.delete_retention_policy, s.container_delete_retention_policy
        lake.soft_delete_days = blob.days if blob and blob.enabled else None
        cdays = container.days if container and container.enabled else None
        if cdays != lake.soft_delete_days:
            found.leave(f"storage account {lake.name}: container soft delete {cdays or 'off'} (blobs: "
                        f"{lake.soft_delete_days or 'off'}; azlake sets both alike when it changes them)")
        if s.is_versioning_enabled or (s.change_feed and s.change_feed.enabled):
            found.leave(f"storage account {lake.name}: blob versioning or change feed")

    def _account_locks(self, found: Found, lake: Lake) -> None:
        for lock in self.clients.locks.management_locks.list_by_scope(lake.id):
            at = (lock.id or "").lower().split("/providers/microsoft.authorization/locks/", 1)[0]
            if at != lake.id.lower():
                continue  # inherited from the group: said once by _group_locks
            if _text(lock.level).lower() == "cannotdelete" and not lake.lock:
                lake.lock = True
            else:
                found.leave(f"storage account {lake.name}: {_text(lock.level)} lock {lock.name}")

    def _deployer(self, found: Found, lake: Lake) -> bool:
        """deployer_access: true only when you already hold its role there (else the plan would add one)."""
        held = self._data_roles(lake.id, self.clients.principal_id)
        if "Storage Blob Data Contributor" in held:
            return True
        if held:
            found.notes.append(f"you hold {', '.join(sorted(held))} on {lake.name}: deployer_access stays false "
                               "(azlake's own is Storage Blob Data Contributor)")
        return False

    def _data_roles(self, scope: str, principal: str | None) -> set[str]:
        if not principal:
            return set()
        out = set()
        for a in self.clients.authorization.role_assignments.list_for_scope(
                scope, filter=f"principalId eq '{principal}'"):
            guid = str(a.role_definition_id).rsplit("/", 1)[-1].lower()
            if a.principal_id == principal and str(a.scope).lower().rstrip("/") == scope.lower() and guid in DATA_ROLES:
                out.add(DATA_ROLES[guid])
        return out

    # --- identity, event hubs, group locks --------------------------------------------------------
    def _identity(self, found: Found, items: list[Any]) -> None:
        """The cluster's identity; without a cluster, the one holding a data role on the lake, or the only one."""
        wanted = (found.cluster.identity_id or "").lower().rstrip("/") if found.cluster else ""
        lake = found.lake or found.central_lake
        identities = [self.clients.msi.user_assigned_identities.get(self.group, i.name) for i in items]
        roles = {i.id: self._data_roles(lake.id, i.principal_id) if lake else set() for i in identities}
        chosen = next((i for i in identities if str(i.id).lower() == wanted), None) if wanted else \
            next((i for i in identities if roles[i.id]), identities[0] if len(identities) == 1 else None)
        for i in identities:
            if i is not chosen:
                found.leave(f"managed identity {i.name}: not the identity of the cluster or the lake")
        if chosen is None:
            found.notes.append("no managed identity here: azlake gives every environment one, so the plan "
                               "creates it (the only thing it creates)")
            return
        found.identity, found.identity_tags = chosen.name, dict(chosen.tags or {})
        if lake:
            self._other_roles(found, chosen, lake)
        held = roles[chosen.id]
        if lake and held and not found.cluster:
            found.leave(f"identity {chosen.name}: {', '.join(sorted(held))} on {lake.name} (azlake assigns the "
                        "identity a role only for a cluster)")
        elif lake and held and "Storage Blob Data Owner" not in held:
            found.notes.append(f"identity {chosen.name} holds {', '.join(sorted(held))} on {lake.name}; azlake "
                               "gives it Storage Blob Data Owner: the plan adds that assignment")

    def _other_roles(self, found: Found, identity: Any, lake: Lake) -> None:
        """The identity's roles the file does not express: other roles on the lake, and roles inherited from
        its group or subscription (listed at the lake's scope, Azure answers those too)."""
        names = {guid.lower(): name for name, guid in role_definitions().items()}
        for a in self.clients.authorization.role_assignments.list_for_scope(
                lake.id, filter=f"principalId eq '{identity.principal_id}'"):
            guid = str(a.role_definition_id).rsplit("/", 1)[-1].lower()
            at_lake = str(a.scope).lower().rstrip("/") == lake.id.lower()
            if a.principal_id != identity.principal_id or (at_lake and guid in DATA_ROLES):
                continue
            where = "the lake" if at_lake else str(a.scope).rstrip("/").rsplit("/", 1)[-1] or "/"
            found.leave(f"identity {identity.name}: {names.get(guid, guid)} on {where}")

    def _streaming(self, found: Found, items: list[Any]) -> Streaming | None:
        eh = self.clients.eventhub
        for extra in items[1:]:
            found.leave(f"Event Hubs namespace {extra.name}: a second namespace")
        if not items:
            return None
        ns = eh.namespaces.get(self.group, items[0].name)
        out = Streaming(ns.name, _text(ns.sku.tier or ns.sku.name).lower(), ns.sku.capacity or 1, dict(ns.tags or {}))
        for hub in eh.event_hubs.list_by_namespace(self.group, ns.name):
            retention = hub.retention_description
            hours = retention.retention_time_in_hours if retention and retention.retention_time_in_hours else \
                (hub.message_retention_in_days or 1) * 24
            groups = [g.name for g in eh.consumer_groups.list_by_event_hub(self.group, ns.name, hub.name)
                      if g.name != "$Default"]
            out.hubs[hub.name] = Hub(hub.partition_count, hours, sorted(groups))
        return out

    def _group_locks(self, found: Found) -> None:
        """Locks on the group, and on resources other than the lake (the lake's own: _account_locks)."""
        group_id = f"/subscriptions/{found.subscription}/resourcegroups/{self.group}".lower()
        lake_id = found.lake.id.lower() if found.lake else None
        for lock in self.clients.locks.management_locks.list_at_resource_group_level(self.group):
            at = (lock.id or "").lower().split("/providers/microsoft.authorization/locks/", 1)[0]
            if at == group_id:
                found.leave(f"resource group {self.group}: {_text(lock.level)} lock {lock.name} (HDInsight cannot "
                            "create or delete a cluster in a locked group; azlake never locks the group)")
            elif at != lake_id:
                found.leave(f"{_text(lock.level)} lock {lock.name} on {at.rsplit('/', 1)[-1]} (azlake locks only "
                            "the lake's account)")
