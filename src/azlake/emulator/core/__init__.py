"""The emulator's shared core: routing, errors, persistence, clock, long-running operations, faults."""
