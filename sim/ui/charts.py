"""The app's live charts, drawn in the browser: incidents by rung, Vietnamese fishing access,
presence at hot spots and China's posture.

Each chart is a Vega-Lite spec, fixed for a run (``*_spec``), and its data, read from the
model's own tables as they grow (``*_data``: ``model.recorder.day_rows``, one row per day, and
``model.recorder.hs_counts``, the hot spots): the server sends columns after each step, the
browser draws (``sim.ui.vega``). What the old matplotlib charts wrote inside the picture and
changes from day to day (totals, the run's share) is in ``*_note``, shown above the chart.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.colors import to_hex

from sim.engine.ladder import CRISIS, RUNGS, SEVERE
from sim.engine.sensing import HOTSPOT_GROUPS as GROUPS
from sim.plots import palette

WIDTH = 390  # px of a chart's plot area (a tile is half the page)
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # a name; nothing is fetched
RUNG_COLS = [f"incidents_rung_{r}" for r in range(len(RUNGS))]
CHINA, VIETNAM, JAPAN = palette.flag("CHN"), palette.flag("VNM"), palette.flag("JPN")
VIETNAM_LIGHT = to_hex(palette.tint(VIETNAM, 0.5))  # Vega wants CSS colours
BANDS = [(lo, hi, palette.band_label(lo, hi), colour) for lo, hi, colour in palette.RUNG_BANDS]
#: Who is counted at the hot spots: (group in the recorder's counts, label, colour).
PRESENCE = [("cn_coast_guard", "China coast guard", palette.VESSELS[("CHN", "coast_guard")]),
            ("cn_militia", "China militia", palette.VESSELS[("CHN", "militia")]),
            ("vn_government", "Vietnam government", palette.VESSELS[("VNM", "coast_guard")])]
FIRST_DAY = "Press Step or ▶ to run the first day"


def _column(model, key: str) -> np.ndarray:
    return np.array([row[key] for row in model.recorder.day_rows], dtype=float)


def _dates(model) -> list[str]:
    return [row["date"].isoformat() for row in model.recorder.day_rows]


def _mean7(x: np.ndarray) -> np.ndarray:
    """Trailing 7-day mean (fewer days at the start), as pandas' rolling(7, min_periods=1)."""
    c = np.cumsum(np.concatenate([[0.0], x]))
    k = np.arange(1, len(x) + 1)
    lo = np.maximum(0, k - 7)
    return (c[k] - c[lo]) / (k - lo)


def _round(x: np.ndarray, nd: int = 3) -> list[float | None]:
    return [None if not np.isfinite(v) else round(float(v), nd) for v in x]


def _x(title=None) -> dict:
    return {"field": "date", "type": "temporal", "title": title,
            "axis": {"format": "%d %b", "labelFontSize": 9, "tickCount": 6}}


def _base(height: int) -> dict:
    # explicit padding: the labels of the axes are not always counted in the canvas's size
    return {"$schema": SCHEMA, "width": WIDTH, "height": height, "background": "white",
            "autosize": {"type": "pad"}, "padding": {"left": 8, "top": 4, "right": 12,
                                                      "bottom": 18},
            "config": {"view": {"stroke": "#ccc"}, "axis": {"labelFontSize": 9,
                                                             "titleFontSize": 10}}}


# --------------------------------------------------------------------------- incidents
@lru_cache(maxsize=1)
def incidents_spec() -> dict:
    """Incidents per day by rung band (7-day mean), stacked."""
    return dict(_base(180), data={"name": "incidents"},
                mark={"type": "area", "interpolate": "step-after", "opacity": 0.9},
                encoding={"x": _x(),
                          "y": {"field": "value", "type": "quantitative", "stack": "zero",
                                "title": "incidents per day"},
                          "color": {"field": "band", "type": "nominal", "title": None,
                                    "scale": {"domain": [b[2] for b in BANDS],
                                              "range": [b[3] for b in BANDS]},
                                    "legend": {"orient": "top", "columns": 2,
                                               "labelFontSize": 9}},
                          "order": {"field": "order", "type": "quantitative"}})


