"""YAML text -> plain Python data plus the line of every key, via libyaml's composer (fast, keeps marks).

Scalars follow YAML 1.2's core schema (as ruamel.yaml does): only true/false are booleans, so a zone called `on`
stays text; `010` is ten; `1:30` and dates are text.
Duplicate keys, complex keys, runaway aliases and nesting are reported as problems with their line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from azlake.envfile.diagnostics import KeyPath, Places

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL = "tag:yaml.org,2002:bool"
_MERGE = "tag:yaml.org,2002:merge"
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_INT_12 = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_12 = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")
_TEXT_TAGS = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary")
MAX_DEPTH = 40
MAX_NODES = 20_000  # alias expansion ("billion laughs") stops here


class YamlProblem(Exception):
    """A problem with the text itself, at a 1-based line."""

    def __init__(self, problem: str, line: int | None, context: str = "") -> None:
        super().__init__(problem)
        self.problem, self.line, self.context = problem, line, context


@dataclass
class _Walk:
    places: Places
    file: Path
    constructor: yaml.constructor.SafeConstructor
    nodes: int = 0

    def value(self, node: Any, path: KeyPath, depth: int) -> object:
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise YamlProblem("the document nests or repeats aliases too deeply", node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.places[path + (index,)] = (self.file, item.start_mark.line + 1)
                items.append(self.value(item, path + (index,), depth + 1))
            return items
        return self.scalar(node)

    def scalar(self, node: Any) -> object:
        value = node.value
        if node.tag == _BOOL and value.lower() not in ("true", "false"):
            return value  # YAML 1.1's yes/no/on/off are text in YAML 1.2
        if node.tag == _INT:  # YAML 1.2: 010 is ten (not octal eight), 1:30 and 1_000 are text
            if _INT_12.fullmatch(value):
                return int(value, 0) if value.lower().startswith(("0x", "0o")) else int(value)
            return value
        if node.tag == _FLOAT and not _FLOAT_12.fullmatch(value):
            return value
        if node.tag in _TEXT_TAGS:
            return value
        return self.constructor.construct_object(node, deep=True)

    def mapping(self, node: Any, path: KeyPath, depth: int) -> dict[Any, object]:
        out: dict[Any, object] = {}
        merged: dict[Any, object] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:  # `<<: *defaults`: explicit keys of this mapping win
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    if isinstance(source, yaml.MappingNode):
                        merged.update({k: v for k, v in self.mapping(source, path, depth + 1).items()
                                       if k not in merged})
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem("a key must be plain text, not a list or mapping", key_node.start_mark.line + 1)
            key = self.scalar(key_node)
            line = key_node.start_mark.line + 1
            if isinstance(key, (list, dict)) or key in out:
                raise YamlProblem(f"duplicate key {key!r}", line, "each key may appear once in a mapping")
            self.places[path + (key,)] = (self.file, line)
            out[key] = self.value(value_node, path + (key,), depth + 1)
        return {**{k: v for k, v in merged.items() if k not in out}, **out}


def parse(text: str, file: Path) -> tuple[object, Places]:
    """(data, places) where places maps key paths to (file, line); raises YamlProblem."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlProblem(exc.problem or str(exc), mark.line + 1 if mark else None, exc.context or "") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc).splitlines()[0] if str(exc) else "not valid YAML", None) from None
    places: Places = {(): (file, 1)}
    if root is None:
        return None, places
    walk = _Walk(places, file, yaml.constructor.SafeConstructor())
    try:
        return walk.value(root, (), 0), places
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise YamlProblem(exc.problem or "value not understood", mark.line + 1 if mark else None) from None
    except (ValueError, OverflowError, TypeError) as exc:  # e.g. a malformed timestamp or base-60 number
        raise YamlProblem(f"value not understood: {exc}", None) from None
