"""The fault matrix of bench/reliability.py: each Azure fault on the reads and the writes of each resource kind.

In-process (the engine's plan and apply with the real SDK clients on the emulator): one apply with the
fault, then at most one more apply; converged when the plan is then clean.
"""

from __future__ import annotations

from pathlib import Path

from reliability_support import CLUSTER, PASSWORD, ROOT, SUBSCRIPTION, TIME_SCALE, Row, clusters, duplicate_count

MARKETING_GROUP, LAKE_GROUP, LAKE = "rg-bda-marketing", "rg-bda-platform-datalake", "stbdaplatformdatalake"
# kind -> (environment, service, path regex of that kind's own requests)
KINDS = {
    "resource_group": ("practice", "arm", r"/resourcegroups/grbigdatauserbda000$"),
    "identity": ("practice", "arm", r"/userAssignedIdentities/bigdatauserbda000$"),
    "role": ("practice", "arm", r"/roleAssignments/"),
    "storage": ("practice", "arm", r"/storageAccounts/storagebigdatauserbda000$"),
    "blob_service": ("practice", "arm", r"/blobServices/default$"),
    "container": ("practice", "arm", r"/containers/"),
    "lock": ("practice", "arm", r"/locks/"),
    "directory": ("practice", "storage", r"^/landing/transaccion$"),
    "cluster": ("practice", "arm", r"/clusters/clusterbigdata001$"),
    "eh_namespace": ("marketing", "arm", r"/namespaces/evhns-bda-marketing$"),
    "eh_hub": ("marketing", "arm", r"/eventhubs/comentarios$"),
    "eh_group": ("marketing", "arm", r"/consumergroups/spark$"),
}
LRO_KINDS = {"storage", "cluster", "eh_namespace"}
FAULTS = {
    "429": {"kind": "status", "status": 429, "count": 3, "retry_after": 0},
    "500": {"kind": "status", "status": 500, "count": 2},
    "503": {"kind": "status", "status": 503, "count": 2, "retry_after": 0},
    "dropped": {"kind": "drop", "count": 2},
    "failed LRO": {"kind": "lro_fail", "count": 1},
}


def fault_cell(base: Path, kind: str, fault: str, op: str) -> Row:
    """One cell: a fresh local cloud, the fault on `op` (read or write) requests of `kind`, then apply."""
    from azlake.azure.clients import Clients
    from azlake.emulator.core.app import Emulator
    from azlake.envfile.load import load_environment

    env_name, service, path = KINDS[kind]
    emulator = Emulator(base / f"fault-{kind}-{fault.replace(' ', '_')}-{op}", time_scale=float(TIME_SCALE),
                        role_propagation_seconds=0)
    clients = Clients.for_emulator(emulator)
    secrets = {"CLUSTER_PASSWORD": PASSWORD, "MARKETING_CLUSTER_PASSWORD": PASSWORD}
    folder = ROOT / "environments"
    if env_name == "marketing":  # a department on the central lake: the lake exists before the fault
        _apply_until_clean(load_environment(folder / "datalake.yaml", env=secrets), clients)
    loaded = load_environment(folder / f"{env_name}.yaml", env=secrets)
    method = ("HEAD" if service == "storage" else "GET") if op == "reads" else "PUT"
    rule_id = emulator.add_fault(**FAULTS[fault], service=service, method=method, path=path)
    row = Row(f"fault {fault} on {op}", trials=1)
    try:
        applies = _apply_until_clean(loaded, clients)
        row.converged = int(applies <= 2)
    except Exception as exc:  # every failure is a figure here, not a crash of the matrix
        row.notes.append(f"{kind}: not converged after two applies: {type(exc).__name__}: {str(exc)[:200]}")
    with emulator.store.tx(write=False) as tx:
        left = tx.get("faults", rule_id)  # consumed rules are deleted, partly used ones count down
    if left is not None and left["count"] == FAULTS[fault]["count"]:
        row.notes.append(f"{kind}: the fault never matched a request")
    group = MARKETING_GROUP if env_name == "marketing" else "grbigdatauserbda000"
    scope = (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{LAKE_GROUP}/providers/Microsoft.Storage/"
             f"storageAccounts/{LAKE}") if env_name == "marketing" else None
    row.duplicates = duplicate_count(clients, group, scope) if scope else duplicate_count(clients, group)
    names = [c.name for c in clusters(clients, group)]
    row.leaked_clusters = len([n for n in names if n not in (CLUSTER, "hdi-bda-marketing")])
    return row


def _apply_until_clean(loaded, clients) -> int:
    """Apply, and once more if needed; returns how many applies it took (raises if two were not enough)."""
    from azlake.engine import apply_plan, plan_environment
    from azlake.errors import AzlakeError
    from azlake.execute.progress import NullDisplay
    for attempt in (1, 2):
        try:
            apply_plan(plan_environment(loaded, clients), clients, NullDisplay())
        except AzlakeError:
            if attempt == 2:
                raise
            continue
        if not plan_environment(loaded, clients).has_changes:
            return attempt
    raise RuntimeError("the plan still has changes after two applies")


def fault_rows(base: Path, kinds: list[str] | None = None) -> list[Row]:
    rows = []
    for fault in FAULTS:
        for op in ("reads", "writes"):
            if fault == "failed LRO" and op == "reads":
                continue  # a read starts no operation
            total = Row(f"fault {fault} on {op}")
            for kind in kinds or list(KINDS):
                if fault == "failed LRO" and kind not in LRO_KINDS:
                    continue  # synchronous writes: no long-running operation to fail
                total.add(fault_cell(base, kind, fault, op))
            print(f"{total.scenario}: {total.converged}/{total.trials} converged", flush=True)
            rows.append(total)
    return rows
