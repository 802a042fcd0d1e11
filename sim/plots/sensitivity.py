"""Figures and the Markdown page of the sensitivity analysis (sim.sensitivity)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from matplotlib.patches import Rectangle

from sim.engine.ladder import SEVERE
from sim.params.scenarios import PATHWAYS, SHORT, label
from sim.plots import palette
from sim.plots.kit import add_caption, save, styled, subplots, write_page

#: Scenario discovery's pathway column: 0 for the first of PATHWAYS, 1 for the second.
PATHWAY_AXIS = f"pathway (0 {SHORT[PATHWAYS[0]]}, 1 {SHORT[PATHWAYS[1]]})"
OUT_LABEL = {"incidents_per_month": "incidents / month",
             "severe_incidents_per_month": f"severe incidents / month (rung ≥ {SEVERE})",
             "standoff_days": "days of stand-off in the run",
             "crisis": "crisis within the run (0/1)"}
#: Where a parameter acts, for the report's account of a Morris mu* of 0 on every output:
#: a parameter that only acts in a state the screening's runs seldom reach shows no effect
#: there, which is not the same as having none.
ACTS_ONLY = {
    "encounter.miscalculation": "only after a ramming of an armed Vietnamese ship that answers "
                                "(most rammings are of fishing boats, which cannot)",
    "encounter.leak_weapons": "only in an exchange that leaks past its ceiling all the way into "
                              "rung 7 (about 1e-4 of the leaks)",
    "china.deliberate_rate": "at China's decisions during a running stand-off",
    "china.deliberate_threshold": "at China's decisions during a running stand-off",
    "china.roe_max": "when China's ceiling would rise above it, which its cost-balancing "
                     "seldom asks for at the defaults",
    "standoff.withdraw_rate": "at China's decisions during a running stand-off",
    "standoff.onset_prob": "in clashes of government ships at a hot spot",
    "encounter.d_cbm": "only where a CBM regime is in force (Strategic Stabilization's hotline "
                       "offered and accepted)",
    "cooperation.cbm_accept_base": "only where a regime is offered (the hotline lever above 0)",
    "cooperation.cbm_erosion": "only where a regime is in force and violated",
    "cooperation.norm_buildup_days": "only where the normative cost is above 0 "
                                     "(cooperation.norm_cost: Strategic Stabilization and "
                                     "combined; 0 on Enhanced Cooperation)",
}


def _save(fig, img: Path, name: str) -> str:
    """Save PNG + SVG (kit.save) and return the PNG's path relative to the report."""
    save(fig, img, name)
    return f"img/{name}.png"


@styled
def fig_morris(pw: str, mo: dict, img: Path, caption: str) -> str:
    names = list(mo["res"]["incidents_per_month"]["names"])
    fig, axes = subplots(1, len(OUT_LABEL), figsize=(4.3 * len(OUT_LABEL), 5.2 + 0.12 * len(names)),
                         sharey=True)
    order = np.argsort(np.nan_to_num(mo["res"]["severe_incidents_per_month"]["mu_star"]))
    for ax, out in zip(axes, OUT_LABEL):
        r = mo["res"][out]
        mu, conf = np.nan_to_num(np.array(r["mu_star"])), np.nan_to_num(np.array(r["mu_star_conf"]))
        ax.barh(np.arange(len(names)), mu[order], xerr=conf[order],
                color=palette.SCENARIOS[pw][0], alpha=0.8, error_kw=dict(lw=0.8))
        ax.set_title(OUT_LABEL[out], fontsize=9)
        ax.set_xlabel("Morris μ* (mean |elementary effect|)")
    axes[0].set_yticks(np.arange(len(names)), [names[i] for i in order], fontsize=8)
    fig.suptitle(f"What drives escalation: Morris screening, {label(pw)}")
    fig.tight_layout(rect=(0, 0.06, 1, 0.96))
    add_caption(fig, caption + " Bars: μ* with 95 % bootstrap interval; sorted by the effect on "
                "severe incidents.")
    return _save(fig, img, f"sensitivity_morris_{pw}")


