"""Management locks at a scope (the lake account): read, create (one PUT), delete (only our own)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from azure.core.exceptions import ResourceNotFoundError

from azlake.azure.kind import DONE, Kind, Outcome, Resource
from azlake.azure.observed import Observed

if TYPE_CHECKING:
    from azlake.azure.clients import Clients


class Lock(Kind):
    """A CanNotDelete lock on the lake's account (never on a group: HDInsight cannot work in a locked one)."""

    name = "lock"
    is_lock = True

    def read(self, clients: Clients, res: Resource, facts: dict[str, Any]) -> Observed:
        try:
            lock = clients.locks.management_locks.get_by_scope(res.context["scope"], res.name)
        except ResourceNotFoundError:
            lock = _same_level_at_scope(clients, res)
            if lock is None:
                return Observed.missing()
            res.name, res.id = lock.name, lock.id  # someone's own lock does what the file asks: it is the one
        # Locks carry no tags: the notes written at creation mark them as ours.
        notes = lock.notes or ""
        owner = notes.rsplit("environment ", 1)[-1] if notes.startswith("managed by azlake") else None
        return Observed(True, {"level": lock.level, "notes": notes}, owner=owner)

    def create(self, clients: Clients, res: Resource, facts: dict[str, Any], observed: Observed | None) -> Outcome:
        clients.locks.management_locks.create_or_update_by_scope(
            res.context["scope"], res.name, {"level": res.properties["level"], "notes": res.properties["notes"]})
        return DONE

    def delete(self, clients: Clients, res: Resource, environment: str) -> Outcome:
        clients.locks.management_locks.delete_by_scope(res.context["scope"], res.name)
        return DONE


def _same_level_at_scope(clients: Clients, res: Resource) -> Any:
    """A lock of the file's level set on the account itself under another name (the portal's): a second
    one would add nothing. Locks inherited from the group are not the file's (it never locks the group)."""
    scope = res.context["scope"].lower().rstrip("/")
    for lock in clients.locks.management_locks.list_by_scope(res.context["scope"]):
        at = (lock.id or "").lower().split(LOCKS_SEGMENT, 1)[0]
        if at == scope and str(getattr(lock.level, "value", lock.level)).lower() == res.properties["level"].lower():
            return lock
    return None


LOCKS_SEGMENT = "/providers/microsoft.authorization/locks/"


def covering(clients: Clients, group: str, scope: str) -> list[Any]:
    """The locks at `scope` or at its resource group: any of them makes Azure refuse a delete there
    (409 ScopeLocked). Subscription-level locks are not looked up (azlake makes none)."""
    wanted = scope.lower().rstrip("/")
    out = []
    for lock in clients.locks.management_locks.list_at_resource_group_level(group):
        at = (lock.id or "").lower().split(LOCKS_SEGMENT, 1)[0]
        if at and (wanted == at or wanted.startswith(at + "/")):
            out.append(lock)
    return out
