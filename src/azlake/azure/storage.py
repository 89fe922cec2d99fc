"""The lake's storage account, its blob service (soft delete) and its filesystems through ARM."""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from azlake.azure import datalake
from azlake.azure.observed import META_ENVIRONMENT, Observed, flat_tags, owner_from_tags
from azlake.azure.resource_groups import merged_tags


def _models() -> Any:
    from azure.mgmt.storage import models
    return models


def _sku(res: Any) -> tuple[str, str]:
    """(kind, sku name) Azure needs for the file's performance and redundancy."""
    p = res.properties
    if p["performance"] == "premium":
        return "BlockBlobStorage", f"Premium_{p['redundancy']}"
    return "StorageV2", f"Standard_{p['redundancy']}"


# --- account -------------------------------------------------------------------------------------
def read(clients: Any, res: Any, facts: dict) -> Observed:
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


def _name_problem(clients: Any, name: str) -> str | None:
    """Storage account names are global: say before apply when this one is taken or invalid."""
    result = clients.storage.storage_accounts.check_name_availability(
        _models().StorageAccountCheckNameAvailabilityParameters(name=name, type="Microsoft.Storage/storageAccounts"))
    return None if result.name_available else (result.message or f"the name {name} is not available")


def create(clients: Any, res: Any, facts: dict, observed: Observed | None = None) -> Any:
    m, p = _models(), res.properties
    kind, sku = _sku(res)
    params = m.StorageAccountCreateParameters(
        sku=m.Sku(name=sku), kind=kind, location=p["location"], tags=merged_tags(res, observed),
        is_hns_enabled=p["hierarchical_namespace"], enable_https_traffic_only=True,
        minimum_tls_version="TLS1_2", allow_blob_public_access=False)
    return clients.storage.storage_accounts.begin_create(res.context["group"], res.context["account"], params)


def update(clients: Any, res: Any, facts: dict, observed: Observed | None = None) -> Any:
    m, p = _models(), res.properties
    _, sku = _sku(res)
    params = m.StorageAccountUpdateParameters(
        sku=m.Sku(name=sku), tags=merged_tags(res, observed), enable_https_traffic_only=p["https_only"],
        minimum_tls_version=p["minimum_tls_version"], allow_blob_public_access=p["allow_blob_public_access"])
    clients.storage.storage_accounts.update(res.context["group"], res.context["account"], params)


def delete(clients: Any, res: Any, environment: str) -> Any:
    clients.storage.storage_accounts.delete(res.context["group"], res.context["account"])


# --- blob service: soft delete -------------------------------------------------------------------
class BlobService:
    @staticmethod
    def read(clients: Any, res: Any, facts: dict) -> Observed:
        try:
            s = clients.storage.blob_services.get_service_properties(res.context["group"], res.context["account"])
        except ResourceNotFoundError:
            return Observed.missing()
        policy = s.delete_retention_policy
        days = policy.days if policy and policy.enabled else None
        return Observed(True, {"soft_delete_days": days}, owner=facts.get("environment"))

    @staticmethod
    def create(clients: Any, res: Any, facts: dict, observed: Observed | None = None) -> Any:
        m, days = _models(), res.properties["soft_delete_days"]
        policy = m.DeleteRetentionPolicy(enabled=True, days=days)
        props = m.BlobServiceProperties(delete_retention_policy=policy,
                                        container_delete_retention_policy=m.DeleteRetentionPolicy(enabled=True,
                                                                                                  days=days))
        clients.storage.blob_services.set_service_properties(res.context["group"], res.context["account"], props)

    update = create

    @staticmethod
    def delete(clients: Any, res: Any, environment: str) -> Any:
        return None  # part of the account: goes with it


# --- filesystems (containers) through ARM: management roles are enough ------------------------------
class Container:
    @staticmethod
    def read(clients: Any, res: Any, facts: dict) -> Observed:
        try:
            c = clients.storage.blob_containers.get(res.context["group"], res.context["account"],
                                                    res.context["container"])
        except ResourceNotFoundError:
            return Observed.missing()
        metadata = c.metadata or {}
        return Observed(True, {f"metadata.{k}": v for k, v in metadata.items()},
                        owner=metadata.get(META_ENVIRONMENT))

    @staticmethod
    def create(clients: Any, res: Any, facts: dict, observed: Observed | None = None) -> Any:
        metadata = {k.split(".", 1)[1]: v for k, v in res.properties.items() if k.startswith("metadata.")}
        clients.storage.blob_containers.create(res.context["group"], res.context["account"],
                                               res.context["container"], _models().BlobContainer(metadata=metadata))

    @staticmethod
    def update(clients: Any, res: Any, facts: dict, observed: Observed | None = None) -> Any:
        have = {k.split(".", 1)[1]: v for k, v in (observed.properties if observed else {}).items()}
        want = {k.split(".", 1)[1]: v for k, v in res.properties.items() if k.startswith("metadata.")}
        clients.storage.blob_containers.update(res.context["group"], res.context["account"],
                                               res.context["container"],
                                               _models().BlobContainer(metadata={**have, **want}))

    @staticmethod
    def delete(clients: Any, res: Any, environment: str) -> Any:
        """Through DFS (data plane): a CanNotDelete lock on the account blocks ARM deletes of its children."""
        try:
            datalake.delete_filesystem(clients, res.context["account"], res.context["container"])
        except HttpResponseError as exc:
            if exc.status_code != 404:
                raise
