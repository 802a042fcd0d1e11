"""Stand-offs: both sides hold government ships at a hot spot, and one of them gives way.

A stand-off begins when China puts a rig or survey ship at a hot spot (a scripted inject) or
when a clash of government ships at blocking or above turns into one (``standoff.onset_prob``
per clash: both sides stay and reinforce). While it lasts, Vietnam surges patrols there (the
stakes, ``actors/vietnam.py``) and China may decide on armed force (``actors/china.py``). It
ends in one of two ways, by what the States do, not at a fixed date:

* **China withdraws**: at its decisions, per day since the last with chance ``withdraw_rate`` x (Vietnam's share of the
  government ships at the spot, relative to parity) x exp(-China's score there), or when China has had fewer
  than ``min_chinese`` ships there for ``hold_days`` days. A scripted inject then ends early
  (the rig leaves).
* **China holds the spot**: Vietnam has had no government ship there for ``hold_days`` days
  (or a scripted operation ran its planned course). The fishing grounds in the spot's area are
  closed to Vietnamese boats for ``closure_days``.

Vietnamese presence and response time therefore decide the outcome, within the parameters'
ranges. Draws come from the model's ``standoff`` stream. The log is read by the recorder
(``standoffs``, ``standoff_days``, ``standoffs_china_held`` ...).
"""

from __future__ import annotations

import math

import numpy as np

from sim.engine.movement import HOTSPOT
from sim.engine.sensing import HOTSPOT_GROUPS

CN_GROUPS = [HOTSPOT_GROUPS.index("cn_coast_guard"), HOTSPOT_GROUPS.index("cn_militia")]
VN_GROUP = HOTSPOT_GROUPS.index("vn_government")
HELD, WITHDREW, RUNNING = "china_held", "china_withdrew", "running"


