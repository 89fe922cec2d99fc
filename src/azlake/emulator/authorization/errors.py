"""Errors Microsoft.Authorization answers with: role definitions, role assignments and ARM's access check."""

from __future__ import annotations

from azlake.emulator.core.errors import AzureError


class InvalidPrincipalId(AzureError):
    STATUS, CODE = 400, "InvalidPrincipalId"


class InvalidPrincipalType(AzureError):
    STATUS, CODE = 400, "InvalidPrincipalType"


class InvalidRoleAssignmentId(AzureError):
    STATUS, CODE = 400, "InvalidRoleAssignmentId"


class PrincipalNotFound(AzureError):
    STATUS, CODE = 400, "PrincipalNotFound"


class UnmatchedPrincipalType(AzureError):
    STATUS, CODE = 400, "UnmatchedPrincipalType"


class UnsupportedQuery(AzureError):
    STATUS, CODE = 400, "UnsupportedQuery"


class AuthorizationFailed(AzureError):
    STATUS, CODE = 403, "AuthorizationFailed"


class RoleAssignmentNotFound(AzureError):
    STATUS, CODE = 404, "RoleAssignmentNotFound"


class RoleDefinitionDoesNotExist(AzureError):
    """404 when the role definition itself is read; 400 when a role assignment names one that does not exist."""
    STATUS, CODE, OTHER_STATUSES = 404, "RoleDefinitionDoesNotExist", (400,)


class RoleAssignmentExists(AzureError):
    STATUS, CODE = 409, "RoleAssignmentExists"


class RoleAssignmentUpdateNotPermitted(AzureError):
    STATUS, CODE = 409, "RoleAssignmentUpdateNotPermitted"
