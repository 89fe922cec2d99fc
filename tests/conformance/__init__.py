"""Conformance tests: the emulator against the official Azure REST specs and examples."""
