"""Azure name rules per resource type and the names derived from company, department and environment name."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A value still holding an unresolved `${VAR}` (only with require_values=False) is checked later, when set.
_UNRESOLVED = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")


@dataclass(frozen=True)
class NameRule:
    """One resource type's naming rule: a regex plus the sentence shown to the user."""

    kind: str
    pattern: str
    allowed: str
    min_len: int
    max_len: int
    reserved: tuple[str, ...] = ()
    forbidden_suffixes: tuple[str, ...] = ()

    def problem(self, value: str) -> str | None:
        """Why `value` breaks this rule, or None when it is fine."""
        if _UNRESOLVED.search(value):
            return None
        if not self.min_len <= len(value) <= self.max_len:
            return (f"{self.kind} name {value!r} has {len(value)} characters; "
                    f"allowed: {self.min_len}-{self.max_len}, {self.allowed}")
        if not re.fullmatch(self.pattern, value):
            return f"{self.kind} name {value!r} is not valid; allowed: {self.allowed}"
        if value.lower() in self.reserved:
            return f"{self.kind} name {value!r} is reserved by Azure; choose another"
        for suffix in self.forbidden_suffixes:
            if value.lower().endswith(suffix):
                return f"{self.kind} name {value!r} must not end with {suffix!r} (reserved by Azure)"
        return None


RULES: dict[str, NameRule] = {r.kind: r for r in (
    NameRule("environment", r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", "lowercase letters, digits and '-', "
             "starting and ending with a letter or digit", 2, 24),
    NameRule("company", r"[a-z][a-z0-9]*", "lowercase letters and digits, starting with a letter", 2, 12),
    NameRule("department", r"[a-z][a-z0-9]*", "lowercase letters and digits, starting with a letter", 2, 16),
    NameRule("resource group", r"[A-Za-z0-9_().-]*[A-Za-z0-9_()-]",
             "letters, digits, '_', '(', ')', '-', '.', not ending with '.'", 1, 90),
    NameRule("storage account", r"[a-z0-9]+", "lowercase letters and digits only (globally unique)", 3, 24),
    NameRule("filesystem", r"[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*",
             "lowercase letters, digits and single '-' (not first, not last, no '--')", 3, 63),
    NameRule("managed identity", r"[A-Za-z0-9][A-Za-z0-9_-]*",
             "letters, digits, '-' and '_', starting with a letter or digit", 3, 128),
    NameRule("HDInsight cluster", r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?",
             "letters, digits and '-', starting and ending with a letter or digit (globally unique: "
             "<name>.azurehdinsight.net)", 3, 59, reserved=("apps",)),
    NameRule("Event Hubs namespace", r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]",
             "letters, digits and '-', starting with a letter, ending with a letter or digit "
             "(globally unique)", 6, 50, forbidden_suffixes=("-sb", "-mgmt")),
    NameRule("event hub", r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?",
             "letters, digits, '.', '_' and '-', starting and ending with a letter or digit", 1, 256),
    NameRule("consumer group", r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?",
             "letters, digits, '.', '_' and '-', starting and ending with a letter or digit", 1, 50),
    NameRule("key vault", r"[A-Za-z](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*",
             "letters, digits and single '-', starting with a letter, ending with a letter or digit (globally "
             "unique: <name>.vault.azure.net)", 3, 24),
    NameRule("job", r"[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?", "lowercase letters, digits, '_' and '-'", 1, 40),
)}


def check(kind: str, value: str) -> str:
    """Pydantic after-validator body: raise ValueError with the rule's message."""
    problem = RULES[kind].problem(value)
    if problem:
        raise ValueError(problem)
    return value


def adls_path_problem(path: str) -> str | None:
    """Why a directory path inside a filesystem is not valid, or None (the lake-path rule, lakepaths.py)."""
    if _UNRESOLVED.search(path):
        return None
    from azlake.envfile.lakepaths import path_problem
    return path_problem(path)


def check_zone_path(value: str) -> str:
    """A job's `<zone>/<path>`: the same rule as every lake path (spec/lakepaths.py)."""
    from azlake.envfile.lakepaths import zone_path_problem
    problem = None if _UNRESOLVED.search(value) else zone_path_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def check_path(value: str) -> str:
    problem = adls_path_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# Cloud Adoption Framework abbreviations for the names azlake derives when a file omits them.
def _parts(company: str, department: str, name: str) -> list[str]:
    seen: list[str] = []
    for part in (company, department, name):
        if part and part not in seen:
            seen.append(part)
    return seen


def _dashed(prefix: str, parts: list[str], max_len: int) -> str:
    return ("-".join([prefix, *parts]))[:max_len].rstrip("-")


def derived_names(company: str, department: str, name: str) -> dict[str, str]:
    """Names for every resource the file leaves unnamed, e.g. rg-bda-ventas, stbdaventas, hdi-bda-ventas."""
    parts = _parts(company, department, name)
    alnum = "".join(re.sub(r"[^a-z0-9]", "", p.lower()) for p in parts)
    return {
        "resource_group": _dashed("rg", parts, 90),
        "storage_account": ("st" + alnum)[:24],
        "identity": _dashed("id", parts, 128),
        "cluster": _dashed("hdi", parts, 59),
        "namespace": _dashed("evhns", parts, 50),
        "key_vault": _dashed("kv", parts, 24),
    }
