"""A new user's mistakes through the real entry point: each says what is wrong and what to do, once, exit 1."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from e2e_support import interruptible


def azlake(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "azlake", *args], env=env, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL, cwd=cwd)


def _read_until_closed(leader: int, seen: bytes = b"") -> bytes:
    """Everything the child still writes to its terminal, until it closes it."""
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            return seen
        if not data:
            return seen
        seen += data


def in_terminal(*args: str, env: dict[str, str]) -> str:
    """Run with stdout on a pseudo-terminal, as a person sees it (rich tables, colours)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "azlake", *args], env={**env, "COLUMNS": "160"},
                            stdout=follower, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    out = _read_until_closed(leader)
    proc.wait(timeout=120)
    os.close(leader)
    return out.decode("utf-8", "replace")


def answering(args: list[str], answer: bytes, env: dict[str, str], question: bytes = b"Type '") -> tuple[int, str]:
    """Run in a pseudo-terminal, type `answer` at the `Type '...'` question; (exit code, everything shown)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "azlake", *args], env={**env, "COLUMNS": "160"},
                            stdout=follower, stderr=follower, stdin=follower)
    os.close(follower)
    seen = b""
    while question not in seen:
        chunk = os.read(leader, 65536)
        assert chunk, seen.decode()
        seen += chunk
    os.write(leader, answer)
    seen = _read_until_closed(leader, seen)
    code = proc.wait(timeout=60)
    os.close(leader)
    return code, seen.decode("utf-8", "replace")


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "CI": "true", **extra}


def test_an_invalid_file_is_reported_once_with_what_to_do(cli):
    practice = str(cli.folder / "practice.yaml")
    env = {k: v for k, v in _env().items() if k != "CLUSTER_PASSWORD"}
    result = azlake("plan", practice, env=env)
    assert result.returncode == 1
    assert result.stderr.count("cluster.login.password: environment variable CLUSTER_PASSWORD is not set") == 1, \
        result.stderr
    assert "What to do: export CLUSTER_PASSWORD=..." in result.stderr and "Traceback" not in result.stderr


def test_unreadable_paths_say_why_in_words(cli, tmp_path):
    missing = azlake("plan", str(cli.folder / "practis.yaml"), env=_env())
    assert missing.returncode == 1 and "the file does not exist" in missing.stderr, missing.stderr
    assert "FileNotFoundError" not in missing.stderr
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"name: \xff\xfe\n")
    result = azlake("validate", str(binary), env=_env())
    assert result.returncode == 1 and "not UTF-8 text" in result.stdout + result.stderr


def test_lake_before_apply_and_unknown_zones(cli):
    practice = str(cli.folder / "practice.yaml")
    data = str(cli.folder / "data" / "transacciones.data")
    env = {k: v for k, v in _env().items() if k != "CLUSTER_PASSWORD"}  # lake files need no cluster password
    early = azlake("lake", "put", practice, data, "universal/transaccion", env=env)
    assert early.returncode == 1 and "does not exist yet" in early.stderr and "azlake apply" in early.stderr, \
        early.stderr
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    for args in (("ls", practice, "nozone"), ("put", practice, data, "nozone/x"), ("get", practice, "nozone/x")):
        wrong = azlake("lake", *args, env=env)
        assert wrong.returncode == 1, (args, wrong.stdout)
        assert "no zone 'nozone'" in wrong.stderr and "universal" in wrong.stderr, wrong.stderr
    nothing = azlake("lake", "ls", practice, "smart/nothing", env=env)
    assert nothing.returncode == 1 and "nothing at smart/nothing" in nothing.stderr
    put = azlake("lake", "put", practice, data, "universal/transaccion", env=env)
    assert put.returncode == 0, put.stderr


def test_destroy_needs_no_cluster_password_and_names_what_it_stops(cli):
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    practice = str(cli.folder / "practice.yaml")
    env = {k: v for k, v in _env().items() if k != "CLUSTER_PASSWORD"}
    refused = azlake("destroy", practice, env=env)
    assert refused.returncode == 1 and "What to do:" in refused.stderr and "--auto-approve" in refused.stderr
    done = azlake("destroy", practice, "--auto-approve", env=env)
    assert done.returncode == 0, done.stderr
    assert "Deleting the cluster stops about USD" in done.stdout and "while it exists" not in done.stdout


def test_no_azure_credential_is_one_clear_message(cli):
    env = {k: v for k, v in _env().items() if not k.startswith(("AZURE_", "AZLAKE_CLOUD", "IDENTITY_", "MSI_"))}
    env.update(AZURE_TOKEN_CREDENTIALS="AzureCliCredential", PATH=str(Path(sys.executable).parent),
               AZURE_SUBSCRIPTION_ID="11111111-2222-3333-4444-555555555555")  # a real one: all zeros is refused
    result = azlake("plan", str(cli.folder / "practice.yaml"), env=env)
    assert result.returncode == 1 and "could not sign in to Azure" in result.stderr and "az login" in result.stderr
    assert "DefaultAzureCredential failed" not in result.stderr and "Attempted credentials" not in result.stderr, \
        result.stderr


def test_emulator_reset_and_folder_apply_without_a_terminal(cli, tmp_path):
    assert cli("apply", "practice", "--auto-approve").exit_code == 0  # creates the state (plan never does)
    reset = azlake("emulator", "reset", env=_env())
    assert reset.returncode == 1 and "--yes" in reset.stderr and "Interrupted" not in reset.stderr, reset.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = azlake("apply", str(empty), env=_env())
    assert nothing.returncode == 1 and "no environment files" in nothing.stderr, nothing.stderr


def test_status_table_keeps_bracketed_addresses_in_a_terminal(cli):
    env = {**os.environ}
    env.pop("CI", None)
    out = in_terminal("status", str(cli.folder / "practice.yaml"), env=env)
    assert "│" in out, out  # the rich table, as a person sees it
    assert "data_lake.zone[landingtmp]" in out and "data_lake.dir[smart/reporte]" in out, out


def test_hand_edited_and_moved_plan_files_are_refused_clearly(cli, tmp_path):
    saved = tmp_path / "practice.plan.json"
    assert cli("plan", "practice", "--out", str(saved)).exit_code == 0
    edited = tmp_path / "edited.json"
    edited.write_text(saved.read_text().replace('"action": "create"', '"action": "noop"', 1))
    refused = azlake("apply", str(edited), env=_env())
    assert refused.returncode == 1 and "no longer matches" in refused.stderr, refused.stderr
    assert "plan file itself changed" in refused.stderr and "Apply complete" not in refused.stdout
    broken = tmp_path / "broken.json"
    broken.write_text('{"format_version": 1, "source": "x.yaml", "actions": [{}]}')
    garbage = azlake("apply", str(broken), env=_env())
    assert garbage.returncode == 1 and "not an azlake plan file" in garbage.stderr, garbage.stderr
    relative = tmp_path / "relative.json"  # as `azlake plan environments/practice.yaml --out` writes it
    relative.write_text(saved.read_text().replace(str(cli.folder / "practice.yaml"), "environments/practice.yaml"))
    elsewhere = azlake("apply", str(relative), env=_env(), cwd=tmp_path / "state")
    assert elsewhere.returncode == 1 and "was planned from environments/practice.yaml" in elsewhere.stderr, \
        elsewhere.stderr


def test_leaving_the_confirmation_changes_nothing_and_says_so(cli):
    """Ctrl-D at `Type 'yes'` is a "no", not an interrupted apply: nothing started, and not an error."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    code, out = answering(["apply", str(cli.folder / "practice.yaml")], b"\x04", env,  # end of input
                          question=b"Type 'yes'")
    assert code == 0
    assert "nothing was changed" in out and "Interrupted" not in out, out
    assert cli("plan", "practice", "--detailed-exitcode").exit_code == 2  # still everything to create


