"""Requests a no-op plan sends per resource, ARM and data plane apart, counted from the emulator's request log.

Run: .venv/bin/python bench/plan_requests.py [--time-scale 0.001] [--detail]

One fresh local cloud: the central lake (datalake.yaml), practice.yaml, ventas.yaml and marketing.yaml are
applied (clusters included), then each is planned again with nothing to change. Every request the plan
makes is in the emulator's log (method, service, URL): the figures are counted, not estimated. `other` is
the Retail Prices API (read once per region, then cached). Writes are
PUT, PATCH, DELETE and POSTs other than Azure's read actions (getGatewaySettings, checkNameAvailability):
a plan must
send none. Target (issue 14): <= 0.6 requests per resource. Before the no-op plans, each environment is
planned on the empty cloud: a missing parent answers for its children, unread. --detail groups the requests.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]
ENVIRONMENTS = ["datalake", "practice", "ventas", "marketing"]
PASSWORDS = ["CLUSTER_PASSWORD", "VENTAS_CLUSTER_PASSWORD", "MARKETING_CLUSTER_PASSWORD"]
# POSTs that only read: HDInsight answers the gateway credential to a POST (compared, never changed), and
# a storage account name's availability is asked by POST.
READ_ACTIONS = {"getGatewaySettings", "checkNameAvailability"}


def shape(request: dict) -> str:
    """What a request reads, without names: `GET arm .../blobContainers/{}`, `HEAD storage /{}/{}`."""
    path, _, query = request["url"].partition("?")
    path = re.sub(r"^/+", "/", unquote(re.sub(r"^https?://[^/]+", "", path)))  # a lock's scope is sent encoded
    if request["service"] == "arm":
        path = re.sub(r"^/subscriptions/[^/]+", "", path, flags=re.I)
        path = re.sub(r"^/resourceGroups/[^/]+", "/resourceGroups/{}", path, flags=re.I)
        path = re.sub(r"/providers/([^/]+)/([^/]+)/[^/]+", r"/providers/\1/\2/{}", path)
        path = re.sub(r"/(blobServices|containers|eventhubs|consumergroups)/[^/]+", r"/\1/{}", path)
        path = re.sub(r"/providers/([^/]+)/([^/]+)/\{}/(\w+)$", r"/providers/\1/\2/{}/\3", path)
    else:
        path = "/" + "/".join("{}" for p in path.strip("/").split("/") if p)
    keys = sorted(k.split("=")[0] for k in query.split("&") if k and not k.startswith("api-version"))
    return f"{request['method']:4} {request['service']:8} {path or '/'}" + (f"?{'&'.join(keys)}" if keys else "")


def is_write(request: dict) -> bool:
    """A request that changes something: PUT, PATCH, DELETE, or a POST other than Azure's read actions."""
    if request["method"] in ("GET", "HEAD"):
        return False
    action = request["url"].partition("?")[0].rsplit("/", 1)[-1]
    return not (request["method"] == "POST" and action in READ_ACTIONS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-scale", type=float, default=0.001)
    parser.add_argument("--detail", action="store_true", help="the requests of each plan, grouped")
    args = parser.parse_args()
    for name in PASSWORDS:
        os.environ.setdefault(name, "Qz7!" + secrets.token_hex(8))  # see tests/passwords.py

    from azlake.azure.clients import Clients
    from azlake.emulator.core.app import Emulator
    from azlake.engine import apply_plan, plan_environment
    from azlake.envfile.load import load_environment
    from azlake.execute.progress import NullDisplay

    emulator = Emulator(Path(tempfile.mkdtemp(prefix="azlake-bench-")), time_scale=args.time_scale,
                        role_propagation_seconds=0)
    clients = Clients.for_emulator(emulator)
    loaded = {name: load_environment(ROOT / "environments" / f"{name}.yaml") for name in ENVIRONMENTS}

    def measured(name: str) -> tuple[Any, list[dict]]:
        seq = emulator.store.last_request_seq()
        plan = plan_environment(loaded[name], clients)
        return plan, emulator.request_log(seq)

    print("plan of each environment on an empty cloud (missing parents answer for their children):")
    empty = {name: measured(name) for name in ENVIRONMENTS}
    report(empty, args.detail, noop=False)
    for name in ENVIRONMENTS:
        apply_plan(plan_environment(loaded[name], clients), clients, NullDisplay())
    print("\nno-op plan of each environment, everything applied:")
    return report({name: measured(name) for name in ENVIRONMENTS}, args.detail, noop=True)


def report(plans: dict[str, tuple[Any, list[dict]]], detail: bool, noop: bool) -> int:
    total: Counter[str] = Counter()
    print(f"{'environment':12} {'resources':>9} {'ARM':>5} {'data':>5} {'other':>5} {'writes':>6} "
          f"{'per resource':>12}")
    for name, (plan, log) in plans.items():
        arm = sum(1 for r in log if r["service"] == "arm")
        data = sum(1 for r in log if r["service"] == "storage")
        other = len(log) - arm - data  # the Retail Prices API (read once per region, then cached)
        writes = sum(1 for r in log if is_write(r))
        n = len(plan.actions)
        total.update(resources=n, arm=arm, data=data, other=other, writes=writes)
        pending = " (CHANGES PENDING: not a no-op)" if noop and plan.has_changes else ""
        print(f"{name:12} {n:9d} {arm:5d} {data:5d} {other:5d} {writes:6d} {len(log) / n:12.2f}{pending}")
        if detail:
            for what, count in sorted(Counter(shape(r) for r in log).items()):
                print(f"    {count:3d}  {what}")
    requests = total["arm"] + total["data"] + total["other"]
    target = "   (target <= 0.6, writes 0)" if noop else ""
    print(f"{'all four':12} {total['resources']:9d} {total['arm']:5d} {total['data']:5d} {total['other']:5d} "
          f"{total['writes']:6d} {requests / total['resources']:12.2f}{target}")
    return 1 if total["writes"] else 0


if __name__ == "__main__":
    sys.exit(main())
