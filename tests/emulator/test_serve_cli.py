"""`azlake emulator serve` as a separate process, driven by the real SDK over HTTPS (black-box)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from azlake.azure.clients import LOCAL_SUBSCRIPTION, Clients, Target


def _start(state_dir, extra_env=None):
    env = {**os.environ, **(extra_env or {})}
    proc = subprocess.Popen([sys.executable, "-m", "azlake", "emulator", "serve", "--port", "0",
                             "--state-dir", str(state_dir)], stdout=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()
    match = re.search(r"https://127\.0\.0\.1:\d+", line)
    assert match, f"no URL in {line!r}"
    return proc, match.group(0)


def test_served_emulator_answers_the_sdk_and_persists_state(tmp_path):
    state = tmp_path / "state"
    proc, url = _start(state)
    try:
        clients = Clients(Target("local", LOCAL_SUBSCRIPTION, state, url))
        clients.resources.resource_groups.create_or_update("grserved", {"location": "brazilsouth"})
        assert (state / "emulator-ca.pem").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    # state survives the process: a new emulator on the same directory sees the group
    proc, url = _start(state)
    try:
        clients = Clients(Target("local", LOCAL_SUBSCRIPTION, state, url))
        assert clients.resources.resource_groups.get("grserved").location == "brazilsouth"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_faults_from_environment_variable(tmp_path):
    state = tmp_path / "state"
    faults = '[{"kind": "status", "status": 503, "count": 1, "method": "PUT", "retry_after": 0}]'
    proc, url = _start(state, {"AZLAKE_EMULATOR_FAULTS": faults})
    try:
        clients = Clients(Target("local", LOCAL_SUBSCRIPTION, state, url))
        clients.resources.resource_groups.create_or_update("g1", {"location": "brazilsouth"})
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    log = subprocess.run([sys.executable, "-m", "azlake", "emulator", "log", "--state-dir", str(state), "--json"],
                         capture_output=True, text=True, check=True).stdout
    puts = [line for line in log.splitlines() if '"PUT"' in line]
    assert '"status": 503' in puts[0] and '"status": 201' in puts[1]


def test_reset_clears_state(tmp_path):
    state = tmp_path / "state"
    from azlake.emulator import Emulator
    emu = Emulator(state)
    c = Clients.for_emulator(emu)
    c.resources.resource_groups.create_or_update("g1", {"location": "brazilsouth"})
    subprocess.run([sys.executable, "-m", "azlake", "emulator", "reset", "--yes", "--state-dir", str(state)],
                   check=True, capture_output=True)
    assert not c.resources.resource_groups.check_existence("g1")


def test_a_new_state_directory_is_private(tmp_path):
    from azlake.emulator import Emulator
    Emulator(tmp_path / "fresh")
    assert (tmp_path / "fresh").stat().st_mode & 0o777 == 0o700
