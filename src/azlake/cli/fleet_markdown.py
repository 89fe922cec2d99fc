"""A folder plan as one pull-request comment: summary, fleet overview, then each environment's details."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from azlake.cli import mermaid
from azlake.cli.markdown import cell, code, plan_body
from azlake.cli.options import header
from azlake.cli.render import counts, hourly_change, shown_kind, summary_text

USES = "in the overview an arrow goes from what uses to what is used; in each environment from what a " \
       "resource needs to the resource"
# The overview's boxes: one per part of an environment, each standing for the addresses under it.
_PARTS = (("lake", "data_lake."), ("identity", "identity"), ("cluster", "cluster"), ("streaming", "streaming."))


def result(o: Any) -> tuple[bool, str]:
    """(failed, what happened to one file in a few words)."""
    if not o.ok:
        return True, o.message.splitlines()[0] if o.message else "not planned"
    if o.plan is None:
        return False, o.message
    c = counts(o.plan)
    changed = [f"{n} {'to ' + k if k not in ('kept', 'refused') else k}" for k, n in c.items()
               if n and k != "noop"]
    return False, ", ".join(changed) if changed else "no changes"


def _result_cell(o: Any) -> str:
    failed, what = result(o)
    return ("**FAILED**: " if failed else "") + cell(what)


def _cost(o: Any) -> str:
    if o.plan is None:
        if not o.ok or o.loaded is None or o.loaded.spec.cluster is None:
            return ""
        from azlake.plan.planner import estimate_cost
        cost = estimate_cost(o.loaded.spec)  # the packaged catalog: VM prices only, so a lower bound
        return f"{'≥ ' if cost['missing'] else ''}{cost['cluster_hourly']:.2f} once created"
    before, after = hourly_change(o.plan)
    if not before and not after:
        return "none"
    if before is None or after is None or round(before, 2) == round(after, 2):
        return f"{(after if after is not None else before):.2f}"
    return f"{before:.2f} → {after:.2f}"


TABLE_HEAD = ["| environment | file | result | cluster USD/hour |", "|---|---|---|---|"]


def summary(outcomes: list[Any]) -> list[str]:
    """The overall line and one row per file."""
    head, rows = summary_parts(outcomes)
    return [head, "", *TABLE_HEAD, *(row for _, row in rows), ""]


def summary_parts(outcomes: list[Any]) -> tuple[str, list[tuple[Any, str]]]:
    """The overall line, and each file with its row (sorted by path)."""
    planned = [o for o in outcomes if o.plan is not None]
    failed = sum(1 for o in outcomes if not o.ok)
    total = {k: sum(counts(o.plan)[k] for o in planned) for k in counts(planned[0].plan)} if planned else None
    later = sum(1 for o in outcomes if o.ok and o.loaded is not None and o.plan is None)
    head = (f"**Plan:** {len(outcomes)} file(s): {sum(1 for o in planned if o.changes and o.ok)} with changes, "
            f"{sum(1 for o in planned if not o.changes and o.ok)} unchanged, {later} planned later, {failed} failed.")
    if total:
        head += f" In all: {summary_text(total)}"
        changes = [hourly_change(o.plan) for o in planned]
        known = [(b, a) for b, a in changes if b is not None and a is not None]
        if len(known) == len(changes) and any(a for _, a in known):
            before, after = sum(b for b, _ in known), sum(a for _, a in known)
            head += (f" Estimated cluster cost of the planned environments: USD {before:.2f}/hour → "
                     f"USD {after:.2f}/hour.")
    rows = [(o, f"| {code(o.name) if o.name else ''} | {code(o.path)} | {_result_cell(o)} | {_cost(o)} |")
            for o in sorted(outcomes, key=lambda o: str(o.path))]
    return head, rows


def _part_kind(o: Any, prefix: str) -> tuple[str, int]:
    """The kind the overview draws for a part of an environment, and how many of its resources change."""
    if o.plan is None:
        return "pending", 0
    actions = [a for a in o.plan.actions if a.address.startswith(prefix)]
    kinds = [shown_kind(a) for a in actions]
    changing = sum(1 for k in kinds if k != "noop")
    if "refused" in kinds:
        return "refused", changing
    if kinds and kinds[0] != "noop":  # the part's own resource (account, identity, cluster) comes first
        return kinds[0], changing
    return ("update" if changing else "noop"), changing


def _node(node_id: str, o: Any, part: str, prefix: str, title: str, what: str) -> tuple[str, str]:
    kind, changing = _part_kind(o, prefix)
    detail = what + (f", {changing} changing" if changing and kind not in ("create", "delete") else "")
    return mermaid.node(node_id, kind, title, detail, shape="lake" if part == "lake" else "box"), kind


def overview(outcomes: list[Any]) -> tuple[list[str], set[str]]:
    """One diagram of the fleet: each environment's lake, identity, cluster and Event Hubs, and what uses what."""
    loaded = [o for o in sorted(outcomes, key=lambda o: str(o.path)) if o.loaded is not None]
    lakes = {o.name: f"e{i}_lake" for i, o in enumerate(loaded) if _own_lake(o)}
    lines, edges, kinds = ["flowchart LR"], [], set()
    outside: dict[str, str] = {}
    for i, o in enumerate(loaded):
        spec, boxes = o.loaded.spec, []
        if _own_lake(o):
            zones = len(spec.data_lake.zones)
            boxes.append(_node(f"e{i}_lake", o, "lake", "data_lake.", spec.data_lake.account,
                               f"data lake, {zones} zones"))
        boxes.append(_node(f"e{i}_identity", o, "identity", "identity", spec.identity.name, "identity"))
        if spec.cluster is not None:
            nodes = sum(getattr(spec.cluster.nodes, r).count for r in ("head", "zookeeper", "worker"))
            boxes.append(_node(f"e{i}_cluster", o, "cluster", "cluster", spec.cluster.name,
                               f"{spec.cluster.lifecycle} Spark cluster, {nodes} nodes"))
        if spec.streaming is not None:
            boxes.append(_node(f"e{i}_streaming", o, "streaming", "streaming.", spec.streaming.namespace,
                               f"Event Hubs, {len(spec.streaming.hubs)} hub(s)"))
        role = "central lake" if o.name in _users(loaded) else "department" if _uses(o) else "own lake"
        lines.append(f'  subgraph env{i}["{mermaid.text(f"{o.name} ({role}): {o.path.name}")}"]')
        lines += [f"    {n}" for n, _ in boxes]
        lines.append("  end")
        kinds |= {k for _, k in boxes}
        lake = lakes.get(o.name) or lakes.get(_uses(o) or "") or _outside(o, outside, lines, kinds)
        if lake is None or spec.cluster is None:
            continue
        edges += [f"  e{i}_cluster -->|runs as| e{i}_identity",
                  f'  e{i}_identity -->|"{mermaid.text("Storage Blob Data Owner")}"| {lake}',
                  f'  e{i}_cluster -->|"{mermaid.text("works in " + spec.cluster.storage.filesystem)}"| {lake}']
    return lines + edges + mermaid.class_lines(kinds), kinds


