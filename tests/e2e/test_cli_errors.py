"""Errors through the real entry point: a message and what to do, exit 1, no traceback, no secret."""

from __future__ import annotations

import os
import subprocess
import sys


def azlake(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "azlake", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_errors_are_messages_not_tracebacks(cli, password):
    env = {**os.environ, "CI": "true"}
    practice = str(cli.folder / "practice.yaml")
    refused = azlake("apply", practice, env=env)
    assert refused.returncode == 1
    assert "--auto-approve" in refused.stderr and "Traceback" not in refused.stderr + refused.stdout, refused.stderr
    assert refused.stdout.splitlines()[0].startswith("azlake apply: cloud local, subscription ")

    missing = azlake("plan", practice, env={k: v for k, v in env.items() if k != "CLUSTER_PASSWORD"})
    assert missing.returncode == 1 and "CLUSTER_PASSWORD" in missing.stderr and "Traceback" not in missing.stderr

    no_role = cli.folder / "practice.yaml"
    no_role.write_text(no_role.read_text().replace("deployer_access: true", "deployer_access: false"))
    failed = azlake("apply", str(no_role), "--auto-approve", env=env)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr, failed.stderr
    assert "AuthorizationPermissionMismatch" in failed.stderr and "deployer_access: true" in failed.stderr, \
        failed.stderr
    for result in (refused, missing, failed):
        assert password not in result.stdout + result.stderr
