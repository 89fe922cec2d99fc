"""What import read in Azure, as plain facts (no SDK objects): the writer turns them into a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Listing:
    """The directories found in one filesystem, within the depth and count limits."""

    paths: list[str] = field(default_factory=list)
    truncated: str | None = None     # why the listing stopped early, or None
    error: str | None = None         # could not list at all (e.g. no data role)


@dataclass
class Lake:
    name: str
    id: str
    group: str
    location: str
    performance: str                 # standard | premium
    redundancy: str                  # LRS, GRS, ...
    hns: bool
    tags: dict[str, str]
    soft_delete_days: int | None = None
    lock: bool = False
    filesystems: dict[str, Listing] = field(default_factory=dict)
    deployer_access: bool = False


@dataclass
class Cluster:
    name: str
    id: str
    kind: str
    version: str
    location: str
    tags: dict[str, str]
    nodes: dict[str, tuple[str, int]]            # head/worker/zookeeper -> (size, count)
    autoscale: tuple[int, int] | None = None
    storage_account: str | None = None           # name of the default (primary) account
    storage_account_id: str | None = None
    filesystem: str | None = None
    layout: Listing = field(default_factory=Listing)
    identity_id: str | None = None
    login_user: str | None = None
    ssh_user: str | None = None


@dataclass
class Hub:
    partitions: int
    retention_hours: int
    consumer_groups: list[str]


@dataclass
class Streaming:
    name: str
    sku: str
    capacity: int
    tags: dict[str, str]
    hubs: dict[str, Hub] = field(default_factory=dict)


@dataclass
class Found:
    """Everything import read in one resource group, and what the file will not be able to say."""

    subscription: str
    group: str
    location: str
    group_tags: dict[str, str]
    lake: Lake | None = None
    central_lake: Lake | None = None             # the cluster's lake lives in another group
    identity: str | None = None
    identity_tags: dict[str, str] = field(default_factory=dict)
    cluster: Cluster | None = None
    streaming: Streaming | None = None
    left_alone: list[str] = field(default_factory=list)   # what the file cannot express: Azure keeps it
    notes: list[str] = field(default_factory=list)         # how a value was chosen (guesses, limits)

    def leave(self, what: str) -> None:
        if what not in self.left_alone:
            self.left_alone.append(what)

    def all_tags(self) -> list[dict[str, Any]]:
        out = [self.group_tags, self.identity_tags if self.identity else None,
               self.lake.tags if self.lake else None, self.cluster.tags if self.cluster else None,
               self.streaming.tags if self.streaming else None]
        return [t for t in out if t is not None]
