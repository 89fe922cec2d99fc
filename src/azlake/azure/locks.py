"""Management locks at a scope (the lake account): read, create (one PUT), delete (only our own)."""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import ResourceNotFoundError

from azlake.azure.observed import Observed


def read(clients: Any, res: Any, facts: dict) -> Observed:
    try:
        lock = clients.locks.management_locks.get_by_scope(res.context["scope"], res.name)
    except ResourceNotFoundError:
        return Observed.missing()
    # Locks carry no tags: the notes written at creation mark them as ours.
    notes = lock.notes or ""
    owner = notes.rsplit("environment ", 1)[-1] if notes.startswith("managed by azlake") else None
    return Observed(True, {"level": lock.level, "notes": notes}, owner=owner)


def create(clients: Any, res: Any, facts: dict, observed: Observed | None = None) -> Any:
    clients.locks.management_locks.create_or_update_by_scope(
        res.context["scope"], res.name, {"level": res.properties["level"], "notes": res.properties["notes"]})


update = create


def delete(clients: Any, res: Any, environment: str) -> Any:
    clients.locks.management_locks.delete_by_scope(res.context["scope"], res.name)
