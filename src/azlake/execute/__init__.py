"""Applying a plan: executor and progress displays."""
