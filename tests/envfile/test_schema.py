"""The JSON Schema: docs/environment.schema.json equals `azlake schema`, and accepts the shipped files."""

from __future__ import annotations

import json

import jsonschema
import pytest
from spec_helpers import ENVIRONMENTS, REPO

from azlake.envfile.diagnostics import Collector, Locations
from azlake.envfile.schema import schema_text
from azlake.envfile.source import load_merged

SCHEMA_FILE = REPO / "docs" / "environment.schema.json"


def test_docs_schema_is_up_to_date():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "docs/environment.schema.json is stale: run `azlake schema --out docs/environment.schema.json`")


def _merged(path):
    out = Collector(Locations(root_file=path))
    data = load_merged(path, out)
    assert not out.items
    return data


SHIPPED = sorted(p.name for p in ENVIRONMENTS.iterdir() if p.suffix in (".yaml", ".yml"))


def _validator():
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def _raw(path):
    """The file as an editor sees it: its own keys only, extends: not followed."""
    from ruamel.yaml import YAML
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_every_shipped_file_is_checked():
    assert "_company.yaml" in SHIPPED and "practice.yaml" in SHIPPED and len(SHIPPED) >= 5


@pytest.mark.parametrize("name", SHIPPED)
def test_schema_accepts_every_shipped_file_as_the_editor_sees_it(name):
    errors = list(_validator().iter_errors(_raw(ENVIRONMENTS / name)))
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize("name", [n for n in SHIPPED if not n.startswith("_")])
def test_schema_accepts_the_shipped_environments_merged(name):
    errors = list(_validator().iter_errors(_merged(ENVIRONMENTS / name)))
    assert not errors, [e.message for e in errors]


def test_a_stand_alone_file_without_extends_still_needs_every_required_key():
    data = {"name": "demo", "company": "bda", "department": "ventas", "location": "brazilsouth"}
    messages = _messages(_validator().iter_errors(data))
    assert any("'subscription' is a required property" in m for m in messages), messages
    assert not list(_validator().iter_errors({**data, "subscription": "x"}))


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
