"""Batch jobs: their script, their lake zones and whether their executors fit on a worker node."""

from __future__ import annotations

import re

from azlake import catalog
from azlake.spec.diagnostics import did_you_mean


def check_jobs(ctx) -> None:
    spec, out = ctx.spec, ctx.out
    if spec.cluster is None:
        out.error(("jobs",), "jobs need a cluster to run on", "add a cluster: section")
    lake = ctx.lake_spec
    zones = list(lake.zones) if lake is not None else []
    for name, job in spec.jobs.items():
        where = ("jobs", name)
        if not job.script.is_file():
            out.error(where + ("script",), f"script {job.script} does not exist",
                      "the path is relative to the environment file")
        elif job.script.suffix not in (".py", ".jar"):
            out.warning(where + ("script",), f"script {job.script.name} is neither .py nor .jar",
                        "Spark batch jobs run a Python file or a JAR")
        for kind in ("inputs", "outputs"):
            for item, target in getattr(job, kind).items():
                zone = target.split("/", 1)[0]
                if lake is not None and zone not in zones:
                    out.error(where + (kind, item), f"{zone!r} is not a lake zone{did_you_mean(zone, zones)}",
                              f"zones: {', '.join(zones) or '(none)'}; write <zone>/<path>")
        _executors(ctx, job, where)


def _executors(ctx, job, where: tuple) -> None:
    if ctx.spec.cluster is None:
        return
    worker = catalog.vm_size(ctx.spec.cluster.nodes.worker.size)
    if worker is None:
        return
    executors = job.executors
    if executors.cores > worker.vcpus:
        ctx.out.warning(where + ("executors", "cores"), f"{executors.cores} cores per executor but a worker "
                        f"({worker.name}) has {worker.vcpus}", "YARN cannot place such an executor")
    amount, unit = re.fullmatch(r"(\d+)([mMgG])", executors.memory).groups()
    gib = int(amount) / (1024 if unit.lower() == "m" else 1)
    if gib > worker.ram_gib:
        ctx.out.warning(where + ("executors", "memory"), f"{executors.memory} per executor but a worker "
                        f"({worker.name}) has {worker.ram_gib:g} GiB", "YARN cannot place such an executor")
