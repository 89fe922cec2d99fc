"""Environments built as the portal builds them: plain SDK calls, in the portal's order, with its shapes.

The lecture clicks together a resource group, an ADLS Gen2 account (Data protection tab: blob and container
soft delete 7 days; secure transfer on, TLS 1.2, anonymous access off), its containers, a role for the
person who browses it, the directories, a CanNotDelete lock, a user-assigned identity with Storage Blob
Data Owner on the account (HDInsight's ADLS Gen2 prerequisite) and a Spark cluster whose request has the
shape of the official CreateLinuxSparkSshPassword / CreateLinuxHadoopAdlsGen2 examples. Role assignments
made in the portal get random names (uuid4), locks the names people type.
"""

from __future__ import annotations

import uuid

from azlake.azure import datalake
from azlake.catalog import role_definition_id

LECTURE = {"group": "grbigdatauserbda000", "account": "storagebigdatauserbda000", "identity": "bigdatauserbda000",
           "cluster": "clusterbigdata001", "location": "brazilsouth"}
ZONES = {"landingtmp": ["transaccion"], "landing": ["transaccion"], "universal": ["transaccion"],
         "smart": ["reporte"]}
LAYOUT = ["objects/inputs", "objects/outputs", "objects/scripts"]
FILES = {("landing", "transaccion/ventas-2024.csv"): b"id;importe\n1;10\n",
         ("universal", "transaccion/ventas.parquet"): b"PAR1\x00\x01",
         ("smart", "reporte/resumen.csv"): b"total\n10\n"}


def assign(clients, scope: str, principal: str, role: str) -> str:
    """The portal's "Add role assignment": a random name."""
    sub = clients.target.subscription
    rid = f"{scope}/providers/Microsoft.Authorization/roleAssignments/{uuid.uuid4()}"
    clients.authorization.role_assignments.create_by_id(rid, {
        "role_definition_id": f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/"
                              f"{role_definition_id(role)}",
        "principal_id": principal, "principal_type": "ServicePrincipal"})
    return rid


def storage_account(clients, group: str, account: str, location: str, tags: dict | None = None) -> str:
    from azure.mgmt.storage import models as m
    clients.storage.storage_accounts.begin_create(group, account, m.StorageAccountCreateParameters(
        sku=m.Sku(name="Standard_LRS"), kind="StorageV2", location=location, is_hns_enabled=True,
        enable_https_traffic_only=True, minimum_tls_version="TLS1_2", allow_blob_public_access=False,
        access_tier="Hot", tags=tags)).result()
    policy = m.DeleteRetentionPolicy(enabled=True, days=7)
    clients.storage.blob_services.set_service_properties(group, account, m.BlobServiceProperties(
        delete_retention_policy=policy, container_delete_retention_policy=policy))
    return clients.storage.storage_accounts.get_properties(group, account).id


def zones(clients, group: str, account: str, zone_dirs: dict[str, list[str]]) -> None:
    from azure.mgmt.storage import models as m
    for zone, dirs in zone_dirs.items():
        clients.storage.blob_containers.create(group, account, zone, m.BlobContainer())
        for d in dirs:
            clients.datalake(account).get_file_system_client(zone).create_directory(d)


def identity(clients, group: str, name: str, location: str) -> tuple[str, str]:
    i = clients.msi.user_assigned_identities.create_or_update(group, name, {"location": location})
    return i.id, i.principal_id


