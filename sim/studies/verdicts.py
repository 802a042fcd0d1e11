"""Validation verdicts: the model's figure with a 95 % interval, and the expected verdicts.

Each check's figure is one of four statistics over seeds (``Check.stat``):

``median``  the median of one number per seed; its interval is the distribution-free
            order-statistic interval of the median (binomial, coverage >= 95 % from 6 seeds;
            below that the range of the seeds, with the lower coverage printed).
``rate``    a rare count pooled over all run-years (sinkings): sum of counts / sum of years,
            with the exact Poisson (Garwood) interval. A median of per-seed counts of a rare
            event is 0 whatever the rate, so it cannot judge one.
``ratio``   a ratio of counts pooled over seeds, paired seed by seed with equal exposure
            (severe incidents with an arrangement / without it): sum(num) / sum(den), with the
            exact conditional-binomial (Clopper-Pearson) interval. Seeds with no events in either
            arm carry no information and weigh nothing, instead of scoring 0.
``share``   a share of runs with an event (stand-offs that saw a crisis): sum(num) / sum(den)
            with num 0 or 1 and den 1 per run, with the exact (Clopper-Pearson) binomial
            interval.

The verdict is *pass* when the figure lies inside the tolerance and *miss* otherwise; it is
*clear* when the whole interval lies on the verdict's side of the tolerance, *borderline* when
the interval straddles a bound (more seeds would decide it).

The expected verdicts live in ``expected_verdicts.yaml`` beside this module: each check, its
expected verdict and, for a miss, the reason. ``python -m sim.validate`` exits 1 when a verdict
differs clearly from that file (the interval excludes the expected verdict) and prints a
borderline difference as a warning; ``--strict`` fails on any difference. Changing the file is
a reviewed change, with its reason in the commit message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from scipy import stats

EXPECTED = Path(__file__).with_name("expected_verdicts.yaml")
LEVEL = 0.95
VERDICTS = ("pass", "miss")


# --------------------------------------------------------------------------- intervals
def median_interval(v: np.ndarray, level: float = LEVEL) -> tuple[float, float, float]:
    """Order-statistic interval [x(k), x(n+1-k)] of the median and its exact coverage."""
    x = np.sort(np.asarray(v, float))
    n = x.size
    best = (float(x[0]), float(x[-1]), 1.0 - 2.0 * 0.5 ** n)  # the range: the widest there is
    for k in range(1, n // 2 + 1):  # widen k (narrow the interval) while coverage >= level
        cover = 1.0 - 2.0 * stats.binom.cdf(k - 1, n, 0.5)
        if cover < level:
            break
        best = (float(x[k - 1]), float(x[n - k]), float(cover))
    return best


def rate_interval(count: float, exposure: float, level: float = LEVEL) -> tuple[float, float]:
    """Exact (Garwood) Poisson interval of ``count / exposure``."""
    a = 1.0 - level
    lo = 0.0 if count == 0 else stats.chi2.ppf(a / 2, 2 * count) / 2
    hi = stats.chi2.ppf(1 - a / 2, 2 * count + 2) / 2
    return lo / exposure, hi / exposure


def share_interval(k: float, n: float, level: float = LEVEL) -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval of a binomial share ``k / n``."""
    a = 1.0 - level
    lo = 0.0 if k == 0 else stats.beta.ppf(a / 2, k, n - k + 1)
    hi = 1.0 if k == n else stats.beta.ppf(1 - a / 2, k + 1, n - k)
    return float(lo), float(hi)


def ratio_interval(num: float, den: float, level: float = LEVEL) -> tuple[float, float]:
    """Exact interval of a ratio of two Poisson counts with equal exposure: given the total,
    ``num`` is binomial with p = r / (1 + r) (Clopper-Pearson on p, then r = p / (1 - p))."""
    n, a = num + den, 1.0 - level
    if n == 0:
        return 0.0, np.inf
    p_lo = 0.0 if num == 0 else stats.beta.ppf(a / 2, num, den + 1)
    p_hi = 1.0 if den == 0 else stats.beta.ppf(1 - a / 2, num + 1, den)
    return p_lo / (1 - p_lo), (p_hi / (1 - p_hi) if p_hi < 1 else np.inf)