def test_run_without_input_data_creates_nothing_and_shows_the_upload(cli):
    result = azlake("run", str(cli.folder / "practice.yaml"), "reporte", env=_env())
    assert result.returncode == 1 and "nothing to stage at universal/transaccion" in result.stderr, result.stderr
    hint = f"azlake lake put {cli.folder / 'practice.yaml'} FILE universal/transaccion"  # the real argument order
    assert hint in result.stderr, result.stderr
    import json
    status = cli("status", "practice", "--json")
    assert not [r["address"] for r in json.loads(status.output)["resources"] if r["exists"]]


def test_a_refused_change_is_not_shown_as_an_update(cli):
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    practice = cli.folder / "practice.yaml"
    practice.write_text(practice.read_text().replace("performance: standard", "performance: premium"))
    result = cli("plan", "practice")
    assert result.exit_code == 1
    assert "  ! data_lake.account (storagebigdatauserbda000) — refused" in result.output, result.output
    assert "0 to update, 0 to replace, 0 to delete, 19 unchanged, 1 refused." in result.output, result.output
    assert "refused: data_lake.account" in result.output


def test_folder_plan_as_markdown_is_markdown_to_the_end(cli):
    result = azlake("plan", str(cli.folder), "--format", "markdown", env=_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"### azlake plan of `{cli.folder}`: 4 environment file(s)\n")
    assert f"| `datalake` | `{cli.folder / 'datalake.yaml'}` | 18 to create | none |" in result.stdout, result.stdout
    assert "**Cluster cost:** no cluster, nothing billed by the hour." in result.stdout  # the central lake
    assert result.stdout.rstrip().endswith("</details>")  # no plain-text report after the comment


