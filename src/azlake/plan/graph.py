"""The dependency graph of an environment: topological order for creates, reversed for deletes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

from azlake.errors import AzlakeError


class Graph:
    """Nodes are addresses; `deps[a]` are the addresses `a` needs first (unknown ones are ignored)."""

    def __init__(self, deps: Mapping[str, Iterable[str]]) -> None:
        self.nodes = list(deps)
        known = set(self.nodes)
        self.deps = {a: [d for d in deps[a] if d in known and d != a] for a in self.nodes}
        self.dependents: dict[str, list[str]] = {a: [] for a in self.nodes}
        for a, ds in self.deps.items():
            for d in ds:
                self.dependents[d].append(a)
        self.order()  # fail early on a cycle

    def order(self) -> list[str]:
        """Dependencies first; ties keep the input order (stable, so plans read the same every time)."""
        pending = {a: len(ds) for a, ds in self.deps.items()}
        ready = [a for a in self.nodes if pending[a] == 0]
        out: list[str] = []
        position = {a: i for i, a in enumerate(self.nodes)}
        while ready:
            ready.sort(key=position.__getitem__)
            node = ready.pop(0)
            out.append(node)
            for nxt in self.dependents[node]:
                pending[nxt] -= 1
                if pending[nxt] == 0:
                    ready.append(nxt)
        if len(out) != len(self.nodes):
            stuck = sorted(set(self.nodes) - set(out))
            raise AzlakeError(f"dependency cycle between {', '.join(stuck)}",
                              hint="this is a bug in azlake; please report it with the environment file")
        return out

    def reverse_order(self) -> list[str]:
        """Dependents first: the order to delete in."""
        return list(reversed(self.order()))

    def reversed(self) -> Graph:
        """The graph for deletes: a node waits for everything that depends on it."""
        return Graph({a: list(self.dependents[a]) for a in self.nodes})

    def ancestors(self, node: str) -> set[str]:
        seen: set[str] = set()
        stack = list(self.deps.get(node, []))
        while stack:
            d = stack.pop()
            if d not in seen:
                seen.add(d)
                stack.extend(self.deps[d])
        return seen

    def descendants(self, node: str) -> set[str]:
        seen: set[str] = set()
        stack = list(self.dependents.get(node, []))
        while stack:
            d = stack.pop()
            if d not in seen:
                seen.add(d)
                stack.extend(self.dependents[d])
        return seen


T = TypeVar("T")


def walk(pending: dict[str, set[str]], start: Callable[[str], Callable[[], T] | None],
         finish: Callable[[str, T], None], max_workers: int, on_interrupt: Callable[[], None] | None = None) -> None:
    """Run a graph concurrently: each address starts once every address it waits for (`pending[a]`) is
    settled, in `pending`'s order among those ready. `start(a)` returns the work to run in the pool, or None
    when `a` is settled without running; `finish(a, result)` takes a work's result (its exception is
    raised here). The one walker of the planner's reads and the executor's writes.

    On Ctrl-C, `on_interrupt` runs (running work stops at its next look), work not started is cancelled,
    and the interrupt is raised once the pool has drained.
    """
    running: dict[Future[T], str] = {}
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        try:
            while pending or running:
                for address in [a for a, deps in pending.items() if not deps]:
                    del pending[address]
                    work = start(address)
                    if work is None:
                        _release(pending, address)
                    else:
                        running[pool.submit(work)] = address
                if not running:
                    continue
                done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for fut in done:
                    address = running.pop(fut)
                    finish(address, fut.result())
                    _release(pending, address)
        except KeyboardInterrupt:
            if on_interrupt is not None:
                on_interrupt()
            for fut in running:
                fut.cancel()
            raise


def _release(pending: dict[str, set[str]], address: str) -> None:
    for deps in pending.values():
        deps.discard(address)
