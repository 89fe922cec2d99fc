"""Persistent emulator state: a SQLite key/value store under the state directory, safe for several processes.

Every request runs in one transaction (`BEGIN IMMEDIATE` for writes), so two azlake processes sharing a
state directory see each other's changes and never interleave half-written state.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (
    collection TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (collection, key)
);
CREATE TABLE IF NOT EXISTS requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ts REAL NOT NULL,
    method TEXT NOT NULL,
    service TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER NOT NULL,
    code TEXT
);
"""


class Tx:
    """One transaction's view of the store. Keys are compared exactly; callers normalise case."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get(self, collection: str, key: str) -> Any | None:
        row = self._conn.execute("SELECT value FROM kv WHERE collection=? AND key=?", (collection, key)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, collection: str, key: str, value: Any) -> None:
        self._conn.execute("INSERT OR REPLACE INTO kv(collection, key, value) VALUES (?,?,?)",
                           (collection, key, json.dumps(value)))

    def delete(self, collection: str, key: str) -> bool:
        cur = self._conn.execute("DELETE FROM kv WHERE collection=? AND key=?", (collection, key))
        return cur.rowcount > 0

    def delete_prefix(self, collection: str, prefix: str) -> int:
        cur = self._conn.execute("DELETE FROM kv WHERE collection=? AND key>=? AND key<?",
                                 (collection, prefix, prefix + "\U0010ffff"))
        return cur.rowcount

    def items(self, collection: str, prefix: str = "") -> list[tuple[str, Any]]:
        rows = self._conn.execute(
            "SELECT key, value FROM kv WHERE collection=? AND key>=? AND key<? ORDER BY key",
            (collection, prefix, prefix + "\U0010ffff")).fetchall()
        return [(k, json.loads(v)) for k, v in rows]

    def values(self, collection: str, prefix: str = "") -> list[Any]:
        return [v for _, v in self.items(collection, prefix)]

    def count(self, collection: str, prefix: str = "") -> int:
        row = self._conn.execute("SELECT COUNT(*) FROM kv WHERE collection=? AND key>=? AND key<?",
                                 (collection, prefix, prefix + "\U0010ffff")).fetchone()
        return int(row[0])


class Store:
    """The emulator's state directory: `emulator.db` (SQLite) and `blobs/` (file contents)."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = Path(state_dir)
        if not self.state_dir.exists():
            # the emulated cloud keeps what Azure keeps, cluster gateway passwords included: owner only
            self.state_dir.mkdir(parents=True)
            self.state_dir.chmod(0o700)
        self.blob_dir = self.state_dir / "blobs"
        self.blob_dir.mkdir(exist_ok=True)
        self.db_path = self.state_dir / "emulator.db"
        self._local = threading.local()
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db_path, timeout=60, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    @contextmanager
    def tx(self, write: bool = True) -> Iterator[Tx]:
        conn = self._conn()
        if getattr(self._local, "depth", 0):
            # nested use inside one request shares the open transaction
            yield Tx(conn)
            return
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        self._local.depth = 1
        try:
            yield Tx(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
        finally:
            self._local.depth = 0

    def log_request(self, method: str, service: str, url: str, status: int, code: str | None) -> None:
        self._conn().execute("INSERT INTO requests(ts, method, service, url, status, code) VALUES (?,?,?,?,?,?)",
                             (time.time(), method, service, url, status, code))

    def request_log(self, since_seq: int = 0) -> list[dict]:
        rows = self._conn().execute(
            "SELECT seq, ts, method, service, url, status, code FROM requests WHERE seq>? ORDER BY seq",
            (since_seq,)).fetchall()
        return [dict(zip(("seq", "ts", "method", "service", "url", "status", "code"), r)) for r in rows]

    def last_request_seq(self) -> int:
        row = self._conn().execute("SELECT COALESCE(MAX(seq), 0) FROM requests").fetchone()
        return int(row[0])

    def reset(self) -> None:
        conn = self._conn()
        conn.execute("DELETE FROM kv")
        conn.execute("DELETE FROM requests")
        for path in sorted(self.blob_dir.rglob("*"), reverse=True):
            if path.is_file():
                path.unlink()
            else:
                path.rmdir()
