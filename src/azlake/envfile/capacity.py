"""The capacity check run before any cluster exists: do the job's executors fit on the workers?

Asking Spark for more cores or memory than the workers have does not fail: YARN queues the executors
it cannot place, or the cores are time-sliced, and the job runs no faster while the cluster bills as
if it did (the "pseudo-parallelism" anti-pattern). azlake refuses it with the numbers and the smallest
change that fits.

The rule: about 80% of a worker is left to YARN containers after the OS and the Hadoop daemons; an
executor needs its cores and its memory plus Spark's overhead (max(384 MiB, 10%)) on ONE node.
With autoscale, the maximum worker count decides whether the job can fit at all (and the suggestions);
the minimum is what is guaranteed when the job starts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from azlake.catalog import VmSize, vm_size, vm_sizes
from azlake.errors import AzlakeError

if TYPE_CHECKING:
    from azlake.envfile.models import Environment

USABLE_FRACTION = 0.8
OVERHEAD_MIN_MIB = 384
OVERHEAD_FRACTION = 0.10
AUTOSCALE_MAX_WORKERS = 200  # HDInsight's load-based autoscale limit

_UNITS = {"": 1 / (1024 * 1024), "b": 1 / (1024 * 1024), "k": 1 / 1024, "kb": 1 / 1024, "m": 1, "mb": 1,
          "g": 1024, "gb": 1024, "t": 1024 * 1024, "tb": 1024 * 1024}


class Size(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def vcpus(self) -> int: ...
    @property
    def ram_gib(self) -> float: ...


class CapacityError(AzlakeError):
    """The job's executors do not fit the cluster's workers."""


def memory_mib(value: str | int | float) -> int:
    """Spark's memory notation ("2g", "512m", "1536mb") in MiB; a bare number is MiB, as in the job spec."""
    if isinstance(value, (int, float)):
        return int(value)
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
    if not m or m.group(2).lower() not in _UNITS:
        raise AzlakeError(f"cannot read the memory size {value!r}",
                          hint="write it as Spark does: 512m, 2g, 1.5g")
    unit = m.group(2).lower() or "m"
    return int(float(m.group(1)) * _UNITS[unit])


@dataclass(frozen=True)
class Executors:
    count: int
    cores: int
    memory_mib: int

    @property
    def container_mib(self) -> int:
        """Memory YARN reserves for one executor: the heap plus Spark's off-heap overhead."""
        return self.memory_mib + max(OVERHEAD_MIN_MIB, int(self.memory_mib * OVERHEAD_FRACTION))

    def describe(self) -> str:
        return (f"{self.count} executor(s) × {self.cores} core(s) = {self.count * self.cores} cores, "
                f"{self.count} × {_gib(self.container_mib)} (heap {_gib(self.memory_mib)} + overhead) "
                f"= {_gib(self.count * self.container_mib)}")


@dataclass(frozen=True)
class Workers:
    size: Size
    count: int                      # fixed count, or autoscale minimum
    autoscale_max: int | None = None

    @property
    def usable_cores(self) -> float:
        return self.size.vcpus * USABLE_FRACTION

    @property
    def usable_mib(self) -> float:
        return self.size.ram_gib * 1024 * USABLE_FRACTION

    def describe(self, count: int | None = None) -> str:
        n = self.count if count is None else count
        return (f"{n} × {self.size.name} ({self.size.vcpus} vCPU, {self.size.ram_gib:g} GiB each) → "
                f"{n * self.usable_cores:g} usable cores, {_gib(n * self.usable_mib)} usable memory")


@dataclass
class CapacityReport:
    fits: bool                  # fits at the fixed count or the autoscale maximum
    guaranteed: bool            # fits at the fixed count or the autoscale minimum
    nodes_needed: int | None    # workers of this size the executors need; None: one executor never fits
    summary: str
    suggestions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def executors_per_node(executors: Executors, size: Size) -> int:
    """How many of these executors one worker of `size` can hold (0: not even one)."""
    cores = size.vcpus * USABLE_FRACTION
    mib = size.ram_gib * 1024 * USABLE_FRACTION
    if executors.cores <= 0:
        return 0
    return max(0, min(math.floor(cores / executors.cores + 1e-9),
                      math.floor(mib / executors.container_mib + 1e-9)))


def nodes_needed(executors: Executors, size: Size) -> int | None:
    per_node = executors_per_node(executors, size)
    if per_node == 0:
        return None
    return math.ceil(executors.count / per_node)


