"""All terminal output of the CLI: errors, diagnostics, plans, progress (rich for people, plain in CI)."""

from __future__ import annotations

import os
import sys

from azlake.errors import AzlakeError


def plain() -> bool:
    """Plain lines (no colours, no live progress) in CI and when stdout is not a terminal."""
    return os.environ.get("CI", "").lower() == "true" or not sys.stdout.isatty()


def print_error(err: AzlakeError) -> None:
    print(f"error: {err.render()}", file=sys.stderr)
