"""Mermaid diagrams of plans: one environment grouped as the lecture draws it, and a folder's fleet overview."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from azlake.cli.render import shown_kind

# One symbol and one class per action a diagram can show; `adopt` takes ownership of what exists without
# azlake's marks (`apply --adopt`), `refused` is a change azlake will not make, `kept` a delete Azure would
# refuse and `pending` a department planned only after its central lake exists.
SYMBOLS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-", "adopt": "@", "refused": "!",
           "kept": "=", "noop": "=", "pending": "?"}
WORDS = {"create": "create", "update": "update in place", "replace": "replace", "delete": "delete",
         "adopt": "adopt (azlake's tags only, with apply --adopt)", "refused": "refused",
         "kept": "kept (not deleted)", "noop": "unchanged", "pending": "planned later"}
# Explicit text colours: GitHub's dark theme otherwise draws light grey text on these light fills.
CLASSES = {
    "create": "fill:#d3f9d8,stroke:#2b8a3e,stroke-width:2px,color:#0b3d17",
    "update": "fill:#fff3bf,stroke:#b07800,stroke-width:2px,color:#3d2e00",
    "replace": "fill:#e5dbff,stroke:#6741d9,stroke-width:2px,color:#2b1a63",
    "delete": "fill:#ffe3e3,stroke:#c92a2a,stroke-width:2px,stroke-dasharray:6 3,color:#5c0a0a",
    "adopt": "fill:#c5f6fa,stroke:#0c8599,stroke-width:2px,stroke-dasharray:3 3,color:#0b3b40",
    "refused": "fill:#c92a2a,stroke:#5c0a0a,stroke-width:3px,color:#ffffff",
    "kept": "fill:#ffe8cc,stroke:#d9480f,stroke-width:2px,stroke-dasharray:2 2,color:#4a1a00",
    "noop": "fill:#f1f3f5,stroke:#868e96,stroke-width:1px,color:#343a40",
    "pending": "fill:#e7f5ff,stroke:#1971c2,stroke-width:2px,stroke-dasharray:6 3,color:#0b3a66",
}
# Which group (subgraph) an address belongs to: the lake with its zones, the identity and its role, the
# cluster with its working filesystem, Event Hubs, the key vault with its secrets; the resource group stands alone.
_GROUPS = (("identity", "identity"), ("data_lake.", "lake"), ("cluster", "cluster"), ("streaming.", "streaming"),
           ("key_vault", "vault"))
_NAMED = {"&": "amp", "<": "lt", ">": "gt", '"': "quot"}


def text(value: object) -> str:
    """A label as written: every character Mermaid or HTML could read as syntax becomes an entity code.

    Mermaid turns `#name;` and `#123;` into HTML entities, so `#` itself must be one (`x#35;y` stays
    `x#35;y`), and so must `<`, `>`, `&` and quotes (labels are HTML) and `:`/`;` (Mermaid's own
    style rules look for them).
    """
    out = []
    for ch in str(value):
        if ch.isalnum() or ch in " .,_-/[]()+~=!?@%*'^$":
            out.append(ch)
        else:
            out.append(f"#{_NAMED[ch]};" if ch in _NAMED else f"#{ord(ch)};")
    return "".join(out)


def node(node_id: str, kind: str, title: str, detail: str = "", shape: str = "box") -> str:
    """A node: symbol and title on one line (a no-break space keeps them together), detail below."""
    label = f"{SYMBOLS[kind]}#160;{text(title)}" + (f"<br/>{text(detail)}" if detail else "")
    left, right = ('[("', '")]') if shape == "lake" else ('["', '"]')
    return f"{node_id}{left}{label}{right}:::{kind}"


def class_lines(kinds: Iterable[str]) -> list[str]:
    return [f"  classDef {k} {CLASSES[k]}" for k in CLASSES if k in set(kinds)]


NEEDS = "an arrow points from what a resource needs to the resource"


def legend(kinds: Iterable[str], arrows: str = NEEDS) -> str:
    """One line: the symbols the diagrams show, and how to read an arrow."""
    present = set(kinds)
    parts = [f"`{SYMBOLS[k]}` {WORDS[k]}" for k in SYMBOLS if k in present]
    return "Legend: " + " · ".join(parts) + f"; {arrows}."


def _group(address: str) -> str | None:
    return next((g for prefix, g in _GROUPS if address.startswith(prefix)), None)


def _title(group: str, by: dict[str, Any]) -> str:
    def name(address: str) -> str:
        return by[address].resource.name if address in by else ""

    def has(prefix: str) -> bool:
        return any(a.startswith(prefix) for a in by)
    account = by.get("data_lake.account")
    if group == "lake" and account is not None and not account.resource.managed:
        return f"central lake {account.resource.name} (environment {account.resource.context.get('used_from')})"
    vault = by.get("key_vault")
    if group == "vault" and vault is not None and not vault.resource.managed:
        return f"shared key vault {vault.resource.name} (environment {vault.resource.context.get('used_from')})"
    return {"identity": f"identity {name('identity')}" + (" and its role" if has("identity.role[") else ""),
            "lake": f"data lake {name('data_lake.account')}" + (" and its zones" if has("data_lake.zone[") else ""),
            "cluster": f"cluster {name('cluster')}" + (" and its working filesystem" if has("cluster.filesystem")
                                                       else ""),
            "streaming": f"Event Hubs {name('streaming.namespace')}",
            "vault": f"key vault {name('key_vault')}" + (" and its secrets" if has("key_vault.secret[") else "")}[group]


def node_label(action: Any) -> tuple[str, str]:
    """(title, detail): the Azure name over the address; the address alone when it already holds the name."""
    r = action.resource
    if r.address.endswith((f"[{r.name}]", f"/{r.name}]")):
        return r.address, ""
    return r.name, r.address


def environment_diagram(plan: Any) -> tuple[list[str], set[str]]:
    """The Mermaid lines of one plan (without the fence) and the kinds it shows."""
    by = plan.by_address()
    ids = {a.address: f"n{i}" for i, a in enumerate(plan.actions)}
    lines = ["flowchart LR"]
    kinds = set()
    groups: dict[str | None, list[str]] = {}
    for a in plan.actions:
        kind = shown_kind(a)
        kinds.add(kind)
        title, detail = node_label(a)
        groups.setdefault(_group(a.address), []).append(node(ids[a.address], kind, title, detail))
    for group, nodes in groups.items():
        if group is None:
            lines += [f"  {n}" for n in nodes]
            continue
        lines.append(f'  subgraph g_{group}["{text(_title(group, by))}"]')
        lines += [f"    {n}" for n in nodes]
        lines.append("  end")
    for a in plan.actions:
        for dep in a.resource.depends_on:
            # every directory needs the deployer's access: one arrow per directory would hide the picture
            if dep in ids and dep != "data_lake.deployer_access":
                lines.append(f"  {ids[dep]} --> {ids[a.address]}")
    return lines + class_lines(kinds), kinds