def check(executors: Executors, workers: Workers, candidates: Iterable[Size] = ()) -> CapacityReport:
    """Compare the job's executors with the workers; suggest the smallest change when they do not fit."""
    needed = nodes_needed(executors, workers.size)
    ceiling = workers.autoscale_max or workers.count
    fits = needed is not None and needed <= ceiling
    guaranteed = needed is not None and needed <= workers.count
    summary = f"the job asks {executors.describe()}; the workers offer {workers.describe(ceiling)}"
    report = CapacityReport(fits, guaranteed, needed, summary)
    if not fits:
        report.suggestions = _suggestions(executors, workers, needed, candidates)
    elif not guaranteed:
        report.warnings.append(
            f"autoscale starts with {workers.count} worker(s) but the executors need {needed}: Spark waits "
            f"for the cluster to scale out before all executors run (set autoscale.min to {needed} to "
            "guarantee them)")
    return report


def _suggestions(executors: Executors, workers: Workers, needed: int | None,
                 candidates: Iterable[Size]) -> list[str]:
    out: list[str] = []
    name = workers.size.name
    if needed is not None:
        out.append(f"use {needed} worker(s) of {name}: cluster.nodes.worker.count: {needed} "
                   f"({workers.describe(needed)})")
        if needed <= AUTOSCALE_MAX_WORKERS:
            low = min(workers.count, needed)
            out.append(f"or let it scale: cluster.autoscale: {{min: {low}, max: {needed}}} "
                       f"(all executors run once {needed} workers are up)")
    else:
        out.append(f"one executor ({executors.cores} cores, {_gib(executors.container_mib)}) is larger than "
                   f"what a {name} worker leaves to YARN ({workers.usable_cores:g} cores, "
                   f"{_gib(workers.usable_mib)})")
    bigger = smallest_size_that_fits(executors, workers.autoscale_max or workers.count, candidates)
    if bigger is not None and bigger.name != name:
        out.append(f"or a larger worker size: cluster.nodes.worker.size: {bigger.name} "
                   f"({bigger.vcpus} vCPU, {bigger.ram_gib:g} GiB) with the same worker count")
    out.append(f"or ask for less: executors.count × cores ≤ {math.floor(ceiling_cores(workers) + 1e-9)} cores")
    return out


def ceiling_cores(workers: Workers) -> float:
    return (workers.autoscale_max or workers.count) * workers.usable_cores


def smallest_size_that_fits(executors: Executors, count: int, candidates: Iterable[Size]) -> Size | None:
    """The cheapest size (by list price, then fewest vCPU and RAM) on which `count` workers hold the executors."""
    fitting = [s for s in candidates
               if (n := nodes_needed(executors, s)) is not None and n <= count]
    if not fitting:
        return None
    return min(fitting, key=lambda s: (getattr(s, "hourly_usd", 0.0), s.vcpus, s.ram_gib, s.name))


def require_fit(job_name: str, executors: Executors, workers: Workers,
                candidates: Iterable[Size] = ()) -> CapacityReport:
    """Raise CapacityError (with the numbers and the suggestions) unless the executors fit."""
    report = check(executors, workers, candidates)
    if not report.fits:
        raise CapacityError(
            f"job {job_name!r} asks for more than the cluster has (pseudo-parallelism: the extra executors "
            "would wait or share cores while the cluster bills as if they ran)",
            detail=report.summary + "\n" + "\n".join(f"  - {s}" for s in report.suggestions),
            hint="change the job's executors or the cluster's workers as suggested, then run again")
    return report


def _gib(mib: float) -> str:
    return f"{mib / 1024:.1f} GiB"


def for_job(spec: Environment, job_name: str) -> tuple[Executors, Workers, list[VmSize]]:
    """The executors of `spec.jobs[job_name]` and the workers of `spec.cluster`, sized from the catalog."""

    job = spec.jobs[job_name]
    if spec.cluster is None:  # validation refuses jobs without a cluster; said plainly should a caller skip it
        raise AzlakeError(f"job {job_name!r} needs a cluster to run on", location="cluster",
                          hint="add a cluster: section to the environment file")
    worker = spec.cluster.nodes.worker
    size = vm_size(worker.size)
    if size is None:
        raise AzlakeError(f"unknown worker size {worker.size!r}", location="cluster.nodes.worker.size",
                          hint="use a size from `azlake cost` / the catalog, e.g. Standard_E4_v3")
    executors = Executors(job.executors.count, job.executors.cores, memory_mib(job.executors.memory))
    scale = spec.cluster.autoscale
    workers = Workers(size, scale.min if scale else worker.count, scale.max if scale else None)
    candidates = [s for s in vm_sizes() if "worker" in s.roles]
    return executors, workers, candidates


def check_job(spec: Environment, job_name: str) -> CapacityReport:
    """Refuse (CapacityError) a job whose executors do not fit the environment's workers."""
    executors, workers, candidates = for_job(spec, job_name)
    return require_fit(job_name, executors, workers, candidates)
