"""Routes of Microsoft.EventHub (api-version 2026-01-01)."""

from __future__ import annotations

from azlake.emulator.core import arm
from azlake.emulator.core.app import Emulator
from azlake.emulator.eventhub import access_rules, models
from azlake.emulator.eventhub.responses import EntityResponses, NamespaceResponses, RuleResponses

GROUP = "/subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.EventHub/namespaces"
NAMESPACE = GROUP + "/{ns}"
HUB = NAMESPACE + "/eventhubs/{hub}"
CONSUMER_GROUP = HUB + "/consumergroups/{cg}"


def register(app: Emulator) -> None:
    namespaces = NamespaceResponses(app)
    app.arm("PUT", NAMESPACE, namespaces.put)
    app.arm("PATCH", NAMESPACE, namespaces.patch)
    app.arm("GET", NAMESPACE, namespaces.get)
    app.arm("DELETE", NAMESPACE, namespaces.delete)
    app.arm("GET", GROUP, namespaces.list_group)
    app.arm("GET", "/subscriptions/{sub}/providers/Microsoft.EventHub/namespaces", namespaces.list_subscription)
    app.arm("POST", "/subscriptions/{sub}/providers/Microsoft.EventHub/checkNameAvailability", namespaces.check_name)
    items = EntityResponses(app)
    app.arm("PUT", HUB, items.put_hub)
    app.arm("GET", HUB, items.get_hub)
    app.arm("DELETE", HUB, items.delete_hub)
    app.arm("GET", NAMESPACE + "/eventhubs", items.list_hubs)
    app.arm("PUT", CONSUMER_GROUP, items.put_group)
    app.arm("GET", CONSUMER_GROUP, items.get_group)
    app.arm("DELETE", CONSUMER_GROUP, items.delete_group)
    app.arm("GET", HUB + "/consumergroups", items.list_groups)
    rules = RuleResponses(app)
    for parent in (NAMESPACE, HUB):
        app.arm("PUT", parent + "/authorizationRules/{rule}", rules.put)
        app.arm("GET", parent + "/authorizationRules/{rule}", rules.get)
        app.arm("DELETE", parent + "/authorizationRules/{rule}", rules.delete)
        app.arm("GET", parent + "/authorizationRules", rules.list)
        app.arm("POST", parent + "/authorizationRules/{rule}/listKeys", rules.list_keys)
        app.arm("POST", parent + "/authorizationRules/{rule}/regenerateKeys", rules.regenerate)
    arm.on_delete(models.NAMESPACE_TYPE, models.drop_private)
    for parent_type in (models.NAMESPACE_TYPE, models.HUB_TYPE):
        arm.on_delete(f"{parent_type}/AuthorizationRules", access_rules.drop_keys)
