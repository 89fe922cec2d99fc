"""A job script stays in the environment's folder tree: `run` never uploads a file from elsewhere to the lake."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SECRET = "-----BEGIN OPENSSH PRIVATE KEY----- s3cr3t-key-material-0123"
SCRIPT_LINE = 41  # `script: jobs/reporte.py` in environments/practice.yaml


def azlake(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": "true"}
    result = subprocess.run([sys.executable, "-m", "azlake", *args], env=env, capture_output=True, text=True,
                            timeout=60)  # a hang (a FIFO read) fails the test instead of blocking the suite
    result.out = result.stdout + result.stderr
    return result


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "outside" / "id_rsa"
    path.parent.mkdir()
    path.write_text(SECRET + "\n")
    return path


def with_script(cli, value: str):
    practice = cli.folder / "practice.yaml"
    text = practice.read_text()
    assert "script: jobs/reporte.py" in text
    practice.write_text(text.replace("script: jobs/reporte.py", f"script: {value}"))
    return practice


def refused(cli, value: str, words: str) -> str:
    result = azlake("validate", str(with_script(cli, value)))
    assert result.returncode == 1, result.out
    assert f"practice.yaml:{SCRIPT_LINE}" in result.out and "jobs.reporte.script" in result.out, result.out
    assert words in result.out, result.out
    assert SECRET not in result.out and "s3cr3t" not in result.out
    assert "Traceback" not in result.out
    return result.out


def test_an_absolute_or_home_path_is_refused(cli, secret_file):
    out = refused(cli, str(secret_file), "takes a path relative to this file")
    assert "copy it there" in out  # what to do
    practice = cli.folder / "practice.yaml"
    practice.write_text(practice.read_text().replace(f"script: {secret_file}", "script: ~/.ssh/id_rsa"))
    result = azlake("validate", str(practice))
    assert result.returncode == 1 and "takes a path relative to this file" in result.out, result.out


def test_dotdot_out_of_the_tree_is_refused(cli, secret_file):
    refused(cli, "../outside/id_rsa", "leads out of")


def test_a_symlink_leading_out_is_refused(cli, secret_file):
    (cli.folder / "jobs" / "leak.py").symlink_to(secret_file)
    refused(cli, "jobs/leak.py", "leads out of")


def test_a_symlinked_folder_leading_out_is_refused(cli, secret_file):
    (cli.folder / "jobs" / "elsewhere").symlink_to(secret_file.parent, target_is_directory=True)
    refused(cli, "jobs/elsewhere/id_rsa", "leads out of")


def test_fifos_devices_and_oversized_scripts_are_refused_unread(cli):
    os.mkfifo(cli.folder / "jobs" / "pipe.py")
    refused(cli, "jobs/pipe.py", "named pipe")
    (cli.folder / "jobs" / "zero.py").symlink_to("/dev/zero")
    practice = cli.folder / "practice.yaml"
    practice.write_text(practice.read_text().replace("script: jobs/pipe.py", "script: jobs/zero.py"))
    result = azlake("validate", str(practice))
    assert result.returncode == 1 and "leads out of" in result.out, result.out  # a device is outside anyway
    with open(cli.folder / "jobs" / "huge.jar", "wb") as fh:
        fh.truncate(300 * 1024**2)  # 300 MiB, sparse
    practice.write_text(practice.read_text().replace("script: jobs/zero.py", "script: jobs/huge.jar"))
    result = azlake("validate", str(practice))
    assert result.returncode == 1 and "more than a job script may have" in result.out, result.out
    assert "MemoryError" not in result.out


def test_scripts_below_the_folder_and_links_inside_it_still_work(cli):
    (cli.folder / "jobs" / "reportes").mkdir()
    (cli.folder / "jobs" / "reporte.py").rename(cli.folder / "jobs" / "reportes" / "reporte.py")
    (cli.folder / "jobs" / "latest.py").symlink_to(cli.folder / "jobs" / "reportes" / "reporte.py")
    result = azlake("validate", str(with_script(cli, "jobs/reportes/reporte.py")))
    assert result.returncode == 0, result.out
    practice = cli.folder / "practice.yaml"
    practice.write_text(practice.read_text().replace("script: jobs/reportes/reporte.py", "script: jobs/latest.py"))
    assert azlake("validate", str(practice)).returncode == 0


def test_run_refuses_before_any_request(cli, lake_clients, secret_file):
    (cli.folder / "jobs" / "leak.py").symlink_to(secret_file)
    with_script(cli, "jobs/leak.py")
    since = len(lake_clients.emulator.request_log())
    result = cli("run", "practice", "reporte")
    text = result.output + result.error
    assert result.exit_code == 1, text
    assert "jobs.reporte.script" in text and "leads out of" in text, text
    assert SECRET not in text
    assert lake_clients.emulator.request_log(since) == []  # nothing created, nothing uploaded
