"""The scenarios compared in pairs, seed by seed: each pathway against the baseline and the
pathways against each other (``sim.params.scenarios.comparisons``), at each capacity, on every
outcome the pathways claim to move. Tables (``pairs_table``) and figures.

Two runs of a sweep with the same seed and capacity share their weather and differ only
through policy (common random numbers), so they are compared as pairs: the difference a − b
per seed, its mean with a paired percentile bootstrap 95 % CI, and the Wilcoxon signed-rank
test of the differences.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from sim.engine.ladder import CRISIS, REPORTED, RUNGS, SEVERE
from sim.params.scenarios import (BASELINE, ENHANCED_COOPERATION, PATHWAYS, label, short)
from sim.plots.kit import add_caption, save, styled, subplots
from sim.plots.stats import paired
from sim.plots.sweep import CAPACITY_LABEL, Sweep, fmt_cap, style

#: The outcomes compared (results.parquet column, what it is), in the report's order. Each is
#: compared only if its column is in the sweep's results.
OUTCOMES = {
    "reported_incidents_per_month": f"reported incidents per month (rung ≥ {REPORTED}, "
                                    f"{RUNGS[REPORTED].replace('_', ' ')} and above)",
    "incidents_per_month": "incidents per month (every rung)",
    "severe_incidents_per_month": f"severe incidents per month (rung ≥ {SEVERE})",
    "detection_rate": "share of incursions detected",
    "response_hours": "response time (median hours, detection to VN ship on scene)",
    "standoffs": "stand-offs",
    "standoff_days": "stand-off duration (mean days)",
    "standoffs_china_held": "stand-offs China held",
    "ground_closed_days": "days a ground was closed to VN fishing",
    "vn_fishing_access": "VN fishing access (share of effort in contested waters)",
    "vn_presence_hotspots": "Vietnamese presence at hot spots",
    "cn_presence_hotspots": "Chinese presence at hot spots",
    "provocation_score": "provocation (China's reading of Japan's programme)",
    "incidents_vs_japanese_hulls_per_month": "incidents against Japanese-built hulls per month",
    "ecs_diversions": "East China Sea diversions of Japan's support",
    "accidental_escalations_per_month": "accidental escalations per month",
    "de_escalations": "de-escalations",
    "crises": f"crises (rung {CRISIS})",
}
#: The ec_minus_ss figure's outcomes: the incident counts.
INCIDENTS = ("reported_incidents_per_month", "incidents_per_month", "severe_incidents_per_month")
COLUMNS = ["outcome", "capacity", "scenario_a", "scenario_b", "n_pairs", "mean_a", "mean_b",
           "mean_diff", "ci_lo", "ci_hi", "wilcoxon_p", "rank_biserial"]
#: Colours of the pathway-against-pathway differences (neither pathway's own colour).
BETWEEN = ("#7a5195", "#ef5675", "#ffa600", "#003f5c", "#a05195", "#665191")
MARKERS = ("o", "s", "D", "^", "v", "P")
ALPHA = 0.05  # a filled marker: Wilcoxon p below this


def outcomes_present(sw: Sweep) -> list[str]:
    """The outcomes the sweep has as numeric columns; the others are listed in sw.notes."""
    r = sw.results
    have = [c for c in OUTCOMES if c in r and pd.api.types.is_numeric_dtype(r[c])
            and not pd.api.types.is_bool_dtype(r[c])]
    absent = [c for c in OUTCOMES if c not in have]
    if absent:
        sw.notes.append("pairs: outcome(s) not in results.parquet (or not numeric), not "
                        f"compared: {', '.join(absent)}")
    return have


def pairs_table(sw: Sweep, comparisons: list[tuple[str, str]], outcomes: list[str]
                ) -> pd.DataFrame:
    """One row per outcome x capacity x comparison (a, b): the runs of a and b with the same
    seed at that capacity, paired; only pairs where both values are finite count
    (``n_pairs``). Raises ValueError when runs cannot be paired by seed."""
    r = sw.results
    if "seed" not in r:
        raise ValueError("results.parquet has no seed column: runs cannot be paired by seed")
    keys = ["scenario", sw.capacity_col, "seed"]
    dup = r[r.duplicated(keys, keep=False)]
    if len(dup):
        x = dup.iloc[0]
        raise ValueError(f"{int(len(dup))} runs share a scenario, capacity and seed (e.g. "
                         f"{x['scenario']}, capacity {x[sw.capacity_col]}, seed {x['seed']}: "
                         "another swept parameter?), so they cannot be paired by seed")
    rows = []
    for out in outcomes:
        for cap in sw.capacities:
            at = sw.at_capacity(cap)
            cells = {s: g.set_index("seed")[out] for s, g in at.groupby("scenario")}
            for a, b in comparisons:
                if a not in cells or b not in cells:
                    continue
                common = cells[a].index.intersection(cells[b].index).sort_values()
                if common.empty:
                    continue
                rows.append({"outcome": out, "capacity": cap, "scenario_a": a, "scenario_b": b,
                             **paired(cells[a].loc[common].to_numpy(float),
                                      cells[b].loc[common].to_numpy(float))})
    return pd.DataFrame(rows, columns=COLUMNS)


def _num(v: float, signed: bool = False) -> str:
    if not np.isfinite(v):
        return "n/a"
    return f"{v:+.3g}" if signed else f"{v:.3g}"


def _p(x) -> str:
    if not np.isfinite(x.wilcoxon_p):
        return "n/a"
    if x.n_pairs and x.wilcoxon_p == 1.0 and x.rank_biserial == 0 and x.mean_diff == 0:
        return "1 (no difference)"
    return f"{x.wilcoxon_p:.3g}"


def _ci(x) -> str:
    return "n/a" if not np.isfinite(x.ci_lo) else f"[{x.ci_lo:+.3g}, {x.ci_hi:+.3g}]"


def difference_name(a: str, b: str) -> str:
    """ "EC − SS", "EC − (EC+SS)", "(EC+SS) − B"."""
    sa, sb = (short(s) for s in (a, b))
    return " − ".join(f"({x})" if "+" in x else x for x in (sa, sb))


NOTE = ("a − b: the mean over seeds of (a's run − b's run with the same seed and capacity); "
        "below zero: less of the outcome under a. n: pairs where both values are finite (a "
        "run with no response has no response time). 95 % CI: percentile bootstrap of the "
        "mean difference (5,000 resamples of the pairs, fixed random seed). p: two-sided "
        "Wilcoxon signed-rank test of the paired differences (zero differences dropped; all "
        "zero: p = 1, no difference). r: matched-pairs rank-biserial correlation, +1 when "
        "a > b in every pair with a difference, −1 when a < b in every one.")


def to_markdown(t: pd.DataFrame) -> str:
    """The whole table: one section per comparison, a row per outcome and capacity."""
    parts = []
    for (a, b), sub in t.groupby(["scenario_a", "scenario_b"], sort=False):
        parts.append(f"## {label(a)} − {label(b)} ({difference_name(a, b)})\n\n"
                     f"| outcome | capacity | n | {short(a)} | {short(b)} | "
                     f"{difference_name(a, b)} | 95 % CI | p (Wilcoxon) | r |\n"
                     "|---|---:|---:|---:|---:|---:|---|---|---:|")
        for x in sub.itertuples():
            parts.append(f"| {x.outcome} | {fmt_cap(x.capacity)} | {x.n_pairs} | "
                         f"{_num(x.mean_a)} | {_num(x.mean_b)} | {_num(x.mean_diff, True)} | "
                         f"{_ci(x)} | {_p(x)} | {_num(x.rank_biserial, True)} |")
        parts.append("")
    return "\n".join(parts) + "\n" + NOTE + "\n"


def summary_markdown(t: pd.DataFrame, cap: float) -> str:
    """The report index's table: at one capacity, an outcome a row, a comparison a column."""
    at = t[np.isclose(t["capacity"], cap)]
    pairs = list(dict.fromkeys(zip(at["scenario_a"], at["scenario_b"])))
    n_full = int(at["n_pairs"].max()) if len(at) else 0
    lines = ["| outcome | " + " | ".join(difference_name(a, b) for a, b in pairs) + " |",
             "|---|" + "---|" * len(pairs)]
    for out, sub in at.groupby("outcome", sort=False):
        cells = {(x.scenario_a, x.scenario_b): x for x in sub.itertuples()}
        row = []
        for ab in pairs:
            x = cells.get(ab)
            if x is None:
                row.append("")
                continue
            n = f", n={x.n_pairs}" if x.n_pairs < n_full else ""
            row.append(f"{_num(x.mean_diff, True)} {_ci(x)} p={_p(x)}{n}")
        lines.append(f"| {out} | " + " | ".join(row) + " |")
    return (f"At japan.capacity = {fmt_cap(cap)} ({n_full} seeds): mean difference a − b, "
            "[95 % paired bootstrap CI], Wilcoxon signed-rank p; every capacity in pairs.md "
            "and pairs.csv.\n\n" + "\n".join(lines) + "\n")


