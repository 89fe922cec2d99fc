"""Resources this environment owns (by tag) in its resource group that the file no longer names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from azure.core.exceptions import ResourceNotFoundError

from azlake.azure.observed import owner_from_tags

if TYPE_CHECKING:
    from azlake.azure.clients import Clients
    from azlake.envfile.load import LoadedEnvironment


def orphaned(clients: Clients, loaded: LoadedEnvironment, desired: list[Any]) -> list[dict[str, str]]:
    """[{id, name, type}] tagged as this environment's and not in the file (one ARM read)."""
    group = loaded.spec.resource_group.name
    wanted = {str(r.id).lower() for r in desired if r.id}
    try:
        found = list(clients.resources.resources.list_by_resource_group(group))
    except ResourceNotFoundError:
        return []
    return [{"id": r.id, "name": r.name, "type": r.type} for r in found
            if owner_from_tags(r.tags) == loaded.spec.name and r.id.lower() not in wanted]


def find_orphans(clients: Clients, loaded: LoadedEnvironment, desired: list[Any]) -> list[str]:
    return [f"orphaned: {o['type']} {o['name']} belongs to {loaded.spec.name} but is no longer in the file; "
            "it is kept (azlake destroy --all removes it)" for o in orphaned(clients, loaded, desired)]
