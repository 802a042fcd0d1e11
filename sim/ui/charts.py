"""The app's live charts: incidents by rung, presence at hot spots, Vietnamese fishing access
and China's posture, redrawn after every step.

Each ``*_png`` function draws one figure of a running model to PNG bytes with the figure kit,
reading the model's own tables as they grow: ``model.recorder.day_rows`` (one row per day)
and ``model.recorder.hs_counts`` (hot spots).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.patches import Patch

from sim.engine.ladder import CRISIS, RUNGS, SEVERE
from sim.plots import palette
from sim.plots.kit import figure, png_bytes
from sim.engine.sensing import HOTSPOT_GROUPS as GROUPS

DPI = 85  # natural size close to a tile's width, fewer pixels to draw
RUNG_COLS = [f"incidents_rung_{r}" for r in range(len(RUNGS))]
CHINA, VIETNAM, JAPAN = palette.flag("CHN"), palette.flag("VNM"), palette.flag("JPN")
#: Who is counted at the hot spots: (group in the recorder's counts, label, colour).
PRESENCE = [("cn_coast_guard", "China coast guard", palette.VESSELS[("CHN", "coast_guard")]),
            ("cn_militia", "China militia", palette.VESSELS[("CHN", "militia")]),
            ("vn_government", "Vietnam government", palette.VESSELS[("VNM", "coast_guard")])]


def daily_frame(model) -> pd.DataFrame:
    """The run's daily table so far (one row per finished day)."""
    return pd.DataFrame(model.recorder.day_rows)


def hotspots(model) -> list:
    return [f for f in model.sea.features if f.hotspot]


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


def _title(fig, text: str) -> None:
    fig.suptitle(text, fontsize=10.5, x=0.02, ha="left", y=0.98)


def incidents_png(model) -> bytes:
    """Incidents per day by rung band (7-day mean, stacked) and the run's totals so far."""
    d = daily_frame(model)
    fig = figure(figsize=(6.0, 3.6))
    ax = fig.add_axes((0.1, 0.12, 0.86, 0.62))
    handles = [Patch(color=c, label=palette.band_label(lo, hi))
               for lo, hi, c in palette.RUNG_BANDS]
    fig.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(0.08, 0.92),
               ncols=2, frameon=False, columnspacing=1.2, handlelength=1.2)
    if d.empty:
        _empty(ax)
    else:
        x = pd.to_datetime(d["date"])
        ys = [d[RUNG_COLS[lo:hi + 1]].sum(axis=1).rolling(7, min_periods=1).mean()
              for lo, hi, _ in palette.RUNG_BANDS]
        ax.stackplot(x, ys, colors=[c for *_, c in palette.RUNG_BANDS], alpha=0.9, step="post")
        _date_axis(ax, d)
        ax.set_ylabel("incidents per day", fontsize=8)
        ax.set_ylim(0, max(1.0, 1.05 * float(np.sum(ys, axis=0).max())))
        rung = d[RUNG_COLS].sum()
        fig.text(0.98, 0.955, f"so far: {int(rung.sum())} incidents, "
                 f"{int(rung.iloc[SEVERE:].sum())} severe (rung {SEVERE}+), "
                 f"{int(rung.iloc[CRISIS])} crises", fontsize=8, ha="right", va="top")
    _title(fig, "Incidents by rung (7-day mean)")
    return png_bytes(fig, DPI)


def presence_png(model) -> bytes:
    """Distinct vessels within 12 nm of each hot spot (mean of the last 7 days), and the
    share of days so far with a Chinese coast-guard cutter on station."""
    hs = hotspots(model)
    counts = model.recorder.hs_counts
    fig = figure(figsize=(6.0, 3.6))
    ax = fig.add_axes((0.3, 0.13, 0.55, 0.75))
    if not counts:
        _empty(ax)
    else:
        arr = np.array(counts)  # (days, hot spots, groups)
        last = arr[-7:].mean(axis=0)
        present = (arr[:, :, GROUPS.index("cn_coast_guard")] > 0).mean(axis=0)
        y = np.arange(len(hs))
        h = 0.8 / len(PRESENCE)
        for k, (group, label, colour) in enumerate(PRESENCE):
            ax.barh(y + (k - 1) * h, last[:, GROUPS.index(group)], height=h, color=colour,
                    label=label)
        ax.set_yticks(y, [x.name for x in hs], fontsize=7.5)
        ax.invert_yaxis()
        ax.tick_params(axis="x", labelsize=7.5)
        ax.set_xlabel("vessels within 12 nm per day (mean of last 7 days)", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
        ax.legend(fontsize=7, loc="lower right", framealpha=0.8)
        for k, frac in enumerate(present):
            ax.annotate(f"{frac:.0%}", (1.0, y[k]), xycoords=("axes fraction", "data"),
                        xytext=(6, 0), textcoords="offset points", va="center", fontsize=7.5,
                        color=CHINA)
        ax.annotate("CCG on\nstation,\n% of days", (1.0, 1.0), xycoords="axes fraction",
                    xytext=(6, 2), textcoords="offset points", va="bottom", fontsize=7,
                    color=CHINA)
    _title(fig, "Presence at hot spots")
    return png_bytes(fig, DPI)


def fishing_png(model) -> bytes:
    """Vietnamese fishing access: share of fishing effort in contested waters, by day."""
    d = daily_frame(model)
    fig = figure(figsize=(6.0, 3.6))
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
                            color=palette.tint(palette.MORATORIUM, 0.35),
                            label="China's summer moratorium")
        ax.plot(x, share, color=palette.tint(VIETNAM, 0.5), lw=0.8, label="daily")
        ax.plot(x, share.rolling(7, min_periods=1).mean(), color=VIETNAM, lw=2,
                label="7-day mean")
        ax.axhline(run, color="black", ls="--", lw=1, label=f"run so far: {run:.0f}%")
        ax.set_ylim(0, 100)
        ax.set_ylabel("% of fishing effort in\ncontested waters", fontsize=8)
        ax.legend(fontsize=7, loc="upper right", framealpha=0.85, ncol=2)
        _date_axis(ax, d)
    _title(fig, "Vietnamese fishing access to contested waters")
    return png_bytes(fig, DPI)


def posture_png(model) -> bytes:
    """China's rules-of-engagement ceiling over time and the incident code's level (as far as
    China accepts it and violations have not worn it down)."""
    d = daily_frame(model)
    fig = figure(figsize=(6.0, 2.6))
    ax = fig.add_axes((0.22, 0.14, 0.68, 0.7))
    if d.empty:
        _empty(ax)
    else:
        x = pd.to_datetime(d["date"])
        ax.step(x, d["cn_roe_ceiling"], where="post", color=CHINA, lw=2,
                label="China's ROE ceiling (left)")
        ax.set_ylim(-0.3, CRISIS + 0.3)
        ax.set_yticks(range(len(RUNGS)), [f"{r} {name.replace('_', ' ')}"
                                          for r, name in enumerate(RUNGS)], fontsize=6.5)
        _date_axis(ax, d)
        ax2 = ax.twinx()
        ax2.plot(x, d["cbm_level"], color=JAPAN, lw=1.5, label="hotline / code level (right)")
        ax2.set_ylim(-0.04, 1.04)
        ax2.tick_params(labelsize=7)
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax.legend(h1 + h2, l1 + l2, fontsize=7, loc="lower left", framealpha=0.8, ncol=2)
    _title(fig, "China's posture")
    return png_bytes(fig, DPI)
