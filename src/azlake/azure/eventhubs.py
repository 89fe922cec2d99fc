"""Event Hubs for micro-batch ingestion: namespace (LRO), hubs and consumer groups (one PUT each)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from azure.core.exceptions import ResourceNotFoundError

from azlake.azure.kind import DONE, REFUSE_MOVE, Kind, Outcome, Resource, Rule
from azlake.azure.observed import META_ENVIRONMENT, Observed, flat_tags, owner_from_tags
from azlake.azure.resource_groups import merged_tags

if TYPE_CHECKING:
    from azlake.azure.clients import Clients


def _models() -> Any:
    from azure.mgmt.eventhub import models
    return models


def _sku(res: Resource) -> Any:
    tier = res.properties["sku"].capitalize()
    return _models().Sku(name=tier, tier=tier, capacity=res.properties["capacity"])


class Namespace(Kind):
    """An Event Hubs namespace (the queue in front of a micro-batch cluster)."""

    name = "eh_namespace"
    rules = {"location": REFUSE_MOVE,
             "sku": Rule.refuse("the Event Hubs tier cannot change after creation; create a new namespace and move "
                                "producers and consumers to it")}

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        try:
            ns = clients.eventhub.namespaces.get(res.context["group"], res.context["namespace"])
        except ResourceNotFoundError:
            return Observed.missing()
        props = {"location": ns.location, "sku": (ns.sku.tier or ns.sku.name or "").lower(),
                 "capacity": ns.sku.capacity, **flat_tags(ns.tags)}
        return Observed(True, props, owner_from_tags(ns.tags), ns.provisioning_state)

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        ns = _models().EHNamespace(location=res.properties["location"], sku=_sku(res),
                                   tags=merged_tags(res, observed))
        return Outcome(clients.eventhub.namespaces.begin_create_or_update(res.context["group"],
                                                                          res.context["namespace"], ns))

    def update(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None,
               paths: set[str]) -> Outcome:
        ns = _models().EHNamespace(sku=_sku(res), tags=merged_tags(res, observed))
        clients.eventhub.namespaces.update(res.context["group"], res.context["namespace"], ns)
        return DONE

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        return Outcome(clients.eventhub.namespaces.begin_delete(res.context["group"], res.context["namespace"]))


class Hub(Kind):
    """An event hub; it carries no tags, so it is ours when its namespace is."""

    name = "eh_hub"
    rules = {"partitions": Rule.refuse("the partition count of an event hub cannot change on basic and standard "
                                       "namespaces; create a new hub and move producers to it")}

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
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

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        m, c, p = _models(), res.context, res.properties
        hub = m.Eventhub(partition_count=p["partitions"], retention_description=m.RetentionDescription(
            cleanup_policy="Delete", retention_time_in_hours=p["retention_hours"]))
        clients.eventhub.event_hubs.create_or_update(c["group"], c["namespace"], c["hub"], hub)
        return DONE

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        c = res.context
        clients.eventhub.event_hubs.delete(c["group"], c["namespace"], c["hub"])
        return DONE

    def goes_with(self, res: Resource, deleting: set[str]) -> bool:
        return "streaming.namespace" in deleting


class ConsumerGroup(Kind):
    """A consumer group; its user metadata marks it as ours."""

    name = "eh_group"

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        c = res.context
        try:
            g = clients.eventhub.consumer_groups.get(c["group"], c["namespace"], c["hub"], c["group_name"])
        except ResourceNotFoundError:
            return Observed.missing()
        meta = g.user_metadata or ""
        owner = meta.split("=", 1)[1] if meta.startswith(META_ENVIRONMENT + "=") else None
        return Observed(True, {"user_metadata": meta}, owner=owner)

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        c = res.context
        clients.eventhub.consumer_groups.create_or_update(
            c["group"], c["namespace"], c["hub"], c["group_name"],
            _models().ConsumerGroup(user_metadata=res.properties["user_metadata"]))
        return DONE

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        c = res.context
        clients.eventhub.consumer_groups.delete(c["group"], c["namespace"], c["hub"], c["group_name"])
        return DONE

    def goes_with(self, res: Resource, deleting: set[str]) -> bool:
        return "streaming.namespace" in deleting
