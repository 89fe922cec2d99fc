"""The bad-file corpus: every file in cases/ must fail with the diagnostic its `# expect:` header names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from spec_helpers import strong_password

from azlake.envfile.load import load_environment
from azlake.errors import SpecError

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))
EXPECT = re.compile(r"# expect: (error|warning) (\S+) line (\d+): (.+)")
# Fresh values per run, reachable only through these variables: no password is ever written in a file.
ENV = {"CLUSTER_PASSWORD": strong_password(), "WEAK_PASSWORD": "short",
       "USERNAME_PASSWORD": "Qadm!" + strong_password()}  # holds "adm", three characters of the user "admin"


def expectations(path: Path) -> list[tuple[str, str, int, str]]:
    found = [EXPECT.match(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(m[1], "" if m[2] == "-" else m[2], int(m[3]), m[4]) for m in found if m]


def test_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert all(expectations(case) for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_file_reports_key_line_and_message(case: Path):
    with pytest.raises(SpecError) as caught:
        load_environment(case, env=ENV)
    diagnostics = caught.value.diagnostics
    for severity, key, line, words in expectations(case):
        matches = [d for d in diagnostics if d.severity == severity and d.key_path == key and d.line == line
                   and words in f"{d.summary} {d.detail}" and d.file == case]
        assert matches, f"expected {severity} {key} line {line}: {words!r}; got:\n" + "\n".join(
            d.render() for d in diagnostics)
