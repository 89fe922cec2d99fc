"""Emulated Microsoft.Resources: resource groups and the generic operation-status endpoints."""
