"""Reads environment YAML keeping the file and line of every key, and merges `extends:` partials."""

from __future__ import annotations

import copy
from pathlib import Path

from azlake.spec.diagnostics import Collector

MAX_EXTENDS_DEPTH = 8


# Parsed files by (path, mtime, size): a folder's department files all read the central lake and the
# folder's names. Bounded for long-lived processes (tests, a server), oldest out first, and large enough that
# a fleet folder never evicts a file it is about to read again.
_PARSED: dict[tuple, tuple[object, dict]] = {}
MAX_PARSED = 4096


def read_yaml(path: Path, out: Collector) -> tuple[object, dict] | None:
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


def _parse(path: Path, out: Collector) -> tuple[object, dict] | None:
    from azlake.spec.yamltext import YamlProblem, parse

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        summary, detail = _unreadable(path, exc)
        out.error((), summary, detail)
        return None
    try:
        return parse(text, path)
    except YamlProblem as problem:
        out.items.append(_syntax(path, problem.line, problem.problem, problem.context))
        return None


def _unreadable(path: Path, exc: Exception) -> tuple[str, str]:
    """Why a file cannot be read, and what to do, in words rather than an exception class."""
    if isinstance(exc, FileNotFoundError):
        return "the file does not exist", f"check the path (relative to {Path.cwd()})"
    if isinstance(exc, PermissionError):
        return "no permission to read the file", "make it readable for you (e.g. chmod u+r), or run as its owner"
    if isinstance(exc, IsADirectoryError):
        return "this is a folder, not a file", "name an environment file, or use a command that takes folders"
    if isinstance(exc, UnicodeDecodeError):
        return "the file is not UTF-8 text", "save it as UTF-8 (an environment file is YAML text)"
    return f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}", ""


def _syntax(path: Path, line, problem: str, context: str):
    from azlake.spec.diagnostics import Diagnostic

    summary = f"YAML syntax: {problem}" + (f" ({context})" if context else "")
    return Diagnostic("error", summary, "fix the YAML syntax at this line (indentation, ':' after keys, quotes)",
                      path, line, "")


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


def _load_parent(path: Path, parent: object, key: tuple, out: Collector, chain: tuple) -> object | None:
    if not isinstance(parent, str) or not parent.strip():
        out.error(key, "extends must name a YAML file next to this one", "e.g. extends: _company.yaml")
        return None
    target = (path.parent / parent).resolve()
    if target in chain or target == path.resolve():
        out.error(key, f"extends loops back to {parent!r}", "a partial must not extend a file that extends it")
        return None
    if len(chain) >= MAX_EXTENDS_DEPTH:
        out.error(key, f"extends is nested deeper than {MAX_EXTENDS_DEPTH} files")
        return None
    if not target.is_file():
        siblings = sorted(p.name for p in path.parent.glob("_*.y*ml"))
        from azlake.spec.diagnostics import did_you_mean
        out.error(key, f"extends: file {parent!r} not found next to {path.name}{did_you_mean(parent, siblings)}",
                  "paths in extends are relative to the file that names them")
        return None
    data = load_merged(target, out, chain + (path.resolve(),))
    if data is not None and not isinstance(data, dict):
        out.error(key, f"{parent} must hold a mapping of keys, not a {type(data).__name__}")
        return None
    return data
