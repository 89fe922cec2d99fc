"""The Markdown plans rendered by a real Mermaid renderer (mermaid-cli and chromium), light and dark.

Every example plan a reviewer meets (fresh, a refused update, after destroy, a folder before and after its
central lake, hostile directory names) must render without error, show the names as written, and draw
each action's nodes with a text colour that contrasts with their fill in both themes.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import mermaid_cli
import pytest
from test_plan_markdown import HOSTILE, folder_markdown, markdown

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def renderer():
    why = mermaid_cli.missing()
    if why and os.environ.get("AZLAKE_REQUIRE_MERMAID") == "1":  # CI installs it: missing is a failure there
        pytest.fail(why)
    if why:
        pytest.skip(why)


def _luminance(rgb: tuple[int, ...]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def drawn_classes(svg: Path) -> dict[str, tuple[tuple[int, ...], tuple[int, ...]]]:
    """class -> (fill, text colour) as the rendered SVG's stylesheet applies them to node labels."""
    found = {}
    for name, fill, colour in re.findall(r"\.(\w+) span\{fill:rgb\(([\d, ]+)\)[^}]*?color:rgb\(([\d, ]+)\)",
                                         svg.read_text()):
        found[name] = (tuple(map(int, fill.split(","))), tuple(map(int, colour.split(","))))
    return found


def check(md: str, folder: Path, expected: list[str]) -> dict[str, str]:
    """Render in both themes; every diagram renders, `expected` is shown, node text reads on its fill."""
    blocks = mermaid_cli.mermaid_blocks(md)
    assert blocks, "no Mermaid block"
    texts = {}
    for theme in ("light", "dark"):
        svgs = mermaid_cli.render_markdown(md, folder / theme, theme)
        assert len(svgs) == len(blocks)
        text = "\n".join(mermaid_cli.svg_text(s) for s in svgs)
        assert "Syntax error" not in text and "Parse error" not in text
        for wanted in expected:
            assert wanted in text, (theme, wanted)
        for svg, block in zip(svgs, blocks):
            used = set(re.findall(r":::(\w+)", block))
            drawn = drawn_classes(svg)
            assert used <= set(drawn), (theme, used - set(drawn))
            for name in used:
                fill, colour = drawn[name]
                assert contrast(fill, colour) >= 4.5, (theme, name, fill, colour)
        texts[theme] = text
    return texts


def test_every_example_plan_renders_and_reads_in_light_and_dark(cli, tmp_path):
    code, fresh = markdown(cli)
    assert code == 0
    check(fresh, tmp_path / "fresh", ["+ storagebigdatauserbda000", "data_lake.account", "+ clusterbigdata001",
                                      "identity bigdatauserbda000 and its role", "+ data_lake.zone[landingtmp]"])

    code, before = folder_markdown(cli)
    assert code == 0
    check(before, tmp_path / "folder-before", ["+ stbdaplatformdatalake", "? hdi-bda-ventas",
                                               "works in dfs-ventas", "Storage Blob Data Owner"])
    assert cli("apply", "datalake", "--auto-approve").exit_code == 0
    code, after = folder_markdown(cli)
    assert code == 0
    check(after, tmp_path / "folder-after", ["= stbdaplatformdatalake", "+ hdi-bda-ventas", "+ dfs-ventas",
                                             "central lake stbdaplatformdatalake (environment datalake)"])

    practice = cli.folder / "practice.yaml"
    original = practice.read_text()
    assert cli("apply", "practice", "--auto-approve").exit_code == 0
    practice.write_text(original.replace("performance: standard", "performance: premium")
                        .replace("worker: {size: Standard_E2_v3, count: 1}",
                                 "worker: {size: Standard_E2_v3, count: 3}"))
    code, refused = markdown(cli)
    assert code == 1
    check(refused, tmp_path / "refused", ["! storagebigdatauserbda000", "~ clusterbigdata001", "= dfs"])
    practice.write_text(original)
    assert cli("destroy", "practice", "--auto-approve").exit_code == 0
    code, destroyed = markdown(cli)
    assert code == 0
    check(destroyed, tmp_path / "destroyed", ["+ clusterbigdata001", "= storagebigdatauserbda000"])


def test_hostile_directory_names_and_an_adoption_render_as_written(cli, tmp_path, lake_clients):
    lake_clients.resources.resource_groups.create_or_update("grbigdatauserbda000", {"location": "brazilsouth"})
    practice = cli.folder / "practice.yaml"
    quoted = ", ".join(json.dumps(name) for name in HOSTILE)
    practice.write_text(practice.read_text().replace("smart: [reporte]", f"smart: [reporte, {quoted}]"))
    code, md = markdown(cli)
    assert code == 0
    check(md, tmp_path, [f"+ data_lake.dir[smart/{name}]" for name in HOSTILE] + ["@ grbigdatauserbda000"])
