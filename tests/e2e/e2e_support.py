"""Helpers for the end-to-end tests: plans as JSON, what changed, what an environment still owns."""

from __future__ import annotations

import json


def plan_json(cli, env_name: str) -> dict:
    result = cli("plan", env_name, "--format", "json")
    assert result.exit_code == 0, result.output + result.error
    return json.loads(result.output)


def changed(doc: dict) -> set[str]:
    return {a["address"] for a in doc["actions"] if a["action"] != "noop"}


def owned_anything(clients, environment: str) -> list[str]:
    """Every ARM document of the local cloud still tagged or marked as this environment's."""
    emulator = clients.emulator
    with emulator.store.tx() as tx:
        docs = tx.values("arm", "")
    return [d["id"] for d in docs if (d.get("tags") or {}).get("azlake-environment") == environment]
