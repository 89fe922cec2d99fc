"""Files azlake reads are the ones it should: extends stays in the tree, nothing is echoed, nothing hangs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SECRET = "s3cr3t-hash-$6$abcdef"


def azlake(*args: str, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": "true", "AZLAKE_EMULATOR_TIME_SCALE": "0.0005"}
    result = subprocess.run([sys.executable, "-m", "azlake", *args], env=env, capture_output=True, text=True,
                            timeout=60, cwd=cwd)  # a hang fails the test instead of blocking the suite
    result.out = result.stdout + result.stderr  # validate reports on stdout, other commands on stderr
    return result


def with_extends(cli, value: str):
    practice = cli.folder / "practice.yaml"
    practice.write_text(practice.read_text().replace("extends: _company.yaml", f"extends: {value}"))
    return practice


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "outside" / "shadow"
    path.parent.mkdir()
    path.write_text(f"root:{SECRET}:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n")
    return path


def test_extends_of_an_absolute_path_is_refused_without_reading_it(cli, secret_file):
    result = azlake("validate", str(with_extends(cli, str(secret_file))))
    assert result.returncode == 1 and "relative to this file" in result.out
    assert SECRET not in result.out


def test_extends_out_of_the_tree_by_dotdot_or_symlink_is_refused(cli, secret_file):
    result = azlake("validate", str(with_extends(cli, "../outside/shadow")))
    assert result.returncode == 1 and "leads out of" in result.out, result.out
    assert SECRET not in result.out
    (cli.folder / "_link.yaml").symlink_to(secret_file)
    practice = cli.folder / "practice.yaml"
    practice.write_text(practice.read_text().replace("extends: ../outside/shadow", "extends: _link.yaml"))
    result = azlake("validate", str(practice))
    assert result.returncode == 1 and "leads out of" in result.out, result.out
    assert SECRET not in result.out


def test_extends_below_the_folder_still_works(cli):
    (cli.folder / "shared").mkdir()
    (cli.folder / "_company.yaml").rename(cli.folder / "shared" / "_company.yaml")
    result = azlake("validate", str(with_extends(cli, "shared/_company.yaml")))
    assert result.returncode == 0, result.out


def test_a_file_that_is_not_an_environment_is_never_echoed(cli, tmp_path):
    for name in ("_notes.yaml", "notes.yaml"):
        (cli.folder / name).write_text(f"root: {SECRET}\napi_token: {SECRET}\n")
    for path in (str(with_extends(cli, "_notes.yaml")), str(cli.folder / "notes.yaml")):
        result = azlake("validate", path)
        text = result.out
        assert result.returncode == 1 and "not an azlake environment file" in text, text
        assert SECRET not in text and "api_token" not in text


def test_fifos_devices_and_oversized_files_are_refused_not_read(cli, tmp_path, password):
    fifo = tmp_path / "env.yaml"
    os.mkfifo(fifo)
    plan = azlake("plan", str(fifo), "--cloud", "local", "--state-dir", str(tmp_path / "state"))
    assert plan.returncode == 1 and "named pipe" in plan.out, plan.out
    assert "named pipe" in azlake("validate", str(fifo)).out
    zero = azlake("validate", "/dev/zero")
    assert zero.returncode == 1 and "character device" in zero.out and "MemoryError" not in zero.out
    (cli.folder / "_zero.yaml").symlink_to("/dev/zero")
    dev = azlake("validate", str(with_extends(cli, "_zero.yaml")))
    assert dev.returncode == 1 and "leads out of" in dev.out  # a device is outside the tree anyway
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.truncate(3 * 1024**3)  # 3 GiB, sparse
    result = azlake("validate", str(big))
    assert result.returncode == 1 and "more than an environment file may have" in result.out, result.out
    os.mkfifo(cli.folder / "pipe.yaml")
    folder = azlake("validate", str(cli.folder))  # a FIFO among the files of a folder does not hang it
    assert "Traceback" not in folder.out


PRIVATE = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n"


@pytest.mark.parametrize("content, words", [
    (PRIVATE, "private key"),
    ("ssh-ed25519 " + "A" * 40000 + " me@host\n", "more than a public key"),
    ("just some text that is no key\n", "not an OpenSSH public key"),
    ("ssh-ed25519 AAAA!!notbase64 me\n", "not base64"),
])
def test_ssh_public_key_must_be_a_public_key_of_sane_size(cli, content, words):
    (cli.folder / "id.pub").write_text(content)
    practice = cli.folder / "practice.yaml"
    practice.write_text(practice.read_text().replace(
        "ssh: {username: adminssh, password: same-as-login}", "ssh: {username: adminssh, public_key: id.pub}"))
    result = azlake("validate", str(practice))
    assert result.returncode == 1 and words in result.out, result.out
    assert "cluster.ssh.public_key" in result.out
    assert content.strip()[:30] not in result.out  # the file's content is never echoed


def test_ssh_public_key_file_that_is_a_fifo_is_refused(cli):
    os.mkfifo(cli.folder / "id.pub")
    practice = cli.folder / "practice.yaml"
    practice.write_text(practice.read_text().replace(
        "ssh: {username: adminssh, password: same-as-login}", "ssh: {username: adminssh, public_key: id.pub}"))
    result = azlake("validate", str(practice))
    assert result.returncode == 1 and "named pipe" in result.out, result.out
