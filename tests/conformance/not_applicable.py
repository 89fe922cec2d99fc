"""Official examples that cannot apply today: what Azure answers them now, what the emulator answers, and why.

Keyed by example file name. docs/emulator.md ("Conformance tests") lists the same examples for users; the
replay asserts the emulator's answer, so a change in behaviour shows up here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Today:
    status: int          # the emulator's answer (HTTP status and ARM error code)
    code: str | None
    azure: str           # what Azure answers the example today
    reason: str


_RETIRED = ("HDInsight accepts only version 5.1 (3.x, 4.0 and 5.0 are retired; 4.0 and 5.0 on 2025-03-31) and "
            "storage through a managed identity; the example's cluster cannot be created any more")

NOT_APPLICABLE: dict[str, Today] = {
    "CreateLinuxSparkSshPassword.json": Today(400, "InvalidDocumentErrorCode", "400: version 3.5 retired", _RETIRED),
    "CreateLinuxHadoopAdlsGen2.json": Today(400, "InvalidDocumentErrorCode", "400: version 3.6 retired", _RETIRED),
    "CreateKafkaClusterWithKafkaRestProxy.json": Today(400, "InvalidDocumentErrorCode", "400: version 4.0 retired",
                                                       _RETIRED),
    "HDI_Clusters_UpdateGatewaySettings_Enable.json": Today(
        400, "InvalidDocumentErrorCode", "400: the password fails HDInsight's rules",
        "the example's password is the mask '**********' (no digit, letter or upper case)"),
    "BlobContainersGetWithAllowProtectedAppendWritesAll.json": Today(
        200, None, "200 with the container's immutability policy and legal hold",
        "immutability policies and legal holds are not emulated (their operations are not served), so the "
        "container cannot be given them first; the emulator answers the container without them"),
    "ChangeHttpConnectivityEnable.json": Today(
        400, "InvalidDocumentErrorCode", "400: the password fails HDInsight's rules",
        "the example's password is the mask '**********' (no digit, letter or upper case)"),
    "ChangeHttpConnectivityDisable.json": Today(
        400, "InvalidDocumentErrorCode", "not confirmed",
        "it turns the gateway credential off and sends no user; the emulator asks every gateway update for a valid "
        "login, and whether Azure still lets HTTP credentials be turned off was not confirmed"),
    "HDI_Configurations_Get.json": Today(
        404, "NotFound", "200 on a cluster created with that core-site",
        "its core-site holds a storage account key for a wasb (Blob) account: clusters here reach ADLS Gen2 through "
        "a managed identity, and a cluster's configurations are the ones given at its creation"),
    "HDI_Locations_GetAsyncOperationStatus.json": Today(
        404, "OperationNotFound", "404 outside the example's own run",
        "the operation id is one of Azure's own run of the example; the emulator's operations have their own ids"),
    "GetRoleDefinitionByName.json": Today(
        404, "RoleDefinitionDoesNotExist", "404 RoleDefinitionDoesNotExist",
        "the example's role definition id is the placeholder 'roleDefinitionId'"),
    "RoleAssignments_Get.json": Today(
        404, "RoleAssignmentNotFound", "200 in the example's tenant",
        "its scope is a Cosmos DB account (Microsoft.DocumentDb), which the emulator does not serve, so the "
        "assignment cannot be made first"),
    "RoleAssignments_CreateForSubscription.json": Today(
        400, "RoleDefinitionDoesNotExist", "201 in the example's tenant",
        "role definition 0b5fe924-9a61-425c-96af-cfe6e287ca2d is not one of the built-in roles the emulator serves"),
    "RoleAssignments_CreateForResource.json": Today(
        400, "RoleDefinitionDoesNotExist", "201 in the example's tenant",
        "role definition 0b5fe924-9a61-425c-96af-cfe6e287ca2d is not one of the built-in roles the emulator serves, "
        "and its scope is a Cosmos DB account, which the emulator does not serve"),
    "RoleAssignments_CreateForResourceGroup.json": Today(
        400, "RoleDefinitionDoesNotExist", "201 in the example's tenant",
        "role definition 0b5fe924-9a61-425c-96af-cfe6e287ca2d is not one of the built-in roles the emulator serves"),
}

# Values where an example contradicts itself (its answer does not match its own request), by example file
# name and JSON path of the answer: not compared, as no emulator could match both.
SLIPS: dict[str, dict[str, str]] = {
    "StorageAccountCreateAllowedCopyScopeToAAD.json": {
        "$.extendedLocation": "the answer places the account in an edge zone the request never named",
    },
    "StorageAccountCreatePremiumBlockBlobStorage.json": {
        "$.kind": "the request creates kind BlockBlobStorage, the answer says 'Storage'",
        "$.properties.statusOfSecondary": "the answer gives a secondary status to a Premium_LRS account, which has "
                                          "no secondary",
    },
    "EHNameSpaceCreate.json": {
        "$.properties.encryption.keyVaultProperties[0].keyVaultUri":
            "the request names vault 'aprao-keyvault-user', the answer 'sample-keyvault-user'",
    },
}
