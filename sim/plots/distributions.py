"""The escalation ladder's distribution and hot-spot presence, by scenario."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from sim.engine.ladder import RUNGS, SEVERE
from sim.plots.kit import add_caption, save, styled, subplots
from sim.plots.sweep import Sweep, fmt_cap, read_table, style
from sim.plots.stats import t_interval

N_RUNGS = len(RUNGS)
RUNG_COLS = [f"incidents_rung_{k}" for k in range(N_RUNGS)]


def rung_names(sw: Sweep, rows: pd.DataFrame, max_runs: int = 30) -> dict[int, str]:
    """Rung number -> name, read from the runs' incidents tables (the ladder's own names for
    rungs no run reached)."""
    names: dict[int, str] = {}
    for path in sw.run_paths(rows.head(max_runs)):
        inc = read_table(path, "incidents", ["rung", "rung_name"])
        if inc is not None and len(inc):
            for r, n in inc.drop_duplicates("rung").itertuples(index=False):
                names.setdefault(int(r), str(n))
        if len(names) == N_RUNGS:
            break
    return {k: names.get(k, RUNGS[k]).replace("_", " ") for k in range(N_RUNGS)}


def _rung_counts(sw: Sweep, rows: pd.DataFrame) -> dict[str, np.ndarray]:
    """Incidents per rung summed over the days and runs of each scenario (those with any)."""
    counts = {}
    for s in sw.scenarios:
        sub = rows[rows["scenario"] == s]
        total = np.zeros(N_RUNGS)
        for path in sw.run_paths(sub):
            daily = read_table(path, "daily", RUNG_COLS)
            if daily is not None:
                total += daily[RUNG_COLS].sum().to_numpy(float)
        if total.sum() > 0:
            counts[s] = total
    if not counts:
        raise ValueError("no daily.parquet with incidents_rung_* columns could be read")
    return counts


@styled
def ladder(sw: Sweep, out: Path, capacity: float | None) -> tuple[list[Path], pd.DataFrame]:
    rows = sw.at_capacity(capacity)
    counts = _rung_counts(sw, rows)
    names = rung_names(sw, rows)
    shares = pd.DataFrame({s: 100 * c / c.sum() for s, c in counts.items()},
                          index=pd.Index(range(N_RUNGS), name="rung"))
    fig, ax = subplots(figsize=(11, 5.6))
    k, width = len(counts), 0.8 / len(counts)
    for i, s in enumerate(counts):
        st = style(s, sw.scenarios)
        x = np.arange(N_RUNGS) + (i - (k - 1) / 2) * width
        y = shares[s].to_numpy()
        ax.bar(x, np.where(y > 0, y, np.nan), width, color=st["color"], label=st["label"])
        for xi, yi in zip(x, y):
            txt = "0" if yi == 0 else f"{yi:.2g}" if yi < 1 else f"{yi:.0f}"
            ax.text(xi, max(yi, 0.011), txt, ha="center", va="bottom", fontsize=6.5,
                    rotation=90 if k > 2 else 0)
    ax.set_yscale("log")
    ax.set_ylim(0.01, 300)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g} %"))
    ax.set_xticks(range(N_RUNGS), [f"{r}\n{names[r]}" for r in range(N_RUNGS)], fontsize=8.5)
    ax.axvline(SEVERE - 0.5, color="#999999", ls="--", lw=1)
    ax.text(SEVERE - 0.45, 150, f"severe (rung ≥ {SEVERE}) →", fontsize=8, color="#555555")
    ax.set_xlabel("rung of the escalation ladder")
    ax.set_ylabel("share of all incidents (log scale)")
    where = f"japan.capacity = {fmt_cap(capacity)}" if capacity is not None else "all runs"
    ax.set_title(f"The escalation ladder: share of incidents at each rung ({where})",
                 fontsize=12, fontweight="bold")
    ax.legend(loc="upper right")
    add_caption(fig, sw.caption("Incidents per rung summed over all days and seeds "
                                "(daily.parquet incidents_rung_*), as % of each scenario's "
                                "incidents. Numbers above bars: the share in %.",
                                runs=len(rows)))
    table = shares.T.round(4)
    table.columns = [f"rung_{r}_{names[r].replace(' ', '_')}_pct" for r in range(N_RUNGS)]
    table.index.name = "scenario"
    return save(fig, out, "ladder"), table


@styled
def presence(sw: Sweep, out: Path, capacity: float | None) -> list[Path]:
    rows = sw.at_capacity(capacity)
    cols = [c for c in rows.columns if c.startswith("presence_fraction.")]
    if not cols:
        raise ValueError("no presence_fraction.* columns in results.parquet")
    spots = [c.split(".", 1)[1] for c in cols]
    scen = [s for s in sw.scenarios if (rows["scenario"] == s).any()]
    fig, ax = subplots(figsize=(10, 2.2 + 0.22 * len(spots) * max(1, len(scen))))
    k, height = len(scen), 0.8 / max(1, len(scen))
    for i, s in enumerate(scen):
        sub = rows[rows["scenario"] == s]
        ci = np.clip([t_interval(100 * sub[c].to_numpy(float)) for c in cols], 0, 100)
        y = np.arange(len(cols)) + (i - (k - 1) / 2) * height
        st = style(s, sw.scenarios)
        err = np.nan_to_num(np.abs(ci[:, [0]].T - ci[:, 1:].T))
        ax.barh(y, ci[:, 0], height, xerr=err, color=st["color"], label=st["label"],
                error_kw=dict(lw=0.8, capsize=2, ecolor="#333333"))
    ax.set_yticks(range(len(spots)), [s.replace("_", " ") for s in spots])
    ax.invert_yaxis()
    ax.set_xlim(0, 105)
    ax.set_xlabel("days with ≥ 1 Chinese coast-guard vessel within 12 nm (% of days, mean "
                  "of runs)")
    where = f"japan.capacity = {fmt_cap(capacity)}" if capacity is not None else "all runs"
    ax.set_title(f"Chinese coast-guard presence at the hot spots ({where})", fontsize=12,
                 fontweight="bold")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    add_caption(fig, sw.caption("Bars: mean of presence_fraction over runs; whiskers: 95 % "
                                "t-interval of the mean across seeds (clipped to 0-100 %).",
                                runs=len(rows)))
    return save(fig, out, "presence")
