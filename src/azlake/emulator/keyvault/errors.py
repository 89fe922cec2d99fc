"""Errors Key Vault answers with: Microsoft.KeyVault through ARM, and the vault's own data plane."""

from __future__ import annotations

import json

from azlake.emulator.core.errors import AzureError
from azlake.emulator.core.http import Response


# --- ARM (Microsoft.KeyVault/vaults) --------------------------------------------------------------
class VaultNameNotValid(AzureError):
    STATUS, CODE = 400, "VaultNameNotValid"


class ConflictError(AzureError):
    STATUS, CODE = 409, "ConflictError"


class VaultAlreadyExists(AzureError):
    STATUS, CODE = 409, "VaultAlreadyExists"


# --- data plane (https://<vault>.vault.azure.net) ------------------------------------------------------
class KeyVaultError(AzureError):
    """A data-plane error: {"error": {"code", "message", "innererror"?}}; `inner` is Azure's inner code."""

    def __init__(self, message: str, *, inner: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message, headers=headers)
        self.inner = inner

    def to_response(self) -> Response:
        resp = super().to_response()
        if self.inner:
            body = json.loads(resp.body)
            body["error"]["innererror"] = {"code": self.inner}
            resp.body = json.dumps(body).encode()
        return resp


class BadParameter(KeyVaultError):
    STATUS, CODE = 400, "BadParameter"


class Unauthorized(KeyVaultError):
    STATUS, CODE = 401, "Unauthorized"


class Forbidden(KeyVaultError):
    STATUS, CODE = 403, "Forbidden"


class SecretNotFound(KeyVaultError):
    STATUS, CODE = 404, "SecretNotFound"


class VaultNotFound(KeyVaultError):
    STATUS, CODE = 404, "VaultNotFound"


class Conflict(KeyVaultError):
    STATUS, CODE = 409, "Conflict"
