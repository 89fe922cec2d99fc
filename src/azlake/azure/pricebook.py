"""What one hour costs, per HDInsight node size and per Event Hubs unit, and where the figures come from."""

from __future__ import annotations

from dataclasses import dataclass, field

from azlake import catalog


def size_key(name: str) -> str:
    """Standard_E2_v3, standard_e2_v3 and E2_v3 are one size."""
    name = (name or "").lower()
    return name[len("standard_"):] if name.startswith("standard_") else name


@dataclass(frozen=True)
class NodePrice:
    hourly_usd: float | None   # what is known of one node-hour
    missing: str | None = None  # what the figure leaves out, in words; None when it is the whole price


@dataclass
class PriceBook:
    """Prices of one region. `live`: HDInsight meters from the Retail Prices API (node price = its meter,
    which includes the VM); otherwise the packaged catalog, which knows VM prices and, where a source gave
    one, HDInsight's own charge."""

    source: str
    as_of: str
    region: str
    live: bool
    nodes: dict[str, float] = field(default_factory=dict)       # size key -> USD per node-hour (all of it)
    vm_only: dict[str, float] = field(default_factory=dict)     # size key -> USD per VM-hour (catalog)
    eventhubs: dict[str, float] = field(default_factory=dict)   # basic|standard|premium -> USD per unit-hour
    note: str = ""

    def node(self, size: str) -> NodePrice:
        key = size_key(size)
        if key in self.nodes:
            return NodePrice(self.nodes[key])
        if key in self.vm_only:
            return NodePrice(self.vm_only[key], "HDInsight's own charge (the packaged catalog has VM prices only)")
        where = "the Retail Prices API has no HDInsight meter" if self.live else "no price in the catalog"
        return NodePrice(None, f"{size}: {where} for it in {self.region}")

    def eventhubs_unit(self, sku: str) -> NodePrice:
        if sku in self.eventhubs:
            return NodePrice(self.eventhubs[sku])
        return NodePrice(None, f"Event Hubs {sku}: no price per unit-hour for {self.region} "
                               f"({'not in the Retail Prices API' if self.live else 'not in the packaged catalog'})")


def catalog_book(region: str, note: str = "") -> PriceBook:
    """The packaged catalog: the offline fallback (its figures carry their sources and dates)."""
    nodes, vm_only = {}, {}
    for size in catalog.vm_sizes():
        if size.hdinsight_hourly_usd is not None:
            nodes[size_key(size.name)] = size.hdinsight_hourly_usd
        else:
            vm_only[size_key(size.name)] = size.hourly_usd
    return PriceBook(source="packaged catalog", as_of=catalog.prices_as_of(),
                     region=region, live=False, nodes=nodes, vm_only=vm_only, eventhubs=catalog.eventhubs_prices(),
                     note=note)
