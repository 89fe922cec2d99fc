"""ADLS Gen2 state and rules, no HTTP: filesystems (= blob containers) and the paths inside them.

One state serves the DFS endpoint, the Blob endpoint and ARM blobContainers. Documents live in the
store (collections `datalake_fs`, key "<account>/<fs>"; `datalake_path`, key "<account>/<fs>/<path>");
bytes live on disk (content.py). Codes differ between the DFS and Blob dialects, hence `dfs` flags.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from azlake.emulator.core.store import Tx
from azlake.emulator.datalake import leases
from azlake.emulator.datalake.content import Content
from azlake.emulator.datalake.errors import (
    BlobNotFound,
    ConditionNotMet,
    ContainerAlreadyExists,
    ContainerNotFound,
    DirectoryNotEmpty,
    FilesystemAlreadyExists,
    FilesystemNotFound,
    InvalidDestinationPath,
    InvalidFlushPosition,
    InvalidResourceName,
    OutOfRangeInput,
    PathAlreadyExists,
    PathConflict,
    PathNotFound,
    RenameDestinationParentPathNotFound,
    SourcePathNotFound,
)

FS = "datalake_fs"
PATHS = "datalake_path"
SETTINGS = "datalake_settings"
_FS_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$")
DEFAULT_GROUP = "$superuser"
DIR_PERMISSIONS, FILE_PERMISSIONS = "rwxr-x---", "rw-r-----"  # 0777 / 0666 under Azure's default umask 027


def new_etag() -> str:
    return f'"0x8D{uuid.uuid4().hex[:13].upper()}"'


def fs_key(account: str, fs: str) -> str:
    return f"{account}/{fs}"


def path_key(account: str, fs: str, path: str) -> str:
    return f"{account}/{fs}/{path}"


def norm(path: str) -> str:
    return path.strip("/")


def sort_key(path: str) -> tuple[str, ...]:
    """Hierarchical order, as DFS lists: a directory's children come right after it."""
    return tuple(path.split("/"))


def path_not_found(dfs: bool) -> PathNotFound | BlobNotFound:
    return (PathNotFound("The specified path does not exist.") if dfs
            else BlobNotFound("The specified blob does not exist."))


def condition_not_met() -> ConditionNotMet:
    return ConditionNotMet("The condition specified using HTTP conditional header(s) is not met.")


# --- filesystems -------------------------------------------------------------------------------------
def validate_fs_name(name: str) -> None:
    if not 3 <= len(name) <= 63:
        raise OutOfRangeInput("The specified resource name length is not within the permissible limits.")
    if not _FS_NAME.match(name):
        raise InvalidResourceName("The specifed resource name contains invalid characters.")


def get_fs(tx: Tx, account: str, name: str) -> dict | None:
    return tx.get(FS, fs_key(account, name))


def require_fs(tx: Tx, account: str, name: str, dfs: bool) -> dict:
    doc = get_fs(tx, account, name)
    if doc is None:
        raise (FilesystemNotFound("The specified filesystem does not exist.") if dfs
               else ContainerNotFound("The specified container does not exist."))
    return doc


def create_fs(tx: Tx, account: str, name: str, now: float, metadata: dict | None = None,
              public_access: str | None = None, dfs: bool = False) -> dict:
    validate_fs_name(name)
    if get_fs(tx, account, name) is not None:
        raise (FilesystemAlreadyExists("The specified filesystem already exists.") if dfs
               else ContainerAlreadyExists("The specified container already exists."))
    doc = {"account": account, "name": name, "created": now, "modified": now, "etag": new_etag(),
           "metadata": dict(metadata or {}), "public_access": public_access}
    tx.put(FS, fs_key(account, name), doc)
    return doc


def save_fs(tx: Tx, doc: dict, now: float) -> dict:
    doc["modified"], doc["etag"] = now, new_etag()
    tx.put(FS, fs_key(doc["account"], doc["name"]), doc)
    return doc


