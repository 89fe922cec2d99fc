"""A best-effort model of a file with structural errors, so that the Azure rules still check its sound parts.

Without it a file with one misspelt key would hide every rule problem until that key is fixed; the user
would fix a file in several rounds instead of one.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from azlake.envfile.diagnostics import KeyPath, format_path
from azlake.envfile.models import Environment

_PLACEHOLDERS = {("name",): "xx", ("company",): "xx", ("department",): "xx",
                 ("subscription",): "00000000-0000-0000-0000-000000000000", ("location",): "brazilsouth"}
# A rule in one section reads these others: never trust it when one of them was pruned.
_DEPENDS = {"cluster": {"data_lake"}, "jobs": {"data_lake", "cluster"}}


def _target(loc: KeyPath, kind: str) -> KeyPath:
    """The key to remove for an error at `loc`: a list as a whole, a missing key's parent."""
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
    for index, part in enumerate(loc):
        if isinstance(part, int):
            return loc[:index]
    if kind == "missing" and loc not in _PLACEHOLDERS:
        return loc[:-1]
    return loc


def _prune(data: dict[str, Any], loc: KeyPath) -> None:
    if loc in _PLACEHOLDERS:
        data[loc[0]] = _PLACEHOLDERS[loc]
        return
    node: object = data
    for part in loc[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if loc and isinstance(node, dict):
        node.pop(loc[-1], None)


def best_effort(data: dict[str, Any], exc: ValidationError) -> tuple[Environment | None, set[str]]:
    """A model with the failing keys removed (defaults apply), and the key paths whose findings to distrust.

    A wrong value is replaced by its default, so rules over its section (and the sections that read it)
    could report what is not in the file: they are distrusted. An unknown key only hides the key it was
    meant to be, a sibling: only its own mapping is distrusted, and the other sections are still checked.
    """
    pruned, errors, distrusted = copy.deepcopy(data), exc.errors(include_url=False), set()
    for _ in range(4):  # removing a key can reveal a missing parent: go up a few times at most
        for err in errors:
            loc = _target(tuple(err["loc"]), err["type"])
            distrusted |= _distrusted_by(loc, err["type"])
            _prune(pruned, loc)
        try:
            spec = Environment.model_validate(pruned)
        except ValidationError as again:
            errors = again.errors(include_url=False)
            continue
        return spec, distrusted
    return None, distrusted | {""}


def _distrusted_by(loc: KeyPath, kind: str) -> set[str]:
    if kind == "extra_forbidden":
        return {format_path(loc[:-1])} if len(loc) > 1 else set()  # a top-level stray key changes no rule
    section = str(loc[0]) if loc else ""
    return {section} | {s for s, deps in _DEPENDS.items() if section in deps}


def distrusted(key_path: str, prefixes: set[str]) -> bool:
    """True when a finding at key_path lies in a distrusted part ("" distrusts everything)."""
    return any(p == "" or key_path == p or key_path.startswith((p + ".", p + "[")) for p in prefixes)
