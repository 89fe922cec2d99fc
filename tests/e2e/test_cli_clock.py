"""One clock on the local cloud: status's uptime, reap's age and max_age all read the emulator's time."""

from __future__ import annotations

import json
import re

from azlake.emulator import get_emulator


def age_minutes(reap_output: str) -> int:
    hours, minutes = re.search(r"age (\d+)h(\d\d)m", reap_output).groups()
    return int(hours) * 60 + int(minutes)


def test_status_and_reap_agree_on_the_cluster_age(cli):
    assert cli("apply", "practice", "--auto-approve").exit_code == 0  # max_age: 8h
    emulator = get_emulator(cli.state)  # the CLI's own emulator (in-process): hold time, then move it
    emulator.configure(time_scale=1.0)
    emulator.advance(3 * 3600)

    status = json.loads(cli("status", "practice", "--json").output)["cluster"]
    kept = cli("reap", "practice")
    assert kept.exit_code == 0 and "kept" in kept.output and "within max_age 8h00m" in kept.output, kept.output
    assert abs(status["uptime_hours"] - 3.0) < 0.05
    assert abs(age_minutes(kept.output) - status["uptime_hours"] * 60) <= 2
    assert "AZLAKE_EMULATOR_TIME_SCALE=1" in status["clock"]
    text = cli("status", "practice").output
    assert "up 3.0" in text and "local cloud time: 1 real second is 1 Azure seconds" in text, text

    emulator.advance(6 * 3600)  # (a real deletion would take its nominal 10 minutes at this scale: dry run)
    due = cli("reap", "practice", "--dry-run")
    assert due.exit_code == 0 and "would reap" in due.output and "over max_age 8h00m" in due.output, due.output
    assert 9 * 60 <= age_minutes(due.output) <= 9 * 60 + 2
