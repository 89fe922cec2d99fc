"""Unknown api-versions are refused as ARM refuses them, per provider and resource type."""

from __future__ import annotations

import pytest
from conformance.replay import send

from azlake.emulator.core.api_versions import SUPPORTED


def _group(clients) -> str:
    clients.resources.resource_groups.create_or_update("grapi", {"location": "westeurope"})
    return f"/subscriptions/{clients.target.subscription}/resourceGroups/grapi"


def test_a_create_with_an_unknown_version_names_the_location_and_the_supported_versions(any_clients):
    group = _group(any_clients)
    resp = send(any_clients, "PUT", f"{group}/providers/Microsoft.Storage/storageAccounts/stapi1", "2019-01-01",
                {"location": "West Europe", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2"})
    assert resp.status_code == 400
    error = resp.json()["error"]
    assert error["code"] == "NoRegisteredProviderFound"
    assert error["message"] == ("No registered resource provider found for location 'westeurope' and API version "
                                "'2019-01-01' for type 'storageAccounts'. The supported api-versions are "
                                "'2026-09-01, 2025-06-01'.")


@pytest.mark.parametrize("path, rtype, namespace", [
    ("{group}/providers/Microsoft.EventHub/namespaces/nsapi/eventhubs", "namespaces/eventhubs", "Microsoft.EventHub"),
    ("{group}/providers/Microsoft.HDInsight/clusters", "clusters", "Microsoft.HDInsight"),
    ("{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities", "userAssignedIdentities",
     "Microsoft.ManagedIdentity"),
    ("{group}/providers/Microsoft.Authorization/locks", "locks", "Microsoft.Authorization"),
    ("{group}/providers/Microsoft.Authorization/roleAssignments", "roleAssignments", "Microsoft.Authorization"),
])
def test_a_read_with_an_unknown_version_is_an_invalid_resource_type(clients, path, rtype, namespace):
    resp = send(clients, "GET", path.format(group=_group(clients)), "2010-01-01")
    assert resp.status_code == 400
    error = resp.json()["error"]
    versions = SUPPORTED[namespace.lower()].get(rtype.split("/")[0].lower()) or SUPPORTED[namespace.lower()]["*"]
    assert error == {"code": "InvalidResourceType",
                     "message": f"The resource type '{rtype}' could not be found in the namespace '{namespace}' for "
                                f"api version '2010-01-01'. The supported api-versions are '{','.join(versions)}'."}


def test_resource_groups_answer_invalid_api_version_parameter(clients):
    resp = send(clients, "GET", f"{_group(clients)}", "2099-12-31")
    assert resp.status_code == 400
    assert resp.json()["error"] == {"code": "InvalidApiVersionParameter",
                                    "message": "The api-version '2099-12-31' is invalid. The supported versions are "
                                               "'2025-04-01'."}


COLLECTIONS = {"microsoft.resources": "", "microsoft.storage": "/providers/Microsoft.Storage/storageAccounts",
               "microsoft.managedidentity": "/providers/Microsoft.ManagedIdentity/userAssignedIdentities",
               "microsoft.hdinsight": "/providers/Microsoft.HDInsight/clusters",
               "microsoft.eventhub": "/providers/Microsoft.EventHub/namespaces",
               "microsoft.keyvault": "/providers/Microsoft.KeyVault/vaults"}


def test_every_supported_version_is_served(clients):
    group = _group(clients)
    for namespace, by_type in SUPPORTED.items():
        for rtype, versions in by_type.items():
            tail = COLLECTIONS.get(namespace, f"/providers/Microsoft.Authorization/{rtype}")
            for version in versions:
                assert send(clients, "GET", group + tail, version).status_code == 200, (namespace, rtype, version)


def test_a_resource_type_the_emulator_does_not_serve_is_404_invalid_resource_type(clients):
    path = f"{_group(clients)}/providers/Microsoft.Contoso/widgets/w1"
    resp = send(clients, "GET", path, "2024-01-01")
    assert resp.status_code == 404
    assert resp.json()["error"] == {"code": "InvalidResourceType",
                                    "message": f"The resource type or operation at '{path}' is not served by the "
                                               "azlake emulator."}
