"""The report's study sections (``sim.studies.report`` writes the rest and the index): the crisis
hazard per run-year, the scenarios compared in pairs by seed, the single-mechanism study and
the two-level factorial over mechanisms. Each takes the report being written (``rep``: its
sweep, output folder, ``table``, ``figure``, ``attempt``, ``entries``) and adds its files and
index entries; what the sweep cannot support goes to ``rep.sw.notes`` (the "Skipped" list)."""

from __future__ import annotations

from sim.params import scenarios


def crisis_hazard_table(sw) -> "pd.DataFrame":
    """First crises per run-year at risk, per scenario x capacity and pooled over capacities
    (``capacity`` "all"), with the exact Poisson (Garwood) 95 % interval.

    A run counts one crisis if its summary has ``crises`` > 0 (its first: later ones are not
    independent of it). Its years at risk are its ``years`` (a run that stops at its first
    crisis has fewer), cut at the first crisis where the run went on after it
    (``first_crisis_day``)."""
    import numpy as np
    import pandas as pd

    from sim.record.run import DAYS_PER_YEAR
    from sim.studies.verdicts import rate_interval

    r = sw.results
    if "years" in r:
        years = r["years"].astype(float)
    else:
        sw.notes.append("crisis_hazard: results.parquet has no years column: run-years from "
                        "days / 365.25")
        years = r["days"].astype(float) / DAYS_PER_YEAR
    crisis = r["crises"].astype(float) > 0
    if "first_crisis_day" in r:
        until = (pd.to_numeric(r["first_crisis_day"], errors="coerce") + 1) / DAYS_PER_YEAR
        years = np.where(crisis & until.notna(), np.fmin(years, until), years)
    d = pd.DataFrame({"scenario": r["scenario"].astype(str), "capacity": r[sw.capacity_col],
                      "crisis": crisis.astype(int), "years": years})
    rows = []
    for scen in sw.scenarios:
        g = d[d["scenario"] == scen]
        cells = [(cap, g[np.isclose(g["capacity"].astype(float), cap)]) for cap in sw.capacities]
        for cap, c in cells + [("all", g)]:
            k, exposure = int(c["crisis"].sum()), float(c["years"].sum())
            if exposure <= 0:
                continue
            lo, hi = rate_interval(k, exposure)
            rows.append({"scenario": scen, "capacity": cap, "runs": len(c), "crises": k,
                         "run_years": round(exposure, 4), "hazard_per_year": k / exposure,
                         "ci_lo": lo, "ci_hi": hi})
    return pd.DataFrame(rows)


def _hazard_markdown(t) -> str:
    from sim.plots.sweep import fmt_cap

    lines = ["| scenario | japan.capacity | runs | crises | run-years | hazard per year | "
             "95 % CI (Garwood) |", "|---|---|---:|---:|---:|---:|---|"]
    for x in t.itertuples():
        cap = "all (pooled)" if x.capacity == "all" else fmt_cap(x.capacity)
        lines.append(f"| {scenarios.label(x.scenario)} | {cap} | {x.runs} | {x.crises} | "
                     f"{x.run_years:.2f} | {x.hazard_per_year:.3g} | "
                     f"[{x.ci_lo:.3g}, {x.ci_hi:.3g}] |")
    return "\n".join(lines) + (
        "\n\nCrises: runs whose summary has crises > 0 (the first crisis of a run). Run-years "
        "at risk: the runs' simulated years up to their first crisis (a run that stops at a "
        "crisis has fewer). Interval: exact Poisson (Garwood) 95 %; with no crisis its upper "
        "end (3.69 / run-years) is what the runs can rule out.\n")


