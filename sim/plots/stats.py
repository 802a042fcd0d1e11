"""Small statistics for the report: intervals, bootstrap, a rank test, an effect size."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

BOOT = 5000  # bootstrap resamples
RNG_SEED = 20251  # fixed: the same sweep gives the same report


def t_interval(x, level: float = 0.95) -> tuple[float, float, float]:
    """(mean, low, high): Student-t interval of the mean; no interval for n < 2."""
    x = np.asarray(x, float)
    x = x[~np.isnan(x)]
    n = x.size
    if n == 0:
        return math.nan, math.nan, math.nan
    m = float(x.mean())
    if n < 2:
        return m, math.nan, math.nan
    half = stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / math.sqrt(n)
    return m, m - half, m + half


def wilson(k: int, n: int, level: float = 0.95) -> tuple[float, float, float]:
    """(share, low, high): Wilson score interval for k successes in n trials."""
    if n == 0:
        return math.nan, math.nan, math.nan
    z = stats.norm.ppf(0.5 + level / 2)
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return p, max(0.0, min(p, mid - half)), min(1.0, max(p, mid + half))


def bootstrap_diff(a: dict, b: dict, level: float = 0.95, n_boot: int = BOOT,
                   seed: int = RNG_SEED) -> tuple[float, float, float, bool, int]:
    """Mean of ``a`` minus mean of ``b`` with a percentile bootstrap interval.

    ``a`` and ``b`` map seed -> value. Seeds present in both are resampled as pairs (the
    difference per seed); otherwise each group is resampled on its own.
    Returns (difference, low, high, paired, n_pairs).
    """
    rng = np.random.default_rng(seed)
    common = sorted(set(a) & set(b))
    lo_q, hi_q = 100 * (1 - level) / 2, 100 * (1 + level) / 2
    if len(common) >= 2:
        d = np.array([a[s] - b[s] for s in common], float)
        idx = rng.integers(0, d.size, (n_boot, d.size))
        boots = d[idx].mean(axis=1)
        return float(d.mean()), *np.percentile(boots, [lo_q, hi_q]).tolist(), True, len(common)
    xa, xb = np.array(list(a.values()), float), np.array(list(b.values()), float)
    if xa.size == 0 or xb.size == 0:
        return math.nan, math.nan, math.nan, False, 0
    diff = float(xa.mean() - xb.mean())
    if xa.size < 2 or xb.size < 2:
        return diff, math.nan, math.nan, False, 0
    ba = xa[rng.integers(0, xa.size, (n_boot, xa.size))].mean(axis=1)
    bb = xb[rng.integers(0, xb.size, (n_boot, xb.size))].mean(axis=1)
    return diff, *np.percentile(ba - bb, [lo_q, hi_q]).tolist(), False, 0


def mann_whitney(a, b) -> tuple[float, float]:
    """(p-value of the two-sided Mann-Whitney U test, Cliff's delta of a over b)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.size == 0 or b.size == 0:
        return math.nan, math.nan
    if np.all(a == a[0]) and np.all(b == a[0]):  # identical constants: no difference
        return 1.0, 0.0
    res = stats.mannwhitneyu(a, b, alternative="two-sided")
    delta = 2 * float(res.statistic) / (a.size * b.size) - 1  # U counts ties as 1/2
    return float(res.pvalue), delta


def ols_slope(x, y) -> float:
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.size < 2 or np.ptp(x) == 0:
        return math.nan
    return float(np.polyfit(x, y, 1)[0])


def cluster_bootstrap_slope(x, y, groups, level: float = 0.95, n_boot: int = 2000,
                            seed: int = RNG_SEED) -> tuple[float, float, float]:
    """(slope, low, high): OLS slope with a bootstrap that resamples whole seeds."""
    x, y, groups = np.asarray(x, float), np.asarray(y, float), np.asarray(groups)
    est = ols_slope(x, y)
    ids = np.unique(groups)
    if ids.size < 2 or math.isnan(est):
        return est, math.nan, math.nan
    rng = np.random.default_rng(seed)
    members = [np.flatnonzero(groups == g) for g in ids]
    boots = np.empty(n_boot)
    for k in range(n_boot):
        pick = np.concatenate([members[i] for i in rng.integers(0, ids.size, ids.size)])
        boots[k] = ols_slope(x[pick], y[pick])
    lo, hi = np.nanpercentile(boots, [100 * (1 - level) / 2, 100 * (1 + level) / 2])
    return est, float(lo), float(hi)
