"""A small swagger 2.0 checker: validate a JSON body against a definition of the official Azure specs.

Reusable by every emulator service's conformance tests::

    from tests.conformance.swagger import Spec, SPECS
    spec = Spec.load(SPECS / "storage/.../openapi.json")
    problems = spec.validate(body, "StorageAccount")              # a definition name or a '#/...' $ref
    problems = spec.check_response("StorageAccounts_GetProperties", 200, body)  # by operationId + status
    example = spec.example("StorageAccounts_Create", "StorageAccountCreate")     # x-ms-examples, loaded

It checks what a client relies on: required keys, JSON primitive types, enums (`strict_enums`), array
items and map values. Unknown keys are allowed (ARM adds properties freely), and so is null for an
optional key (Azure serialises absent values as null).
Cross-file `$ref`s to `common-types` (not copied into azure-specs/) resolve to a built-in stand-in of
the ARM common types below; any other unresolvable `$ref` is treated as "any value".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any


def _find_specs() -> Path | None:
    """The official specs: $AZLAKE_AZURE_SPECS, or shared/azure-specs beside the checkout."""
    import os
    candidates = [os.environ.get("AZLAKE_AZURE_SPECS", ""),
                  Path(__file__).resolve().parents[3] / "shared" / "azure-specs", "/work/shared/azure-specs"]
    return next((Path(c) for c in candidates if c and Path(c).is_dir()), None)


_FOUND = _find_specs()
if _FOUND is None:
    import os

    import pytest
    if os.environ.get("CI", "").lower() == "true":  # CI must replay the examples, not pass by skipping them
        raise RuntimeError("the official Azure REST specs (azure-specs/) are missing: CI=true needs them beside "
                           "the checkout (../shared/azure-specs) or in AZLAKE_AZURE_SPECS")
    pytest.skip("the official Azure REST specs (azure-specs/) are not beside this checkout; set "
                "AZLAKE_AZURE_SPECS to run the conformance tests", allow_module_level=True)
SPECS: Path = _FOUND

_STRING = {"type": "string"}
# ARM common-types (resource-management/v1..v6 types.json), reduced to the parts responses rely on.
COMMON_TYPES: dict[str, dict] = {
    "Resource": {"type": "object", "properties": {"id": _STRING, "name": _STRING, "type": _STRING,
                                                  "systemData": {"type": "object"}}},
    "ProxyResource": {"allOf": [{"$ref": "common#Resource"}]},
    "AzureEntityResource": {"allOf": [{"$ref": "common#Resource"}], "properties": {"etag": _STRING}},
    "TrackedResource": {"allOf": [{"$ref": "common#Resource"}], "required": ["location"],
                        "properties": {"location": _STRING,
                                       "tags": {"type": "object", "additionalProperties": _STRING}}},
    "ErrorResponse": {"type": "object", "properties": {"error": {"$ref": "common#ErrorDetail"}}},
    "ErrorDetail": {"type": "object", "properties": {"code": _STRING, "message": _STRING, "target": _STRING,
                                                     "details": {"type": "array",
                                                                 "items": {"$ref": "common#ErrorDetail"}}}},
    "systemData": {"type": "object"},
}

_PY_TYPES = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
             "object": (dict,), "array": (list,)}


@dataclass
class Spec:
    path: Path
    doc: dict
    _files: dict[Path, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path) -> Spec:
        return _load(str(Path(path).resolve()))

    # --- lookups ---------------------------------------------------------------------------------
    def operation(self, operation_id: str) -> tuple[str, str, dict]:
        """(HTTP method, path template, operation object) for an operationId."""
        paths = {**self.doc.get("paths", {}), **self.doc.get("x-ms-paths", {})}
        for template, item in paths.items():
            for method, op in item.items():
                if isinstance(op, dict) and op.get("operationId") == operation_id:
                    return method.upper(), template, op
        raise KeyError(f"operationId {operation_id!r} not in {self.path.name}")

    def example(self, operation_id: str, name: str | None = None) -> dict:
        """An x-ms-examples file of an operation, loaded (the first one when `name` is None)."""
        examples = self.operation(operation_id)[2].get("x-ms-examples", {})
        refs = [v["$ref"] for k, v in examples.items() if name in (None, k)]
        for ref in refs:
            file = (self.path.parent / ref).resolve()
            if not file.exists():  # azure-specs/ keeps some examples in the older folder layout
                service_root = SPECS / self.path.relative_to(SPECS).parts[0]
                file = next(iter(sorted(service_root.rglob(Path(ref).name), reverse=True)), file)
            if file.exists():
                return json.loads(file.read_text())
        raise FileNotFoundError(f"no stored example {name or '(any)'} for {operation_id}")

    def response_schema(self, operation_id: str, status: int) -> dict | None:
        """The declared schema of a status (None: declared without a body). KeyError if undeclared."""
        responses = self.operation(operation_id)[2]["responses"]
        declared = responses.get(str(status))
        if declared is None and status >= 400:
            declared = responses.get("default")  # errors: the operation's 'default' (error body) answer
        if declared is None:
            raise KeyError(f"{operation_id} does not declare status {status} (declares {sorted(responses)})")
        return declared.get("schema")

    # --- validation ------------------------------------------------------------------------------
    def validate(self, body: Any, ref: str | dict, *, strict_enums: bool = True) -> list[str]:
        """Problems of `body` against a definition name, a '#/definitions/X' ref or a schema dict.

        `strict_enums` also holds `modelAsString` enums to their listed values: right for what an
        emulator answers (it should only use documented values), too strict for Azure's own examples.
        """
        schema = ref if isinstance(ref, dict) else {"$ref": ref if ref.startswith("#") else f"#/definitions/{ref}"}
        problems = _Problems(strict_enums)
        self._check(body, schema, self.path, "$", problems, depth=0)
        return list(problems)

    def check_response(self, operation_id: str, status: int, body: Any, *, strict_enums: bool = True) -> list[str]:
        """The status must be declared by the operation; a body must match its schema."""
        try:
            schema = self.response_schema(operation_id, status)
        except KeyError as exc:
            return [str(exc)]
        if schema is None:
            return []
        return self.validate(body, schema, strict_enums=strict_enums)

    # --- internals -------------------------------------------------------------------------------
    def _resolve(self, ref: str, base: Path) -> tuple[dict, Path]:
        if ref.startswith("common#"):
            return COMMON_TYPES[ref.split("#", 1)[1]], base
        file_part, _, pointer = ref.partition("#")
        if file_part:
            target = (base.parent / file_part).resolve()
            if "common-types" in file_part:
                name = pointer.rsplit("/", 1)[-1]
                return COMMON_TYPES.get(name, {}), base
            if not target.exists():
                return {}, base  # not copied: accept anything
            doc, base = self._file(target), target
        else:
            doc = self._file(base)
        node: Any = doc
        for part in pointer.strip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node, base

    def _file(self, path: Path) -> dict:
        if path == self.path:
            return self.doc
        if path not in self._files:
            self._files[path] = json.loads(path.read_text())
        return self._files[path]

    def _flatten(self, schema: dict, base: Path, depth: int) -> tuple[dict, Path]:
        """Resolve $ref and merge allOf into one schema (required lists and properties combined)."""
        if "__base__" in schema:
            base = Path(schema["__base__"])
        while "$ref" in schema:
            schema, base = self._resolve(schema["$ref"], base)
        if "allOf" not in schema:
            return schema, base
        merged: dict = {k: v for k, v in schema.items() if k != "allOf"}
        props = dict(merged.get("properties", {}))
        required = list(merged.get("required", []))
        for part in schema["allOf"]:
            sub, sub_base = self._flatten(part, base, depth + 1)
            for key, value in sub.get("properties", {}).items():
                props.setdefault(key, _rebase(value, sub_base, base))
            required += sub.get("required", [])
            merged.setdefault("type", sub.get("type"))
        merged["properties"], merged["required"] = props, required
        return merged, base

    def _check(self, value: Any, schema: dict, base: Path, where: str, out: _Problems, depth: int) -> None:
        if depth > 40:
            return
        schema, base = self._flatten(schema, base, depth)
        stype = schema.get("type") or ("object" if "properties" in schema else None)
        if value is None:
            if not schema.get("x-nullable"):
                out.append(f"{where}: null where {stype or 'a value'} is expected")
            return
        if stype and not _is_type(value, stype):
            out.append(f"{where}: expected {stype}, got {type(value).__name__} {value!r:.60}")
            return
        self._check_enum(value, schema, where, out)
        if stype == "array" and "items" in schema:
            for i, item in enumerate(value):
                self._check(item, schema["items"], base, f"{where}[{i}]", out, depth + 1)
        if isinstance(value, dict):
            for key in schema.get("required", []):
                if key not in value:
                    out.append(f"{where}: required property {key!r} is missing")
            props = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            for key, item in value.items():
                if item is None and key not in schema.get("required", []):
                    continue  # Azure serialises absent optional values as null; the SDKs accept it
                if key in props:
                    self._check(item, props[key], base, f"{where}.{key}", out, depth + 1)
                elif isinstance(extra, dict):
                    self._check(item, extra, base, f"{where}.{key}", out, depth + 1)

    @staticmethod
    def _check_enum(value: Any, schema: dict, where: str, out: _Problems) -> None:
        enum = schema.get("enum")
        as_string = schema.get("x-ms-enum", {}).get("modelAsString", False)
        if not enum or (as_string and not out.strict_enums):
            return
        if isinstance(value, str) and value.lower() not in {str(e).lower() for e in enum}:
            out.append(f"{where}: {value!r} is not one of {enum}")


class _Problems(list):
    """The problems found so far, and how strictly this validation treats enums."""

    def __init__(self, strict_enums: bool) -> None:
        super().__init__()
        self.strict_enums = strict_enums


def _rebase(schema: dict, sub_base: Path, base: Path) -> dict:
    """Properties merged from another file keep resolving their refs against that file."""
    if sub_base == base or not isinstance(schema, dict):
        return schema
    return {**schema, "__base__": str(sub_base)} if "$ref" not in schema else \
        {"allOf": [schema], "__base__": str(sub_base)}


def _is_type(value: Any, stype: str) -> bool:
    if stype in ("integer", "number") and isinstance(value, bool):
        return False
    if stype == "file":
        return True
    return isinstance(value, _PY_TYPES.get(stype, (object,)))


@cache
def _load(path: str) -> Spec:
    return Spec(Path(path), json.loads(Path(path).read_text()))

