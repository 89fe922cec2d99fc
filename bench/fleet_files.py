"""Writes a company's fleet as environment files: one central lake and N departments that use it.

Shared by the fleet benchmarks; the files follow environments/ventas.yaml (a department on the central
lake, its own identity and ephemeral cluster).
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DEPARTMENT = """\
name: {name}
extends: _company.yaml
department: {name}
subscription: ${{FLEET_SUBSCRIPTION_ID:-00000000-0000-0000-0000-000000000000}}
tags: {{cost-center: {name}}}
data_lake: {{use: datalake}}
cluster:
  version: "5.1"
  lifecycle: ephemeral
  max_age: 4h
  storage: {{layout: [objects/inputs, objects/outputs]}}
  login: {{username: admin, password: "${{FLEET_CLUSTER_PASSWORD}}"}}
  ssh: {{username: {name}ssh, password: same-as-login}}
  nodes:
    head: {{size: Standard_E4_v3, count: 2}}
    zookeeper: {{size: Standard_A2_v2, count: 3}}
    worker: {{size: Standard_E4_v3, count: {workers}}}
"""


def department_name(i: int) -> str:
    return f"dep{i:03d}"


def fleet_password(departments: int) -> str:
    """One password every department of the fleet accepts: HDInsight refuses three consecutive characters of
    any user name (the SSH users dep000ssh... are digits a hex password can hold)."""
    from azlake.envfile.secrets_rules import generate_password
    users = ["admin"] + [f"{department_name(i)}ssh" for i in range(departments)]
    return generate_password(users)


def write_fleet(folder: Path, departments: int, workers: int = 2) -> Path:
    """`folder` with _company.yaml, datalake.yaml and `departments` department files; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("_company.yaml", "datalake.yaml"):
        shutil.copy(ROOT / "environments" / name, folder / name)
    for i in range(departments):
        name = department_name(i)
        (folder / f"{name}.yaml").write_text(DEPARTMENT.format(name=name, workers=workers))
    return folder