def _panels(n: int, ncols: int = 4):
    rows = int(np.ceil(n / ncols))
    ncols = min(ncols, n)
    fig, axes = subplots(rows, ncols, figsize=(4.1 * ncols, 3.3 * rows + 1.4), squeeze=False)
    flat = axes.ravel()
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _draw(ax, sub: pd.DataFrame, colour: str, marker: str, name: str, band: bool = True):
    sub = sub.sort_values("capacity")
    x = sub["capacity"].to_numpy(float)
    y = sub["mean_diff"].to_numpy(float)
    if band:
        ax.fill_between(x, sub["ci_lo"].to_numpy(float), sub["ci_hi"].to_numpy(float),
                        color=colour, alpha=0.13, lw=0)
    ax.plot(x, y, "-", color=colour, lw=1.6, label=name)
    sig = sub["wilcoxon_p"].to_numpy(float) < ALPHA
    ax.plot(x[sig], y[sig], marker, color=colour, ms=5.5, ls="")
    ax.plot(x[~sig], y[~sig], marker, mfc="white", mec=colour, ms=5.5, ls="")


def _colours(pairs, order):
    """Against the baseline: the pathway's own colour; between pathways: BETWEEN."""
    out, k = {}, 0
    for a, b in pairs:
        if b == BASELINE:
            st = style(a, order)
            out[(a, b)] = (st["color"], st["marker"])
        else:
            out[(a, b)] = (BETWEEN[k % len(BETWEEN)], MARKERS[k % len(MARKERS)])
            k += 1
    return out


