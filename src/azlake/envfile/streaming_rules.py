"""Event Hubs limits per tier: capacity, partitions, retention and consumer groups."""

from __future__ import annotations

from azlake.envfile.diagnostics import Collector, KeyPath
from azlake.envfile.models import Streaming

# tier -> (max capacity, max partitions per hub, max retention hours, max consumer groups incl. $Default)
LIMITS = {"basic": (40, 32, 24, 1), "standard": (40, 32, 168, 20), "premium": (16, 100, 2160, 100)}


def check_streaming(streaming: Streaming, out: Collector) -> None:
    tier = streaming.sku
    max_capacity, max_partitions, max_hours, max_groups = LIMITS[tier]
    unit = "processing units" if tier == "premium" else "throughput units"
    if streaming.capacity > max_capacity:
        out.error(("streaming", "capacity"), f"{streaming.capacity} {unit}: the {tier} tier allows "
                  f"1-{max_capacity}")
    elif tier != "premium" and streaming.capacity > 20:
        out.warning(("streaming", "capacity"), f"{streaming.capacity} throughput units: the Azure SDK "
                    "documents at most 20", "above 20 may need a support request")
    elif tier == "premium" and streaming.capacity not in (1, 2, 4, 8, 16):
        out.warning(("streaming", "capacity"), "premium processing units are usually 1, 2, 4, 8 or 16")
    if not streaming.hubs:
        out.warning(("streaming", "hubs"), "the namespace has no event hubs", "add hubs: {name: {...}}")
    for name, hub in streaming.hubs.items():
        where = ("streaming", "hubs", name)
        if hub.partitions > max_partitions:
            out.error(where + ("partitions",), f"{hub.partitions} partitions: the {tier} tier allows "
                      f"1-{max_partitions}", "partitions cannot be changed on basic/standard after creation")
        if hub.retention_hours > max_hours:
            out.error(where + ("retention_hours",), f"{hub.retention_hours} hours: the {tier} tier keeps "
                      f"events at most {max_hours} hours ({max_hours // 24} days)")
        _consumer_groups(hub.consumer_groups, where, tier, max_groups, out)


def _consumer_groups(groups: list[str], where: KeyPath, tier: str, max_groups: int, out: Collector) -> None:
    own = [g for g in groups if g != "$Default"]
    if len(set(own)) != len(own):
        out.error(where + ("consumer_groups",), "a consumer group is listed twice")
    if len(own) + 1 > max_groups:
        out.error(where + ("consumer_groups",), f"{len(own)} consumer groups plus $Default: the {tier} tier "
                  f"allows {max_groups} per hub",
                  "basic has only $Default; use standard or premium for more readers")
