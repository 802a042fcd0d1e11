"""Writes the run down while it runs: one row per day, the incidents, the decisions.

The recorder observes only: it draws no random numbers and nothing the model decides reads
it. Each day it gets the sea's ``DayPicture`` (engine/sensing.py) and adds the day's incidents
by rung and the State of the world (weather, moratorium, China's ROE ceiling, the CBM level);
encounters append their arrays; ``finish`` turns it all into the DataFrames of CONTRACT.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.engine import ladder
from sim.engine.fleet import AGENCIES, FLAGS, KINDS, LOST
from sim.engine.sensing import HOTSPOT_GROUPS
from sim.record.run import Run, summarise


class Recorder:
    def __init__(self, model):
        self.m = model
        self.hotspots = [f.slug for f in model.sea.features if f.hotspot]
        self.day_rows: list[dict] = []
        self.hs_counts: list[np.ndarray] = []  # per day (hot spots, HOTSPOT_GROUPS)
        self.hs_ceilings: list[np.ndarray] = []  # per day: China's ROE ceiling per hot spot
        self.chunks: list[dict] = []
        self.decisions: list[tuple] = []
        self.rungs = np.zeros(len(ladder.RUNGS), np.int64)  # today's incidents by rung
        self.past_ceiling = 0  # today's encounters that went past the initiator's rules

    def incidents(self, res: dict, cells: np.ndarray) -> None:
        """Keep one step's encounters (their hulls' flags and kinds are looked up at the end:
        they never change) and count them by rung for the day."""
        m = self.m
        self.chunks.append(dict(res, step=np.full(res["target"].size, m.step_count, np.int64),
                                cell=cells))
        self.rungs += np.bincount(res["rung"], minlength=self.rungs.size)
        self.past_ceiling += int(res["past_ceiling"].sum())

    def decision(self, state: str, what: str, value, reason: str) -> None:
        self.decisions.append((self.m.date, self.m.day, state, what, float(value), reason))

    def close_day(self, picture) -> None:
        m = self.m
        self.hs_counts.append(picture.hotspot_counts)
        self.hs_ceilings.append(np.array(m.china.ceiling, np.int64))
        row = dict(date=m.date, day=m.day, **picture.census)
        row.update({f"incidents_rung_{r}": int(self.rungs[r]) for r in range(self.rungs.size)})
        row.update(picture.effort)
        row.update(moratorium=bool(m.moratorium_on), sea_state_north=int(m.sea_state[0]),
                   sea_state_south=int(m.sea_state[1]),
                   cn_roe_ceiling=int(m.china.ceiling.max()),  # the harshest rules anywhere
                   cn_roe_ceiling_mean=round(float(m.china.ceiling.mean()), 4),
                   cbm_level=round(float(m.cbm_level), 4),
                   cbm_accepted=bool(m.agreement.accepted),
                   norm_cost=round(float(m.norm_cost()), 4),
                   # what visible Japan-Vietnam cooperation adds to China's need, mean over
                   # hot spots at its last decision (the provocation of item 3, issue 14)
                   cn_provocation=round(float(m.china.provocation.mean()), 4),
                   standoffs_running=int(m.standoffs.active.sum()),
                   hotspots_closed=int(m.standoffs.closed(m.day).sum()),
                   past_ceiling=self.past_ceiling)
        self.day_rows.append(row)
        self.rungs[:] = 0
        self.past_ceiling = 0

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
                     vessels=int(m.fleet.n), ended_by_crisis=m.ended,
                     vessels_lost=int((m.fleet.status[: m.fleet.n] == LOST).sum()),
                     **self._standoffs(), **self._responses())
        summary = summarise(daily, inc, hot, dec, extra)
        return Run(incidents=inc, daily=daily, hotspots=hot, decisions=dec, summary=summary)

    def _standoffs(self) -> dict:
        """Stand-offs (actors/standoff.py): how many began, their mean length, how they
        ended, and the hot-spot-days of fishing grounds closed to Vietnamese boats."""
        m = self.m
        m.standoffs.finish()
        log = m.standoffs.log
        return dict(standoffs=len(log),
                    standoff_days=round(float(np.mean([e["days"] for e in log])), 3)
                    if log else None,
                    standoffs_china_held=sum(e["outcome"] == "china_held" for e in log),
                    standoffs_china_withdrew=sum(e["outcome"] == "china_withdrew" for e in log),
                    standoffs_armed=sum(bool(e["deliberate"]) for e in log))

    def _responses(self) -> dict:
        """Responses to detected incursions (actors/response.py): the median hours from
        detection to the first Vietnamese government ship on scene, and how many."""
        done = self.m.responses.done
        hours = [c["hours"] for c in done if c["answered"]]
        return dict(response_hours=round(float(np.median(hours)), 3) if hours else None,
                    responses=len(hours), responses_unanswered=len(done) - len(hours))

    def _hotspot_table(self) -> pd.DataFrame:
        H, D = len(self.hotspots), len(self.hs_counts)
        groups = len(HOTSPOT_GROUPS)
        arr = np.array(self.hs_counts).reshape(D * H, groups) if D else np.zeros((0, groups))
        days = np.repeat(np.arange(D), H)
        start = pd.Timestamp(self.m.start)
        df = pd.DataFrame({"date": start + pd.to_timedelta(days, unit="D"), "day": days,
                           "hotspot": np.tile(self.hotspots, D)})
        for k, g in enumerate(HOTSPOT_GROUPS):
            df[g] = arr[:, k].astype(np.int64)
        df["cn_roe_ceiling"] = (np.concatenate(self.hs_ceilings) if D else
                                np.zeros(0, np.int64))
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
