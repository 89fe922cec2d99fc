"""Test helper: a running emulated HDInsight cluster with its lake, built with the real SDK clients."""

from __future__ import annotations

import time
from dataclasses import dataclass

import passwords

RG, ACCOUNT, IDENTITY, FS = "grlivy", "stlivylake", "idlivy", "dfs"
OWNER_ROLE = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
LOCATION = "brazilsouth"


def generated_password() -> str:
    """A password HDInsight accepts, new for every test run: azlake's generator, which cannot hold three
    consecutive characters of the user names (random letters could: 'adm', 'ssh', and HDInsight refuses)."""
    return passwords.generated_password()


@dataclass
class LivyCluster:
    clients: object
    name: str
    username: str
    password: str
    account: str = ACCOUNT
    filesystem: str = FS
    prerequisites: dict | None = None

    def uri(self, path: str) -> str:
        return f"abfss://{self.filesystem}@{self.account}.dfs.core.windows.net/{path}"

    def session(self, auth: bool = True):
        session = self.clients.http_session()
        if auth:
            session.auth = (self.username, self.password)
        return session

    def url(self, path: str = "") -> str:
        return f"{self.clients.gateway_url(self.name)}/livy/batches{path}"

    def put_file(self, path: str, data: bytes) -> None:
        fs = self.clients.datalake(self.account).get_file_system_client(self.filesystem)
        fs.get_file_client(path).upload_data(data, overwrite=True)


def lake(clients) -> dict:
    """Resource group, ADLS Gen2 account, identity with Storage Blob Data Owner, filesystem `dfs`."""
    clients.resources.resource_groups.create_or_update(RG, {"location": LOCATION})
    account = clients.storage.storage_accounts.begin_create(RG, ACCOUNT, {
        "location": LOCATION, "kind": "StorageV2", "sku": {"name": "Standard_LRS"},
        "properties": {"isHnsEnabled": True}}).result()
    identity = clients.msi.user_assigned_identities.create_or_update(RG, IDENTITY, {"location": LOCATION})
    role = (f"/subscriptions/{clients.target.subscription}/providers/Microsoft.Authorization/"
            f"roleDefinitions/{OWNER_ROLE}")
    for principal in (identity.principal_id, clients.principal_id):
        _assign(clients, account.id, _guid(principal), role, principal)
    clients.storage.blob_containers.create(RG, ACCOUNT, FS, {})
    return {"account": account, "identity": identity}


def _assign(clients, scope: str, name: str, role: str, principal: str) -> None:
    clients.authorization.role_assignments.create(scope, name, {"properties": {
        "roleDefinitionId": role, "principalId": principal, "principalType": "ServicePrincipal"}})


def create_cluster(clients, name: str, password: str, prerequisites: dict, wait: bool = True):
    account, identity = prerequisites["account"], prerequisites["identity"]
    body = {
        "location": LOCATION,
        "identity": {"type": "UserAssigned", "userAssignedIdentities": {identity.id: {}}},
        "properties": {
            "clusterVersion": "5.1", "osType": "Linux", "tier": "Standard",
            "clusterDefinition": {"kind": "spark", "componentVersion": {"Spark": "3.3"}, "configurations": {
                "gateway": {"restAuthCredential.isEnabled": "true", "restAuthCredential.username": "admin",
                            "restAuthCredential.password": password}}},
            "computeProfile": {"roles": [
                _role("headnode", "Standard_E2_v3", 2, password),
                _role("workernode", "Standard_E2_v3", 1, password),
                _role("zookeepernode", "Standard_A2_v2", 3, password)]},
            "storageProfile": {"storageaccounts": [{
                "name": f"{ACCOUNT}.dfs.core.windows.net", "isDefault": True, "fileSystem": FS,
                "resourceId": account.id, "msiResourceId": identity.id}]}}}
    poller = clients.hdinsight.clusters.begin_create(RG, name, body)
    return poller.result() if wait else poller


def _role(name: str, size: str, count: int, password: str) -> dict:
    return {"name": name, "targetInstanceCount": count, "hardwareProfile": {"vmSize": size},
            "osProfile": {"linuxOperatingSystemProfile": {"username": "adminssh", "password": password}}}


def _guid(seed: str) -> str:
    import uuid
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"livy-test/{seed}"))


def running_cluster(clients, name: str = "clusterlivy01") -> LivyCluster:
    password = generated_password()
    prerequisites = lake(clients)
    create_cluster(clients, name, password, prerequisites)
    return LivyCluster(clients, name, "admin", password, prerequisites=prerequisites)


def wait_final(cluster: LivyCluster, batch_id: int, deadline_s: float = 300) -> list[str]:
    """Poll a batch's state until it ends; returns every state seen, in order, without repeats."""
    seen: list[str] = []
    session = cluster.session()
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        state = session.get(cluster.url(f"/{batch_id}/state")).json()["state"]
        if not seen or seen[-1] != state:
            seen.append(state)
        if state in ("success", "dead", "killed"):
            return seen
        time.sleep(0.2)
    raise AssertionError(f"batch {batch_id} did not finish; states seen: {seen}")
