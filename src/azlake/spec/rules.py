"""Azure's rules and the lecture's policy advice, checked offline on a validated Environment."""

from __future__ import annotations


def check_environment(spec, lake, path, unresolved, out) -> None:
    """Add a diagnostic for every rule the environment breaks."""
