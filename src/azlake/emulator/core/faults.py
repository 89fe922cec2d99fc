"""Faults on demand, per route: N x 429 with Retry-After, 5xx, dropped connections, LROs that end Failed.

Rules live in the store (so a test and a served emulator in another process share them) and are
consumed atomically. `AZLAKE_EMULATOR_FAULTS` (a JSON list of rules) adds rules for black-box runs.

A rule: {"kind": "status"|"drop"|"lro_fail", "method": "PUT", "path": "regex", "service": "arm",
         "count": 3, "status": 429, "code": "TooManyRequests", "message": "...", "retry_after": 1}
For `lro_fail`, `status` (default 500) is what a Location poll answers once the operation has failed.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import Any

from azlake.emulator.core.store import Tx
from azlake.errors import AzlakeError

COLLECTION = "faults"

# what a rule may say; anything else is a typo that would otherwise inject a fault on every route
_KEYS = ("kind", "method", "path", "service", "count", "status", "code", "message", "retry_after", "id")

_DEFAULT_CODES = {429: "TooManyRequests", 500: "InternalServerError", 503: "ServiceUnavailable",
                  502: "BadGateway", 504: "GatewayTimeout"}


def add(tx: Tx, rule: dict[str, Any]) -> str:
    unknown = sorted(set(rule) - set(_KEYS))
    if unknown:
        raise ValueError(f"unknown fault rule key(s) {', '.join(unknown)}; a rule takes {', '.join(_KEYS)}")
    kind = rule.get("kind", "status")
    if kind not in ("status", "drop", "lro_fail"):
        raise ValueError(f"unknown fault kind {kind!r}; expected status, drop or lro_fail")
    re.compile(rule.get("path", ".*"))
    rule = {"count": 1, "method": "*", "path": ".*", "service": "*", **rule, "kind": kind}
    if kind == "status":
        rule.setdefault("status", 429)
        rule.setdefault("code", _DEFAULT_CODES.get(rule["status"], "InternalServerError"))
        rule.setdefault("message", "Injected by the azlake emulator.")
    if kind == "lro_fail":
        rule.setdefault("code", "InternalServerError")
        rule.setdefault("message", "An internal error occurred. (injected by the azlake emulator)")
    rule_id = rule.get("id") or str(uuid.uuid4())
    rule["id"] = rule_id
    tx.put(COLLECTION, rule_id, rule)
    return rule_id


def load_from_env(tx: Tx, raw: str) -> None:
    """Add the rules of AZLAKE_EMULATOR_FAULTS once per distinct value."""
    marker = "env-" + hashlib.sha256(raw.encode()).hexdigest()[:16]
    if tx.get("settings", marker):
        return
    try:
        rules = json.loads(raw)
        rules = rules if isinstance(rules, list) else [rules]
        if not all(isinstance(rule, dict) for rule in rules):
            raise ValueError("each rule is a JSON object")
        for i, rule in enumerate(rules):
            add(tx, {**rule, "id": f"{marker}-{i}"})
    except (ValueError, re.error) as exc:  # json's JSONDecodeError is a ValueError
        raise AzlakeError(f"AZLAKE_EMULATOR_FAULTS is not a list of fault rules: {exc}",
                          hint='write a JSON list such as [{"kind": "status", "status": 429, "method": "PUT", '
                               '"count": 2}], or unset it (see docs/emulator.md)') from None
    tx.put("settings", marker, True)


def take(tx: Tx, kinds: tuple[str, ...], service: str, method: str, path: str) -> dict[str, Any] | None:
    """Consume one matching rule (decrementing its count) and return it, or None."""
    for rule_id, rule in tx.items(COLLECTION):
        if rule["kind"] not in kinds or rule["count"] <= 0:
            continue
        if rule["service"] not in ("*", service) or rule["method"] not in ("*", method.upper()):
            continue
        if not re.search(rule["path"], path, re.IGNORECASE):
            continue
        rule["count"] -= 1
        if rule["count"] <= 0:
            tx.delete(COLLECTION, rule_id)
        else:
            tx.put(COLLECTION, rule_id, rule)
        return rule
    return None


def clear(tx: Tx) -> None:
    tx.delete_prefix(COLLECTION, "")
