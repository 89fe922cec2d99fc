"""The lake's storage account, its blob service (soft delete) and its filesystems through ARM."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from azure.core.exceptions import AzureError, HttpResponseError, ResourceNotFoundError

from azlake.azure import datalake
from azlake.azure.kind import DONE, REFUSE_MOVE, UPDATE, Kind, Outcome, Resource, Rule
from azlake.azure.listings import listed
from azlake.azure.observed import META_ENVIRONMENT, Observed, flat_tags, owner_from_tags
from azlake.azure.resource_groups import merged_tags

if TYPE_CHECKING:
    from azlake.azure.clients import Clients


def _models() -> Any:
    from azure.mgmt.storage import models
    return models


def _sku(res: Resource) -> tuple[str, str]:
    """(kind, sku name) Azure needs for the file's performance and redundancy."""
    p = res.properties
    if p["performance"] == "premium":
        return "BlockBlobStorage", f"Premium_{p['redundancy']}"
    return "StorageV2", f"Standard_{p['redundancy']}"


# Redundancy changes Azure does in place; the rest (adding/removing zones) is a customer-initiated
# conversion that can take 72 hours.
_IN_PLACE_REDUNDANCY = [{"LRS", "GRS", "RAGRS"}, {"ZRS", "GZRS", "RAGZRS"}]
_ZONE_CONVERSION = Rule.refuse("adding or removing zone redundancy is a conversion Azure runs for you (up to 72 "
                               "hours): request it in the portal (Redundancy > conversion), then update the file")


# --- account -------------------------------------------------------------------------------------
class StorageAccount(Kind):
    """The lake's account (ADLS Gen2: hierarchical namespace); its name is global."""

    name = "storage"
    global_name = True
    used_noun = "lake"
    rules = {
        "location": REFUSE_MOVE,
        "performance": Rule.refuse("standard and premium are different account kinds; create a new account and "
                                   "copy the data (azcopy), then point the file at it"),
        "hierarchical_namespace": Rule.refuse("hierarchical namespace is chosen at creation (turning it on is a "
                                              "one-way migration: az storage account hns-migration start; it can "
                                              "never be turned off)"),
    }

    def rule(self, path: str, before: Any, after: Any) -> Rule:
        if path == "redundancy":
            pair = {str(before).upper(), str(after).upper()}
            return UPDATE if any(pair <= group for group in _IN_PLACE_REDUNDANCY) else _ZONE_CONVERSION
        return super().rule(path, before, after)

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        group, name = res.context["group"], res.context["account"]
        try:
            a = clients.storage.storage_accounts.get_properties(group, name)
        except ResourceNotFoundError:
            return Observed(False, detail=_name_problem(clients, name) if res.managed else None)
        tier, _, redundancy = (a.sku.name or "").partition("_")
        props = {"location": a.location, "performance": tier.lower(), "redundancy": redundancy,
                 "hierarchical_namespace": bool(a.is_hns_enabled), "https_only": a.enable_https_traffic_only,
                 "minimum_tls_version": a.minimum_tls_version,
                 "allow_blob_public_access": bool(a.allow_blob_public_access), **flat_tags(a.tags)}
        return Observed(True, props, owner_from_tags(a.tags), a.provisioning_state,
                        outputs={"dfs": (a.primary_endpoints.dfs if a.primary_endpoints else None)})

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        m, p = _models(), res.properties
        kind, sku = _sku(res)
        params = m.StorageAccountCreateParameters(
            sku=m.Sku(name=sku), kind=kind, location=p["location"], tags=merged_tags(res, observed),
            is_hns_enabled=p["hierarchical_namespace"], enable_https_traffic_only=True,
            minimum_tls_version="TLS1_2", allow_blob_public_access=False)
        return Outcome(clients.storage.storage_accounts.begin_create(res.context["group"], res.context["account"],
                                                                    params))

    def update(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None,
               paths: set[str]) -> Outcome:
        m, p = _models(), res.properties
        _, sku = _sku(res)
        params = m.StorageAccountUpdateParameters(
            sku=m.Sku(name=sku), tags=merged_tags(res, observed), enable_https_traffic_only=p["https_only"],
            minimum_tls_version=p["minimum_tls_version"], allow_blob_public_access=p["allow_blob_public_access"])
        clients.storage.storage_accounts.update(res.context["group"], res.context["account"], params)
        return DONE

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        clients.storage.storage_accounts.delete(res.context["group"], res.context["account"])
        return DONE


