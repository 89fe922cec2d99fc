"""Errors Microsoft.Storage answers with through ARM (the data plane's own are in datalake/errors.py)."""

from __future__ import annotations

from azlake.emulator.core.errors import AzureError


class AccountNameInvalid(AzureError):
    STATUS, CODE = 400, "AccountNameInvalid"


class AccountPropertyCannotBeUpdated(AzureError):
    STATUS, CODE = 400, "AccountPropertyCannotBeUpdated"


class ContainerOperationFailure(AzureError):
    STATUS, CODE = 400, "ContainerOperationFailure"


class FeatureNotSupportedForAccount(AzureError):
    STATUS, CODE = 400, "FeatureNotSupportedForAccount"


class InvalidRequestPropertyValue(AzureError):
    STATUS, CODE = 400, "InvalidRequestPropertyValue"


class MissingRequiredProperty(AzureError):
    STATUS, CODE = 400, "MissingRequiredProperty"


class ContainerNotFound(AzureError):
    """ARM's answer for a blob container (in ARM's body, without the data plane's x-ms-error-code header)."""
    STATUS, CODE = 404, "ContainerNotFound"


class StorageAccountAlreadyTaken(AzureError):
    STATUS, CODE = 409, "StorageAccountAlreadyTaken"
