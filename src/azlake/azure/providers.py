"""Which provider reads and writes each kind of resource (the planner and executor look them up here)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any


def provider(kind: str) -> Any:
    """An object with read/create/update/delete (and, for clusters, status) for a resource kind."""
    from azlake.azure import datalake, eventhubs, hdinsight, identity, keyvault, locks, resource_groups, roles, storage
    table: dict[str, Any] = {
        "resource_group": resource_groups, "identity": identity, "role": roles, "storage": storage,
        "blob_service": storage.BlobService, "container": storage.Container, "lock": locks,
        "directory": datalake, "cluster": hdinsight, "eh_namespace": eventhubs, "eh_hub": eventhubs.Hub,
        "eh_group": eventhubs.ConsumerGroup, "key_vault": keyvault, "kv_secret": keyvault.Secret,
    }
    module = table[kind]
    return SimpleNamespace(read=module.read, create=module.create, update=module.update, delete=module.delete,
                           status=getattr(module, "status", None))