@styled
def fig_sobol(results: dict, img: Path, caption: str) -> str:
    fig, axes = subplots(1, len(results), figsize=(12, 4.2))
    for ax, (pw, r) in zip(np.atleast_1d(axes), results.items()):
        so = r["sobol"]
        res = so["res"].get("severe_incidents_per_month")
        names = [p[0] for p in so["params"]]
        if res is None:
            ax.text(0.5, 0.5, "no variation in severe incidents", ha="center", transform=ax.transAxes)
            continue
        x = np.arange(len(names))
        ax.bar(x - 0.2, res["S1"], 0.4, yerr=res["S1_conf"], label="first order S1",
               color=palette.SCENARIOS[pw][0], alpha=0.55)
        ax.bar(x + 0.2, res["ST"], 0.4, yerr=res["ST_conf"], label="total ST",
               color=palette.SCENARIOS[pw][0])
        ax.set_xticks(x, [n.split(".")[-1] for n in names], rotation=20, fontsize=8)
        ax.set_title(f"{label(pw)} ({so['n']} runs)", fontsize=10)
        ax.set_ylabel("Sobol index (share of variance)"), ax.legend(fontsize=8)
    fig.suptitle("Sobol indices for severe incidents per month (top four by Morris μ*)")
    fig.tight_layout(rect=(0, 0.07, 1, 0.95))
    add_caption(fig, caption + " Error bars: 95 % bootstrap intervals (small samples are wide).")
    return _save(fig, img, "sensitivity_sobol")


@styled
def fig_discovery(disc: dict, img: Path, caption: str) -> str:
    X, y, names = disc["X"], disc["crisis"], disc["names"]
    box = disc["boxes"][0] if disc["boxes"] else None
    keys = list(box["limits"])[:2] if box else []
    keys += [n for n in ("encounter.miscalculation", "china.roe_up") if n not in keys]
    i, j = names.index(keys[0]), names.index(keys[1])
    fig, ax = subplots(figsize=(7, 5))
    ax.scatter(X[~y, i], X[~y, j], s=14, color="#999999", label="no crisis")
    ax.scatter(X[y, i], X[y, j], s=22, color="#D55E00", label="crisis within the run")
    if box:
        lo_i, hi_i = box["limits"].get(names[i], (X[:, i].min(), X[:, i].max()))
        lo_j, hi_j = box["limits"].get(names[j], (X[:, j].min(), X[:, j].max()))
        ax.add_patch(Rectangle((lo_i, lo_j), hi_i - lo_i, hi_j - lo_j, fill=False,
                               ec="#000000", lw=1.2, ls="--", label="PRIM box 1"))
    ax.set_xlabel(names[i]), ax.set_ylabel(names[j])
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title(f"Scenario discovery: where crises happen ({len(y)} runs)")
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    add_caption(fig, caption)
    return _save(fig, img, "scenario_discovery")


def _condition(name: str, lo: float, hi: float, full: tuple[float, float] | None,
               integers=()) -> str:
    """One restriction of a PRIM box in words ("at least", "at most", "between")."""
    if name == PATHWAY_AXIS:
        return f"on {label(PATHWAYS[1] if lo > 0 else PATHWAYS[0])}"
    is_int = name in integers
    show = (lambda v: f"{int(np.floor(v))}") if is_int else (lambda v: f"{v:.2g}")
    if is_int and np.floor(lo) == np.floor(hi):
        return f"`{name}` = {show(lo)}"
    f_lo, f_hi = full if full else (-np.inf, np.inf)
    tol = 1e-6 * max(1.0, abs(f_hi - f_lo))
    if lo <= f_lo + tol:
        return f"`{name}` at most {show(hi)}"
    if hi >= f_hi - tol:
        return f"`{name}` at least {show(lo)}"
    return f"`{name}` between {show(lo)} and {show(hi)}"


def _words(box: dict, base_rate: float) -> str:
    full = box.get("full_range", {})
    parts = [_condition(k, lo, hi, full.get(k), box.get("integers", ()))
             for k, (lo, hi) in box["limits"].items()]
    return (f"a crisis happened in {box['density']:.0%} of runs (against {base_rate:.0%} "
            f"overall) when " + " and ".join(parts) + f"; these runs are {box['support']:.0%} "
            f"of the sample and hold {box['coverage']:.0%} of all crises.")


def _effects(mo: dict, out: str):
    """(names, mu*, mu) of one output: mean |elementary effect| and its signed mean, both per
    the parameter's whole range (SALib scales the inputs to [0, 1])."""
    r = mo["res"][out]
    return (list(r["names"]), np.nan_to_num(np.array(r["mu_star"], float)),
            np.nan_to_num(np.array(r["mu"], float)))


def _direction(name: str, mu: float, mu_star: float, unit: str) -> str:
    if mu_star <= 0:
        return f"`{name}` (no effect)"
    if abs(mu) < 0.5 * mu_star:  # effects of both signs: the direction depends on the rest
        return f"`{name}` (either way, |effect| {mu_star:.2g} {unit})"
    return f"`{name}` ({'raises' if mu > 0 else 'lowers'} them, {mu:+.2g} {unit} over its range)"


