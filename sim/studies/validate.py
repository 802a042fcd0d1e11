"""Validation: the baseline against the real patterns in FACTS.md §1–4.

``python -m sim.validate [--seeds N] [--days D] [--jobs J] [--out DIR]`` (``make validate``)
runs the baseline over seeds, plus a HYSY-981-like stand-off and a Second-Thomas-like agreed
arrangement, computes one number per check and run, and writes ``DIR/validation.md`` with
figures in ``DIR/img/``. Each check states its source, the real value or range, the model's
figure with its 95 % interval (``sim/studies/verdicts.py``), the tolerance, the verdict and the
expected verdict of ``sim/studies/expected_verdicts.yaml``; the checks themselves, with their
sources and tolerances, are in ``sim/studies/checks.py``. The calibration targets are not
checks: their fit across the seeds is shown apart, without a verdict. Exit 1 when a verdict
differs clearly from the expected one (``--strict``: any difference), 2 on bad arguments.

Tolerances are deliberately about patterns and orders of magnitude: the real figures are
lower bounds (AIS undercounts the coast guard), single incidents, or analogues (Senkaku
persistence for the Paracels), see FACTS.md's reliability marks.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sim.base.cli import OneLineParser, folder_problem, int_in, jobs
from sim.engine.ladder import BOARDING, CRISIS, RAMMING, SEVERE
from sim.params.scenarios import BASELINE
from sim.studies.checks import (CALIBRATION_FIT, CHECKS, HOTLINE_DAY, HYSY_DAMAGE_DAYS, HYSY_DAY,
                                HYSY_DAYS, HYSY_SPOT, REPORTED, Check, Reported)
from sim.studies.verdicts import EXPECTED, ExpectedError, differences, figure, load_expected, verdict


# --------------------------------------------------------------------------- runs
def _one(overrides: list[str]) -> dict:
    import sim

    # Runs go on after a crisis: the stand-off and arrangement checks compare fixed windows,
    # and the crisis hazard counts crises per run-year of exposure.
    r = sim.run(sim.compose(["run.progress=off", "run.stop_at_crisis=false", *overrides]))
    inc = r.incidents[["day", "lat", "initiator_flag", "target_type", "target_flag", "target_id",
                       "rung", "outcome", "hotspot"]]
    return dict(summary=r.summary, daily=r.daily, hotspots=r.hotspots, incidents=inc)


def run_sets(seeds: int, days: int, jobs: int) -> dict[str, list[dict]]:
    from joblib import Parallel, delayed

    common = [f"scenario={BASELINE}", f"run.days={days}", "run.start=2025-01-01"]
    sets = {"base": [], "hysy": ["+inject=hysy981"], "hotline": ["+inject=hotline"]}
    if days <= HOTLINE_DAY + 60:
        sets.pop("hotline")
    if days < HYSY_DAY + HYSY_DAYS:  # the stand-off checks need the whole inject
        sets.pop("hysy")
    tasks = [(name, s, common + extra + [f"seed={s}"]) for name, extra in sets.items()
             for s in range(seeds)]
    out = Parallel(n_jobs=jobs)(delayed(_one)(ov) for _, _, ov in tasks)
    results: dict[str, list[dict]] = {name: [] for name in sets}
    for (name, _, _), res in zip(tasks, out):
        results[name].append(res)
    return results


# --------------------------------------------------------------------------- metrics
def metrics(runs: dict[str, list[dict]]) -> dict[str, np.ndarray]:
    """One value per run and figure (checks, calibration targets, reported figures); for a
    pooled statistic also its numerator ``KEY.num`` and denominator ``KEY.den`` per run."""
    items = [*CHECKS, *CALIBRATION_FIT, *REPORTED]
    m: dict[str, list[float]] = {c.key: [] for c in items}
    m |= {f"{c.key}.{part}": [] for c in items if c.stat != "median" for part in ("num", "den")}
    base = runs["base"]
    for r in base:
        _baseline(m, r)
    for r in runs.get("hysy", []):
        _standoff(m, r)
    for r0, r1 in zip(base, runs.get("hotline", [])):
        sev = [(x["incidents"].query("day >= @HOTLINE_DAY")["rung"] >= SEVERE).sum()
               for x in (r0, r1)]
        _pooled(m, "hotline_severe", sev[1], sev[0])
        pres = [(x["hotspots"].query("day >= @HOTLINE_DAY")["cn_coast_guard"] > 0).mean()
                for x in (r0, r1)]
        m["hotline_presence"].append(pres[1] / max(pres[0], 1e-9))
    return {k: np.array(v, float) for k, v in m.items()}


def _pooled(m: dict, key: str, num: float, den: float) -> None:
    """A pooled figure's per-run parts, and the per-run value num / den (nan if den is 0)."""
    m[key].append(num / den if den else np.nan)
    m[f"{key}.num"].append(num)
    m[f"{key}.den"].append(den)


