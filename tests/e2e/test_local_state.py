"""The local state is private and explains itself: modes, damaged or missing files, odd paths and ports."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading

import pytest

STATE_FILES = ("emulator.db", "emulator.db-wal", "emulator.db-shm")


def azlake(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": "true", "AZLAKE_EMULATOR_TIME_SCALE": "0.0005",
           "AZLAKE_EMULATOR_ROLE_PROPAGATION": "0", **(env_extra or {})}
    env.pop("AZLAKE_STATE_DIR", None)
    result = subprocess.run([sys.executable, "-m", "azlake", *args], env=env, capture_output=True, text=True,
                            timeout=120)
    result.out = result.stdout + result.stderr
    return result


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def practice(cli):
    return str(cli.folder / "practice.yaml")


def test_secret_holding_files_are_owner_only_whatever_the_folder_and_umask(practice, tmp_path):
    state = tmp_path / "open-folder"
    state.mkdir(mode=0o777)
    state.chmod(0o777)  # a folder made by someone else, open to all
    old = os.umask(0)
    try:
        assert azlake("apply", practice, "--auto-approve", "--cloud", "local", "--state-dir", str(state)).returncode == 0
    finally:
        os.umask(old)
    for name in STATE_FILES:
        if (state / name).exists():
            assert mode(state / name) == 0o600, name
    assert mode(state / "blobs") == 0o700  # lake files: not reachable by others
    key = state / "emulator-key.pem"
    from azlake.emulator.core.server import ensure_certificate
    key.write_text("old")
    key.chmod(0o644)
    (state / "emulator-ca.pem").write_text("x")
    (state / "emulator-cert.pem").write_text("x")
    ensure_certificate(state)
    assert mode(key) == 0o600


def test_empty_damaged_and_lost_state_files_are_explained(practice, tmp_path):
    state = tmp_path / "state"
    assert azlake("apply", practice, "--auto-approve", "--cloud", "local", "--state-dir", str(state)).returncode == 0
    db = state / "emulator.db"
    for damage, words in ((lambda: db.write_bytes(b""), "has 0 bytes"),
                          (lambda: db.write_bytes(b"this is not sqlite" * 100), "is damaged"),
                          (lambda: db.unlink(), "lost its emulator.db")):
        for name in STATE_FILES[1:]:
            (state / name).unlink(missing_ok=True)
        damage()
        result = azlake("plan", practice, "--cloud", "local", "--state-dir", str(state))
        assert result.returncode == 1 and words in result.out, result.out
        assert str(state) in result.out and "azlake emulator reset" in result.out
        assert "DatabaseError" not in result.out and "unexpected" not in result.out
        reset = azlake("emulator", "reset", "--yes", "--state-dir", str(state))
        assert reset.returncode == 0, reset.out
        fresh = azlake("plan", practice, "--cloud", "local", "--state-dir", str(state))
        assert fresh.returncode == 0 and "20 to create" in fresh.out, fresh.out
        assert azlake("apply", practice, "--auto-approve", "--cloud", "local", "--state-dir", str(state)).returncode == 0


def test_a_locked_state_names_the_folder(practice, tmp_path):
    from azlake.emulator.core.store import Store
    state = tmp_path / "state"
    Store(state)  # a local cloud exists there (plan alone never creates one)
    holder = sqlite3.connect(state / "emulator.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process in the middle of a write
    holder.execute("INSERT INTO kv VALUES ('held', 'by', '1')")
    try:
        result = azlake("plan", practice, "--cloud", "local", "--state-dir", str(state),
                        env_extra={"AZLAKE_STATE_BUSY_TIMEOUT": "0.5"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1 and "is locked by another azlake process" in result.out, result.out
    assert str(state) in result.out and "Traceback" not in result.out


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway")
def test_a_read_only_state_says_so(practice, tmp_path):
    from azlake.emulator.core.store import Store
    state = tmp_path / "state"
    Store(state)
    (state / "emulator.db").chmod(0o400)
    result = azlake("apply", practice, "--auto-approve", "--cloud", "local", "--state-dir", str(state))
    assert result.returncode == 1 and "cannot be written" in result.out and "chmod" in result.out, result.out


def test_a_state_that_vanishes_while_in_use_is_a_message(tmp_path):
    from azlake.emulator.core.store import StateError, Store
    state = tmp_path / "state"
    store = Store(state)
    for path in sorted(state.rglob("*"), reverse=True):  # SQLite may drop its -wal/-shm files meanwhile
        path.unlink(missing_ok=True) if not path.is_dir() else path.rmdir()
    state.rmdir()
    caught: list[BaseException] = []

    def other_thread() -> None:  # a new connection, as each worker thread of apply opens
        try:
            with store.tx() as tx:
                tx.put("kv", "k", 1)
        except BaseException as exc:  # noqa: BLE001 - the test looks at what it is
            caught.append(exc)
    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert len(caught) == 1 and isinstance(caught[0], StateError), caught
    assert "disappeared" in caught[0].summary and str(state) in caught[0].summary


def test_odd_ports_outputs_and_paths_are_messages(practice, tmp_path):
    port = azlake("emulator", "serve", "--port", "99999", "--state-dir", str(tmp_path / "s"))
    assert port.returncode != 0 and "65535" in port.out and "OverflowError" not in port.out
    loop = tmp_path / "loop"
    loop.symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(loop)
    for args, words in (
        (("plan", practice, "--cloud", "local", "--state-dir", str(tmp_path / "s"), "--out", "/dev/full"),
         "is a device"),
        (("plan", practice, "--cloud", "local", "--state-dir", str(tmp_path / "s"), "--out", str(loop)),
         "loop of symbolic links"),
        (("plan", practice, "--cloud", "local", "--state-dir", str(loop)), "loop of symbolic links"),
        (("plan", str(loop), "--cloud", "local", "--state-dir", str(tmp_path / "s")), "loop of symbolic links"),
    ):
        result = azlake(*args)
        assert result.returncode == 1 and words in result.out, (args, result.out)
        assert "unexpected" not in result.out and "Traceback" not in result.out


@pytest.mark.parametrize("url, words", [("https://127.0.0.1:99999", "Port out of range"),
                                        ("https://127.0.0.1:abc", "not a valid URL"),
                                        ("127.0.0.1:8443", "must be https://<host>:<port>"),
                                        ("https://127.0.0.1:8443", "no emulator certificate authority")])
def test_a_wrong_emulator_url_is_a_message(practice, tmp_path, url, words):
    result = azlake("plan", practice, "--cloud", "local", "--state-dir", str(tmp_path / "s"),
                    env_extra={"AZLAKE_EMULATOR_URL": url})
    assert result.returncode == 1 and words in result.out, result.out
    assert "unexpected" not in result.out and "Failed to parse" not in result.out
