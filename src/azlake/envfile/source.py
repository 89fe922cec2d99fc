"""Reads environment YAML keeping the file and line of every key, and merges `extends:` partials."""

from __future__ import annotations

import copy
from pathlib import Path

from azlake.envfile.diagnostics import Collector, Diagnostic, KeyPath, Places, did_you_mean
from azlake.envfile.files import MAX_ENVIRONMENT_BYTES, Refused, confined, read_text
from azlake.envfile.models import Environment
from azlake.envfile.yamltext import YamlProblem, parse

MAX_EXTENDS_DEPTH = 8


# Parsed files by (path, mtime, size): a folder's department files all read the central lake and the
# folder's names. Bounded for long-lived processes (tests, a server), oldest out first, and large enough that
# a fleet folder never evicts a file it is about to read again.
_PARSED: dict[tuple[str, int, int], tuple[object, Places]] = {}
MAX_PARSED = 4096


def read_yaml(path: Path, out: Collector) -> tuple[object, Places] | None:
    """Parse one file; on a syntax problem add a diagnostic with its line and return None."""
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    if key in _PARSED:
        data, places = _PARSED[key]
        return copy.deepcopy(data), {k: (path, line) for k, (_, line) in places.items()}
    parsed = _parse(path, out)
    if parsed is not None and key is not None:
        while len(_PARSED) >= MAX_PARSED:
            del _PARSED[next(iter(_PARSED))]
        _PARSED[key] = copy.deepcopy(parsed)
    return parsed


def _parse(path: Path, out: Collector) -> tuple[object, Places] | None:
    try:
        text = read_text(path, MAX_ENVIRONMENT_BYTES)
    except Refused as refused:
        out.error((), refused.summary, refused.detail)
        return None
    try:
        return parse(text, path)
    except YamlProblem as problem:
        out.items.append(_syntax(path, problem.line, problem.problem, problem.context, text))
        return None


def _syntax(path: Path, line: int | None, problem: str, context: str, text: str = "") -> Diagnostic:
    import re

    summary = f"YAML syntax: {problem}" + (f" ({context})" if context else "")
    lines = text.splitlines()
    here = lines[line - 1] if isinstance(line, int) and 0 < line <= len(lines) else ""
    detail = "fix the YAML syntax at this line (indentation, ':' after keys, quotes)"
    if "flow" in (context or "") and re.search(r"""(?<!["'])\$\{""", here):
        # `{`/`}` are the brackets of a {...} mapping: an unquoted ${VAR} inside one closes it early
        detail = ("an unquoted ${VAR} inside {...} or [...]: YAML reads its '{' and '}' as brackets of the "
                  "mapping; quote it, e.g. count: \"${N}\" (azlake still reads the value as a number), or "
                  "write that mapping as indented lines")
    return Diagnostic("error", summary, detail, path, line, "")


def deep_merge(base: object, top: object) -> object:
    """Mappings merge key by key, `top` wins; lists and scalars from `top` replace `base` entirely."""
    if isinstance(base, dict) and isinstance(top, dict):
        merged = dict(base)
        for key, value in top.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    return top


def load_merged(path: Path, out: Collector, chain: tuple[Path, ...] = ()) -> object | None:
    """The file's data with its `extends:` partials merged under it; lines in `out.locations`."""
    read = read_yaml(path, out)
    if read is None:
        return None
    data, places = read
    for key, place in places.items():
        out.locations.places.setdefault(key, place)  # first file read (the top one) wins
    if not isinstance(data, dict):
        return data
    if data and not any(k in _known_keys() for k in data):
        # Not an environment file (a key file, /etc/..., a CSV): its keys would be its content, and a CI log
        # on a pull request would publish them. Say what it is not, quote nothing.
        out.error((), f"this is not an azlake environment file: none of its {len(data)} top-level keys is one "
                      "azlake knows (its content is not shown)", "name an environment file or a _*.yaml partial")
        return None
    extends = data.get("extends")
    parents = [extends] if isinstance(extends, str) else extends if isinstance(extends, list) else []
    if extends is not None and not parents:
        out.error(("extends",), "extends must be a file name or a list of file names", "e.g. extends: _company.yaml")
    merged_base: object = {}
    for index, parent in enumerate(parents):
        key = ("extends",) if isinstance(extends, str) else ("extends", index)
        base = _load_parent(path, parent, key, out, chain)
        if isinstance(base, dict):
            base = {k: v for k, v in base.items() if k != "extends"}
            merged_base = deep_merge(merged_base, base)
    return deep_merge(merged_base, data)


def _known_keys() -> set[str]:
    return set(Environment.model_fields) | {"extends"}


def _load_parent(path: Path, parent: object, key: KeyPath, out: Collector, chain: tuple[Path, ...]) -> object | None:
    if not isinstance(parent, str) or not parent.strip():
        out.error(key, "extends must name a YAML file next to this one", "e.g. extends: _company.yaml")
        return None
    root = (chain[0] if chain else path.resolve()).parent  # the folder of the environment file itself
    try:
        target = confined(parent, path.parent, root, "extends", "a partial must live in the environment file's "
                          "folder or below it: copy it there (e.g. extends: _company.yaml or shared/_network.yaml)")
    except Refused as refused:
        out.error(key, refused.summary, refused.detail)
        return None
    if target in chain or target == path.resolve():
        out.error(key, f"extends loops back to {parent!r}", "a partial must not extend a file that extends it")
        return None
    if len(chain) >= MAX_EXTENDS_DEPTH:
        out.error(key, f"extends is nested deeper than {MAX_EXTENDS_DEPTH} files")
        return None
    if not target.exists():
        siblings = sorted(p.name for p in path.parent.glob("_*.y*ml"))
        out.error(key, f"extends: file {parent!r} not found next to {path.name}{did_you_mean(parent, siblings)}",
                  "paths in extends are relative to the file that names them")
        return None
    data = load_merged(target, out, chain + (path.resolve(),))
    if data is not None and not isinstance(data, dict):
        out.error(key, f"{parent} must hold a mapping of keys, not a {type(data).__name__}")
        return None
    return data
