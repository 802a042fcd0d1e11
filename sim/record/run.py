"""The run's tables (incidents, daily, hotspots, decisions), its summary, and its files.

Files are written atomically (write to a temporary name, then rename) and ``summary.json``
last (an old one is removed first), so a run folder with a readable ``summary.json`` and all
tables, readable and consistent with it, is finished (``is_finished``; ``check_run`` says what
is wrong); anything else is unfinished and is redone by a re-run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.base.atomic import remove_stale_temporaries, write_atomic
from sim.engine import ladder

TABLES = ("incidents", "daily", "hotspots", "decisions")
FILES = tuple(f"{t}.parquet" for t in TABLES) + ("summary.json",)  # summary.json last
DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12


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
        # summary.json marks a finished run: drop an old one first, so that a crash while
        # the tables are rewritten never leaves an old summary beside new tables.
        (path / "summary.json").unlink(missing_ok=True)
        # Temporary files left by a process killed while saving; only those of a process
        # that is gone (another's may be in the middle of its own write).
        remove_stale_temporaries(path, FILES)
        for name in TABLES:
            write_atomic(path / f"{name}.parquet",
                    lambda tmp, n=name: getattr(self, n).to_parquet(tmp, index=False))
        write_atomic(path / "summary.json",
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


#: Columns a table must have for its run to count as finished (a cheap schema check).
REQUIRED_COLUMNS = {
    "incidents": ("time", "day", "rung", "initiator_flag", "target_flag"),
    "daily": ("date", "day"),
    "hotspots": ("date", "day", "hotspot", "cn_coast_guard"),
    "decisions": ("date", "day", "state", "what"),
}


#: Summary figures that must be finite numbers >= 0 in a finished run's summary.json.
SUMMARY_NUMBERS = ("days", "incidents", "incidents_per_month", "severe_incidents_per_month",
                   "crises")


class CorruptRun(ValueError):
    """A run folder whose files are missing, truncated or inconsistent; ``str()`` says which."""


def check_run(path) -> dict:
    """The summary of a complete run folder; raise ``CorruptRun`` naming the first problem.

    Cheap: ``summary.json`` is parsed, and of each table only the parquet footer is read
    (``pyarrow.parquet.read_metadata``): a missing, empty or truncated file, a missing
    column, or a row count that disagrees with the summary (``days`` rows of ``daily``,
    ``incidents`` rows of ``incidents``, ``days`` x hot spots rows of ``hotspots``) fails.
    """
    import pyarrow.parquet as pq

    path = Path(path)
    try:
        summary = json.loads((path / "summary.json").read_text())
    except FileNotFoundError:
        raise CorruptRun(f"{path / 'summary.json'} is missing (unfinished)") from None
    except (OSError, ValueError) as exc:
        raise CorruptRun(f"{path / 'summary.json'} is unreadable ({exc})") from None
    if not isinstance(summary, dict) or not summary:
        raise CorruptRun(f"{path / 'summary.json'} is not a summary (a JSON object)")
    for key in SUMMARY_NUMBERS:
        v = summary.get(key)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v in (
                float("inf"), float("-inf")) or v < 0:
            raise CorruptRun(f"{path / 'summary.json'}: {key}={v!r} is not a number >= 0")
    rows = {}
    for name in TABLES:
        f = path / f"{name}.parquet"
        try:
            meta = pq.read_metadata(f)
        except FileNotFoundError:
            raise CorruptRun(f"{f} is missing") from None
        except Exception as exc:  # truncated, empty or not parquet at all
            raise CorruptRun(f"{f} is unreadable ({' '.join(str(exc).split())[:120]})") \
                from None
        names = set(meta.schema.names)
        lacking = [c for c in REQUIRED_COLUMNS.get(name, ()) if c not in names]
        if lacking:
            raise CorruptRun(f"{f} lacks the column(s) {', '.join(lacking)}")
        rows[name] = meta.num_rows
    days = summary.get("days")
    if isinstance(days, int) and not (rows["daily"] == days or (rows["daily"] == 0
                                                                 and days == 1)):
        raise CorruptRun(f"{path / 'daily.parquet'} has {rows['daily']} rows; the summary "
                         f"says {days} days")
    n_inc = summary.get("incidents")
    if isinstance(n_inc, int) and rows["incidents"] != n_inc:
        raise CorruptRun(f"{path / 'incidents.parquet'} has {rows['incidents']} rows; the "
                         f"summary says {n_inc} incidents")
    spots = summary.get("presence_fraction")
    if isinstance(days, int) and isinstance(spots, dict) and spots and \
            rows["hotspots"] != days * len(spots):
        raise CorruptRun(f"{path / 'hotspots.parquet'} has {rows['hotspots']} rows; expected "
                         f"{days} days x {len(spots)} hot spots")
    return summary


def is_finished(path) -> bool:
    """True if the folder holds a complete run: a readable summary and every table readable
    and consistent with it (see ``check_run``); anything else is redone by a re-run."""
    try:
        check_run(path)
    except CorruptRun:
        return False
    return True


def load_summary(path) -> dict:
    return json.loads((Path(path) / "summary.json").read_text())


def load(path) -> Run:
    """A saved run (raises ``CorruptRun`` naming the file if it is incomplete or corrupt)."""
    path = Path(path)
    summary = check_run(path)
    tables = {}
    for n in TABLES:
        try:
            tables[n] = pd.read_parquet(path / f"{n}.parquet")
        except Exception as exc:  # damaged inside (the footer was fine)
            raise CorruptRun(f"{path / f'{n}.parquet'} is unreadable "
                             f"({' '.join(str(exc).split())[:120]})") from None
    return Run(**tables, summary=summary)


def summarise(daily: pd.DataFrame, incidents: pd.DataFrame, hotspots: pd.DataFrame,
              decisions: pd.DataFrame, extra: dict) -> dict:
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
        "years": round(days / DAYS_PER_YEAR, 6),
        "incidents": int(rung.size),
        "severe_incidents": int((rung >= ladder.SEVERE).sum()),
        "incidents_per_month": round(rung.size / months, 4),
        "incidents_per_1000_vessel_days": round(1000 * n_contested / contested_days, 4)
        if contested_days else 0.0,
        "severe_incidents_per_month": round(float((rung >= ladder.SEVERE).sum()) / months, 4),
        # What a real record would report (ODD §7.19): blocking and above. Presence, shadowing
        # and radio challenges happen daily and go unreported.
        "reported_incidents_per_month": round(float((rung >= ladder.REPORTED).sum()) / months,
                                              4),
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
        "mean_roe_ceiling": round(float(daily["cn_roe_ceiling_mean"].mean()), 3),
        # The pathways' claimed costs and benefits, as outcomes (issue 14, ODD §7.20)
        "accidental_escalations_per_month": round(float(daily["past_ceiling"].sum()) / months,
                                                  4),
        "incidents_vs_japanese_hulls_per_month": round(
            float(incidents["target_japanese_built"].sum()) / months, 4)
        if len(incidents) else 0.0,
        "provocation_score": round(float(daily["cn_provocation"].mean()), 4),
        "ecs_diversions": int((decisions["what"] == "ecs_diversion").sum()),
        "armed_force_decisions": int((decisions["what"] == "armed_force").sum()),
        "ground_closed_days": int(daily["hotspots_closed"].sum()),
        "cbm_level_mean": round(float(daily["cbm_level"].mean()), 4),
        "cn_presence_hotspots": _presence(hotspots, "cn_coast_guard"),
        "vn_presence_hotspots": _presence(hotspots, "vn_government"),
    }


def _presence(hotspots: pd.DataFrame, group: str) -> float:
    """Mean over hot spots of the share of days with at least one of ``group`` there."""
    if not len(hotspots):
        return 0.0
    return round(float((hotspots[group] > 0).groupby(hotspots["hotspot"]).mean().mean()), 4)
