"""`lake put` of a folder against a plain Azure SDK loop, in the same process and on the same emulator.

Run: .venv/bin/python bench/lake_folders.py [--files 2000] [--big-mib 200] [--served]

Prints, each measured in this run: 2,000 small files (1 KiB) uploaded by azlake's folder transfer and by
a plain sequential `upload_data` loop, and one 200 MB file uploaded by azlake's `datalake.put` and by a
plain `upload_data`, with the ratios. --served goes through HTTPS sockets (as azlake talks to Azure)
instead of the in-process transport. Targets (issue 14): small files azlake <= plain; 200 MB azlake
within 1.1x of plain.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datalake_throughput import _clients, _lake  # noqa: E402

from azlake.azure import datalake, lake_folders  # noqa: E402

MIB = 1024 * 1024


def _small_files(folder: Path, count: int) -> Path:
    for i in range(count):
        sub = folder / f"part{i // 500:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"f{i:05d}.csv").write_bytes(os.urandom(1024))
    return folder


def _plain_loop(fs, folder: Path, prefix: str) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with open(path, "rb") as fh:
                fs.get_file_client(f"{prefix}/{path.relative_to(folder).as_posix()}").upload_data(
                    fh, overwrite=True, length=path.stat().st_size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--big-mib", type=int, default=200)
    parser.add_argument("--served", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    clients, server = _clients(work / "state", args.served)
    try:
        _lake(clients)
        fs = clients.datalake("stbench").create_file_system("bench")
        folder = _small_files(work / "small", args.files)
        t0 = time.perf_counter()
        _plain_loop(fs, folder, "plain")
        plain = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = lake_folders.put_folder(fs, folder, "azlake", parallel=lake_folders.parallelism(clients))
        ours = time.perf_counter() - t0
        assert len(result.sent) == args.files
        print(f"{args.files} files of 1 KiB: azlake {ours:.1f} s, plain SDK loop {plain:.1f} s, "
              f"azlake / plain = {ours / plain:.2f}")
        big = work / "big.bin"
        with open(big, "wb") as fh:
            for _ in range(args.big_mib):
                fh.write(os.urandom(MIB))
        t0 = time.perf_counter()
        with open(big, "rb") as fh:
            fs.get_file_client("plain.bin").upload_data(fh, overwrite=True, length=big.stat().st_size)
        plain = time.perf_counter() - t0
        t0 = time.perf_counter()
        datalake.put(clients, "stbench", "bench", "azlake.bin", big)
        ours = time.perf_counter() - t0
        print(f"one {args.big_mib} MiB file: azlake {ours:.1f} s, plain upload_data {plain:.1f} s, "
              f"azlake / plain = {ours / plain:.2f}")
        print(f"({'served over HTTPS' if args.served else 'in-process'}; {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.2f})")
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
