"""Collects the run's tables while it runs: cheap per-step accumulators, one row per day.

Per step it ORs each vessel's hot-spot bits (which hot spots' 12-nm circles it is in) and adds
up effort; at noon it takes a census; at midnight it closes the day's rows. Encounters append
their arrays. ``finish`` turns everything into the DataFrames of CONTRACT.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numba import njit

from . import ladder
from .fleet import (CHN, COAST_GUARD, FISHING, FLAGS, KINDS, MILITIA, ON_STATION, VNM)
from .record import Run, summarise

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
        flag, kind = f.flag[:n], f.kind[:n]
        c = {}
        for fi, fl in enumerate(FLAGS):
            for ki, kn in enumerate(KINDS):
                c[f"at_sea_{fl}_{kn}"] = int(np.count_nonzero(at_sea & (flag == fi) & (kind == ki)))
        c["cn_militia_spratlys"] = int(np.count_nonzero(at_sea & (flag == CHN) & (kind == MILITIA)
                                                        & lay.spratly[cells]))
        gov_cn = np.flatnonzero(at_sea & (flag == CHN) & ((kind == COAST_GUARD) | (kind == MILITIA))
                                & lay.vn_eez[cells])
        c["incursions"] = int(gov_cn.size)
        detected = 0
        if gov_cn.size:
            detected = int(self._detected(gov_cn).sum())
        c["incursions_detected"] = detected
        boats = np.flatnonzero(at_sea & (flag == VNM) & (kind == FISHING))
        areas = m.vn_patrol_areas
        if boats.size and areas.size:
            near = m.dst.dist[areas[:, None], f.cell[boats][None, :]] <= 60.0
            self.area_boats.append(near.sum(1).astype(float))
        else:
            self.area_boats.append(np.zeros(areas.size))
        self.census = c

    def _detected(self, ids: np.ndarray) -> np.ndarray:
        """Chinese government ships in Vietnam's waters that Vietnam sees today."""
        m = self.m
        cells = m.fleet.cell[ids]
        info = m.japan.info_sharing_level()
        seen = m.layers.radar_vn[cells].copy()
        vn = m._gov_at_sea(VNM)
        if vn.size:
            seen |= m._within(cells, vn, m.p.encounter.sensor_km * (1 + info)).any(1)
        seen |= m.rng_encounter.random(ids.size) < 0.3 * info
        return seen

    def incidents(self, res: dict) -> None:
        m, f = self.m, self.m.fleet
        res = dict(res)
        res["step"] = np.full(res["actor"].size, m.step_count)
        res["cell"] = f.cell[res["target"]].copy()
        res["actor_kind"], res["target_kind"] = f.kind[res["actor"]], f.kind[res["target"]]
        res["actor_flag"], res["target_flag"] = f.flag[res["actor"]], f.flag[res["target"]]
        res["actor_agency"] = f.agency[res["actor"]]
        res["target_japanese"] = f.japanese[res["target"]]
        self.chunks.append(res)
        self.rungs += np.bincount(res["rung"], minlength=8)
        self.severe_seen += int(((res["rung"] >= ladder.SEVERE) & res["observed"]).sum())
        vn_fish = (res["target_flag"] == VNM) & (res["target_kind"] == FISHING)
        areas = m.vn_patrol_areas
        if vn_fish.any() and areas.size:
            near = np.argmin(m.dst.dist[areas[:, None], res["cell"][vn_fish][None, :]], axis=0)
            self.harassed += np.bincount(near, minlength=areas.size)

    def decision(self, state: str, what: str, value, reason: str) -> None:
        self.decisions.append((self.m.date, self.m.day, state, what, float(value), reason))

    # ------------------------------------------------------------------ per day
    def close_day(self) -> None:
        m, f = self.m, self.m.fleet
        n = f.n
        group = np.full(n, -1)
        flag, kind = f.flag[:n], f.kind[:n]
        group[(flag == CHN) & (kind == COAST_GUARD)] = 0
        group[(flag == CHN) & (kind == MILITIA)] = 1
        group[(flag == VNM) & (kind == COAST_GUARD)] = 2
        group[(flag == VNM) & (kind == FISHING)] = 3
        counts = np.zeros((len(self.hotspots), len(GROUPS)), np.int64)
        seen = self.seen[:n]
        for k in range(len(self.hotspots)):
            g = group[((seen >> k) & 1).astype(bool) & (group >= 0)]
            counts[k, :4] = np.bincount(g, minlength=4)[:4]
            counts[k, 4] = np.count_nonzero(((seen >> k) & 1).astype(bool) & f.japanese[:n])
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
        c = {k: np.concatenate([ch[k] for ch in self.chunks]) for k in self.chunks[0]}
        hours = c["step"] * m.step_hours
        lay = m.layers
        hs = m.nearest_hotspot[c["cell"]]
        names = np.array(self.hotspots + [""], dtype=object)
        from .fleet import AGENCIES
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
