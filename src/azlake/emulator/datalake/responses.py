"""Storage data plane over HTTP: tells DFS from Blob calls, checks access, serves the account and filesystems.

The DataLake SDK sends some calls to the DFS endpoint (`resource=`, `action=`, rename) and others through
its Blob client (containers, metadata, download, properties). Served path-style both arrive on one URL,
so the dialect is read from the host when it says, else from the query and headers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from azlake.emulator.core.app import Emulator
from azlake.emulator.core.errors import EmulatedError
from azlake.emulator.core.http import Request, Response
from azlake.emulator.core.store import Tx
from azlake.emulator.datalake import access, leases, models, soft_delete
from azlake.emulator.datalake import serialize as ser
from azlake.emulator.datalake.content import Content
from azlake.emulator.datalake.errors import InvalidHeaderValue, InvalidQueryParameterValue

DEFAULT_PAGE = 5000


@dataclass
class Call:
    """One data-plane request, resolved: account document, dialect and the emulator's time."""
    req: Request
    account: dict
    blob: bool
    now: float

    @property
    def name(self) -> str:
        return self.account["name"].lower()

    @property
    def principal(self) -> str | None:
        return self.req.principal_id


def is_blob(req: Request) -> bool:
    host = (urlsplit(req.url).hostname or "").lower()
    if ".blob." in host or ".dfs." in host:
        return ".blob." in host
    params = {k.lower() for k in req.query}
    if params & {"resource", "action"} or "x-ms-rename-source" in req.headers:
        return False
    if params & {"restype", "comp"} or "x-ms-copy-source" in req.headers or "x-ms-blob-type" in req.headers:
        return True
    return req.method in ("GET", "HEAD")


def param(req: Request, name: str, default: str | None = None) -> str | None:
    return req.q(name, default)


