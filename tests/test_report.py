"""The report of a sweep: figures, the pathway difference table, statistics, bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT, run_cli
from sim.plots import compare

FIGURES = ["incident_rates", "crisis_probability", "crisis_hazard", "incident_density_map",
           "ladder", "presence", "pairs_vs_baseline", "pairs_between_pathways", "ec_minus_ss"]
PAIRS_COLUMNS = ["outcome", "capacity", "scenario_a", "scenario_b", "n_pairs", "mean_a", "mean_b",
                 "mean_diff", "ci_lo", "ci_hi", "wilcoxon_p"]
EC, SS, B, C = "enhanced_cooperation", "strategic_stabilization", "baseline", "combined"


def report_cli(*args):
    return subprocess.run([sys.executable, "-m", "sim.report", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def one_line_error(r):
    assert r.returncode != 0
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert "Traceback" not in r.stderr


@pytest.fixture(scope="module")
def toy_sweep(tmp_path_factory):
    """4 scenarios x 2 capacities x 2 seeds on the toy sea, the main experiment's grid cut."""
    d = tmp_path_factory.mktemp("report") / "s"
    r = run_cli("+experiment=compare_pathways_quick", "sea=toy", "run.days=15",
                "japan.capacity=0,1", "seed=0,1", f"hydra.sweep.dir={d}")
    assert r.returncode == 0, r.stderr[-3000:]
    assert len(pd.read_parquet(d / "results.parquet")) == 16
    return d


