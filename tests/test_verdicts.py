"""Validation verdicts (sim/studies/verdicts.py): the intervals cover what they claim, the
verdict follows the tolerance, and ``python -m sim.validate`` fails when a verdict differs from
the committed expected verdicts (issue 15, item 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.studies import validate, verdicts

# Coverage is checked by simulation: 2,000 draws of a 95 % interval. The standard error of a
# coverage of 0.95 over 2,000 draws is 0.005, so >= 0.93 (4 SE below) fails only on a wrong
# interval; exact intervals are conservative, so no upper bound is asserted beyond 0.995.
DRAWS, COVER_MIN = 2000, 0.93


def test_median_interval_is_the_order_statistic_interval_with_its_binomial_coverage():
    x = np.arange(20.0)[::-1]  # unsorted on purpose
    lo, hi, cover = verdicts.median_interval(x)
    assert (lo, hi) == (5.0, 14.0)  # x(6), x(15) for n = 20 (Conover, Table A3)
    assert cover == pytest.approx(1 - 2 * 0.020695, abs=1e-5)
    lo, hi, cover = verdicts.median_interval(np.array([3.0, 1.0, 2.0, 4.0]))
    assert (lo, hi, cover) == (1.0, 4.0, 0.875)  # four seeds: only the range, 87.5 %


@pytest.mark.parametrize("n", [6, 11, 20])
def test_median_interval_covers_the_median_of_a_skewed_distribution(n):
    rng = np.random.default_rng(n)
    true_median = np.log(2.0)  # exponential(1)
    hits = 0
    for _ in range(DRAWS):
        lo, hi, _ = verdicts.median_interval(rng.exponential(size=n))
        hits += lo <= true_median <= hi
    assert COVER_MIN <= hits / DRAWS <= 0.995


def test_rate_interval_is_garwood_and_covers_a_rare_rate():
    lo, hi = verdicts.rate_interval(0, 1.0)
    assert lo == 0.0 and hi == pytest.approx(3.6889, abs=1e-3)  # the "rule of 3.7"
    lo, hi = verdicts.rate_interval(4, 11.0)
    assert (lo, hi) == (pytest.approx(1.0899 / 11, abs=1e-4), pytest.approx(10.2416 / 11,
                                                                                  abs=1e-4))
    rng = np.random.default_rng(1)
    rate, years = 0.3, 20.0
    hits = sum(lo <= rate <= hi for lo, hi in
               (verdicts.rate_interval(rng.poisson(rate * years), years) for _ in range(DRAWS)))
    assert COVER_MIN <= hits / DRAWS


def test_ratio_interval_covers_a_ratio_of_counts_with_equal_exposure():
    rng = np.random.default_rng(2)
    ratio, mean_den = 0.4, 25.0
    hits = 0
    for _ in range(DRAWS):
        num, den = rng.poisson(ratio * mean_den), rng.poisson(mean_den)
        lo, hi = verdicts.ratio_interval(num, den)
        hits += lo <= ratio <= hi
    assert COVER_MIN <= hits / DRAWS
    lo, hi = verdicts.ratio_interval(0, 240)
    assert lo == 0 and 0.005 < hi < 0.03  # none of 240: the ratio is at most ~1.5 %


def test_ratio_ignores_seeds_without_events_instead_of_scoring_them_zero():
    """Issue 15: a seed with no severe incidents in either arm scored 0, a pass. Pooled, it
    carries no weight, and all-empty seeds give no figure at all."""
    fig = verdicts.figure("ratio", np.array([np.nan, np.nan]), np.array([0, 0]), np.array([0, 0]))
    assert fig.n == 0 and not np.isfinite(fig.value)
    fig = verdicts.figure("ratio", np.array([np.nan, 0.5]), np.array([0, 5]), np.array([0, 10]))
    assert fig.value == 0.5 and fig.n == 1


def test_share_interval_is_clopper_pearson_and_covers_a_share_of_runs():
    lo, hi = verdicts.share_interval(0, 3)
    assert lo == 0.0 and hi == pytest.approx(1 - 0.025 ** (1 / 3))  # 0 of 3: below 0.71
    lo, hi = verdicts.share_interval(20, 20)
    assert hi == 1.0 and lo == pytest.approx(0.025 ** (1 / 20))
    fig = verdicts.figure("share", np.array([0.0, 1.0, 0.0, 0.0]), np.array([0, 1, 0, 0]),
                          np.ones(4))
    assert fig.value == 0.25 and fig.n == 4 and fig.ci_lo < 0.25 < fig.ci_hi
    rng = np.random.default_rng(3)
    p, n = 0.2, 20
    hits = sum(lo <= p <= hi for lo, hi in
               (verdicts.share_interval(rng.binomial(n, p), n) for _ in range(DRAWS)))
    assert COVER_MIN <= hits / DRAWS


@pytest.mark.parametrize("value,ci,verdict,clear", [
    (0.5, (0.45, 0.55), "pass", True), (0.5, (0.05, 0.55), "pass", False),
    (2.0, (1.5, 2.5), "miss", True), (2.0, (0.9, 2.5), "miss", False),
])
def test_verdict_and_clarity_follow_the_tolerance(value, ci, verdict, clear):
    fig = verdicts.Figure(value, *ci, 0.95, 10)
    assert verdicts.verdict(fig, 0.1, 1.0) == (verdict, clear)


def _table(rows):
    return pd.DataFrame([dict(key=k, verdict=v, clear=c, value=1.0, ci_lo=0.5, ci_hi=1.5,
                              tolerance="0–1") for k, v, c in rows])


def test_differences_fail_when_clear_and_warn_when_borderline():
    expected = {"a": {"verdict": "pass"}, "b": {"verdict": "miss", "reason": "r"},
                "c": {"verdict": "pass"}}
    table = _table([("a", "miss", True), ("b", "pass", False), ("c", "pass", True)])
    fail, warn = verdicts.differences(table, expected)
    assert [f.split(":")[0] for f in fail] == ["a"] and [w.split(":")[0] for w in warn] == ["b"]
    fail, warn = verdicts.differences(table, expected, strict=True)
    assert len(fail) == 2 and not warn


def test_the_committed_expected_verdicts_list_every_check_once_with_reasons_for_misses():
    expected = verdicts.load_expected(keys=[c.key for c in validate.CHECKS])
    assert list(expected) == [c.key for c in validate.CHECKS]
    for key, e in expected.items():
        assert e["verdict"] in ("pass", "miss")
        if e["verdict"] == "miss":
            assert len(e["reason"]) > 80, key  # a reason, not a word


@pytest.mark.parametrize("text,fragment", [
    ("checks: [a]", "expected a mapping"),
    ("checks: {ccg_on_station: {verdict: maybe}}", "verdict must be one of"),
    ("checks: {ccg_on_station: {verdict: miss}}", "needs its reason"),
    ("checks: {ccg_on_station: {verdict: pass}}", "checks missing"),
    ("checks: {a: [", "cannot read"),
])
def test_a_bad_expected_file_is_one_line_naming_the_problem(tmp_path, text, fragment):
    path = tmp_path / "expected.yaml"
    path.write_text(text)
    with pytest.raises(verdicts.ExpectedError) as exc:
        verdicts.load_expected(path, keys=[c.key for c in validate.CHECKS])
    assert fragment in str(exc.value) and "\n" not in str(exc.value)


def _fake_values(passing: bool) -> dict[str, np.ndarray]:
    """Per-seed values that put every check clearly inside (or clearly outside) its tolerance."""
    out = {}
    for c in validate.CHECKS:
        hi = c.hi if np.isfinite(c.hi) else c.lo * 3
        inside, outside = (c.lo + hi) / 2, (hi * 3 + 1 if np.isfinite(c.hi) else c.lo / 3)
        x = inside if passing else outside
        out[c.key] = np.full(20, x)
        if c.stat == "rate":
            out[f"{c.key}.num"], out[f"{c.key}.den"] = np.full(200, x), np.full(200, 1.0)
        elif c.stat == "ratio":
            out[f"{c.key}.num"], out[f"{c.key}.den"] = np.full(20, 100 * x), np.full(20, 100.0)
        elif c.stat == "share":  # runs with the event: a quarter inside, all of them outside
            k = 5 if passing else 20
            out[f"{c.key}.num"], out[f"{c.key}.den"] = np.r_[np.ones(k), np.zeros(20 - k)], \
                np.ones(20)
    return out


@pytest.mark.parametrize("passing", [True, False])
def test_validate_exits_1_when_a_verdict_differs_from_the_expected_file(tmp_path, monkeypatch,
                                                                         capsys, passing):
    monkeypatch.setattr(validate, "run_sets", lambda *a: {})
    monkeypatch.setattr(validate, "metrics", lambda runs: _fake_values(passing))
    import sim.plots.validation as page

    monkeypatch.setattr(page, "write_report", lambda out, *a, **k: out / "validation.md")
    expected = verdicts.load_expected()
    n_diff = sum((e["verdict"] == "pass") != passing for e in expected.values())
    code = validate.main(["--seeds", "20", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == (1 if n_diff else 0)
    assert err.count("error: verdict differs") == n_diff
    # An expected file that agrees with what was found passes.
    agree = tmp_path / "agree.yaml"
    agree.write_text(yaml.safe_dump({"checks": {c.key: {"verdict": "pass" if passing else "miss",
                                                        "reason": "planted"}
                                                for c in validate.CHECKS}}))
    assert validate.main(["--seeds", "20", "--out", str(tmp_path), "--expected", str(agree)]) == 0


def test_validate_refuses_a_missing_expected_file_before_running(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(validate, "run_sets", lambda *a: pytest.fail("ran before checking"))
    assert validate.main(["--expected", str(tmp_path / "none.yaml")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: cannot read the expected verdicts") and "\n" not in err
