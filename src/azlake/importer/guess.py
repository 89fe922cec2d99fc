"""Company, department and environment name guessed from tags and names (a person checks them)."""

from __future__ import annotations

import re
from typing import Any

from azlake.envfile.naming import RULES

_COMPANY_TAGS = ("company", "empresa", "organization", "organisation", "org", "compania")
_DEPARTMENT_TAGS = ("department", "departamento", "dept", "area", "team", "equipo")
_NAME_TAGS = ("azlake-environment", "environment", "env", "entorno")
# Words names are built from that say what a resource is, not whose: stripped from the front of the
# group's name to find the part that names the team (grbigdatauserbda000 -> bda000).
_GENERIC = ("resourcegroup", "grupo", "group", "rg", "gr", "storage", "st", "bigdata", "big", "data", "lake",
            "datalake", "users", "user", "usuario", "cluster", "hdinsight", "hdi", "spark", "identity", "id")
_CAF = re.compile(r"^rg-([a-z][a-z0-9]*)-([a-z][a-z0-9]*)(?:-([a-z0-9][a-z0-9-]*))?$")


def _valid(kind: str, value: str | None) -> str | None:
    return value if value and RULES[kind].problem(value) is None else None


def _from_tags(tags: list[dict[str, str]], keys: tuple[str, ...], kind: str) -> str | None:
    for t in tags:
        folded = {k.lower(): v for k, v in t.items()}
        for k in keys:
            value = re.sub(r"[^a-z0-9-]" if kind == "environment" else r"[^a-z0-9]", "", str(folded.get(k, "")).lower())
            if _valid(kind, value):
                return value
    return None


def _stripped(name: str) -> str:
    rest = name.lower()
    changed = True
    while changed:
        changed = False
        for word in _GENERIC:
            if rest.startswith(word) and len(rest) > len(word) + 1:
                rest, changed = rest[len(word):].lstrip("-_"), True
                break
    return rest


def guess(group: str, tags: list[dict[str, str]]) -> dict[str, Any]:
    """{company, department, name, how}: `how` says, per key, where the guess came from."""
    how: dict[str, str] = {}
    caf = _CAF.match(group.lower())
    core = _stripped(group)
    name = _from_tags(tags, _NAME_TAGS, "environment")
    how["name"] = "from a tag" if name else ""
    if not name and caf:
        name, how["name"] = caf.group(3) or caf.group(2), f"from the group's name {group}"
    if not name:
        name = _valid("environment", re.sub(r"[^a-z0-9-]", "", core)[:24].strip("-")) or "imported"
        how["name"] = f"from the group's name {group}"
    company = _from_tags(tags, _COMPANY_TAGS, "company")
    how["company"] = "from a tag" if company else ""
    if not company and caf:
        company, how["company"] = caf.group(1), f"from the group's name {group}"
    if not company:
        letters = re.match(r"[a-z]+", core)
        company = _valid("company", letters.group(0)[:12] if letters else None) or "company"
        how["company"] = f"from the group's name {group}" if company != "company" else "nothing to go by"
    department = _from_tags(tags, _DEPARTMENT_TAGS, "department")
    how["department"] = "from a tag" if department else ""
    if not department and caf:
        department, how["department"] = caf.group(2), f"from the group's name {group}"
    if not department:
        department = _valid("department", re.sub(r"[^a-z0-9]", "", name)[:16]) or company
        how["department"] = "nothing to go by: the environment's name"
    return {"company": company, "department": department, "name": name, "how": how}
