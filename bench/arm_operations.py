"""Prints management-plane figures of the emulator: ARM calls per second, and the cost of role checks.

Run: .venv/bin/python bench/arm_operations.py [--served]
`effective_role_ids` is asked on every data-plane request, so its cost as assignments grow matters most.
"""

from __future__ import annotations

import sys
import tempfile
import time
import uuid
from pathlib import Path

from azlake.azure.clients import LOCAL_SUBSCRIPTION, Clients
from azlake.emulator.authorization.models import effective_role_ids
from azlake.emulator.core.app import Emulator

READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"


def _clients(state: Path, served: bool) -> tuple[Clients, Emulator, object]:
    emulator = Emulator(state, time_scale=0.0005, role_propagation_seconds=0)
    server, url = None, None
    if served:
        from azlake.emulator.core.server import EmulatorServer
        server = EmulatorServer(emulator).start()
        url = server.base_url
    clients = Clients.for_emulator(emulator, url)
    return clients, emulator, server


def _rate(label: str, count: int, fn) -> None:
    start = time.perf_counter()
    for i in range(count):
        fn(i)
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {count / elapsed:8.1f} /s   ({elapsed * 1000 / count:.2f} ms each)")


def main(served: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clients, emulator, server = _clients(Path(tmp), served)
        try:
            print(f"mode: {'served (HTTPS on loopback)' if served else 'in-process'}")
            clients.resources.resource_groups.create_or_update("grbench", {"location": "brazilsouth"})
            body = {"sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": "brazilsouth",
                    "properties": {"isHnsEnabled": True}}
            accounts = clients.storage.storage_accounts
            _rate("storage account create, polled to Succeeded", 10,
                  lambda i: accounts.begin_create("grbench", f"stbench{i}", body).result())
            _rate("storage account get", 100, lambda i: accounts.get_properties("grbench", "stbench0"))
            scope = f"/subscriptions/{LOCAL_SUBSCRIPTION}/resourceGroups/grbench"
            role = f"/subscriptions/{LOCAL_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{READER}"
            principal = str(uuid.uuid4())
            _rate("role assignment create", 50, lambda i: clients.authorization.role_assignments.create(
                f"{scope}/providers/Microsoft.Storage/storageAccounts/stbench{i % 10}", str(uuid.uuid4()),
                {"properties": {"roleDefinitionId": role, "principalId": str(uuid.uuid4()) if i else principal,
                                "principalType": "ServicePrincipal"}}))
            target = f"{scope}/providers/Microsoft.Storage/storageAccounts/stbench0"

            def check(_: int) -> None:
                with emulator.store.tx(write=False) as tx:
                    effective_role_ids(tx, emulator.clock, principal, target)
            _rate("effective_role_ids with 50 assignments", 500, check)
        finally:
            if server:
                server.stop()


if __name__ == "__main__":
    main("--served" in sys.argv)
