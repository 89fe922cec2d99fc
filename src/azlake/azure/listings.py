"""Lists read once per plan and shared by the reads of the resources they answer for (Kind.listing_key)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from azlake.azure.clients import Clients
    from azlake.azure.kind import Kind, Resource

# Below this many resources under one key, a list costs as many requests as reading each one.
LIST_FROM = 2


class Listings:
    """The lists of one plan's reads: each key is listed at most once (the first read of it lists, the
    others wait for that answer). A failed list is not kept: the next read of the key tries again."""

    def __init__(self, members: Iterable[tuple[Kind, Resource]]) -> None:
        self._sizes = Counter(_full(kind, key) for kind, res in members
                              if (key := kind.listing_key(res)) is not None)
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[str, ...], threading.Lock] = {}
        self._lists: dict[tuple[str, ...], Any] = {}

    def get(self, kind: Kind, clients: Clients, res: Resource, facts: dict[str, Any]) -> Any:
        key = kind.listing_key(res)
        if key is None or self._sizes[_full(kind, key)] < LIST_FROM:
            return None
        full = _full(kind, key)
        with self._lock:
            key_lock = self._key_locks.setdefault(full, threading.Lock())
        with key_lock:
            if full not in self._lists:
                self._lists[full] = kind.listing(clients, key, facts)
            return self._lists[full]


def listed(kind: Kind, clients: Clients, res: Resource, facts: dict[str, Any]) -> Any:
    """The plan's listing that answers for `res`, or None: read it on its own (also outside a plan)."""
    listings = facts.get("listings")
    return listings.get(kind, clients, res, facts) if isinstance(listings, Listings) else None


def _full(kind: Kind, key: tuple[str, ...]) -> tuple[str, ...]:
    return (kind.name, *key)