def incidents_data(model) -> dict:
    dates = _dates(model)
    cols = {"date": [], "band": [], "order": [], "value": []}
    for k, (lo, hi, label, _) in enumerate(BANDS):
        y = sum((_column(model, c) for c in RUNG_COLS[lo:hi + 1]), np.zeros(len(dates)))
        cols["date"] += dates
        cols["band"] += [label] * len(dates)
        cols["order"] += [k] * len(dates)
        cols["value"] += _round(_mean7(y), 2)
    return {"incidents": cols}


def incidents_note(model) -> str:
    if not model.recorder.day_rows:
        return FIRST_DAY
    rung = np.sum([[row[c] for c in RUNG_COLS] for row in model.recorder.day_rows], axis=0)
    return (f"so far: {int(rung.sum())} incidents, {int(rung[SEVERE:].sum())} severe "
            f"(rung {SEVERE}+), {int(rung[CRISIS])} crises")


# --------------------------------------------------------------------------- fishing
@lru_cache(maxsize=1)
def fishing_spec() -> dict:
    """Share of Vietnamese fishing effort in contested waters: daily, 7-day mean, the run so
    far, and China's summer moratorium shaded."""
    y = {"type": "quantitative", "scale": {"domain": [0, 100]},
         "title": "% of fishing effort in contested waters"}
    return dict(_base(180), layer=[
        {"data": {"name": "moratorium"}, "mark": {"type": "rect", "opacity": 0.35,
                                                   "color": palette.MORATORIUM},
         "encoding": {"x": _x(), "x2": {"field": "end"}}},
        {"data": {"name": "fishing"}, "mark": {"type": "line", "strokeWidth": 0.8,
                                                "color": VIETNAM_LIGHT},
         "encoding": {"x": _x(), "y": dict(y, field="daily")}},
        {"data": {"name": "fishing"}, "mark": {"type": "line", "strokeWidth": 2,
                                                "color": VIETNAM},
         "encoding": {"x": _x(), "y": dict(y, field="mean7")}},
        {"data": {"name": "run"}, "mark": {"type": "rule", "strokeDash": [5, 3],
                                            "color": "black"},
         "encoding": {"y": dict(y, field="share")}},
    ])


def fishing_data(model) -> dict:
    dates = _dates(model)
    contested = _column(model, "vn_fishing_effort_contested")
    total = _column(model, "vn_fishing_effort_total")
    with np.errstate(invalid="ignore", divide="ignore"):
        daily = np.where(total > 0, 100 * contested / total, np.nan)
    mean7 = _mean7(np.nan_to_num(daily))
    moratorium = [bool(row.get("moratorium")) for row in model.recorder.day_rows]
    spans, start = [], None
    for d, on in zip(dates + [None], moratorium + [False]):
        if on and start is None:
            start = d
        elif not on and start is not None:
            spans.append((start, d or dates[-1]))
            start = None
    run = [round(100 * contested.sum() / max(1e-9, total.sum()), 2)] if dates else []
    return {"fishing": {"date": dates, "daily": _round(daily, 2), "mean7": _round(mean7, 2)},
            "moratorium": {"date": [a for a, _ in spans], "end": [b for _, b in spans]},
            "run": {"share": run}}


def fishing_note(model) -> str:
    if not model.recorder.day_rows:
        return FIRST_DAY
    share = fishing_data(model)["run"]["share"][0]
    return f"run so far: {share:.0f}% of effort in contested waters"


