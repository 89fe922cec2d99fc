"""Errors Microsoft.Resources answers with about resource groups."""

from __future__ import annotations

from azlake.emulator.core.errors import AzureError


class InvalidResourceGroupName(AzureError):
    STATUS, CODE = 400, "InvalidResourceGroupName"


class InvalidResourceGroupNameLength(AzureError):
    STATUS, CODE = 400, "InvalidResourceGroupNameLength"


class InvalidResourceGroupLocation(AzureError):
    STATUS, CODE = 409, "InvalidResourceGroupLocation"
