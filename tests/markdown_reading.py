"""Reads a Markdown plan back as GitHub would: Mermaid node labels decoded, table rows split into cells."""

from __future__ import annotations

import html
import re

NODE = re.compile(r'^\s*(n\d+|e\d+_\w+)\[\(?"(.*)"\)?\]:::(\w+)$')


def mermaid_text(label: str) -> str:
    """What Mermaid shows for a label: `#name;` becomes the named HTML entity, `#123;` character 123 (as a
    browser decodes it, noncharacters such as U+FFFE included, which Python's html.unescape drops), `<br/>` a
    line break."""
    lines = label.replace("<br/>", "\n")
    decoded = re.sub(r"#(\w+);", lambda m: chr(int(m[1])) if m[1].isdigit() else html.unescape(f"&{m[1]};"), lines)
    return decoded.replace("\xa0", " ")


def mermaid_nodes(markdown: str) -> dict[str, tuple[str, str]]:
    """node id -> (class, shown text) for every node of every Mermaid block."""
    nodes = {}
    for line in markdown.splitlines():
        m = NODE.match(line)
        if m:
            nodes[m[1]] = (m[3], mermaid_text(m[2]))
    return nodes


def table_rows(markdown: str) -> list[list[str]]:
    """Every table row's cells, split where GitHub splits them: on pipes not escaped with a backslash."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            rows.append([c.strip() for c in cells])
    return rows


def code_text(cell: str) -> str:
    """The text of the one code span a cell holds, as GitHub shows it (`\\|` is a pipe in a table)."""
    m = re.fullmatch(r"(`+)(.*?)\1", cell)
    assert m, f"not one code span: {cell!r}"
    body = m[2].replace("\\|", "|")
    if len(body) > 1 and body.startswith(" ") and body.endswith(" ") and body.strip():
        body = body[1:-1]
    return body
