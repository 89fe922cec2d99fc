"""Persistent emulator state: a SQLite key/value store under the state directory, safe for several processes.

Every request runs in one transaction (`BEGIN IMMEDIATE` for writes), so two azlake processes sharing a
state directory see each other's changes and never interleave half-written state.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from azlake.errors import AzlakeError

DB_NAME = "emulator.db"
MARKER = ".emulator-state"  # written with the database: its absence later means it was lost, not never made
PRIVATE_FILE = 0o600  # the state holds what Azure holds, gateway passwords included

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


def env_number(name: str, example: str) -> float | None:
    """A number from the environment, or None when unset; anything else is the user's to fix, said so."""
    raw = os.environ.get(name, "")
    if raw == "":
        return None
    try:
        return float(raw)
    except ValueError:
        raise AzlakeError(f"{name}={raw!r} is not a number",
                          hint=f"set it to a number ({example}), or unset it") from None


def busy_timeout() -> float:
    """Seconds a command waits for another process's transaction before saying the state is locked."""
    seconds = env_number("AZLAKE_STATE_BUSY_TIMEOUT", "60, the default, waits a minute")
    return 60.0 if seconds is None else max(0.0, seconds)


class StateError(AzlakeError):
    """The local cloud's state cannot be used: says which folder, what happened and what to do."""


def state_error(state_dir: Path, exc: BaseException) -> StateError:
    """A SQLite or file-system failure of the state, in words, naming the folder and the next step."""
    text = str(exc).lower()
    where = f"the local cloud's state in {state_dir}"
    reset = f"azlake emulator reset --yes --state-dir {state_dir}"
    if "locked" in text or "busy" in text:
        return StateError(f"{where} is locked by another azlake process", code="StateLocked",
                          hint="wait for the other command (or the emulator serve) to finish, or stop it; "
                               "then run the same command again")
    if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        return StateError(f"{where} cannot be written (read-only file or folder)", code="StateReadOnly",
                          hint=f"make the folder and its files writable for you (chmod -R u+rwX {state_dir}), "
                               "or point --state-dir at another folder")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StateError(f"{where} is damaged: {DB_NAME} is not a readable SQLite database", code="StateDamaged",
                          detail="it was truncated or overwritten; what it held cannot be read back",
                          hint=f"start an empty local cloud with: {reset}")
    if "unable to open" in text or "no such table" in text or isinstance(exc, FileNotFoundError) or "disk i/o" in text:
        return StateError(f"{where} disappeared or cannot be opened while azlake was using it", code="StateGone",
                          hint="check that the folder still exists and is yours, then run the same command "
                               "again (it starts an empty local cloud if the folder is gone)")
    return StateError(f"{where} cannot be used: {type(exc).__name__}: {exc}",
                      hint=f"check the folder's files and permissions; {reset} starts an empty local cloud")


