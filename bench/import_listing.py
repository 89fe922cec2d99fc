"""azlake import of a small lake and of one ten times deeper: time and data-plane requests, as a ratio.

Run: .venv/bin/python bench/import_listing.py [--tops 20] [--files 10]

Both lakes have the same zones and the same --tops top directories with two subdirectories each; the large
one also holds, under every subdirectory, four more levels of directories and --files files. Import lists
two levels at most (--depth 2), so its requests should not grow with what lies below: target (issue 13)
data-plane requests large / small = 1.0. The time ratio is printed too; on a shared machine it moves
between runs (0.8-2.0 seen), so it is a figure to look at, not a target.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(clients, group: str, account: str, tops: int, deep: bool, files: int) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    import portal_build
    clients.resources.resource_groups.create_or_update(group, {"location": "brazilsouth"})
    lake_id = portal_build.storage_account(clients, group, account, "brazilsouth")
    portal_build.assign(clients, lake_id, clients.principal_id, "Storage Blob Data Contributor")
    dirs = [f"t{t:03d}/{m}" for t in range(tops) for m in ("a", "b")]
    if deep:
        dirs = [f"{d}/x/y/z/w" for d in dirs]
    portal_build.zones(clients, group, account, {"historico": dirs})
    if deep:
        fs = clients.datalake(account).get_file_system_client("historico")
        for d in dirs:
            for f in range(files):
                fs.get_file_client(f"{d}/part-{f:04d}.csv").upload_data(b"x\n", overwrite=True)


def measure(clients, group: str) -> tuple[float, int]:
    from azlake.importer.read import Reader
    since = clients.emulator.store.last_request_seq()
    t0 = time.perf_counter()
    Reader(clients, group, depth=2, limit=1000).read()
    elapsed = time.perf_counter() - t0
    data = sum(1 for r in clients.emulator.request_log(since) if r["service"] == "storage")
    return elapsed, data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tops", type=int, default=20)
    parser.add_argument("--files", type=int, default=10)
    args = parser.parse_args()
    from azlake.azure.clients import Clients
    from azlake.emulator.core.app import Emulator
    emulator = Emulator(Path(tempfile.mkdtemp()) / "state", time_scale=0.0005, role_propagation_seconds=0)
    clients = Clients.for_emulator(emulator)
    build(clients, "rg-bda-small", "stbdasmall", args.tops, False, 0)
    build(clients, "rg-bda-large", "stbdalarge", args.tops, True, args.files)
    small_t, small_n = measure(clients, "rg-bda-small")
    large_t, large_n = measure(clients, "rg-bda-large")
    print(f"small lake: {small_t:.3f}s, {small_n} data-plane requests")
    print(f"large lake: {large_t:.3f}s, {large_n} data-plane requests "
          f"({args.tops * 2 * (4 + args.files)} more paths below the listed levels)")
    print(f"ratio large/small: time {large_t / small_t:.2f}, requests {large_n / small_n:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
