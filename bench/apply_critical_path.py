"""Apply of the practice environment on the emulator: wall time against the critical path of its waits,
and the ARM requests a no-op plan makes per resource.

Run: .venv/bin/python bench/apply_critical_path.py [--time-scale 0.01]

Realistic latencies, scaled down: every nominal Azure duration (cluster creation 20 min, storage account
creation, role propagation 2 min) is multiplied by --time-scale (default 0.01: the cluster takes 12 s).
The critical path is the longest chain, through the plan's dependency graph, of the long-running
operations the emulator recorded for this apply: the best any tool could do. The identity's role
propagation is not on it: HDInsight first reaches its storage about 11 minutes into a creation, so the
propagation (2 minutes by default) overlaps the cluster's provisioning. Targets (issue 4): wall /
critical path <= 1.1, ARM requests per resource of a no-op plan <= 1.0.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-scale", type=float, default=0.01)
    parser.add_argument("--role-propagation", type=float, default=120.0, help="nominal seconds")
    args = parser.parse_args()
    os.environ.setdefault("CLUSTER_PASSWORD", "Qz7!" + secrets.token_hex(8))  # see tests/passwords.py

    from azlake.azure.clients import Clients
    from azlake.emulator.core import lro
    from azlake.emulator.core.app import Emulator
    from azlake.engine import apply_plan, plan_environment
    from azlake.envfile.load import load_environment
    from azlake.execute.progress import NullDisplay

    state = Path(tempfile.mkdtemp(prefix="azlake-bench-"))
    emulator = Emulator(state, time_scale=args.time_scale, role_propagation_seconds=args.role_propagation)
    clients = Clients.for_emulator(emulator)
    loaded = load_environment(ROOT / "environments" / "practice.yaml")

    plan = plan_environment(loaded, clients)
    t0 = time.monotonic()
    apply_plan(plan, clients, NullDisplay())
    wall = time.monotonic() - t0

    with emulator.store.tx(write=False) as tx:
        ops = [lro.Operation(**doc) for doc in tx.values(lro.COLLECTION)]
    durations: dict[str, float] = {}
    for action in plan.actions:
        rid = (action.resource.id or "").lower()
        mine = [o for o in ops if o.resource_id.lower() == rid and o.kind == "create"]
        durations[action.address] = sum(emulator.clock.scaled(o.duration) for o in mine)
    finish: dict[str, float] = {}
    for address in plan.graph.order():
        deps = plan.graph.deps.get(address, [])
        finish[address] = max((finish[d] for d in deps if d in finish), default=0.0) + durations.get(address, 0.0)
    critical = max(finish.values())
    chain = _chain(plan.graph, finish, durations)

    seq = emulator.store.last_request_seq()
    noop = plan_environment(loaded, clients)
    requests = emulator.request_log(seq)
    arm = [r for r in requests if r["service"] == "arm"]
    data = [r for r in requests if r["service"] != "arm"]
    resources = len(noop.actions)

    print(f"practice environment, {resources} resources, time scale {args.time_scale} "
          f"(cluster creation {emulator.clock.scaled(1200):.1f} s, role propagation "
          f"{emulator.clock.scaled(args.role_propagation):.2f} s)")
    print(f"apply wall time:                 {wall:6.2f} s")
    print(f"critical path of LROs:           {critical:6.2f} s   ({' -> '.join(chain)})")
    print(f"ratio wall / critical path:      {wall / critical:6.3f}   (target <= 1.1)")
    print(f"no-op plan changes pending:      {noop.has_changes}")
    print(f"no-op plan ARM requests:         {len(arm)} for {resources} resources = "
          f"{len(arm) / resources:.3f} per resource (target <= 1.0); data-plane requests: {len(data)}")
    return 0


def _chain(graph, finish: dict[str, float], durations: dict[str, float]) -> list[str]:
    """The addresses on the critical path, first to last (only those that wait)."""
    node = max(finish, key=finish.get)
    chain = [node]
    while True:
        deps = [d for d in graph.deps.get(node, []) if d in finish]
        if not deps:
            break
        node = max(deps, key=finish.get)
        chain.append(node)
    return [a for a in reversed(chain) if durations.get(a, 0.0) > 0]


if __name__ == "__main__":
    sys.exit(main())
