"""Transport-neutral request and response objects the emulator's services work with."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit


class Headers(dict):
    """A case-insensitive header dict (keys kept as given, looked up lower-cased)."""

    def __init__(self, items: Mapping[str, str] | None = None) -> None:
        super().__init__()
        for k, v in (items or {}).items():
            self[k] = v

    def __setitem__(self, key: str, value: str) -> None:
        super().__setitem__(key.lower(), value)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


@dataclass
class Endpoints:
    """Where this emulator's services are reachable, as the caller addresses them.

    In-process, the real Azure host names are used (the adapter intercepts them); when served
    over HTTPS on loopback, everything is path-style under one base URL.
    """

    served_base: str | None = None  # e.g. https://127.0.0.1:8443 ; None = in-process

    @property
    def arm(self) -> str:
        return self.served_base or "https://management.azure.com"

    def dfs(self, account: str) -> str:
        if self.served_base:
            return f"{self.served_base}/{account}/"
        return f"https://{account}.dfs.core.windows.net/"

    def blob(self, account: str) -> str:
        if self.served_base:
            return f"{self.served_base}/{account}/"
        return f"https://{account}.blob.core.windows.net/"

    def gateway(self, cluster: str) -> str:
        if self.served_base:
            return f"{self.served_base}/_gateway/{cluster}"
        return f"https://{cluster}.azurehdinsight.net"

    def vault(self, name: str) -> str:
        if self.served_base:
            return f"{self.served_base}/_vault/{name}"
        return f"https://{name}.vault.azure.net"

    def ssh_host(self, cluster: str) -> str:
        return f"{cluster}-ssh.azurehdinsight.net"

    def servicebus(self, namespace: str) -> str:
        return f"https://{namespace}.servicebus.windows.net:443/"


@dataclass
class Request:
    method: str
    url: str
    headers: Headers
    body: bytes = b""
    endpoints: Endpoints = field(default_factory=Endpoints)
    principal_id: str | None = None  # the caller's object id, from its bearer token
    # filled by the router:
    service: str = ""        # arm | storage | gateway
    account: str = ""        # storage account (storage service) or cluster (gateway)
    path: str = ""           # path inside the service, starting with '/'

    @property
    def query(self) -> dict[str, str]:
        return {k: v for k, v in parse_qsl(urlsplit(self.url).query, keep_blank_values=True)}

    def q(self, name: str, default: str | None = None) -> str | None:
        """A query parameter, looked up case-insensitively."""
        lname = name.lower()
        for k, v in self.query.items():
            if k.lower() == lname:
                return v
        return default

    def json(self) -> Any:
        if not self.body:
            return {}
        return json.loads(self.body)


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: Headers = field(default_factory=Headers)

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
        h = Headers(headers or {})
        h["Content-Type"] = "application/json; charset=utf-8"
        return cls(status, json.dumps(data).encode(), h)

    @classmethod
    def empty(cls, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
        return cls(status, b"", Headers(headers or {}))


def url_path(*segments: str) -> str:
    return "/" + "/".join(quote(s, safe="") for s in segments)
