"""Event Hubs for micro-batch ingestion: namespace (LRO), hubs and consumer groups (one PUT each)."""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import ResourceNotFoundError

from azlake.azure.observed import META_ENVIRONMENT, Observed, flat_tags, owner_from_tags
from azlake.azure.resource_groups import merged_tags


def _models() -> Any:
    from azure.mgmt.eventhub import models
    return models


def read(clients: Any, res: Any, facts: dict) -> Observed:
    try:
        ns = clients.eventhub.namespaces.get(res.context["group"], res.context["namespace"])
    except ResourceNotFoundError:
        return Observed.missing()
    props = {"location": ns.location, "sku": (ns.sku.tier or ns.sku.name or "").lower(),
             "capacity": ns.sku.capacity, **flat_tags(ns.tags)}
    return Observed(True, props, owner_from_tags(ns.tags), ns.provisioning_state)


def _sku(res: Any) -> Any:
    tier = res.properties["sku"].capitalize()
    return _models().Sku(name=tier, tier=tier, capacity=res.properties["capacity"])


def create(clients: Any, res: Any, facts: dict, observed: Observed | None = None) -> Any:
    ns = _models().EHNamespace(location=res.properties["location"], sku=_sku(res), tags=merged_tags(res, observed))
    return clients.eventhub.namespaces.begin_create_or_update(res.context["group"], res.context["namespace"], ns)


def update(clients: Any, res: Any, facts: dict, observed: Observed | None = None) -> Any:
    ns = _models().EHNamespace(sku=_sku(res), tags=merged_tags(res, observed))
    clients.eventhub.namespaces.update(res.context["group"], res.context["namespace"], ns)


def delete(clients: Any, res: Any, environment: str) -> Any:
    return clients.eventhub.namespaces.begin_delete(res.context["group"], res.context["namespace"])


class Hub:
    """An event hub; it carries no tags, so it is ours when its namespace is."""

    @staticmethod
    def read(clients: Any, res: Any, facts: dict) -> Observed:
        c = res.context
        try:
            hub = clients.eventhub.event_hubs.get(c["group"], c["namespace"], c["hub"])
        except ResourceNotFoundError:
            return Observed.missing()
        retention = hub.retention_description
        hours = retention.retention_time_in_hours if retention and retention.retention_time_in_hours else \
            (hub.message_retention_in_days or 0) * 24
        return Observed(True, {"partitions": hub.partition_count, "retention_hours": hours},
                        owner=facts.get("environment"), state=None)

    @staticmethod
    def create(clients: Any, res: Any, facts: dict, observed: Observed | None = None) -> Any:
        m, c, p = _models(), res.context, res.properties
        hub = m.Eventhub(partition_count=p["partitions"], retention_description=m.RetentionDescription(
            cleanup_policy="Delete", retention_time_in_hours=p["retention_hours"]))
        clients.eventhub.event_hubs.create_or_update(c["group"], c["namespace"], c["hub"], hub)

    update = create

    @staticmethod
    def delete(clients: Any, res: Any, environment: str) -> Any:
        c = res.context
        clients.eventhub.event_hubs.delete(c["group"], c["namespace"], c["hub"])


class ConsumerGroup:
    """A consumer group; its user metadata marks it as ours."""

    @staticmethod
    def read(clients: Any, res: Any, facts: dict) -> Observed:
        c = res.context
        try:
            g = clients.eventhub.consumer_groups.get(c["group"], c["namespace"], c["hub"], c["group_name"])
        except ResourceNotFoundError:
            return Observed.missing()
        meta = g.user_metadata or ""
        owner = meta.split("=", 1)[1] if meta.startswith(META_ENVIRONMENT + "=") else None
        return Observed(True, {"user_metadata": meta}, owner=owner)

    @staticmethod
    def create(clients: Any, res: Any, facts: dict, observed: Observed | None = None) -> Any:
        c = res.context
        clients.eventhub.consumer_groups.create_or_update(
            c["group"], c["namespace"], c["hub"], c["group_name"],
            _models().ConsumerGroup(user_metadata=res.properties["user_metadata"]))

    update = create

    @staticmethod
    def delete(clients: Any, res: Any, environment: str) -> Any:
        c = res.context
        clients.eventhub.consumer_groups.delete(c["group"], c["namespace"], c["hub"], c["group_name"])
