"""All terminal output of the CLI: errors, diagnostics, plans, progress (rich for people, plain in CI)."""

from __future__ import annotations

import os
import sys

from azlake.errors import AzlakeError
from azlake.plan.verb import Verb


def plain() -> bool:
    """Plain lines (no colours, no live progress) in CI and when stdout is not a terminal."""
    return os.environ.get("CI", "").lower() == "true" or not sys.stdout.isatty()


def print_error(err: AzlakeError) -> None:
    print(f"error: {err.render()}", file=sys.stderr)


# --- plans ---------------------------------------------------------------------------------------------
SYMBOLS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-", "adopt": "@", "noop": "="}
# The prices' source, date and what a total leaves out are in `azlake cost` and the JSON plan.
SHORT_BASIS = "estimate; prices, their date and what they leave out: azlake cost"
COLOURS = {"create": "green", "update": "yellow", "replace": "magenta", "delete": "red", "adopt": "cyan",
           "noop": "dim"}


def _value(v: object) -> str:
    import json
    return "(none)" if v is None else json.dumps(v, default=str) if not isinstance(v, str) else v


def counts(plan) -> dict[str, int]:
    """Actions per kind with refused changes and kept deletes counted apart: apply makes none of them."""
    out = {k: 0 for k in ("create", "update", "replace", "delete", "adopt", "noop", "kept", "refused")}
    for a in plan.actions:
        out[shown_kind(a)] += 1
    return out


def shown_kind(action) -> str:
    """The action as people should read it: a refused change or a kept delete is not what its kind says."""
    if getattr(action, "refused", None):
        return "refused"
    return "kept" if getattr(action, "kept", False) else action.verb


def summary_text(c: dict[str, int]) -> str:
    return (f"{c['create']} to create, {c['update']} to update, {c['replace']} to replace, {c['delete']} to delete, "
            + (f"{c['adopt']} to adopt, " if c.get("adopt") else "")
            + f"{c['noop']} unchanged" + (f", {c['kept']} kept" if c["kept"] else "")
            + (f", {c['refused']} refused." if c["refused"] else "."))


def change_text(plan, change) -> str:
    """`path: before -> after` for people, secrets masked; a changed password only says that it differs."""
    from azlake.plan.diff import SECRET_CHANGES
    if change.path in SECRET_CHANGES:
        return SECRET_CHANGES[change.path]
    before, after = change_values(plan, change)
    return f"{change.path}: {before} -> {after}"


def change_values(plan, change) -> tuple[str, str]:
    """(before, after) of a change as people read them, secrets masked."""
    shown = change.to_json(plan.secret_values())
    return _value(shown["before"]), _value(shown["after"])


def hourly_change(plan) -> tuple[float | None, float | None]:
    """The cluster's estimated cost per hour as read from Azure and once the plan is applied (None: unknown)."""
    cost = plan.cost
    before = (cost.get("before") or {}).get("hourly")
    if before is None and not any(a.address == "cluster" for a in plan.actions):
        before = 0.0  # no cluster in the file: nothing to read, nothing billed by the hour
    if getattr(plan, "skip_ephemeral", False):  # --no-ephemeral leaves the cluster as it is
        return before, before
    if getattr(plan, "mode", "apply") == "apply":
        return before, cost.get("cluster_hourly", cost.get("hourly", 0.0)) if cost.get("vcpus") else 0.0
    deleting = any(a.address == "cluster" and a.verb is Verb.DELETE and not getattr(a, "kept", False)
                   for a in plan.actions)
    return before, 0.0 if deleting else before


def plan_lines(plan) -> list[tuple[str, str]]:
    """(style, text) lines of a plan for people; noops listed with their reason too."""
    out: list[tuple[str, str]] = []
    for a in plan.actions:
        r = a.resource
        kind = shown_kind(a)
        if kind == "refused":  # not an update apply would make: say so here, the why is below
            out.append(("red", f"  ! {r.address} ({r.name}) — refused (see `refused:` below)"))
        elif kind == "kept":  # a delete Azure would refuse: not asked for, and said so
            out.append(("yellow", f"{SYMBOLS['noop']:>3} {r.address} ({r.name}) — {a.reason}"))
        else:
            out.append((COLOURS[a.verb], f"{SYMBOLS[a.verb]:>3} {r.address} ({r.name}) — {a.verb}: {a.reason}"))
        if a.verb in (Verb.UPDATE, Verb.REPLACE, Verb.ADOPT):
            out += [("", f"      {change_text(plan, c)}") for c in a.changes]
    out.append(("", ""))
    out.append(("bold", "Plan: " + summary_text(counts(plan))))
    out += [("", line) for line in cost_lines(plan)]
    for w in plan.warnings:
        out.append(("yellow", f"warning: {w}"))
    for r in plan.refusals:
        out.append(("red", f"refused: {r}"))
    return out


