"""Replay one official example against the emulator and list where its answer is not Azure's.

For an example: create what it presupposes (`seeds`), send its request as it stands (path, query, body,
api-version), follow a long-running operation to its end, then compare with the example's answer:
the status must be one the example shows; the body must match the operation's schema, carry every key
the example's body has (`NOT_MODELLED` lists the few the emulator does not produce, with the reason) and,
for every value the request sent, answer what Azure answered (location spelling, enum case, ...).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from conformance.examples import Case
from conformance.replay import send, shape_differences
from conformance.seeds import LONG, chain, ensure, region

# Keys of the examples' answers the emulator does not produce, per provider, and why (docs/emulator.md).
NOT_MODELLED: dict[str, dict[str, str]] = {
    "*": {"$.nextLink": "the emulator answers every list in one page (no nextLink when nothing follows)"},
    "storage": {
        "$.properties.geoReplicationStats": "no geo-replication is simulated",
        "$.properties.accountMigrationInProgress": "no account migrations",
        "$.properties.isSkuConversionBlocked": "no SKU conversions",
        "$.properties.storageAccountSkuConversionStatus": "no SKU conversions",
        "$.properties.geoPriorityReplicationStatus": "no geo-replication is simulated",
        "$.properties.blobRestoreStatus": "no point-in-time restore",
    },
    "hdinsight": {
        "$.properties.clusterDefinition.componentVersion.Hadoop": "clusters are Spark 5.1 (Hadoop kinds retired)",
        "$.versions.iaas.available[0].componentVersions.HDP": "HDP-based versions (3.x) are retired; 5.1 has no HDP",
        "$.versions.iaas.available[0].componentVersions.Storm": "Storm ended with 3.6; 5.1 has none",
    },
}


@dataclass
class Outcome:
    status: int = 0
    code: str | None = None
    problems: list[str] = field(default_factory=list)


def _json(resp) -> Any:
    text = resp.text()
    try:
        return json.loads(text) if text else None
    except ValueError:
        return text


def _hint(case: Case) -> dict:
    """The resource as the example's answer shows it (a list's first item)."""
    for status in ("200", "201"):
        body = (case.example["responses"].get(status) or {}).get("body")
        if isinstance(body, dict):
            if isinstance(body.get("value"), list):
                return body["value"][0] if body["value"] else {}
            return body
    return {}


def _location(case: Case) -> str:
    body = case.body() if isinstance(case.body(), dict) else {}
    found = (body or {}).get("location") or _hint(case).get("location") or "eastus"
    return region(found)


def prepare(clients, emulator, case: Case) -> None:
    path = case.path()
    links = chain(path)
    on_target = bool(links) and links[-1][0].lower() == path.lower()
    creates = case.method == "PUT" and on_target
    ensure(clients, emulator, path, include_last=not creates, hint=_hint(case) if on_target else {},
           location=_location(case))
    listed = ((case.example["responses"].get("200") or {}).get("body") or {})
    if case.method == "GET" and not on_target and isinstance(listed, dict) and isinstance(listed.get("value"), list):
        for item in listed["value"][:2]:  # a list shows what the example's caller had made
            name = item.get("name") if isinstance(item, dict) else None
            if name and "/" not in name and links is not None:
                ensure(clients, emulator, f"{path}/{name}", include_last=True, hint=item, location=_location(case))


def replay(clients, emulator, case: Case) -> Outcome:
    prepare(clients, emulator, case)
    path, body = case.path(), case.body()
    query = case.query()
    if query:
        path += "?" + urlencode(query)
    resp = send(clients, case.method, path, case.api_version(), body)
    out = Outcome(resp.status_code)
    answer = _json(resp)
    responses = case.example["responses"]
    if str(out.status) not in responses:
        out.problems.append(f"status {out.status}, the example answers {sorted(responses)}: {str(answer)[:300]}")
    if out.status >= 400:
        out.code = (answer or {}).get("error", {}).get("code") if isinstance(answer, dict) else None
        return out
    final, schema_status = answer, out.status
    if out.status in (201, 202) and case.method in ("PUT", "PATCH"):
        emulator.advance(LONG)
        final, schema_status = _json(send(clients, "GET", case.path(), case.api_version())), 200
    expected = (responses.get("200") or responses.get(str(out.status)) or {}).get("body")
    if final is None or expected is None:
        return out
    out.problems += case.spec.check_response(case.operation_id, schema_status, final)
    allowed = {**NOT_MODELLED["*"], **NOT_MODELLED.get(case.provider, {})}
    out.problems += [d for d in shape_differences(expected, final) if d.rsplit(": ", 1)[0] not in allowed]
    if isinstance(body, dict):
        out.problems += value_differences(body, expected, final)
    return out


def value_differences(sent: Any, azure: Any, emulator: Any, where: str = "$") -> list[str]:
    """Where the emulator answers a sent value otherwise than Azure's example answers it."""
    if isinstance(sent, dict) and isinstance(azure, dict) and isinstance(emulator, dict):
        out = []
        for key in sent:
            if key in azure and key in emulator:
                out += value_differences(sent[key], azure[key], emulator[key], f"{where}.{key}")
        return out
    if isinstance(sent, list) and isinstance(azure, list) and isinstance(emulator, list) \
            and len(sent) == len(azure) == len(emulator):
        return [d for i, triple in enumerate(zip(sent, azure, emulator))
                for d in value_differences(*triple, f"{where}[{i}]")]
    if azure != emulator and not isinstance(azure, (dict, list)):
        return [f"{where}: Azure answers {azure!r}, the emulator {emulator!r}"]
    return []
