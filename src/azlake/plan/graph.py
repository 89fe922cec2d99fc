"""The dependency graph of an environment: topological order for creates, reversed for deletes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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
