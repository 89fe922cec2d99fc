"""The JSON Schema of the environment file, for editors (yaml-language-server) and `azlake schema`."""

from __future__ import annotations

import json
from typing import Any

from azlake.envfile.models import Environment

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def environment_schema() -> dict[str, Any]:
    schema = Environment.model_json_schema(mode="validation")
    schema = {"$schema": SCHEMA_URI, **schema}
    # A file gets keys from its partials (extends:), and a partial (_*.yaml, no name) is only a piece of a
    # file: neither can be required to hold every required key itself, or editors underline shipped files.
    # azlake validate checks the merged file; here only a complete stand-alone file must hold them all.
    required = schema.pop("required")
    schema["anyOf"] = [{"required": required}, {"required": ["extends"]}, {"not": {"required": ["name"]}}]
    schema["description"] = ("One azlake environment: resource group, identity, ADLS Gen2 data lake, HDInsight "
                             "Spark cluster, Event Hubs and batch jobs. See docs/environment-file.md.")
    return schema


def schema_text() -> str:
    """The schema as written to docs/environment.schema.json (stable key order, trailing newline)."""
    return json.dumps(environment_schema(), indent=2, ensure_ascii=False) + "\n"
