"""Fixtures for `azlake run` and `azlake reap` tests: example environments in a temporary folder, a local cloud."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jobs_helpers import ENVIRONMENTS
from passwords import generated_password

from azlake.azure.clients import LOCAL_SUBSCRIPTION, Clients, Target


def local_cloud(password: str, state: Path) -> dict[str, str]:
    """The variables of a command run on the local cloud at `state`, scaled down in time."""
    return {"CLUSTER_PASSWORD": password, "AZLAKE_CLOUD": "local", "AZLAKE_STATE_DIR": str(state),
            "AZLAKE_EMULATOR_TIME_SCALE": "0.0005", "AZLAKE_EMULATOR_ROLE_PROPAGATION": "0", "CI": "true"}


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A copy of the example environments in a temporary folder, a fresh local cloud, a new password."""
    folder = tmp_path / "environments"
    shutil.copytree(ENVIRONMENTS, folder)
    password = generated_password()
    for key, value in local_cloud(password, tmp_path / "state").items():
        monkeypatch.setenv(key, value)
    clients = Clients(Target("local", LOCAL_SUBSCRIPTION, tmp_path / "state"))
    return folder, clients, password


