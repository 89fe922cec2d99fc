"""Plan and destroy output of the example environments through 53 scenarios, for refactoring (not a test).

    python tests/plan_snapshot.py OUTDIR [TREE]

TREE (default: this checkout) holds src/ and environments/. On a fresh local cloud it plans every example
file, applies them, plans again (no changes), plans mutated copies (in place, replacement, refusal, invalid)
as JSON and as text, then destroys and plans what is left. Durations, dates, temporary paths and random ids
are normalised, and progress lines sorted, so two runs of the same code write the same files: run it on the
commit before a restructuring and after it, then `diff -r` the two folders (they must be identical).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from azlake.envfile.secrets_rules import generate_password

# The example files' user names and the mutation's: the generated password holds three characters of none
USERS = ["admin", "adminssh", "ventasssh", "marketingssh", "otherssh"]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ENVIRONMENTS = ["datalake", "practice", "ventas", "marketing"]
PRACTICE = {  # name -> (text in environments/practice.yaml, replacement)
    "workers2": ("worker: {size: Standard_E2_v3, count: 1}", "worker: {size: Standard_E2_v3, count: 2}"),
    "headsize": ("head: {size: Standard_E2_v3, count: 2}", "head: {size: Standard_E4_v3, count: 2}"),
    "grs": ("redundancy: LRS", "redundancy: GRS"),
    "premium": ("performance: standard", "performance: premium"),
    "nozone": ("zones: [landingtmp, landing, universal, smart]", "zones: [landingtmp, landing, universal]"),
    "newdir": ("smart: [reporte]", "smart: [reporte, extra]"),
    "tags": ("department: practice", "department: practice\ntags: {project: x}"),
    "softdel": ("soft_delete_days: 7", "soft_delete_days: 14"),
    "nolock": ("lock: true}", "lock: false}"),
    "version": ('version: "5.1"', 'version: "5.0"'),
    "maxage": ("max_age: 8h", "max_age: 2h"),
    "sshuser": ("username: adminssh", "username: otherssh"),
    "nodeployer": ("deployer_access: true", "deployer_access: false"),
}
MARKETING = {
    "parts": ("partitions: 4", "partitions: 8"),
    "cg": ("consumer_groups: [spark]", "consumer_groups: [spark, audit]"),
    "cap": ("capacity: 1", "capacity: 2"),
    "ret": ("retention_hours: 24", "retention_hours: 48"),
}


class Snapshot:
    def __init__(self, tree: Path, out: Path) -> None:
        self.out, self.count = out, 0
        self.work = Path(tempfile.mkdtemp(prefix="azlake-snapshot-"))
        shutil.copytree(tree / "environments", self.work / "environments")
        (self.work / "pyproject.toml").write_text("")  # the project root: local state under it
        password = generate_password(USERS)  # new each run: plans never show it, so outputs still match
        variables = {f"{p}CLUSTER_PASSWORD": password for p in ("", "VENTAS_", "MARKETING_")}
        self.env = {**os.environ, **variables, "PYTHONPATH": str(tree / "src"), "AZLAKE_PRICES_OFFLINE": "1",
                    "AZLAKE_STATE_DIR": str(self.work / "state"), "AZLAKE_CLOUD": "local", "COLUMNS": "200",
                    "NO_COLOR": "1", "TERM": "dumb"}
        self.env.pop("CI", None)

    def azlake(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "azlake", *args], cwd=self.work, env=self.env,
                              capture_output=True, text=True)

    def record(self, tag: str, *args: str) -> None:
        self.count += 1
        p = self.azlake(*args)
        text = re.sub(r"\d+(\.\d+)?\s?(ms|s)\b", "<t>", p.stdout + "\n--stderr--\n" + p.stderr)
        text = re.sub(r"\b20\d\d-\d\d-\d\d\b", "<date>", text.replace(str(self.work), "<work>"))  # prices' as_of
        seen: dict[str, str] = {}
        text = UUID.sub(lambda m: m.group(0) if m.group(0).startswith("00000000")
                        else seen.setdefault(m.group(0), f"<uuid{len(seen)}>"), text)
        lines = text.split("\n")
        progress = sorted(x for x in lines if x.startswith("["))  # concurrent steps finish in any order
        body = "\n".join([x for x in lines if not x.startswith("[")] + ["--progress (sorted)--", *progress])
        (self.out / f"{self.count:02d}-{tag}.txt").write_text(f"rc={p.returncode}\n{body}")

    def mutations(self, name: str, changes: dict[str, tuple[str, str]]) -> None:
        original = (self.work / f"environments/{name}.yaml").read_text()
        for tag, (old, new) in changes.items():
            if old not in original:
                raise SystemExit(f"environments/{name}.yaml no longer holds {old!r}: update {tag} in this script")
            copy = self.work / f"environments/{name}-{tag}.yaml"
            copy.write_text(original.replace(old, new))
            self.record(f"mut-{name}-{tag}", "plan", str(copy.relative_to(self.work)), "--format", "json")
            self.record(f"mut-{name}-{tag}-text", "plan", str(copy.relative_to(self.work)))
            copy.unlink()

    def run(self) -> None:
        for e in ENVIRONMENTS:
            self.record(f"empty-{e}", "plan", f"environments/{e}.yaml", "--format", "json")
        self.record("empty-folder", "plan", "environments", "--format", "json")
        self.record("empty-practice-noeph", "plan", "environments/practice.yaml", "--format", "json", "--no-ephemeral")
        for e in ENVIRONMENTS:
            p = self.azlake("apply", f"environments/{e}.yaml", "--auto-approve")
            if p.returncode:
                raise SystemExit(f"apply {e} failed:\n{p.stderr[-2000:]}")
        for e in ENVIRONMENTS:
            self.record(f"noop-{e}", "plan", f"environments/{e}.yaml", "--format", "json")
        self.record("noop-folder", "plan", "environments", "--format", "json")
        self.mutations("practice", PRACTICE)
        self.record("noop-marketing-text", "plan", "environments/marketing.yaml")
        self.mutations("marketing", MARKETING)
        self.record("destroy-practice", "destroy", "environments/practice.yaml", "--auto-approve")
        self.record("after-destroy-practice", "plan", "environments/practice.yaml", "--format", "json")
        self.record("destroy-ventas-all", "destroy", "environments/ventas.yaml", "--all", "--auto-approve")
        self.record("destroy-marketing", "destroy", "environments/marketing.yaml", "--auto-approve")
        self.record("after-destroy-folder", "plan", "environments", "--format", "json")
        self.record("destroy-practice-all", "destroy", "environments/practice.yaml", "--all", "--auto-approve")
        self.record("after-all-practice", "plan", "environments/practice.yaml", "--format", "json")


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    out = Path(sys.argv[1]).resolve()
    tree = Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else Path(__file__).resolve().parents[1]
    out.mkdir(parents=True, exist_ok=True)
    snapshot = Snapshot(tree, out)
    try:
        snapshot.run()
    finally:
        shutil.rmtree(snapshot.work, ignore_errors=True)
    print(f"{snapshot.count} outputs in {out}")


if __name__ == "__main__":
    main()
