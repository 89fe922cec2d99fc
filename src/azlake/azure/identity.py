"""User-assigned managed identities: read (with principal id), create/update (one PUT), delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import ResourceNotFoundError

from azlake.azure.kind import DONE, REFUSE_MOVE, Kind, Outcome, Resource
from azlake.azure.observed import Observed, flat_tags, owner_from_tags
from azlake.azure.resource_groups import merged_tags
from azlake.azure.roles import principal_facts

if TYPE_CHECKING:
    from azlake.azure.clients import Clients


class Identity(Kind):
    """The environment's user-assigned identity: its principal id is what role assignments are for."""

    name = "identity"
    rules = {"location": REFUSE_MOVE}

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        try:
            i = clients.msi.user_assigned_identities.get(res.context["group"], res.name)
        except ResourceNotFoundError:
            return Observed.missing()
        return Observed(True, {"location": i.location, **flat_tags(i.tags)}, owner_from_tags(i.tags),
                        outputs={"principal_id": i.principal_id, "client_id": i.client_id})

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        i = clients.msi.user_assigned_identities.create_or_update(
            res.context["group"], res.name,
            {"location": res.properties["location"], "tags": merged_tags(res, observed)})
        return Outcome(outputs={"principal_id": i.principal_id, "client_id": i.client_id})

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        clients.msi.user_assigned_identities.delete(res.context["group"], res.name)
        return DONE

    def facts(self, clients: Clients, outputs: Mapping[str, Any]) -> dict[str, str]:
        return principal_facts((), clients, dict(outputs))
