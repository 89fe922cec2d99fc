"""Which run uses an ephemeral cluster: tags `azlake run` writes on it, judged against the environment's lock.

A run tags the cluster with its lock id (`azlake-run`), who runs it and since when; the lock's lease is
the heartbeat (renewed every 15 s while the run lives). A cluster whose tagged run no longer holds the
lock, and that was not kept on purpose (`--keep-cluster` adds `azlake-run-ended`), was left by a run that
died: `status` calls it abandoned and `reap` deletes it without waiting for `max_age`.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from azlake.azure import envlock

if TYPE_CHECKING:
    from azlake.azure.clients import Clients
    from azlake.envfile.load import LoadedEnvironment
    from azlake.envfile.models import Environment

TAG_RUN, TAG_BY, TAG_SINCE, TAG_ENDED = "azlake-run", "azlake-run-by", "azlake-run-since", "azlake-run-ended"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _retag(clients: Clients, spec: Environment, change: dict[str, str], drop: tuple[str, ...] = ()) -> None:
    """One PATCH of the cluster's tags: Azure's (and people's) tags kept, ours changed."""
    from azure.mgmt.hdinsight.models import ClusterPatchParameters
    if spec.cluster is None:  # no cluster, nothing to tag
        return
    group, name = spec.resource_group.name, spec.cluster.name
    tags = dict(clients.hdinsight.clusters.get(group, name).tags or {})
    tags = {k: v for k, v in tags.items() if k not in drop}
    clients.hdinsight.clusters.update(group, name, ClusterPatchParameters(tags={**tags, **change}))


def mark_in_use(clients: Clients, spec: Environment, run_id: str) -> None:
    """This run (holding lock `run_id`) uses the cluster from now on."""
    by = f"{envlock.who_runs()} on {socket.gethostname()}"
    _retag(clients, spec, {TAG_RUN: run_id, TAG_BY: by[:256], TAG_SINCE: _now()}, drop=(TAG_ENDED,))


def mark_kept(clients: Clients, spec: Environment) -> None:
    """The run ended and keeps the cluster on purpose (--keep-cluster): not abandoned, reaped by max_age."""
    _retag(clients, spec, {TAG_ENDED: _now()})


@dataclass
class Usage:
    run_id: str
    by: str
    since: str
    alive: bool

    def describe(self) -> str:
        if self.alive:
            return f"in use by run {self.run_id} ({self.by}, since {self.since})"
        return (f"ABANDONED: run {self.run_id} ({self.by}, since {self.since}) that uses it is no longer running "
                "(it does not hold the environment's lock); it bills until `azlake reap` or `azlake destroy` "
                "deletes it")


def usage(loaded: LoadedEnvironment, clients: Clients, tags: dict[str, str] | None) -> Usage | None:
    """The run that uses the cluster and whether it still lives; None when no run claims it."""
    tags = tags or {}
    run_id = tags.get(TAG_RUN)
    if not run_id or tags.get(TAG_ENDED):
        return None
    state, holder = envlock.current(loaded, clients)
    # a lock that cannot be read, or is leased by a holder not written yet, gets the benefit of the doubt
    alive = state in ("leased", "breaking", "unknown") and (holder is None or holder.id.lower() == run_id.lower())
    return Usage(run_id, tags.get(TAG_BY, "?"), tags.get(TAG_SINCE, "?"), alive)