# --------------------------------------------------------------------------- verdicts
@dataclass(frozen=True)
class Figure:
    value: float  # the check's statistic
    ci_lo: float
    ci_hi: float
    coverage: float  # of the interval (exact for the order statistics; LEVEL otherwise)
    n: int  # seeds that carried information


def figure(stat: str, values: np.ndarray, num: np.ndarray | None = None,
           den: np.ndarray | None = None) -> Figure:
    if stat == "median":
        v = values[np.isfinite(values)]
        if v.size == 0:
            return Figure(np.nan, np.nan, np.nan, 0.0, 0)
        lo, hi, cover = median_interval(v)
        return Figure(float(np.median(v)), lo, hi, cover, int(v.size))
    if num is None or den is None or np.size(num) == 0:
        return Figure(np.nan, np.nan, np.nan, 0.0, 0)
    a, b = float(np.sum(num)), float(np.sum(den))
    if stat == "rate":
        if b <= 0:
            return Figure(np.nan, np.nan, np.nan, 0.0, 0)
        lo, hi = rate_interval(a, b)
        return Figure(a / b, lo, hi, LEVEL, int(np.size(num)))
    if stat == "share":
        if b <= 0:
            return Figure(np.nan, np.nan, np.nan, 0.0, 0)
        lo, hi = share_interval(a, b)
        return Figure(a / b, lo, hi, LEVEL, int(np.size(num)))
    if stat == "ratio":
        if a + b == 0:
            return Figure(np.nan, np.nan, np.nan, 0.0, 0)
        lo, hi = ratio_interval(a, b)
        value = a / b if b > 0 else np.inf
        return Figure(value, lo, hi, LEVEL, int(np.sum((np.asarray(num) + np.asarray(den)) > 0)))
    raise ValueError(f"unknown statistic {stat!r}: use median, rate, ratio or share")


def verdict(f: Figure, lo: float, hi: float) -> tuple[str, bool]:
    """(pass|miss, clear): clear when the whole interval is on the verdict's side."""
    inside = lo <= f.value <= hi
    if inside:
        return "pass", bool(lo <= f.ci_lo and f.ci_hi <= hi)
    return "miss", bool(f.ci_hi < lo or f.ci_lo > hi)


# --------------------------------------------------------------------------- the expected file
class ExpectedError(ValueError):
    pass


def load_expected(path: Path = EXPECTED, keys: list[str] | None = None) -> dict[str, dict]:
    """``{key: {"verdict": "pass"|"miss", "reason": str}}``, checked against the check keys."""
    try:
        raw = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as exc:
        why = getattr(exc, "strerror", None) or " ".join(str(exc).split())[:160]
        raise ExpectedError(f"cannot read the expected verdicts {path} ({why}); give the file "
                            f"with --expected (default {EXPECTED})")
    checks = (raw or {}).get("checks") if isinstance(raw, dict) else None
    if not isinstance(checks, dict):
        raise ExpectedError(f"{path}: expected a mapping 'checks: {{key: {{verdict, reason}}}}'")
    for key, e in checks.items():
        if not isinstance(e, dict) or e.get("verdict") not in VERDICTS:
            raise ExpectedError(f"{path}: {key}: verdict must be one of {', '.join(VERDICTS)}")
        if e["verdict"] == "miss" and not str(e.get("reason", "")).strip():
            raise ExpectedError(f"{path}: {key}: an expected miss needs its reason")
    if keys is not None:
        missing, extra = sorted(set(keys) - set(checks)), sorted(set(checks) - set(keys))
        if missing or extra:
            raise ExpectedError(f"{path}: checks missing {missing} / unknown {extra}: "
                                "list every check of sim/studies/validate.py once")
    return checks


def differences(table, expected: dict[str, dict], strict: bool = False) -> tuple[list, list]:
    """(failures, warnings): one line each for a verdict that differs from the expected one.
    A difference fails when it is clear (or always with ``strict``), else it is a warning."""
    fail, warn = [], []
    for row in table.itertuples():
        want = expected[row.key]["verdict"]
        if row.verdict == "not run" or row.verdict == want:
            continue
        line = (f"{row.key}: expected {want}, got {row.verdict} ({row.value:.3g}, 95 % interval "
                f"{row.ci_lo:.3g}–{row.ci_hi:.3g}, tolerance {row.tolerance})")
        (fail if strict or row.clear else warn).append(line)
    return fail, warn
