"""Every official example of every served operation, replayed against the served emulator.

The cases come from the specs folder (`conformance.examples.discover`); an example that cannot apply today
is in `not_applicable.NOT_APPLICABLE` with the answer Azure gives it now, which the emulator must give too.
"""

from __future__ import annotations

import os
import tempfile

import pytest

from azlake.emulator.core.app import Emulator
from conformance.examples import discover
from conformance.not_applicable import NOT_APPLICABLE, SLIPS
from conformance.replay_examples import replay


def _router():
    """Whether the emulator routes an ARM request (its routes, read once from a throwaway state)."""
    with tempfile.TemporaryDirectory(prefix="azlake-routes-") as state:
        routes = [r for r in Emulator(state).routes if r.service == "arm"]
    return lambda method, path: any(r.method == method and r.regex.match(path) for r in routes)


CASES = discover(_router())


def test_every_provider_has_examples():
    assert {c.provider for c in CASES} >= {"storage", "msi", "authorization", "locks", "hdinsight", "eventhub"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_example(served, emulator, case):
    outcome = replay(served, emulator, case)
    report = os.environ.get("AZLAKE_CONFORMANCE_REPORT")
    if report:
        with open(report, "a") as f:
            f.write(f"{case.provider}\t{case.relative}\t{outcome.status}\t{outcome.code}\t"
                    f"{' | '.join(outcome.problems)}\n")
    known = NOT_APPLICABLE.get(case.example_file.name)
    if known:
        assert (outcome.status, outcome.code) == (known.status, known.code), known.reason
        return
    slips = SLIPS.get(case.example_file.name, {})
    assert [p for p in outcome.problems if p.split(":", 1)[0] not in slips] == []

