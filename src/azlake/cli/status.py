"""`azlake status PATH`: what exists, its state, the cluster's endpoints, uptime and cost so far."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from azlake.cli.options import Cloud, Debug, StateDir, clients_for, header, load, set_debug


def cluster_facts(clients: Any, group: str, name: str, hourly: float) -> dict[str, Any] | None:
    """Endpoints, state, uptime and cost so far of a live cluster (None when it does not exist)."""
    from azure.core.exceptions import ResourceNotFoundError
    try:
        c = clients.hdinsight.clusters.get(group, name)
    except ResourceNotFoundError:
        return None
    p = c.properties
    endpoints = {e.name: e for e in (p.connectivity_endpoints or [])}
    https = endpoints.get("HTTPS")
    ssh = endpoints.get("SSH")
    gateway = f"https://{https.location}" if https else f"https://{name}.azurehdinsight.net"
    created = p.created_date  # an ISO string in this API version
    if isinstance(created, str):
        created = dt.datetime.fromisoformat(created.replace("Z", "+00:00")) if created else None
    if created is not None and created.tzinfo is None:
        created = created.replace(tzinfo=dt.timezone.utc)
    uptime_h = clients.seconds_since(created.timestamp()) / 3600 if created else None
    return {"name": name, "state": p.cluster_state, "provisioning": p.provisioning_state,
            "gateway": gateway, "ambari": gateway, "jupyter": f"{gateway}/jupyter", "livy": f"{gateway}/livy",
            "ssh": f"ssh {{user}}@{ssh.location} -p {ssh.port or 22}" if ssh else None,
            "created": created.isoformat() if created else None,
            "uptime_hours": round(uptime_h, 3) if uptime_h is not None else None,
            "cost_so_far": round(uptime_h * hourly, 2) if uptime_h is not None else None,
            "clock": clients.clock_note(), "tags": dict(c.tags or {})}


def status_command(path: Annotated[Path, typer.Argument(help="Environment file.")],
                   as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
                   cloud: Cloud = None, state_dir: StateDir = None, debug: Debug = False) -> None:
    """What exists, its state, endpoints (gateway, SSH, Jupyter), uptime and cost so far."""
    set_debug(debug)
    from azlake.engine import plan_environment
    loaded = load(path, require_values=False)
    clients = clients_for(loaded, cloud, state_dir, read_only=True)
    plan = plan_environment(loaded, clients)
    spec, cost = loaded.spec, plan.cost
    cluster = None
    if spec.cluster:
        ssh_user = spec.cluster.ssh.username
        cluster = cluster_facts(clients, spec.resource_group.name, spec.cluster.name, cost["cluster_hourly"])
        if cluster and cluster["ssh"]:
            cluster["ssh"] = cluster["ssh"].format(user=ssh_user)
        if cluster:
            from azlake.jobs.usage import usage
            used = usage(loaded, clients, cluster.pop("tags"))
            cluster["run"] = used.describe() if used else None
            cluster["abandoned"] = bool(used and not used.alive)
    rows = [{"address": a.address, "name": a.resource.name, "exists": bool(a.observed and a.observed.exists),
             "state": _text(a.observed.state if a.observed else None), "owner": (a.observed.owner if a.observed else None),
             "drift": a.kind if a.kind != "noop" else None} for a in plan.actions]
    streaming = _streaming(plan, cost)
    if as_json:
        print(json.dumps({"environment": spec.name, "cloud": clients.target.cloud,
                          "subscription": clients.target.subscription, "resources": rows, "cluster": cluster,
                          "eventhubs": streaming, "currency": "USD", "cost": cost,
                          "cost_basis": cost["basis"]}, indent=2))
        return
    from azlake.cli import render
    print(header("status", clients, spec.name))
    render.print_status(rows, cluster, cost if spec.cluster else None, streaming)


def _streaming(plan: Any, cost: dict) -> dict[str, Any] | None:
    """The Event Hubs namespace bills its units every hour it exists: whether it does, and how much."""
    spec = plan.loaded.spec.streaming
    ns = plan.by_address().get("streaming.namespace")
    if spec is None or ns is None:
        return None
    exists = bool(ns.observed and ns.observed.exists)
    hourly = cost.get("eventhubs_hourly")
    return {"name": ns.resource.name, "exists": exists, "sku": spec.sku, "units": spec.capacity,
            "hourly": hourly, "price": "an unknown amount" if hourly is None else f"USD {hourly:.2f}"}


def register(app: typer.Typer) -> None:
    app.command("status")(status_command)


def _text(value: Any) -> str | None:
    """SDK enums (ProvisioningState.SUCCEEDED) as Azure spells them (Succeeded)."""
    return None if value is None else str(getattr(value, "value", value))
