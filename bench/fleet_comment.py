"""Size of a folder's Markdown plan, in full and as one GitHub comment, for fleets of 10 to 600 departments.

Run: .venv/bin/python bench/fleet_comment.py [--sizes 10 50 200 600]

Each size is a fresh local cloud and a generated folder (bench/fleet_files.py) whose central lake is applied,
so that every department has its 7 resources to create. Prints the full comment's length, whether its
diagrams are within Mermaid's defaults, the length of the comment azlake prints (at most 64,512 characters),
how many departments' changes it shows, its overview and the note saying what was left out.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fleet_files import fleet_password, write_fleet  # noqa: E402


def measure(departments: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="azlake-comment-"))
    folder = write_fleet(work / "environments", departments, workers=1)
    os.environ.update(AZLAKE_STATE_DIR=str(work / "state"), AZLAKE_EMULATOR_TIME_SCALE="0.0005",
                      FLEET_CLUSTER_PASSWORD=fleet_password(departments), AZLAKE_EMULATOR_ROLE_PROPAGATION="0",
                      AZLAKE_CLOUD="local")
    from typer.testing import CliRunner

    from azlake.cli import comment_fit, fleet_fit
    from azlake.cli.fleet import _defer_on_new_lakes, load_folder, parallel, plan_one
    from azlake.cli.fleet_markdown import folder_markdown
    from azlake.cli.main import app
    applied = CliRunner().invoke(app, ["apply", str(folder / "datalake.yaml"), "--auto-approve"])
    assert applied.exit_code == 0, applied.output
    good, bad = load_folder(folder)
    parallel(good, lambda o: plan_one(o, None, None, read_only=True))
    _defer_on_new_lakes(good)
    full = folder_markdown(folder, good + bad)
    start = time.perf_counter()
    comment = fleet_fit.comment(folder, good + bad)
    took = time.perf_counter() - start
    shown = len(re.findall(r"<details open><summary><b>dep", comment))
    overview = comment.split("```mermaid\n")[1].split("\n```")[0]
    note = next((line for line in comment.splitlines() if line.startswith("> **Shortened")), "(not shortened)")
    print(f"{departments:3d} departments: full {len(full):9,d} characters (Mermaid draws it: "
          f"{comment_fit.renders(full)}); comment {len(comment):6,d} characters ({took:.2f} s), changes of "
          f"{shown}/{departments} departments shown, overview {len(overview):,d} characters, "
          f"{overview.count('-->')} edges")
    print(f"     {note[:400]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200, 600])
    for size in parser.parse_args().sizes:
        measure(size)


if __name__ == "__main__":
    main()