def hazard_ratio_table(sw, hazard) -> "pd.DataFrame":
    """Hazard ratios of first crises: each pair of scenarios at each capacity (and pooled),
    as ``scenarios.comparisons`` orders them, and each scenario's capacities against its
    lowest. Exact interval and p from the conditional binomial: given both cells' crises, the
    first cell's count is binomial with p = R T1 / (R T1 + T2) (Clopper-Pearson on p; the
    two-sided exact test of R = 1). Cells that are the same runs (the scenarios at capacity 0
    share their seeds and have no programme to differ by) are left out."""
    import numpy as np
    import pandas as pd
    from scipy import stats

    from sim.studies.verdicts import ratio_interval

    r = sw.results
    cell = {(x.scenario, x.capacity): x for x in hazard.itertuples()}

    def same_runs(a, b, cap) -> bool:  # on their common seeds, the same outcome every one
        if cap == "all":
            return False

        def runs(scen):
            g = r[(r["scenario"].astype(str) == scen)
                  & np.isclose(r[sw.capacity_col].astype(float), float(cap))]
            return {s: (c, d) for s, c, d in zip(g["seed"], g["crises"], g["days"])}
        x, y = runs(a), runs(b)
        common = set(x) & set(y)
        return bool(common) and all(x[s] == y[s] for s in common)

    def row(what, a, ca, b, cb):
        x, y = cell.get((a, ca)), cell.get((b, cb))
        if x is None or y is None:
            return None
        k1, t1, k2, t2 = x.crises, x.run_years, y.crises, y.run_years
        lo, hi = ratio_interval(k1, k2)
        scale = t2 / t1
        hr = (k1 / t1) / (k2 / t2) if k2 > 0 else (np.inf if k1 > 0 else np.nan)
        p = (stats.binomtest(int(k1), int(k1 + k2), t1 / (t1 + t2)).pvalue
             if k1 + k2 > 0 else np.nan)
        return {"comparison": what, "a": a, "capacity_a": ca, "b": b, "capacity_b": cb,
                "crises_a": k1, "run_years_a": t1, "crises_b": k2, "run_years_b": t2,
                "hazard_ratio": hr, "ci_lo": lo * scale, "ci_hi": hi * scale, "p": p}

    rows = []
    for cap in list(sw.capacities) + ["all"]:
        for a, b in scenarios.comparisons(sw.scenarios):
            if not same_runs(a, b, cap):
                rows.append(row("pathways", a, cap, b, cap))
    caps = sorted(sw.capacities)
    for scen in sw.scenarios:
        for cap in caps[1:]:
            rows.append(row("capacity", scen, cap, scen, caps[0]))
    return pd.DataFrame([x for x in rows if x is not None])


def _ratio_markdown(t) -> str:
    from sim.plots.sweep import fmt_cap

    def cap(c):
        return "all (pooled)" if c == "all" else fmt_cap(c)

    lines = ["| comparison | a | b | crises a / run-years | crises b / run-years | hazard "
             "ratio a / b | 95 % CI (exact) | p (exact) |", "|---|---|---|---:|---:|---:|---|---:|"]
    for x in t.itertuples():
        hr = "no crises" if x.hazard_ratio != x.hazard_ratio else f"{x.hazard_ratio:.3g}"
        lines.append(
            f"| {x.comparison} | {scenarios.label(x.a)} at {cap(x.capacity_a)} | "
            f"{scenarios.label(x.b)} at {cap(x.capacity_b)} | {x.crises_a} / {x.run_years_a:.1f} "
            f"| {x.crises_b} / {x.run_years_b:.1f} | {hr} | [{x.ci_lo:.3g}, {x.ci_hi:.3g}] | "
            f"{x.p:.3g} |")
    return "\n".join(lines) + (
        "\n\nHazard ratio: first crises per run-year at risk in a over those in b. Interval "
        "and p: exact, conditional on the two cells' crises (binomial with p = R T_a / (R T_a + "
        "T_b); the interval is the equal-tailed Clopper-Pearson one, the p the two-sided exact "
        "test of R = 1 (minimum likelihood), which is less conservative: near p = 0.05 an "
        "interval may just span 1). An interval that spans 1 says the runs cannot tell the two apart at this size; the size the study needs for a given "
        "ratio is in docs/sweeps.md (\"The crisis-risk study\").\n")


def crisis_hazard_section(rep) -> None:
    from sim.plots import rates

    sw = rep.sw
    if "crises" not in sw.results:
        sw.notes.append("crisis_hazard: results.parquet has no crises column")
        return
    table = rep.attempt("crisis_hazard table", lambda: crisis_hazard_table(sw))
    if table is None or table.empty:
        return
    md = _hazard_markdown(table)
    rep.table("crisis_hazard", "Crisis hazard per run-year", table, md, index=False)
    paths = rep.attempt("crisis_hazard", lambda: rates.crisis_hazard(sw, table, rep.out))
    if paths:
        rep.figure("crisis_hazard", "Crisis hazard per run-year",
                   "First crises per run-year at risk, per scenario and capacity and pooled, "
                   "exact Poisson (Garwood) 95 % intervals (table: crisis_hazard.csv).",
                   paths, more=md)
    else:
        rep.entries.append(("Crisis hazard per run-year", md))
    ratios = rep.attempt("crisis_hazard_ratios table", lambda: hazard_ratio_table(sw, table))
    if ratios is not None and not ratios.empty:
        rmd = _ratio_markdown(ratios)
        rep.table("crisis_hazard_ratios", "Crisis hazard ratios", ratios, rmd, index=False)
        rep.entries.append(("Crisis hazard ratios (pathways; capacity against none)", rmd))


