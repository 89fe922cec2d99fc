"""Constants shared by the spec tests."""

from __future__ import annotations

from pathlib import Path

from passwords import generated_password

REPO = Path(__file__).resolve().parents[2]
ENVIRONMENTS = REPO / "environments"

MINIMAL = """
name: demo
company: bda
department: ventas
subscription: 00000000-0000-0000-0000-000000000000
location: brazilsouth
"""


def strong_password() -> str:
    """A fresh password per run: no secret value is ever written in a test."""
    return generated_password()