class Store:
    """The emulator's state directory: `emulator.db` (SQLite) and `blobs/` (file contents)."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = Path(state_dir)
        self.db_path = self.state_dir / DB_NAME
        self.blob_dir = self.state_dir / "blobs"
        self._local = threading.local()
        try:
            self._open()
        except (sqlite3.Error, OSError) as exc:
            raise state_error(self.state_dir, exc) from None

    def _open(self) -> None:
        if not self.state_dir.exists():
            # the emulated cloud keeps what Azure keeps, cluster gateway passwords included: owner only
            self.state_dir.mkdir(parents=True)
            self.state_dir.chmod(0o700)
        self.blob_dir.mkdir(exist_ok=True)
        self.blob_dir.chmod(0o700)  # lake files: the owner's, whatever the state folder's mode
        if self.db_path.exists() and self.db_path.stat().st_size == 0:
            # SQLite takes an empty file for a new database: the cloud would silently be empty
            raise StateError(f"the local cloud's state in {self.state_dir} is empty: {DB_NAME} has 0 bytes",
                             code="StateEmpty",
                             detail="it was truncated; the resources it recorded are unknown now",
                             hint=f"start an empty local cloud with: azlake emulator reset --yes --state-dir "
                                  f"{self.state_dir}")
        if not self.db_path.exists():
            if (self.state_dir / MARKER).exists() or any(self.blob_dir.iterdir()):
                # the database was made here once and is gone: an empty cloud now would be a silent lie
                raise StateError(f"the local cloud's state in {self.state_dir} lost its {DB_NAME} (deleted "
                                 "while the rest of the state is still there)", code="StateGone",
                                 hint=f"restore {DB_NAME} if you have a copy; else start an empty local cloud "
                                      f"with: azlake emulator reset --yes --state-dir {self.state_dir}")
            self._create_db()
        for path in self._db_files():
            if path.exists() and path.stat().st_mode & 0o777 != PRIVATE_FILE:
                path.chmod(PRIVATE_FILE)
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    def _create_db(self) -> None:
        """A new database, owner-only from its first byte, appearing whole under its name (a rename)."""
        fresh = self.state_dir / f".{DB_NAME}.{os.getpid()}.new"
        os.close(os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE))
        conn = sqlite3.connect(fresh)
        try:
            conn.executescript(_SCHEMA)
        finally:
            conn.close()
        os.replace(fresh, self.db_path)
        (self.state_dir / MARKER).write_text("azlake local cloud state: emulator.db belongs here\n")

    def _db_files(self) -> list[Path]:
        return [self.db_path, self.db_path.with_name(DB_NAME + "-wal"), self.db_path.with_name(DB_NAME + "-shm")]

    def _connect(self) -> sqlite3.Connection:
        old = os.umask(0o077)  # SQLite creates -wal and -shm itself: owner-only whatever the umask
        try:
            conn = sqlite3.connect(self.db_path, timeout=busy_timeout(), isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        finally:
            os.umask(old)
        return conn

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    @contextmanager
    def tx(self, write: bool = True) -> Iterator[Tx]:
        if getattr(self._local, "depth", 0):
            # nested use inside one request shares the open transaction
            yield Tx(self._local.conn)
            return
        try:
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.Error as exc:
            raise state_error(self.state_dir, exc) from None
        self._local.depth = 1
        try:
            yield Tx(conn)
        except sqlite3.Error as exc:
            _rollback(conn)
            raise state_error(self.state_dir, exc) from None
        except BaseException:
            _rollback(conn)
            raise
        else:
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                _rollback(conn)
                raise state_error(self.state_dir, exc) from None
        finally:
            self._local.depth = 0

    def log_request(self, method: str, service: str, url: str, status: int, code: str | None) -> None:
        try:
            self._conn().execute("INSERT INTO requests(ts, method, service, url, status, code) "
                                 "VALUES (?,?,?,?,?,?)", (time.time(), method, service, url, status, code))
        except sqlite3.Error as exc:
            raise state_error(self.state_dir, exc) from None

    def request_log(self, since_seq: int = 0) -> list[dict]:
        try:
            rows = self._conn().execute(
                "SELECT seq, ts, method, service, url, status, code FROM requests WHERE seq>? ORDER BY seq",
                (since_seq,)).fetchall()
        except sqlite3.Error as exc:
            raise state_error(self.state_dir, exc) from None
        return [dict(zip(("seq", "ts", "method", "service", "url", "status", "code"), r)) for r in rows]

    def last_request_seq(self) -> int:
        row = self._conn().execute("SELECT COALESCE(MAX(seq), 0) FROM requests").fetchone()
        return int(row[0])

    @staticmethod
    def discard(state_dir: Path) -> None:
        """Remove a damaged or empty state (database and lake files) so that an empty one can start."""
        state_dir = Path(state_dir)
        for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", MARKER):
            (state_dir / name).unlink(missing_ok=True)
        blobs = state_dir / "blobs"
        for path in sorted(blobs.rglob("*"), reverse=True) if blobs.is_dir() else []:
            path.unlink() if path.is_file() or path.is_symlink() else path.rmdir()

    def reset(self) -> None:
        conn = self._conn()
        conn.execute("DELETE FROM kv")
        conn.execute("DELETE FROM requests")
        for path in sorted(self.blob_dir.rglob("*"), reverse=True):
            if path.is_file():
                path.unlink()
            else:
                path.rmdir()


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # the transaction is gone with the failure that is being reported