def int_param(req: Request, name: str, default: int) -> int:
    value = req.q(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise InvalidQueryParameterValue("Value for one of the query parameters specified in "
                                         f"the request URI is invalid: {name}={value!r}.")
    return number


def flag(req: Request, name: str) -> bool:
    return (req.q(name) or "").lower() == "true"


def finish(resp: Response, req: Request) -> Response:
    resp.headers["x-ms-version"] = req.headers.get("x-ms-version") or ser.API_VERSION
    resp.headers["Date"] = ser.rfc1123(time.time())
    if req.headers.get("x-ms-client-request-id"):
        resp.headers["x-ms-client-request-id"] = req.headers["x-ms-client-request-id"]
    return resp


class Base:
    """Shared plumbing for the service/filesystem and the path handlers."""

    def __init__(self, app: Emulator) -> None:
        self.app = app
        self.content = Content(app.store.blob_dir)

    def run(self, req: Request, work: Callable[[bool], Response]) -> Response:
        blob = is_blob(req)
        try:
            return finish(work(blob), req)
        except EmulatedError as err:
            err.headers.setdefault("x-ms-version", req.headers.get("x-ms-version") or ser.API_VERSION)
            raise ser.as_dialect(err, blob, req.method == "HEAD") from None

    def call(self, tx: Tx, req: Request, blob: bool, fs: str | None, *, write: bool) -> Call:
        """Resolve the account, refuse DFS calls on a flat account, then check the caller's data role."""
        account = access.require_account(tx, req.account)
        if not blob:
            access.require_hns(account)
        access.authorize(tx, self.app.clock, req.principal_id, account, fs, write)
        return Call(req, account, blob, self.app.clock.now())


class ServiceResponses(Base):
    """The account level (`/`) and filesystems (`/{fs}`)."""

    def service(self, req: Request) -> Response:
        return self.run(req, lambda blob: self._service(req, blob))

    def _service(self, req: Request, blob: bool) -> Response:
        if req.method == "GET" and (param(req, "comp") or "").lower() == "list":
            return self._list_containers(req)
        if req.method == "GET" and (param(req, "resource") or "").lower() == "account":
            return self._list_filesystems_json(req)
        raise InvalidQueryParameterValue(
            f"The azlake emulator does not serve {req.method} {req.url.split('?', 1)[-1]!r} on the "
            "storage account; see docs/emulator.md for the operations it serves.")

    def _page(self, docs: list[dict], marker: str | None, size: int) -> tuple[list[dict], str | None]:
        if marker:
            docs = [d for d in docs if d["name"] >= marker]
        return docs[:size], (docs[size]["name"] if len(docs) > size else None)

    def _list_containers(self, req: Request) -> Response:
        include, prefix = (param(req, "include") or "").lower(), param(req, "prefix") or ""
        with self.app.store.tx(write=False) as tx:
            call = self.call(tx, req, True, None, write=False)
            docs = models.list_fs(tx, call.name, prefix)
            if "deleted" in include:
                docs += soft_delete.list_deleted(tx, self.app.clock, call.name, prefix)
        docs.sort(key=lambda d: (d["name"], d.get("deleted", 0)))
        size = int_param(req, "maxresults", DEFAULT_PAGE) or DEFAULT_PAGE
        page, next_marker = self._page(docs, param(req, "marker"), size)

        def remaining(d: dict) -> float | None:
            return soft_delete.remaining_days(self.app.clock, d) if "deleted" in d else None
        body = (f'<EnumerationResults ServiceEndpoint="{escape_attr(req.endpoints.blob(call.name))}">'
                f"<Prefix>{ser.escape(prefix)}</Prefix><MaxResults>{size}</MaxResults><Containers>"
                + "".join(ser.container_xml(d, "metadata" in include, self.app.clock.now(), remaining(d)) for d in page)
                + f"</Containers><NextMarker>{ser.escape(next_marker or '')}</NextMarker></EnumerationResults>")
        return ser.xml_response(body)

    def _list_filesystems_json(self, req: Request) -> Response:
        with self.app.store.tx(write=False) as tx:
            call = self.call(tx, req, False, None, write=False)
            docs = sorted(models.list_fs(tx, call.name, param(req, "prefix") or ""), key=lambda d: d["name"])
        return Response.json({"filesystems": [{"name": d["name"], "etag": d["etag"],
                                               "lastModified": ser.rfc1123(d["modified"])} for d in docs]})

    # --- /{fs} -------------------------------------------------------------------------------------------
    def filesystem(self, req: Request, fs: str) -> Response:
        return self.run(req, lambda blob: self._filesystem(req, fs, blob))

    def _filesystem(self, req: Request, fs: str, blob: bool) -> Response:
        comp = (param(req, "comp") or "").lower()
        m = req.method
        if m == "PUT" and comp == "lease":
            return self._lease(req, fs)
        if m == "PUT" and comp == "undelete":
            return self._undelete(req, fs)
        if m == "PUT" and comp == "metadata":
            return self._set_metadata(req, fs, blob, ser.metadata_from(req.headers))
        if m == "PATCH" and not blob:
            return self._set_metadata(req, fs, blob, ser.parse_properties(req.headers.get("x-ms-properties")))
        if m == "PUT" and not comp:
            return self._create(req, fs, blob)
        if m == "DELETE":
            return self._delete(req, fs, blob)
        if m == "GET" and comp == "list":
            return self._list_blobs(req, fs)
        if m == "GET" and not blob:
            return self._list_paths(req, fs)
        if m in ("GET", "HEAD") and not comp:
            return self._properties(req, fs, blob)
        raise InvalidQueryParameterValue(
            f"The azlake emulator does not serve {m} with comp={comp!r} on a filesystem; see "
            "docs/emulator.md for the operations it serves.")

    def _create(self, req: Request, fs: str, blob: bool) -> Response:
        metadata = (ser.metadata_from(req.headers) if blob
                    else ser.parse_properties(req.headers.get("x-ms-properties")))
        with self.app.store.tx() as tx:
            call = self.call(tx, req, blob, fs, write=True)
            doc = models.create_fs(tx, call.name, fs, call.now, metadata,
                                   req.headers.get("x-ms-blob-public-access"), dfs=not blob)
            models.remember_blob_dir(tx, self.content)
        return Response.empty(201, {"ETag": doc["etag"], "Last-Modified": ser.rfc1123(doc["modified"]),
                                    "x-ms-namespace-enabled": str(access.is_hns(call.account)).lower()})

    def _set_metadata(self, req: Request, fs: str, blob: bool, metadata: dict) -> Response:
        with self.app.store.tx() as tx:
            call = self.call(tx, req, blob, fs, write=True)
            doc = models.require_fs(tx, call.name, fs, not blob)
            if req.headers.get("x-ms-lease-id"):  # optional on a leased container; when given it must match
                leases.check_write(doc, req.headers["x-ms-lease-id"], call.now, container=True)
            doc["metadata"] = metadata
            models.save_fs(tx, doc, call.now)
        return Response.empty(200, {"ETag": doc["etag"], "Last-Modified": ser.rfc1123(doc["modified"])})

    def _delete(self, req: Request, fs: str, blob: bool) -> Response:
        with self.app.store.tx() as tx:
            call = self.call(tx, req, blob, fs, write=True)
            leases.check_write(models.get_fs(tx, call.name, fs), req.headers.get("x-ms-lease-id"), call.now,
                               container=True)
            soft_delete.delete_filesystem(tx, self.content, self.app.clock, call.account, fs, not blob)
        return Response.empty(202)

    def _lease(self, req: Request, fs: str) -> Response:
        """Lease Container: one lease action; leasing changes neither the ETag nor Last-Modified."""
        with self.app.store.tx() as tx:
            call = self.call(tx, req, True, fs, write=True)
            doc = models.require_fs(tx, call.name, fs, False)
            status, extra = lease_action(req, doc, call.now, container=True)
            tx.put(models.FS, models.fs_key(call.name, fs), doc)
        return Response.empty(status, {"ETag": doc["etag"], "Last-Modified": ser.rfc1123(doc["modified"]), **extra})

    def _undelete(self, req: Request, fs: str) -> Response:
        deleted_name = req.headers.get("x-ms-deleted-container-name") or fs
        version = req.headers.get("x-ms-deleted-container-version") or ""
        with self.app.store.tx() as tx:
            call = self.call(tx, req, True, fs, write=True)
            if deleted_name != fs:  # the service restores under the original name only (the SDK deprecated new_name)
                raise InvalidHeaderValue("The value for one of the HTTP headers is not in the "
                                         "correct format: a deleted container is restored under its own name "
                                         f"({deleted_name!r}), not as {fs!r}.")
            doc = soft_delete.restore(tx, self.app.clock, call.name, deleted_name, version, fs)
        return Response.empty(201, {"ETag": doc["etag"], "Last-Modified": ser.rfc1123(doc["modified"])})

    def _properties(self, req: Request, fs: str, blob: bool) -> Response:
        with self.app.store.tx(write=False) as tx:
            call = self.call(tx, req, blob, fs, write=False)
            doc = models.require_fs(tx, call.name, fs, not blob)
        headers = ser.fs_headers(doc, access.is_hns(call.account), call.now)
        if not blob:
            headers["x-ms-properties"] = ser.format_properties(doc["metadata"])
        return Response.empty(200, headers)

    def _list_paths(self, req: Request, fs: str) -> Response:
        """DFS List Paths: JSON, hierarchical order, `x-ms-continuation` while more remain."""
        directory = models.norm(param(req, "directory") or "")
        with self.app.store.tx(write=False) as tx:
            call = self.call(tx, req, False, fs, write=False)
            docs = models.list_paths(tx, call.name, fs, directory, flag(req, "recursive"))
        after = ser.decode_token(param(req, "continuation"))
        if after is not None:
            docs = [d for d in docs if models.sort_key(d["name"]) > models.sort_key(after)]
        size = int_param(req, "maxResults", DEFAULT_PAGE) or DEFAULT_PAGE
        page = docs[:size]
        headers = {}
        if len(docs) > size:
            headers["x-ms-continuation"] = ser.encode_token(page[-1]["name"])
        return Response.json({"paths": [ser.path_json(d) for d in page]}, 200, headers)

    def _list_blobs(self, req: Request, fs: str) -> Response:
        """Blob List Blobs (flat or with a delimiter), as the Blob API shows an HNS filesystem."""
        prefix, delimiter = param(req, "prefix") or "", param(req, "delimiter")
        with self.app.store.tx(write=False) as tx:
            call = self.call(tx, req, True, fs, write=False)
            models.require_fs(tx, call.name, fs, False)
            docs = sorted((d for d in tx.values(models.PATHS, models.path_key(call.name, fs, ""))
                           if d["name"].startswith(prefix)), key=lambda d: d["name"])
        entries: list[tuple[str, str]] = []
        seen: set[str] = set()
        for d in docs:
            rest = d["name"][len(prefix):]
            if delimiter and delimiter in rest:
                sub = prefix + rest.split(delimiter, 1)[0] + delimiter
                if sub not in seen:
                    seen.add(sub)
                    entries.append((sub, f"<BlobPrefix><Name>{ser.escape(sub)}</Name></BlobPrefix>"))
                continue
            entries.append((d["name"], ser.blob_xml(d, "metadata" in (param(req, "include") or ""), call.now)))
        marker, size = param(req, "marker"), int_param(req, "maxresults", DEFAULT_PAGE) or DEFAULT_PAGE
        if marker:
            entries = [e for e in entries if e[0] >= marker]
        page, next_marker = entries[:size], (entries[size][0] if len(entries) > size else "")
        body = (f'<EnumerationResults ServiceEndpoint="{escape_attr(req.endpoints.blob(call.name))}" '
                f'ContainerName="{escape_attr(fs)}"><Prefix>{ser.escape(prefix)}</Prefix>'
                f"<MaxResults>{size}</MaxResults>"
                + (f"<Delimiter>{ser.escape(delimiter)}</Delimiter>" if delimiter else "")
                + "<Blobs>" + "".join(e[1] for e in page) + f"</Blobs><NextMarker>{ser.escape(next_marker)}"
                "</NextMarker></EnumerationResults>")
        return ser.xml_response(body)


def lease_action(req: Request, doc: dict, now: float, container: bool = False,
                 dfs: bool = False) -> tuple[int, dict[str, str]]:
    """The lease headers of a Lease Blob / Lease Container / Path Lease request, applied to `doc`."""
    h = req.headers
    return leases.apply(doc, (h.get("x-ms-lease-action") or "").lower(), now, lease_id=h.get("x-ms-lease-id"),
                        proposed=h.get("x-ms-proposed-lease-id"), duration=h.get("x-ms-lease-duration"),
                        break_period=h.get("x-ms-lease-break-period"), container=container, dfs=dfs)


def escape_attr(value: str) -> str:
    return ser.escape(value, {'"': "&quot;"})


__all__ = ["Base", "Call", "ServiceResponses", "finish", "flag", "int_param", "is_blob", "lease_action", "param"]
