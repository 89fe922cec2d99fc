"""Desired resources, diff, dependency graph and planner."""
