"""`lake put` of a folder against a plain Azure SDK loop, in the same process and on the same emulator.

Run: .venv/bin/python bench/lake_folders.py [--files 2000] [--big-mib 200] [--served]

Prints, each measured in this run: 2,000 small files (1 KiB) uploaded by azlake's folder transfer and by
a plain sequential `upload_data` loop (the Data Lake API: create, append, flush per file), beside a plain
Put Blob loop (one request a file, what azlake sends for files up to 4 MiB), and one 200 MB file uploaded
by azlake's `datalake.put` and by a plain `upload_data`, with the ratios. The small files go up in the
order plain / Put Blob / azlake / azlake / Put Blob / plain, each into its own directory: every upload
makes the emulator's store larger and the next batch a little slower, which a fixed order would charge to
whichever runs later. Wall and CPU time (this process runs client and emulator, so CPU time is the less
disturbed by other work on a shared machine) are both shown. --served goes through HTTPS sockets (as
azlake talks to Azure) instead of the in-process transport. Targets (issue 14): small files azlake <=
plain; 200 MB azlake within 1.1x of plain.
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


def _plain_blob_loop(blobs, folder: Path, prefix: str) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            blobs.get_blob_client(f"{prefix}/{path.relative_to(folder).as_posix()}").upload_blob(
                path.read_bytes(), overwrite=True)


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
        blobs = clients.blob("stbench").get_container_client("bench")
        folder = _small_files(work / "small", args.files)
        wall = {"plain": 0.0, "blob": 0.0, "azlake": 0.0}
        cpu = dict(wall)
        for round_, who in enumerate(("plain", "blob", "azlake", "azlake", "blob", "plain")):
            t0, c0 = time.perf_counter(), time.process_time()
            if who == "plain":
                _plain_loop(fs, folder, f"plain{round_}")
            elif who == "blob":
                _plain_blob_loop(blobs, folder, f"blob{round_}")
            else:
                result = lake_folders.put_folder(fs, blobs, folder, f"azlake{round_}",
                                                 parallel=lake_folders.parallelism(clients))
                assert len(result.sent) == args.files
            wall[who] += time.perf_counter() - t0
            cpu[who] += time.process_time() - c0
        print(f"{args.files} files of 1 KiB, twice each: azlake {wall['azlake']:.1f} s, plain SDK loop "
              f"{wall['plain']:.1f} s, azlake / plain = {wall['azlake'] / wall['plain']:.2f} "
              f"(CPU {cpu['azlake']:.1f} s / {cpu['plain']:.1f} s = {cpu['azlake'] / cpu['plain']:.2f})")
        print(f"  the same files by a plain Put Blob loop (one request a file, as azlake sends small files): "
              f"{wall['blob']:.1f} s, azlake / that = {wall['azlake'] / wall['blob']:.2f} "
              f"(CPU {cpu['azlake'] / cpu['blob']:.2f})")
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