class Standoffs:
    def __init__(self, model):
        self.model = model
        self.p = model.p.standoff
        H = len(model.dst.of_kind(HOTSPOT))
        self.active = np.zeros(H, bool)
        self.start = np.full(H, -1, np.int64)
        self.inject = np.full(H, -1, np.int64)  # the scripted inject behind it, -1 arising
        self.vn_absent = np.zeros(H, np.int64)  # days in a row without Vietnamese ships
        self.cn_absent = np.zeros(H, np.int64)  # ... without enough Chinese ones
        self.closed_until = np.zeros(H, np.int64)  # day the spot's grounds reopen
        self.log: list[dict] = []  # one entry per stand-off (the recorder reads it)
        self._open: dict[int, dict] = {}  # hot spot -> its entry while it runs
        self.vn_ships = self.cn_ships = np.zeros(H, np.int64)  # yesterday's, at each spot

    # ------------------------------------------------------------------ queries
    def stakes(self) -> np.ndarray:
        """Per hot spot: the stakes of a running stand-off that arose from clashes (a scripted
        one's are its inject's, ``Injects.stakes``)."""
        return self.p.stakes * (self.active & (self.inject < 0))

    def closed(self, day: int) -> np.ndarray:
        """Per hot spot: are its grounds closed to Vietnamese fishing today?"""
        return self.closed_until > day

    # ------------------------------------------------------------------ events
    def begin(self, h: int, inject: int = -1) -> None:
        """A stand-off starts at hot spot ``h`` (an inject's index if scripted)."""
        m = self.model
        if self.active[h]:
            if inject >= 0:  # a rig arrives at a running stand-off: it is now scripted
                self.inject[h] = inject
                self._open[h]["kind"] = "scripted"
            return
        self.active[h], self.start[h], self.inject[h] = True, m.day, inject
        self.vn_absent[h] = self.cn_absent[h] = 0
        entry = dict(hotspot=m.dst.slug[m.china.hotspots[h]], start_day=m.day, end_day=None,
                     days=0, outcome=RUNNING, kind="scripted" if inject >= 0 else "arising",
                     deliberate=False)
        self.log.append(entry)
        self._open[h] = entry
        m.log_decision("CHN", "standoff_begins", h, f"stand-off at {entry['hotspot']} "
                       f"({entry['kind']})")

    def end(self, h: int, outcome: str, why: str, end_of_day: bool = False) -> None:
        """Stand-off ``h`` ends today: at the day's end (``close_day``: today counts) or at its
        start (China's decision, an operation's planned end: today does not)."""
        m = self.model
        entry = self._open.pop(h)
        entry.update(end_day=m.day, days=m.day - int(self.start[h]) + int(end_of_day),
                     outcome=outcome)
        self.active[h] = False
        k = int(self.inject[h])
        self.inject[h] = -1
        if outcome == HELD:
            self.closed_until[h] = m.day + 1 + self.p.closure_days
        m.china.standoff_over(h)
        if outcome == WITHDREW and k >= 0:
            m.injects.end_early(k)
        m.log_decision("CHN", f"standoff_{outcome}", h, f"{entry['hotspot']}: {why} after "
                       f"{entry['days']} days")

    def deliberate(self, h: int) -> None:
        """China decided on armed force at this stand-off (for the log)."""
        if h in self._open:
            self._open[h]["deliberate"] = True

    # ------------------------------------------------------------------ the day
    def close_day(self, counts: np.ndarray, clashes: np.ndarray) -> None:
        """The day's presence at each hot spot (``DayPicture.hotspot_counts``) and clashes of
        government ships there decide onsets and ends."""
        m, p, rng = self.model, self.p, self.model.rng_standoff
        cn = counts[:, CN_GROUPS].sum(axis=1)
        vn = counts[:, VN_GROUP]
        self.vn_ships, self.cn_ships = vn, cn  # China's next decision reads them
        u = rng.random(counts.shape[0])  # onset per hot spot
        for h in range(counts.shape[0]):
            if not self.active[h]:
                onset = 1.0 - (1.0 - p.onset_prob) ** int(clashes[h])
                if clashes[h] > 0 and u[h] < onset:
                    self.begin(h)
                continue
            self.vn_absent[h] = self.vn_absent[h] + 1 if vn[h] == 0 else 0
            self.cn_absent[h] = self.cn_absent[h] + 1 if cn[h] < p.min_chinese else 0
            if self.cn_absent[h] >= p.hold_days and self.inject[h] < 0:
                self.end(h, WITHDREW, "Chinese ships left the spot", end_of_day=True)
            elif self.vn_absent[h] >= p.hold_days:
                self.end(h, HELD, f"no Vietnamese government ship for {p.hold_days} days",
                         end_of_day=True)

    def china_decides(self, score: np.ndarray, days: int) -> None:
        """At China's decision (its score at each spot just updated, stakes included): at each
        running stand-off it withdraws with the chance of the ``days`` since its last decision,
        from yesterday's ships at the spot."""
        m, p = self.model, self.p
        u = m.rng_standoff.random(score.size)
        for h in np.flatnonzero(self.active):
            daily = withdrawal_chance(p.withdraw_rate, self.vn_ships[h], self.cn_ships[h],
                                      float(score[h]))
            if u[h] < 1.0 - (1.0 - daily) ** days:
                self.end(int(h), WITHDREW, f"China withdrew ({self.vn_ships[h]} Vietnamese "
                         f"against {self.cn_ships[h]} Chinese ships)")

    def inject_over(self, k: int) -> None:
        """A scripted operation ran its planned course: China held the spot."""
        for h in np.flatnonzero(self.active & (self.inject == k)):
            self.end(int(h), HELD, "the operation ran its planned course")

    def finish(self) -> None:
        """At the end of the run: stand-offs still running keep outcome ``running``."""
        for h, entry in self._open.items():
            entry.update(days=self.model.day - int(self.start[h]))  # (day: the days run)


def withdrawal_chance(rate: float, vn: float, cn: float, score: float) -> float:
    """China's chance of withdrawing from a stand-off today: ``rate`` at parity (as many
    Vietnamese government ships at the spot as Chinese) and a score of 0, proportional to
    Vietnam's share of the ships there (none: no pressure to leave) and times exp(-score)
    (stakes and resolve keep China there), at most 1."""
    share = vn / (vn + cn) if vn + cn > 0 else 0.0
    return min(1.0, rate * 2.0 * share * math.exp(-score))
