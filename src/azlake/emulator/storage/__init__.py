"""Emulated Microsoft.Storage management plane: storage accounts and blob service properties."""
