"""Emulated Microsoft.Authorization management locks (CanNotDelete, ReadOnly) at any scope."""
