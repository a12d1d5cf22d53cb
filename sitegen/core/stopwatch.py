"""Where a build's time goes: the wall time of each step of the recipe, for `build.py --timings` and
bench/run.py. A build keeps one Stopwatch and passes it along (no global clock); a step's lap is the time
since the previous lap, so the laps add up to the build."""

from __future__ import annotations

import time


class Stopwatch:
    """Laps of named steps; clock: seconds as a float (time.perf_counter, or a fake one in a test)."""

    def __init__(self, clock=time.perf_counter) -> None:
        self._clock = clock
        self._last = clock()
        self.laps: list[tuple[str, float]] = []

    def lap(self, step: str) -> None:
        """The step that has just ended: its time is what passed since the previous lap."""
        moment = self._clock()
        self.laps.append((step, moment - self._last))
        self._last = moment

    def report(self, total: float | None = None) -> str:
        """One line a step, `step  0.123 s`, and a last line with the total. total: the whole command's
        time, when it is longer than the laps (starting Python, imports): the rest is shown as `other`."""
        laps = list(self.laps)
        if total is not None:
            laps.append(("other", max(0.0, total - sum(s for _, s in laps))))
        width = max([len(step) for step, _ in laps] + [len("total")])
        lines = [f"{step:<{width}}  {seconds:7.3f} s" for step, seconds in laps]
        lines.append(f"{'total':<{width}}  {sum(s for _, s in laps):7.3f} s")
        return "\n".join(lines)
