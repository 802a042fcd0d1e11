"""What each State knows when it decides: its own memory of the days the sea showed it.

The observer keeps the States' view apart from the recorder's tables (results never feed back):
it remembers each day's ``DayPicture`` (hot-spot presence, boats near Vietnam's patrol areas)
and hears of the day's incidents (those against Vietnamese boats, by the patrol area nearest
by route; the severe ones Vietnam observed, which make publicity for China's backlash).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.engine import ladder
from sim.engine.fleet import CHN, COAST_GUARD, FISHING, MILITIA, NAVY, VNM
from sim.engine.movement import HOTSPOT
from sim.engine.sensing import HOTSPOT_GROUPS

class Observer:
    def __init__(self, n_hotspots: int, vn_areas: np.ndarray, cell_hotspot: np.ndarray):
        self.vn_areas = vn_areas
        self.n_hotspots = n_hotspots
        self.cell_hotspot = cell_hotspot  # cell -> hot spot index (-1 far from any)
        self.clashes = np.zeros(n_hotspots, np.int64)  # today's, per hot spot
        self.violations: list[int] = []  # per day: observed severe incidents by China
        self._violations = 0
        self.hotspot_counts: list[np.ndarray] = []  # per day (hot spots, HOTSPOT_GROUPS)
        self.area_boats: list[np.ndarray] = []
        self.area_harassed: list[np.ndarray] = []
        self.observed_severe: list[int] = []
        self._harassed = np.zeros(vn_areas.size)
        self._severe_seen = 0

    def hear(self, res: dict, cells: np.ndarray, fleet, dst) -> None:
        """One step's incidents, as the States hear of them."""
        self._severe_seen += _hear_incidents(
            res["target"], res["rung"], res["observed"], cells, fleet.flag, fleet.kind,
            self.vn_areas, dst.dist_flat, dst.n_cells, ladder.SEVERE, self._harassed)
        self._violations += _hear_government(
            res["actor"], res["target"], res["rung"], res["observed"], cells, fleet.flag,
            fleet.kind, self.cell_hotspot, ladder.BLOCKING, ladder.SEVERE, self.clashes)

    def close_day(self, picture) -> None:
        self.hotspot_counts.append(picture.hotspot_counts)
        self.area_boats.append(picture.area_boats)
        self.area_harassed.append(self._harassed.copy())
        self.observed_severe.append(self._severe_seen)
        self.violations.append(self._violations)
        self._harassed[:] = 0
        self._severe_seen = 0
        self._violations = 0

    def hotspots(self, days: int) -> np.ndarray:
        """Mean count per day over the last ``days`` days, per hot spot and group."""
        recent = self.hotspot_counts[-days:]
        if not recent:
            return np.zeros((self.n_hotspots, len(HOTSPOT_GROUPS)))
        return np.mean(recent, axis=0)

    def severe_observed(self, days: int) -> float:
        return float(sum(self.observed_severe[-days:]))

    def violations_observed(self, days: int) -> float:
        """Severe incidents by Chinese government ships that Vietnam observed (violations of a
        confidence-building regime), over the last ``days`` days."""
        return float(sum(self.violations[-days:]))

    def take_clashes(self) -> np.ndarray:
        """Today's clashes of government ships at blocking or above, per hot spot (reset)."""
        out = self.clashes.copy()
        self.clashes[:] = 0
        return out

    def vn_areas_view(self, days: int) -> tuple[np.ndarray, np.ndarray]:
        """Vietnam's view of its patrol areas: boats near each (mean a day) and incidents
        against them (sum), over the last ``days`` days."""
        A = self.vn_areas.size
        boats = np.mean(self.area_boats[-days:], axis=0) if self.area_boats else np.zeros(A)
        harassed = (np.sum(self.area_harassed[-days:], axis=0) if self.area_harassed
                    else np.zeros(A))
        return boats, harassed


def china_view(model, days: int) -> dict:
    """China's reading of each hot spot over the last ``days`` days (its decision inputs)."""
    m = model
    mean = m.observer.hotspots(days)
    hs_cells = m.dst.cell[m.dst.of_kind(HOTSPOT)]
    radar_jp = np.zeros(mean.shape[0])
    if m.japan.stations:
        cover = m.sea.radar_coverage(m.japan.stations).get("VNM")
        radar_jp = cover.ravel()[hs_cells].astype(float)
    spratly = m.layers.spratly[hs_cells]
    vn_gov, vn_boats, jp_hulls = mean[:, 2], mean[:, 3], mean[:, 4]
    c = m.p.china
    return dict(
        assertion=vn_gov + c.assertion_per_boat * vn_boats,
        cooperation=jp_hulls + m.coordinated * (vn_gov > c.patrolled_ships)
        + c.radar_cooperation * radar_jp,
        # Enforcing the summer moratorium makes the northern hot spots a priority (FACTS §4).
        strategic_value=c.base_value + m.stakes()
        + c.moratorium_priority * (m.moratorium_on & m.layers.moratorium[hs_cells]),
        observed_severe=m.observer.severe_observed(days),
        militia_bias=np.where(spratly, c.militia_spratly_bias, -c.militia_spratly_bias),
        spratly=spratly.astype(float),
    )


@njit(cache=True)
def _hear_incidents(target, rung, observed, cell, flag, kind, areas, dist, n_cells, severe,
                    harassed):
    """Incidents against Vietnamese fishing boats, by the patrol area nearest by route (the
    first of equals), into ``harassed``; returns how many severe incidents Vietnam observed."""
    seen_severe = 0
    for k in range(target.size):
        if rung[k] >= severe and observed[k]:
            seen_severe += 1
        v = target[k]
        if flag[v] == VNM and kind[v] == FISHING and areas.size:
            best = 0
            for q in range(1, areas.size):
                if dist[areas[q] * n_cells + cell[k]] < dist[areas[best] * n_cells + cell[k]]:
                    best = q
            harassed[best] += 1
    return seen_severe


@njit(cache=True)
def _is_government(kind):
    return kind == COAST_GUARD or kind == MILITIA or kind == NAVY


@njit(cache=True)
def _hear_government(actor, target, rung, observed, cell, flag, kind, cell_hotspot, blocking,
                     severe, clashes):
    """Clashes of government ships at blocking or above, per hot spot (into ``clashes``: they
    may become stand-offs); returns the severe incidents by Chinese government ships that
    Vietnam observed (violations of a confidence-building regime)."""
    violations = 0
    for k in range(target.size):
        i, j = actor[k], target[k]
        if flag[i] == CHN and _is_government(kind[i]) and rung[k] >= severe and observed[k]:
            violations += 1
        if rung[k] >= blocking and _is_government(kind[i]) and _is_government(kind[j]):
            h = cell_hotspot[cell[k]]
            if h >= 0:
                clashes[h] += 1
    return violations
