"""The emulator application: host/path dispatch to services, auth, faults, errors and the request log."""

from __future__ import annotations

import importlib
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from azlake.emulator.core import api_versions, arm, faults, lro
from azlake.emulator.core.auth import principal_from_authorization
from azlake.emulator.core.clock import DEFAULT_TIME_SCALE, Clock
from azlake.emulator.core.errors import (
    AuthenticationFailed,
    EmulatedError,
    InternalServerError,
    InvalidResourceType,
    MethodNotAllowed,
    MissingApiVersionParameter,
    ResourceNotFound,
    StorageError,
)
from azlake.emulator.core.http import Endpoints, Headers, Request, Response
from azlake.emulator.core.store import StateError, Store, Tx, env_number

Handler = Callable[..., Response]

# Each service package has urls.py with `register(app)`.
SERVICES = ("resources", "storage", "msi", "authorization", "locks", "hdinsight", "eventhub",
            "datalake", "livy", "prices", "keyvault")

_ARM_ROOTS = ("subscriptions", "providers", "_emulator")
_KEY_ACTIONS = ("listkeys", "regeneratekey", "regeneratekeys")


class DroppedConnection(Exception):
    """A fault asked for the connection to be dropped without an answer."""


@dataclass
class Route:
    service: str
    method: str
    regex: re.Pattern[str]
    handler: Handler
    pattern: str


