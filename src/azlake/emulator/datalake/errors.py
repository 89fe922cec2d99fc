"""Errors the storage data plane (DFS and Blob endpoints) answers with, one class per Azure error code.

They render as the DFS endpoint's JSON; `serialize.as_dialect` turns them into the Blob endpoint's XML or a
bodiless HEAD answer, with the same status and code. ARM's blobContainers codes are in storage/errors.py.
"""

from __future__ import annotations

from azlake.emulator.core.errors import AzureError, StorageError


class DataLakeError(AzureError, StorageError):
    """A data-plane error whose status and code its class fixes; the body and x-ms-error-code as StorageError."""


# --- requests ----------------------------------------------------------------------------------------
class HierarchicalNamespaceNotEnabled(DataLakeError):
    STATUS, CODE = 400, "HierarchicalNamespaceNotEnabled"


class InvalidHeaderValue(DataLakeError):
    STATUS, CODE = 400, "InvalidHeaderValue"


class InvalidQueryParameterValue(DataLakeError):
    STATUS, CODE = 400, "InvalidQueryParameterValue"


class InvalidSourceBlobUrl(DataLakeError):
    STATUS, CODE = 400, "InvalidSourceBlobUrl"


class MissingRequiredHeader(DataLakeError):
    STATUS, CODE = 400, "MissingRequiredHeader"


class NoAuthenticationInformation(DataLakeError):
    STATUS, CODE = 401, "NoAuthenticationInformation"


class AuthorizationPermissionMismatch(DataLakeError):
    STATUS, CODE = 403, "AuthorizationPermissionMismatch"


class CannotVerifyCopySource(DataLakeError):
    """404 when the copy source does not exist, 403 when the caller may not read it: the status is the source's
    failure, which Azure's error table says to read (its 500 is a verification timeout, not emulated)."""
    STATUS, CODE, OTHER_STATUSES = 404, "CannotVerifyCopySource", (403,)


class ResourceNotFound(DataLakeError):
    STATUS, CODE = 404, "ResourceNotFound"


class ConditionNotMet(DataLakeError):
    STATUS, CODE = 412, "ConditionNotMet"


class InvalidRange(DataLakeError):
    STATUS, CODE = 416, "InvalidRange"


# --- filesystems (DFS) and containers (Blob) --------------------------------------------------------
class InvalidResourceName(DataLakeError):
    STATUS, CODE = 400, "InvalidResourceName"


class OutOfRangeInput(DataLakeError):
    STATUS, CODE = 400, "OutOfRangeInput"


class ContainerNotFound(DataLakeError):
    STATUS, CODE = 404, "ContainerNotFound"


class FilesystemNotFound(DataLakeError):
    STATUS, CODE = 404, "FilesystemNotFound"


class ContainerAlreadyExists(DataLakeError):
    STATUS, CODE = 409, "ContainerAlreadyExists"


class FilesystemAlreadyExists(DataLakeError):
    STATUS, CODE = 409, "FilesystemAlreadyExists"


# --- paths (DFS) and blobs (Blob) -------------------------------------------------------------------
class InvalidDestinationPath(DataLakeError):
    STATUS, CODE = 400, "InvalidDestinationPath"


class InvalidFlushPosition(DataLakeError):
    STATUS, CODE = 400, "InvalidFlushPosition"


class BlobNotFound(DataLakeError):
    STATUS, CODE = 404, "BlobNotFound"


class PathNotFound(DataLakeError):
    STATUS, CODE = 404, "PathNotFound"


class RenameDestinationParentPathNotFound(DataLakeError):
    STATUS, CODE = 404, "RenameDestinationParentPathNotFound"


class SourcePathNotFound(DataLakeError):
    STATUS, CODE = 404, "SourcePathNotFound"


class DirectoryNotEmpty(DataLakeError):
    STATUS, CODE = 409, "DirectoryNotEmpty"


class PathAlreadyExists(DataLakeError):
    STATUS, CODE = 409, "PathAlreadyExists"


class PathConflict(DataLakeError):
    STATUS, CODE = 409, "PathConflict"


# --- leases: 409 for a lease action that does not fit the lease; 412 for a write that does not hold it ---
class LeaseAlreadyPresent(DataLakeError):
    STATUS, CODE = 409, "LeaseAlreadyPresent"


class LeaseIdMismatchWithLeaseOperation(DataLakeError):
    STATUS, CODE = 409, "LeaseIdMismatchWithLeaseOperation"


class LeaseIsBreakingAndCannotBeAcquired(DataLakeError):
    STATUS, CODE = 409, "LeaseIsBreakingAndCannotBeAcquired"


class LeaseIsBreakingAndCannotBeChanged(DataLakeError):
    STATUS, CODE = 409, "LeaseIsBreakingAndCannotBeChanged"


class LeaseIsBrokenAndCannotBeRenewed(DataLakeError):
    STATUS, CODE = 409, "LeaseIsBrokenAndCannotBeRenewed"


class LeaseNotPresentWithLeaseOperation(DataLakeError):
    STATUS, CODE = 409, "LeaseNotPresentWithLeaseOperation"


class LeaseIdMismatch(DataLakeError):
    """The DFS endpoint's code for a write whose lease id is not the path's (Microsoft.StorageDataLake spec)."""
    STATUS, CODE = 412, "LeaseIdMismatch"


class LeaseIdMismatchWithBlobOperation(DataLakeError):
    STATUS, CODE = 412, "LeaseIdMismatchWithBlobOperation"


class LeaseIdMismatchWithContainerOperation(DataLakeError):
    STATUS, CODE = 412, "LeaseIdMismatchWithContainerOperation"


class LeaseIdMissing(DataLakeError):
    STATUS, CODE = 412, "LeaseIdMissing"


class LeaseLost(DataLakeError):
    STATUS, CODE = 412, "LeaseLost"


class LeaseNotPresent(DataLakeError):
    """The DFS endpoint's code for a write naming a lease id on an unleased path (Microsoft.StorageDataLake spec)."""
    STATUS, CODE = 412, "LeaseNotPresent"


class LeaseNotPresentWithBlobOperation(DataLakeError):
    STATUS, CODE = 412, "LeaseNotPresentWithBlobOperation"


class LeaseNotPresentWithContainerOperation(DataLakeError):
    STATUS, CODE = 412, "LeaseNotPresentWithContainerOperation"
