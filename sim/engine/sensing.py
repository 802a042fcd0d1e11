"""What can be seen of the sea: the day's picture, taken step by step.

Per step, each vessel at sea ORs in the hot spots whose 12-nm circles it is in, and effort in
contested waters adds up; at noon a census counts vessels by flag and type, the Chinese
government ships inside Vietnam's EEZ (incursions) and which of them Vietnam detects (its radar,
its patrols' sensors, Japan's information sharing: draws from the detection stream of its own),
and the Vietnamese boats near each patrol area. ``close_day`` hands the day over as a
``DayPicture``: the recorder writes it down, the States' observers decide on it. Nothing here
changes the vessels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from sim.engine.fleet import CHN, COAST_GUARD, FISHING, FLAGS, KINDS, MILITIA, ON_STATION, VNM
from sim.sea.geodesy import flat_km2

#: Vessel groups counted at each hot spot, in the order of ``hs_counts``' columns.
HOTSPOT_GROUPS = ("cn_coast_guard", "cn_militia", "vn_government", "vn_fishing",
                  "vn_japan_built")


def info_detection_chance(at_full: float, info_sharing: float) -> float:
    """Chance that information sharing at level ``info_sharing`` reveals a ship to Vietnam
    (``at_full``: the chance at full sharing, ``sensing.info_detection``)."""
    return at_full * info_sharing


def sensor_km(base_km: float, info_sharing: float) -> float:
    """Reach of a Vietnamese ship's sensors, extended by Japan's information sharing."""
    return base_km * (1 + info_sharing)


@dataclass
class DayPicture:
    """One day as seen from the sea (see the module docstring)."""

    census: dict  # at_sea_<FLAG>_<kind>, cn_militia_spratlys, incursions, incursions_detected
    effort: dict  # vessel_days_contested, vn_fishing_effort_contested, vn_fishing_effort_total
    hotspot_counts: np.ndarray  # (hot spots, HOTSPOT_GROUPS): distinct vessels within 12 nm
    area_boats: np.ndarray  # Vietnamese fishing boats near each Vietnamese patrol area


class Sensing:
    def __init__(self, layers, dst, vn_areas: np.ndarray, n_hotspots: int, step_hours: int,
                 rng: np.random.Generator, params):
        self.layers, self.dst, self.vn_areas, self.p = layers, dst, vn_areas, params
        self.n_hotspots, self.step_hours, self.rng = n_hotspots, step_hours, rng
        self.seen = np.zeros(0, np.int64)
        self._new_day()

    def _new_day(self) -> None:
        self.effort = dict(vessel_days_contested=0.0, vn_fishing_effort_contested=0.0,
                           vn_fishing_effort_total=0.0)
        self.census: dict = {}
        self.detected_cells = np.zeros(0, np.int64)  # set by today's census
        self.area_boats = np.zeros(self.vn_areas.size)

    def look(self, hour: int, at_sea: np.ndarray, fleet, sensor_base_km: float,
             info_sharing: float) -> bool:
        """One step's look at the sea (and the census, at the step that spans noon: then it
        returns True)."""
        f, lay, n = fleet, self.layers, fleet.n
        if self.seen.size < n:
            self.seen = np.concatenate([self.seen, np.zeros(n - self.seen.size, np.int64)])
        contested, fishing, fishing_contested = _sense_kernel(
            at_sea, f.task, f.flag, f.kind, f.cell, lay.hotspot_bits, lay.contested, self.seen)
        h = self.step_hours
        self.effort["vessel_days_contested"] += h / 24 * contested
        self.effort["vn_fishing_effort_total"] += h * fishing
        self.effort["vn_fishing_effort_contested"] += h * fishing_contested
        if hour <= 12 < hour + h:
            self._census(at_sea, f, sensor_km(sensor_base_km, info_sharing), info_sharing)
            return True
        return False

    def _census(self, at_sea: np.ndarray, f, reach_km: float, info_sharing: float) -> None:
        lay, n = self.layers, f.n
        cells = f.cell[:n]
        by_type = np.zeros((len(FLAGS), len(KINDS)), np.int64)
        gov_cn = np.empty(n, np.int64)  # Chinese government ships in Vietnam's EEZ
        boats = np.empty(n, np.int64)  # Vietnamese fishing boats at sea
        militia_spratlys, k_cn, k_boats = _census_kernel(
            at_sea, f.flag, f.kind, cells, lay.spratly, lay.vn_eez, by_type, gov_cn, boats)
        c = {f"at_sea_{fl}_{kn}": int(by_type[fi, ki])
             for fi, fl in enumerate(FLAGS) for ki, kn in enumerate(KINDS)}
        c["cn_militia_spratlys"] = int(militia_spratlys)
        c["incursions"] = int(k_cn)
        seen = self._detected(f, gov_cn[:k_cn], reach_km, info_sharing) if k_cn else \
            np.zeros(0, bool)
        c["incursions_detected"] = int(seen.sum())
        # Where the detected ones are: Vietnam's responses are cued from these (actors/response.py)
        self.detected_cells = cells[gov_cn[:k_cn][seen]]
        if k_boats and self.vn_areas.size:
            _boats_near(self.vn_areas, cells[boats[:k_boats]], self.dst.dist_flat,
                        self.dst.n_cells, self.p.boats_near_area_km, self.area_boats)
        self.census = c

    def _detected(self, f, ids: np.ndarray, reach_km: float, info_sharing: float) -> np.ndarray:
        """Which of the Chinese government ships ``ids`` Vietnam sees today."""
        cells = f.cell[ids]
        seen = self.layers.radar_vn[cells].copy()
        k = f.kind[: f.n]
        vn = np.flatnonzero(f.at_sea & (f.flag[: f.n] == VNM)
                            & ((k == COAST_GUARD) | (k == MILITIA)))
        if vn.size:
            _in_sensor_range(cells, f.cell[vn], self.layers.lat, self.layers.lon, reach_km, seen)
        seen |= self.rng.random(ids.size) < info_detection_chance(self.p.info_detection,
                                                                info_sharing)
        return seen

    def close_day(self, fleet) -> DayPicture:
        n = fleet.n
        counts = np.zeros((self.n_hotspots, len(HOTSPOT_GROUPS)), np.int64)
        _count_hotspots(self.seen[:n], fleet.flag, fleet.kind, fleet.japanese, counts)
        self.seen[:] = 0
        day = DayPicture(census=self.census, effort=self.effort, hotspot_counts=counts,
                         area_boats=self.area_boats)
        self._new_day()
        return day


@njit(cache=True)
def _sense_kernel(at_sea, task, flag, kind, cell, hotspot_bits, contested, seen):
    """One step's look at the sea: which hot-spot circles each vessel at sea is in (ORed into
    ``seen`` for the day), vessels in contested waters, Vietnamese fishing effort."""
    n_contested = n_fishing = n_fishing_contested = 0
    for i in range(at_sea.size):
        if not at_sea[i]:
            continue
        c = cell[i]
        seen[i] |= hotspot_bits[c]
        if contested[c]:
            n_contested += 1
        if flag[i] == VNM and kind[i] == FISHING and task[i] == ON_STATION:
            n_fishing += 1
            if contested[c]:
                n_fishing_contested += 1
    return n_contested, n_fishing, n_fishing_contested


@njit(cache=True)
def _census_kernel(at_sea, flag, kind, cell, spratly, vn_eez, by_type, gov_cn, boats):
    """Noon census of vessels at sea: counts by flag and type (``by_type``), militia in the
    Spratlys, ids of Chinese government ships in Vietnam's EEZ and of Vietnamese fishing boats
    (into ``gov_cn`` and ``boats``). Returns (militia in the Spratlys, #gov_cn, #boats)."""
    militia_spratlys = k_cn = k_boats = 0
    for i in range(at_sea.size):
        if not at_sea[i]:
            continue
        by_type[flag[i], kind[i]] += 1
        c = cell[i]
        if flag[i] == CHN:
            if kind[i] == MILITIA and spratly[c]:
                militia_spratlys += 1
            if (kind[i] == COAST_GUARD or kind[i] == MILITIA) and vn_eez[c]:
                gov_cn[k_cn] = i
                k_cn += 1
        elif kind[i] == FISHING:
            boats[k_boats] = i
            k_boats += 1
    return militia_spratlys, k_cn, k_boats


@njit(cache=True)
def _boats_near(areas, boat_cells, dist, n_cells, km, near):
    """Per patrol area, the boats within ``km`` of it by route."""
    for q in range(areas.size):
        for c in boat_cells:
            if dist[areas[q] * n_cells + c] <= km:
                near[q] += 1


@njit(cache=True)
def _in_sensor_range(cells, sensor_cells, lat, lon, km, seen):
    """Marks ``seen[k]`` if any sensor (a Vietnamese government ship) is within ``km`` of
    ``cells[k]`` (flat-earth distance at the target's latitude)."""
    for k in range(cells.size):
        if seen[k]:
            continue
        la, lo = lat[cells[k]], lon[cells[k]]
        coslat = math.cos(math.radians(la))
        for s in sensor_cells:
            if flat_km2(la, lo, coslat, lat[s], lon[s]) <= km * km:
                seen[k] = True
                break


@njit(cache=True)
def _count_hotspots(seen, flag, kind, japanese, counts):
    """Per hot spot (bit k of ``seen``): distinct Chinese cutters, militia, Vietnamese
    government ships, Vietnamese fishing boats and Japanese-built hulls that were inside its
    12-nm circle at some step of the day."""
    for i in range(seen.size):
        bits = seen[i]
        if bits == 0:
            continue
        g = -1
        if flag[i] == CHN and kind[i] == COAST_GUARD:
            g = 0
        elif flag[i] == CHN and kind[i] == MILITIA:
            g = 1
        elif flag[i] == VNM and kind[i] == COAST_GUARD:
            g = 2
        elif flag[i] == VNM and kind[i] == FISHING:
            g = 3
        for k in range(counts.shape[0]):
            if (bits >> k) & 1:
                if g >= 0:
                    counts[k, g] += 1
                if japanese[i]:
                    counts[k, 4] += 1
