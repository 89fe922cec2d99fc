"""Hourly prices from Azure's public Retail Prices API, cached per user with their date; catalog offline.

What a meter covers (see catalog/data/vm_sizes.json, `hdinsight_meters`): an HDInsight meter prices one
node-hour of a VM size and includes the VM, so a node costs its HDInsight meter, not VM + meter. Event Hubs
meters price one throughput unit (basic, standard) or processing unit (premium) per hour.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from azlake.azure.pricebook import PriceBook, catalog_book, size_key

if TYPE_CHECKING:
    from azlake.azure.clients import Clients

FRESH_DAYS = 7
TIMEOUT_SECONDS = 10
MAX_PAGES = 20
_EVENTHUBS_METERS = {"basic throughput unit": "basic", "standard throughput unit": "standard",
                     "premium processing unit": "premium"}


def cache_dir(clients: Clients) -> Path:
    """Per user on Azure (XDG cache); inside the local cloud's state for the local cloud."""
    if clients.local:  # the emulator's own folder: never creates a local cloud's state that is not there
        return Path(clients.emulator.store.state_dir) / "retail-prices"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "azlake" / "retail-prices"


def price_book(clients: Clients, region: str, today: dt.date | None = None) -> PriceBook:
    """Prices of `region`: a fresh cache, else the API (then cached), else a stale cache, else the catalog."""
    today = today or dt.date.today()
    path = cache_dir(clients) / f"{clients.target.cloud}-{region}.json"
    cached = _read_cache(path)
    api = "the local cloud's Retail Prices API (emulated figures)" if clients.local else "Azure Retail Prices API"
    if cached and (today - dt.date.fromisoformat(cached["as_of"])).days < FRESH_DAYS:
        return _book(cached, f"{api}, cached")
    try:
        fetched = {"as_of": today.isoformat(), "region": region, **_fetch(clients, region)}
    except Exception as exc:  # no network, a proxy, an API change: say so and fall back, never fail `cost`
        why = f"the Retail Prices API could not be read: {type(exc).__name__}"
        if cached:
            return _book(cached, f"{api}, cached", note=f"{why}; the cache is older than {FRESH_DAYS} days")
        return catalog_book(region, note=why)
    _write_cache(path, fetched)
    return _book(fetched, f"{api}, read now")


def _book(doc: dict, source: str, note: str = "") -> PriceBook:
    return PriceBook(source=source, as_of=doc["as_of"], region=doc["region"], live=True,
                     nodes=dict(doc["nodes"]), eventhubs=dict(doc["eventhubs"]), note=note)


def _fetch(clients: Clients, region: str) -> dict:
    session = clients.http_session()
    nodes: dict[str, float] = {}
    eventhubs: dict[str, float] = {}
    for item in _items(session, clients.retail_prices_url,
                       f"serviceName eq 'HDInsight' and armRegionName eq '{region}'"):
        for name in _node_meter_sizes(item):
            nodes.setdefault(name, float(item["retailPrice"]))
    for item in _items(session, clients.retail_prices_url,
                       f"serviceName eq 'Event Hubs' and armRegionName eq '{region}'"):
        sku = _EVENTHUBS_METERS.get(str(item.get("meterName", "")).lower())
        if sku and item.get("unitOfMeasure") == "1 Hour":
            eventhubs.setdefault(sku, float(item["retailPrice"]))
    if not nodes:
        raise LookupError(f"no HDInsight meters for region {region}")
    return {"nodes": nodes, "eventhubs": eventhubs}


def _items(session: Any, url: str, odata_filter: str) -> list[dict]:
    """Every item of a query, following NextPageLink; pay-as-you-go (Consumption) prices only."""
    out: list[dict] = []
    params: dict[str, str] | None = {"$filter": odata_filter}
    pages = 0
    while url and pages < MAX_PAGES:
        response = session.get(url, params=params, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        doc = response.json()
        out += [i for i in doc.get("Items", []) if i.get("type") == "Consumption"]
        url, params, pages = doc.get("NextPageLink"), None, pages + 1
    return out


def _node_meter_sizes(item: dict) -> list[str]:
    """The VM sizes an HDInsight node meter prices ("D4a v4/D4as v4" -> d4a_v4, d4as_v4); [] for the others
    (disks, the ID Broker and ESP add-ons, spot or low-priority nodes)."""
    product, meter = str(item.get("productName", "")), str(item.get("meterName", ""))
    if item.get("unitOfMeasure") != "1 Hour" or re.search(r"Storage|ID Broker|Enterprise|Spot|Low Priority",
                                                          f"{product} {meter}", re.I):
        return []
    return [size_key(part.strip().replace(" ", "_")) for part in meter.split("/") if part.strip()]


def _read_cache(path: Path) -> dict | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        dt.date.fromisoformat(doc["as_of"])
        return doc if isinstance(doc.get("nodes"), dict) and isinstance(doc.get("eventhubs"), dict) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(path: Path, doc: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only home: the prices are still used, only not remembered
