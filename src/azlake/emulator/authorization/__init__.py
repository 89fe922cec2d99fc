"""Emulated Microsoft.Authorization: built-in role definitions and role assignments."""