def compile_pattern(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    """`/a/{name}/b/{rest:path}` -> a regex with named groups; `{x}` stops at '/', `{x:path}` does not."""
    out, pos = [], 0
    for m in re.finditer(r"\{(\w+)(?::(path))?\}", pattern):
        out.append(re.escape(pattern[pos:m.start()]))
        out.append(f"(?P<{m.group(1)}>.*)" if m.group(2) else f"(?P<{m.group(1)}>[^/]+)")
        pos = m.end()
    out.append(re.escape(pattern[pos:]))
    return re.compile("^" + "".join(out) + "/?$", re.IGNORECASE if ignore_case else 0)


@dataclass
class Settings:
    time_scale: float = DEFAULT_TIME_SCALE
    role_propagation_seconds: float = 120.0  # nominal: how long before a new role assignment is effective


class Emulator:
    """One emulator over one state directory. Thread-safe; several processes may share the directory."""

    def __init__(self, state_dir: str | Path, *, time_scale: float | None = None,
                 role_propagation_seconds: float | None = None) -> None:
        self.store = Store(Path(state_dir))
        self.routes: list[Route] = []
        # services may add access checks for ARM requests (the authorization service adds RBAC)
        self.arm_authorizers: list[Callable[[Request], None]] = []
        self.settings = Settings()
        with self.store.tx() as tx:
            saved = tx.get("settings", "emulator") or {}
            env_scale = env_number("AZLAKE_EMULATOR_TIME_SCALE", "1 runs in real time")
            env_roles = env_number("AZLAKE_EMULATOR_ROLE_PROPAGATION", "0 makes new roles effective at once")
            self.settings.time_scale = _first(time_scale, env_scale, saved.get("time_scale"),
                                              DEFAULT_TIME_SCALE)
            self.settings.role_propagation_seconds = _first(
                role_propagation_seconds, env_roles, saved.get("role_propagation_seconds"),
                self.settings.role_propagation_seconds)
            raw_faults = os.environ.get("AZLAKE_EMULATOR_FAULTS")
            if raw_faults:
                faults.load_from_env(tx, raw_faults)
        self.clock = Clock(self.settings.time_scale, 0.0)
        for name in SERVICES:
            try:
                module = importlib.import_module(f"azlake.emulator.{name}.urls")
            except ModuleNotFoundError as exc:
                if exc.name in (f"azlake.emulator.{name}", f"azlake.emulator.{name}.urls"):
                    continue  # service not written yet
                raise
            module.register(self)

    # --- configuration used by tests -------------------------------------------------------------
    def configure(self, **changes: float) -> None:
        """Change settings (time_scale, role_propagation_seconds) for this and later processes."""
        for key, value in changes.items():
            if not hasattr(self.settings, key):
                raise ValueError(f"unknown emulator setting {key!r}")
            setattr(self.settings, key, float(value))
        self.clock.time_scale = self.settings.time_scale
        with self.store.tx() as tx:
            tx.put("settings", "emulator", dict(self.settings.__dict__))

    def advance(self, nominal_seconds: float) -> None:
        """Move this emulator's clock forward by a nominal Azure duration."""
        self.clock.offset += self.clock.scaled(nominal_seconds)

    def add_fault(self, **rule: Any) -> str:
        with self.store.tx() as tx:
            return faults.add(tx, rule)

    def clear_faults(self) -> None:
        with self.store.tx() as tx:
            faults.clear(tx)

    def request_log(self, since: int = 0) -> list[dict]:
        return self.store.request_log(since)

    def reset(self) -> None:
        self.store.reset()

    # --- registration ----------------------------------------------------------------------------
    def route(self, service: str, method: str, pattern: str, handler: Handler) -> None:
        self.routes.append(Route(service, method.upper(), compile_pattern(pattern, service == "arm"),
                                 handler, pattern))

    def arm(self, method: str, pattern: str, handler: Handler) -> None:
        self.route("arm", method, pattern, handler)

    # --- helpers for services --------------------------------------------------------------------
    def start_operation(self, tx: Tx, req: Request, resource_id: str, kind: str,
                        duration: float) -> lro.Operation:
        """Start an LRO; an `lro_fail` fault matching this request makes it end Failed.

        The rule's optional `status` is what a Location poll then answers (default 500, which the SDKs
        retry with back-off; a 4xx fails the poller at once)."""
        rule = faults.take(tx, ("lro_fail",), req.service, req.method, req.path)
        fail = (rule["code"], rule["message"]) if rule else None
        return lro.start(tx, self.clock, resource_id, kind, duration, fail,
                         int(rule.get("status", 500)) if rule else 500)

    def internal(self, method: str, service: str, path: str, query: str = "",
                 body: bytes = b"", account: str = "", endpoints: Endpoints | None = None) -> Response:
        """Run a request through the router without logging or faults (e.g. an LRO's final GET).

        Pass the caller's `endpoints` so URLs in the answer (storage endpoints) are the caller's."""
        req = Request(method, f"https://internal{path}?{query}", Headers(), body, endpoints or Endpoints())
        req.service, req.path, req.account = service, path, account
        return self._route(req)

    # --- dispatch --------------------------------------------------------------------------------
    def handle(self, req: Request) -> Response:
        """Answer one request. Raises DroppedConnection when a fault drops it."""
        self._classify(req)
        req.principal_id = principal_from_authorization(req.headers.get("Authorization"))
        code: str | None = None
        try:
            with self.store.tx() as tx:
                rule = faults.take(tx, ("status", "drop"), req.service, req.method, req.path)
            if rule and rule["kind"] == "drop":
                self.store.log_request(req.method, req.service, _mask(req.url), 0, "DroppedConnection")
                raise DroppedConnection(req.url)
            if rule:
                # Azure sends Retry-After with throttling and unavailability only; the SDKs retry any answer
                # that carries one, so other statuses get it only when the rule asks
                wait = rule.get("retry_after", 1 if int(rule["status"]) in (429, 503) else None)
                raise EmulatedError(int(rule["status"]), rule["code"], rule["message"],
                                    headers={} if wait is None else {"Retry-After": str(wait)})
            if req.service == "arm":
                self._check_arm(req)
                for authorize in self.arm_authorizers:  # Azure checks access before locks
                    authorize(req)
                self._check_locks(req)
            resp = self._route(req)
        except EmulatedError as err:
            if req.service == "storage" and not isinstance(err, StorageError):
                err = StorageError(err.status, err.code, err.message, headers=err.headers)
            resp, code = err.to_response(), err.code
        except (DroppedConnection, StateError):
            raise  # not Azure's answer: the local state itself failed, and azlake says so
        except Exception as exc:  # a bug in the emulator: answer like Azure's 500, keep the cause visible
            resp = InternalServerError(f"azlake emulator error: {type(exc).__name__}: {exc}").to_response()
            code = "InternalServerError"
        self.store.log_request(req.method, req.service, _mask(req.url), resp.status, code)
        resp.headers.setdefault("x-ms-request-id", _request_id())
        if req.service == "arm":
            resp.headers.setdefault("x-ms-ratelimit-remaining-subscription-reads", "11999")
            if req.method != "GET":
                resp.headers.setdefault("x-ms-ratelimit-remaining-subscription-writes", "1199")
        return resp

    def _check_arm(self, req: Request) -> None:
        if not req.headers.get("Authorization"):
            raise AuthenticationFailed("Authentication failed. The 'Authorization' header is missing.")
        version = req.q("api-version")
        if version is None:
            raise MissingApiVersionParameter("The api-version query parameter (?api-version=) is required for all "
                                             "requests.")
        api_versions.check(req, version)

    def _check_locks(self, req: Request) -> None:
        """Management locks hold for every ARM write at or below their scope, except on locks themselves.

        CanNotDelete refuses DELETE; ReadOnly refuses PUT, PATCH and DELETE, and the POST actions that list or
        change keys (Azure documents that a read-only lock blocks listKeys); other POST actions are not checked.
        """
        path = "/" + "/".join(p for p in req.path.split("/") if p)  # SDKs may send '//' for empty segments
        key_action = req.method == "POST" and path.lower().rsplit("/", 1)[-1] in _KEY_ACTIONS
        if (req.method not in ("PUT", "PATCH", "DELETE") and not key_action) \
                or not path.lower().startswith("/subscriptions/"):
            return
        if "/providers/microsoft.authorization/locks" in path.lower():
            return
        with self.store.tx(write=False) as tx:
            locks = arm.locks_covering(tx, path)
        blocking = [d for d in locks if req.method == "DELETE" or d["properties"].get("level") == "ReadOnly"]
        if blocking:
            raise arm.scope_locked_error(path, blocking, "delete" if req.method == "DELETE" else "write")

    def _classify(self, req: Request) -> None:
        parts = urlsplit(req.url)
        host = (parts.hostname or "").lower()
        path = unquote(parts.path) or "/"
        if host == "management.azure.com":
            req.service, req.path = "arm", path
        elif host.endswith(".dfs.core.windows.net") or host.endswith(".blob.core.windows.net"):
            req.service, req.account, req.path = "storage", host.split(".")[0], path
        elif host.endswith(".azurehdinsight.net"):
            req.service, req.account, req.path = "gateway", host.split(".")[0], path
        elif host.endswith(".vault.azure.net"):
            req.service, req.account, req.path = "keyvault", host.split(".")[0], path
        elif host == "prices.azure.com":
            req.service, req.path = "prices", path
        else:  # served, path-style
            segments = path.lstrip("/").split("/", 1)
            first, rest = segments[0], "/" + (segments[1] if len(segments) > 1 else "")
            if first.lower() in _ARM_ROOTS or first == "":
                req.service, req.path = "arm", path
            elif first == "_prices":
                req.service, req.path = "prices", rest
            elif first == "_vault":
                vault, _, tail = rest.lstrip("/").partition("/")
                req.service, req.account, req.path = "keyvault", vault, "/" + tail
            elif first == "_gateway":
                cluster, _, tail = rest.lstrip("/").partition("/")
                req.service, req.account, req.path = "gateway", cluster, "/" + tail
            else:
                req.service, req.account, req.path = "storage", first, rest

    def _route(self, req: Request) -> Response:
        method_matched = False
        for route in self.routes:
            if route.service != req.service:
                continue
            m = route.regex.match(req.path)
            if not m:
                continue
            if route.method != req.method:
                method_matched = True
                continue
            return route.handler(req, **{k: unquote(v) for k, v in m.groupdict().items()})
        if method_matched:
            raise MethodNotAllowed(f"The requested method '{req.method}' is not allowed on '{req.path}'.")
        if req.service == "arm":
            raise InvalidResourceType(f"The resource type or operation at '{req.path}' is not served by the "
                                      "azlake emulator.", status=404)
        raise ResourceNotFound(f"No {req.service} operation at '{req.path}'.")


def _first(*values: Any) -> float:
    for v in values:
        if v is not None and v != "":
            return float(v)
    raise ValueError("no value")


def _request_id() -> str:
    import uuid
    return str(uuid.uuid4())


_SECRET_QUERY = re.compile(r"(sig|se|sv|code|key|password|secret)=([^&]+)", re.IGNORECASE)


def _mask(url: str) -> str:
    return _SECRET_QUERY.sub(lambda m: f"{m.group(1)}=***", url)


_instances: dict[str, Emulator] = {}
_lock = threading.Lock()


def get_emulator(state_dir: str | Path, **settings: Any) -> Emulator:
    """One Emulator per state directory per process (routes are built once)."""
    key = str(Path(state_dir).resolve())
    with _lock:
        emu = _instances.get(key)
        if emu is None:
            emu = Emulator(state_dir, **settings)
            _instances[key] = emu
        elif settings:
            emu.configure(**{k: v for k, v in settings.items() if v is not None})
        return emu