def test_report_writes_figures_and_difference_table(toy_sweep):
    r = report_cli(toy_sweep)
    assert r.returncode == 0, r.stderr
    out = toy_sweep / "report"
    assert f"report: {out}" in r.stdout
    for name in FIGURES:
        for ext in ("png", "svg"):
            f = out / f"{name}.{ext}"
            assert f.is_file() and f.stat().st_size > 5000, f
    assert (out / "incident_rates.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (out / "ladder.svg").read_bytes()[:2000]
    pairs = pd.read_csv(out / "pairs.csv")
    assert PAIRS_COLUMNS == list(pairs.columns)[:len(PAIRS_COLUMNS)]
    assert set(zip(pairs["scenario_a"], pairs["scenario_b"])) == {
        (EC, B), (SS, B), (C, B), (EC, SS), (EC, C), (SS, C)}
    outcomes = set(pairs["outcome"])
    assert {"reported_incidents_per_month", "incidents_per_month",
            "severe_incidents_per_month", "detection_rate", "vn_fishing_access"} <= outcomes
    assert len(pairs) == len(outcomes) * 2 * 6  # outcomes x capacities x comparisons
    ok = pairs["ci_lo"].notna()
    assert ok.any() and (pairs.loc[ok, "ci_lo"] <= pairs.loc[ok, "mean_diff"] + 1e-12).all()
    assert (pairs.loc[ok, "mean_diff"] <= pairs.loc[ok, "ci_hi"] + 1e-12).all()
    # At capacity 0 every scenario is the same run: no difference, p = 1, and no crash.
    # (Outcomes a run may lack, such as response_hours with no response, pair only where both
    # runs have them: a cell with no pair has no difference to state.)
    zero = pairs[pairs["capacity"] == 0]
    assert zero["mean_diff"].isna().equals(zero["n_pairs"] == 0)
    zero = zero[zero["n_pairs"] > 0]
    assert len(zero) and (zero["mean_diff"] == 0).all() and (zero["wilcoxon_p"] == 1).all()
    assert "no difference" in (out / "pairs.md").read_text()
    table = pd.read_csv(out / "ec_minus_ss.csv")
    assert list(table.columns) == list(pairs.columns)
    assert set(zip(table["scenario_a"], table["scenario_b"])) == {(EC, SS)}
    md = (out / "ec_minus_ss.md").read_text()
    assert "95 % CI" in md and "Wilcoxon" in md
    hazard = pd.read_csv(out / "crisis_hazard.csv")
    assert len(hazard) == 4 * 3  # 4 scenarios x (2 capacities + pooled)
    assert (hazard["ci_lo"] <= hazard["hazard_per_year"]).all()
    index = (out / "README.md").read_text()
    assert all(f"{n}.png" in index for n in FIGURES)
    assert "Crisis hazard per run-year" in index and "Garwood" in index
    absent = [o for o in compare.OUTCOMES if o not in outcomes]
    if absent:  # the outcomes this model version does not write yet are listed as skipped
        assert absent[0] in index.split("## Skipped")[1]
    ladder = pd.read_csv(out / "ladder.csv", index_col=0)
    assert np.allclose(ladder.sum(axis=1), 100)


def test_report_with_missing_scenarios_says_what_was_skipped(toy_sweep, tmp_path):
    copy = tmp_path / "only_baseline"
    shutil.copytree(toy_sweep, copy, ignore=shutil.ignore_patterns("report"))
    for run in copy.glob("*scenario=*"):
        if "scenario=baseline" not in run.name:
            shutil.rmtree(run)
    (copy / "results.parquet").unlink()  # the report gathers what is there
    r = report_cli(copy)
    assert r.returncode == 0, r.stderr
    assert "ec_minus_ss" in r.stderr and "enhanced_cooperation" in r.stderr
    out = copy / "report"
    assert (out / "incident_rates.png").is_file() and (out / "ladder.svg").is_file()
    assert not (out / "ec_minus_ss.csv").exists()
    assert "Skipped" in (out / "README.md").read_text()


def test_mechanisms_study_gets_its_figure(tmp_path):
    d = tmp_path / "mech"
    r = run_cli("+experiment=mechanisms", "sea=toy", "run.days=10", "scenario=baseline",
                "japan={},{radars:3},{training:1.0}", "seed=0,1", f"hydra.sweep.dir={d}")
    assert r.returncode == 0, r.stderr[-3000:]
    df = pd.read_parquet(d / "results.parquet")
    assert len(df) == 6 and {"japan.radars", "japan.training"} <= set(df.columns)
    assert df["japan.radars"].isna().sum() == 4  # set only in the radar runs
    r = report_cli(d)
    assert r.returncode == 0, r.stderr
    assert (d / "report" / "mechanisms.png").is_file()
    assert (d / "report" / "mechanisms.svg").is_file()
    table = pd.read_csv(d / "report" / "mechanisms.csv")
    assert set(table["mechanism"]) == {"radars", "training"}


def test_report_bad_input_is_one_line(toy_sweep, tmp_path):
    one_line_error(report_cli("/nonexistent/sweep"))
    empty = tmp_path / "empty"
    empty.mkdir()
    one_line_error(report_cli(empty))
    copy = tmp_path / "corrupt"
    shutil.copytree(toy_sweep, copy, ignore=shutil.ignore_patterns("report"))
    (copy / "results.parquet").write_bytes(b"PAR1 this is not parquet")
    r = report_cli(copy)
    one_line_error(r)
    assert "sim.gather" in r.stderr


def test_statistics():
    from sim.plots.stats import bootstrap_mean, paired, t_interval, wilcoxon, wilson

    p, lo, hi = wilson(0, 10)
    assert p == 0 and lo == 0 and 0.25 < hi < 0.35  # Wilson: (0, 0.278)
    p, lo, hi = wilson(5, 10)
    assert lo == pytest.approx(0.2366, abs=1e-3) and hi == pytest.approx(0.7634, abs=1e-3)
    m, lo, hi = t_interval([1.0, 2.0, 3.0])
    assert m == 2 and lo == pytest.approx(2 - 2.4841, abs=1e-3)
    res = paired([10.0 + s for s in range(8)], [8.0 + s for s in range(8)])
    assert res["n_pairs"] == 8 and res["mean_diff"] == res["ci_lo"] == res["ci_hi"] == 2.0
    assert res["wilcoxon_p"] == pytest.approx(2 / 2 ** 8)  # exact: all 8 differences > 0
    assert np.isnan(bootstrap_mean([1.0])).all()  # no interval from one value
    assert wilcoxon([0.0, 0.0, 0.0]) == (1.0, 0.0)  # all zero: no difference, not a crash
    assert np.isnan(wilcoxon([])[0])


def _sweep(tmp_path, rows):
    from sim.plots.sweep import Sweep

    df = pd.DataFrame(rows)
    df["run_dir"] = [f"run{i}" for i in range(len(df))]
    return Sweep.load(tmp_path, df)


def _pairs(sw, outcome="severe_incidents_per_month", comps=((EC, B),)):
    t = compare.pairs_table(sw, list(comps), [outcome])
    assert list(t.columns)[:len(PAIRS_COLUMNS)] == PAIRS_COLUMNS
    return t


def test_pairs_are_matched_by_seed_not_by_row_order(tmp_path):
    """Seeds differ a lot (weather), EC is the baseline + 1 in every seed: paired, the
    difference is certain; unpaired, it drowns in the spread between seeds."""
    from scipy import stats

    rng = np.random.default_rng(1)
    seeds = np.arange(12)
    base = 20.0 * seeds + rng.normal(0, 0.01, seeds.size)
    ec = base + 1 + rng.normal(0, 0.2, seeds.size)
    rows = [dict(scenario=B, seed=int(s), severe_incidents_per_month=v)
            for s, v in zip(seeds, base)]
    rows += [dict(scenario=EC, seed=int(s), severe_incidents_per_month=v)
             for s, v in reversed(list(zip(seeds, ec)))]  # another row order than the baseline
    for r in rows:
        r["japan.capacity"] = 0.5
    x = _pairs(_sweep(tmp_path, rows)).iloc[0]
    assert x.n_pairs == 12 and x.mean_diff == pytest.approx((ec - base).mean())
    assert x.wilcoxon_p < 0.001 and x.ci_lo > 0.5
    assert stats.mannwhitneyu(ec, base).pvalue > 0.5  # unpaired: nothing to see


def test_pairs_sign_is_a_minus_b(tmp_path):
    rows = []
    for s in range(8):
        rows += [dict(scenario=B, seed=s, severe_incidents_per_month=5.0 + s),
                 dict(scenario=EC, seed=s, severe_incidents_per_month=5.0 + s + 0.5 + 0.1 * s),
                 dict(scenario=SS, seed=s, severe_incidents_per_month=4.0 + s - 0.1 * s)]
    for r in rows:
        r["japan.capacity"] = 1.0
    t = _pairs(_sweep(tmp_path, rows), comps=[(EC, B), (SS, B), (EC, SS)]).set_index(
        ["scenario_a", "scenario_b"])
    up, down = t.loc[(EC, B)], t.loc[(SS, B)]
    assert up.mean_a > up.mean_b and up.mean_diff > 0 and up.rank_biserial == 1.0
    assert down.mean_diff < 0 and down.rank_biserial == -1.0
    assert up.wilcoxon_p == down.wilcoxon_p == pytest.approx(2 / 2 ** 8)
    assert t.loc[(EC, SS)].mean_diff == pytest.approx(up.mean_a - down.mean_a)
    assert t.loc[(EC, SS)].ci_lo > 0


def test_pairs_use_only_finite_values_and_say_how_many(tmp_path):
    rows = []
    for s in range(6):
        rows += [dict(scenario=B, seed=s, response_hours=np.nan if s == 0 else 10.0 + s),
                 dict(scenario=EC, seed=s, response_hours=np.nan if s == 5 else 8.0 + s)]
    for r in rows:
        r["japan.capacity"] = 0.0
    x = _pairs(_sweep(tmp_path, rows), "response_hours").iloc[0]
    assert x.n_pairs == 4 and x.mean_diff == pytest.approx(-2.0)
    assert x.mean_a == pytest.approx(np.mean([9, 10, 11, 12]))


def test_pairs_refuse_ambiguous_seeds(tmp_path):
    rows = [dict(scenario=s, seed=0, severe_incidents_per_month=1.0, **{"japan.capacity": 0.0})
            for s in (B, B, EC)]
    with pytest.raises(ValueError, match="cannot be paired"):
        _pairs(_sweep(tmp_path, rows))


def test_crisis_hazard_is_per_run_year_at_risk(tmp_path):
    from scipy import stats

    from sim.studies.report_sections import crisis_hazard_table

    # Baseline: 4 runs; the two with a crisis stopped early (0.1 year each): 2 crises in 2.2
    # run-years, not 2 in 4 runs. EC: one run went on a year after its crisis on day 36.
    rows = [dict(scenario=B, seed=s, crises=c, years=y, first_crisis_day=d)
            for s, (c, y, d) in enumerate([(0, 1.0, None), (0, 1.0, None), (1, 0.1, 36),
                                           (2, 0.1, 36)])]
    rows += [dict(scenario=EC, seed=0, crises=3, years=1.0, first_crisis_day=36),
             dict(scenario=EC, seed=1, crises=0, years=1.0, first_crisis_day=None)]
    for r in rows:
        r["japan.capacity"] = 0.5
    sw = _sweep(tmp_path, rows)
    t = crisis_hazard_table(sw).set_index(["scenario", "capacity"])
    b = t.loc[(B, 0.5)]
    assert b.crises == 2 and b.runs == 4
    assert b.run_years == pytest.approx(2.2, abs=1e-3)
    assert b.hazard_per_year == pytest.approx(2 / 2.2, rel=1e-3)
    assert b.ci_lo == pytest.approx(stats.chi2.ppf(0.025, 4) / 2 / 2.2, rel=1e-3)
    assert b.ci_hi == pytest.approx(stats.chi2.ppf(0.975, 6) / 2 / 2.2, rel=1e-3)
    e = t.loc[(EC, 0.5)]  # at risk until its first crisis only
    assert e.crises == 1 and e.run_years == pytest.approx(1 + 37 / 365.25, abs=1e-3)
    assert t.loc[(B, "all")].hazard_per_year == b.hazard_per_year


def test_crisis_hazard_ratios_are_exact_and_skip_cells_that_are_the_same_runs(tmp_path):
    from scipy import stats

    from sim.studies.report_sections import crisis_hazard_table, hazard_ratio_table

    # Capacity 0: baseline and EC are the same runs (same seeds, same outcomes). Capacity 1:
    # baseline 6 crises in 20 runs, EC 1 in 20 (one-year runs; a crisis stops a run at
    # day 99, so it has 100 / 365.25 years at risk).
    rows = []
    for scen, cap, k in ((B, 0.0, 3), (EC, 0.0, 3), (B, 1.0, 6), (EC, 1.0, 1)):
        for s in range(20):
            crisis = s < k
            rows.append({"scenario": scen, "japan.capacity": cap, "seed": s,
                         "crises": int(crisis), "days": 100 if crisis else 365,
                         "years": (100 if crisis else 365) / 365.25,
                         "first_crisis_day": 99 if crisis else None})
    sw = _sweep(tmp_path, rows)
    hz = crisis_hazard_table(sw)
    t = hazard_ratio_table(sw, hz)
    path = t[t.comparison == "pathways"]
    assert set(path.capacity_a) == {1.0, "all"}  # capacity 0: the same runs, no ratio
    one = path[path.capacity_a == 1.0].iloc[0]
    assert (one.a, one.b, one.crises_a, one.crises_b) == (EC, B, 1, 6)
    t_ec, t_b = (1 * 100 + 19 * 365) / 365.25, (6 * 100 + 14 * 365) / 365.25
    exact = pytest.approx  # (the hazard table keeps run-years to 4 decimals: rel 1e-5)
    assert one.hazard_ratio == exact((1 / t_ec) / (6 / t_b), rel=1e-5)
    assert one.p == exact(stats.binomtest(1, 7, t_ec / (t_ec + t_b)).pvalue, rel=1e-5)
    # the interval is the Clopper-Pearson interval of p = R T_a / (R T_a + T_b), mapped to R
    p_lo, p_hi = stats.beta.ppf(0.025, 1, 7), stats.beta.ppf(0.975, 2, 6)
    assert one.ci_lo == exact(p_lo / (1 - p_lo) * t_b / t_ec, rel=1e-5)
    assert one.ci_hi == exact(p_hi / (1 - p_hi) * t_b / t_ec, rel=1e-5)
    assert one.ci_lo < one.hazard_ratio < one.ci_hi
    cap = t[(t.comparison == "capacity") & (t.a == B)].iloc[0]  # baseline 1 against 0
    assert (cap.capacity_a, cap.capacity_b, cap.crises_a, cap.crises_b) == (1.0, 0.0, 6, 3)
    assert cap.hazard_ratio > 1


def _factorial_rows(effect):
    from itertools import product

    from sim.plots.mechanisms import MECHANISMS

    rng = np.random.default_rng(3)
    rows = []
    high = {"vessels": 14, "radars": 12, "training": 1.0, "info_sharing": 1.0, "cbm": 1.0}
    for seed in range(4):
        shift = rng.normal(0, 3)  # a seed's weather moves every cell
        for bits in product([0, 1], repeat=5):
            x = dict(zip(high, bits))
            row = {MECHANISMS[m][0]: high[m] * b for m, b in x.items()}
            row.update(scenario="combined", seed=seed, **{"japan.capacity": 0.0},
                       severe_incidents_per_month=effect(x) + shift + rng.normal(0, 0.05),
                       reported_incidents_per_month=10 + shift)
            rows.append(row)
    return rows


def test_factorial_main_effects_and_interactions_have_their_sign(tmp_path):
    from sim.plots import factorial

    sw = _sweep(tmp_path, _factorial_rows(
        lambda x: 3 + 2 * x["vessels"] - 1.5 * x["radars"] + 0.8 * x["training"] * x["cbm"]))
    assert factorial.applies(sw.results)
    t = factorial.effects_table(sw)
    sev = t[t["outcome"] == "severe_incidents_per_month"].set_index("effect")
    assert len(sev) == 5 + 10 and set(sev["n_seeds"]) == {4}
    assert sev.loc["vessels", "estimate"] == pytest.approx(2.0, abs=0.05)
    assert sev.loc["radars", "estimate"] == pytest.approx(-1.5, abs=0.05)
    assert sev.loc["radars", "ci_hi"] < 0 < sev.loc["vessels", "ci_lo"]
    # training x cbm: both together add 0.8 beyond the sum of each alone
    assert sev.loc["training × cbm", "estimate"] == pytest.approx(0.8, abs=0.05)
    assert sev.loc["training", "estimate"] == pytest.approx(0.4, abs=0.05)  # averaged over cbm
    assert sev.loc["vessels × radars", "estimate"] == pytest.approx(0.0, abs=0.05)
    rep = t[t["outcome"] == "reported_incidents_per_month"]
    assert np.allclose(rep["estimate"], 0)  # the seed shift cancels within a seed
    assert "training × cbm" in factorial.to_markdown(t)


def test_a_single_mechanism_study_is_not_a_factorial():
    from sim.plots import factorial

    df = pd.DataFrame({"japan.radars": [np.nan, 3, np.nan], "japan.training": [np.nan, np.nan, 1],
                       "scenario": "baseline"})
    assert not factorial.applies(df)


def test_factorial_sweep_gets_its_report(tmp_path):
    d = tmp_path / "fact"
    r = run_cli("+experiment=mechanisms_factorial", "sea=toy", "run.days=10",
                "japan={vessels:0,radars:0},{vessels:4,radars:0},{vessels:0,radars:3},"
                "{vessels:4,radars:3}", "seed=0,1", f"hydra.sweep.dir={d}")
    assert r.returncode == 0, r.stderr[-3000:]
    r = report_cli(d)
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(d / "report" / "factorial.csv")
    assert set(t["effect"]) == {"vessels", "radars", "vessels × radars"}
    assert (d / "report" / "factorial.png").is_file()
    assert not (d / "report" / "mechanisms.csv").exists()