def money(cost: dict, value: float) -> str:
    """`USD 0.65`, or `at least USD 0.65` when the figure leaves something out."""
    return f"{'at least ' if not cost.get('complete', True) else ''}{cost.get('currency', 'USD')} {value:.2f}"


def cost_lines(plan) -> list[str]:
    """What the environment bills per hour, where the prices come from, and what a total leaves out."""
    cost = plan.cost
    if not cost:
        return []
    source = f"prices: {cost.get('source', '?')}, of {cost.get('as_of', '?')}; details: azlake cost"
    missing = [f"  not included: {m}" for m in cost.get("missing", [])]
    if getattr(plan, "mode", "apply") != "apply":
        # a destroy plan: the figure that matters is what deleting the cluster stops, if it does
        if cost.get("vcpus") and any(a.address == "cluster" and a.verb is Verb.DELETE for a in plan.actions):
            about = "" if cost.get("missing") else "about "
            before, _ = hourly_change(plan)  # what Azure runs now: autoscale may have moved it
            stops = before if before else cost["cluster_hourly"]
            return [f"Deleting the cluster stops {about}{money(cost, stops)}/hour ({source})."] + missing
        return []
    parts = []
    before, after = hourly_change(plan)
    if cost.get("vcpus"):
        now = f" (now {cost['currency']} {before:.2f}/h)" if before and after is not None and \
            round(before, 2) != round(after, 2) else ""
        parts.append(f"cluster {cost['vcpus']} vCPU, {cost['ram_gib']:g} GiB RAM: "
                     f"{money(cost, cost['cluster_hourly'])}/h{now}")
    if cost.get("eventhubs_hourly") is not None:
        parts.append(f"Event Hubs units: {money(cost, cost['eventhubs_hourly'])}/h")
    if not parts:
        return []
    return [f"Billed by the hour while it exists: {'; '.join(parts)}; total {money(cost, cost['hourly'])}/hour "
            f"(estimate; {source})."] + missing


def print_plan_text(plan, header: str) -> None:
    lines = [("bold", header)] + plan_lines(plan)
    if plain():
        for _, text in lines:
            print(text)
        return
    from rich.console import Console
    from rich.markup import escape
    console = Console(highlight=False)
    for style, text in lines:
        console.print(f"[{style}]{escape(text)}[/{style}]" if style else escape(text))


_DONE = {"create": "created", "update": "updated", "replace": "replaced", "delete": "deleted", "kept": "kept",
         "adopt": "adopted"}


def print_apply_summary(result, verb: str = "Apply") -> None:
    counts = result.counts()
    kept = counts.pop("kept", 0)  # last, after what was done
    done = ", ".join(f"{n} {_DONE.get(k, k)}" for k, n in counts.items()) or "nothing changed"
    if kept:
        done += f", {kept} kept"
    print(f"{verb} complete: {done} in {result.elapsed:.1f}s.")


