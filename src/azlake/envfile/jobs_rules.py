"""Batch jobs: their lake zones and whether their executors fit on a worker node."""

from __future__ import annotations

from azlake import catalog
from azlake.envfile import capacity
from azlake.envfile.diagnostics import KeyPath, did_you_mean
from azlake.envfile.models import Job
from azlake.envfile.rule_context import Context


def check_jobs(ctx: Context) -> None:
    spec, out = ctx.spec, ctx.out
    if spec.cluster is None:
        out.error(("jobs",), "jobs need a cluster to run on", "add a cluster: section")
    lake = ctx.lake_spec
    zones = list(lake.zones) if lake is not None else []
    for name, job in spec.jobs.items():
        where = ("jobs", name)
        # the script (inside the tree, a regular file, .py or .jar) is checked where the loader finds it
        for kind in ("inputs", "outputs"):
            for item, target in getattr(job, kind).items():
                zone = target.split("/", 1)[0]
                if lake is not None and zone not in zones:
                    out.error(where + (kind, item), f"{zone!r} is not a lake zone{did_you_mean(zone, zones)}",
                              f"zones: {', '.join(zones) or '(none)'}; write <zone>/<path>")
        _executors(ctx, job, where)


def _executors(ctx: Context, job: Job, where: KeyPath) -> None:
    """The check `azlake run` makes before creating anything (spec/capacity.py), here already at validate."""

    cluster = ctx.spec.cluster
    if cluster is None or catalog.vm_size(cluster.nodes.worker.size) is None:
        return  # no workers to compare with (the size itself is reported at its own key)
    counts = [("cluster", "nodes", "worker", "count"), ("cluster", "autoscale", "min"), ("cluster", "autoscale", "max")]
    unset = [ctx.unresolved[p] for p in counts if p in ctx.unresolved]
    if unset:
        ctx.out.warning(where + ("executors",), f"capacity not checked: the worker count comes from "
                        f"${{{unset[0]}}}, which is not set", f"export {unset[0]}=... and validate again")
        return
    name = where[-1]
    executors, workers, candidates = capacity.for_job(ctx.spec, name)
    report = capacity.check(executors, workers, candidates)
    if not report.fits:
        ctx.out.error(where + ("executors",), f"job {name!r} asks for more than the workers have (pseudo-parallelism: the cluster bills for executors that wait): "
                      f"{report.summary}", "; ".join(report.suggestions))
    for warning in report.warnings:
        ctx.out.warning(where + ("executors",), warning)
