"""The single exception root of azlake and the process exit codes."""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    CHANGES = 2  # only with --detailed-exitcode: success, changes pending
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it


class AzlakeError(Exception):
    """An error meant for a person: what went wrong, and what to do next.

    Never put a secret value in any field: these are printed as they are.
    """

    def __init__(self, summary: str, *, detail: str = "", hint: str = "",
                 location: str = "", code: str = "") -> None:
        super().__init__(summary)
        self.summary = summary
        self.detail = detail
        self.hint = hint
        self.location = location
        self.code = code

    def render(self) -> str:
        head = f"{self.location}: {self.summary}" if self.location else self.summary
        parts = [head]
        if self.code:
            parts[0] += f" [{self.code}]"
        if self.detail:
            parts.append(self.detail)
        if self.hint:
            parts.append(f"What to do: {self.hint}")
        return "\n".join(parts)


class SpecError(AzlakeError):
    """The environment file is invalid; carries the diagnostics."""

    # list[Diagnostic]: not imported even for types, the exception root is the bottom layer and imports no azlake
    def __init__(self, diagnostics: list[Any]) -> None:
        errors = [d for d in diagnostics if getattr(d, "severity", "error") == "error"]
        super().__init__(f"{len(errors)} error(s) in the environment file")
        self.diagnostics = diagnostics


class CloudError(AzlakeError):
    """An Azure (or emulator) call failed; summary explains, hint says what next."""


class Aborted(AzlakeError):
    """Refused before anything was done: no way to confirm (no terminal, no --auto-approve), or a saved plan
    that does not fit. (Answering "no" is not an error: the command ends with exit 0.)"""