def _outside(o: Any, seen: dict[str, str], lines: list[str], kinds: set[str]) -> str | None:
    """A central lake that is not in this folder: one box for it, read only from here."""
    name = _uses(o)
    if not name or o.loaded.lake is None:
        return None
    if name not in seen:
        seen[name] = f"x{len(seen)}_lake"
        account = o.loaded.lake.spec.data_lake.account
        lines.append("  " + mermaid.node(seen[name], "noop", account, f"central lake of {name}, not in this folder",
                                         shape="lake"))
        kinds.add("noop")
    return seen[name]


def _own_lake(o: Any) -> bool:
    lake = o.loaded.spec.data_lake
    return lake is not None and not lake.use


def _uses(o: Any) -> str | None:
    lake = o.loaded.spec.data_lake
    return lake.use if lake is not None else None


def _users(loaded: list[Any]) -> set[str]:
    return {used for o in loaded if (used := _uses(o))}


def _inline_code(text: str) -> str:
    """Escaped HTML with `code` spans as <code>: GitHub shows a <summary> as HTML, where backticks stay literal."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def details_title(o: Any) -> str:
    """The <summary> of one environment: its name, its file and what happens to it (HTML, not Markdown)."""
    failed, what = result(o)
    return f"<b>{html.escape(o.name or o.path.name)}</b> (<code>{html.escape(str(o.path))}</code>): " \
           f"{'FAILED: ' if failed else ''}{_inline_code(what)}"


def details(o: Any) -> list[str]:
    """One environment, open when something changes or fails, collapsed when nothing does."""
    title = details_title(o)
    body: list[str] = []
    if o.plan is not None:
        body = [cell(header("plan", o.clients, o.name)), "", *plan_body(o.plan, in_folder=True)]
    elif o.diagnostics:
        body = ["> " + "<br>".join(cell(line.strip()) for line in d.render().splitlines()) + "\n"
                for d in o.diagnostics]
    elif o.message:
        body = [f"> {cell(line)}" for line in o.message.splitlines()] + [""]
    quiet = o.ok and o.plan is not None and not any(k != "noop" and n for k, n in counts(o.plan).items())
    return [f"<details{'' if quiet else ' open'}><summary>{title}</summary>", "", *body, "</details>", ""]


def heading(folder: Path, outcomes: list[Any], command: str) -> str:
    return f"### azlake {command} of {code(folder)}: {len(outcomes)} environment file(s)"


def legend_kinds(outcomes: list[Any], kinds: set[str]) -> set[str]:
    """The kinds the legend explains: the overview's and every environment's."""
    shown = set(kinds)
    for o in outcomes:
        if o.plan is not None:
            shown |= {shown_kind(a) for a in o.plan.actions}
    return shown


def folder_markdown(folder: Path, outcomes: list[Any], command: str = "plan") -> str:
    """The whole comment: summary first, then the overview diagram, then each environment's details.

    Unbounded: fleet_fit.comment shortens it when it is longer than one GitHub comment takes."""
    diagram, kinds = overview(outcomes)
    lines = [heading(folder, outcomes, command), "", *summary(outcomes)]
    lines += [mermaid.legend(legend_kinds(outcomes, kinds), USES), "", "```mermaid", *diagram, "```", ""]
    for o in sorted(outcomes, key=lambda o: str(o.path)):
        lines += details(o)
    return "\n".join(lines).rstrip("\n") + "\n"
