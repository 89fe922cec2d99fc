"""The price items the local cloud serves, and the OData subset of the Retail Prices API it answers.

The item fields, the `$filter` syntax (`field eq 'value'` joined by `and`, values compared exactly, as the
API does from its 2023-01-01-preview version), the page size and NextPageLink follow Microsoft's "Azure
Retail Prices overview". The figures are the emulator's own, not Azure's: HDInsight meters are per node-hour
of a VM size (the HDInsight price of a node, which includes its VM), Event Hubs meters per unit-hour.
"""

from __future__ import annotations

import re
import uuid

from azlake.emulator.core.errors import BadRequest
from azlake.emulator.hdinsight import locations as hdi_locations
from azlake.emulator.hdinsight import rules as hdi_rules

PAGE_SIZE = 100
EFFECTIVE = "2024-01-01T00:00:00Z"
# Emulated figures (USD): an HDInsight node per vCPU-hour, by family; Event Hubs per unit-hour.
_PER_CORE = {"a": 0.06, "d": 0.11, "e": 0.09}
_EVENTHUBS = {"Basic": ("Basic Throughput Unit", 0.015), "Standard": ("Standard Throughput Unit", 0.03),
              "Premium": ("Premium Processing Unit", 1.2)}
_CLAUSE = re.compile(r"\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*", re.I)


def _item(region: str, service: str, family: str, product: str, sku: str, meter: str, price: float,
          arm_sku: str = "") -> dict:
    ids = uuid.uuid5(uuid.NAMESPACE_URL, f"{service}/{product}/{sku}/{region}")
    return {"currencyCode": "USD", "tierMinimumUnits": 0.0, "retailPrice": price, "unitPrice": price,
            "armRegionName": region, "location": region, "effectiveStartDate": EFFECTIVE,
            "meterId": str(ids), "meterName": meter, "productId": f"DZH318Z0{str(ids)[:4].upper()}",
            "skuId": f"DZH318Z0{str(ids)[:4].upper()}/000{len(sku) % 10}", "productName": product,
            "skuName": sku, "serviceName": service, "serviceId": "DZH317F1HKN0", "serviceFamily": family,
            "unitOfMeasure": "1 Hour", "type": "Consumption", "isPrimaryMeterRegion": True, "armSkuName": arm_sku}


def items() -> list[dict]:
    """Every item: HDInsight node meters for each size and region HDInsight offers, Event Hubs units."""
    out = []
    for display in hdi_locations.REGIONS:
        region = hdi_locations.normalise(display)
        for size, cores in sorted(hdi_rules.VM_CORES.items()):
            _, family, generation = size.split("_")  # standard_e2a_v4 -> e2a, v4
            name = f"{family[0].upper()}{family[1:]} {generation}"  # E2a v4, as the meters spell sizes
            price = round(cores * _PER_CORE[family[0]], 4)
            out.append(_item(region, "HDInsight", "Analytics", f"HDInsight {family[0].upper()}{generation} Series",
                             name, name, price))
        for sku, (meter, price) in _EVENTHUBS.items():
            out.append(_item(region, "Event Hubs", "Internet of Things", "Event Hubs", sku, meter, price))
    return out


def parse_filter(text: str | None) -> list[tuple[str, str]]:
    """`serviceName eq 'HDInsight' and armRegionName eq 'eastus'` -> [(field, value), ...]."""
    if not text:
        return []
    clauses = []
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.I):
        m = _CLAUSE.fullmatch(part)
        if not m:
            raise BadRequest(f"Invalid OData $filter clause: {part!r} (the emulator "
                             "answers `field eq 'value'` joined by `and`)")
        clauses.append((m.group(1), m.group(2).replace("''", "'")))
    return clauses


def select(clauses: list[tuple[str, str]]) -> list[dict]:
    def keep(item: dict) -> bool:
        lowered = {k.lower(): v for k, v in item.items()}
        return all(str(lowered.get(f.lower(), "")) == v for f, v in clauses)
    return [i for i in items() if keep(i)]
