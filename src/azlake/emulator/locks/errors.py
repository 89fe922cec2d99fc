"""Errors Microsoft.Authorization/locks answers with (ScopeLocked, raised by any locked write, is ARM's: core)."""

from __future__ import annotations

from azlake.emulator.core.errors import AzureError


class InvalidLockLevel(AzureError):
    STATUS, CODE = 400, "InvalidLockLevel"


class InvalidLockName(AzureError):
    STATUS, CODE = 400, "InvalidLockName"


class LockNotesTooLong(AzureError):
    STATUS, CODE = 400, "LockNotesTooLong"


class LockNotFound(AzureError):
    STATUS, CODE = 404, "LockNotFound"
