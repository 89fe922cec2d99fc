"""Emulated Microsoft.ManagedIdentity: user-assigned managed identities."""
