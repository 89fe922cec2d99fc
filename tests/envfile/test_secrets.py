"""Secret values never appear in any output: CLI text, diagnostics, errors, reprs or dumps."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from spec_helpers import ENVIRONMENTS, MINIMAL, REPO, strong_password

from azlake.envfile.load import load_environment
from azlake.errors import SpecError

CLUSTER = """
data_lake: {zones: [raw]}
cluster:
  login: {username: admin, password: "${CLUSTER_PASSWORD}"}
"""


def leaky_files(tmp_path):
    """Files that put the secret where messages might quote it; each is in its own folder."""
    texts = {
        "valid": MINIMAL + CLUSTER,
        "in_name": MINIMAL.replace("name: demo", "name: ${CLUSTER_PASSWORD}") + CLUSTER,
        "in_account": MINIMAL + CLUSTER.replace("[raw]}", "[raw], account: '${CLUSTER_PASSWORD}'}"),
        "in_count": MINIMAL + CLUSTER + "  nodes: {worker: {size: Standard_E2_v3, count: '${CLUSTER_PASSWORD}'}}\n",
        "in_version": MINIMAL + CLUSTER + "  version: '${CLUSTER_PASSWORD}'\n",
        "in_location": MINIMAL.replace("location: brazilsouth", "location: ${CLUSTER_PASSWORD}") + CLUSTER,
        "in_ssh": MINIMAL + CLUSTER + "  ssh: {username: sshuser, password: '${CLUSTER_PASSWORD}'}\n",
    }
    paths = []
    for name, text in texts.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / "env.yaml").write_text(text, encoding="utf-8")
        paths.append(folder / "env.yaml")
    return paths


@pytest.mark.parametrize("password", [strong_password(), "weak", "adminAdmin", "x" * 80 + "A1!"],
                         ids=["strong", "weak", "admin-admin", "80-characters"])  # stable ids: xdist workers collect alike
def test_cli_output_never_contains_the_password(tmp_path, password):
    paths = leaky_files(tmp_path)
    env = {k: v for k, v in os.environ.items() if "PASSWORD" not in k}
    env["CLUSTER_PASSWORD"] = password
    for args in (["validate", *map(str, paths)], ["--debug", "validate", *map(str, paths)],
                 ["validate", "--require-values", str(ENVIRONMENTS)]):
        result = subprocess.run([sys.executable, "-m", "azlake", *args], cwd=REPO, env=env,
                                capture_output=True, text=True, timeout=60)
        assert password not in result.stdout + result.stderr
        assert "Traceback" not in result.stderr


def test_a_literal_password_is_refused_without_being_echoed(tmp_path):
    literal = strong_password()
    path = tmp_path / "env.yaml"
    path.write_text(MINIMAL + CLUSTER.replace('"${CLUSTER_PASSWORD}"', literal), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_environment(path, env={})
    text = caught.value.render() + "\n" + repr(caught.value.diagnostics)
    assert "literal secret" in text and literal not in text


def test_loaded_objects_hide_the_password(tmp_path):
    password = strong_password()
    path = tmp_path / "env.yaml"
    path.write_text(MINIMAL + CLUSTER, encoding="utf-8")
    loaded = load_environment(path, env={"CLUSTER_PASSWORD": password})
    views = [repr(loaded), str(loaded.spec), loaded.spec.model_dump_json(), repr(loaded.spec.model_dump()),
             str(loaded.spec.cluster.login.password)]
    assert all(password not in view for view in views)
    assert loaded.spec.cluster.login.password.get_secret_value() == password


def test_committed_environment_files_hold_no_literal_secret():
    for path in ENVIRONMENTS.glob("*.yaml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "password:" in line:
                value = line.split("password:", 1)[1].split("}")[0].split(",")[0].strip().strip('"')
                assert value.startswith("${") or value == "same-as-login", textwrap.shorten(line, 60)


@pytest.mark.parametrize("key_text", ["tags: {note: '${CLUSTER_PASSWORD}'}", "tags: {note: 'x-${DB_TOKEN}'}"])
def test_a_secret_variable_outside_a_password_key_is_an_error(tmp_path, key_text):
    secret = strong_password()
    path = tmp_path / "env.yaml"
    path.write_text(MINIMAL + CLUSTER + key_text + "\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_environment(path, env={"CLUSTER_PASSWORD": secret, "DB_TOKEN": secret})
    [error] = [d for d in caught.value.diagnostics if d.is_error]
    assert error.key_path == "tags.note" and "outside a password key" in error.summary
    assert secret not in caught.value.render()


def test_public_key_may_come_from_a_variable(tmp_path):
    path = tmp_path / "env.yaml"
    path.write_text(MINIMAL + CLUSTER + "  ssh: {username: sshuser, public_key: '${SSH_PUBLIC_KEY}'}\n")
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIexample"
    spec = load_environment(path, env={"CLUSTER_PASSWORD": strong_password(), "SSH_PUBLIC_KEY": key}).spec
    assert spec.cluster.ssh.public_key == key
