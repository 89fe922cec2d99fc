"""docs/ci.md as a pipeline would run it, and the all-zeros subscription refused on Azure before sign-in."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CI = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
ENVIRONMENTS = REPO / "environments"


def _variables(suffix: str) -> set[str]:
    found = set()
    for path in ENVIRONMENTS.glob("*.yaml"):
        found |= set(re.findall(r"\$\{([A-Z_]+" + suffix + r")", path.read_text()))
    return found


def _blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", CI, re.S)


def test_every_pipeline_maps_every_subscription_variable_of_the_files():
    subscriptions = _variables("SUBSCRIPTION_ID")
    assert subscriptions >= {"DATALAKE_SUBSCRIPTION_ID", "VENTAS_SUBSCRIPTION_ID", "MARKETING_SUBSCRIPTION_ID"}
    github, reap = _blocks()[0], _blocks()[1]
    for variable in subscriptions:
        assert f"{variable}: ${{{{ vars.{variable} }}}}" in github, variable
        assert f"{variable}: ${{{{ vars.{variable} }}}}" in reap, variable
        assert variable in CI.split("## Azure DevOps")[1], variable
    for variable in _variables("PASSWORD"):
        assert f"{variable}: ${{{{ secrets.{variable} }}}}" in github, variable


def test_azlake_is_installed_from_its_repository_and_a_merge_applies_the_persistent_part_only():
    installs = [line for line in CI.splitlines() if "pip install" in line]
    assert installs and all("git+https://" in line or "pip install ./" in line for line in installs), installs
    applies = [line for line in CI.splitlines() if re.search(r"azlake apply environments/ ", line)]
    assert applies and all("--no-ephemeral" in line for line in applies), applies


def test_the_password_recipe_is_valid_by_construction_for_every_shipped_file():
    from azlake.envfile.load import load_environment
    from azlake.errors import SpecError
    recipe = re.search(r"python3 -c '([^']*token_hex[^']*)'", CI).group(1)
    variables = _variables("PASSWORD")
    for _ in range(40):
        password = subprocess.run([sys.executable, "-c", recipe], capture_output=True, text=True,
                                  check=True).stdout.strip()
        env = {v: password for v in variables}
        for path in ENVIRONMENTS.glob("[!_]*.yaml"):
            try:
                load_environment(path, env=env)
            except SpecError as err:
                raise AssertionError(f"{path.name}: {err.detail}") from None


PROBE = """
import sys
from azlake.cli.main import app
try:
    app(sys.argv[1:], standalone_mode=False)
except Exception as exc:
    print("ERROR:", exc.render() if hasattr(exc, "render") else repr(exc))
print("SIGNED-IN:", "azure.identity" in sys.modules)
"""


def test_the_all_zeros_subscription_is_refused_on_azure_before_any_sign_in():
    env = {k: v for k, v in os.environ.items() if "SUBSCRIPTION" not in k and not k.startswith("AZLAKE_")}
    env["VENTAS_CLUSTER_PASSWORD"] = "Qz7!" + "0a" * 10
    result = subprocess.run([sys.executable, "-c", PROBE, "plan", "environments/ventas.yaml", "--cloud", "azure"],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert "subscription is 00000000-0000-0000-0000-000000000000" in result.stdout, result.stdout + result.stderr
    assert "export VENTAS_SUBSCRIPTION_ID=" in result.stdout
    assert "SIGNED-IN: False" in result.stdout
    local = subprocess.run([sys.executable, "-m", "azlake", "validate", "environments/ventas.yaml"], cwd=REPO,
                           env=env, capture_output=True, text=True, timeout=60)
    assert local.returncode == 0  # the default stays valid: it is the local cloud's subscription
