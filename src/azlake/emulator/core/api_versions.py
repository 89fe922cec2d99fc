"""The api-versions the emulator serves, per provider and resource type, and ARM's refusal of any other.

ARM answers an api-version a resource type does not offer before the provider sees the request: 400
`NoRegisteredProviderFound` when the request names a location (a create), else `InvalidResourceType`, both
listing the supported versions; its own types (resource groups) answer `InvalidApiVersionParameter`.
Each list holds the version the emulator is built on (azlake's SDK clients send it) and the versions of the
official examples it is tested with.
"""

from __future__ import annotations

import json

from azlake.emulator.core.errors import (
    InvalidApiVersionParameter,
    InvalidResourceType,
    NoRegisteredProviderFound,
)
from azlake.emulator.core.http import Request

# namespace -> top-level resource type (lower-case, "*" for any) -> supported api-versions, newest first
SUPPORTED: dict[str, dict[str, tuple[str, ...]]] = {
    "microsoft.resources": {"*": ("2025-04-01",)},
    "microsoft.storage": {"*": ("2026-09-01", "2025-06-01")},
    "microsoft.managedidentity": {"*": ("2024-11-30",)},
    "microsoft.authorization": {"roleassignments": ("2022-04-01", "2020-10-01-preview"),
                                "roledefinitions": ("2022-04-01",), "locks": ("2020-05-01",)},
    "microsoft.hdinsight": {"*": ("2021-06-01",)},
    "microsoft.eventhub": {"*": ("2026-01-01",)},
    "microsoft.keyvault": {"*": ("2026-05-15",)},
}


def resource_type(path: str) -> tuple[str, str]:
    """(namespace, type path) an ARM path addresses: the last provider's, or ARM's own resource groups."""
    parts = [p for p in path.split("/") if p]
    lowered = [p.lower() for p in parts]
    if "providers" in lowered:
        i = len(lowered) - 1 - lowered[::-1].index("providers")
        if i + 1 < len(parts):
            return parts[i + 1], "/".join(parts[i + 2::2])
    if len(parts) >= 3 and lowered[0] == "subscriptions":
        return "Microsoft.Resources", "/".join(parts[2::2])
    return "", ""


def supported(namespace: str, rtype: str) -> tuple[str, ...] | None:
    by_type = SUPPORTED.get(namespace.lower())
    if by_type is None:
        return None
    top = rtype.split("/", 1)[0].lower()
    return by_type.get(top) or by_type.get("*")


def check(req: Request, version: str) -> None:
    """Refuse an api-version the addressed resource type does not offer, as ARM does."""
    namespace, rtype = resource_type(req.path)
    versions = supported(namespace, rtype)
    if not versions or version in versions:
        return
    if namespace.lower() == "microsoft.resources":
        raise InvalidApiVersionParameter(f"The api-version '{version}' is invalid. The "
                                         f"supported versions are '{','.join(versions)}'.")
    location = _location(req)
    if location:
        raise NoRegisteredProviderFound(
            f"No registered resource provider found for location '{location}' and API version "
            f"'{version}' for type '{rtype}'. The supported api-versions are '{', '.join(versions)}'.")
    raise InvalidResourceType(f"The resource type '{rtype}' could not be found in the namespace '{namespace}' for api "
                              f"version '{version}'. The supported api-versions are '{','.join(versions)}'.")


def _location(req: Request) -> str:
    if req.method not in ("PUT", "PATCH") or not req.body:
        return ""
    try:
        body = json.loads(req.body)
    except ValueError:
        return ""
    return str(body.get("location") or "").lower().replace(" ", "") if isinstance(body, dict) else ""
