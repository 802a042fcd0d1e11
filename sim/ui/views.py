"""The browser app's pictures: the sea map and the live charts (shown by ``sim.app``).

Each ``*_png`` function draws one figure of a running model to PNG bytes with matplotlib's
object API (no pyplot, so no global figure state between sessions). Everything is read from
the model's own tables as they grow: ``model.fleet`` (where vessels are),
``model.recorder.chunks`` (incidents), ``model.recorder.day_rows`` (one row per day) and
``model.recorder.hs_counts`` (hot spots).
"""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib import dates as mdates, patheffects
from matplotlib.colors import to_rgb
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.engine.fleet import (CHN, COAST_GUARD, FISHING, MILITIA, RIG, SURVEY, VNM)
from sim.engine.ladder import RUNGS

DPI = 100  # the map: shown at about its natural size
CHART_DPI = 85  # charts: natural size close to their tile's width, fewer pixels to draw
MILITIA_COLOUR = "#8e5a2b"
WATER, LAND = "#eaf2f8", "#d9cfb5"
CN, VN, JP = "#c0392b", "#1f5fa8", "#117a65"
#: Rung bands, shared by the map and the charts (light to dark as the ladder climbs).
BANDS = [((0, 1), "0-1 presence, shadowing", "#f4d03f"),
         ((2, 3), "2-3 radio challenge, blocking", "#e67e22"),
         ((4, 5), "4-5 water cannon, ramming", "#8e44ad"),
         ((6, 7), "6-7 boarding, use of weapons", "#17202a")]
#: Vessels on the map: (label, flag, kinds, Japanese-built?, colour, marker, size).
VESSELS = [
    ("China coast guard", CHN, (COAST_GUARD,), None, CN, "^", 34),
    ("China maritime militia", CHN, (MILITIA,), None, MILITIA_COLOUR, "s", 9),
    ("Chinese fishing boat", CHN, (FISHING,), None, "#f1948a", ".", 14),
    ("Chinese rig / survey ship", CHN, (RIG, SURVEY), None, "black", "*", 170),
    ("Vietnam coast guard / KN", VNM, (COAST_GUARD,), False, VN, "^", 34),
    ("Japanese-built VN patrol", VNM, (COAST_GUARD,), True, JP, "D", 40),
    ("Vietnamese fishing boat", VNM, (FISHING,), None, "#5dade2", ".", 14),
    ("Vietnamese rig", VNM, (RIG,), None, VN, "*", 170),
]
RECENT_DAYS = 7  # incidents drawn on the map


# --------------------------------------------------------------------------- helpers
def _png(fig: Figure, dpi: int = CHART_DPI) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def daily_frame(model) -> pd.DataFrame:
    """The run's daily table so far (one row per finished day)."""
    return pd.DataFrame(model.recorder.day_rows)


def recent_incidents(model, days: int = RECENT_DAYS) -> tuple[np.ndarray, np.ndarray]:
    """Cells and rungs of the incidents of the last ``days`` days."""
    since = model.step_count - days * model.steps_per_day
    cells, rungs = [], []
    for ch in reversed(model.recorder.chunks):
        if ch["step"][0] < since:
            break
        cells.append(ch["cell"])
        rungs.append(ch["rung"])
    if not cells:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(cells), np.concatenate(rungs)


def hotspots(model) -> list:
    return [f for f in model.sea.features if f.hotspot]


@lru_cache(maxsize=4)
def _background(sea) -> np.ndarray:
    """RGB image of the sea: water, land; Vietnam's EEZ and the claim area as faint tints."""
    img = np.empty(sea.shape + (3,))
    img[:] = to_rgb(WATER)
    img[sea.claim_area & ~sea.land] = 0.93 * np.array(to_rgb(WATER)) + 0.07 * np.array(to_rgb(CN))
    img[sea.land & (sea.feature_cell < 0)] = to_rgb(LAND)
    return img


def _extent(sea):
    h = sea.resolution / 2
    return (sea.lon[0] - h, sea.lon[-1] + h, sea.lat[0] - h, sea.lat[-1] + h)


# --------------------------------------------------------------------------- figures
MAP_SIZE, MAP_RECT = (5.8, 6.9), (0.08, 0.3, 0.9, 0.65)  # inches; axes in figure fractions


