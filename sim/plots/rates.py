"""Incident rates and crisis probability against japan.capacity, one line per scenario."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.engine.ladder import CRISIS, SEVERE
from sim.plots.kit import add_caption, save, styled, subplots
from sim.plots.sweep import CAPACITY_LABEL, Sweep, style
from sim.plots.stats import t_interval, wilson

RATES = [
    ("incidents_per_month", f"All incidents (rungs 0-{CRISIS})", "incidents per month"),
    ("severe_incidents_per_month", f"Severe incidents (rung ≥ {SEVERE}: water cannon or worse)",
     "severe incidents per month"),
]


@styled
def incident_rates(sw: Sweep, out: Path) -> list[Path]:
    """Mean incident rates with 95 % t-intervals across seeds."""
    r = sw.results
    fig, axes = subplots(1, 2, figsize=(12, 5.2))
    for ax, (col, title, unit) in zip(axes, RATES):
        if col not in r:
            ax.set_visible(False)
            sw.notes.append(f"incident_rates: column {col} missing from results.parquet")
            continue
        for scen in sw.scenarios:
            g = r[r["scenario"] == scen].groupby(sw.capacity_col)[col]
            caps = np.array(sorted(g.groups))
            cis = np.array([t_interval(g.get_group(c).to_numpy()) for c in caps])
            st = style(scen, sw.scenarios)
            ax.plot(caps, cis[:, 0], lw=2, ms=6, **st)
            ax.fill_between(caps, cis[:, 1], cis[:, 2], color=st["color"], alpha=0.13, lw=0)
        ax.set_title(title)
        ax.set_xlabel(CAPACITY_LABEL)
        ax.set_ylabel(f"{unit} (mean of runs)")
        ax.set_ylim(bottom=0)
        ax.legend(loc="best")
    fig.suptitle("Incident rate against the size of Japan's capacity-building programme",
                 fontsize=13, fontweight="bold")
    add_caption(fig, sw.caption("Lines: mean over seeds; shaded bands: 95 % t-interval of the "
                                "mean across seeds (Student t, n-1 degrees of freedom)."))
    fig.subplots_adjust(top=0.86, wspace=0.25)
    return save(fig, out, "incident_rates")


@styled
def crisis_probability(sw: Sweep, out: Path) -> list[Path]:
    """Share of runs with at least one crisis (the top rung), with Wilson 95 % intervals."""
    r = sw.results
    fig, ax = subplots(figsize=(8.5, 5.2))
    caps_all = sw.capacities
    step = (np.diff(caps_all).min() if len(caps_all) > 1 else 1.0) * 0.06
    n_s = len(sw.scenarios)
    for k, scen in enumerate(sw.scenarios):
        g = r[r["scenario"] == scen].groupby(sw.capacity_col)["crises"]
        caps = np.array(sorted(g.groups))
        w = np.array([wilson(int((g.get_group(c) > 0).sum()), len(g.get_group(c)))
                      for c in caps])
        st = style(scen, sw.scenarios)
        x = caps + (k - (n_s - 1) / 2) * step  # side by side, so intervals do not overlap
        err = np.clip([w[:, 0] - w[:, 1], w[:, 2] - w[:, 0]], 0, 1)
        ax.errorbar(x, w[:, 0], yerr=err, capsize=4, lw=2, ms=6, **st)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(CAPACITY_LABEL)
    ax.set_ylabel(f"share of runs with ≥ 1 crisis (rung {CRISIS}, use of weapons)")
    ax.set_title("Crisis probability: how often a run reaches the top rung",
                 fontsize=12, fontweight="bold")
    if not (r["crises"] > 0).any():
        ax.text(0.5, 0.55, "no run reached a crisis", transform=ax.transAxes, ha="center",
                fontsize=11, color="#555555")
    ax.legend(loc="upper left")
    add_caption(fig, sw.caption("Points: share of runs with crises > 0; bars: Wilson 95 % score "
                                "interval. Scenarios are drawn slightly apart on the x axis."))
    return save(fig, out, "crisis_probability")


@styled
def crisis_hazard(sw: Sweep, table, out: Path) -> list[Path]:
    """First crises per run-year at risk with exact Poisson (Garwood) 95 % intervals: per
    scenario against capacity (left) and pooled over capacities (right)."""
    fig, (ax, axp) = subplots(1, 2, figsize=(12, 5.2), sharey=True,
                              gridspec_kw=dict(width_ratios=[3, 1]))
    per = table[table["capacity"] != "all"]
    pooled = table[table["capacity"] == "all"]
    caps_all = sw.capacities
    step = (np.diff(caps_all).min() if len(caps_all) > 1 else 1.0) * 0.06
    n_s = len(sw.scenarios)
    for k, scen in enumerate(sw.scenarios):
        st = style(scen, sw.scenarios)
        sub = per[per["scenario"] == scen]
        if len(sub):
            x = sub["capacity"].astype(float).to_numpy() + (k - (n_s - 1) / 2) * step
            h = sub["hazard_per_year"].to_numpy(float)
            err = [h - sub["ci_lo"].to_numpy(float), sub["ci_hi"].to_numpy(float) - h]
            ax.errorbar(x, h, yerr=err, capsize=4, lw=2, ms=6, ls="", **st)
        p = pooled[pooled["scenario"] == scen]
        if len(p):
            h = p["hazard_per_year"].to_numpy(float)
            axp.errorbar([k], h, yerr=[h - p["ci_lo"].to_numpy(float),
                                       p["ci_hi"].to_numpy(float) - h],
                         capsize=5, lw=2, ms=7, ls="", **{**st, "label": None})
    ax.set_xlabel(CAPACITY_LABEL)
    ax.set_ylabel(f"first crises (rung {CRISIS}) per run-year at risk")
    ax.set_ylim(bottom=0)
    ax.set_title("Crisis hazard against capacity", fontsize=11)
    ax.legend(loc="upper left", fontsize=8)
    axp.set_xticks(range(n_s), [style(s, sw.scenarios)["label"].split(" (")[0]
                                for s in sw.scenarios], rotation=30, ha="right", fontsize=8)
    axp.set_xlim(-0.6, n_s - 0.4)
    axp.set_title("Pooled over capacities", fontsize=11)
    if not (table["crises"] > 0).any():
        ax.text(0.5, 0.55, "no run reached a crisis: bars are upper bounds", ha="center",
                transform=ax.transAxes, fontsize=10, color="#555555")
    fig.suptitle("Crisis hazard per run-year", fontsize=13, fontweight="bold")
    add_caption(fig, sw.caption(
        "Points: runs with a crisis (their first) divided by the run-years at risk (a run's "
        "years up to its first crisis); bars: exact Poisson (Garwood) 95 % interval. Table: "
        "crisis_hazard.csv."))
    fig.subplots_adjust(top=0.86, wspace=0.08)
    return save(fig, out, "crisis_hazard")