def list_fs(tx: Tx, account: str, prefix: str = "") -> list[dict]:
    return tx.values(FS, fs_key(account, prefix))


def delete_fs(tx: Tx, content: Content, account: str, name: str, dfs: bool) -> None:
    require_fs(tx, account, name, dfs)
    _drop_paths(tx, content, account, tx.values(PATHS, path_key(account, name, "")))
    tx.delete(FS, fs_key(account, name))


def remember_blob_dir(tx: Tx, content: Content) -> None:
    """Record where this store keeps bytes: the ARM clean-up hook is process-wide and only gets a Tx."""
    if tx.get(SETTINGS, "blob_dir") != str(content.root):
        tx.put(SETTINGS, "blob_dir", str(content.root))


def stored_content(tx: Tx) -> Content | None:
    where = tx.get(SETTINGS, "blob_dir")
    return Content(where) if where else None


def delete_account(tx: Tx, content: Content | None, account: str) -> None:
    """Clean-up when ARM deletes the storage account: every filesystem, path and byte of it."""
    tx.delete_prefix(PATHS, f"{account}/")
    tx.delete_prefix(FS, f"{account}/")
    if content is not None:
        content.delete_account(account)


# --- paths ---------------------------------------------------------------------------------------------
def get_path(tx: Tx, account: str, fs: str, path: str) -> dict | None:
    return tx.get(PATHS, path_key(account, fs, path))


def require_path(tx: Tx, account: str, fs: str, path: str, dfs: bool) -> dict:
    require_fs(tx, account, fs, dfs)
    doc = get_path(tx, account, fs, path) if path else None
    if doc is None:
        raise path_not_found(dfs)
    return doc


def descendants(tx: Tx, account: str, fs: str, path: str) -> list[dict]:
    prefix = path_key(account, fs, path + "/" if path else "")
    return tx.values(PATHS, prefix)


def check_conditions(doc: dict | None, if_match: str | None, if_none_match: str | None) -> None:
    etag = doc["etag"] if doc else None
    if if_match and (etag is None or (if_match != "*" and if_match != etag)):
        raise condition_not_met()
    if if_none_match and etag is not None and (if_none_match == "*" or if_none_match == etag):
        raise condition_not_met()


def _new_path(account: str, fs: str, path: str, kind: str, now: float, owner: str | None) -> dict:
    return {"account": account, "fs": fs, "name": path, "kind": kind, "created": now, "modified": now,
            "etag": new_etag(), "length": 0, "blob": None, "staged": [], "metadata": {}, "headers": {},
            "owner": owner or DEFAULT_GROUP, "group": DEFAULT_GROUP,
            "permissions": DIR_PERMISSIONS if kind == "directory" else FILE_PERMISSIONS, "acl": None}


def save_path(tx: Tx, doc: dict, now: float | None = None) -> dict:
    if now is not None:
        doc["modified"], doc["etag"] = now, new_etag()
    tx.put(PATHS, path_key(doc["account"], doc["fs"], doc["name"]), doc)
    return doc


def ensure_parents(tx: Tx, account: str, fs: str, path: str, now: float, owner: str | None) -> None:
    """HNS creates missing parent directories implicitly; a parent that is a file is a conflict."""
    parts = path.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        parent = "/".join(parts[:i])
        doc = get_path(tx, account, fs, parent)
        if doc is None:
            save_path(tx, _new_path(account, fs, parent, "directory", now, owner))
        elif doc["kind"] != "directory":
            raise PathConflict("The specified path, or an element of the path, exists and its "
                               "resource type is invalid for this operation.")


