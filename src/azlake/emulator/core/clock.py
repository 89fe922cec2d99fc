"""Emulated time: real time scaled by one setting, plus an offset tests can move forward.

Every duration in the emulator is given in *nominal* seconds (how long Azure takes) and multiplied by
`time_scale` (default 0.005: a 20-minute cluster creation takes 6 seconds).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

DEFAULT_TIME_SCALE = 0.005


@dataclass
class Clock:
    time_scale: float = DEFAULT_TIME_SCALE
    offset: float = 0.0  # real seconds added to wall time (tests: `advance`)

    def now(self) -> float:
        return time.time() + self.offset

    def scaled(self, nominal_seconds: float) -> float:
        """Real seconds that a nominal Azure duration takes in this emulator."""
        return nominal_seconds * self.time_scale

    def elapsed_nominal(self, since: float) -> float:
        """Nominal Azure seconds that have passed since the real timestamp `since`."""
        if self.time_scale <= 0:
            return float("inf")
        return (self.now() - since) / self.time_scale

    def retry_after(self, nominal_seconds: float) -> str:
        """A Retry-After value in whole seconds, as Azure sends it (the SDKs parse it as an int).

        Scaled-down waits round down, often to "0", which makes clients fall back to their own
        polling interval (azlake sets a short one for the local cloud).
        """
        return str(max(0, int(self.scaled(nominal_seconds))))


def timeline_state(elapsed_nominal: float, steps: list[tuple[str, float]], final: str) -> str:
    """Which step of a state machine is current after `elapsed_nominal` seconds.

    `steps` lists (state, nominal duration of that state); after the last one the state is `final`.
    """
    t = elapsed_nominal
    for state, duration in steps:
        if t < duration:
            return state
        t -= duration
    return final


def timeline_total(steps: list[tuple[str, float]]) -> float:
    return sum(d for _, d in steps)
