"""Diagnostics: one problem in an environment file, with severity, file:line, key path and what to do."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# ("cluster", "nodes", "head", "count"), ("data_lake", "zones", 2): mostly str and int, but a YAML key may be
# any scalar (a file can write `1: x` or `true: x`), and the problem is reported at that key
KeyPath = tuple[Any, ...]
Places = dict[KeyPath, tuple[Path, int]]  # key path -> (file, 1-based line) where it was written


def format_path(path: Sequence[Any]) -> str:
    """("data_lake", "zones", 2) -> "data_lake.zones[2]"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "error" | "warning"
    summary: str
    detail: str = ""
    file: Path | None = None
    line: int | None = None
    key_path: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        where = str(self.file) if self.file else "<input>"
        return f"{where}:{self.line}" if self.line else where

    def render(self) -> str:
        """`environments/ventas.yaml:23 cluster.nodes.zookeeper.count: must be 3 (...)` plus the detail."""
        head = f"{self.location()} {self.key_path}:" if self.key_path else f"{self.location()}:"
        text = f"{self.severity}: {head} {self.summary}"
        return f"{text}\n    {self.detail}" if self.detail else text


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or '' when nothing is close."""
    choices = [c for c in choices if isinstance(c, str)]
    lowered = {c.lower(): c for c in choices}
    if isinstance(word, str) and word.lower() in lowered and lowered[word.lower()] != word:
        return f" (did you mean {lowered[word.lower()]!r}?)"
    containing = [c for c in choices if len(str(word)) >= 3 and str(word).lower() in c.lower()]
    if len(containing) == 1:  # e.g. E2_v3 -> Standard_E2_v3
        return f" (did you mean {containing[0]!r}?)"
    close = difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass
class Locations:
    """Where each key path of the merged document was written: the file that won, and its 1-based line."""

    places: Places = field(default_factory=dict)
    root_file: Path | None = None

    def find(self, path: Sequence[Any]) -> tuple[Path | None, int | None]:
        """The place of `path`, or of its nearest written ancestor (a missing key points at its parent)."""
        path = tuple(path)
        while path:
            if path in self.places:
                return self.places[path]
            path = path[:-1]
        return self.places.get((), (self.root_file, None))


@dataclass
class Collector:
    """Gathers every problem of a file so that all are reported at once."""

    locations: Locations
    secrets: list[str] = field(default_factory=list)
    items: list[Diagnostic] = field(default_factory=list)

    def add(self, severity: str, path: Sequence[Any], summary: str, detail: str = "") -> None:
        file, line = self.locations.find(path)
        self.items.append(Diagnostic(severity, self._redact(summary), self._redact(detail), file, line,
                                     format_path(path)))

    def error(self, path: Sequence[Any], summary: str, detail: str = "") -> None:
        self.add("error", path, summary, detail)

    def warning(self, path: Sequence[Any], summary: str, detail: str = "") -> None:
        self.add("warning", path, summary, detail)

    def _redact(self, text: str) -> str:
        # Defence in depth: a secret that leaked into another key's value must not reach any message.
        for secret in self.secrets:
            if len(secret) >= 3:
                text = text.replace(secret, "***")
        return text

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.items)


def render_all(diagnostics: Sequence[Diagnostic]) -> str:
    return "\n".join(d.render() for d in diagnostics)
