"""Every x-ms-example of every operation the emulator serves, found in the specs folder, as replayable cases.

A case is one example file of one operation of a spec whose api-version the emulator serves. Which
operations are served is asked of the emulator's own router (an operation's path template, filled in,
must reach a route), so a newly served operation brings its examples into the replay by itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from conformance.swagger import SPECS, Spec

# provider folder below the specs root -> what the replay reports it as
PROVIDERS = {"storage": "storage", "msi": "msi", "authorization": "authorization", "hdinsight": "hdinsight",
             "eventhub": "eventhub"}


@dataclass
class Case:
    provider: str
    spec: Spec
    operation_id: str
    method: str
    template: str
    example_file: Path
    example: dict = field(repr=False)

    @property
    def id(self) -> str:
        return f"{self.provider}:{self.operation_id}:{self.example_file.stem}"

    @property
    def relative(self) -> str:
        """The example's path below the specs root (as the not-applicable table names it)."""
        return str(self.example_file.relative_to(SPECS))

    @property
    def params(self) -> dict:
        return self.example["parameters"]

    def api_version(self) -> str:
        return str(self.spec.doc.get("info", {}).get("version"))

    def path(self) -> str:
        """The request path, the template's parameters filled in from the example."""
        def fill(m: re.Match) -> str:
            value = str(self.params.get(m.group(1), m.group(0)))
            if value == m.group(1) in ("parentResourcePath", "scope"):  # a placeholder: no such segment
                return ""
            return value if "/" in value else quote(value, safe="")  # scopes are paths (x-ms-skip-url-encoding)
        path = re.sub(r"\{([^}]+)\}", fill, self.template.split("?")[0])
        return "/" + "/".join(p for p in path.split("/") if p)

    def query(self) -> dict[str, str]:
        out = {}
        for param in self.spec.operation(self.operation_id)[2].get("parameters", []):
            param = self._param(param)
            name = param.get("name")
            if param.get("in") == "query" and name != "api-version" and name in self.params:
                out[name] = str(self.params[name])
        return out

    def body(self):
        for param in self.spec.operation(self.operation_id)[2].get("parameters", []):
            param = self._param(param)
            if param.get("in") == "body":
                return self.params.get(param["name"])
        return None

    def _param(self, param: dict) -> dict:
        if "$ref" in param:
            resolved, _ = self.spec._resolve(param["$ref"], self.spec.path)
            return resolved
        return param


def _provider(spec_path: Path) -> str:
    top = spec_path.relative_to(SPECS).parts[0]
    if "locks" in spec_path.parts:
        return "locks"
    return PROVIDERS.get(top, top)


def spec_files() -> list[Path]:
    """Every spec (not example) JSON of the specs folder, except shared type files."""
    return sorted(p for p in SPECS.rglob("*.json")
                  if "examples" not in p.parts and p.name != "common-types.json" and p.parent.name != "common")


def find_example(spec: Spec, ref: str) -> Path | None:
    """The example file a `$ref` names: beside the spec, or (older folder layout) the newest copy with that
    name in the same provider folder and api-version."""
    file = (spec.path.parent / ref).resolve()
    if file.exists():
        return file
    version = spec.path.parent.name
    service_root = SPECS / spec.path.relative_to(SPECS).parts[0]
    same_version = [p for p in service_root.rglob(Path(ref).name) if version in p.parts]
    return sorted(same_version)[-1] if same_version else None


def discover(served) -> list[Case]:
    """Cases of every served operation; `served(method, path)` says whether the emulator routes it."""
    cases = []
    for path in spec_files():
        spec = Spec.load(path)
        ops = {**spec.doc.get("paths", {}), **spec.doc.get("x-ms-paths", {})}
        for template, item in ops.items():
            for method, op in item.items():
                if not isinstance(op, dict) or "operationId" not in op:
                    continue
                probe = re.sub(r"\{[^}]+\}", "x1", template.split("?")[0])
                if not served(method.upper(), probe):
                    continue
                for ref in (v["$ref"] for v in op.get("x-ms-examples", {}).values()):
                    file = find_example(spec, ref)
                    if file is None:
                        continue
                    cases.append(Case(_provider(path), spec, op["operationId"], method.upper(), template, file,
                                      json.loads(file.read_text())))
    return cases