def test_a_partial_or_a_misspelt_cloud_says_what_to_use(cli):
    partial = azlake("plan", str(cli.folder / "_company.yaml"), env=_env())
    assert partial.returncode == 1 and "is a partial" in partial.stderr and "required key" not in partial.stderr
    cloud = azlake("plan", str(cli.folder / "practice.yaml"), env=_env(AZLAKE_CLOUD="locl"))
    assert cloud.returncode == 1 and "unknown cloud 'locl'" in cloud.stderr and "AZLAKE_CLOUD" in cloud.stderr


def test_lake_get_of_a_directory_or_into_a_missing_folder(cli, tmp_path):
    practice = str(cli.folder / "practice.yaml")
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    put = azlake("lake", "put", practice, str(cli.folder / "data" / "transacciones.data"), "landing/transaccion",
                 env=_env())
    assert put.returncode == 0, put.stderr
    folder = azlake("lake", "get", practice, "landing/transaccion", env=_env(), cwd=tmp_path)
    assert folder.returncode == 0, folder.stderr  # a directory comes down whole, into a folder of its name
    assert (tmp_path / "transaccion" / "transacciones.data").read_bytes() == \
        (cli.folder / "data" / "transacciones.data").read_bytes()
    (tmp_path / "file").write_text("x")
    onto_file = azlake("lake", "get", practice, "landing/transaccion", str(tmp_path / "file"), env=_env())
    assert onto_file.returncode == 1 and "it is a file" in onto_file.stderr, onto_file.stderr
    missing = azlake("lake", "get", practice, "landing/transaccion/transacciones.data",
                     str(tmp_path / "no" / "such" / "x.data"), env=_env())
    assert missing.returncode == 1 and "does not exist" in missing.stderr and "unexpected" not in missing.stderr
    into = azlake("lake", "get", practice, "landing/transaccion/transacciones.data", str(tmp_path), env=_env())
    assert into.returncode == 0 and (tmp_path / "transacciones.data").stat().st_size > 0, into.stderr
    typo = azlake("lake", "put", practice, str(cli.folder / "data" / "transacciones.data"), "landing/transacion",
                  env=_env())
    assert typo.returncode == 0 and "note: landing/transacion is not a directory" in typo.stderr, typo.stderr


