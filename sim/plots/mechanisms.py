"""The single-mechanism study: severe incidents against what each mechanism costs.

A row of the sweep sets at most one of ``japan.vessels``, ``japan.radars``,
``japan.training``, ``japan.info_sharing``, ``japan.cbm`` (none set: the reference, nothing
bought). Its cost, as a share of the full programme budget ("capacity-equivalent"), comes
from the run's own config: level x unit cost / ``japan.budget_bn_yen``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.engine.ladder import SEVERE
from sim.params.scenarios import label
from sim.plots import kit
from sim.plots.kit import add_caption, save, styled
from sim.plots.sweep import Sweep, style
from sim.plots.stats import cluster_bootstrap_slope, t_interval

#: mechanism -> (results column, unit-cost key in japan.*, name, unit of the level)
MECHANISMS = {
    "vessels": ("japan.vessels", "vessel_cost_bn_yen", "patrol vessels", "hulls"),
    "radars": ("japan.radars", "radar_cost_bn_yen", "coastal radars", "stations"),
    "training": ("japan.training", "full_training_bn_yen", "crew training", "level"),
    "info_sharing": ("japan.info_sharing", "full_info_sharing_bn_yen",
                     "information sharing (MDA)", "level"),
    "cbm": ("japan.cbm", "full_cbm_bn_yen", "confidence-building support", "level"),
}
COLOURS = {"vessels": "#E69F00", "radars": "#56B4E9", "training": "#009E73",
           "info_sharing": "#CC79A7", "cbm": "#7a5195"}
METRIC = "severe_incidents_per_month"
PER = 0.1  # slopes are reported per 0.1 of capacity


def applies(results: pd.DataFrame) -> bool:
    return any(col in results for col, *_ in MECHANISMS.values())


def _costs(sw: Sweep) -> dict:
    import yaml

    path = sw.root / str(sw.results["run_dir"].iloc[0]) / ".hydra" / "config.yaml"
    japan = yaml.safe_load(path.read_text())["japan"]
    return {"budget": float(japan["budget_bn_yen"]),
            **{m: float(japan[key]) for m, (_, key, *_r) in MECHANISMS.items()}}


def tidy(sw: Sweep) -> tuple[pd.DataFrame, dict]:
    """Rows with ``mechanism`` (or 'reference'), ``level`` and ``cap_equiv``."""
    r = sw.results.copy()
    costs = _costs(sw)
    cols = {m: c for m, (c, *_r) in MECHANISMS.items() if c in r}
    set_ = pd.DataFrame({m: r[c].notna() for m, c in cols.items()})
    n_set = set_.sum(axis=1)
    mech = np.where(n_set == 0, "reference", set_.idxmax(axis=1).to_numpy())
    mech = np.where(n_set > 1, "combination", mech)
    level = np.zeros(len(r))
    for m, c in cols.items():
        level = np.where(mech == m, r[c].astype(float).fillna(0).to_numpy(), level)
    r["mechanism"], r["level"] = mech, level
    r["cap_equiv"] = [lv * costs.get(m, np.nan) / costs["budget"] if m in MECHANISMS else 0.0
                      for m, lv in zip(mech, level)]
    if (mech == "combination").any():
        sw.notes.append(f"mechanisms: {(mech == 'combination').sum()} runs set several "
                        "mechanisms at once and are left out")
    return r[r["mechanism"] != "combination"], costs


def mechanism_table(r: pd.DataFrame, scenarios: list[str]) -> pd.DataFrame:
    out = []
    for s in scenarios:
        sub = r[r["scenario"] == s]
        ref = sub[sub["mechanism"] == "reference"]
        for m in MECHANISMS:
            cur = sub[sub["mechanism"] == m]
            if cur.empty:
                continue
            both = pd.concat([ref, cur])
            slope, lo, hi = cluster_bootstrap_slope(both["cap_equiv"], both[METRIC],
                                                    both["seed"] if "seed" in both else
                                                    np.arange(len(both)))
            full = cur[cur["level"] == cur["level"].max()]
            out.append({
                "scenario": s, "mechanism": m, "full_level": cur["level"].max(),
                "full_cost_capacity": full["cap_equiv"].iloc[0],
                "severe_per_month_reference": ref[METRIC].mean() if len(ref) else np.nan,
                "severe_per_month_at_full": full[METRIC].mean(),
                "drop_at_full": (ref[METRIC].mean() - full[METRIC].mean()) if len(ref)
                else np.nan,
                f"drop_per_{PER:g}_capacity": round(-slope * PER, 6) + 0.0,
                "ci95_low": round(-hi * PER, 6) + 0.0, "ci95_high": round(-lo * PER, 6) + 0.0,
            })
    t = pd.DataFrame(out)
    if not t.empty:
        t["rank_in_scenario"] = t.groupby("scenario")[f"drop_per_{PER:g}_capacity"].rank(
            ascending=False, method="min").astype("Int64")
    return t


def to_markdown(t: pd.DataFrame) -> str:
    col = f"drop_per_{PER:g}_capacity"
    lines = ["| scenario | mechanism | full level | cost of full level (capacity) | drop at "
             f"full level (severe/month) | drop per {PER:g} capacity | 95 % CI | rank |",
             "|---|---|---:|---:|---:|---:|---|---:|"]
    for _, x in t.iterrows():
        ci = "n/a" if np.isnan(x.ci95_low) else f"[{x.ci95_low:.2f}, {x.ci95_high:.2f}]"
        lines.append(f"| {label(x.scenario)} | {MECHANISMS[x.mechanism][2]} | "
                     f"{x.full_level:g} | {x.full_cost_capacity:.2f} | {x.drop_at_full:+.2f} | "
                     f"{x[col]:+.2f} | {ci} | {x.rank_in_scenario} |")
    return "\n".join(lines) + (
        f"\n\nDrop: fewer severe incidents (rung ≥ {SEVERE}) per month than the reference run with "
        "nothing bought (japan.capacity = 0). Per-capacity drop: minus the OLS slope over the "
        "reference and the mechanism's levels, with a 95 % bootstrap CI resampling seeds. "
        "Rank 1: the largest drop per unit of capacity in that scenario.\n")


def _change_against_cost(ax, sub: pd.DataFrame) -> None:
    """One scenario's panel: each mechanism's change in severe incidents against its cost,
    relative to the reference run of the same seed (mean and 95 % t-band over seeds)."""
    ref = sub[sub["mechanism"] == "reference"].groupby("seed")[METRIC].mean()
    for m, (_c, _k, name, _unit) in MECHANISMS.items():
        cur = sub[(sub["mechanism"] == m) & sub["seed"].isin(ref.index)]
        if cur.empty:
            continue
        change = cur[METRIC].to_numpy(float) - ref.loc[cur["seed"]].to_numpy(float)
        g = pd.Series(change).groupby(cur["cap_equiv"].to_numpy())
        xs = np.array([0.0] + sorted(g.groups))
        ci = np.array([(0.0, 0.0, 0.0)] + [t_interval(g.get_group(x).to_numpy())
                                            for x in xs[1:]])
        ax.plot(xs, ci[:, 0], "o-", color=COLOURS[m], lw=1.8, ms=4, label=name)
        ax.fill_between(xs, ci[:, 1], ci[:, 2], color=COLOURS[m], alpha=0.12, lw=0)
    ax.axhline(0, color="#333333", lw=1)


def _drop_per_capacity(ax, table: pd.DataFrame, scen: list[str], order: list[str],
                       budget: float) -> None:
    """The bottom panel: each mechanism's drop per unit of capacity, bars by scenario."""
    mechs = [m for m in MECHANISMS if m in set(table.get("mechanism", []))]
    k, height = len(scen), 0.8 / max(1, len(scen))
    col = f"drop_per_{PER:g}_capacity"
    for i, s in enumerate(scen):
        t = table[table["scenario"] == s].set_index("mechanism").reindex(mechs)
        y = np.arange(len(mechs)) + (i - (k - 1) / 2) * height
        err = np.nan_to_num(np.abs(np.vstack([t[col] - t["ci95_low"], t["ci95_high"] - t[col]])))
        ax.barh(y, t[col], height, xerr=err, color=style(s, order)["color"],
                label=label(s), error_kw=dict(lw=0.8, capsize=2))
    ax.axvline(0, color="#333333", lw=1)
    ax.set_yticks(range(len(mechs)), [MECHANISMS[m][2] for m in mechs])
    ax.invert_yaxis()
    ax.set_xlabel(f"drop in severe incidents per month per {PER:g} of capacity-equivalent "
                  f"(¥{PER * budget:g} bn); right of 0 = fewer incidents")
    ax.set_title("Which single mechanism buys the largest drop in severe incidents per unit "
                 "of capacity?", fontsize=11, fontweight="bold")
    ax.legend(fontsize=8, loc="best")