def _paragraph(pw: str, results: dict) -> str:
    """What drives escalation on one pathway, in words: the strongest drivers of severe
    incidents with their direction, Japan's lever, what differs from the other pathway, the
    drivers of crises, and how much of the variance the Sobol indices attribute."""
    mo = results[pw]["morris"]
    names, sev, sev_mu = _effects(mo, "severe_incidents_per_month")
    _, inc, inc_mu = _effects(mo, "incidents_per_month")
    _, cri, cri_mu = _effects(mo, "crisis")
    order = np.argsort(-sev)
    top = ", ".join(_direction(names[k], sev_mu[k], sev[k], "/month") for k in order[:3])
    j = names.index("japan.capacity")
    rank = int(np.flatnonzero(order == j)[0]) + 1
    text = [f"**{label(pw)}.** Severe incidents (rung ≥ {SEVERE}) respond most to {top}. "
            f"Japan's lever `japan.capacity` ranks {rank} of {len(names)} (Morris μ*); going from "
            f"no support to full support changes severe incidents by {sev_mu[j]:+.2g} a month "
            f"on average and all incidents by {inc_mu[j]:+.3g} a month. The overall incident "
            "rate is driven by " + ", ".join(f"`{names[k]}`" for k in np.argsort(-inc)[:3]) + "."]
    others = [p for p in results if p != pw]
    if others:
        _, sev_o, _ = _effects(results[others[0]]["morris"], "severe_incidents_per_month")
        rank_o = {names[k]: r for r, k in enumerate(np.argsort(-sev_o))}
        only = [names[k] for k in order[:6] if rank_o[names[k]] >= 8 or sev_o[k] < 0.3 * sev[k]]
        if only:
            text.append("Unlike on " + label(others[0]) + ", " + ", ".join(
                f"`{n}`" for n in only) + (" matters" if len(only) == 1 else " matter") +
                " here among the top six.")
    if cri.max() > 0:
        c_top = [k for k in np.argsort(-cri)[:3] if cri[k] > 0]
        text.append("Crises (a run that reaches the use of weapons) depend most on " + ", ".join(
            _direction(names[k], cri_mu[k], cri[k], "in the chance") for k in c_top) + ".")
    else:
        text.append("No Morris run on this pathway ended in a crisis.")
    so = results[pw].get("sobol", {})
    res = so.get("res", {}).get("severe_incidents_per_month")
    if res is not None:
        st = np.nan_to_num(np.array(res["ST"], float))
        s1 = np.nan_to_num(np.array(res["S1"], float))
        k = int(np.argmax(st))
        text.append(f"In the Sobol analysis of the top four ({so['n']} runs), "
                    f"`{so['params'][k][0]}` accounts for {s1[k]:.0%} of the variance of severe "
                    f"incidents alone and {st[k]:.0%} with its interactions; the four first-order "
                    f"indices sum to {s1.sum():.0%}."
                    + (" (A total index above 100 % is the estimator's sampling error at this "
                       "N, with the model's own noise in every run: read it as nearly all.)"
                       if st[k] > 1 else ""))
    return " ".join(text)


def _command(meta: dict) -> str:
    return (f"python -m sim.sensitivity --size {meta['size']} --days {meta['days']} "
            f"--discovery-days {meta.get('discovery_days', meta['days'])}")


def _intro(results: dict, meta: dict) -> list[str]:
    """How the page was made: the command, the methods, the size."""
    size = meta["size_spec"]
    n_params = len(results[next(iter(results))]["morris"]["res"]["crisis"]["names"])
    return ["# Sensitivity analysis and scenario discovery", "",
            f"Generated by `{_command(meta)}`"
            + (f" in {meta['seconds']:.0f} s" if meta.get("seconds") else
               " (this page redrawn from the saved runs)")
            + f" on the {meta['sea']} sea. Morris screening (SALib, 4 levels) over "
            f"{n_params} parameters per pathway, then Sobol indices (Saltelli sampling, first order and "
            "total) for the four parameters with the largest effect on severe incidents. "
            "Ranges: `sim/sensitivity.py` (UNCERTAIN); everything else keeps the scenario's "
            "values. Each sample point is one run of one seed, so the effects include the "
            "model's own noise (the bootstrap intervals in the figures show how much). "
            + ("The quick size is for tests and a first look: its intervals are wide; "
               "`make validate FULL=1` runs the full size." if meta["size"] == "quick" else
               f"Size {meta['size']}: Morris with {size['morris_r']} trajectories, Sobol with "
               f"N = {size['sobol_n']}, discovery with {size['lhs']} runs."), ""]