def _map_axes(fig: Figure, sea):
    ax = fig.add_axes(MAP_RECT)
    ax.set_xlim(_extent(sea)[:2])
    ax.set_ylim(_extent(sea)[2:])
    ax.set_aspect(1 / np.cos(np.radians(sea.lat.mean())))
    return ax


@lru_cache(maxsize=4)
def _static_map(sea) -> np.ndarray:
    """What does not change in a run (sea, claim line, hot spots, axes) as pixels, drawn once
    per sea: each step then draws only vessels and incidents on top of it."""
    fig = Figure(figsize=MAP_SIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = _map_axes(fig, sea)
    ax.imshow(_background(sea), origin="lower", extent=_extent(sea), interpolation="nearest")
    ax.contour(sea.lon, sea.lat, sea.claim_area.astype(float), levels=[0.5], colors=[CN],
               linewidths=0.7, linestyles="--", alpha=0.6)
    _hotspot_marks(ax, sea)
    ax.set_xlim(_extent(sea)[:2])
    ax.set_ylim(_extent(sea)[2:])
    ax.tick_params(labelsize=7)
    ax.text(0.01, 0.01, "- - approx. nine-dash-line claim", color=CN, fontsize=7,
            transform=ax.transAxes)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def map_png(model) -> bytes:
    """The sea now: vessels at sea by type and flag, last week's incidents by rung."""
    sea, f, lay = model.sea, model.fleet, model.layers
    fig = Figure(figsize=MAP_SIZE, dpi=DPI)
    fig.figimage(_static_map(sea), 0, 0, origin="upper", zorder=-1)
    ax = _map_axes(fig, sea)
    ax.axis("off")
    n = f.n
    at_sea = f.at_sea
    flag, kind, jp = f.flag[:n], f.kind[:n], f.japanese[:n]
    handles = []
    for label, fl, kinds, japanese, colour, marker, size in VESSELS:
        sel = at_sea & (flag == fl) & np.isin(kind, kinds)
        if japanese is not None:
            sel &= jp == japanese
        cells = f.cell[:n][sel]
        ax.scatter(lay.lon[cells], lay.lat[cells], s=size, c=colour, marker=marker,
                   linewidths=0.3, edgecolors="white" if size > 20 else "none",
                   zorder=6 if marker == "*" else 3)
        handles.append(Line2D([], [], ls="", marker=marker, color=colour,
                              markersize=np.sqrt(size) * (1.4 if marker == "." else 0.9),
                              label=f"{label} ({int(sel.sum())})"))
    cells, rungs = recent_incidents(model)
    for (lo, hi), label, colour in BANDS:
        sel = (rungs >= lo) & (rungs <= hi)
        ax.scatter(lay.lon[cells[sel]], lay.lat[cells[sel]], s=30 + 14 * lo, facecolors="none",
                   edgecolors=colour, linewidths=1.6, zorder=4)
        handles.append(Line2D([], [], ls="", marker="o", markerfacecolor="none",
                              markeredgecolor=colour, markeredgewidth=1.6, markersize=8,
                              label=f"rung {label} ({int(sel.sum())})"))
    _hotspot_names(ax, sea)
    ax.set_title(f"{model.date:%d %b %Y} (day {model.day})", fontsize=11, loc="left")
    leg = fig.add_axes((0.02, 0.0, 0.96, 0.25))
    leg.axis("off")
    kw = dict(fontsize=7.5, title_fontsize=8.5, frameon=False, borderaxespad=0, ncols=2,
              alignment="left", columnspacing=1.0, handletextpad=0.3)
    leg.legend(handles=handles[: len(VESSELS)], title="At sea now", loc="upper left", **kw)
    leg.add_artist(leg.get_legend())
    leg.legend(handles=handles[len(VESSELS):], title=f"Incidents, last {RECENT_DAYS} days "
               "(ring size grows with the rung)", loc="lower left", **kw)
    return _png(fig, DPI)


@lru_cache(maxsize=4)
def _labels(sea) -> list[tuple[str, float, float, float, float]]:
    """Hot-spot names and where to write them: (name, lon, lat, x, y). Names of nearby spots
    are pushed apart vertically (a thin line joins each to its spot)."""
    gap = 0.032 * (sea.lat[-1] - sea.lat[0])  # one label's height in degrees
    out: list[tuple[str, float, float, float, float]] = []
    for h in sorted((f for f in sea.features if f.hotspot), key=lambda f: f.lat):
        x, y = h.lon + 0.04 * (sea.lon[-1] - sea.lon[0]), h.lat
        for *_, px, py in out:
            if abs(px - x) < 6.0 * gap and y < py + gap:
                y = py + gap
        out.append((h.name, h.lon, h.lat, x, y))
    return out


def _hotspot_marks(ax, sea) -> None:
    """Crosses and leader lines (in the static picture, under the vessels)."""
    for _, lon, lat, x, y in _labels(sea):
        ax.plot([lon, x - 0.15], [lat, y], color="#555", lw=0.4, zorder=5)
        ax.plot(lon, lat, "+", color="black", ms=6, mew=1.0, zorder=5)


def _hotspot_names(ax, sea) -> None:
    """The names, drawn over the vessels each time so that markers never hide them."""
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for name, _, _, x, y in _labels(sea):
        ax.text(x, y, name, fontsize=6.8, va="center", zorder=7, path_effects=halo)


def _date_axis(ax, d: pd.DataFrame) -> None:
    ax.tick_params(labelsize=7.5)
    ax.grid(alpha=0.3)
    loc = mdates.AutoDateLocator(maxticks=7)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))
    ax.xaxis.get_offset_text().set_fontsize(7.5)
    if len(d) and "date" in d:
        ax.set_xlim(pd.Timestamp(d["date"].iloc[0]), pd.Timestamp(d["date"].iloc[-1])
                    + pd.Timedelta(days=max(7, len(d) // 10)))


def _empty(ax, text="Press Step or ▶ to run the first day") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="grey")
    ax.set_xticks([])
    ax.set_yticks([])


def incidents_png(model) -> bytes:
    """Incidents per day by rung band (7-day mean, stacked) and the run's totals so far."""
    d = daily_frame(model)
    fig = Figure(figsize=(6.0, 3.6))
    ax = fig.add_axes((0.1, 0.12, 0.86, 0.62))
    handles = [Patch(color=c, label=lb) for _, lb, c in BANDS]
    fig.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(0.08, 0.92),
               ncols=2, frameon=False, columnspacing=1.2, handlelength=1.2)
    if d.empty:
        _empty(ax)
    else:
        x = pd.to_datetime(d["date"])
        ys = [d[[f"incidents_rung_{r}" for r in range(lo, hi + 1)]].sum(axis=1)
              .rolling(7, min_periods=1).mean() for (lo, hi), _, _ in BANDS]
        ax.stackplot(x, ys, colors=[c for _, _, c in BANDS], alpha=0.9, step="post")
        _date_axis(ax, d)
        ax.set_ylabel("incidents per day", fontsize=8)
        ax.set_ylim(0, max(1.0, 1.05 * float(np.sum(ys, axis=0).max())))
        rung = d[[f"incidents_rung_{r}" for r in range(8)]].sum()
        fig.text(0.98, 0.955, f"so far: {int(rung.sum())} incidents, {int(rung[4:].sum())} "
                 f"severe (rung 4+), {int(rung.iloc[7])} crises", fontsize=8, ha="right",
                 va="top")
    fig.suptitle("Incidents by rung (7-day mean)", fontsize=10.5, x=0.02, ha="left", y=0.98)
    return _png(fig)


def presence_png(model) -> bytes:
    """Distinct vessels within 12 nm of each hot spot (mean of the last 7 days), and the
    share of days so far with a Chinese coast-guard cutter on station."""
    hs = hotspots(model)
    counts = model.recorder.hs_counts
    fig = Figure(figsize=(6.0, 3.6))
    ax = fig.add_axes((0.3, 0.13, 0.55, 0.75))
    if not counts:
        _empty(ax)
    else:
        arr = np.array(counts)  # (days, hot spots, groups)
        last = arr[-7:].mean(axis=0)
        present = (arr[:, :, 0] > 0).mean(axis=0)
        y = np.arange(len(hs))
        groups = [(0, "China coast guard", CN), (1, "China militia", MILITIA_COLOUR),
                  (2, "Vietnam government", VN)]
        h = 0.8 / len(groups)
        for k, (g, label, colour) in enumerate(groups):
            ax.barh(y + (k - 1) * h, last[:, g], height=h, color=colour, label=label)
        ax.set_yticks(y, [x.name for x in hs], fontsize=7.5)
        ax.invert_yaxis()
        ax.tick_params(axis="x", labelsize=7.5)
        ax.set_xlabel("vessels within 12 nm per day (mean of last 7 days)", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
        ax.legend(fontsize=7, loc="lower right", framealpha=0.8)
        for k, frac in enumerate(present):
            ax.annotate(f"{frac:.0%}", (1.0, y[k]), xycoords=("axes fraction", "data"),
                        xytext=(6, 0), textcoords="offset points", va="center", fontsize=7.5,
                        color=CN)
        ax.annotate("CCG on\nstation,\n% of days", (1.0, 1.0), xycoords="axes fraction",
                    xytext=(6, 2), textcoords="offset points", va="bottom", fontsize=7,
                    color=CN)
    fig.suptitle("Presence at hot spots", fontsize=10.5, x=0.02, ha="left", y=0.98)
    return _png(fig)


def fishing_png(model) -> bytes:
    """Vietnamese fishing access: share of fishing effort in contested waters, by day."""
    d = daily_frame(model)
    fig = Figure(figsize=(6.0, 3.6))
    ax = fig.add_axes((0.13, 0.14, 0.83, 0.72))
    if d.empty:
        _empty(ax)
    else:
        x = pd.to_datetime(d["date"])
        share = 100 * d["vn_fishing_effort_contested"] / d["vn_fishing_effort_total"].where(
            d["vn_fishing_effort_total"] > 0)
        run = 100 * d["vn_fishing_effort_contested"].sum() / max(
            1e-9, d["vn_fishing_effort_total"].sum())
        if "moratorium" in d and d["moratorium"].any():
            ax.fill_between(x, 0, 100, where=d["moratorium"].astype(bool), step="post",
                            color="#f9e79f", alpha=0.5, label="China's summer moratorium")
        ax.plot(x, share, color="#85c1e9", lw=0.8, label="daily")
        ax.plot(x, share.rolling(7, min_periods=1).mean(), color=VN, lw=2, label="7-day mean")
        ax.axhline(run, color="black", ls="--", lw=1, label=f"run so far: {run:.0f}%")
        ax.set_ylim(0, 100)
        ax.set_ylabel("% of fishing effort in\ncontested waters", fontsize=8)
        ax.legend(fontsize=7, loc="upper right", framealpha=0.85, ncol=2)
        _date_axis(ax, d)
    fig.suptitle("Vietnamese fishing access to contested waters", fontsize=10.5, x=0.02,
                 ha="left", y=0.98)
    return _png(fig)


def posture_png(model) -> bytes:
    """China's rules-of-engagement ceiling over time and the incident code's strength."""
    d = daily_frame(model)
    fig = Figure(figsize=(6.0, 2.6))
    ax = fig.add_axes((0.22, 0.14, 0.68, 0.7))
    if d.empty:
        _empty(ax)
    else:
        x = pd.to_datetime(d["date"])
        ax.step(x, d["cn_roe_ceiling"], where="post", color=CN, lw=2,
                label="China's ROE ceiling (left)")
        ax.set_ylim(-0.3, 7.3)
        ax.set_yticks(range(8), [f"{r} {RUNGS[r].replace('_', ' ')}" for r in range(8)],
                      fontsize=6.5)
        _date_axis(ax, d)
        ax2 = ax.twinx()
        ax2.plot(x, d["cbm_level"], color=JP, lw=1.5, label="hotline / code (right)")
        ax2.set_ylim(-0.04, 1.04)
        ax2.tick_params(labelsize=7)
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax.legend(h1 + h2, l1 + l2, fontsize=7, loc="lower left", framealpha=0.8, ncol=2)
    fig.suptitle("China's posture", fontsize=10.5, x=0.02, ha="left", y=0.98)
    return _png(fig)
