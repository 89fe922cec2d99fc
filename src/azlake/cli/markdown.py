"""Plans as Markdown for a pull request: summary, cost, legend, Mermaid diagram and tables, names escaped."""

from __future__ import annotations

import re
from typing import Any

from azlake.cli import mermaid
from azlake.cli.render import SHORT_BASIS, change_values, counts, hourly_change, shown_kind, summary_text
from azlake.plan.diff import SECRET_CHANGES
from azlake.plan.verb import Verb

_PLAIN = re.compile(r"([\\`*_\[\]<>|~&])")
_COLUMNS = "| action | name | address | old → new | reason |\n|---|---|---|---|---|"


def cell(value: object) -> str:
    """Plain text in a table cell or a quote: Markdown and HTML syntax escaped, one line."""
    return _PLAIN.sub(r"\\\1", " ".join(str(value).splitlines()))


def code(value: object) -> str:
    """A code span that holds any text: a longer fence than any backtick run in it, pipes escaped for tables."""
    s = " ".join(str(value).splitlines())
    runs = [len(r) for r in re.findall(r"`+", s)]
    fence = "`" * (max(runs, default=0) + 1)
    # GitHub strips one space at each end of a code span (not of one made of spaces only): pad to keep them
    pad = " " if s.strip() and (runs or s.startswith(" ") or s.endswith(" ")) else ""
    return f"{fence}{pad}{s.replace('|', chr(92) + '|')}{pad}{fence}"


def cost_line(plan: Any) -> str:
    """The cluster's estimated hourly cost, before -> after when the plan changes it."""
    cost = plan.cost
    currency = cost.get("currency", "USD")
    before, after = hourly_change(plan)
    if before is None and after is None:
        return "**Estimated cluster cost:** unknown (the cluster's sizes could not be read)."
    if not before and not after:
        if cost.get("eventhubs_hourly") is not None:
            return "**Cluster cost:** no cluster" + _more(cost)
        return "**Cluster cost:** no cluster, nothing billed by the hour."
    if before is None or after is None:
        figure = f"{currency} {(after if after is not None else before):.2f}/hour"
    elif round(before, 2) == round(after, 2):
        figure = f"{currency} {after:.2f}/hour, unchanged"
    else:
        figure = f"{currency} {before:.2f}/hour → {currency} {after:.2f}/hour"
    size = f" ({cost['vcpus']} vCPU, {cost['ram_gib']:g} GiB RAM while it exists)" if after and cost.get("vcpus") \
        else ""
    return f"**Estimated cluster cost:** {'at least ' if cost.get('missing') else ''}{figure}{size}" + _more(cost)


def _more(cost: dict) -> str:
    """Event Hubs units, what the figures leave out, and the prices' source and date."""
    text = ""
    if cost.get("eventhubs_hourly") is not None:
        text += f"; Event Hubs units: {cost.get('currency', 'USD')} {cost['eventhubs_hourly']:.2f}/hour"
    text += f"; {SHORT_BASIS.replace('azlake cost', '`azlake cost`')}"
    if cost.get("source"):
        text += f" (prices: {cost['source']}, of {cost.get('as_of')})"
    if cost.get("missing"):
        text += ". Not included: " + "; ".join(cost["missing"])
    return text + "."


def _changes(plan: Any, action: Any) -> str:
    if action.verb not in (Verb.UPDATE, Verb.REPLACE, Verb.ADOPT) and not action.refused:
        return ""
    shown = []
    for c in action.changes:
        if c.path in SECRET_CHANGES:  # a password: only that it differs
            shown.append(f"{code(c.path)}: {cell(SECRET_CHANGES[c.path])}")
            continue
        before, after = change_values(plan, c)
        shown.append(f"{code(c.path)}: {code(before)} → {code(after)}")
    return "<br>".join(shown)


def _row(plan: Any, a: Any) -> str:
    kind = shown_kind(a)
    word = f"**{kind}**" if kind == "refused" else kind
    return (f"| {mermaid.SYMBOLS[kind]} {word} | {code(a.resource.name)} | {code(a.address)} | {_changes(plan, a)} | "
            f"{cell(a.reason)} |")


def _tables(plan: Any) -> list[str]:
    return changing_table(plan)[0] + unchanged_block(plan)


def unchanged_block(plan: Any) -> list[str]:
    """The unchanged resources' table, collapsed in a <details>; nothing when every resource changes."""
    same = [a for a in plan.actions if shown_kind(a) == "noop"]
    if not same:
        return []
    return [f"<details><summary>{len(same)} unchanged</summary>", "", _COLUMNS, *(_row(plan, a) for a in same), "",
            "</details>", ""]


def changing_table(plan: Any, limit: int | None = None) -> tuple[list[str], int]:
    """The table of what changes (at most `limit` rows: a cut falls between rows) and how many rows it left out."""
    changing = [a for a in plan.actions if shown_kind(a) != "noop"]
    shown = changing if limit is None else changing[:max(0, limit)]
    return ([_COLUMNS, *(_row(plan, a) for a in shown), ""] if shown else []), len(changing) - len(shown)


def notes(plan: Any) -> list[str]:
    """Refusals and warnings, one quote each."""
    return [f"> **refused:** {cell(r)}\n" for r in plan.refusals] + \
           [f"> **warning:** {cell(w)}\n" for w in plan.warnings]


def plan_body(plan: Any, in_folder: bool = False) -> list[str]:
    """Everything below the header: summary, cost, legend, diagram, tables, refusals and warnings.

    With nothing to change, the picture and tables are collapsed. In a folder plan the whole environment
    is already in its own <details>, under the one legend at the top.
    """
    c = counts(plan)
    diagram, kinds = mermaid.environment_diagram(plan)
    picture = ["```mermaid", *diagram, "```", ""]
    lines = [f"**Plan:** {summary_text(c)}", "", cost_line(plan), ""]
    if in_folder:
        lines += [*picture, *_tables(plan)]
    elif any(k != "noop" and n for k, n in c.items()):
        lines += [mermaid.legend(kinds), "", *picture, *_tables(plan)]
    else:  # nothing to review: the picture and the list stay one click away
        lines += ["<details><summary>Diagram and resources (nothing changes)</summary>", "",
                  mermaid.legend(kinds), "", *picture, *_tables(plan), "</details>", ""]
    return lines + notes(plan)


def plan_markdown(plan: Any, header: str) -> str:
    """A pull-request comment for one environment."""
    return "\n".join([f"### {cell(header)}", "", *plan_body(plan)]).rstrip("\n") + "\n"
