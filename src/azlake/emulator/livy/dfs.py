"""The emulated cluster's own storage access: ADLS Gen2 REST calls into the emulator, as the cluster's identity.

Going through the storage service's REST routes (not its internals) keeps the Livy runner independent
of how the data lake is stored, and makes the cluster's access subject to the same role checks as on
Azure (HDInsight reads and writes its storage with the user-assigned managed identity).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, urlencode

from azlake.emulator.core.auth import make_token
from azlake.emulator.core.http import Headers, Request

API_VERSION = "2023-11-03"


class LivyStorageError(Exception):
    """A storage call the job made failed (its message reads like the Hadoop ABFS driver's)."""


class DfsAsIdentity:
    def __init__(self, app, principal_id: str) -> None:
        self.app = app
        self.principal_id = principal_id

    def _call(self, method: str, account: str, path: str, query: dict[str, str] | None = None,
              body: bytes = b"", headers: dict[str, str] | None = None):
        url = f"https://{account}.dfs.core.windows.net{quote(path)}"
        if query:
            url += "?" + urlencode(query)
        token, _ = make_token(self.principal_id)
        h = Headers({"Authorization": f"Bearer {token}", "x-ms-version": API_VERSION,
                     "Content-Length": str(len(body)), **(headers or {})})
        return self.app.handle(Request(method, url, h, body))

    def _fail(self, what: str, resp) -> LivyStorageError:
        code = resp.headers.get("x-ms-error-code") or ""
        try:
            message = json.loads(resp.body or b"{}").get("error", {}).get("message", "")
        except (ValueError, AttributeError):
            message = ""
        return LivyStorageError(f"Operation failed: \"{message or what}\", {resp.status}, {what}, {code}".strip())

    def kind(self, account: str, fs: str, path: str) -> str | None:
        """'file', 'directory' or None (absent)."""
        if not path.strip("/"):
            resp = self._call("HEAD", account, f"/{fs}", {"resource": "filesystem"})
            return "directory" if resp.status == 200 else None
        resp = self._call("HEAD", account, f"/{fs}/{path.strip('/')}")
        if resp.status == 404:
            return None
        if resp.status >= 300:
            raise self._fail(f"HEAD abfss://{fs}@{account}/{path}", resp)
        return resp.headers.get("x-ms-resource-type") or "file"

    def download(self, account: str, fs: str, path: str, local: Path) -> str | None:
        """Copy a file or a directory tree to `local`; returns its kind, None when absent."""
        kind = self.kind(account, fs, path)
        if kind == "file":
            self._download_file(account, fs, path.strip("/"), local)
        elif kind == "directory":
            local.mkdir(parents=True, exist_ok=True)
            for name, is_dir in self._list(account, fs, path.strip("/")):
                rel = name[len(path.strip("/")):].lstrip("/") if path.strip("/") else name
                if is_dir:
                    (local / rel).mkdir(parents=True, exist_ok=True)
                else:
                    self._download_file(account, fs, name, local / rel)
        return kind

    def _download_file(self, account: str, fs: str, path: str, local: Path) -> None:
        resp = self._call("GET", account, f"/{fs}/{path}")
        if resp.status >= 300:
            raise self._fail(f"GET abfss://{fs}@{account}/{path}", resp)
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_bytes(resp.body)

    def _list(self, account: str, fs: str, directory: str) -> list[tuple[str, bool]]:
        out: list[tuple[str, bool]] = []
        continuation = None
        while True:
            query = {"resource": "filesystem", "recursive": "true"}
            if directory:
                query["directory"] = directory
            if continuation:
                query["continuation"] = continuation
            resp = self._call("GET", account, f"/{fs}", query)
            if resp.status >= 300:
                raise self._fail(f"LIST abfss://{fs}@{account}/{directory}", resp)
            for p in json.loads(resp.body or b"{}").get("paths", []):
                out.append((p["name"], str(p.get("isDirectory", "false")).lower() == "true"))
            continuation = resp.headers.get("x-ms-continuation")
            if not continuation:
                return out

    def upload(self, account: str, fs: str, path: str, local: Path) -> int:
        """Write a local file or tree to abfss://fs@account/path; returns the number of files written."""
        files = [local] if local.is_file() else sorted(p for p in local.rglob("*") if p.is_file())
        if local.is_dir():
            self._mkdir(account, fs, path)
            for d in sorted(p for p in local.rglob("*") if p.is_dir()):
                self._mkdir(account, fs, f"{path}/{d.relative_to(local).as_posix()}")
        for f in files:
            target = path if f == local else f"{path}/{f.relative_to(local).as_posix()}"
            self._upload_file(account, fs, target, f.read_bytes())
        return len(files)

    def _mkdir(self, account: str, fs: str, path: str) -> None:
        resp = self._call("PUT", account, f"/{fs}/{path}", {"resource": "directory"})
        if resp.status >= 300:
            raise self._fail(f"MKDIR abfss://{fs}@{account}/{path}", resp)

    def _upload_file(self, account: str, fs: str, path: str, data: bytes) -> None:
        steps = [("PUT", {"resource": "file"}, b""),
                 ("PATCH", {"action": "append", "position": "0"}, data),
                 ("PATCH", {"action": "flush", "position": str(len(data))}, b"")]
        for method, query, body in steps:
            if method == "PATCH" and query["action"] == "append" and not data:
                continue
            resp = self._call(method, account, f"/{fs}/{path}", query, body)
            if resp.status >= 300:
                raise self._fail(f"WRITE abfss://{fs}@{account}/{path}", resp)
