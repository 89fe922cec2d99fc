"""Secrets that live in Azure Key Vault: `password: generate` and `${keyvault:<vault>/<secret>}` references.

Both become a VaultSecret in the loaded file: a SecretStr that knows where its value is and holds it only
once read from the vault with the caller's identity (azure/keyvault.reveal). Nothing here imports an Azure SDK.
"""

from __future__ import annotations

import re

from pydantic import SecretStr

GENERATE = "generate"
REFERENCE = re.compile(r"^\$\{keyvault:([A-Za-z0-9-]{3,24})/([0-9A-Za-z-]{1,127})\}$")
REFERENCE_PATTERN = r"\$\{keyvault:[A-Za-z0-9-]{3,24}/[0-9A-Za-z-]{1,127}\}"
CURRENT_TAG = "azlake-state"  # a generated password's versions: pending (rotation under way) or current


class VaultSecret(SecretStr):
    """A secret whose value is in a vault; `generated` ones azlake creates (and rotates) itself."""

    def __init__(self, vault: str, secret: str, generated: bool) -> None:
        super().__init__("")
        self.vault, self.secret, self.generated = vault, secret, generated
        self._value: str | None = None

    def __repr__(self) -> str:
        return f"VaultSecret({self.where})"

    def __bool__(self) -> bool:  # a SecretStr is false when empty; this one's value is elsewhere, not empty
        return True

    @property
    def where(self) -> str:
        return f"{self.vault}/{self.secret}"

    @property
    def known(self) -> bool:
        return self._value is not None

    def remember(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        if self._value is None:
            from azlake.errors import AzlakeError
            raise AzlakeError(f"the secret {self.where} has not been read from its vault yet")
        return self._value


def generated_secret_name(cluster: str) -> str:
    """The vault secret holding a cluster's generated login password."""
    return f"{cluster}-login-password"


def vault_secret(raw: object, vault: str | None, cluster: str | None) -> VaultSecret | None:
    """The VaultSecret a secret key's raw text names, or None when it names none."""
    if raw == GENERATE:  # without a vault section the file is refused (rules.py), never taken literally
        return VaultSecret(vault or "", generated_secret_name(cluster or "cluster"), generated=True)
    match = REFERENCE.match(raw) if isinstance(raw, str) else None
    return VaultSecret(match.group(1), match.group(2), generated=False) if match else None

