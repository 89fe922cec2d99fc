"""`azlake cost PATH`: what the environment bills per hour (cluster per role, Event Hubs units), and from
which prices: the Retail Prices API (cached per user with its date), or the packaged catalog offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from azlake.cli import render
from azlake.cli.options import Cloud, Debug, StateDir, load, set_debug


def _book(cloud: str | None, state_dir: Path | None, region: str, anchor: Path):
    """Prices need no sign-in; the local cloud's are its emulator's (none until it has state: never created
    here). The local cloud is the one the other commands find from the file (its project root)."""
    from azlake.azure.clients import Clients, Target
    from azlake.azure.pricebook import catalog_book
    from azlake.cli.options import has_local_state
    target = Target.from_env(cloud, None, state_dir, anchor=anchor)
    if target.cloud == "local" and target.emulator_url is None and not has_local_state(target.state_dir):
        return catalog_book(region, note=f"the local cloud has no state in {target.state_dir} yet")
    from azlake.azure.prices import price_book
    return price_book(Clients(target), region)


def cost_command(path: Annotated[Path, typer.Argument(help="Environment file.")],
                 as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
                 cloud: Cloud = None, state_dir: StateDir = None, debug: Debug = False) -> None:
    """What the environment bills by the hour (cluster per role, Event Hubs), with the prices' source and date."""
    set_debug(debug)
    from azlake.plan.cost import basis, cluster_cost, streaming_cost
    loaded = load(path, require_values=False, command="cost")
    spec = loaded.spec
    book = _book(cloud, state_dir, spec.location, loaded.path)
    cost = cluster_cost(spec, book, unresolved=loaded.unresolved)
    stream = streaming_cost(spec, book, loaded.unresolved)
    peak = cluster_cost(spec, book, spec.cluster.autoscale.max, loaded.unresolved) \
        if spec.cluster and spec.cluster.autoscale else None
    missing = (cost.missing if cost else []) + ([stream.missing] if stream and stream.missing else [])
    hourly = round((cost.hourly if cost else 0.0) + ((stream.hourly_usd or 0.0) if stream else 0.0), 3)
    if as_json:
        doc = {"environment": spec.name, "currency": "USD", "source": book.source, "as_of": book.as_of,
               "basis": basis(book), "estimate": True, "complete": not missing, "missing": missing,
               "roles": [r.__dict__ for r in cost.roles] if cost else [],
               "eventhubs": stream.__dict__ if stream else None,
               "vcpus": cost.vcpus if cost else 0, "ram_gib": cost.ram_gib if cost else 0.0, "hourly": hourly}
        if peak:
            doc["autoscale_max"] = {"vcpus": peak.vcpus, "ram_gib": peak.ram_gib, "hourly": peak.hourly,
                                    "complete": peak.complete}
        print(json.dumps(doc, indent=2))
        return
    if cost is None and stream is None:
        print(f"{spec.name}: no cluster and no Event Hubs, nothing billed by the hour (the lake bills by stored "
              "data and use)")
        return
    render.print_cost(spec.name, spec.cluster.name if spec.cluster else None, cost, peak, stream, book)


def register(app: typer.Typer) -> None:
    app.command("cost")(cost_command)