def spark_cluster(clients, group: str, name: str, location: str, account: str, account_id: str,
                  filesystem: str, identity_id: str, password: str, ssh_user: str = "sshuser",
                  workers: int = 1) -> None:
    from azure.mgmt.hdinsight import models as m
    os_profile = m.OsProfile(linux_operating_system_profile=m.LinuxOperatingSystemProfile(
        username=ssh_user, password=password))
    roles = [m.Role(name="headnode", target_instance_count=2, os_profile=os_profile,
                    hardware_profile=m.HardwareProfile(vm_size="Standard_E2_v3")),
             m.Role(name="workernode", target_instance_count=workers, os_profile=os_profile,
                    hardware_profile=m.HardwareProfile(vm_size="Standard_E2_v3")),
             m.Role(name="zookeepernode", target_instance_count=3, os_profile=os_profile,
                    hardware_profile=m.HardwareProfile(vm_size="Standard_A2_v2"))]
    definition = m.ClusterDefinition(kind="Spark", component_version={"Spark": "3.3"}, configurations={
        "gateway": {"restAuthCredential.isEnabled": "true", "restAuthCredential.username": "admin",
                    "restAuthCredential.password": password}})
    storage = m.StorageProfile(storageaccounts=[m.StorageAccount(
        name=f"{account}.dfs.core.windows.net", is_default=True, file_system=filesystem, resource_id=account_id,
        msi_resource_id=identity_id)])
    props = m.ClusterCreateProperties(cluster_version="5.1", os_type="Linux", tier="Standard",
                                      cluster_definition=definition, compute_profile=m.ComputeProfile(roles=roles),
                                      storage_profile=storage, min_supported_tls_version="1.2")
    clients.hdinsight.clusters.begin_create(group, name, m.ClusterCreateParametersExtended(
        location=location, properties=props, identity=m.ClusterIdentity(
            type="UserAssigned", user_assigned_identities={identity_id: m.UserAssignedIdentity()}))).result()


def lecture(clients, password: str, keep_browse_role: bool = True) -> None:
    """The lecture's practice environment, as its students build it in the portal.

    `keep_browse_role=False`: the student browsed the lake with the account key (the portal's default), so
    no data role of theirs remains (the emulator's data plane takes Entra ID only: one is used, then removed).
    """
    g, loc = LECTURE["group"], LECTURE["location"]
    clients.resources.resource_groups.create_or_update(g, {"location": loc})
    account_id = storage_account(clients, g, LECTURE["account"], loc)
    browse = assign(clients, account_id, clients.principal_id, "Storage Blob Data Contributor")
    zones(clients, g, LECTURE["account"], ZONES)
    for (zone, path), data in FILES.items():
        datalake.put(clients, LECTURE["account"], zone, path, data)
    zones(clients, g, LECTURE["account"], {"dfs": LAYOUT})
    if not keep_browse_role:
        clients.authorization.role_assignments.delete_by_id(browse)
    clients.locks.management_locks.create_or_update_by_scope(account_id, "storagelock", {"level": "CanNotDelete"})
    identity_id, principal = identity(clients, g, LECTURE["identity"], loc)
    assign(clients, account_id, principal, "Storage Blob Data Owner")
    spark_cluster(clients, g, LECTURE["cluster"], loc, LECTURE["account"], account_id, "dfs", identity_id, password)


def lake_files(clients) -> dict:
    """Every file of the lecture's lake zones with its bytes."""
    out = {}
    for zone in ZONES:
        for item in datalake.ls(clients, LECTURE["account"], zone):
            if not item.is_directory:
                out[(zone, item.name)] = datalake.get(clients, LECTURE["account"], zone, item.name)
    return out


CENTRAL = {"group": "rg-bda-platform", "account": "stbdaplatformlake", "department_group": "rg-bda-ventas",
           "identity": "id-bda-ventas", "cluster": "hdi-bda-ventas", "filesystem": "dfs-ventas"}


def central_lake_and_department(clients, password: str) -> None:
    """A company lake in its own group, and a department whose identity and cluster work in it."""
    c, loc = CENTRAL, LECTURE["location"]
    clients.resources.resource_groups.create_or_update(c["group"], {"location": loc})
    account_id = storage_account(clients, c["group"], c["account"], loc)
    assign(clients, account_id, clients.principal_id, "Storage Blob Data Contributor")
    zones(clients, c["group"], c["account"], {"landing": ["ventas"], "universal": ["ventas"]})
    datalake.put(clients, c["account"], "landing", "ventas/pedidos.csv", b"pedido;total\n7;70\n")
    clients.resources.resource_groups.create_or_update(c["department_group"], {"location": loc})
    identity_id, principal = identity(clients, c["department_group"], c["identity"], loc)
    assign(clients, account_id, principal, "Storage Blob Data Owner")
    zones(clients, c["group"], c["account"], {c["filesystem"]: ["objects/inputs"]})
    spark_cluster(clients, c["department_group"], c["cluster"], loc, c["account"], account_id, c["filesystem"],
                  identity_id, password, ssh_user="ventasssh")
