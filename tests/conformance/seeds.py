"""What an example's request needs to exist first (its group, account, namespace, cluster...), made over ARM.

An example names its resources by path only; the replay walks that path and creates each resource above the
one the example acts on (and that one too, unless the example creates it), with the smallest valid body for
its type. Where the example's answer shows the resource (a GET, a list), its SKU, kind and location seed it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from emulator.hdinsight_env import BLOB_DATA_OWNER, LOGIN_PASSWORD, SSH_PASSWORD

from conformance.replay import send

Seed = Callable[[Any, str, dict, str], None]  # (clients, resource id, hint body, location)
LONG = 7200.0  # nominal seconds: more than any emulated provisioning takes


def region(name: str) -> str:
    """A region as ARM stores it: 'East US 2 (Stage)' -> 'eastus2stage'."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def chain(path: str) -> list[tuple[str, str]]:
    """(resource id, resource type lower-cased) of each resource along an ARM path, outermost first."""
    parts = [p for p in path.split("/") if p]
    out: list[tuple[str, str]] = []
    i, rtype = 0, ""
    while i + 1 < len(parts):
        word = parts[i].lower()
        if word == "subscriptions":
            i += 2
        elif word == "resourcegroups":
            out.append(("/" + "/".join(parts[:i + 2]), "microsoft.resources/resourcegroups"))
            i += 2
        elif word == "providers":
            rtype = parts[i + 1].lower()
            i += 2
        elif rtype:
            rtype += "/" + word
            out.append(("/" + "/".join(parts[:i + 2]), rtype))
            i += 2
        else:
            break
    return out


def put(clients, rid: str, body: dict, emulator=None) -> Any:
    resp = send(clients, "PUT", rid, api(clients, rid), body)
    if emulator is not None:
        emulator.advance(LONG)
    return resp


def group(clients, rid, hint, location, emulator=None):
    put(clients, rid, {"location": location})


def storage_account(clients, rid, hint, location, emulator=None):
    sku = (hint.get("sku") or {}).get("name") or "Standard_LRS"
    kind = hint.get("kind") or "StorageV2"
    props = {"isHnsEnabled": False, **(hint.get("properties") or {})}  # what the example's account was given
    resp = put(clients, rid, {"sku": {"name": sku}, "kind": kind, "location": region(hint.get("location") or location),
                              "tags": hint.get("tags") or {}, "identity": hint.get("identity"),
                              "properties": props}, emulator)
    if resp.status_code >= 400:  # a retired kind or SKU of the example: an account of today's default shape
        put(clients, rid, {"sku": {"name": "Standard_LRS"}, "kind": "StorageV2", "location": location,
                           "properties": {"isHnsEnabled": True}}, emulator)


def container(clients, rid, hint, location, emulator=None):
    """A container; one the example shows deleted is made and then deleted under container soft delete."""
    put(clients, rid, {"properties": {}})
    if (hint.get("properties") or {}).get("deleted"):
        service = rid.rsplit("/containers/", 1)[0]
        put(clients, service, {"properties": {"containerDeleteRetentionPolicy": {"enabled": True, "days": 30}}})
        send(clients, "DELETE", rid, api(clients, rid))


def namespace(clients, rid, hint, location, emulator=None):
    sku = hint.get("sku") or {"name": "Standard", "tier": "Standard"}
    sku = {k: v for k, v in sku.items() if k in ("name", "tier", "capacity")}
    props = {k: v for k, v in (hint.get("properties") or {}).items() if k != "isAutoInflateEnabled"}
    put(clients, rid, {"location": hint.get("location") or location, "sku": sku, "tags": hint.get("tags") or {},
                       "identity": hint.get("identity"), "properties": props}, emulator)


def event_hub(clients, rid, hint, location, emulator=None):
    props = {"partitionCount": 4, **(hint.get("properties") or {})}
    if put(clients, rid, {"properties": props}).status_code >= 400:
        put(clients, rid, {"properties": {"partitionCount": 4}})


def consumer_group(clients, rid, hint, location, emulator=None):
    put(clients, rid, {"properties": {}})


def authorization_rule(clients, rid, hint, location, emulator=None):
    rights = (hint.get("properties") or {}).get("rights") or ["Listen", "Send"]
    put(clients, rid, {"properties": {"rights": rights}})


def identity(clients, rid, hint, location, emulator=None):
    put(clients, rid, {"location": hint.get("location") or location, "tags": hint.get("tags") or {}})


def lock(clients, rid, hint, location, emulator=None):
    props = hint.get("properties") or {}
    put(clients, rid, {"properties": {"level": props.get("level", "CanNotDelete"), "notes": props.get("notes")}})