# --- cost and status -------------------------------------------------------------------------------------
def _table(title: str, columns: list[str], rows: list[list[str]], footer: list[str] | None = None) -> None:
    """A rich table for people; aligned plain text in CI and pipes."""
    if plain():
        widths = [max(len(str(x)) for x in col) for col in zip(columns, *rows, *([footer] if footer else []))]
        print(title)
        for row in [columns, *rows, *([footer] if footer else [])]:
            print("  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text
    table = Table(title=title, show_footer=bool(footer))
    for i, col in enumerate(columns):
        numeric = all(_is_number(row[i]) for row in rows) and bool(rows)
        table.add_column(col, footer=footer[i] if footer else "", justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*[Text(str(c)) for c in row])  # Text, not markup: data_lake.zone[smart] must survive
    Console().print(table)


def _is_number(cell: object) -> bool:
    try:
        float(str(cell))
    except ValueError:
        return False
    return True


def print_cost(environment: str, cluster: str | None, cost, peak, stream, book) -> None:
    rows, footer, missing = [], None, []
    unit = (cost.currency if cost else "USD") + "/h"
    if cost:
        rows = [[r.role, r.size, str(r.count), str(r.vcpus), f"{r.ram_gib:g}",
                 "unknown" if r.hourly_usd is None else f"{r.hourly_usd:.3f}{'+' if r.missing else ''}"]
                for r in cost.roles]
        missing += cost.missing
    if stream:
        rows.append(["event hubs", f"{stream.sku} namespace", f"{stream.units} unit(s)", "", "",
                     "unknown" if stream.hourly_usd is None else f"{stream.hourly_usd:.3f}"])
        missing += [stream.missing] if stream.missing else []
    hourly = (cost.hourly if cost else 0.0) + ((stream.hourly_usd or 0.0) if stream else 0.0)
    bound = "at least " if missing else ""
    footer = ["total", "", str(sum(r.count for r in cost.roles)) if cost else "", str(cost.vcpus) if cost else "",
              f"{cost.ram_gib:g}" if cost else "", f"{'≥ ' if missing else ''}{hourly:.3f}"]
    title = f"{environment}: cluster {cluster}" if cluster else f"{environment}: billed by the hour"
    _table(title, ["part", "size", "nodes", "vCPU", "RAM GiB", unit], rows, footer)
    for m in missing:
        print(f"not included: {m}")
    if missing:
        print("The total is a lower bound: it leaves out what is listed above.")
    if peak:
        print(f"With autoscale at its maximum: {peak.vcpus} vCPU, {peak.ram_gib:g} GiB, cluster "
              f"{'at least ' if peak.missing else ''}{peak.currency} {peak.hourly:.2f}/h.")
    print(f"Per 8-hour working day: {bound}USD {hourly * 8:.2f}; left running for a month: {bound}USD "
          f"{hourly * 730:.0f}.")
    from azlake.plan.cost import basis
    print(f"Prices: {book.source}, of {book.as_of}: {basis(book)}.")


def print_status(rows: list[dict], cluster: dict | None, cost, streaming: dict | None = None) -> None:
    table = []
    for r in rows:
        state = (r["state"] or "present") if r["exists"] else "absent"
        note = f"plan: {r['drift']}" if r["drift"] else ""
        table.append([r["address"], r["name"], state, note])
    _table("resources", ["address", "name", "state", "pending"], table)
    if streaming and streaming["exists"]:
        print(f"Event Hubs namespace {streaming['name']}: exists, billing {streaming['price']} every hour "
              f"({streaming['sku']}, {streaming['units']} unit(s)), used or not")
    billing_cluster = cluster is not None
    if cluster is None:
        if cost is not None:
            what = "nothing billing" if not (streaming and streaming["exists"]) else "the cluster is not billing"
            print(f"cluster: absent ({what}; `azlake apply` creates it, "
                  f"{money(cost, cost['cluster_hourly'])}/h while it exists)")
        elif not (streaming and streaming["exists"]):
            print("nothing billing by the hour")
        return
    print(f"cluster {cluster['name']}: {cluster['state']} (provisioning {cluster['provisioning']})")
    if cluster.get("run"):
        print(f"  {cluster['run']}")
    print(f"  gateway (Ambari): {cluster['gateway']}")
    print(f"  Jupyter:          {cluster['jupyter']}")
    print(f"  Livy:             {cluster['livy']}")
    if cluster["ssh"]:
        print(f"  SSH:              {cluster['ssh']}")
    if cluster["uptime_hours"] is not None and billing_cluster:
        print(f"  up {cluster['uptime_hours']:.2f} h since {cluster['created']}; estimated cost so far "
              f"{money(cost, cluster['cost_so_far'])} at {money(cost, cost['cluster_hourly'])}/h (estimate; prices: "
              f"{cost['source']}, of {cost['as_of']})")
        if cluster.get("clock"):
            print(f"  ({cluster['clock']})")
