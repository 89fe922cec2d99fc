"""One environment's Markdown plan fits one GitHub comment too: hundreds of directories keep summary and changes."""

from __future__ import annotations

import re

import pytest
from markdown_reading import assert_valid_markdown, code_text, mermaid_blocks, table_rows

from azlake.cli.comment_fit import BUDGET, MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, environment_comment

BASE = 20  # the practice environment's own resources, all to create on a fresh cloud
NOTE = "> **Shortened to fit one GitHub comment** (at most 65,536 characters). Left out: "


def with_directories(cli, count: int) -> None:
    """The practice file with `count` more directories in its landing zone."""
    practice = cli.folder / "practice.yaml"
    more = ", ".join(f"ventas/2026/dia-{i:04}" for i in range(count))
    practice.write_text(practice.read_text().replace("    landing: [transaccion]",
                                                     f"    landing: [transaccion, {more}]"))


def changing_rows(md: str) -> list[list[str]]:
    """The rows of the table of what changes (the unchanged table is in a <details> after it)."""
    open_part = md.split("<details><summary>")[0]
    return [r for r in table_rows(open_part) if len(r) == 5 and r[0] != "action"]


def plan_of(cli):
    from azlake.cli.options import clients_for, load
    from azlake.engine import plan_environment

    loaded = load(cli.folder / "practice.yaml")
    return plan_environment(loaded, clients_for(loaded, None, None, read_only=True))


def test_hundreds_of_directories_fit_with_every_change_and_a_note(cli):
    with_directories(cli, 800)
    result = cli("plan", "practice", "--format", "markdown")
    assert result.exit_code == 0, result.output[-2000:]
    md = result.stdout
    assert len(md) <= BUDGET
    assert_valid_markdown(md)
    lines = md.splitlines()
    assert lines[0].startswith("### azlake plan") and lines[2].startswith(f"**Plan:** {BASE + 800} to create")
    note = lines[4]
    assert note.startswith(NOTE) and "without `--format markdown`" in note and "`--format json`" in note
    # the diagram is more than Mermaid draws (an arrow per directory): left out, and the note says why
    assert not mermaid_blocks(md) and "Legend:" not in md
    assert re.search(rf"the diagram \({BASE + 800} resources, [\d,]+ characters: more than Mermaid draws", note)
    rows = changing_rows(md)
    left = re.search(r"(\d+) of the (\d+) rows of what changes \(the first (\d+) are shown\)", note)
    assert left and int(left[2]) == BASE + 800 and int(left[3]) == len(rows) and len(rows) + int(left[1]) == 820
    assert len(rows) > 300 and all(r[0] == "+ create" for r in rows)
    assert f"*{left[1]} more changing resource(s) of this environment left out: see the note at the top.*" in md
    shown = [code_text(r[2]) for r in rows]
    assert shown[0] == "resource_group" and len(set(shown)) == len(shown)


def test_when_the_table_fits_the_diagram_is_what_goes(cli):
    with_directories(cli, 400)
    plan = plan_of(cli)
    md = environment_comment(plan, "azlake plan practice")
    assert len(md) <= BUDGET and NOTE in md
    assert_valid_markdown(md)
    assert len(changing_rows(md)) == BASE + 400  # every change
    assert "rows of what changes" not in md and "more changing resource(s)" not in md
    assert not mermaid_blocks(md) and f"{NOTE}the diagram. To see the whole plan" in md  # it renders, but is long


def test_an_applied_environment_keeps_its_diagram_and_cuts_the_unchanged_table(cli):
    with_directories(cli, 60)
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    plan = plan_of(cli)
    full = environment_comment(plan, "azlake plan practice", limit=10 ** 6)
    assert "Shortened" not in full and f"<details><summary>{BASE + 60} unchanged</summary>" in full
    limit = len(full) - 1_000  # the unchanged table is about 7,000 characters of it
    md = environment_comment(plan, "azlake plan practice", limit=limit)
    assert len(md) <= limit and f"the table of the {BASE + 60} unchanged resources" in md
    assert_valid_markdown(md)
    blocks = mermaid_blocks(md)
    assert len(blocks) == 1 and blocks[0] in full  # the whole diagram, as the full comment has it
    assert len(blocks[0]) <= MERMAID_MAX_TEXT and blocks[0].count("-->") <= MERMAID_MAX_EDGES
    assert "unchanged</summary>" not in md and "**Plan:** 0 to create" in md


@pytest.mark.parametrize("limit", [30_000, 8_000, 3_000])
def test_smaller_limits_cut_between_rows_and_say_how_many(cli, limit):
    with_directories(cli, 400)
    md = environment_comment(plan_of(cli), "azlake plan practice", limit=limit)
    assert len(md) <= limit and NOTE in md and "everything but this" not in md
    assert_valid_markdown(md)
    left = re.search(r"(\d+) of the (\d+) rows of what changes \(the first (\d+) are shown\)", md)
    assert left and len(changing_rows(md)) == int(left[3]) and int(left[1]) + int(left[3]) == BASE + 400
    assert "**Estimated cluster cost:**" in md


def test_a_plan_that_fits_is_unchanged(cli):
    from azlake.cli.markdown import plan_markdown

    plan = plan_of(cli)
    assert environment_comment(plan, "azlake plan practice") == plan_markdown(plan, "azlake plan practice")
