"""The local cloud's state belongs to the project, not the current folder; reading never creates it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

ENVIRONMENTS = Path(__file__).resolve().parents[2] / "environments"


@pytest.fixture
def project(tmp_path, monkeypatch, password):
    """A project folder (environments/ inside) and an unrelated current folder; no AZLAKE_STATE_DIR."""
    root = tmp_path / "project"
    shutil.copytree(ENVIRONMENTS, root / "environments")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("AZLAKE_STATE_DIR", raising=False)
    monkeypatch.delenv("CI", raising=False)
    for name in ("CLUSTER_PASSWORD", "VENTAS_CLUSTER_PASSWORD", "MARKETING_CLUSTER_PASSWORD"):
        monkeypatch.setenv(name, password)
    monkeypatch.setenv("AZLAKE_CLOUD", "local")
    monkeypatch.setenv("AZLAKE_EMULATOR_TIME_SCALE", "0.0005")
    monkeypatch.setenv("AZLAKE_EMULATOR_ROLE_PROPAGATION", "0")
    return root


def azlake(*args: str):
    """The command's result; `.output` ends with the error azlake would print (main.run renders it)."""
    from azlake.cli.main import app
    result = CliRunner().invoke(app, list(args))
    render = getattr(result.exception, "render", None)
    result.text = result.output + (render() if render else "")
    return result


def states(tmp_path: Path) -> list[Path]:
    return sorted(p for p in tmp_path.rglob("*") if p.name == ".azlake" or p.name == "emulator.db")


def test_read_only_commands_on_an_empty_local_cloud_create_nothing(project, tmp_path):
    env = str(project / "environments" / "practice.yaml")
    empty = f"the local cloud is empty at {project / '.azlake'}"
    for args in (("plan", env), ("plan", str(project / "environments")), ("status", env), ("destroy", env),
                 ("cost", env), ("reap", env)):
        result = azlake(*args)
        assert result.exit_code == 0, (args, result.output)
        if args[0] in ("plan", "status", "destroy", "reap"):
            assert empty in result.output, args
    bare_state = project / ".azlake"
    bare_state.mkdir(mode=0o700)  # a state folder without a cloud in it (the demo's password, say)
    assert azlake("cost", env).exit_code == 0 and azlake("plan", env).exit_code == 0
    assert sorted(p.name for p in bare_state.iterdir()) == []
    bare_state.rmdir()
    for args in (("lake", "ls", env), ("lake", "get", env, "landing/transaccion/x.data")):
        result = azlake(*args)
        assert result.exit_code == 1 and empty in result.text, (args, result.text)
        assert "apply the environment first" in result.text
    assert states(tmp_path) == []


def test_every_folder_sees_the_same_local_cloud(project, tmp_path, monkeypatch):
    monkeypatch.chdir(project / "environments")
    applied = azlake("apply", "practice.yaml", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    state = project / ".azlake"
    assert applied.output.splitlines()[1] == f"local cloud: {state}"
    for folder in (tmp_path / "elsewhere", project, tmp_path):
        monkeypatch.chdir(folder)
        env = str(project / "environments" / "practice.yaml")
        planned = azlake("plan", env, "--detailed-exitcode")
        assert planned.exit_code == 0 and f"local cloud: {state}" in planned.output, planned.output
        listed = azlake("lake", "ls", env)
        assert listed.exit_code == 0 and "landingtmp/" in listed.output, listed.output
        source = json.loads(azlake("cost", env, "--json").output)["source"]
        assert "local cloud" in source and "no state" not in source, source  # its prices, from any folder
    monkeypatch.chdir(project / "environments")
    assert "nothing has run" not in azlake("emulator", "log", "-n", "1").output  # the same state from here
    assert states(tmp_path) == [state, state / "emulator.db"]


def test_state_dir_and_its_variable_still_win(project, tmp_path, monkeypatch):
    env = str(project / "environments" / "practice.yaml")
    chosen = tmp_path / "chosen"
    assert azlake("apply", env, "--auto-approve", "--state-dir", str(chosen)).exit_code == 0
    monkeypatch.setenv("AZLAKE_STATE_DIR", str(chosen))
    planned = azlake("plan", env, "--detailed-exitcode")
    assert planned.exit_code == 0 and f"local cloud: {chosen}" in planned.output
    assert not (project / ".azlake").exists()
