"""Helpers to replay official examples against the emulator and compare what comes back.

    from conformance.replay import send, shape_differences
    resp = send(clients, "PUT", path, "2026-09-01", body)      # raw HTTP through the SDK pipeline
    shape_differences(example["responses"]["200"]["body"], resp.json())  # [] when every key matches

`send` works for in-process and served clients alike (it uses the client's own pipeline and base URL).
"""

from __future__ import annotations

from typing import Any

_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number",
          type(None): "null"}


def send(clients: Any, method: str, path: str, api_version: str, body: Any = None) -> Any:
    """One raw ARM request (`path` starts with '/'); returns the azure-core HttpResponse."""
    from azure.core.rest import HttpRequest

    sep = "&" if "?" in path else "?"
    url = f"{clients.arm_endpoint}{path}{sep}api-version={api_version}"
    request = HttpRequest(method, url, json=body) if body is not None else HttpRequest(method, url)
    return clients.resources._client.send_request(request)


def shape_differences(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Paths where `actual` lacks a key of `expected` or holds a value of another JSON type.

    Values themselves are not compared (ids, names and times differ by design); lists are compared
    item by item up to the shorter length.
    """
    if expected is None:
        return []
    if _TYPES.get(type(expected)) != _TYPES.get(type(actual)):
        return [f"{path}: example has {_TYPES.get(type(expected))}, emulator has {_TYPES.get(type(actual))}"]
    out: list[str] = []
    if isinstance(expected, dict):
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: missing")
            else:
                out += shape_differences(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        for i, (e, a) in enumerate(zip(expected, actual)):
            out += shape_differences(e, a, f"{path}[{i}]")
    return out


def contains(actual: Any, sent: Any) -> bool:
    """Whether `actual` holds every value of `sent` (dicts compared key by key; extra keys allowed)."""
    if isinstance(sent, dict):
        return isinstance(actual, dict) and all(k in actual and contains(actual[k], v) for k, v in sent.items())
    return actual == sent


def status_and_body(pipeline_response: Any, deserialized: Any, headers: Any) -> tuple[int, Any]:
    """A `cls=` callback for SDK operations: the raw status code and JSON body instead of the model."""
    import json

    resp = pipeline_response.http_response
    text = resp.text()
    return resp.status_code, (json.loads(text) if text else None)
