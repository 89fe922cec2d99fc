"""Messages that fit the case, through the CLI: each says what happened and the next step that fixes it."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

from e2e_support import interruptible
from test_cli_ux import answering
from typer.testing import CliRunner

from azlake.cli.main import app
from azlake.emulator import get_emulator

COMMANDS = [["validate"], ["schema"], ["plan"], ["apply"], ["destroy"], ["status"], ["cost"], ["run"], ["reap"],
            ["demo"], ["lake", "ls"], ["lake", "put"], ["lake", "get"], ["emulator", "serve"],
            ["emulator", "reset"], ["emulator", "log"]]


def invoke(*args: str):
    result = CliRunner().invoke(app, list(args))
    render = getattr(result.exception, "render", None)
    result.text = result.output + (render() if render else "")
    return result


def test_an_unset_password_says_to_export_it(cli, monkeypatch):
    monkeypatch.delenv("CLUSTER_PASSWORD")
    result = cli("plan", "practice")
    assert result.exit_code == 1
    assert result.error.startswith("environment variable CLUSTER_PASSWORD not set")
    assert "What to do: export CLUSTER_PASSWORD=... in this shell" in result.error
    assert "fix the file" not in result.error


def test_a_department_before_its_central_lake_says_to_apply_the_lake_first(cli):
    lake_file = cli.folder / "datalake.yaml"
    for command in (("plan",), ("apply", "--auto-approve")):
        result = cli(command[0], "ventas", *command[1:])
        assert result.exit_code == 1, result.output
        assert f"apply it first: azlake apply {lake_file}" in result.output
        assert f"What to do: apply the central lake first (azlake apply {lake_file})" in result.error
        assert "change the file" not in result.error


def test_apply_that_cannot_ask_refuses_before_the_lock_note(cli):
    result = cli("apply", "practice")  # no terminal, no --auto-approve, first apply (no lock possible)
    assert result.exit_code == 1
    assert result.error.startswith("apply needs --auto-approve (or a plan file) when it cannot ask")
    assert "no lock:" not in result.stderr  # the note belongs to an apply that runs, not to a refusal
    assert cli("apply", "practice", "--auto-approve").exit_code == 0


def test_a_wrong_fault_variable_is_explained(cli, monkeypatch):
    for raw, says in (("not json", "Expecting value"), ('[{"route": "x"}]', "unknown fault rule key(s) route"),
                      ('[{"kind": "boom"}]', "unknown fault kind 'boom'"), ('["x"]', "each rule is a JSON object")):
        monkeypatch.setenv("AZLAKE_EMULATOR_FAULTS", raw)
        result = cli("plan", "practice")
        assert result.exit_code == 1, result.output
        assert result.error.startswith("AZLAKE_EMULATOR_FAULTS is not a list of fault rules: "), result.error
        assert says in result.error and "unexpected" not in result.error


def test_a_wrong_emulator_number_is_explained(cli, monkeypatch):
    for name in ("AZLAKE_EMULATOR_TIME_SCALE", "AZLAKE_EMULATOR_ROLE_PROPAGATION"):
        with monkeypatch.context() as env:
            env.setenv(name, "fast")
            result = cli("plan", "practice")
            assert result.exit_code == 1, result.output
            assert result.error.startswith(f"{name}='fast' is not a number"), result.error
            assert "or unset it" in result.error and "unexpected" not in result.error


def test_a_missing_file_says_to_check_the_path(cli):
    for command in ("plan", "apply", "destroy", "status", "cost"):
        result = cli(command, "nosuch")
        assert result.exit_code == 1, result.output
        assert result.error.startswith(f"{cli.folder / 'nosuch.yaml'}: the file does not exist"), result.error
        assert "What to do: check the path" in result.error and "fix the file" not in result.error


def test_destroying_a_folder_says_it_is_a_folder(cli):
    result = invoke("destroy", str(cli.folder))
    assert result.exit_code == 1
    assert result.text.startswith(f"{cli.folder} is a folder: azlake destroy takes one environment file")
    assert f"azlake destroy {cli.folder / 'datalake.yaml'}" in result.text and "fix the file" not in result.text
    status = invoke("status", str(cli.folder))
    assert status.exit_code == 1 and "is a folder; azlake status takes one environment file" in status.text


def test_answering_no_is_not_an_error(cli):
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    code, out = answering(["apply", str(cli.folder / "practice.yaml")], b"no\n", env, question=b"Type 'yes'")
    assert code == 0 and "Cancelled: nothing was changed" in out and "error" not in out, out
    assert cli("plan", "practice", "--detailed-exitcode").exit_code == 2  # still everything to create


def _drain_until_exit(proc: subprocess.Popen, leader: int, deadline: float) -> bytes:
    """What the child writes until it exits: read all along, so that it never blocks on a full terminal."""
    out = b""
    while proc.poll() is None and time.monotonic() < deadline:
        if not select.select([leader], [], [], 0.1)[0]:
            continue
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed its side of the terminal, it is exiting
            chunk = b""
        if not chunk:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            break
        out += chunk
    return out


def interrupted_at_the_question(args: list[str]) -> tuple[int, str]:
    """Ctrl-C while `Type 'yes'` waits in a terminal (SIGINT, as the terminal sends it); (exit code, output)."""
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    proc = subprocess.Popen([sys.executable, "-m", "azlake", *args], env=env, stdout=follower, stderr=follower,
                            stdin=follower, preexec_fn=interruptible)
    os.close(follower)
    seen = b""
    try:
        while b"Type 'yes'" not in seen:
            chunk = os.read(leader, 65536)
            assert chunk, seen.decode()
            seen += chunk
        proc.send_signal(signal.SIGINT)
        seen += _drain_until_exit(proc, leader, deadline=time.monotonic() + 60)
        assert proc.poll() is not None, "still running 60 s after Ctrl-C; it wrote:\n" + seen.decode()[-3000:]
        code = proc.returncode
    finally:
        proc.kill()
        os.close(leader)
    return code, seen.decode("utf-8", "replace")


def test_ctrl_c_exits_130(cli):
    code, out = interrupted_at_the_question(["apply", str(cli.folder / "practice.yaml")])
    assert code == 130 and "Interrupted at the question: nothing was changed." in out, out
    assert "Run the same command again" not in out, out  # nothing was started: nothing to finish

    emulator = get_emulator(cli.state)
    emulator.configure(time_scale=0.005)  # a cluster creation of ~6 s: time to interrupt it
    proc = subprocess.Popen([sys.executable, "-m", "azlake", "apply", str(cli.folder / "practice.yaml"),
                             "--auto-approve"], env={**os.environ, "CI": "true"}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, preexec_fn=interruptible)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(
                r["method"] == "PUT" and "/clusters/" in r["url"] for r in emulator.request_log()):
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 130
        assert "Run the same command again" in proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()


def test_help_shows_flags_as_flags():
    for command in COMMANDS:
        shown = invoke(*command, "--help").output
        assert "<bool>" not in shown, (command, shown)
    assert "  --auto-approve  " in invoke("apply", "--help").output


def test_a_variable_inside_a_flow_mapping_explains_the_quoting(cli):
    path = cli.folder / "practice.yaml"
    path.write_text(path.read_text().replace("worker: {size: Standard_E2_v3, count: 1}",
                                             "worker: {size: Standard_E2_v3, count: ${N}}"))
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert 'an unquoted ${VAR} inside {...} or [...]' in result.text and 'count: "${N}"' in result.text


def test_runs_upload_hint_ends_with_the_slash_of_a_directory(cli):
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    result = cli("run", "practice", "reporte")
    assert result.exit_code == 1
    assert f"azlake lake put {cli.folder / 'practice.yaml'} FILE universal/transaccion/ (the trailing / makes " \
           "it a directory" in result.error


def test_a_wrong_state_busy_timeout_or_lock_timeout_is_explained(cli, monkeypatch):
    monkeypatch.setenv("AZLAKE_STATE_BUSY_TIMEOUT", "soon")
    result = cli("plan", "practice")
    assert result.exit_code == 1, result.output
    assert result.error.startswith("AZLAKE_STATE_BUSY_TIMEOUT='soon' is not a number"), result.error
    monkeypatch.delenv("AZLAKE_STATE_BUSY_TIMEOUT")
    monkeypatch.setenv("AZLAKE_LOCK_TIMEOUT", "abc")
    locked = cli("apply", "practice", "--auto-approve")
    assert locked.exit_code == 1, locked.output
    assert "is not a duration" in locked.error and "AZLAKE_LOCK_TIMEOUT" in locked.error, locked.error
