"""Keeps a local batch's processes from outliving what owns them: `python -m azlake.emulator.livy.watchdog`.

spark-submit starts a JVM, which starts the job's Python: a process group in its own session, so that
Ctrl-C at the terminal does not tear a job in half. Nothing then ends that group when the process that
runs the batch dies without cleaning up (kill -9), or when the batch is deleted by another process (a CLI
beside a served emulator), or its cluster is deleted. This small parent of spark-submit, leader of the
group, ends the whole group when its owner is gone or the batch's log file (removed with the batch and
with its cluster) disappears. Standard library only: it runs under whatever Python started it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

POLL_SECONDS = 0.5
GRACE_SECONDS = 10.0


def _end_group(child: subprocess.Popen) -> None:
    """SIGTERM to the group (Spark's shutdown hooks run), SIGKILL to whatever is left after a grace period."""
    try:
        os.killpg(0, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + GRACE_SECONDS
    while child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.killpg(0, signal.SIGKILL)  # the job's Python and this watchdog too: nothing of the batch stays


def watch(owner: int, marker: str, command: list[str]) -> int:
    stop = {"asked": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(asked=True))  # Livy DELETE: end the group, then go
    child = subprocess.Popen(command)  # inherits stdout (the runner reads the log from it) and the group
    while child.poll() is None:
        if stop["asked"] or os.getppid() != owner or not os.path.exists(marker):
            _end_group(child)
            return 137
        time.sleep(POLL_SECONDS)
    code = child.returncode
    try:  # daemons the job left behind (a stray Python worker) end with the batch
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        os.killpg(0, signal.SIGTERM)
    except ProcessLookupError:
        pass
    return code


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print("usage: watchdog OWNER_PID MARKER_FILE -- COMMAND...", file=sys.stderr)
        return 2
    return watch(int(argv[0]), argv[1], argv[3:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
