"""A folder's Markdown plan fits one GitHub comment: a big fleet keeps its summary, overview and changes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from markdown_reading import assert_valid_markdown, mermaid_blocks, mermaid_nodes, table_rows
from typer.testing import CliRunner

from azlake.cli.comment_fit import BUDGET, GITHUB_COMMENT_LIMIT, MERMAID_MAX_EDGES, MERMAID_MAX_TEXT
from azlake.cli.main import app

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from fleet_files import department_name, fleet_password, write_fleet  # noqa: E402

DEPARTMENTS = 50  # about 160,000 characters of Markdown in full; 50 x 18 cores fit the 1,000-core quota
CHANGING_ROWS = 7  # a department's resources to create once its central lake exists (the lake itself is used)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """A central lake (applied) and DEPARTMENTS departments on it, each with 7 resources to create."""
    work = tmp_path_factory.mktemp("fleet")
    folder = write_fleet(work / "environments", DEPARTMENTS, workers=1)
    mp = pytest.MonkeyPatch()
    for name, value in {"AZLAKE_CLOUD": "local", "AZLAKE_STATE_DIR": str(work / "state"),
                        "AZLAKE_EMULATOR_TIME_SCALE": "0.0005", "AZLAKE_EMULATOR_ROLE_PROPAGATION": "0",
                        "FLEET_CLUSTER_PASSWORD": fleet_password(DEPARTMENTS)}.items():
        mp.setenv(name, value)
    mp.delenv("CI", raising=False)
    lake = CliRunner().invoke(app, ["apply", str(folder / "datalake.yaml"), "--auto-approve"])
    assert lake.exit_code == 0, lake.output
    yield folder
    mp.undo()


def plan_markdown(folder: Path) -> str:
    result = CliRunner().invoke(app, ["plan", str(folder), "--format", "markdown"])
    assert result.exit_code == 0 and result.stdout.startswith("### azlake plan of"), result.output[-2000:]
    return result.stdout


def test_a_big_fleet_fits_one_comment_with_summary_overview_and_changes(fleet):
    md = plan_markdown(fleet)
    assert len(md) <= BUDGET < GITHUB_COMMENT_LIMIT
    assert_valid_markdown(md)
    lines = md.splitlines()
    assert lines[0] == f"### azlake plan of `{fleet}`: {DEPARTMENTS + 1} environment file(s)"
    assert lines[2].startswith(f"**Plan:** {DEPARTMENTS + 1} file(s): {DEPARTMENTS} with changes, 1 unchanged")
    note = lines[4]
    assert note.startswith("> **Shortened to fit one GitHub comment** (at most 65,536 characters)")
    assert "without `--format markdown`" in note and "`--format json`" in note  # how to see it all

    summary = [r for r in table_rows(md) if len(r) == 4 and r[0] != "environment"]
    assert len(summary) == DEPARTMENTS + 1  # every file keeps its row
    assert sum(1 for r in summary if r[2] == f"{CHANGING_ROWS} to create") == DEPARTMENTS

    blocks = mermaid_blocks(md)
    assert len(blocks) == 1  # the overview; each environment's own diagram is what was cut
    assert len(blocks[0]) <= MERMAID_MAX_TEXT and blocks[0].count("-->") <= MERMAID_MAX_EDGES
    nodes = {text.split("\n")[0][2:]: kind for kind, text in mermaid_nodes(blocks[0]).values()}
    assert len(nodes) == DEPARTMENTS + 1 and nodes["datalake"] == "noop"
    assert {nodes[department_name(i)] for i in range(DEPARTMENTS)} == {"create"}
    assert blocks[0].count("-->|uses the lake of|") == DEPARTMENTS

    shown = re.findall(r"<details open><summary><b>(dep\d+)</b>", md)
    left = re.search(r"the details of (\d+) environment\(s\) with changes \(([^)]*)\)", note)
    assert shown and left and len(shown) + int(left[1]) == DEPARTMENTS
    assert left[2].startswith(", ".join(sorted(set(department_name(i) for i in range(DEPARTMENTS)) - set(shown))[:2]))
    for name in shown:  # an environment that is shown shows every resource that changes
        part = md.split(f"<summary><b>{name}</b>")[1].split("</details>")[0]
        rows = [r for r in table_rows(part) if len(r) == 5 and r[0] != "action"]
        assert len(rows) == CHANGING_ROWS and all(r[0] == "+ create" for r in rows), name
    assert "<details><summary>1 unchanged</summary>" not in md  # unchanged resources are what is cut first


def test_a_fleet_that_fits_is_not_shortened(fleet, tmp_path):
    small = write_fleet(tmp_path / "environments", 3, workers=1)  # on the same central lake, already applied
    md = plan_markdown(small)
    assert "Shortened" not in md and len(md) < BUDGET
    assert len(mermaid_blocks(md)) == 1 + 4  # the overview, then every environment's own diagram
    assert "<details><summary>1 unchanged</summary>" in md
    assert_valid_markdown(md)


@pytest.mark.parametrize("limit", [30_000, 12_000, 4_000])
def test_smaller_limits_cut_whole_blocks_and_say_what(fleet, limit):
    from azlake.cli.fleet import _defer_on_new_lakes, load_folder, parallel, plan_one
    from azlake.cli.fleet_fit import comment

    good, bad = load_folder(fleet)
    parallel(good, lambda o: plan_one(o, None, None, read_only=True))
    _defer_on_new_lakes(good)
    md = comment(fleet, good + bad, limit=limit)
    assert len(md) <= limit
    assert_valid_markdown(md)
    assert "> **Shortened to fit one GitHub comment**" in md and md.startswith("### azlake plan of")
    assert "everything but this" not in md  # the last resort is not needed even at 4,000 characters
    summary = [r for r in table_rows(md) if len(r) == 4 and r[0] != "environment"]
    cut_rows = re.search(r"(\d+) of the (\d+) rows of the table below", md)
    assert len(summary) == DEPARTMENTS + 1 - (int(cut_rows[1]) if cut_rows else 0)
    for part in md.split("<details open><summary>")[1:]:
        rows = [r for r in table_rows(part.split("</details>")[0]) if len(r) == 5 and r[0] != "action"]
        more = re.search(r"\*(\d+) more changing resource\(s\) of this environment left out", part)
        assert len(rows) + (int(more[1]) if more else 0) == CHANGING_ROWS


@pytest.mark.slow
def test_the_shortened_comment_renders_in_light_and_dark(fleet, tmp_path):
    import os

    import mermaid_cli
    why = mermaid_cli.missing()
    if why and os.environ.get("AZLAKE_REQUIRE_MERMAID") == "1":  # CI installs the renderer: missing fails there
        pytest.fail(why)
    if why:
        pytest.skip(why)
    from test_plan_rendered import check

    md = plan_markdown(fleet)
    assert "Shortened" in md
    check(md, tmp_path, ["= datalake", "+ dep000", f"+ {department_name(DEPARTMENTS - 1)}", "7 to create"])