# --------------------------------------------------------------------------- presence
@lru_cache(maxsize=4)
def presence_spec(hotspots: tuple[str, ...]) -> dict:
    """Distinct vessels within 12 nm of each hot spot (mean of the last 7 days), beside the
    share of days so far with a Chinese coast-guard cutter on station."""
    y = {"field": "hotspot", "type": "nominal", "sort": list(hotspots), "title": None,
         "axis": {"labelLimit": 170, "labelFontSize": 9}}
    width = WIDTH - 170  # the hot spots' names take the rest
    bars = {"data": {"name": "presence"}, "mark": "bar",
            "encoding": {"y": y, "yOffset": {"field": "group", "sort": [g[1] for g in PRESENCE]},
                         "x": {"field": "value", "type": "quantitative",
                               "title": "vessels within 12 nm per day (mean of last 7 days)"},
                         "color": {"field": "group", "type": "nominal", "title": None,
                                   "scale": {"domain": [g[1] for g in PRESENCE],
                                             "range": [g[2] for g in PRESENCE]},
                                   "legend": {"orient": "bottom", "labelFontSize": 9}}}}
    station = {"data": {"name": "station"},  # right of the plot, at a fixed pixel position
               "mark": {"type": "text", "color": CHINA, "fontSize": 10, "align": "left"},
               "encoding": {"y": y, "x": {"value": width + 6}, "text": {"field": "label"}}}
    return dict(_base(22 * len(hotspots)), width=width, layer=[bars, station],
                padding={"left": 165, "top": 4, "right": 40, "bottom": 18})


def presence_data(model) -> dict:
    names = [f.name for f in model.sea.features if f.hotspot]
    counts = model.recorder.hs_counts
    cols = {"hotspot": [], "group": [], "value": []}
    station = {"hotspot": [], "label": []}
    if counts:
        arr = np.array(counts)  # (days, hot spots, groups)
        last = arr[-7:].mean(axis=0)
        present = (arr[:, :, GROUPS.index("cn_coast_guard")] > 0).mean(axis=0)
        for h, name in enumerate(names):
            for group, label, _ in PRESENCE:
                cols["hotspot"].append(name)
                cols["group"].append(label)
                cols["value"].append(round(float(last[h, GROUPS.index(group)]), 2))
            station["hotspot"].append(name)
            station["label"].append(f"{present[h]:.0%}")
    return {"presence": cols, "station": station}


def presence_note(model) -> str:
    return FIRST_DAY if not model.recorder.hs_counts else \
        "right: share of days so far with a China coast guard cutter on station"


# --------------------------------------------------------------------------- posture
@lru_cache(maxsize=1)
def posture_spec() -> dict:
    """China's rules-of-engagement ceiling over time (left) and the incident code's level, as
    far as China accepts it and violations have not worn it down (right)."""
    names = [f"{r} {name.replace('_', ' ')}" for r, name in enumerate(RUNGS)]
    return dict(_base(150), data={"name": "posture"}, resolve={"scale": {"y": "independent"}},
                layer=[
                    {"mark": {"type": "line", "interpolate": "step-after", "color": CHINA,
                              "strokeWidth": 2},
                     "encoding": {"x": _x(), "y": {
                         "field": "ceiling", "type": "quantitative", "title": None,
                         "scale": {"domain": [0, CRISIS]},
                         "axis": {"values": list(range(len(RUNGS))), "labelFontSize": 8,
                                  "labelExpr": f"{names}[datum.value]"}}}},
                    {"mark": {"type": "line", "color": JAPAN, "strokeWidth": 1.5},
                     "encoding": {"x": _x(), "y": {
                         "field": "cbm", "type": "quantitative", "title": None,
                         "scale": {"domain": [0, 1]}, "axis": {"orient": "right"}}}}])


def posture_data(model) -> dict:
    return {"posture": {"date": _dates(model),
                        "ceiling": [int(row["cn_roe_ceiling"]) for row in model.recorder.day_rows],
                        "cbm": _round(_column(model, "cbm_level"), 3)}}


def posture_note(model) -> str:
    return FIRST_DAY if not model.recorder.day_rows else ""
