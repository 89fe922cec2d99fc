"""The JSON Schema: docs/environment.schema.json equals `azlake schema`, and accepts the shipped files."""

from __future__ import annotations

import json

import jsonschema
import pytest

from azlake.spec.diagnostics import Collector, Locations
from azlake.spec.schema import schema_text
from azlake.spec.source import load_merged
from spec_helpers import ENVIRONMENTS, REPO

SCHEMA_FILE = REPO / "docs" / "environment.schema.json"


def test_docs_schema_is_up_to_date():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "docs/environment.schema.json is stale: run `azlake schema --out docs/environment.schema.json`")


def _merged(path):
    out = Collector(Locations(root_file=path))
    data = load_merged(path, out)
    assert not out.items
    return data


@pytest.mark.parametrize("name", ["practice.yaml", "datalake.yaml", "ventas.yaml", "marketing.yaml"])
def test_schema_accepts_the_shipped_environments(name):
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    errors = list(validator.iter_errors(_merged(ENVIRONMENTS / name)))
    assert not errors, [e.message for e in errors]


def _messages(errors) -> list[str]:
    """Messages of the errors and of the branches inside anyOf (optional sections are anyOf [section, null])."""
    out = []
    for error in errors:
        out.append(error.message)
        out.extend(_messages(error.context or []))
    return out


@pytest.mark.parametrize("section, change, words", [
    ("data_lake", {"redundancy": "XRS"}, "'XRS' is not one of"),
    ("data_lake", {"acount": "x"}, "'acount' was unexpected"),
    ("cluster", {"login": {"username": "admin", "password": "literal"}}, "does not match"),
])
def test_schema_rejects_unknown_keys_literal_passwords_and_bad_enums(section, change, words):
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    data = _merged(ENVIRONMENTS / "practice.yaml")
    data[section] = {**data[section], **change}
    messages = _messages(validator.iter_errors(data))
    assert any(words in m for m in messages), messages
