"""A folder plan that fits one GitHub comment: summary, overview and changing resources first, the rest cut whole.

The limits and the cuts are comment_fit's, which one environment's comment uses too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from azlake.cli import mermaid
from azlake.cli.comment_fit import (
    BUDGET,
    MERMAID_MAX_EDGES,
    MERMAID_MAX_TEXT,
    NOTE_ROOM,
    Cut,
    compact_body,
    most_rows,
    note,
    renders,
)
from azlake.cli.comment_fit import size as _size
from azlake.cli.fleet_markdown import (
    TABLE_HEAD,
    USES,
    _own_lake,
    _uses,
    details,
    details_title,
    folder_markdown,
    heading,
    legend_kinds,
    overview,
    result,
    summary_parts,
)
from azlake.cli.render import counts

COMPACT_USES = "in the overview (one box per environment) an arrow goes from a department to the environment " \
               "whose lake it uses"
# Which kind one box stands for when an environment has several: the one a reviewer must not miss.
_FIRST = ("refused", "delete", "replace", "update", "adopt", "create", "kept")


def _rank(o: Any) -> int:
    """Who is kept first: failures, then environments that change, then those planned later, then the rest."""
    if result(o)[0]:
        return 0
    if o.plan is not None:
        return 1 if any(n for k, n in counts(o.plan).items() if k != "noop") else 3
    return 2


def comment(folder: Path, outcomes: list[Any], command: str = "plan", limit: int = BUDGET) -> str:
    """The folder's Markdown plan as it is, or shortened when longer than `limit` or a diagram Mermaid refuses."""
    full = folder_markdown(folder, outcomes, command)
    if len(full) <= limit and renders(full):
        return full
    return shortened(folder, outcomes, command, limit)


