"""Prints data-plane figures of the emulator: a chunked parallel upload and small-file operations per second.

Run: .venv/bin/python bench/datalake_throughput.py [--served]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from azlake.azure.clients import LOCAL_SUBSCRIPTION, Clients
from azlake.emulator.core.app import Emulator
from azlake.emulator.core.auth import LOCAL_DEPLOYER_OBJECT_ID

MIB = 1024 * 1024
DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"


def _clients(state: Path, served: bool) -> tuple[Clients, object]:
    emulator = Emulator(state, time_scale=0.0005, role_propagation_seconds=0)
    server = None
    url = None
    if served:
        from azlake.emulator.core.server import EmulatorServer
        server = EmulatorServer(emulator).start()
        url = server.base_url
    clients = Clients.for_emulator(emulator, url)
    return clients, server


def _lake(clients: Clients) -> None:
    clients.resources.resource_groups.create_or_update("grbench", {"location": "brazilsouth"})
    acc = clients.storage.storage_accounts.begin_create("grbench", "stbench", {
        "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": "brazilsouth",
        "properties": {"isHnsEnabled": True}}).result()
    definition = f"/subscriptions/{LOCAL_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{DATA_OWNER}"
    clients.authorization.role_assignments.create(acc.id, str(uuid.uuid4()), {"properties": {
        "roleDefinitionId": definition, "principalId": LOCAL_DEPLOYER_OBJECT_ID, "principalType": "User"}})


def main() -> None:
    served = "--served" in sys.argv
    clients, server = _clients(Path(tempfile.mkdtemp()) / "state", served)
    try:
        _lake(clients)
        fs = clients.datalake("stbench").create_file_system("bench")
        data = os.urandom(32 * MIB)
        file = fs.get_file_client("big.bin")
        t0 = time.perf_counter()
        file.upload_data(data, overwrite=True, chunk_size=4 * MIB, max_concurrency=4)
        up = time.perf_counter() - t0
        t0 = time.perf_counter()
        assert file.download_file(max_concurrency=4).readall() == data
        down = time.perf_counter() - t0
        t0 = time.perf_counter()
        for i in range(100):
            fs.get_file_client(f"small/{i}.txt").upload_data(b"x" * 100, overwrite=True)
        small = time.perf_counter() - t0
        mode = "served (HTTPS loopback)" if served else "in-process"
        print(f"{mode}: upload 32 MiB in 4 MiB chunks x4: {32 / up:.0f} MiB/s; download: {32 / down:.0f} MiB/s; "
              f"100 small uploads (create+append+flush each): {100 / small:.0f} files/s")
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
