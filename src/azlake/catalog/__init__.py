"""Static Azure facts as package data: VM sizes and estimated prices, HDInsight versions, regions, role ids."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

_DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class VmSize:
    name: str
    vcpus: int
    ram_gib: float
    hourly_usd: float  # the VM's list price: see price_basis()
    roles: tuple[str, ...] = ()  # HDInsight roles azlake knows this size works for
    hdinsight_hourly_usd: float | None = None  # a node's HDInsight price (VM included), when a source gave one


@dataclass(frozen=True)
class HdiVersion:
    version: str
    spark: str
    status: str  # "supported" | "preview" | "retired"
    note: str = ""


@cache
def _load(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((_DATA / f"{name}.json").read_text(encoding="utf-8"))
    return doc


@cache
def _sizes() -> dict[str, VmSize]:
    def hdi(s: dict[str, Any]) -> float | None:
        return None if s.get("hdinsight_hourly_usd") is None else float(s["hdinsight_hourly_usd"])
    return {s["name"].lower(): VmSize(s["name"], s["vcpus"], float(s["ram_gib"]), float(s["hourly_usd"]),
                                      tuple(s["roles"]), hdi(s)) for s in _load("vm_sizes")["sizes"]}


def vm_sizes() -> list[VmSize]:
    """Every VM size in the catalog."""
    return list(_sizes().values())


def vm_size(name: str) -> VmSize | None:
    """The size called `name` (Azure size names are case-insensitive), or None when unknown."""
    return _sizes().get(name.lower())


def price_basis() -> str:
    """What the hourly prices are, in words, for plans and docs."""
    return str(_load("vm_sizes")["basis"])


def prices_as_of() -> str:
    """The date of the packaged prices."""
    return str(_load("vm_sizes")["as_of"])


def eventhubs_prices() -> dict[str, float]:
    """USD per Event Hubs unit-hour by tier, for the tiers a source gave a figure for."""
    units = _load("eventhubs_prices")["units_per_hour_usd"]
    return {sku: float(v) for sku, v in units.items() if v is not None}


def hourly_price(size: str) -> float | None:
    """USD per hour of one VM of `size` (list price, without HDInsight's own charge)."""
    found = vm_size(size)
    return found.hourly_usd if found else None


def hdinsight_versions() -> list[HdiVersion]:
    return [HdiVersion(**v) for v in _load("hdinsight_versions")["versions"]]


def hdinsight_version(version: str) -> HdiVersion | None:
    """The HDInsight version `version` ("5.1"), or None when azlake does not know it."""
    return next((v for v in hdinsight_versions() if v.version == version), None)


def regions() -> list[str]:
    """Azure public region names, as ARM spells them (lower case, no spaces)."""
    return list(_load("regions")["regions"])


def role_definitions() -> dict[str, str]:
    """Built-in role name -> role definition GUID."""
    return dict(_load("role_definitions")["roles"])


def role_definition_id(role: str) -> str:
    """The GUID of a built-in role, e.g. "Storage Blob Data Owner"; KeyError names the known roles."""
    roles = role_definitions()
    if role not in roles:
        raise KeyError(f"unknown role {role!r}; known: {', '.join(sorted(roles))}")
    return roles[role]