def role_assignment(clients, rid, hint, location, emulator=None):
    props = hint.get("properties") or {}
    principal = props.get("principalId") or str(uuid.uuid4())
    definition = props.get("roleDefinitionId") or \
        f"/subscriptions/{rid.split('/')[2]}/providers/Microsoft.Authorization/roleDefinitions/{BLOB_DATA_OWNER}"
    put(clients, rid, {"properties": {"roleDefinitionId": definition, "principalId": principal,
                                      "principalType": props.get("principalType", "ServicePrincipal")}})


def cluster(clients, rid, hint, location, emulator=None):
    """A Spark 5.1 cluster of the example's name and region, with the lake it needs (account, identity, role)."""
    loc = region(hint.get("location") or location)
    grp = rid.split("/providers/")[0]
    name = rid.rsplit("/", 1)[-1]
    account = ("st" + uuid.uuid5(uuid.NAMESPACE_URL, rid).hex)[:20]
    acc_id = f"{grp}/providers/Microsoft.Storage/storageAccounts/{account}"
    storage_account(clients, acc_id, {"properties": {"isHnsEnabled": True}, "location": loc}, loc, emulator)
    ident_id = f"{grp}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id{account}"
    principal = put(clients, ident_id, {"location": loc}).json()["properties"]["principalId"]
    role_assignment(clients, f"{acc_id}/providers/Microsoft.Authorization/roleAssignments/"
                             f"{uuid.uuid5(uuid.NAMESPACE_URL, acc_id)}",
                    {"properties": {"principalId": principal}}, loc)
    linux = {"username": "lakessh", "password": SSH_PASSWORD}
    roles = [{"name": n, "targetInstanceCount": c, "hardwareProfile": {"vmSize": s},
              "osProfile": {"linuxOperatingSystemProfile": linux}}
             for n, c, s in (("headnode", 2, "Standard_E4_v3"), ("workernode", 3, "Standard_E4_v3"),
                             ("zookeepernode", 3, "Standard_A2_v2"))]
    put(clients, rid, {
        "location": loc, "tags": hint.get("tags") or {}, "identity": {"type": "UserAssigned", "userAssignedIdentities": {ident_id: {}}},
        "properties": {"clusterVersion": "5.1", "osType": "Linux", "tier": "Standard",
                       "clusterDefinition": {"kind": "spark", "componentVersion": {"Spark": "3.3"}, "configurations": {
                           "gateway": {"restAuthCredential.isEnabled": True,
                                       "restAuthCredential.username": "lakeadmin",
                                       "restAuthCredential.password": LOGIN_PASSWORD}}},
                       "storageProfile": {"storageaccounts": [{
                           "name": f"{account}.dfs.core.windows.net", "isDefault": True, "fileSystem": name,
                           "resourceId": acc_id, "msiResourceId": ident_id}]},
                       "computeProfile": {"roles": roles}}}, emulator)


SEEDS: dict[str, Callable[..., None]] = {
    "microsoft.resources/resourcegroups": group,
    "microsoft.storage/storageaccounts": storage_account,
    "microsoft.storage/storageaccounts/blobservices/containers": container,
    "microsoft.eventhub/namespaces": namespace,
    "microsoft.eventhub/namespaces/eventhubs": event_hub,
    "microsoft.eventhub/namespaces/eventhubs/consumergroups": consumer_group,
    "microsoft.eventhub/namespaces/authorizationrules": authorization_rule,
    "microsoft.managedidentity/userassignedidentities": identity,
    "microsoft.authorization/locks": lock,
    "microsoft.authorization/roleassignments": role_assignment,
    "microsoft.hdinsight/clusters": cluster,
}
API_VERSIONS = {"microsoft.storage": "2026-09-01", "microsoft.eventhub": "2026-01-01",
                "microsoft.managedidentity": "2024-11-30", "microsoft.authorization": "2022-04-01",
                "microsoft.hdinsight": "2021-06-01", "microsoft.resources": "2025-04-01"}


def _api_for(rtype: str) -> str:
    if rtype == "microsoft.authorization/locks":
        return "2020-05-01"
    return API_VERSIONS.get(rtype.split("/")[0], "2025-04-01")


def ensure(clients, emulator, path: str, *, include_last: bool, hint: dict, location: str) -> None:
    """Create every resource along `path` (the last one only when `include_last`), outermost first."""
    links = chain(path)
    if not include_last:
        links = links[:-1]
    for i, (rid, rtype) in enumerate(links):
        seed = SEEDS.get(rtype)
        if seed is None:
            continue
        if send(clients, "GET", rid, _api_for(rtype)).status_code == 200:
            continue
        seed(clients, rid, hint if i == len(links) - 1 else {}, location, emulator)


def api(clients, rid: str) -> str:
    links = chain(rid)
    return _api_for(links[-1][1]) if links else "2025-04-01"
