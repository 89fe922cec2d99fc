"""Renders Mermaid with mermaid-cli (mmdc) and Debian's chromium, for the render test and docs/plan_images.py."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCAL_MMDC = ROOT / ".ci" / "mermaid" / "node_modules" / ".bin" / "mmdc"
INSTALL_HINT = "install it with `bash .ci/mermaid/install` (Debian's chromium and the locked mermaid-cli)"
# Chromium on a machine whose only network is loopback: no sandbox as root, no background connections.
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
# GitHub's page backgrounds: a diagram must read on both.
THEMES = {"light": ("default", "#ffffff"), "dark": ("dark", "#0d1117")}


def mmdc() -> str | None:
    """The mmdc to use: $AZLAKE_MMDC, the repository's locked install, or one on PATH."""
    for candidate in (os.environ.get("AZLAKE_MMDC"), str(LOCAL_MMDC), shutil.which("mmdc")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def chromium() -> str | None:
    return os.environ.get("AZLAKE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def missing() -> str | None:
    """Why nothing can render here, or None when mmdc and chromium are both present."""
    if mmdc() is None:
        return f"mermaid-cli (mmdc) not found: {INSTALL_HINT}"
    if chromium() is None:
        return f"chromium not found: {INSTALL_HINT}"
    return None


def mermaid_blocks(markdown: str) -> list[str]:
    """The text of every ```mermaid block of a Markdown document, in order."""
    return re.findall(r"^```mermaid\n(.*?)^```$", markdown, flags=re.S | re.M)


class RenderError(Exception):
    """mmdc refused a diagram: its message says which line and why."""


def _mmdc(source: Path, out: Path, theme: str, width: int, scale: int) -> None:
    mermaid_theme, background = THEMES[theme]
    with tempfile.TemporaryDirectory(prefix="azlake-mmdc-") as tmp:
        config = Path(tmp) / "puppeteer.json"
        config.write_text(json.dumps({"executablePath": chromium(), "args": CHROMIUM_ARGS}))
        cmd = [mmdc() or "mmdc", "--quiet", "-p", str(config), "-i", str(source), "-o", str(out),
               "-t", mermaid_theme, "-b", background, "-w", str(width), "-s", str(scale)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RenderError(f"mmdc exit {done.returncode}: {(done.stderr or done.stdout).strip()[:2000]}")


def render(diagram: str, out: Path, theme: str = "light", width: int = 1400, scale: int = 1) -> Path:
    """Render one diagram to `out` (.svg or .png) as GitHub's light or dark theme would draw it."""
    source = out.with_suffix(".mmd")
    source.write_text(diagram)
    _mmdc(source, out, theme, width, scale)
    if not out.exists() or out.stat().st_size == 0:
        raise RenderError(f"mmdc wrote nothing to {out}")
    return out


def render_markdown(markdown: str, folder: Path, theme: str = "light") -> list[Path]:
    """Every Mermaid block of a Markdown document as SVG, in order, with one browser start for them all."""
    folder.mkdir(parents=True, exist_ok=True)
    source, out = folder / "plan.md", folder / f"rendered-{theme}.md"
    source.write_text(markdown)
    _mmdc(source, out, theme, 1400, 1)
    svgs = [folder / f"rendered-{theme}-{i}.svg" for i in range(1, len(mermaid_blocks(markdown)) + 1)]
    absent = [p.name for p in svgs if not p.exists() or p.stat().st_size == 0]
    if absent:
        raise RenderError(f"mmdc did not write {', '.join(absent)}")
    return svgs


def svg_text(svg: Path) -> str:
    """The text a reader sees in a rendered diagram: tags removed, entities decoded, one piece per line."""
    return html.unescape(re.sub(r"<[^>]+>", "\n", svg.read_text())).replace("\xa0", " ")
