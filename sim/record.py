"""The run's tables (incidents, daily, hotspots, decisions), its summary, and its files.

Files are written atomically (write to a temporary name, then rename) and ``summary.json``
last, so a run folder with a readable ``summary.json`` and all tables is finished; anything
else is unfinished and is redone by a re-run.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import ladder

TABLES = ("incidents", "daily", "hotspots", "decisions")
DAYS_PER_MONTH = 365.25 / 12


@dataclass
class Run:
    """One finished simulation: tables as pandas DataFrames and a summary dict."""

    incidents: pd.DataFrame
    daily: pd.DataFrame
    hotspots: pd.DataFrame
    decisions: pd.DataFrame
    summary: dict
    config: dict = field(default_factory=dict)

    def save(self, path) -> Path:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            _atomic(path / f"{name}.parquet",
                    lambda tmp, n=name: getattr(self, n).to_parquet(tmp, index=False))
        _atomic(path / "summary.json",
                lambda tmp: Path(tmp).write_text(json.dumps(self.summary, indent=2) + "\n"))
        return path

    def describe(self) -> str:
        s = self.summary
        fc = s["first_crisis_day"]
        top = sorted(s["presence_fraction"].items(), key=lambda kv: -kv[1])[:3]
        return "\n".join([
            f"{s['scenario']}  japan.capacity={s['japan_capacity']}  seed={s['seed']}  "
            f"({s['days']} days, {s['wall_seconds']:.1f} s)",
            f"  incidents: {s['incidents_per_month']:.1f}/month "
            f"({s['incidents_per_1000_vessel_days']:.2f} per 1,000 vessel-days in contested "
            f"waters); severe (water cannon+): {s['severe_incidents_per_month']:.2f}/month",
            f"  crises: {s['crises']} (first on day {fc})" if fc is not None else
            f"  crises: 0",
            f"  Chinese coast-guard presence: " + ", ".join(f"{k} {v:.0%}" for k, v in top),
            f"  militia in the Spratlys: {s['cn_militia_spratlys_mean']:.0f}/day; Vietnamese "
            f"fishing access to contested waters: {s['vn_fishing_access']:.0%}; detection "
            f"of incursions: {s['detection_rate']:.0%}",
        ])


def _atomic(target: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def is_finished(path) -> bool:
    """True if the folder holds a complete run (readable summary and every table)."""
    path = Path(path)
    try:
        json.loads((path / "summary.json").read_text())
    except (OSError, ValueError):
        return False
    return all((path / f"{n}.parquet").is_file() for n in TABLES)


def load_summary(path) -> dict:
    return json.loads((Path(path) / "summary.json").read_text())


def load(path) -> Run:
    path = Path(path)
    tables = {n: pd.read_parquet(path / f"{n}.parquet") for n in TABLES}
    return Run(**tables, summary=load_summary(path))


def summarise(daily: pd.DataFrame, incidents: pd.DataFrame, hotspots: pd.DataFrame,
              extra: dict) -> dict:
    """Run-level figures (CONTRACT.md) from the tables."""
    days = max(1, len(daily))
    months = days / DAYS_PER_MONTH
    rung = incidents["rung"].to_numpy() if len(incidents) else np.zeros(0, int)
    contested_days = float(daily["vessel_days_contested"].sum())
    n_contested = int(incidents["contested"].sum()) if len(incidents) else 0
    crises = incidents[incidents["rung"] == ladder.CRISIS] if len(incidents) else incidents
    presence = {}
    if len(hotspots):
        for slug, g in hotspots.groupby("hotspot", sort=False):
            presence[slug] = round(float((g["cn_coast_guard"] > 0).mean()), 4)
    effort = float(daily["vn_fishing_effort_total"].sum())
    inc = float(daily["incursions"].sum())
    return {
        **extra,
        "days": days,
        "incidents": int(rung.size),
        "severe_incidents": int((rung >= ladder.SEVERE).sum()),
        "incidents_per_month": round(rung.size / months, 4),
        "incidents_per_1000_vessel_days": round(1000 * n_contested / contested_days, 4)
        if contested_days else 0.0,
        "severe_incidents_per_month": round(float((rung >= ladder.SEVERE).sum()) / months, 4),
        "crises": int(len(crises)),
        "first_crisis_day": int(crises["day"].min()) if len(crises) else None,
        "presence_fraction": presence,
        "vn_fishing_access": round(float(daily["vn_fishing_effort_contested"].sum()) / effort, 4)
        if effort else 0.0,
        "detection_rate": round(float(daily["incursions_detected"].sum()) / inc, 4) if inc
        else 0.0,
        "de_escalations": int((incidents["outcome"] == "de-escalated").sum())
        if len(incidents) else 0,
        "cn_militia_spratlys_mean": round(float(daily["cn_militia_spratlys"].mean()), 2),
        "max_roe_ceiling": int(daily["cn_roe_ceiling"].max()),
        "mean_roe_ceiling": round(float(daily["cn_roe_ceiling"].mean()), 3),
    }