def create_path(tx: Tx, content: Content, account: str, fs: str, path: str, kind: str, now: float,
                owner: str | None, *, metadata: dict | None = None, headers: dict | None = None,
                if_match: str | None = None, if_none_match: str | None = None) -> dict:
    require_fs(tx, account, fs, True)
    if not path:
        raise InvalidResourceName("The specifed resource name contains invalid characters.")
    if len(path) > 1024:
        raise OutOfRangeInput("The specified resource name length is not within the permissible limits.")
    existing = get_path(tx, account, fs, path)
    if existing is not None and if_none_match == "*":
        raise PathAlreadyExists("The specified path already exists.")
    check_conditions(existing, if_match, if_none_match)
    if existing is not None and existing["kind"] != kind:
        raise PathConflict("The specified path, or an element of the path, exists and its resource "
                           "type is invalid for this operation.")
    ensure_parents(tx, account, fs, path, now, owner)
    doc = _new_path(account, fs, path, kind, now, owner)
    if existing is not None:
        # re-creating replaces properties and (for a file) content; a directory keeps its children
        doc["created"], doc["owner"], doc["group"] = existing["created"], existing["owner"], existing["group"]
        leases.carry(existing, doc, now)
        content.delete(account, existing["blob"], *[c["id"] for c in existing["staged"]])
    doc["metadata"], doc["headers"] = dict(metadata or {}), dict(headers or {})
    return save_path(tx, doc)


def require_file(tx: Tx, account: str, fs: str, path: str) -> dict:
    doc = require_path(tx, account, fs, path, True)
    if doc["kind"] != "file":
        raise PathConflict("The specified path, or an element of the path, exists and its resource "
                           "type is invalid for this operation.")
    return doc


def append(tx: Tx, account: str, fs: str, path: str, position: int, chunk_id: str, length: int) -> dict:
    doc = require_file(tx, account, fs, path)
    if position < doc["length"]:
        raise InvalidFlushPosition("The uploaded data is not contiguous or the position query "
                                   "parameter value is not equal to the length of the file after "
                                   "appending the uploaded data.")
    doc["staged"].append({"pos": position, "len": length, "id": chunk_id})
    return save_path(tx, doc)


def flush(tx: Tx, content: Content, account: str, fs: str, path: str, position: int, now: float, *,
          retain: bool = False, headers: dict | None = None, if_match: str | None = None,
          if_none_match: str | None = None) -> dict:
    """Commit staged chunks that exactly cover [length, position) into a new version of the file."""
    doc = require_file(tx, account, fs, path)
    check_conditions(doc, if_match, if_none_match)
    latest: dict[int, dict] = {}
    for chunk in doc["staged"]:  # a later append at the same position replaces an earlier one
        latest[chunk["pos"]] = chunk
    cursor, used = doc["length"], []
    while cursor < position and cursor in latest:
        used.append(latest[cursor])
        cursor += latest[cursor]["len"]
    if cursor != position:
        raise InvalidFlushPosition("The uploaded data is not contiguous or the position query "
                                   "parameter value is not equal to the length of the file after "
                                   "appending the uploaded data.")
    old_blob = doc["blob"]
    if used:
        doc["blob"] = content.compose(account, old_blob, doc["length"], [c["id"] for c in used])
    used_ids = {c["id"] for c in used}
    keep = [c for c in doc["staged"] if retain and c["id"] not in used_ids and c["pos"] >= position]
    drop = [c["id"] for c in doc["staged"] if c not in keep]
    doc["staged"], doc["length"] = keep, position
    if headers:
        doc["headers"] = {**doc["headers"], **headers}
    save_path(tx, doc, now)
    content.delete(account, *drop, old_blob if used else None)
    return doc


def _drop_paths(tx: Tx, content: Content, account: str, docs: Iterable[dict]) -> None:
    for d in docs:
        content.delete(account, d["blob"], *[c["id"] for c in d["staged"]])
        tx.delete(PATHS, path_key(account, d["fs"], d["name"]))


