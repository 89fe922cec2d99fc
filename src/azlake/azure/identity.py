"""User-assigned managed identities: read (with principal id), create/update (one PUT), delete."""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import ResourceNotFoundError

from azlake.azure.observed import Observed, flat_tags, owner_from_tags
from azlake.azure.resource_groups import merged_tags


def read(clients: Any, res: Any, facts: dict) -> Observed:
    try:
        i = clients.msi.user_assigned_identities.get(res.context["group"], res.name)
    except ResourceNotFoundError:
        return Observed.missing()
    return Observed(True, {"location": i.location, **flat_tags(i.tags)}, owner_from_tags(i.tags),
                    outputs={"principal_id": i.principal_id, "client_id": i.client_id})


def create(clients: Any, res: Any, facts: dict, observed: Observed | None = None) -> Any:
    i = clients.msi.user_assigned_identities.create_or_update(
        res.context["group"], res.name,
        {"location": res.properties["location"], "tags": merged_tags(res, observed)})
    return {"principal_id": i.principal_id, "client_id": i.client_id}


update = create


def delete(clients: Any, res: Any, environment: str) -> Any:
    clients.msi.user_assigned_identities.delete(res.context["group"], res.name)
