"""Emulated Azure Key Vault: Microsoft.KeyVault vaults (soft delete, purge, names) and the secrets data plane."""
