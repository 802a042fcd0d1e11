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
