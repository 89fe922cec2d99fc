"""Draws the example plans of docs/plan-format.md from environments/ on a throwaway local cloud.

    .venv/bin/python docs/plan_images.py      # needs `bash .ci/mermaid/install` once

Writes docs/images/plan-update-{light,dark}.png (practice: one more worker, and a refused switch to premium
storage) and docs/images/plan-fleet-{light,dark}.png (the folder's overview once the central lake exists).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import mermaid_cli  # noqa: E402  (the render test's helper: one way to call mmdc)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images"


def azlake(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "azlake", *args], env=env, capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL)
    if done.returncode not in (0, 1) or not done.stdout:
        raise SystemExit(f"azlake {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done.stdout


def main() -> None:
    why = mermaid_cli.missing()
    if why:
        raise SystemExit(why)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="azlake-images-") as tmp:
        folder = Path(tmp) / "environments"
        shutil.copytree(ROOT / "environments", folder)
        password = "Qz7!" + secrets.token_hex(8)  # generated, never written anywhere
        env = {**os.environ, "AZLAKE_CLOUD": "local", "AZLAKE_STATE_DIR": str(Path(tmp) / "state"),
               "AZLAKE_EMULATOR_TIME_SCALE": "0.0005", "AZLAKE_EMULATOR_ROLE_PROPAGATION": "0", "CI": "true",
               **{k: password for k in ("CLUSTER_PASSWORD", "VENTAS_CLUSTER_PASSWORD", "MARKETING_CLUSTER_PASSWORD")}}
        for name in ("datalake", "practice"):
            azlake(env, "apply", str(folder / f"{name}.yaml"), "--auto-approve")
        fleet = mermaid_cli.mermaid_blocks(azlake(env, "plan", str(folder), "--format", "markdown"))[0]
        practice = folder / "practice.yaml"
        practice.write_text(practice.read_text().replace("performance: standard", "performance: premium")
                            .replace("worker: {size: Standard_E2_v3, count: 1}",
                                     "worker: {size: Standard_E2_v3, count: 3}"))
        update = mermaid_cli.mermaid_blocks(azlake(env, "plan", str(practice), "--format", "markdown"))[0]
    for name, diagram in (("update", update), ("fleet", fleet)):
        for theme in ("light", "dark"):
            out = mermaid_cli.render(diagram, OUT / f"plan-{name}-{theme}.png", theme, width=1200, scale=1)
            out.with_suffix(".mmd").unlink()
            print(out.relative_to(ROOT))


if __name__ == "__main__":
    main()
