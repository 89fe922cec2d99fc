"""Files and directories over HTTP: DFS create/append/flush/rename/delete/ACL, Blob read/properties/copy."""

from __future__ import annotations

import uuid
from urllib.parse import unquote, urlsplit

from azlake.emulator.core.auth import principal_from_authorization
from azlake.emulator.core.errors import StorageError
from azlake.emulator.core.http import Headers, Request, Response
from azlake.emulator.datalake import access, leases, models, write_leases
from azlake.emulator.datalake import serialize as ser
from azlake.emulator.datalake.errors import (
    AuthorizationPermissionMismatch,
    CannotVerifyCopySource,
    InvalidQueryParameterValue,
    InvalidSourceBlobUrl,
)
from azlake.emulator.datalake.responses import Base, flag, int_param, lease_action, param

_WRITTEN = {"x-ms-request-server-encrypted": "true"}


class PathResponses(Base):
    def path(self, req: Request, fs: str, path: str) -> Response:
        return self.run(req, lambda blob: self._dispatch(req, fs, models.norm(path), blob))

    def _dispatch(self, req: Request, fs: str, path: str, blob: bool) -> Response:
        m, comp = req.method, (param(req, "comp") or "").lower()
        action = (param(req, "action") or "").lower()
        if m == "PUT" and comp == "lease" or m == "POST" and not comp and "x-ms-lease-action" in req.headers:
            return self._lease(req, fs, path, blob)  # Lease Blob, or the DFS Path Lease
        if m == "PUT":
            if "x-ms-rename-source" in req.headers:
                return self._rename(req, fs, path)
            if comp == "metadata":
                return self._update(req, fs, path, blob, metadata=ser.metadata_from(req.headers))
            if comp == "properties":
                return self._update(req, fs, path, blob, headers=ser.http_headers_from(req.headers, "x-ms-blob-"))
            if "x-ms-copy-source" in req.headers:
                return self._copy(req, fs, path)
            if (param(req, "resource") or "").lower() in ("file", "directory"):
                return self._create(req, fs, path)
            if (req.headers.get("x-ms-blob-type") or "").lower() == "blockblob" and not comp:
                return self._put_blob(req, fs, path)
        if m == "PATCH":
            if action == "append":
                return self._append(req, fs, path)
            if action == "flush":
                return self._flush(req, fs, path)
            if action == "setaccesscontrol":
                return self._set_acl(req, fs, path)
            if action == "setproperties":
                return self._update(req, fs, path, False,
                                    metadata=ser.parse_properties(req.headers.get("x-ms-properties")))
        if m == "GET" and not action and not comp:
            return self._read(req, fs, path, blob)
        if m == "HEAD" and not comp:
            return self._properties(req, fs, path, blob, acl_only=action == "getaccesscontrol")
        if m == "DELETE" and not comp:
            return self._delete(req, fs, path, blob)
        raise InvalidQueryParameterValue(
            f"The azlake emulator does not serve {m} with action={action!r} comp={comp!r} on a path; "
            "see docs/emulator.md for the operations it serves.")

    # --- DFS writes ----------------------------------------------------------------------------------------
    def _create(self, req: Request, fs: str, path: str) -> Response:
        kind = (param(req, "resource") or "").lower()  # "file" or "directory": _dispatch checked
        wl = write_leases.parse(req.headers, create=True)
        with self.app.store.tx() as tx:
            call = self.call(tx, req, False, fs, write=True)
            write_leases.check(models.get_path(tx, call.name, fs, path), wl, call.now)
            doc = models.create_path(
                tx, self.content, call.name, fs, path, kind, call.now, call.principal,
                metadata=ser.parse_properties(req.headers.get("x-ms-properties")),
                headers=ser.http_headers_from(req.headers, "x-ms-"),
                if_match=req.headers.get("If-Match"), if_none_match=req.headers.get("If-None-Match"))
            if req.headers.get("x-ms-permissions"):
                doc["permissions"] = req.headers["x-ms-permissions"]
            write_leases.apply(doc, wl, call.now, flushed=False)  # a create may acquire the new path's lease
            models.save_path(tx, doc)
        return Response.empty(201, {"ETag": doc["etag"], "Last-Modified": ser.rfc1123(doc["modified"]),
                                    "Content-Length": "0", **_WRITTEN})

    def _append(self, req: Request, fs: str, path: str) -> Response:
        position, wl = int_param(req, "position", 0), write_leases.parse(req.headers)
        with self.app.store.tx(write=False) as tx:  # check first: no bytes on disk for refused calls
            call = self.call(tx, req, False, fs, write=True)
            write_leases.check(models.require_file(tx, call.name, fs, path), wl, call.now)
        chunk = self.content.write(call.name, req.body)
        try:
            with self.app.store.tx() as tx:
                write_leases.check(models.require_file(tx, call.name, fs, path), wl, call.now)
                doc = models.append(tx, call.name, fs, path, position, chunk, len(req.body))
                if flag(req, "flush"):  # append + flush in one call (the SDK's append_data(flush=True))
                    doc = models.flush(tx, self.content, call.name, fs, path, position + len(req.body), call.now)
                extra = write_leases.apply(doc, wl, call.now, flushed=flag(req, "flush"))
                models.save_path(tx, doc)
        except BaseException:
            self.content.delete(call.name, chunk)
            raise
        return Response.empty(202, {**_WRITTEN, **extra})

    def _flush(self, req: Request, fs: str, path: str) -> Response:
        wl = write_leases.parse(req.headers)
        with self.app.store.tx() as tx:
            call = self.call(tx, req, False, fs, write=True)
            write_leases.check(models.get_path(tx, call.name, fs, path), wl, call.now)
            doc = models.flush(tx, self.content, call.name, fs, path, int_param(req, "position", 0), call.now,
                               retain=flag(req, "retainUncommittedData"),
                               headers=ser.http_headers_from(req.headers, "x-ms-"),
                               if_match=req.headers.get("If-Match"), if_none_match=req.headers.get("If-None-Match"))
            extra = write_leases.apply(doc, wl, call.now, flushed=True)
            models.save_path(tx, doc)
        return Response.empty(200, {"ETag": doc["etag"], "Last-Modified": ser.rfc1123(doc["modified"]),
                                    "Content-Length": "0", **_WRITTEN, **extra})

    def _rename(self, req: Request, fs: str, path: str) -> Response:
        source = req.headers["x-ms-rename-source"].split("?", 1)[0]
        src_fs, _, src_path = unquote(source).lstrip("/").partition("/")
        with self.app.store.tx() as tx:
            call = self.call(tx, req, False, fs, write=True)
            if src_fs != fs:  # moving out of another filesystem needs write access there too
                access.authorize(tx, self.app.clock, call.principal, call.account, src_fs, True)
            self._leased(tx, call, src_fs, models.norm(src_path), "x-ms-source-lease-id", dfs=True)
            self._leased(tx, call, fs, path, dfs=True)
            doc = models.rename(tx, self.content, call.name, src_fs, models.norm(src_path), fs, path, call.now,
                                if_none_match=req.headers.get("If-None-Match"),
                                source_if_match=req.headers.get("x-ms-source-if-match"))
        return Response.empty(201, {"ETag": doc["etag"], "Last-Modified": ser.rfc1123(doc["modified"]),
                                    "Content-Length": "0"})

    def _delete(self, req: Request, fs: str, path: str, blob: bool) -> Response:
        dfs_params = {k.lower() for k in req.query} & {"recursive", "paginated", "continuation"}
        # Served path-style, a bare DELETE may come from the DataLake or the Blob SDK: answer 202, which both
        # accept, and leave the HNS check to calls that are certainly DFS.
        explicit = not blob and (".dfs." in (urlsplit(req.url).hostname or "") or bool(dfs_params))
        with self.app.store.tx() as tx:
            call = self.call(tx, req, not explicit, fs, write=True)
            self._leased(tx, call, fs, path, dfs=not blob)
            models.delete_path(tx, self.content, call.name, fs, path, recursive=flag(req, "recursive"),
                               dfs=not blob, if_match=req.headers.get("If-Match"),
                               if_none_match=req.headers.get("If-None-Match"))
        return Response.empty(200 if explicit else 202)

    def _set_acl(self, req: Request, fs: str, path: str) -> Response:
        with self.app.store.tx() as tx:
            call = self.call(tx, req, False, fs, write=True)
            doc = models.require_path(tx, call.name, fs, path, True)
            self._leased(tx, call, fs, path, dfs=True)
            assert call.principal is not None  # self.call() answered 401 to a caller without one
            held = access.role_ids(tx, self.app.clock, call.principal, access.container_scope(call.account, fs))
            # as in Azure: only a Storage Blob Data Owner or the owning user may change access control
            if access.DATA_OWNER not in held and call.principal != doc["owner"]:
                raise AuthorizationPermissionMismatch(access.PERMISSION_MISMATCH)
            for header, field in (("x-ms-owner", "owner"), ("x-ms-group", "group"),
                                  ("x-ms-permissions", "permissions"), ("x-ms-acl", "acl")):
                if req.headers.get(header):
                    doc[field] = req.headers[header]
            models.save_path(tx, doc, call.now)
        return Response.empty(200, {"ETag": doc["etag"], "Last-Modified": ser.rfc1123(doc["modified"])})

    # --- leases --------------------------------------------------------------------------------------------
    def _lease(self, req: Request, fs: str, path: str, blob: bool) -> Response:
        """One lease action on a file; leasing changes neither the ETag nor Last-Modified."""
        with self.app.store.tx() as tx:
            call = self.call(tx, req, blob, fs, write=True)
            doc = models.require_path(tx, call.name, fs, path, not blob)
            models.check_conditions(doc, req.headers.get("If-Match"), req.headers.get("If-None-Match"))
            status, extra = lease_action(req, doc, call.now, dfs=not blob)
            models.save_path(tx, doc)
        return Response.empty(status, {"ETag": doc["etag"], "Last-Modified": ser.rfc1123(doc["modified"]), **extra})

    def _leased(self, tx, call, fs: str, path: str, header: str = "x-ms-lease-id", *, dfs: bool) -> None:
        """A leased path is written or deleted only with its lease id (412 LeaseIdMissing otherwise).

        Only the named path's own lease counts: a directory whose files are leased is still deleted (by design,
        the Storage platform team in microsoft/AzureStorageExplorer#2790: folders are like containers).
        """
        leases.check_write(models.get_path(tx, call.name, fs, path), call.req.headers.get(header), call.now,
                           dfs=dfs)

    # --- Blob-side writes ----------------------------------------------------------------------------------
    def _update(self, req: Request, fs: str, path: str, blob: bool, *, metadata: dict | None = None,
                headers: dict | None = None) -> Response:
        with self.app.store.tx() as tx:
            call = self.call(tx, req, blob, fs, write=True)
            doc = models.require_path(tx, call.name, fs, path, not blob)
            models.check_conditions(doc, req.headers.get("If-Match"), req.headers.get("If-None-Match"))
            self._leased(tx, call, fs, path, dfs=not blob)
            if metadata is not None:
                metadata.pop("hdi_isfolder", None)
                doc["metadata"] = metadata
            if headers is not None:
                doc["headers"] = headers
            models.save_path(tx, doc, call.now)
        return Response.empty(200, {"ETag": doc["etag"], "Last-Modified": ser.rfc1123(doc["modified"]),
                                    **_WRITTEN})

    def _put_blob(self, req: Request, fs: str, path: str) -> Response:
        with self.app.store.tx(write=False) as tx:
            call = self.call(tx, req, True, fs, write=True)
        blob_id = self.content.write(call.name, req.body)
        return self._commit_whole(req, call, fs, path, blob_id, len(req.body), 201)

    def _commit_whole(self, req, call, fs: str, path: str, blob_id: str | None, length: int,
                      status: int, extra: dict | None = None, copy: dict | None = None) -> Response:
        try:
            with self.app.store.tx() as tx:
                existing = models.get_path(tx, call.name, fs, path)
                models.check_conditions(existing, req.headers.get("If-Match"), req.headers.get("If-None-Match"))
                leases.check_write(existing, req.headers.get("x-ms-lease-id"), call.now)
                doc, stale = models.put_file(tx, call.name, fs, path, blob_id, length, call.now, call.principal,
                                             metadata=ser.metadata_from(req.headers),
                                             headers=ser.http_headers_from(req.headers, "x-ms-blob-"),
                                             hns=access.is_hns(call.account))
                if copy:  # Get Blob Properties reports the last copy, as `x-ms-copy-*`
                    doc["copy"] = copy
                    models.save_path(tx, doc)
        except BaseException:
            self.content.delete(call.name, blob_id)
            raise
        self.content.delete(call.name, *stale)
        return Response.empty(status, {"ETag": doc["etag"], "Last-Modified": ser.rfc1123(doc["modified"]),
                                       **_WRITTEN, **(extra or {})})

    def _copy(self, req: Request, fs: str, path: str) -> Response:
        """Copy Blob / Put Blob From URL inside the emulator: bytes move on the server, never via the client."""
        src_account, src_fs, src_path = parse_source(req.headers["x-ms-copy-source"])
        with self.app.store.tx(write=False) as tx:
            call = self.call(tx, req, True, fs, write=True)
            src_doc_account = access.find_account(tx, src_account)
            if src_doc_account is None:
                raise CannotVerifyCopySource("The specified resource does not exist.")
            reader = call.principal
            if src_account != call.name or req.headers.get("x-ms-copy-source-authorization"):
                # another account's source needs its own credential, as Azure's copy-source authorization
                reader = principal_from_authorization(req.headers.get("x-ms-copy-source-authorization"))
            try:
                access.authorize(tx, self.app.clock, reader, src_doc_account, src_fs, False)
            except StorageError:
                raise CannotVerifyCopySource("This request is not authorized to perform this "
                                             "operation using this permission.", status=403) from None
            src = models.get_fs(tx, src_account, src_fs) and models.get_path(tx, src_account, src_fs, src_path)
            if not src or src["kind"] != "file":
                raise CannotVerifyCopySource("The specified blob does not exist.")
            blob_id = self.content.copy(src_account, src["blob"], call.name)
        put_from_url = (req.headers.get("x-ms-blob-type") or "").lower() == "blockblob"
        copy = None if put_from_url else {
            "id": str(uuid.uuid4()), "status": "success", "source": req.headers["x-ms-copy-source"].split("?")[0],
            "progress": f"{src['length']}/{src['length']}", "completed": call.now}
        extra = {"x-ms-copy-id": copy["id"], "x-ms-copy-status": "success"} if copy else {}
        return self._commit_whole(req, call, fs, path, blob_id, src["length"], 201 if put_from_url else 202, extra,
                                  copy)

    # --- reads ---------------------------------------------------------------------------------------------
    def _properties(self, req: Request, fs: str, path: str, blob: bool, acl_only: bool) -> Response:
        with self.app.store.tx(write=False) as tx:
            call = self.call(tx, req, blob, fs, write=False)
            doc = models.require_path(tx, call.name, fs, path, not blob)
        headers = ser.path_headers(doc, call.now)
        if acl_only:
            headers = {k: headers[k] for k in ("ETag", "Last-Modified", "x-ms-owner", "x-ms-group",
                                               "x-ms-permissions")}
            headers["x-ms-acl"] = ser.acl_of(doc)
        return Response.empty(200, headers)

    def _read(self, req: Request, fs: str, path: str, blob: bool) -> Response:
        for attempt in range(3):  # a concurrent flush may retire the version looked up a moment ago
            with self.app.store.tx(write=False) as tx:
                call = self.call(tx, req, blob, fs, write=False)
                doc = models.require_path(tx, call.name, fs, path, not blob)
            models.check_conditions(doc, req.headers.get("If-Match"), req.headers.get("If-None-Match"))
            span = ser.parse_range(req.headers.get("x-ms-range") or req.headers.get("Range"), doc["length"])
            start, end = span or (0, doc["length"])
            try:
                data = self.content.read(call.name, doc["blob"], start, end)
                break
            except FileNotFoundError:
                if attempt == 2:
                    raise
        headers = ser.path_headers(doc, call.now)
        headers["Content-Length"] = str(len(data))
        if span is None:
            return Response(200, data, Headers(headers))
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{doc['length']}"
        if "Content-MD5" in headers:  # a range's answer names the whole file's hash apart, as Azure does
            headers["x-ms-blob-content-md5"] = headers.pop("Content-MD5")
        return Response(206, data, Headers(headers))


def parse_source(url: str) -> tuple[str, str, str]:
    """(account, filesystem, path) of a copy source URL: host-style or the emulator's path-style."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    segments = unquote(parts.path).lstrip("/").split("/")
    if host.endswith(".core.windows.net"):
        account = host.split(".")[0]
    else:
        account, segments = segments[0], segments[1:]
    if len(segments) < 2:
        raise InvalidSourceBlobUrl(f"The source URL {url.split('?')[0]!r} does not name a "
                                   "blob (https://<account>.blob.core.windows.net/<fs>/<path>).")
    return account.lower(), segments[0], models.norm("/".join(segments[1:]))