def delete_path(tx: Tx, content: Content, account: str, fs: str, path: str, recursive: bool, dfs: bool,
                if_match: str | None = None, if_none_match: str | None = None) -> None:
    doc = require_path(tx, account, fs, path, dfs)
    check_conditions(doc, if_match, if_none_match)
    children = descendants(tx, account, fs, path) if doc["kind"] == "directory" else []
    if children and not recursive:
        raise DirectoryNotEmpty("The recursive query parameter value must be true to delete a "
                                "non-empty directory.")
    _drop_paths(tx, content, account, [doc, *children])


def rename(tx: Tx, content: Content, account: str, src_fs: str, src: str, dst_fs: str, dst: str, now: float,
           *, if_none_match: str | None = None, source_if_match: str | None = None) -> dict:
    require_fs(tx, account, dst_fs, True)
    if get_fs(tx, account, src_fs) is None:
        raise SourcePathNotFound("The source path for a rename operation does not exist.")
    doc = get_path(tx, account, src_fs, src) if src else None
    if doc is None:
        raise SourcePathNotFound("The source path for a rename operation does not exist.")
    check_conditions(doc, source_if_match, None)
    if (src_fs, src) == (dst_fs, dst):
        return doc
    if src_fs == dst_fs and dst.startswith(src + "/"):
        raise InvalidDestinationPath("The specified path, or an element of the path, is invalid: the "
                                     "destination lies inside the source directory.")
    parent = dst.rsplit("/", 1)[0] if "/" in dst else ""
    if parent and (get_path(tx, account, dst_fs, parent) or {}).get("kind") != "directory":
        raise RenameDestinationParentPathNotFound("The parent directory of the destination path does not exist.")
    target = get_path(tx, account, dst_fs, dst)
    if target is not None:
        if if_none_match == "*" or target["kind"] == "directory" or doc["kind"] == "directory":
            raise PathAlreadyExists("The specified path already exists.")
        _drop_paths(tx, content, account, [target])
    moving = [doc, *(descendants(tx, account, src_fs, src) if doc["kind"] == "directory" else [])]
    for d in moving:
        tx.delete(PATHS, path_key(account, src_fs, d["name"]))
    for d in moving:
        d["fs"], d["name"] = dst_fs, dst + d["name"][len(src):]
        save_path(tx, d)
    doc["modified"] = now
    return save_path(tx, doc)


def list_paths(tx: Tx, account: str, fs: str, directory: str, recursive: bool) -> list[dict]:
    require_fs(tx, account, fs, True)
    if directory:
        base = get_path(tx, account, fs, directory)
        if base is None:
            raise path_not_found(True)
        if base["kind"] == "file":  # listing a file lists that file
            return [base]
    docs = descendants(tx, account, fs, directory)
    if not recursive:
        depth = directory.count("/") + 1 if directory else 0
        docs = [d for d in docs if d["name"].count("/") == depth]
    return sorted(docs, key=lambda d: sort_key(d["name"]))


def put_file(tx: Tx, account: str, fs: str, path: str, blob_id: str | None, length: int, now: float,
             owner: str | None, *, metadata: dict | None = None, headers: dict | None = None,
             hns: bool = True) -> tuple[dict, list]:
    """Write a whole file (Put Blob, Copy Blob); returns the doc and blob ids the caller must delete.

    Only a hierarchical account makes the parent directories; a flat one has just names with slashes.
    """
    require_fs(tx, account, fs, False)
    existing = get_path(tx, account, fs, path)
    if existing is not None and existing["kind"] == "directory":
        raise PathConflict("The specified path, or an element of the path, exists and its resource "
                           "type is invalid for this operation.")
    if hns:
        ensure_parents(tx, account, fs, path, now, owner)
    doc = _new_path(account, fs, path, "file", now, owner)
    if existing is not None:
        doc["created"], doc["owner"] = existing["created"], existing["owner"]
        leases.carry(existing, doc, now)
    doc.update(blob=blob_id, length=length, metadata=dict(metadata or {}), headers=dict(headers or {}))
    save_path(tx, doc)
    stale = [existing["blob"], *[c["id"] for c in existing["staged"]]] if existing else []
    return doc, stale
