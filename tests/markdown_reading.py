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


def assert_valid_markdown(md: str) -> None:
    """Fences closed, <details> balanced and nested, every table row whole and as wide as its header."""
    fence, depth, width = False, 0, None
    for line in md.splitlines():
        if line.startswith("```"):
            fence = not fence
            continue
        if fence:
            continue
        depth += line.count("<details") - line.count("</details>")
        assert depth >= 0, line
        if line.startswith("|"):
            assert line.endswith("|") and not line.endswith("\\|"), f"a row cut short: {line!r}"
            cells = len(re.split(r"(?<!\\)\|", line)) - 2
            width = cells if width is None else width
            assert cells == width, f"{cells} cells where the table has {width}: {line!r}"
        else:
            width = None
    assert not fence and depth == 0


def mermaid_blocks(md: str) -> list[str]:
    return [part.split("\n```", 1)[0] for part in md.split("```mermaid\n")[1:]]
