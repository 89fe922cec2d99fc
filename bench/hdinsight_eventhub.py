"""Prints HDInsight and Event Hubs figures of the emulator: wall time of a cluster and a namespace creation
through the SDK at the default time scale, and the cost of a cluster GET as clusters accumulate.

Run: .venv/bin/python bench/hdinsight_eventhub.py [--served]
The default scale (0.005) makes a 20-minute cluster take about 6 s; the figure shows what polling adds.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "emulator"))

from hdinsight_env import RG, cluster_body, make_lake  # noqa: E402

from azlake.azure.clients import Clients  # noqa: E402
from azlake.emulator.core.app import Emulator  # noqa: E402
from azlake.emulator.core.clock import DEFAULT_TIME_SCALE  # noqa: E402


def _clients(state: Path, served: bool):
    emulator = Emulator(state, time_scale=DEFAULT_TIME_SCALE, role_propagation_seconds=0)
    server, url = None, None
    if served:
        from azlake.emulator.core.server import EmulatorServer
        server = EmulatorServer(emulator).start()
        url = server.base_url
    clients = Clients.for_emulator(emulator, url)
    return clients, emulator, server


def _timed(label: str, action) -> float:
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    print(f"{label:<52} {seconds:8.3f} s")
    return seconds


def main(served: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clients, emulator, server = _clients(Path(tmp) / "state", served)
        try:
            lake = make_lake(clients)
            _timed("cluster create (nominal 1200 s, scale 0.005)", lambda: clients.hdinsight.clusters.begin_create(
                RG, "hdibench00", cluster_body(lake)).result())
            _ = clients.eventhub.namespaces  # build the client outside the timing
            _timed("Event Hubs namespace create (nominal 60 s)", lambda: clients.eventhub.namespaces
                   .begin_create_or_update(RG, "ehbench0001", {"location": "brazilsouth",
                                                               "sku": {"name": "Standard", "capacity": 1}}).result())
            emulator.configure(time_scale=0.0)  # instant: measure request cost, not waiting
            for i in range(1, 20):
                clients.hdinsight.clusters.begin_create(RG, f"hdibench{i:02d}", cluster_body(lake)).result()
            n = 200
            seconds = _timed(f"{n} cluster GETs with 20 clusters", lambda: [
                clients.hdinsight.clusters.get(RG, "hdibench07") for _ in range(n)])
            print(f"{'cluster GETs per second':<52} {n / seconds:8.1f}")
        finally:
            if server:
                server.stop()


if __name__ == "__main__":
    main("--served" in sys.argv)
