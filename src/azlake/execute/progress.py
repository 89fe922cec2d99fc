"""How apply and destroy report progress: a Display protocol, rich for people, plain lines for CI, none in tests."""

from __future__ import annotations

import sys
import threading
import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.progress import TaskID

SYMBOLS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-", "adopt": "@", "noop": " "}
VERBS = {"create": "creating", "update": "updating", "replace": "replacing", "delete": "deleting",
         "adopt": "adopting"}


class Display(Protocol):
    def message(self, text: str) -> None: ...
    def start(self, address: str, kind: str, name: str) -> None: ...
    def status(self, address: str, text: str) -> None: ...
    def finish(self, address: str, kind: str, elapsed: float, error: str | None = None) -> None: ...
    def skip(self, address: str, reason: str) -> None: ...
    def close(self) -> None: ...


class NullDisplay:
    """Says nothing (tests); keeps what it was told so tests can look."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, str]] = []

    def message(self, text: str) -> None:
        self.events.append(("message", "", text))

    def start(self, address: str, kind: str, name: str) -> None:
        self.events.append(("start", address, kind))

    def status(self, address: str, text: str) -> None:
        self.events.append(("status", address, text))

    def finish(self, address: str, kind: str, elapsed: float, error: str | None = None) -> None:
        self.events.append(("finish", address, error or "ok"))

    def skip(self, address: str, reason: str) -> None:
        self.events.append(("skip", address, reason))

    def close(self) -> None:
        pass


class Lines(Protocol):
    """Where plain lines go: a text stream, or anything that writes and flushes like one."""

    def write(self, text: str, /) -> object: ...
    def flush(self) -> object: ...


class PlainDisplay:
    """One line per event, for CI logs (no colours, no cursor movement)."""

    def __init__(self, out: Lines | None = None) -> None:
        self.out: Lines = out or sys.stdout
        self.lock = threading.Lock()
        self.t0 = time.monotonic()
        self.last_status: dict[str, str] = {}

    def _line(self, text: str) -> None:
        with self.lock:
            print(f"[{time.monotonic() - self.t0:6.1f}s] {text}", file=self.out, flush=True)

    def message(self, text: str) -> None:
        self._line(text)

    def start(self, address: str, kind: str, name: str) -> None:
        self._line(f"{address}: {VERBS.get(kind, kind)} {name}")

    def status(self, address: str, text: str) -> None:
        if self.last_status.get(address) != text:  # a cluster's state only when it moves
            self.last_status[address] = text
            self._line(f"{address}: {text}")

    def finish(self, address: str, kind: str, elapsed: float, error: str | None = None) -> None:
        outcome = f"FAILED: {error}" if error else "done"
        self._line(f"{address}: {outcome} after {elapsed:.1f}s")

    def skip(self, address: str, reason: str) -> None:
        self._line(f"{address}: skipped ({reason})")

    def close(self) -> None:
        pass


class RichDisplay:
    """A live spinner per running resource with its elapsed time and state; finished lines scroll above."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
        self.console = Console()
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                 console=self.console, transient=True)
        self.tasks: dict[str, TaskID] = {}
        self.labels: dict[str, str] = {}
        self.lock = threading.Lock()
        self.progress.start()

    def message(self, text: str) -> None:
        self.progress.console.print(text, markup=False, highlight=False)

    def start(self, address: str, kind: str, name: str) -> None:
        with self.lock:
            self.labels[address] = f"{SYMBOLS.get(kind, '')} {address} ({name})"
            self.tasks[address] = self.progress.add_task(_escape(f"{self.labels[address]}: {VERBS.get(kind, kind)}"),
                                                         total=None)

    def status(self, address: str, text: str) -> None:
        with self.lock:
            if address in self.tasks:
                self.progress.update(self.tasks[address], description=_escape(f"{self.labels[address]}: {text}"))

    def finish(self, address: str, kind: str, elapsed: float, error: str | None = None) -> None:
        with self.lock:
            task = self.tasks.pop(address, None)
            if task is not None:
                self.progress.remove_task(task)
        mark = "[red]✗[/red]" if error else "[green]✓[/green]"
        tail = f" [red]{_escape(error)}[/red]" if error else ""
        self.progress.console.print(f"{mark} {_escape(self.labels.get(address, address))} "
                                    f"[dim]{elapsed:.1f}s[/dim]{tail}")

    def skip(self, address: str, reason: str) -> None:
        self.progress.console.print(f"[yellow]•[/yellow] {_escape(address)} skipped: {_escape(reason)}")

    def close(self) -> None:
        self.progress.stop()


def _escape(text: str) -> str:
    from rich.markup import escape
    return escape(text)


def default_display() -> Display:
    """Rich on a terminal, plain lines in CI or when output is redirected."""
    import os
    if os.environ.get("CI", "").lower() == "true" or not sys.stdout.isatty():
        return PlainDisplay()
    return RichDisplay()
