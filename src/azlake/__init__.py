"""azlake: declarative provisioning of Azure big-data environments."""

__version__ = "0.1.0"
