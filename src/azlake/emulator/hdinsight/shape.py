"""How HDInsight writes values back: region display names, lower-case VM sizes, enum case (no HTTP).

The source is the official 2021-06-01 create examples' responses: a cluster requested in `eastus` (or with
no location, in an East US group) comes back as "East US", "South Central US"; every role's
`hardwareProfile.vmSize` sent as `Standard_D12_V2` comes back `standard_d12_v2`; `tier` and `osType` come
back in the enum's own case ("Standard", "Linux"); a role's `minInstanceCount` is not answered. terraform-provider-azurerm ignores case differences on
HDInsight `vm_size` and `tier` for this reason.
"""

from __future__ import annotations

# Regions where the emulator offers HDInsight, as HDInsight names them (display names; the ARM name is the
# same in lower case without spaces).
REGIONS = ["Australia East", "Brazil South", "Canada Central", "Central India", "Central US", "East Asia",
           "East US", "East US 2", "France Central", "Germany West Central", "Japan East", "North Central US",
           "North Europe", "South Central US", "Southeast Asia", "Sweden Central", "UK South", "West Europe",
           "West US", "West US 2", "West US 3"]
_DISPLAY = {r.lower().replace(" ", ""): r for r in REGIONS}
# The swagger's enums (Tier: Standard, Premium; OSType: Windows, Linux), keyed by lower case.
_TIERS = {"standard": "Standard", "premium": "Premium"}
_OS_TYPES = {"linux": "Linux", "windows": "Windows"}


def normalise(location: str) -> str:
    """The ARM name of a region: "West US 2" -> "westus2"."""
    return location.lower().replace(" ", "")


def display_location(location: str) -> str:
    """"brazilsouth" -> "Brazil South"; a region outside the list keeps its ARM name."""
    return _DISPLAY.get(normalise(location), location)


def vm_size(size: str | None) -> str | None:
    return size.lower() if isinstance(size, str) else size


def tier(value: str | None) -> str:
    return _TIERS.get(str(value or "standard").lower(), str(value))


def os_type(value: str | None) -> str:
    return _OS_TYPES.get(str(value or "linux").lower(), str(value))


def cluster(body: dict) -> dict:
    """A stored cluster document as HDInsight answers it (the stored one keeps ARM region names)."""
    props = dict(body.get("properties") or {})
    roles = (props.get("computeProfile") or {}).get("roles")
    if roles is not None:
        props["computeProfile"] = {**props["computeProfile"], "roles": [_role(r) for r in roles]}
    return {**body, "location": display_location(str(body.get("location") or "")), "properties": props}


def _role(role: dict) -> dict:
    # minInstanceCount is accepted and never answered (deprecated; no example response carries it)
    out = {k: v for k, v in role.items() if k != "minInstanceCount"}
    hardware = role.get("hardwareProfile")
    if isinstance(hardware, dict):
        out["hardwareProfile"] = {**hardware, "vmSize": vm_size(hardware.get("vmSize"))}
    return out
