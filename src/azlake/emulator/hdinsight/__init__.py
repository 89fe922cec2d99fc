"""Emulated Microsoft.HDInsight: clusters (create, states over time, resize, autoscale, gateway) and locations."""
