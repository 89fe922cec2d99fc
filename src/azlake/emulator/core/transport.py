"""In-process transport: a requests adapter that hands each HTTP request to the emulator.

The Azure SDK clients keep their whole pipeline (auth, retries, LRO polling, deserialisation); only
the socket is replaced. Use `make_transport(emulator)` as the `transport=` argument of any client.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, cast

import requests
from requests.adapters import BaseAdapter
from urllib3 import HTTPResponse

from azlake.emulator.core.app import DroppedConnection, Emulator
from azlake.emulator.core.http import Headers, Request


class EmulatorAdapter(BaseAdapter):
    def __init__(self, emulator: Emulator) -> None:
        super().__init__()
        self.emulator = emulator

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout=None, verify=True,
             cert=None, proxies=None) -> requests.Response:
        body: Any = request.body or b""
        if hasattr(body, "read"):
            body = body.read()
        elif not isinstance(body, (bytes, bytearray)):
            if isinstance(body, str):
                body = body.encode()
            else:  # an iterable of chunks
                body = b"".join(c if isinstance(c, bytes) else str(c).encode() for c in body)
        req = Request(request.method or "GET", request.url or "", Headers(dict(cast("Mapping[str, str]", request.headers))), bytes(body))
        try:
            resp = self.emulator.handle(req)
        except DroppedConnection as exc:
            raise requests.exceptions.ConnectionError(
                f"Connection aborted by the azlake emulator (injected fault): {exc}", request=request) from None
        raw = HTTPResponse(body=io.BytesIO(resp.body), headers=dict(resp.headers), status=resp.status,
                           preload_content=False, decode_content=False, request_method=req.method)
        out = requests.Response()
        out.status_code = resp.status
        out.headers = requests.structures.CaseInsensitiveDict(dict(resp.headers))
        out.raw = raw
        out.url = request.url or ""
        out.request = request
        out.reason = ""
        out.encoding = None
        return out

    def close(self) -> None:
        pass


def make_session(emulator: Emulator) -> requests.Session:
    session = requests.Session()
    adapter = EmulatorAdapter(emulator)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def make_transport(emulator: Emulator):
    """A fresh azure-core RequestsTransport bound to the emulator (one per client: clients close theirs)."""
    from azure.core.pipeline.transport import RequestsTransport

    return RequestsTransport(session=make_session(emulator), session_owner=False)
