"""A small fixed sample of bench/reliability.py's scenarios: every one ends clean after one more command.

After a kill, the tests force-unlock the dead holder's lock (as an operator who checked it is gone would)
instead of waiting the real minute its lease takes to expire; the bench waits."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import reliability  # noqa: E402
from reliability_faults import fault_cell  # noqa: E402

SCENARIOS = {s.name: s for s in reliability.KILLS}


def assert_clean(row) -> None:
    assert row.trials == 1 and row.clean, row


@pytest.mark.parametrize("name, at", [("kill -9 apply", 2.0), ("kill -9 destroy", 1.0),
                                      ("kill -9 destroy --all", 1.5)])
def test_a_killed_command_converges_on_the_next_one(tmp_path, name, at):
    assert_clean(reliability.kill_trial(tmp_path, SCENARIOS[name], at, "trial", unlock_dead_holder=True))


def test_a_killed_run_converges_and_leaks_nothing(tmp_path):
    # 15 s into a run: the cluster exists and the Spark job is starting or running
    row = reliability.kill_trial(tmp_path, SCENARIOS["kill -9 run"], 15.0, "trial", unlock_dead_holder=True)
    assert_clean(row)
    assert row.lake_lost == 0  # the job's input and the seeded files are intact


@pytest.mark.parametrize("kind, fault, op", [
    ("storage", "failed LRO", "writes"), ("cluster", "503", "reads"), ("role", "500", "writes"),
    ("eh_hub", "dropped", "writes"), ("directory", "429", "writes"),
])
def test_fault_matrix_sample(tmp_path, kind, fault, op):
    row = fault_cell(tmp_path, kind, fault, op)
    assert_clean(row)
    assert not row.notes, row.notes  # the fault matched a request and nothing was left unconverged


@pytest.mark.skipif(not reliability.locking_available(), reason="needs the environment lock (issue 9 item 1)")
@pytest.mark.parametrize("name", ["apply | destroy"])
def test_two_commands_at_once_end_consistent(tmp_path, name):
    assert_clean(reliability.concurrent_trial(tmp_path, name, "trial"))
