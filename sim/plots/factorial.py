"""The two-level factorial over Japan's mechanisms: main effects and two-way interactions.

A sweep is a factorial when two to five of the mechanism columns (``japan.vessels``,
``japan.radars``, ``japan.training``, ``japan.info_sharing``, ``japan.cbm``; unset counts as 0)
each take exactly two levels and every combination of them ran
(``configs/experiment/mechanisms_factorial.yaml``: 2^5 = 32 cells). Per seed, over that
seed's cells:

* main effect of a mechanism: mean outcome with it at its high level minus with it off
  (averaged over the other mechanisms' levels);
* two-way interaction of two mechanisms: the difference of differences,
  (y(both) − y(second only)) − (y(first only) − y(neither)), each term averaged over the
  others' levels: how much buying both changes the outcome beyond the sum of buying each.
  (This is twice the Box-Hunter "interaction effect" of the ±1 coding.)

Across seeds: the mean of the per-seed effects with a 95 % Student-t interval (seeds are
independent replicates; within a seed the cells share their weather).
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from sim.params.scenarios import label
from sim.plots.kit import add_caption, save, styled, subplots
from sim.plots.mechanisms import COLOURS, MECHANISMS
from sim.plots.stats import t_interval
from sim.plots.sweep import Sweep

OUTCOMES = ("severe_incidents_per_month", "reported_incidents_per_month")
MAX_FACTORS = 5
INTERACTION = "#555555"
COLUMNS = ["scenario", "outcome", "effect", "kind", "estimate", "ci_lo", "ci_hi", "n_seeds",
           "high_levels"]


def design(results: pd.DataFrame) -> tuple[list[str], pd.DataFrame] | None:
    """(factors, 0/1 coded levels, one column per factor) if the sweep is a full two-level
    factorial over 2 to MAX_FACTORS mechanisms, else None."""
    factors, coded = [], {}
    for m, (col, *_r) in MECHANISMS.items():
        if col not in results:
            continue
        v = pd.to_numeric(results[col], errors="coerce").fillna(0.0).to_numpy(float)
        levels = np.unique(v)
        if levels.size == 1:
            continue
        if levels.size != 2:
            return None
        factors.append(m)
        coded[m] = (v == levels[1]).astype(int)
    if not 2 <= len(factors) <= MAX_FACTORS:
        return None
    x = pd.DataFrame(coded, index=results.index)
    if len(x.drop_duplicates()) != 2 ** len(factors):
        return None
    return factors, x


def applies(results: pd.DataFrame) -> bool:
    return design(results) is not None


def _effects_one_seed(y: pd.Series, x: pd.DataFrame, factors: list[str]) -> dict[str, float]:
    cell = pd.concat([x, y.rename("y")], axis=1).groupby(factors)["y"].mean()  # one per cell
    cell = cell.reset_index()
    out = {}
    for f in factors:
        g = cell.groupby(f)["y"].mean()
        out[f] = float(g.loc[1] - g.loc[0])
    for f, h in combinations(factors, 2):
        g = cell.groupby([f, h])["y"].mean()
        out[f"{f} × {h}"] = float((g.loc[(1, 1)] - g.loc[(0, 1)])
                                  - (g.loc[(1, 0)] - g.loc[(0, 0)]))
    return out


def effects_table(sw: Sweep) -> pd.DataFrame:
    """One row per scenario x outcome x effect (main effects, then two-way interactions)."""
    r = sw.results
    factors, x = design(r)
    n_cells = 2 ** len(factors)
    seed = r["seed"] if "seed" in r else pd.Series(0, index=r.index)
    highs = {f: float(pd.to_numeric(r[MECHANISMS[f][0]], errors="coerce").fillna(0).max())
             for f in factors}
    high_levels = ", ".join(f"{f}={highs[f]:g}" for f in factors)
    rows = []
    for scen in sw.scenarios:
        in_s = r["scenario"] == scen
        for out in OUTCOMES:
            if out not in r:
                continue
            per_seed, dropped = [], []
            for s in sorted(seed[in_s].unique()):
                m = in_s & (seed == s)
                if len(x[m].drop_duplicates()) < n_cells:
                    dropped.append(s)
                    continue
                per_seed.append(_effects_one_seed(r.loc[m, out].astype(float), x[m], factors))
            if dropped and out == OUTCOMES[0]:
                sw.notes.append(f"factorial ({scen}): seed(s) {', '.join(map(str, dropped))} "
                                f"lack some of the {n_cells} cells and are left out")
            if not per_seed:
                continue
            est = pd.DataFrame(per_seed)
            for e in est.columns:
                mean, lo, hi = t_interval(est[e].to_numpy())
                rows.append({"scenario": scen, "outcome": out, "effect": e,
                             "kind": "interaction" if " × " in e else "main",
                             "estimate": mean, "ci_lo": lo, "ci_hi": hi, "n_seeds": len(est),
                             "high_levels": high_levels})
    for out in OUTCOMES:
        if out not in r:
            sw.notes.append(f"factorial: outcome {out} not in results.parquet")
    return pd.DataFrame(rows, columns=COLUMNS)


def to_markdown(t: pd.DataFrame) -> str:
    parts = []
    for (scen, out), sub in t.groupby(["scenario", "outcome"], sort=False):
        parts.append(f"## {label(scen)}: {out}\n\n| effect | kind | estimate | 95 % CI | seeds |\n"
                     "|---|---|---:|---|---:|")
        for x in sub.itertuples():
            ci = "n/a" if not np.isfinite(x.ci_lo) else f"[{x.ci_lo:+.3g}, {x.ci_hi:+.3g}]"
            parts.append(f"| {x.effect} | {x.kind} | {x.estimate:+.3g} | {ci} | {x.n_seeds} |")
        parts.append("")
    levels = t["high_levels"].iloc[0] if len(t) else ""
    return "\n".join(parts) + (
        f"\nHigh levels: {levels} (low: 0, nothing of that mechanism); japan.capacity = 0, so "
        "nothing else is bought. Main effect: mean outcome with the mechanism at its high level "
        "minus without it, averaged over the other mechanisms' levels. Interaction f × g: "
        "(both − g only) − (f only − neither): the change from buying both beyond the sum of "
        "buying each; below zero, the two together do more to lower the outcome than apart. "
        "Estimated per seed over that seed's cells; mean over seeds with a 95 % t-interval.\n")


@styled
def figure(sw: Sweep, t: pd.DataFrame, out: Path) -> list[Path]:
    scen = [s for s in sw.scenarios if (t["scenario"] == s).any()]
    outs = [o for o in OUTCOMES if (t["outcome"] == o).any()]
    if not scen or not outs:
        return []
    n_eff = t.groupby(["scenario", "outcome"]).size().max()
    fig, axes = subplots(len(scen), len(outs), figsize=(6.2 * len(outs),
                                                          0.32 * n_eff * len(scen) + 2.2),
                         squeeze=False)
    for i, s in enumerate(scen):
        for j, o in enumerate(outs):
            ax = axes[i][j]
            sub = t[(t["scenario"] == s) & (t["outcome"] == o)].reset_index(drop=True)
            y = np.arange(len(sub))
            colours = [COLOURS.get(e, INTERACTION) if k == "main" else INTERACTION
                       for e, k in zip(sub["effect"], sub["kind"])]
            err = np.nan_to_num(np.abs(np.vstack([sub["estimate"] - sub["ci_lo"],
                                                  sub["ci_hi"] - sub["estimate"]])))
            for k in range(len(sub)):
                ax.errorbar(sub["estimate"][k], y[k], xerr=err[:, k:k + 1], fmt="o",
                            color=colours[k], ms=5, capsize=2, lw=1.2,
                            mfc=colours[k] if sub["kind"][k] == "main" else "white")
            ax.axvline(0, color="#333333", lw=1)
            ax.set_yticks(y, [e.replace("info_sharing", "info sharing") for e in sub["effect"]],
                          fontsize=8)
            ax.invert_yaxis()
            ax.set_xlabel(f"effect on {o.replace('_', ' ')}", fontsize=9)
            ax.set_title(f"{label(s)}: {o.replace('_', ' ')}", fontsize=10)
    fig.suptitle("Japan's mechanisms in a two-level factorial: main effects and two-way "
                 "interactions", fontsize=12, fontweight="bold")
    add_caption(fig, sw.caption(
        "Filled: main effect (high level minus off, averaged over the others); hollow: two-way "
        "interaction (difference of differences). Mean over seeds of the per-seed estimates, "
        "bars: 95 % t-interval. Below zero: fewer incidents. High levels: "
        f"{t['high_levels'].iloc[0]}. Table: factorial.csv / factorial.md."))
    fig.subplots_adjust(top=1 - 0.8 / fig.get_figheight(), hspace=0.35, wspace=0.45)
    return save(fig, out, "factorial")