def pairs_section(rep, focus: float | None) -> None:
    """The scenarios compared in pairs by seed: the table, its figures and EC − SS."""
    from sim.plots import compare

    sw, out = rep.sw, rep.out
    comps = scenarios.comparisons(sw.scenarios)
    if not comps:
        sw.notes.append(f"pairs, ec_minus_ss: only scenario(s) {', '.join(sw.scenarios)} in "
                        "the sweep: nothing to compare")
        return
    outcomes = compare.outcomes_present(sw)
    try:
        table = compare.pairs_table(sw, comps, outcomes)
    except ValueError as exc:
        sw.notes.append(f"pairs, ec_minus_ss: {exc}")
        return
    if table.empty:
        sw.notes.append("pairs, ec_minus_ss: no two scenarios share a seed at any capacity")
        return
    rep.table("pairs", "Scenarios compared in pairs, seed by seed", table,
              compare.to_markdown(table), index=False)
    cap = focus if focus is not None else float(table["capacity"].max())
    rep.entries.append(("Scenarios compared, paired by seed", compare.summary_markdown(
        table, cap) + "\nEvery capacity: [pairs.md](pairs.md) ([CSV](pairs.csv)). " +
        compare.NOTE))
    against = [c for c in comps if c[1] == scenarios.BASELINE]
    between = [c for c in comps if c[1] != scenarios.BASELINE]
    for name, pairs, title, what in (
            ("pairs_vs_baseline", against, "Each pathway against the baseline",
             "Each scenario minus the baseline run with the same seed and capacity, per "
             "outcome."),
            ("pairs_between_pathways", between, "The pathways against each other",
             "Differences between the pathways (EC − SS, EC − combined, SS − combined), "
             "paired by seed, per outcome.")):
        if pairs:
            rep.figure(name, title, what + " Bands: paired bootstrap 95 % CI; filled markers: "
                       "Wilcoxon signed-rank p < 0.05.",
                       rep.attempt(name, lambda p=pairs, n=name, t=title:
                                   compare.pairs_figure(sw, table, p, out, n, t)))
    a, b = scenarios.PATHWAYS
    ec_ss = table[(table["scenario_a"] == a) & (table["scenario_b"] == b)]
    if ec_ss.empty:
        lacking = [s for s in scenarios.PATHWAYS if s not in sw.scenarios]
        sw.notes.append("ec_minus_ss table and figure: scenario(s) "
                        f"{', '.join(lacking) or ' and '.join(scenarios.PATHWAYS)} not in the "
                        "sweep (or no shared seed)")
        return
    title = f"{scenarios.label(a)} minus {scenarios.label(b)}"
    rep.table("ec_minus_ss", title, ec_ss, compare.to_markdown(ec_ss), index=False)
    rep.figure("ec_minus_ss", "Difference between the pathways",
               f"{compare.difference_name(a, b)} on the incident counts per capacity, paired by "
               "seed, with bootstrap 95 % CIs and Wilcoxon p; table: ec_minus_ss.csv / .md.",
               rep.attempt("ec_minus_ss", lambda: compare.difference_figure(sw, table, out)))


def factorial_section(rep) -> None:
    """The two-level factorial over mechanisms: effects table and figure."""
    from sim.plots import factorial

    table = rep.attempt("factorial table", lambda: factorial.effects_table(rep.sw))
    if table is None or table.empty:
        return
    md = factorial.to_markdown(table)
    rep.table("factorial", "Mechanisms in a two-level factorial", table, md, index=False)
    rep.entries.append(("Mechanisms in a two-level factorial: table", md))
    rep.figure("factorial", "Mechanisms in a two-level factorial",
               "Main effects and two-way interactions on severe and reported incidents per "
               "month, 95 % t-intervals across seeds; table: factorial.csv.",
               rep.attempt("factorial", lambda: factorial.figure(rep.sw, table, rep.out)))


def mechanisms_section(rep) -> None:
    """The single-mechanism study: table and figure."""
    from sim.plots import mechanisms

    mech = rep.attempt("mechanisms", lambda: mechanisms.figure(rep.sw, rep.out))
    if not mech:
        return
    md = mechanisms.to_markdown(mech[1])
    rep.table("mechanisms", "Single mechanisms", mech[1], md, index=False)
    rep.entries.append(("Single mechanisms: table", md))
    rep.figure("mechanisms", "Single mechanisms",
               "Severe incidents against the cost of each mechanism bought alone; "
               "table: mechanisms.csv.", mech[0])
