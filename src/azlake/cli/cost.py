"""`azlake cost PATH`: capacity (vCPU, RAM) and estimated hourly cost per role and in total (offline)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from azlake.cli.options import Debug, load, set_debug


def cost_command(path: Annotated[Path, typer.Argument(help="Environment file.")],
                 as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
                 debug: Debug = False) -> None:
    """Capacity and estimated hourly cost of the environment's cluster, per role and in total."""
    set_debug(debug)
    from azlake.cli import render
    from azlake.plan.cost import cluster_cost
    loaded = load(path, require_values=False)
    spec = loaded.spec
    cost = cluster_cost(spec)
    if cost is None:
        print(f"{spec.name}: no cluster, nothing billed by the hour (the lake bills by stored data and use)")
        return
    peak = cluster_cost(spec, spec.cluster.autoscale.max) if spec.cluster.autoscale else None
    if as_json:
        doc = {"environment": spec.name, "currency": cost.currency, "basis": cost.basis, "estimate": True,
               "roles": [r.__dict__ for r in cost.roles], "vcpus": cost.vcpus, "ram_gib": cost.ram_gib,
               "hourly": cost.hourly}
        if peak:
            doc["autoscale_max"] = {"vcpus": peak.vcpus, "ram_gib": peak.ram_gib, "hourly": peak.hourly}
        print(json.dumps(doc, indent=2))
        return
    render.print_cost(spec.name, spec.cluster.name, cost, peak)


def register(app: typer.Typer) -> None:
    app.command("cost")(cost_command)
