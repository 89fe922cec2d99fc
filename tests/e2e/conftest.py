"""End-to-end fixtures: the CLI on --cloud local over a temporary state directory, fast emulated time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from passwords import generated_password
from typer.testing import CliRunner

ENVIRONMENTS = Path(__file__).resolve().parents[2] / "environments"


@pytest.fixture
def password() -> str:
    return generated_password()


@pytest.fixture
def cli(tmp_path, monkeypatch, password):
    """cli("plan", "practice", "--detailed-exitcode") -> click Result; files come from a copy of environments/."""
    folder = tmp_path / "environments"
    shutil.copytree(ENVIRONMENTS, folder)
    state = tmp_path / "state"
    for name in ("CLUSTER_PASSWORD", "VENTAS_CLUSTER_PASSWORD", "MARKETING_CLUSTER_PASSWORD"):
        monkeypatch.setenv(name, password)
    monkeypatch.setenv("AZLAKE_CLOUD", "local")
    monkeypatch.setenv("AZLAKE_STATE_DIR", str(state))
    monkeypatch.setenv("AZLAKE_EMULATOR_TIME_SCALE", "0.0005")
    monkeypatch.setenv("AZLAKE_EMULATOR_ROLE_PROPAGATION", "0")
    monkeypatch.delenv("CI", raising=False)
    from azlake.cli.main import app
    runner = CliRunner()

    def run(command: str, env_name: str, *args: str):
        result = runner.invoke(app, [command, str(folder / f"{env_name}.yaml"), *args])
        if result.exception and not isinstance(result.exception, SystemExit):
            result.error = getattr(result.exception, "render", lambda: repr(result.exception))()
        else:
            result.error = ""
        return result

    run.folder, run.state = folder, state
    return run


@pytest.fixture
def lake_clients(cli):
    """SDK clients on the same local cloud as the CLI (to put files and look at Azure directly)."""
    from azlake.azure.clients import Clients, Target
    return Clients(Target.from_env("local", None, cli.state))
