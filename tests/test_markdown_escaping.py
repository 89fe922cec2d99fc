"""Any name survives the Markdown plan's escaping: read back as Mermaid and GitHub read it, it is as written."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from markdown_reading import code_text, mermaid_text, table_rows

from azlake.cli.markdown import cell, code
from azlake.cli.mermaid import text

# Printable text without line breaks (a plan's names and values are single lines).
NAMES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40)


@given(NAMES)
def test_a_mermaid_label_shows_the_name_as_written(name):
    label = text(name)
    assert mermaid_text(label) == name.replace("\xa0", " ")
    assert not re.search(r'["<>&`]', label)  # nothing Mermaid or HTML could read as syntax is left raw
    assert "#" not in re.sub(r"#(?:[a-z]+|\d+);", "", label)  # every '#' starts an entity Mermaid decodes


@given(NAMES)
def test_a_code_cell_keeps_its_row_and_shows_the_name(name):
    row = f"| {code(name)} | {cell(name)} |"
    cells = table_rows(row)[0]
    assert len(cells) == 2  # no pipe of the name splits the row
    assert code_text(cells[0]) == name


def test_hostile_names_by_hand():
    assert text("a<b>c") == "a#lt;b#gt;c" and text("x#35;y") == "x#35;35#59;y"
    assert text('say "hi"') == "say #quot;hi#quot;"
    assert code("pipe|dir") == "`pipe\\|dir`" and code("back`tick`s") == "`` back`tick`s ``"
    assert cell("a<b>|*c*") == "a\\<b\\>\\|\\*c\\*"