@styled
def pairs_figure(sw: Sweep, t: pd.DataFrame, pairs: list[tuple[str, str]], out: Path,
                 name: str, title: str, outcomes=None) -> list[Path]:
    """One panel per outcome: each comparison's mean paired difference against capacity, its
    bootstrap band, markers filled where the Wilcoxon p < 0.05."""
    t = t[[ab in set(pairs) for ab in zip(t["scenario_a"], t["scenario_b"])]]
    outcomes = [o for o in (outcomes or OUTCOMES) if (t["outcome"] == o).any()]
    if not outcomes:
        return []
    fig, axes = _panels(len(outcomes), ncols=min(4, len(outcomes)))
    colours = _colours(pairs, sw.scenarios)
    for ax, o in zip(axes, outcomes):
        ax.axhline(0, color="#333333", lw=1)
        for ab in pairs:
            sub = t[(t["outcome"] == o) & (t["scenario_a"] == ab[0]) & (t["scenario_b"] == ab[1])]
            if len(sub):
                _draw(ax, sub, *colours[ab], difference_name(*ab), band=len(pairs) <= 3)
        ax.set_title("\n".join(textwrap.wrap(OUTCOMES[o], 40)), fontsize=9)
        ax.set_xlabel("japan.capacity", fontsize=8)
        ax.tick_params(labelsize=8)
    axes[0].set_ylabel("mean paired difference a − b", fontsize=8)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper right", ncol=len(labels), fontsize=9,
               bbox_to_anchor=(0.99, 1.0))
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    add_caption(fig, sw.caption(
        "Lines: mean over seeds of the difference a − b between runs with the same seed and "
        "capacity (shared weather); bands: paired percentile bootstrap 95 % CI; filled "
        f"markers: two-sided Wilcoxon signed-rank p < {ALPHA:g}, hollow: not. Below zero: "
        "less of the outcome under a. Table: pairs.csv / pairs.md."))
    fig.subplots_adjust(top=1 - 1.0 / fig.get_figheight(), hspace=0.55, wspace=0.3)
    return save(fig, out, name)


@styled
def difference_figure(sw: Sweep, t: pd.DataFrame, out: Path) -> list[Path]:
    """Enhanced Cooperation − Strategic Stabilization on the incident counts (``ec_minus_ss``)."""
    a, b = PATHWAYS
    t = t[(t["scenario_a"] == a) & (t["scenario_b"] == b)]
    cols = [c for c in INCIDENTS if (t["outcome"] == c).any()]
    if not cols:
        return []
    fig, axes = subplots(1, len(cols), figsize=(5.2 * len(cols), 5), squeeze=False)
    for ax, col in zip(axes[0], cols):
        sub = t[t["outcome"] == col].sort_values("capacity")
        ax.axhline(0, color="#333333", lw=1)
        _draw(ax, sub, BETWEEN[0], "o", f"{difference_name(a, b)} (mean paired difference)")
        for x in sub.itertuples():
            if np.isfinite(x.wilcoxon_p):
                ax.annotate(f"p={x.wilcoxon_p:.2g}", (x.capacity, x.mean_diff), xytext=(4, 6),
                            textcoords="offset points", fontsize=7, color="#444444")
        ax.set_xlabel(CAPACITY_LABEL)
        ax.set_ylabel(f"difference in {OUTCOMES[col].split(' (')[0]}")
        ax.set_title(f"{OUTCOMES[col].capitalize()}:\n{label(a)} − {label(b)}", fontsize=10)
        ax.legend(loc="best", fontsize=8)
    fig.suptitle(f"Which pathway has fewer incidents? (below 0: {label(ENHANCED_COOPERATION)})",
                 fontsize=13, fontweight="bold")
    add_caption(fig, sw.caption("Mean of per-seed differences (runs with the same seed share "
                                "their weather); band: paired percentile bootstrap 95 % CI; "
                                "p: two-sided Wilcoxon signed-rank test (filled marker: "
                                f"p < {ALPHA:g})."))
    fig.subplots_adjust(top=0.80, wspace=0.25)
    return save(fig, out, "ec_minus_ss")
