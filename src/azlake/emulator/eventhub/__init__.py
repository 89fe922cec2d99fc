"""Emulated Microsoft.EventHub: namespaces (long-running create), event hubs and consumer groups with tier limits."""
