"""Providers: one module per Azure service, each reading and writing through the official SDK clients."""
