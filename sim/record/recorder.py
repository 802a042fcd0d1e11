"""Collects the run's tables while it runs: cheap per-step accumulators, one row per day.

Per step it ORs each vessel's hot-spot bits (which hot spots' 12-nm circles it is in) and adds
up effort; at noon it takes a census; at midnight it closes the day's rows. Encounters append
their arrays. ``finish`` turns everything into the DataFrames of CONTRACT.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit

from sim.engine import ladder
from sim.engine.fleet import (CHN, COAST_GUARD, FISHING, FLAGS, KINDS, MILITIA, ON_STATION, VNM)
from sim.record.run import Run, summarise

GROUPS = ("cn_coast_guard", "cn_militia", "vn_government", "vn_fishing", "vn_japan_built")


class Recorder:
    def __init__(self, model):
        self.m = model
        self.hotspots = [f.slug for f in model.sea.features if f.hotspot]
        self.seen = np.zeros(0, np.int64)
        self.day_rows: list[dict] = []
        self.hs_counts: list[np.ndarray] = []  # per day (H, len(GROUPS))
        self.area_boats: list[np.ndarray] = []
        self.area_harassed: list[np.ndarray] = []
        self.observed_severe: list[int] = []
        self.chunks: list[dict] = []
        self.decisions: list[tuple] = []
        self._reset_day()

    def _reset_day(self) -> None:
        self.acc = dict(vessel_days_contested=0.0, vn_fishing_effort_contested=0.0,
                        vn_fishing_effort_total=0.0)
        self.rungs = np.zeros(8, np.int64)
        self.harassed = np.zeros(len(self.m.vn_patrol_areas))
        self.severe_seen = 0
        self.census: dict = {}

    # ------------------------------------------------------------------ per step
    def sense(self, hour: int, at_sea: np.ndarray) -> None:
        m, f = self.m, self.m.fleet
        n = f.n
        if self.seen.size < n:
            self.seen = np.concatenate([self.seen, np.zeros(n - self.seen.size, np.int64)])
        lay = m.layers
        contested, fishing, fishing_contested = _sense_kernel(
            at_sea, f.task, f.flag, f.kind, f.cell, lay.hotspot_bits, lay.contested, self.seen)
        h = m.step_hours
        self.acc["vessel_days_contested"] += h / 24 * contested
        self.acc["vn_fishing_effort_total"] += h * fishing
        self.acc["vn_fishing_effort_contested"] += h * fishing_contested
        if hour <= 12 < hour + h:
            self._census(at_sea, f.cell[:n])

    def _census(self, at_sea: np.ndarray, cells: np.ndarray) -> None:
        m, f, lay = self.m, self.m.fleet, self.m.layers
        n = f.n
        by_type = np.zeros((len(FLAGS), len(KINDS)), np.int64)
        gov_cn = np.empty(n, np.int64)  # Chinese government ships in Vietnam's EEZ
        boats = np.empty(n, np.int64)  # Vietnamese fishing boats at sea
        militia_spratlys, k_cn, k_boats = _census_kernel(
            at_sea, f.flag, f.kind, cells, lay.spratly, lay.vn_eez, by_type, gov_cn, boats)
        c = {f"at_sea_{fl}_{kn}": int(by_type[fi, ki])
             for fi, fl in enumerate(FLAGS) for ki, kn in enumerate(KINDS)}
        c["cn_militia_spratlys"] = int(militia_spratlys)
        c["incursions"] = int(k_cn)
        detected = 0
        if k_cn:
            detected = int(self._detected(gov_cn[:k_cn]).sum())
        c["incursions_detected"] = detected
        areas = m.vn_patrol_areas
        near = np.zeros(areas.size)
        if k_boats and areas.size:
            _boats_near(areas, cells[boats[:k_boats]], m.dst.dist_flat, m.dst.n_cells, 60.0,
                        near)
        self.area_boats.append(near)
        self.census = c

    def _detected(self, ids: np.ndarray) -> np.ndarray:
        """Chinese government ships in Vietnam's waters that Vietnam sees today."""
        m, f = self.m, self.m.fleet
        cells = f.cell[ids]
        info = m.japan.info_sharing_level()
        seen = m.layers.radar_vn[cells].copy()
        vn = m._gov_at_sea(VNM)
        if vn.size:
            lay = m.layers
            _in_sensor_range(cells, f.cell[vn], lay.lat, lay.lon,
                             m.p.encounter.sensor_km * (1 + info), seen)
        seen |= m.rng_encounter.random(ids.size) < 0.3 * info
        return seen

    def incidents(self, res: dict) -> None:
        """Keep one step's encounters (their hulls' flags and kinds are looked up at the end:
        they never change) and add them to the day's tallies."""
        m, f = self.m, self.m.fleet
        chunk = dict(res, step=np.full(res["target"].size, m.step_count, np.int64),
                     cell=f.cell[res["target"]])
        self.chunks.append(chunk)
        self.severe_seen += _tally_incidents(
            res["target"], res["rung"], res["observed"], chunk["cell"], f.flag, f.kind,
            m.vn_patrol_areas, m.dst.dist_flat, m.dst.n_cells, ladder.SEVERE, self.rungs,
            self.harassed)

    def decision(self, state: str, what: str, value, reason: str) -> None:
        self.decisions.append((self.m.date, self.m.day, state, what, float(value), reason))

    # ------------------------------------------------------------------ per day
    def close_day(self) -> None:
        m, f = self.m, self.m.fleet
        n = f.n
        counts = np.zeros((len(self.hotspots), len(GROUPS)), np.int64)
        _count_hotspots(self.seen[:n], f.flag, f.kind, f.japanese, counts)
        self.hs_counts.append(counts)
        self.seen[:] = 0
        row = dict(date=m.date, day=m.day, **self.census)
        row.update({f"incidents_rung_{r}": int(self.rungs[r]) for r in range(8)})
        row.update(self.acc)
        row.update(moratorium=bool(m.moratorium_on), sea_state_north=int(m.sea_state[0]),
                   sea_state_south=int(m.sea_state[1]), cn_roe_ceiling=int(m.china.ceiling),
                   cbm_level=round(float(m.cbm_level), 4))
        self.day_rows.append(row)
        self.area_harassed.append(self.harassed.copy())
        self.observed_severe.append(self.severe_seen)
        self._reset_day()

    # ------------------------------------------------------------------ what States observe
    def hotspot_observation(self, days: int) -> dict:
        H = len(self.hotspots)
        recent = self.hs_counts[-days:]
        mean = np.mean(recent, axis=0) if recent else np.zeros((H, len(GROUPS)))
        m = self.m
        hs_cells = m.dst.cell[m.dst.of_kind(0)]
        radar_jp = np.zeros(H)
        if m.japan.stations:
            cover = m.sea.radar_coverage(m.japan.stations).get("VNM")
            radar_jp = cover.ravel()[hs_cells].astype(float)
        spratly = m.layers.spratly[hs_cells]
        return dict(
            assertion=mean[:, 2] + 0.05 * mean[:, 3],
            cooperation=mean[:, 4] + m.coordinated * (mean[:, 2] > 0.5) + 0.5 * radar_jp,
            # Enforcing the summer moratorium makes the northern hot spots a priority (FACTS §4).
            strategic_value=0.3 + m.injects.stakes()
            + m.p.china.moratorium_priority * (m.moratorium_on & m.layers.moratorium[hs_cells]),
            observed_severe=float(sum(self.observed_severe[-days:])),
            militia_bias=np.where(spratly, 1.0, -1.0),
            spratly=spratly.astype(float),
        )

    def area_observation(self, days: int):
        A = len(self.m.vn_patrol_areas)
        boats = np.mean(self.area_boats[-days:], axis=0) if self.area_boats else np.zeros(A)
        harassed = np.sum(self.area_harassed[-days:], axis=0) if self.area_harassed else np.zeros(A)
        return boats, harassed

    # ------------------------------------------------------------------ the end
    def finish(self, wall_seconds: float) -> Run:
        m = self.m
        daily = pd.DataFrame(self.day_rows)
        daily["date"] = pd.to_datetime(daily["date"])
        hot = self._hotspot_table()
        inc = self._incident_table()
        dec = pd.DataFrame(self.decisions, columns=["date", "day", "state", "what", "value",
                                                    "reason"])
        dec["date"] = pd.to_datetime(dec["date"])
        p = m.p
        extra = dict(scenario=p.scenario.name, japan_capacity=p.japan.capacity, seed=p.seed,
                     sea=p.sea.name, wall_seconds=round(wall_seconds, 3),
                     japan_vessels_delivered=m.japan.delivered_vessels,
                     japan_radars_delivered=m.japan.delivered_radars,
                     vessels=int(m.fleet.n), ended_by_crisis=bool(
                         m.crisis_day is not None and p.run.stop_at_crisis),
                     vessels_lost=int((m.fleet.status[: m.fleet.n] == 1).sum()))
        summary = summarise(daily, inc, hot, extra)
        return Run(incidents=inc, daily=daily, hotspots=hot, decisions=dec, summary=summary)

    def _hotspot_table(self) -> pd.DataFrame:
        H, D = len(self.hotspots), len(self.hs_counts)
        arr = np.array(self.hs_counts).reshape(D * H, len(GROUPS)) if D else np.zeros((0, 5))
        days = np.repeat(np.arange(D), H)
        start = pd.Timestamp(self.m.start)
        df = pd.DataFrame({"date": start + pd.to_timedelta(days, unit="D"), "day": days,
                           "hotspot": np.tile(self.hotspots, D)})
        for k, g in enumerate(("cn_coast_guard", "cn_militia", "vn_government", "vn_fishing",
                               "vn_japan_built")):
            df[g] = arr[:, k].astype(np.int64)
        return df

    def _incident_table(self) -> pd.DataFrame:
        m = self.m
        cols = ["time", "day", "lat", "lon", "zone", "initiator_type", "initiator_flag",
                "initiator_id", "target_type", "target_flag", "target_id", "rung", "rung_name",
                "outcome", "observed", "rounds", "contested", "hotspot", "initiator_agency",
                "target_japanese_built"]
        if not self.chunks:
            empty = {c: pd.Series(dtype=t) for c, t in _INCIDENT_DTYPES.items()}
            return pd.DataFrame(empty)[cols]
        keys = ("actor", "target", "rung", "outcome", "observed", "rounds", "cell", "step")
        c = {k: np.concatenate([ch[k] for ch in self.chunks]) for k in keys}
        f = m.fleet  # a hull's flag, type and agency never change: read them now
        c["actor_kind"], c["target_kind"] = f.kind[c["actor"]], f.kind[c["target"]]
        c["actor_flag"], c["target_flag"] = f.flag[c["actor"]], f.flag[c["target"]]
        c["actor_agency"] = f.agency[c["actor"]]
        c["target_japanese"] = f.japanese[c["target"]]
        hours = c["step"] * m.step_hours
        lay = m.layers
        hs = m.nearest_hotspot[c["cell"]]
        names = np.array(self.hotspots + [""], dtype=object)
        from sim.engine.fleet import AGENCIES
        df = pd.DataFrame({
            "time": pd.Timestamp(m.start) + pd.to_timedelta(hours, unit="h"),
            "day": (hours // 24).astype(np.int64),
            "lat": lay.lat[c["cell"]].round(4), "lon": lay.lon[c["cell"]].round(4),
            "zone": np.array(m.sea.zone_names, dtype=object)[lay.zone[c["cell"]]],
            "initiator_type": np.array(KINDS, dtype=object)[c["actor_kind"]],
            "initiator_flag": np.array(FLAGS, dtype=object)[c["actor_flag"]],
            "initiator_id": c["actor"].astype(np.int64),
            "target_type": np.array(KINDS, dtype=object)[c["target_kind"]],
            "target_flag": np.array(FLAGS, dtype=object)[c["target_flag"]],
            "target_id": c["target"].astype(np.int64),
            "rung": c["rung"].astype(np.int64),
            "rung_name": np.array(ladder.RUNGS, dtype=object)[c["rung"]],
            "outcome": np.array(ladder.OUTCOMES, dtype=object)[c["outcome"]],
            "observed": c["observed"].astype(bool),
            "rounds": c["rounds"].astype(np.int64),
            "contested": lay.contested[c["cell"]],
            "hotspot": names[hs],
            "initiator_agency": np.array(AGENCIES, dtype=object)[c["actor_agency"]],
            "target_japanese_built": c["target_japanese"].astype(bool),
        })
        for col in ("zone", "initiator_type", "initiator_flag", "target_type", "target_flag",
                    "rung_name", "outcome", "hotspot", "initiator_agency"):
            df[col] = df[col].astype("string")
        return df[cols]


_INCIDENT_DTYPES = {
    "time": "datetime64[ns]", "day": "int64", "lat": "float64", "lon": "float64",
    "zone": "string", "initiator_type": "string", "initiator_flag": "string",
    "initiator_id": "int64", "target_type": "string", "target_flag": "string",
    "target_id": "int64", "rung": "int64", "rung_name": "string", "outcome": "string",
    "observed": "bool", "rounds": "int64", "contested": "bool", "hotspot": "string",
    "initiator_agency": "string", "target_japanese_built": "bool",
}



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
def _tally_incidents(target, rung, observed, cell, flag, kind, areas, dist, n_cells, severe,
                     rungs, harassed):
    """The day's tallies of one step's incidents: count by rung; incidents against Vietnamese
    fishing boats by the patrol area nearest by route (the first of equals). Returns how many
    severe incidents Vietnam observed."""
    seen_severe = 0
    for k in range(target.size):
        rungs[rung[k]] += 1
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
    ``cells[k]`` (flat-earth distance at the target's latitude, as ``GreyZoneModel._within``)."""
    for k in range(cells.size):
        if seen[k]:
            continue
        la, lo = lat[cells[k]], lon[cells[k]]
        coslat = np.cos(np.radians(la))
        for s in sensor_cells:
            dy = (lat[s] - la) * 111.2
            dx = (lon[s] - lo) * 111.2 * coslat
            if dx * dx + dy * dy <= km * km:
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
