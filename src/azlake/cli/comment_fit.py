"""Plans that fit one GitHub comment: the limits, the cuts one environment's and a folder's comment share.

GitHub refuses a comment body longer than 65,536 characters (docs/ci.md), and Mermaid draws an error instead
of a diagram longer than 50,000 characters or with more than 500 edges. A cut never falls inside a table row,
a code fence or a <details> block: whole blocks are left out, and a note at the top says what was left out
and how to see everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from azlake.cli import mermaid
from azlake.cli.markdown import cell, changing_table, cost_line, notes, plan_markdown, unchanged_block
from azlake.cli.render import counts, shown_kind, summary_text

GITHUB_COMMENT_LIMIT = 65_536  # characters in one issue or pull-request comment (docs/ci.md)
# Room for what the posting step adds: marocchino/sticky-pull-request-comment appends an HTML marker line.
BUDGET = GITHUB_COMMENT_LIMIT - 1_024
MERMAID_MAX_TEXT = 50_000  # Mermaid's default maxTextSize
MERMAID_MAX_EDGES = 500    # Mermaid's default maxEdges
NOTE_ROOM = 1_200          # kept for the note, which is written once the cuts are known


@dataclass
class Cut:
    """What was left out, in words for the note."""

    items: list[str] = field(default_factory=list)

    def add(self, what: str) -> None:
        if what not in self.items:
            self.items.append(what)


def renders(text: str) -> bool:
    """Whether every Mermaid block of `text` is within what Mermaid draws by default."""
    blocks = [part.split("\n```", 1)[0] for part in text.split("```mermaid\n")[1:]]
    return all(len(b) <= MERMAID_MAX_TEXT and b.count("-->") <= MERMAID_MAX_EDGES for b in blocks)


def size(lines: list[str]) -> int:
    """Characters of `lines` joined one per line."""
    return sum(len(line) + 1 for line in lines)


def note(cut: Cut) -> list[str]:
    """The quote under the summary line: what was left out, and how to see the whole plan."""
    what = "; ".join(cut.items)
    return [f"> **Shortened to fit one GitHub comment** (at most {GITHUB_COMMENT_LIMIT:,} characters). Left out: "
            f"{what}. To see the whole plan, run the same `azlake plan` without `--format markdown` (the text "
            "plan) or with `--format json`.", ""]


def compact_body(plan: Any, limit: int | None = None, picture: list[str] | None = None,
                 unchanged: list[str] | None = None) -> list[str]:
    """A plan without what is cut first: summary, cost, `picture` if given, what changes (at most `limit`
    rows: a cut falls between rows, with a line saying how many are left out), `unchanged` if given, then the
    refusals and warnings."""
    table, left = changing_table(plan, limit)
    body = [f"**Plan:** {summary_text(counts(plan))}", "", cost_line(plan), "", *(picture or []), *table]
    if left:
        body += [f"*{left} more changing resource(s) of this environment left out: see the note at the top.*", ""]
    return body + (unchanged or []) + notes(plan)


def most_rows(block: Callable[[int], list[str]], most: int, room: int, least: int = 1) -> tuple[list[str], int]:
    """`block(n)` with the most rows n (from `least` to `most`) that fits in `room` characters, and n; or
    nothing (and 0) when not even `least` rows fit."""
    low, high, best, rows = least, most, [], 0
    while low <= high:
        middle = (low + high) // 2
        lines = block(middle)
        if size(lines) <= room:
            best, rows, low = lines, middle, middle + 1
        else:
            high = middle - 1
    return best, rows


def environment_comment(plan: Any, header: str, limit: int = BUDGET) -> str:
    """One environment's Markdown plan as it is, or, when longer than `limit` or with a diagram Mermaid
    refuses, shortened: summary and cost, the diagram, what changes, the unchanged resources, in this order
    of what is kept; refusals and warnings always."""
    full = plan_markdown(plan, header)
    if len(full) <= limit and renders(full):
        return full
    head, cut = [f"### {cell(header)}", ""], Cut()
    room = limit - NOTE_ROOM - size(head)
    diagram, kinds = mermaid.environment_diagram(plan)
    picture = [mermaid.legend(kinds), "", "```mermaid", *diagram, "```", ""]
    if not renders("\n".join(picture)):
        cut.add(f"the diagram ({len(plan.actions)} resources, {size(diagram):,} characters: more than Mermaid "
                f"draws, {MERMAID_MAX_TEXT:,} characters and {MERMAID_MAX_EDGES} arrows)")
        picture = []
    unchanged = unchanged_block(plan)
    body: list[str] = []
    for shown_picture, shown_unchanged in ((picture, unchanged), (picture, []), ([], [])):
        trial = compact_body(plan, None, shown_picture, shown_unchanged)
        if size(trial) <= room:
            body = trial
            break
    else:
        changing = sum(1 for a in plan.actions if shown_kind(a) != "noop")
        body, rows = most_rows(lambda n: compact_body(plan, n), changing, room, least=0)
        shown_picture, shown_unchanged = [], []
        cut.add(f"{changing - rows} of the {changing} rows of what changes (the first {rows} are shown)")
    if picture and not shown_picture:
        cut.add("the diagram")
    if unchanged and not shown_unchanged:
        cut.add(f"the table of the {sum(1 for a in plan.actions if shown_kind(a) == 'noop')} unchanged resources")
    text = "\n".join([*head, *body[:2], *note(cut), *body[2:]]).rstrip("\n") + "\n"
    if len(text) > limit or not body:  # refusals and warnings alone too long: never post what GitHub refuses
        text = "\n".join([*head, *compact_body(plan, 0)[:2], *note(Cut(["everything but this"]))])
    return text
