"""Where a job's files live: lake zones, the cluster's working filesystem, and their abfss:// URIs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from azlake.envfile.files import MAX_SCRIPT_BYTES, Refused, check_regular, read_bytes
from azlake.envfile.load import derived
from azlake.errors import AzlakeError

if TYPE_CHECKING:
    from azlake.envfile.load import LoadedEnvironment
    from azlake.envfile.models import Cluster, Executors

INPUTS, OUTPUTS, SCRIPTS, LOGS = "objects/inputs", "objects/outputs", "objects/scripts", "objects/logs"


@dataclass(frozen=True)
class Location:
    """A path in one filesystem of the lake's storage account."""

    account: str
    filesystem: str
    path: str

    @property
    def abfss(self) -> str:
        return f"abfss://{self.filesystem}@{self.account}.dfs.core.windows.net/{self.path}"

    def __str__(self) -> str:
        return f"{self.filesystem}/{self.path}"


@dataclass(frozen=True)
class JobLayout:
    """Everything `azlake run` needs to know about where one job reads, works and writes."""

    environment: str
    job: str
    account: str
    cluster: str
    filesystem: str                  # the cluster's working filesystem (dfs)
    script: Path                     # the local script
    inputs: dict[str, Location]      # name -> lake location (zone/path)
    outputs: dict[str, Location]     # name -> lake location
    executors: Executors

    def staged(self, name: str) -> Location:
        return Location(self.account, self.filesystem, f"{INPUTS}/{name}")

    def produced(self, name: str) -> Location:
        return Location(self.account, self.filesystem, f"{OUTPUTS}/{name}")

    @property
    def script_location(self) -> Location:
        return Location(self.account, self.filesystem, f"{SCRIPTS}/{self.job}/{self.script.name}")

    def script_bytes(self) -> bytes:
        """The script's content: a regular file of sane size (read unblocking: a FIFO put there meanwhile is refused)."""
        try:
            return read_bytes(self.script, MAX_SCRIPT_BYTES, "a job script")
        except Refused as refused:
            raise AzlakeError(f"job {self.job}: script {self.script}: {refused.summary}",
                              hint=refused.detail or "run validate on the environment file") from None

    def log_location(self, batch_id: int) -> Location:
        return Location(self.account, self.filesystem, f"{LOGS}/{self.job}/batch-{batch_id}.log")

    def arguments(self) -> list[str]:
        """The job's arguments: staged inputs, then outputs, in the order the file declares them."""
        return [self.staged(n).abfss for n in self.inputs] + [self.produced(n).abfss for n in self.outputs]


def zones(loaded: LoadedEnvironment) -> list[str]:
    lake = loaded.spec.data_lake
    if lake is not None and lake.use and loaded.lake is not None:
        lake = loaded.lake.spec.data_lake  # the loader takes a central lake only from an environment owning one
    return list(lake.zones) if lake else []


def job_cluster(loaded: LoadedEnvironment, job_name: str) -> Cluster:
    """The cluster `job_name` runs on: the file's, refused in words when it has none."""
    if loaded.spec.cluster is None:
        raise AzlakeError(f"{loaded.path}: environment {loaded.spec.name!r} has no cluster to run job "
                          f"{job_name!r} on", hint="add a cluster: section")
    return loaded.spec.cluster


def layout(loaded: LoadedEnvironment, job_name: str) -> JobLayout:
    """Resolve `jobs.<job_name>` of the file; errors name the job and what the file offers."""
    spec = loaded.spec
    if job_name not in (spec.jobs or {}):
        known = ", ".join(sorted(spec.jobs or {})) or "none"
        raise AzlakeError(f"{loaded.path}: no job {job_name!r} in environment {spec.name!r} (jobs: {known})",
                          hint="add it under jobs: in the file, or pick one of the jobs listed")
    cluster = job_cluster(loaded, job_name)
    job = spec.jobs[job_name]
    account = loaded.lake_account()
    known_zones = zones(loaded)

    def where(kind: str, name: str, zone_path: str) -> Location:
        zone, _, path = zone_path.partition("/")
        if zone not in known_zones:
            raise AzlakeError(f"{loaded.path}: jobs.{job_name}.{kind}.{name}: zone {zone!r} is not a zone of "
                              f"the lake (zones: {', '.join(known_zones)})", hint="write it as <zone>/<path>")
        return Location(account, zone, path.strip("/"))

    try:  # the loader checked it; it is looked at again (unread) in case it changed since
        check_regular(Path(job.script), MAX_SCRIPT_BYTES, "a job script")
    except Refused as refused:
        raise AzlakeError(f"{loaded.where('jobs', job_name, 'script')}: {job.script}: {refused.summary}",
                          hint=refused.detail or "the script path is relative to the environment file") from None
    return JobLayout(spec.name, job_name, account, derived(cluster.name, "cluster.name"),
                     derived(cluster.storage.filesystem, "cluster.storage.filesystem"),
                     Path(job.script), {n: where("inputs", n, p) for n, p in job.inputs.items()},
                     {n: where("outputs", n, p) for n, p in job.outputs.items()}, job.executors)
