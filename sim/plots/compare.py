"""The two pathways compared (Enhanced Cooperation minus Strategic Stabilization, ``PATHWAYS``
of sim.params.scenarios) at each capacity: table and figure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.engine.ladder import SEVERE
from sim.params.scenarios import PATHWAYS, SHORT, label
from sim.plots.kit import add_caption, save, styled, subplots
from sim.plots.sweep import CAPACITY_LABEL, Sweep
from sim.plots.stats import bootstrap_diff, mann_whitney

A, B = PATHWAYS
SA, SB = SHORT[A], SHORT[B]  # "EC", "SS"
METRICS = [("incidents_per_month", "incidents per month"),
           ("severe_incidents_per_month", f"severe incidents per month (rung ≥ {SEVERE})")]
DIFFERENCE = "#7a5195"  # the difference between the pathways (neither pathway's colour)


def difference_table(sw: Sweep) -> pd.DataFrame:
    r = sw.results
    rows = []
    for cap in sw.capacities:
        at = r[np.isclose(r[sw.capacity_col].astype(float), cap)]
        ga, gb = at[at["scenario"] == A], at[at["scenario"] == B]
        if ga.empty or gb.empty:
            continue
        for col, _ in METRICS:
            if col not in r:
                continue
            key = "seed" if "seed" in r and not (ga["seed"].duplicated().any() or
                                                  gb["seed"].duplicated().any()) else "run_dir"
            a = dict(zip(ga[key], ga[col].astype(float)))
            b = dict(zip(gb[key], gb[col].astype(float)))
            diff, lo, hi, paired, n_pairs = bootstrap_diff(a, b)
            p, delta = mann_whitney(list(a.values()), list(b.values()))
            rows.append({
                "japan.capacity": cap, "metric": col,
                f"n_{A}": len(a), f"n_{B}": len(b),
                f"mean_{A}": np.mean(list(a.values())), f"mean_{B}": np.mean(list(b.values())),
                "difference": diff, "ci95_low": lo, "ci95_high": hi,
                "ci_method": f"bootstrap, paired by seed ({n_pairs} pairs)" if paired
                else "bootstrap, independent groups",
                "p_value_mann_whitney": p, "cliffs_delta": delta,
            })
    return pd.DataFrame(rows)


def to_markdown(t: pd.DataFrame) -> str:
    head = (f"| japan.capacity | metric | {SA} mean | {SB} mean | {SA} − {SB} | 95 % CI | "
            f"p (Mann-Whitney U) | Cliff's δ | n ({SA}/{SB}) |\n"
            "|---:|---|---:|---:|---:|---|---:|---:|---|\n")
    lines = []
    for _, x in t.iterrows():
        ci = "n/a" if np.isnan(x.ci95_low) else f"[{x.ci95_low:.2f}, {x.ci95_high:.2f}]"
        p = "n/a" if np.isnan(x.p_value_mann_whitney) else f"{x.p_value_mann_whitney:.3g}"
        d = "n/a" if np.isnan(x.cliffs_delta) else f"{x.cliffs_delta:+.2f}"
        lines.append(f"| {x['japan.capacity']:g} | {x.metric} | "
                     f"{x[f'mean_{A}']:.2f} | {x[f'mean_{B}']:.2f} "
                     f"| {x.difference:+.2f} | {ci} | {p} | {d} | "
                     f"{x[f'n_{A}']}/{x[f'n_{B}']} |")
    note = (f"\n\n{SA} − {SB}: {label(A)} minus {label(B)} (negative: fewer "
            f"incidents under {label(A)}). 95 % CI: percentile bootstrap of the mean "
            "difference (5,000 resamples of seeds, paired by seed where both scenarios ran "
            f"it). p: two-sided Mann-Whitney U test of the per-run values. Cliff's δ: P({SA} > "
            f"{SB}) − P({SA} < {SB}) over pairs of runs (|δ| < 0.15 negligible, < 0.33 small, "
            "< 0.47 medium, otherwise large).\n")
    return head + "\n".join(lines) + note


@styled
def difference_figure(sw: Sweep, t: pd.DataFrame, out: Path) -> list[Path]:
    fig, axes = subplots(1, 2, figsize=(12, 5))
    for ax, (col, unit) in zip(axes, METRICS):
        sub = t[t["metric"] == col]
        x = sub["japan.capacity"].to_numpy(float)
        y = sub["difference"].to_numpy(float)
        lo, hi = sub["ci95_low"].to_numpy(float), sub["ci95_high"].to_numpy(float)
        ax.axhline(0, color="#333333", lw=1)
        ax.fill_between(x, lo, hi, color=DIFFERENCE, alpha=0.2, lw=0, label="95 % bootstrap CI")
        ax.plot(x, y, "o-", color=DIFFERENCE, lw=2, label=f"{SA} − {SB} (mean difference)")
        for xi, yi, p in zip(x, y, sub["p_value_mann_whitney"]):
            if not np.isnan(p):
                ax.annotate(f"p={p:.2g}", (xi, yi), xytext=(4, 6), textcoords="offset points",
                            fontsize=7, color="#444444")
        ax.set_xlabel(CAPACITY_LABEL)
        ax.set_ylabel(f"difference in {unit}")
        ax.set_title(f"{unit.capitalize()}:\n{label(A)} − {label(B)}")
        ax.legend(loc="best", fontsize=8)
    fig.suptitle(f"Which pathway has fewer incidents? (below 0: {label(A)})",
                 fontsize=13, fontweight="bold")
    add_caption(fig, sw.caption("Mean of per-seed differences; band: percentile bootstrap 95 % "
                                "CI (seeds resampled, paired by seed); p: two-sided "
                                "Mann-Whitney U test."))
    fig.subplots_adjust(top=0.80, wspace=0.25)
    return save(fig, out, "ec_minus_ss")
