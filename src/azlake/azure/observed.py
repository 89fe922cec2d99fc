"""What a provider's read found in Azure: existence, ownership tags, state and comparable properties."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

TAG_ENVIRONMENT = "azlake-environment"
TAG_LIFECYCLE = "azlake-lifecycle"
TAG_MANAGED_BY = "managed-by"
MANAGED_BY = "azlake"
META_ENVIRONMENT = "azlake_environment"  # data-plane metadata keys cannot hold '-'


class _Unknown:
    """A value Azure does not return (a password) or we could not read: never a reason to change."""

    def __repr__(self) -> str:
        return "(unknown)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Unknown)

    def __hash__(self) -> int:
        return 0


UNKNOWN = _Unknown()

# A password is compared where it is read and only the outcome is kept: plans, plan files and their
# fingerprints hold one of these markers, never the secret (nor a digest of it).
SECRET_MATCHES = "(the file's password)"
SECRET_DIFFERS = "(another password)"


def ownership_tags(environment: str, lifecycle: str) -> dict[str, str]:
    return {TAG_ENVIRONMENT: environment, TAG_LIFECYCLE: lifecycle, TAG_MANAGED_BY: MANAGED_BY}


@dataclass
class Observed:
    """One resource as read: `properties` uses the same flat dotted keys as the desired resource."""

    exists: bool
    properties: dict[str, Any] = field(default_factory=dict)
    owner: str | None = None         # environment named by the tags/metadata, None if not azlake's
    state: str | None = None         # provisioningState (or cluster state) when the resource has one
    detail: str | None = None        # e.g. the cluster's clusterState, shown while waiting
    outputs: dict[str, Any] = field(default_factory=dict)  # facts later steps need (principal id, ...)

    @classmethod
    def missing(cls) -> Observed:
        return cls(False)

    def fingerprint(self) -> str:
        """A short digest of what was read: a saved plan refuses to apply when this moved."""
        doc = {"exists": self.exists, "owner": self.owner, "state": self.state,
               "properties": {k: (None if v is UNKNOWN else v) for k, v in sorted(self.properties.items())}}
        return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()[:16]


def owner_from_tags(tags: dict[str, str] | None) -> str | None:
    # ARM tag names are case-insensitive (values are not): `Managed-By` is the same tag as `managed-by`
    folded = {k.lower(): v for k, v in (tags or {}).items()}
    if folded.get(TAG_MANAGED_BY) != MANAGED_BY:
        return None
    return folded.get(TAG_ENVIRONMENT)


def flat_tags(tags: dict[str, str] | None) -> dict[str, str]:
    """Tags as dotted properties (`tags.owner`), so each one diffs on its own."""
    return {f"tags.{k}": v for k, v in (tags or {}).items()}