def _against_vietnam(inc: pd.DataFrame, kind: str | None = None) -> pd.DataFrame:
    """Incidents China initiated against Vietnamese hulls (of one type, if given)."""
    sel = (inc["initiator_flag"] == "CHN") & (inc["target_flag"] == "VNM")
    if kind is not None:
        sel &= inc["target_type"] == kind
    return inc[sel]


def _baseline(m: dict, r: dict) -> None:
    s, d, h, inc = r["summary"], r["daily"], r["hotspots"], r["incidents"]
    years = len(d) / 365.25
    m["presence_vanguard"].append(s["presence_fraction"].get("vanguard_bank", np.nan))
    m["presence_paracels"].append(s["presence_fraction"].get("paracels", np.nan))
    par = h[h["hotspot"] == "paracels"].set_index("day")
    m["ccg_on_station"].append(float(par["cn_coast_guard"].mean()))
    m["weather_gaps"].append(_gap_ratio(par["cn_coast_guard"], d))
    m["militia_spratlys"].append(s["cn_militia_spratlys_mean"])
    m["moratorium_ratio"].append(_moratorium_ratio(inc, d))
    cn = inc[inc["initiator_flag"] == "CHN"]
    m["severe_per_year"].append(float((cn["rung"] >= SEVERE).sum()) / years)
    sunk = inc[(inc["outcome"] == "sunk") & (inc["target_flag"] == "VNM")]
    _pooled(m, "sinkings_per_year", len(sunk), years)
    fishing = _against_vietnam(inc, "fishing")
    _pooled(m, "rammings_per_year", int((fishing["rung"] == RAMMING).sum()), years)
    _pooled(m, "detentions_per_year", int((fishing["outcome"] == "detained").sum()), years)
    _pooled(m, "boardings_per_year", int((_against_vietnam(inc)["rung"] == BOARDING).sum()),
            years)
    _pooled(m, "crisis_per_year", int((inc["rung"] == CRISIS).sum()), years)


def _standoff(m: dict, r: dict) -> None:
    """The HYSY-981-like run: Chinese ships near the rig against week 1, the Vietnamese force,
    the damage done to it in the first 34 days, and whether a crisis broke out."""
    h, inc = r["hotspots"], r["incidents"]
    cnt = _chinese_near(h, HYSY_SPOT)
    week1 = cnt.loc[HYSY_DAY:HYSY_DAY + 6].mean()
    m["hysy_surge"].append(cnt.loc[HYSY_DAY + 21:HYSY_DAY + 35].mean() / max(week1, 1))
    m["hysy_lasting"].append(cnt.loc[HYSY_DAY + 49:HYSY_DAY + 70].mean() / max(week1, 1))
    vn = h[h["hotspot"] == HYSY_SPOT].set_index("day")["vn_government"]
    m["hysy_vietnam"].append(float(vn.loc[HYSY_DAY + 21:HYSY_DAY + 35].mean()))
    m["hysy_vietnam_peak"].append(float(vn.loc[HYSY_DAY:HYSY_DAY + HYSY_DAYS - 1].max()))
    first = inc[(inc["day"] >= HYSY_DAY) & (inc["day"] < HYSY_DAY + HYSY_DAMAGE_DAYS)]
    hit = first[(first["target_flag"] == "VNM") & (first["outcome"] == "damaged")
                & (first["hotspot"] == HYSY_SPOT)]
    m["hysy_damaged"].append(float(hit["target_id"].nunique()))
    during = inc[(inc["day"] >= HYSY_DAY) & (inc["day"] < HYSY_DAY + HYSY_DAYS)]
    _pooled(m, "hysy_crises", int((during["rung"] == CRISIS).any()), 1)


def _gap_ratio(ccg: pd.Series, daily: pd.DataFrame) -> float:
    severe = (daily.set_index("day")["sea_state_north"] >= 2).reindex(ccg.index, fill_value=False)
    recent = severe.rolling(4, min_periods=1).max().astype(bool)  # today or the 3 days before
    gap = ccg == 0
    if gap.mean() == 0:
        return np.nan
    return float(gap[recent].mean() / gap.mean()) if recent.any() else np.nan


def _moratorium_ratio(inc: pd.DataFrame, daily: pd.DataFrame) -> float:
    on = daily.set_index("day")["moratorium"]
    sel = inc[(inc["initiator_flag"] == "CHN") & (inc["target_type"] == "fishing")
              & (inc["lat"] >= 12.0)]
    in_season = sel["day"].map(on).fillna(False).astype(bool)
    rate_on = in_season.sum() / max(1, on.sum())
    rate_off = (~in_season).sum() / max(1, (~on).sum())
    return float(rate_on / rate_off) if rate_off > 0 else np.nan


