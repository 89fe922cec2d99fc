"""Container soft delete: a deleted filesystem is kept, restorable, for the blob service's retention days.

The retention policy is the account's `containerDeleteRetentionPolicy` (ARM blob service properties, set by
azlake from `protection.soft_delete_days`). A kept filesystem's paths move under a hidden name
"<fs>$<version>" (never a valid filesystem name), so they neither list nor collide with a new one.
"""

from __future__ import annotations

from azlake.emulator.core.clock import Clock
from azlake.emulator.core.store import Tx
from azlake.emulator.datalake import models
from azlake.emulator.datalake.content import Content
from azlake.emulator.datalake.errors import ContainerAlreadyExists, ContainerNotFound
from azlake.emulator.storage.models import blob_service

DELETED = "datalake_deleted_fs"
DAY = 86400.0


def retention_days(tx: Tx, account: dict) -> int | None:
    policy = (blob_service(tx, account).get("properties") or {}).get("containerDeleteRetentionPolicy") or {}
    return int(policy["days"]) if policy.get("enabled") and policy.get("days") else None


def _hidden(name: str, version: str) -> str:
    return f"{name}${version}"


def _move_paths(tx: Tx, account: str, src_fs: str, dst_fs: str) -> None:
    for d in tx.values(models.PATHS, models.path_key(account, src_fs, "")):
        tx.delete(models.PATHS, models.path_key(account, src_fs, d["name"]))
        d["fs"] = dst_fs
        models.save_path(tx, d)


def remaining_days(clock: Clock, doc: dict) -> float:
    return doc["retention_days"] - clock.elapsed_nominal(doc["deleted"]) / DAY


def delete_filesystem(tx: Tx, content: Content, clock: Clock, account: dict, name: str, dfs: bool) -> None:
    """Delete a filesystem: kept for the retention days when container soft delete is on, else gone."""
    account_name = account["name"].lower()
    _purge_expired(tx, content, clock, account_name)
    days = retention_days(tx, account)
    if not days:
        models.delete_fs(tx, content, account_name, name, dfs)
        return
    doc = models.require_fs(tx, account_name, name, dfs)
    version = f"{int(clock.now() * 1_000_000):016X}"
    _move_paths(tx, account_name, name, _hidden(name, version))
    doc.update(deleted=clock.now(), version=version, retention_days=days)
    tx.put(DELETED, f"{account_name}/{name}/{version}", doc)
    tx.delete(models.FS, models.fs_key(account_name, name))


def list_deleted(tx: Tx, clock: Clock, account: str, prefix: str = "") -> list[dict]:
    return [d for d in tx.values(DELETED, f"{account}/{prefix}") if remaining_days(clock, d) > 0]


def restore(tx: Tx, clock: Clock, account: str, deleted_name: str, version: str, new_name: str) -> dict:
    doc = tx.get(DELETED, f"{account}/{deleted_name}/{version}")
    if doc is None or remaining_days(clock, doc) <= 0:
        raise ContainerNotFound("The specified container does not exist.")
    if models.get_fs(tx, account, new_name) is not None:
        raise ContainerAlreadyExists("The specified container already exists.")
    _move_paths(tx, account, _hidden(deleted_name, version), new_name)
    for key in ("deleted", "version", "retention_days"):
        doc.pop(key)
    doc["name"] = new_name
    tx.delete(DELETED, f"{account}/{deleted_name}/{version}")
    return models.save_fs(tx, doc, clock.now())


def _purge_expired(tx: Tx, content: Content, clock: Clock, account: str) -> None:
    for key, doc in tx.items(DELETED, f"{account}/"):
        if remaining_days(clock, doc) <= 0:
            hidden = _hidden(doc["name"], doc["version"])
            for d in tx.values(models.PATHS, models.path_key(account, hidden, "")):
                content.delete(account, d["blob"], *[c["id"] for c in d["staged"]])
                tx.delete(models.PATHS, models.path_key(account, hidden, d["name"]))
            tx.delete(DELETED, key)


def drop_account(tx: Tx, account: str) -> None:
    tx.delete_prefix(DELETED, f"{account}/")
