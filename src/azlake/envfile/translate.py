"""Turns pydantic validation errors into Diagnostics people can act on (allowed values, did you mean)."""

from __future__ import annotations

import types
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from azlake.envfile.diagnostics import Collector, KeyPath, did_you_mean
from azlake.envfile.models import MEMORY_PATTERN, SECRET_PATHS, ZONE_PATH_PATTERN, Environment


def _unwrap(tp: Any) -> Any:
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            tp = models[0] if models else args[0]
        else:
            return tp


def type_at(path: KeyPath) -> Any:
    """The declared type at a key path of Environment (None when the path leaves the model)."""
    tp: Any = Environment
    for part in path:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return None
            tp = field.annotation
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        elif get_origin(tp) is list:
            tp = get_args(tp)[0]
        else:
            return None
    return _unwrap(tp)


def allowed_keys(path: KeyPath) -> list[str]:
    tp = type_at(path)
    return list(tp.model_fields) if isinstance(tp, type) and issubclass(tp, BaseModel) else []


def literal_values(path: KeyPath) -> list[Any]:
    tp = type_at(path)
    return list(get_args(tp)) if get_origin(tp) is Literal else []


def _is_secret(path: KeyPath) -> bool:
    return any(path[:len(p)] == p for p in SECRET_PATHS)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_TYPE_WORDS = {"string_type": "a string", "int_type": "a whole number", "int_parsing": "a whole number",
               "int_from_float": "a whole number", "bool_type": "true or false", "bool_parsing": "true or false",
               "dict_type": "a mapping (key: value)", "model_type": "a mapping (key: value)",
               "list_type": "a list", "float_type": "a number", "float_parsing": "a number",
               "model_attributes_type": "a mapping (key: value)"}


_PATTERNS = {  # the model's regexes, in words
    ZONE_PATH_PATTERN: "<zone>/<path>, e.g. universal/transaccion",
    MEMORY_PATTERN: "a Spark memory size like 2g or 512m",
}
_BOUNDS = {"greater_than_equal": "at least", "greater_than": "more than", "less_than_equal": "at most",
           "less_than": "less than"}


def report(exc: ValidationError, out: Collector, skip: AbstractSet[KeyPath] = frozenset()) -> None:
    """Add one diagnostic per pydantic error, located at the offending key (except at paths in `skip`)."""
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        if loc and loc[-1] == "[key]":  # a dict key failed its own rule: point at the key
            loc = loc[:-1]
        if loc not in skip:
            _one(err, loc, out)


def _one(err: Mapping[str, Any], loc: KeyPath, out: Collector) -> None:
    kind = err["type"]
    value = err.get("input")
    secret = _is_secret(loc)
    if kind == "extra_forbidden":
        allowed = allowed_keys(loc[:-1])
        out.error(loc, f"unknown key {loc[-1]!r}{did_you_mean(str(loc[-1]), allowed)}",
                  f"allowed here: {', '.join(allowed)}" if allowed else "")
    elif kind == "missing":
        out.error(loc, f"required key {loc[-1]!r} is missing", _hint_for_missing(loc))
    elif kind == "literal_error":
        choices = literal_values(loc)
        shown = ", ".join(repr(c) for c in choices)
        out.error(loc, f"{_show(value)} is not allowed{did_you_mean(str(value), [str(c) for c in choices])}",
                  f"allowed: {shown}")
    elif kind in ("value_error", "assertion_error"):
        msg = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        out.error(loc, msg)
    elif kind in _TYPE_WORDS:
        got = "a secret value" if secret else f"{_show(value)} ({type(value).__name__})"
        hint = ""
        if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
            hint = f'quote it so YAML reads text: "{value}"'
        out.error(loc, f"must be {_TYPE_WORDS[kind]}, got {got}", hint)
    elif kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") in _PATTERNS:
        out.error(loc, f"{_show(value)} is not valid; write {_PATTERNS[err['ctx']['pattern']]}")
    elif kind in _BOUNDS:
        shown = "" if secret else f", got {_show(value)}"
        out.error(loc, f"must be {_BOUNDS[kind]} {next(iter(err.get('ctx', {}).values()), '?')}{shown}")
    else:
        shown = "" if secret else f" (got {_show(value)})"
        msg = err["msg"]
        out.error(loc, f"{msg[:1].lower()}{msg[1:]}{shown}")


def _hint_for_missing(loc: KeyPath) -> str:
    hints = {
        ("name",): "every environment has a name: lowercase letters, digits and '-', 2-24 characters",
        ("company",): "set company (e.g. in the shared partial: extends: _company.yaml)",
        ("department",): "set the department that owns this environment, e.g. department: ventas",
        ("subscription",): "e.g. subscription: ${AZURE_SUBSCRIPTION_ID}",
        ("location",): "an Azure region, e.g. location: brazilsouth",
        ("cluster", "login", "password"): "password: ${CLUSTER_PASSWORD}, and set that variable",
    }
    return hints.get(loc, "")
