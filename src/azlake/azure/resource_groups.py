"""Resource groups: read, create/update (one PUT), delete (LRO) — only when everything inside is ours."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from azure.core.exceptions import ResourceNotFoundError

from azlake.azure.kind import DONE, REFUSE_MOVE, Kind, Outcome, Resource
from azlake.azure.observed import Observed, flat_tags, owner_from_tags
from azlake.errors import AzlakeError

if TYPE_CHECKING:
    from azlake.azure.clients import Clients


class ResourceGroup(Kind):
    name = "resource_group"
    rules = {"location": REFUSE_MOVE}

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        try:
            g = clients.resources.resource_groups.get(res.name)
        except ResourceNotFoundError:
            return Observed.missing()
        return Observed(True, {"location": g.location, **flat_tags(g.tags)}, owner_from_tags(g.tags),
                        g.properties.provisioning_state if g.properties else None)

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        clients.resources.resource_groups.create_or_update(
            res.name, {"location": res.properties["location"], "tags": merged_tags(res, observed)})
        return DONE

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        """Deleting a group deletes all it holds: refuse when anything inside is not this environment's."""
        foreign = [r.name for r in clients.resources.resources.list_by_resource_group(res.name)
                   if owner_from_tags(r.tags) != environment]
        if foreign:
            raise AzlakeError(f"resource group {res.name} also holds resources azlake does not own for "
                              f"{environment}: {', '.join(sorted(foreign)[:10])}; it is kept",
                              hint="delete or move those resources yourself, then run destroy --all again")
        return Outcome(clients.resources.resource_groups.begin_delete(res.name))


def merged_tags(res: Resource, observed: Observed | None) -> dict[str, str]:
    """Tags to write: what Azure has (policy or people may add tags) with the file's on top. Tag names are
    case-insensitive in ARM: the file's spelling replaces Azure's, never sits next to it."""
    have = {k[5:]: v for k, v in (observed.properties if observed else {}).items() if k.startswith("tags.")}
    want = {k[5:]: v for k, v in res.properties.items() if k.startswith("tags.")}
    folded = {k.lower() for k in want}
    return {**{k: v for k, v in have.items() if k.lower() not in folded}, **want}
