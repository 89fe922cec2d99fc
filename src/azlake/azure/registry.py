"""Every resource kind azlake manages, one line each: the planner, diff, executor and engine look kinds up here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from azlake.azure.datalake import Directory
from azlake.azure.eventhubs import ConsumerGroup, Hub, Namespace
from azlake.azure.hdinsight import Cluster
from azlake.azure.identity import Identity
from azlake.azure.keyvault import Secret, Vault
from azlake.azure.kind import Kind
from azlake.azure.locks import Lock
from azlake.azure.resource_groups import ResourceGroup
from azlake.azure.roles import RoleAssignment
from azlake.azure.storage import BlobService, Container, StorageAccount

if TYPE_CHECKING:
    from azlake.azure.kind import Resource

KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    ResourceGroup(),
    Identity(),
    RoleAssignment(),
    StorageAccount(),
    BlobService(),
    Container(),
    Lock(),
    Directory(),
    Cluster(),
    Namespace(),
    Hub(),
    ConsumerGroup(),
    Vault(),
    Secret(),
)}


def kind_of(res: Resource) -> Kind:
    """The kind that reads and writes `res`."""
    return KINDS[res.kind]