def _chinese_near(hotspots: pd.DataFrame, slug: str) -> pd.Series:
    h = hotspots[hotspots["hotspot"] == slug].set_index("day")
    return h["cn_coast_guard"] + h["cn_militia"]


def _row(c: Check | Reported, values: dict[str, np.ndarray]):
    """A figure's row (value, 95 % interval, seeds' 5–95 % spread) and the Figure."""
    v = np.asarray(values.get(c.key, np.array([])), float)
    fig = figure(c.stat, v, values.get(f"{c.key}.num"), values.get(f"{c.key}.den"))
    finite = v[np.isfinite(v)]
    row = dict(check=c.name, key=c.key, value=fig.value, ci_lo=fig.ci_lo, ci_hi=fig.ci_hi,
               coverage=fig.coverage, n=fig.n,
               lo5=float(np.percentile(finite, 5)) if finite.size else np.nan,
               hi95=float(np.percentile(finite, 95)) if finite.size else np.nan)
    return row, fig


def judge(values: dict[str, np.ndarray]) -> pd.DataFrame:
    """One row per check: the figure, its 95 % interval, the seeds' 5–95 % spread, the
    verdict and whether it is clear (sim/studies/verdicts.py)."""
    rows = []
    for c in CHECKS:
        row, fig = _row(c, values)
        row["tolerance"] = f"≥ {c.lo:g}" if not np.isfinite(c.hi) else f"{c.lo:g}–{c.hi:g}"
        if fig.n == 0:
            row |= dict(verdict="not run", clear=False)
        else:
            verdict_, clear = verdict(fig, c.lo, c.hi)
            row |= dict(verdict=verdict_, clear=clear)
        rows.append(row)
    return pd.DataFrame(rows)


def describe(values: dict[str, np.ndarray], items: list[Reported]) -> pd.DataFrame:
    """One row per unjudged figure (calibration targets, figures without a record)."""
    return pd.DataFrame([_row(c, values)[0] for c in items])


# --------------------------------------------------------------------------- command line
def main(argv: list[str] | None = None) -> int:
    ap = OneLineParser(prog="python -m sim.validate", description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int_in(1), default=30, help="seeds per experiment (default 30)")
    ap.add_argument("--days", type=int_in(30, 36500), default=365,
                    help="days per run (default 365)")
    ap.add_argument("--jobs", type=jobs, default=-1, help="parallel processes (default: all cores)")
    ap.add_argument("--out", default="docs", help="folder for validation.md and img/")
    ap.add_argument("--expected", default=str(EXPECTED),
                    help="the expected verdicts (default: sim/studies/expected_verdicts.yaml)")
    ap.add_argument("--strict", action="store_true",
                    help="fail on any verdict that differs, borderline ones included")
    a = ap.parse_args(argv)
    problem = folder_problem(a.out, f"--out {a.out}")  # before minutes of simulation
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:  # read before the runs: a broken file must not cost minutes of simulation
        expected = load_expected(Path(a.expected), [c.key for c in CHECKS])
    except ExpectedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    print(f"validate: {a.seeds} seeds x {a.days} days (baseline, HYSY-981, hotline) ...",
          file=sys.stderr)
    runs = run_sets(a.seeds, a.days, a.jobs)
    values = metrics(runs)
    table = judge(values)
    table["expected"] = [expected[k]["verdict"] for k in table["key"]]
    from sim.plots.validation import write_report

    shown = dict(fit=(CALIBRATION_FIT, describe(values, CALIBRATION_FIT)),
                 reported=(REPORTED, describe(values, REPORTED)))
    path = write_report(Path(a.out), table, values, runs, CHECKS,
                        dict(seeds=a.seeds, days=a.days, seconds=time.perf_counter() - t0),
                        expected, shown)
    passed = int((table["verdict"] == "pass").sum())
    print(f"validation: {passed}/{len(table)} checks pass; report: {path}")
    fail, warn = differences(table, expected, strict=a.strict)
    for line in warn:
        print(f"warning: borderline, differs from {a.expected} at this size: {line}",
              file=sys.stderr)
    for line in fail:
        print(f"error: verdict differs from {a.expected}: {line}", file=sys.stderr)
    if fail:
        print(f"validation: {len(fail)} verdict(s) differ from the expected ones; if the change "
              "is deliberate, update the file and give the reason in the commit", file=sys.stderr)
        return 1
    print(f"validation: every verdict as expected ({a.expected})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
