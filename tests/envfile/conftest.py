"""Fixtures for spec tests: write small environment files, fresh passwords."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from spec_helpers import strong_password


@pytest.fixture
def password() -> str:
    return strong_password()


@pytest.fixture
def write(tmp_path):
    """write("name.yaml", text) -> Path, with the text dedented."""
    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path
    return _write
