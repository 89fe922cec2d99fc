"""Fixtures for engine tests: the repository's environment files loaded with generated passwords."""

from __future__ import annotations

from pathlib import Path

import pytest
from passwords import generated_password

ENVIRONMENTS = Path(__file__).resolve().parents[2] / "environments"


@pytest.fixture
def secret_env() -> dict[str, str]:
    pw = generated_password()
    return {"CLUSTER_PASSWORD": pw, "VENTAS_CLUSTER_PASSWORD": pw, "MARKETING_CLUSTER_PASSWORD": pw}


@pytest.fixture
def load(secret_env):
    """load("practice") -> LoadedEnvironment of environments/practice.yaml."""
    from azlake.envfile.load import load_environment

    def _load(name: str, folder: Path = ENVIRONMENTS):
        return load_environment(folder / f"{name}.yaml", env=secret_env)
    return _load
