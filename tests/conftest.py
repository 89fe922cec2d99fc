"""Shared fixtures: a fresh emulator per test and SDK clients bound to it (in-process or served over HTTPS)."""

from __future__ import annotations

import pytest

from azlake.azure.clients import Clients
from azlake.emulator.core.app import Emulator


@pytest.fixture
def emulator(tmp_path) -> Emulator:
    """An emulator over a fresh state directory, fast enough for tests (a cluster takes ~0.6 s)."""
    return Emulator(tmp_path / "state", time_scale=0.0005, role_propagation_seconds=0)


@pytest.fixture
def clients(emulator: Emulator) -> Clients:
    """Real Azure SDK clients talking to `emulator` in-process."""
    return Clients.for_emulator(emulator)  # shares the instance (and its clock) with the test


@pytest.fixture
def served(emulator: Emulator):
    """The same emulator served over HTTPS on loopback; yields SDK clients that go through real sockets."""
    from azlake.emulator.core.server import EmulatorServer

    server = EmulatorServer(emulator).start()
    c = Clients.for_emulator(emulator, server.base_url)
    try:
        yield c
    finally:
        server.stop()


@pytest.fixture(params=["in-process", "served"])
def any_clients(request, emulator: Emulator):
    """Run a test once in-process and once over HTTPS."""
    if request.param == "in-process":
        yield request.getfixturevalue("clients")
    else:
        yield request.getfixturevalue("served")
