"""The one check of lake paths (files, directories, job inputs/outputs): a path never leaves its zone."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ZONE = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")  # filesystem (container) name rule
MAX_PATH = 1024


def path_problem(path: str, directory_slash: bool = False, shown: str | None = None) -> str | None:
    """Why `path` (inside a zone, no zone in front) is not a plain relative lake path, or None.

    `..` would climb into another zone (the service resolves it), `.` and empty segments name the same
    place twice, a leading `/` is absolute, and `\\` is not a separator in the lake but is on Windows.
    `directory_slash` allows one trailing `/` (a command's way to say "into this directory"); `shown` is
    the text quoted in the message (the whole `<zone>/<path>` a user wrote)."""
    said = f"path {shown if shown is not None else repr(path)}"
    if directory_slash and path.endswith("/") and not path.endswith("//"):
        path = path[:-1]
    if not 1 <= len(path) <= MAX_PATH:
        return f"{said} must have 1-{MAX_PATH} characters"
    if "\\" in path:
        return f"{said} holds '\\': lake paths use '/' only"
    if _CONTROL.search(path):
        return f"{said} holds a control character"
    if path.startswith("/"):
        return f"{said} must be relative to its zone (no leading '/')"
    if any(part in ("", ".", "..") for part in path.split("/")):
        return f"{said} has an empty, '.' or '..' segment: a lake path never leaves its zone"
    if path.endswith("."):
        return f"{said} must not end with '.'"
    return None


def zone_path_problem(text: str, directory_slash: bool = False, zone_only_ok: bool = False) -> str | None:
    """Why `<zone>/<path>` is not valid, or None (`zone_only_ok`: a bare zone, as `lake ls landing`)."""
    if "\\" in text:
        return f"lake path {text!r} holds '\\': lake paths use '/' only"
    if text.startswith("/"):
        return f"lake path {text!r} must start with its zone, not '/' (for example landing/transaccion)"
    zone, sep, rest = text.partition("/")
    if not _ZONE.match(zone):
        return (f"lake path {text!r} must start with a zone: 3-63 lowercase letters, digits and inner hyphens "
                "(for example landing/transaccion)")
    if not rest:
        if zone_only_ok:
            return None
        return f"lake path {text!r} needs a path after its zone, <zone>/<path>"
    return path_problem(rest, directory_slash, shown=repr(text))


def split(text: str, directory_slash: bool = False, zone_only_ok: bool = False) -> tuple[str, str]:
    """'landing/transaccion/x.data' -> ('landing', 'transaccion/x.data'); ValueError saying why not."""
    problem = zone_path_problem(text, directory_slash, zone_only_ok)
    if problem:
        raise ValueError(problem)
    zone, _, rest = text.partition("/")
    return zone, rest