def _name_problem(clients: Clients, name: str) -> str | None:
    """Storage account names are global: say before apply when this one is taken or invalid."""
    result = clients.storage.storage_accounts.check_name_availability(
        _models().StorageAccountCheckNameAvailabilityParameters(name=name, type="Microsoft.Storage/storageAccounts"))
    return None if result.name_available else (result.message or f"the name {name} is not available")


# --- blob service: soft delete -------------------------------------------------------------------
class BlobService(Kind):
    """The account's blob service settings: soft delete of blobs and containers. Part of the account."""

    name = "blob_service"

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        try:
            s = clients.storage.blob_services.get_service_properties(res.context["group"], res.context["account"])
        except ResourceNotFoundError:
            return Observed.missing()
        policy = s.delete_retention_policy
        days = policy.days if policy and policy.enabled else None
        return Observed(True, {"soft_delete_days": days}, owner=facts.get("environment"))

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        m, days = _models(), res.properties["soft_delete_days"]
        policy = m.DeleteRetentionPolicy(enabled=True, days=days)
        props = m.BlobServiceProperties(delete_retention_policy=policy,
                                        container_delete_retention_policy=m.DeleteRetentionPolicy(enabled=True,
                                                                                                  days=days))
        clients.storage.blob_services.set_service_properties(res.context["group"], res.context["account"], props)
        return DONE

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        return DONE  # part of the account: goes with it

    def goes_with(self, res: Resource, deleting: set[str]) -> bool:
        return "data_lake.account" in deleting


# --- filesystems (containers) through ARM: management roles are enough ------------------------------
class Container(Kind):
    """A filesystem (a zone, or a cluster's working one); its metadata marks it as ours."""

    name = "container"

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        listing = listed(self, clients, res, facts)
        if listing is not None:
            if res.context["container"] not in listing:
                return Observed.missing()
            metadata = listing[res.context["container"]]
        else:
            try:
                c = clients.storage.blob_containers.get(res.context["group"], res.context["account"],
                                                        res.context["container"])
            except ResourceNotFoundError:
                return Observed.missing()
            metadata = c.metadata or {}
        return Observed(True, {f"metadata.{k}": v for k, v in metadata.items()},
                        owner=metadata.get(META_ENVIRONMENT))

    def listing_key(self, res: Resource) -> tuple[str, ...] | None:
        return res.context["group"], res.context["account"]

    def listing(self, clients: Clients, key: tuple[str, ...], facts: dict[str, Any]) -> dict[str, dict] | None:
        """{filesystem: metadata} of the account from the Blob data plane's List Containers (ARM's list has no
        metadata). It needs a data role; without one (403), or with the data plane out of reach, each
        filesystem is read through ARM as before, which management roles allow."""
        try:
            return {c.name: dict(c.metadata or {})
                    for c in clients.blob(key[1]).list_containers(include_metadata=True)}
        except AzureError:
            return None

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        metadata = {k.split(".", 1)[1]: v for k, v in res.properties.items() if k.startswith("metadata.")}
        clients.storage.blob_containers.create(res.context["group"], res.context["account"],
                                               res.context["container"], _models().BlobContainer(metadata=metadata))
        return DONE

    def update(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None,
               paths: set[str]) -> Outcome:
        have = {k.split(".", 1)[1]: v for k, v in (observed.properties if observed else {}).items()}
        want = {k.split(".", 1)[1]: v for k, v in res.properties.items() if k.startswith("metadata.")}
        clients.storage.blob_containers.update(res.context["group"], res.context["account"],
                                               res.context["container"],
                                               _models().BlobContainer(metadata={**have, **want}))
        return DONE

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        """Through DFS (data plane): a CanNotDelete lock on the account blocks ARM deletes of its children."""
        try:
            datalake.delete_filesystem(clients, res.context["account"], res.context["container"])
        except HttpResponseError as exc:
            if exc.status_code != 404:
                raise
        return DONE

    def goes_with(self, res: Resource, deleting: set[str]) -> bool:
        return "data_lake.account" in deleting  # only its own account takes it along
