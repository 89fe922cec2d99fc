"""What each rule of an environment file reads: the model, the central lake, unset variables, the collector."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from azlake.envfile.diagnostics import Collector, KeyPath
from azlake.envfile.models import DataLake, Environment


@dataclass
class Context:
    spec: Environment
    lake: Environment | None  # the environment owning the central lake (data_lake: {use: ...}), or None
    path: Path
    unresolved: dict[KeyPath, str]
    out: Collector

    def set(self, path: KeyPath) -> bool:
        """True when the value at `path` is known (not an unresolved ${VAR} in validate mode)."""
        return path not in self.unresolved

    @property
    def lake_spec(self) -> DataLake | None:
        """The DataLake the cluster and jobs work on: this file's own, or the central lake's."""
        if self.lake is not None:
            return self.lake.data_lake
        lake = self.spec.data_lake
        return lake if lake is not None and lake.use is None else None
