"""The README's Quick start is the contract with a newcomer: exactly two commands, the second is CI's."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "Quick start holds one code block"
    return [line for line in blocks[0].splitlines() if line.strip()]


def test_quick_start_has_the_main_job_and_the_tests():
    demo, tests = _quick_start()
    assert demo.startswith("python3.11 -m venv .venv && ") and demo.endswith("azlake demo")
    assert tests.startswith("python3.11 -m venv .venv && ") and tests.endswith("python -m pytest -q -n auto")


def test_ci_installs_and_tests_like_the_readme():
    _, tests = _quick_start()
    install = re.search(r'pip install -q -e "([^"]+)"', tests).group(1)
    ci = (ROOT / ".ci" / "run").read_text()
    assert f'pip install -q -e "{install}"' in ci
    assert ".venv/bin/python -m pytest -q -n auto" in ci  # one worker per core (pytest-xdist)
    assert '"$rc" -eq 5' in ci  # no tests collected must fail CI
