"""Event Hubs through the real EventHubManagementClient: namespaces, event hubs, consumer groups, tier limits."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

RG = "grstreaming"
NS = "ehlakedev01"


@pytest.fixture
def eh(any_clients):
    any_clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    return any_clients.eventhub


def namespace(eh, name=NS, sku="Standard", capacity=1, **extra):
    body = {"location": "brazilsouth", "sku": {"name": sku, "tier": sku, "capacity": capacity},
            "tags": {"managed-by": "azlake"}, **extra}
    return eh.namespaces.begin_create_or_update(RG, name, body).result()


def test_namespace_create_polls_to_active(eh):
    ns = namespace(eh)
    assert (ns.properties.provisioning_state, ns.properties.status) == ("Succeeded", "Active")
    assert (ns.sku.name, ns.sku.capacity) == ("Standard", 1)
    assert ns.properties.service_bus_endpoint == f"https://{NS}.servicebus.windows.net:443/"
    assert ns.properties.kafka_enabled is True
    assert [n.name for n in eh.namespaces.list_by_resource_group(RG)] == [NS]


def test_namespace_states_follow_the_clock(clients, emulator):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    emulator.configure(time_scale=1.0)
    poller = clients.eventhub.namespaces.begin_create_or_update(
        RG, NS, {"location": "brazilsouth", "sku": {"name": "Basic", "capacity": 1}}, polling=False)
    initial = poller.polling_method()._initial_response.http_response
    assert initial.status_code == 201 and "/asyncoperations/" in initial.headers["Azure-AsyncOperation"]
    seen = []
    for step in (0, 20, 60):
        emulator.advance(step)
        props = clients.eventhub.namespaces.get(RG, NS).properties
        seen.append((props.provisioning_state, props.status))
    assert seen == [("Created", "Created"), ("Created", "Activating"), ("Succeeded", "Active")]


def test_children_wait_for_an_active_namespace(clients, emulator):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    emulator.configure(time_scale=1.0)
    clients.eventhub.namespaces.begin_create_or_update(
        RG, NS, {"location": "brazilsouth", "sku": {"name": "Standard", "capacity": 1}}, polling=False)
    with pytest.raises(HttpResponseError) as exc:
        clients.eventhub.event_hubs.create_or_update(RG, NS, "sales", {"properties": {"partitionCount": 2}})
    assert exc.value.status_code == 409 and "wait until it is Active" in exc.value.error.message


@pytest.mark.parametrize("sku, capacity", [("Standard", 0), ("Standard", 41), ("Premium", 3), ("Premium", 32),
                                           ("Gold", 1)])
def test_capacity_and_sku_limits(eh, sku, capacity):
    with pytest.raises(HttpResponseError) as exc:
        namespace(eh, sku=sku, capacity=capacity)
    assert (exc.value.status_code, exc.value.error.code) == (400, "BadRequest")


def test_tier_cannot_change_but_capacity_can(eh):
    namespace(eh)
    assert namespace(eh, capacity=4).sku.capacity == 4
    with pytest.raises(HttpResponseError) as exc:
        namespace(eh, sku="Premium")
    assert "cannot change from Standard to Premium" in exc.value.error.message


def test_auto_inflate_only_in_standard(eh):
    with pytest.raises(HttpResponseError) as exc:
        namespace(eh, sku="Basic", properties={"isAutoInflateEnabled": True, "maximumThroughputUnits": 4})
    assert "Standard tier" in exc.value.error.message
    ns = namespace(eh, properties={"isAutoInflateEnabled": True, "maximumThroughputUnits": 4})
    assert ns.properties.maximum_throughput_units == 4


@pytest.mark.parametrize("name", ["short", "9starts-with-digit", "ends-with-", "ehlake-sb", "a" * 51])
def test_invalid_namespace_names(eh, name):
    with pytest.raises(HttpResponseError) as exc:
        namespace(eh, name=name)
    assert exc.value.error.code == "BadRequest"
    assert eh.namespaces.check_name_availability({"name": name}).reason == "InvalidName"


def test_namespace_names_are_global(clients, emulator):
    from azlake.azure.clients import Clients
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    namespace(clients.eventhub)
    other = Clients.for_emulator(emulator, subscription="33333333-0000-0000-0000-000000000000")
    other.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    with pytest.raises(HttpResponseError) as exc:
        namespace(other.eventhub)
    assert exc.value.status_code == 409
    answer = other.eventhub.namespaces.check_name_availability({"name": NS})
    assert (answer.name_available, answer.reason) == (False, "NameInUse")


def test_event_hub_with_default_consumer_group(eh):
    namespace(eh)
    hub = eh.event_hubs.create_or_update(RG, NS, "sales", {"properties": {
        "partitionCount": 8, "retentionDescription": {"cleanupPolicy": "Delete", "retentionTimeInHours": 72}}})
    assert hub.properties.partition_ids == [str(i) for i in range(8)]
    assert (hub.properties.message_retention_in_days, hub.properties.retention_description.retention_time_in_hours) \
        == (3, 72)
    assert [g.name for g in eh.consumer_groups.list_by_event_hub(RG, NS, "sales")] == ["$Default"]
    assert [h.name for h in eh.event_hubs.list_by_namespace(RG, NS)] == ["sales"]
    assert eh.event_hubs.get(RG, NS, "sales").properties.partition_count == 8


@pytest.mark.parametrize("sku, props, words", [
    ("Standard", {"partitionCount": 33}, "use 1 to 32"),
    ("Basic", {"messageRetentionInDays": 2}, "use 1 to 24 hours"),
    ("Standard", {"retentionDescription": {"retentionTimeInHours": 169}}, "use 1 to 168 hours"),
    ("Premium", {"partitionCount": 101}, "use 1 to 100"),
])
def test_hub_limits_per_tier(eh, sku, props, words):
    namespace(eh, sku=sku)
    with pytest.raises(HttpResponseError) as exc:
        eh.event_hubs.create_or_update(RG, NS, "sales", {"properties": props})
    assert exc.value.status_code == 400 and words in exc.value.error.message


def test_premium_allows_long_retention_and_more_partitions(eh):
    namespace(eh, sku="Premium")
    hub = eh.event_hubs.create_or_update(RG, NS, "sales", {"properties": {
        "partitionCount": 100, "retentionDescription": {"retentionTimeInHours": 2160}}})
    assert hub.properties.message_retention_in_days == 90


def test_partition_count_is_fixed_in_standard(eh):
    namespace(eh)
    eh.event_hubs.create_or_update(RG, NS, "sales", {"properties": {"partitionCount": 2}})
    with pytest.raises(HttpResponseError) as exc:
        eh.event_hubs.create_or_update(RG, NS, "sales", {"properties": {"partitionCount": 4}})
    assert "cannot change from 2 to 4" in exc.value.error.message


def test_ten_event_hubs_per_standard_namespace(eh):
    namespace(eh)
    for i in range(10):
        eh.event_hubs.create_or_update(RG, NS, f"hub{i}", {"properties": {"partitionCount": 1}})
    with pytest.raises(HttpResponseError) as exc:
        eh.event_hubs.create_or_update(RG, NS, "hub10", {"properties": {"partitionCount": 1}})
    assert exc.value.error.code == "QuotaExceeded"


@pytest.mark.parametrize("sku, limit", [("Basic", 1), ("Standard", 20)])
def test_consumer_group_limits(eh, sku, limit):
    namespace(eh, sku=sku)
    eh.event_hubs.create_or_update(RG, NS, "sales", {"properties": {"partitionCount": 1}})
    for i in range(limit - 1):
        eh.consumer_groups.create_or_update(RG, NS, "sales", f"reader{i}", {"properties": {}})
    with pytest.raises(HttpResponseError) as exc:
        eh.consumer_groups.create_or_update(RG, NS, "sales", "onetoomany", {"properties": {}})
    assert exc.value.error.code == "QuotaExceeded"
    assert len(list(eh.consumer_groups.list_by_event_hub(RG, NS, "sales"))) == limit


def test_consumer_group_get_delete_and_default_is_permanent(eh):
    namespace(eh)
    eh.event_hubs.create_or_update(RG, NS, "sales", {"properties": {"partitionCount": 1}})
    made = eh.consumer_groups.create_or_update(RG, NS, "sales", "spark", {"properties": {"userMetadata": "jobs"}})
    assert eh.consumer_groups.get(RG, NS, "sales", "spark").id == made.id
    eh.consumer_groups.delete(RG, NS, "sales", "spark")
    with pytest.raises(ResourceNotFoundError) as exc:
        eh.consumer_groups.get(RG, NS, "sales", "spark")
    assert exc.value.error.code == "NotFound"
    with pytest.raises(HttpResponseError) as exc:
        eh.consumer_groups.delete(RG, NS, "sales", "$Default")
    assert "cannot be deleted" in exc.value.error.message


def test_delete_namespace_takes_its_hubs_and_frees_the_name(eh):
    namespace(eh)
    eh.event_hubs.create_or_update(RG, NS, "sales", {"properties": {"partitionCount": 1}})
    eh.namespaces.begin_delete(RG, NS).result()
    with pytest.raises(ResourceNotFoundError):
        eh.namespaces.get(RG, NS)
    with pytest.raises(ResourceNotFoundError):
        eh.event_hubs.get(RG, NS, "sales")
    assert eh.namespaces.check_name_availability({"name": NS}).name_available is True


def test_failed_creation_is_reported(clients, emulator):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    emulator.add_fault(kind="lro_fail", method="PUT", path="/namespaces/", code="InternalServerError")
    with pytest.raises(HttpResponseError):
        namespace(clients.eventhub)
    assert clients.eventhub.namespaces.get(RG, NS).properties.provisioning_state == "Failed"


def test_put_provisions_a_failed_namespace_again_and_patch_does_not(clients, emulator):
    test_failed_creation_is_reported(clients, emulator)
    clients.eventhub.namespaces.update(RG, NS, {"tags": {"x": "1"}})
    assert clients.eventhub.namespaces.get(RG, NS).properties.provisioning_state == "Failed"
    again = namespace(clients.eventhub)
    assert again.provisioning_state == "Succeeded" and again.status == "Active"


def test_hub_delete_and_missing_hub(eh):
    namespace(eh)
    eh.event_hubs.create_or_update(RG, NS, "sales", {"properties": {"partitionCount": 1}})
    eh.event_hubs.delete(RG, NS, "sales")
    with pytest.raises(ResourceNotFoundError) as exc:
        eh.event_hubs.get(RG, NS, "sales")
    assert "could not be found" in exc.value.error.message


def test_deleting_the_group_frees_the_namespace_name(clients):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    namespace(clients.eventhub)
    clients.resources.resource_groups.begin_delete(RG).result()
    assert clients.eventhub.namespaces.check_name_availability({"name": NS}).name_available is True


def test_locked_namespace_cannot_be_deleted(clients):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    ns = namespace(clients.eventhub)
    clients.locks.management_locks.create_or_update_by_scope(ns.id, "keep", {"level": "CanNotDelete"})
    with pytest.raises(HttpResponseError) as exc:
        clients.eventhub.namespaces.begin_delete(RG, NS)
    assert exc.value.error.code == "ScopeLocked"
    assert clients.eventhub.namespaces.get(RG, NS).properties.status == "Active"


def test_a_failed_delete_keeps_the_namespace(clients, emulator):
    clients.resources.resource_groups.create_or_update(RG, {"location": "brazilsouth"})
    namespace(clients.eventhub)
    emulator.add_fault(kind="lro_fail", method="DELETE", path="/namespaces/")
    with pytest.raises(HttpResponseError):
        clients.eventhub.namespaces.begin_delete(RG, NS).result()
    assert clients.eventhub.namespaces.get(RG, NS).properties.status == "Active"


def test_patch_changes_capacity_and_tags_but_not_the_tier(eh):
    namespace(eh)
    ns = eh.namespaces.update(RG, NS, {"sku": {"name": "Standard", "tier": "Standard", "capacity": 3},
                                       "tags": {"env": "dev"}})
    assert (ns.sku.capacity, ns.tags, ns.location) == (3, {"env": "dev"}, "brazilsouth")
    assert eh.namespaces.get(RG, NS).sku.capacity == 3
    with pytest.raises(HttpResponseError) as exc:
        eh.namespaces.update(RG, NS, {"sku": {"name": "Basic", "capacity": 1}})
    assert "cannot change from Standard to Basic" in exc.value.error.message
    with pytest.raises(ResourceNotFoundError):
        eh.namespaces.update(RG, "ehnosuchspace", {"tags": {}})