def _morris_table(results: dict) -> list[str]:
    lines = ["## Morris μ* per parameter", "",
             "| parameter | " + " | ".join(f"{label(p)}: {o.split('_per')[0]}"
                                          for p in results for o in OUT_LABEL) + " |",
             "|---|" + "---:|" * (len(results) * len(OUT_LABEL))]
    names = list(results[next(iter(results))]["morris"]["res"]["crisis"]["names"])
    for k, n in enumerate(names):
        cells = [f"{np.nan_to_num(r['morris']['res'][o]['mu_star'][k]):.3g}"
                 for r in results.values() for o in OUT_LABEL]
        lines.append(f"| `{n}` | " + " | ".join(cells) + " |")
    return lines


def _inert(results: dict, meta: dict) -> list[str]:
    """The parameters with Morris mu* = 0 on every output of a pathway, and why (ACTS_ONLY):
    issue 14 asks that none of the mechanisms' parameters is left unexplained."""
    lines = ["", "## Parameters without a measured effect", ""]
    found = False
    for pw, r in results.items():
        res = r["morris"]["res"]
        names = list(res[next(iter(res))]["names"])
        zero = [n for k, n in enumerate(names)
                if all(np.nan_to_num(res[o]["mu_star"][k]) == 0 for o in OUT_LABEL if o in res)]
        if not zero:
            lines.append(f"- {label(pw)}: every parameter moved at least one output.")
            continue
        found = True
        lines.append(f"- {label(pw)}: " + "; ".join(
            f"`{n}` acts " + ACTS_ONLY.get(n, "— no reason recorded (ACTS_ONLY in "
                                             "sim/plots/sensitivity.py): investigate")
            for n in zero) + ".")
    if found:
        lines += ["", f"A μ* of 0 here means that none of the {meta['size_spec']['morris_r']} "
                  f"trajectories of {meta['days']}-day runs reached the state in which the "
                  "parameter acts often enough to move an output; its effect is measured where "
                  "that state is forced: the mechanism tests (`tests/test_standoffs.py`, "
                  "`tests/test_mechanisms.py`), the crisis hazard of the comparison and scenario "
                  "discovery below."]
    return lines


def _discovery(disc: dict, meta: dict) -> list[str]:
    """Scenario discovery in words: the crisis rate, by pathway, and PRIM's boxes."""
    rate = float(disc["crisis"].mean())
    lines = ["", "## Scenario discovery: which combinations lead to a crisis", "",
             f"{len(disc['crisis'])} runs of {meta.get('discovery_days', meta['days'])} days "
             "over a Latin hypercube of uncertainties and levers "
             f"(`DISCOVERY` in `sim/sensitivity.py`, both pathways); {rate:.0%} had a crisis "
             "(use of weapons).", ""]
    if PATHWAY_AXIS in disc["names"]:
        pw_col = disc["names"].index(PATHWAY_AXIS)
        by = []
        for v, pw in enumerate(PATHWAYS):
            sel = disc["X"][:, pw_col] == v
            by.append(f"{label(pw)} {int(disc['crisis'][sel].sum())} of {int(sel.sum())} "
                      f"runs ({disc['crisis'][sel].mean():.0%})")
        lines += ["By pathway: " + "; ".join(by) + ".", ""]
    lines += ["PRIM boxes (peeling 10 % at a time down to 10 % support; then the restrictions "
              "that matter least are dropped while the box keeps 60 % of its density, so that "
              "it reads as a rule):", ""]
    if disc["boxes"]:
        lines += [f"{k + 1}. " + _words(b, rate) for k, b in enumerate(disc["boxes"])]
    else:
        lines.append("No box concentrates crises above the base rate at this sample size.")
    return lines


def write_report(out: Path, results: dict, disc: dict, meta: dict) -> Path:
    """``meta``: size (name), size_spec (its numbers), days, sea, seconds, discovery_days."""
    import sim

    img = out / "img"
    out.mkdir(parents=True, exist_ok=True)
    caption = (f"greyzone-sim {sim.__version__}; `{_command(meta)}` ({meta['sea']} sea), "
               f"{dt.date.today().isoformat()}.")
    figs = [fig_morris(pw, r["morris"], img, caption) for pw, r in results.items()]
    figs.append(fig_sobol(results, img, caption))
    figs.append(fig_discovery(disc, img, caption))
    lines = _intro(results, meta)
    for pw in results:
        lines += [_paragraph(pw, results), ""]
    lines += _morris_table(results) + _inert(results, meta) + _discovery(disc, meta)
    return write_page(out / "sensitivity.md", lines, figs)