@styled
def figure(sw: Sweep, out: Path) -> tuple[list[Path], pd.DataFrame]:
    r, costs = tidy(sw)
    scen = [s for s in sw.scenarios if (r["scenario"] == s).any()]
    table = mechanism_table(r, scen)
    n = len(scen)
    fig = kit.figure(figsize=(max(11, 4.6 * n), 10))
    grid = fig.add_gridspec(2, n, height_ratios=[1.15, 1], hspace=0.45, top=0.9)
    ax0 = None
    for i, s in enumerate(scen):
        ax = fig.add_subplot(grid[0, i], sharey=ax0)
        ax0 = ax0 or ax
        _change_against_cost(ax, r[r["scenario"] == s])
        ax.set_title(label(s))
        ax.set_xlabel("cost as a share of the full programme budget\n(capacity-equivalent; "
                      f"1 = ¥{costs['budget']:g} bn)")
        if i == 0:
            ax.set_ylabel("change in severe incidents per month\nvs nothing bought (same seed)")
            ax.legend(fontsize=7.5, loc="best")
    _drop_per_capacity(fig.add_subplot(grid[1, :]), table, scen, sw.scenarios, costs["budget"])
    fig.suptitle("Japan's mechanisms one at a time (japan.capacity = 0, one item bought)",
                 fontsize=13, fontweight="bold")
    fullc = ", ".join(f"{MECHANISMS[m][2]} {costs[m]:g}" for m in MECHANISMS)
    add_caption(fig, sw.caption(
        f"Top: severe incidents per month (rung ≥ {SEVERE}) minus the reference run with the "
        "same seed (nothing bought); mean over seeds, bands 95 % t-interval. Bottom: minus the "
        "OLS slope of severe incidents/month on capacity-equivalent over the reference and "
        "that mechanism's levels, 95 % bootstrap "
        f"CI (seeds resampled). Unit costs in ¥ bn (per hull/station or per level 1): {fullc}."),
        width=170)
    return save(fig, out, "mechanisms"), table