def test_ctrl_c_during_destroy_says_to_run_destroy_again(cli):
    import signal
    import time

    from azlake.emulator.core.store import Store
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    env = _env(AZLAKE_EMULATOR_TIME_SCALE="0.01")  # a cluster deletion (6 s) slow enough to interrupt
    proc = subprocess.Popen([sys.executable, "-m", "azlake", "destroy", str(cli.folder / "practice.yaml"),
                             "--auto-approve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, stdin=subprocess.DEVNULL, preexec_fn=interruptible)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if any(r["method"] == "DELETE" and "/clusters/" in r["url"] for r in Store(cli.state).request_log()):
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130 and "running the same command again picks it up" in out, out
    assert "next apply" not in out and "Traceback" not in out
    again = azlake("destroy", str(cli.folder / "practice.yaml"), "--auto-approve", env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    import json
    rows = json.loads(cli("status", "practice", "--json").output)["resources"]
    assert not next(r for r in rows if r["address"] == "cluster")["exists"]


def test_plan_out_into_a_missing_folder_or_onto_a_folder(cli, tmp_path):
    practice = str(cli.folder / "practice.yaml")
    for out, says in ((tmp_path / "no" / "plan.json", "does not exist"), (tmp_path, "is a folder")):
        result = azlake("plan", practice, "--out", str(out), env=_env())
        assert result.returncode == 1 and says in result.stderr and "unexpected" not in result.stderr, result.stderr
        assert result.stdout == ""  # refused before reading Azure
    schema = azlake("schema", "--out", str(tmp_path / "no" / "schema.json"), env=_env())
    assert schema.returncode == 1 and "does not exist" in schema.stderr and "unexpected" not in schema.stderr


def test_central_lake_is_not_destroyed_under_its_departments(cli):
    applied = azlake("apply", str(cli.folder), "--auto-approve", env=_env())
    assert applied.returncode == 0, applied.stdout + applied.stderr
    lake = str(cli.folder / "datalake.yaml")
    refused = cli("destroy", "datalake", "--all", "--auto-approve")
    assert refused.exit_code == 1
    assert "holds filesystems of other environments: dfs-marketing (marketing), dfs-ventas (ventas)" in \
        refused.output, refused.output
    assert "dfs-ventas/" in azlake("lake", "ls", lake, env=_env()).stdout  # nothing was deleted
    # a department with streaming: --all removes its filesystem in the central lake too
    assert cli("destroy", "marketing", "--all", "--auto-approve").exit_code == 0
    assert cli("destroy", "ventas", "--all", "--auto-approve").exit_code == 0
    assert "dfs-" not in azlake("lake", "ls", lake, env=_env()).stdout
    done = cli("destroy", "datalake", "--all", "--auto-approve")
    assert done.exit_code == 0, done.output


def test_emulator_serve_on_a_busy_port_says_what_to_do(tmp_path):
    import socket
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = azlake("emulator", "serve", "--port", str(port), "--state-dir", str(tmp_path / "state"),
                        env=_env())
    assert result.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in result.stderr, result.stderr
    assert "--port 0" in result.stderr and "unexpected" not in result.stderr


def test_a_state_dir_that_is_a_file_is_named(cli, tmp_path):
    not_a_folder = tmp_path / "state.txt"
    not_a_folder.write_text("not a folder")
    result = azlake("plan", str(cli.folder / "practice.yaml"), "--state-dir", str(not_a_folder), env=_env())
    assert result.returncode == 1 and f"state directory {not_a_folder} is a file" in result.stderr, result.stderr
    assert "AZLAKE_STATE_DIR" in result.stderr and "unexpected" not in result.stderr


def test_emulator_log_without_state_says_so_and_creates_nothing(tmp_path):
    result = azlake("emulator", "log", "--state-dir", str(tmp_path / "none"), env=_env())
    assert result.returncode == 0 and "no emulator state in" in result.stdout, result.stdout + result.stderr
    assert not (tmp_path / "none").exists()


def test_version():
    from importlib.metadata import version
    result = azlake("--version", env=_env())
    assert result.returncode == 0 and result.stdout.strip() == f"azlake {version('azlake')}"


def test_a_departments_destroy_all_question_says_the_central_lake_stays(cli):
    assert azlake("apply", str(cli.folder), "--auto-approve", env=_env()).returncode == 0
    env = {**os.environ}
    env.pop("CI", None)
    code, out = answering(["destroy", str(cli.folder / "ventas.yaml"), "--all"], b"nope\n", env)
    assert code == 0 and "everything environment ventas owns; the central lake it uses stays." in out, out
    assert "its data lake included" not in out and "nothing was changed" in out
    code, out = answering(["destroy", str(cli.folder / "practice.yaml"), "--all"], b"nope\n", env)
    assert code == 0 and "everything environment bda000 owns, its data lake included." in out, out
