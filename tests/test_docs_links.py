"""Every link in README.md and docs/ resolves: relative files exist and #anchors name a heading there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
FORBIDDEN = ("PRODUCT.md", "AZURE-FACTS.md", "../shared", "shared/azure-specs", "ARCHITECTURE.md")


def prose(text: str) -> str:
    """The text outside fenced code blocks and inline code, where links are links."""
    text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    text = re.sub(r"^(```|~~~).*?^\1", "", page.read_text(), flags=re.S | re.M)
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, flags=re.M):
        base = slug(heading)
        n = seen.get(base, 0)
        out.add(base if n == 0 else f"{base}-{n}")
        seen[base] = n + 1
    out |= set(re.findall(r"<a\s+(?:name|id)=\"([^\"]+)\"", text))
    return out


def links(page: Path) -> list[str]:
    text = prose(page.read_text())
    return LINK.findall(text) + IMAGE.findall(text)


def problems(page: Path, root: Path = ROOT) -> list[str]:
    out = []
    for target in links(page):
        if re.match(r"^[a-z]+:", target):  # https:, mailto: — outside the repository
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            out.append(f"{page.name}: {target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            out.append(f"{page.name}: {target}: no heading #{anchor} in {dest.name}")
        elif root not in dest.parents and dest != root:
            out.append(f"{page.name}: {target}: outside the repository")
    return out


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_link_resolves(page):
    assert problems(page) == []


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_no_page_points_outside_the_repository(page):
    text = page.read_text()
    assert [name for name in FORBIDDEN if name in text] == []


def test_the_checker_finds_a_broken_file_and_a_broken_anchor(tmp_path):
    page = tmp_path / "page.md"
    (tmp_path / "other.md").write_text("# Other page\n\n## Time, long-running operations and faults\n")
    page.write_text("[ok](other.md#time-long-running-operations-and-faults) [gone](missing.md) "
                    "[bad](other.md#nowhere) [self](#page) `[code](ignored.md)`\n\n# Page\n")
    assert problems(page, tmp_path) == ["page.md: missing.md: no such file", "page.md: other.md#nowhere: no heading "
                              "#nowhere in other.md"]


def test_architecture_and_azure_facts_are_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert "docs/architecture.md" in readme and "docs/azure-facts.md" in readme