def shortened(folder: Path, outcomes: list[Any], command: str, budget: int) -> str:
    """The comment within `budget` characters, with a note naming what it leaves out."""
    ordered = sorted(outcomes, key=lambda o: str(o.path))
    head, rows = summary_parts(ordered)
    cut = Cut()
    table = [*TABLE_HEAD, *_rows_within(rows, (budget - NOTE_ROOM) // 3, cut), ""]
    room = budget - NOTE_ROOM - _size([heading(folder, ordered, command), "", head, "", *table])
    diagram, kinds = overview(ordered)
    variants = [(diagram, kinds, USES, True)] if renders("```mermaid\n" + "\n".join(diagram) + "\n```") else []
    variants.append(compact_overview(ordered, min(MERMAID_MAX_TEXT, max(0, room * 2 // 3))))
    best: tuple[tuple[bool, int, int], list[str], list[str], Cut] | None = None
    for index, (lines, shown, uses, complete) in enumerate(variants):
        picture = [mermaid.legend(legend_kinds(ordered, shown), uses), "", "```mermaid", *lines, "```", ""]
        if _size(picture) > room:
            continue
        trial = Cut(list(cut.items))
        if uses == COMPACT_USES:
            trial.add("the overview's boxes per part of each environment (one box per environment instead)")
            if not complete:
                drawn, loaded = sum(1 for line in lines if ":::" in line), sum(1 for o in ordered if o.loaded)
                trial.add(f"{loaded - drawn} of the {loaded} environments from the overview")
        body, count = _details_within(ordered, room - _size(picture), trial)
        score = (complete, count, -index)  # a whole overview first, then the most environments' changes
        if best is None or score > best[0]:
            best = (score, picture, body, trial)
    if best is None:  # not even one box per environment fits beside the summary
        cut.add("the overview and every environment's details")
        picture, body = [], []
    else:
        _, picture, body, cut = best
    lines = [heading(folder, ordered, command), "", head, "", *note(cut), *table, *picture, *body]
    text = "\n".join(lines).rstrip("\n") + "\n"
    if len(text) > budget:  # cannot happen with NOTE_ROOM kept; never post what GitHub would refuse
        text = "\n".join([heading(folder, ordered, command), "", head, "", *note(Cut(["everything but this"]))])
    return text


def _rows_within(rows: list[tuple[Any, str]], cap: int, cut: Cut) -> list[str]:
    """The summary table's rows, those of files that change or fail first when all do not fit."""
    if _size([r for _, r in rows]) <= cap:
        return [r for _, r in rows]
    kept, used = set(), 0
    for o, row in sorted(rows, key=lambda item: _rank(item[0])):
        if used + len(row) + 1 > cap:
            break
        kept.add(id(o))
        used += len(row) + 1
    cut.add(f"{len(rows) - len(kept)} of the {len(rows)} rows of the table below (rows of files that fail or "
            "change are kept first)")
    return [row for o, row in rows if id(o) in kept]


def compact(o: Any, limit: int | None = None) -> list[str]:
    """One environment without its diagram and unchanged resources: what changes (at most `limit` rows)."""
    if o.plan is None:
        return details(o)  # a failed file's diagnostics or a deferred file's one line: short already
    return [f"<details open><summary>{details_title(o)}</summary>", "", *compact_body(o.plan, limit), "</details>",
            ""]


def _details_within(ordered: list[Any], room: int, cut: Cut) -> tuple[list[str], int]:
    """Each environment's details: all of them if they fit, else what changes, failures first, in path order;
    and how many environments are shown."""
    full = [line for o in ordered for line in details(o)]
    if _size(full) <= room and renders("\n".join(full)):
        return full, len(ordered)
    cut.add("each environment's diagram and its unchanged resources")
    shown = [o for o in ordered if _rank(o) <= 1]
    if len(shown) < len(ordered):
        cut.add(f"the details of {len(ordered) - len(shown)} environment(s) with nothing to change or planned "
                "later (their rows say so)")
    blocks: dict[int, list[str]] = {}
    used, truncated = 0, False
    for o in sorted(shown, key=_rank):
        block = compact(o)
        if used + _size(block) > room and not truncated and o.plan is not None:
            block, truncated = _truncated(o, room - used), True
        if block and used + _size(block) <= room:
            blocks[id(o)] = block
            used += _size(block)
    dropped = [o.name or o.path.name for o in shown if id(o) not in blocks]
    if dropped:
        names = ", ".join(dropped[:5]) + (f" and {len(dropped) - 5} more" if len(dropped) > 5 else "")
        cut.add(f"the details of {len(dropped)} environment(s) with changes ({names})")
    return [line for o in shown if id(o) in blocks for line in blocks[id(o)]], len(blocks)


def _truncated(o: Any, room: int) -> list[str]:
    """The environment with as many of its changing rows as fit in `room` (at least one), or nothing."""
    return most_rows(lambda n: compact(o, n), len(o.plan.actions), room)[0]


def _kind(o: Any) -> str:
    if not o.ok:
        return "refused"
    if o.plan is None:
        return "pending"
    c = counts(o.plan)
    return next((k for k in _FIRST if c.get(k)), "noop")


def compact_overview(ordered: list[Any], cap: int) -> tuple[list[str], set[str], str, bool]:
    """One box per environment (and an arrow to the lake it uses), within `cap` characters and Mermaid's edges;
    whether every environment is drawn."""
    loaded = [o for o in ordered if o.loaded is not None]
    ids = {id(o): f"e{i}_env" for i, o in enumerate(loaded)}
    owners = {o.name: o for o in reversed(loaded) if _own_lake(o)}  # the first file of a name, as plan reads it
    used_lakes = {id(owners[u]) for o in loaded if (u := _uses(o)) in owners}
    drawn: set[int] = set()
    used, edges = _size(["flowchart LR", *mermaid.class_lines({_kind(o) for o in loaded})]), 0
    for o in sorted(loaded, key=lambda o: (id(o) not in used_lakes, _rank(o))):  # central lakes first
        edge = 1 if _uses(o) in owners else 0
        size = len(_box(o, ids[id(o)])) + 3 + 40 * edge
        if used + size > cap or edges + edge > MERMAID_MAX_EDGES:
            continue
        drawn.add(id(o))
        used, edges = used + size, edges + edge
    shown = [o for o in loaded if id(o) in drawn]
    lines = ["flowchart LR", *("  " + _box(o, ids[id(o)]) for o in shown)]
    lines += [f"  {ids[id(o)]} -->|uses the lake of| {ids[id(lake)]}" for o in shown
              if (lake := owners.get(_uses(o) or "")) is not None and id(lake) in drawn]
    kinds = {_kind(o) for o in shown}
    return lines + mermaid.class_lines(kinds), kinds, COMPACT_USES, len(shown) == len(loaded)


def _box(o: Any, node_id: str) -> str:
    what = result(o)[1]
    what = what if len(what) <= 60 else what[:57] + "..."
    return mermaid.node(node_id, _kind(o), o.name, f"{what}; {o.path.name}",
                        shape="lake" if _own_lake(o) else "box")
