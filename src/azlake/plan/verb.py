"""The verb of a plan's action: what apply does to a resource."""

from __future__ import annotations

from enum import StrEnum


class Verb(StrEnum):
    """What apply does to a resource, ordered like a plan summary. `adopt` takes ownership of what exists
    without azlake's marks (tags, metadata, notes): shown by every plan, made only by `apply --adopt`."""

    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"
    ADOPT = "adopt"
    NOOP = "noop"
