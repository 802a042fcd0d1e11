"""Small statistics for the report: intervals, a paired bootstrap, the Wilcoxon signed-rank
test with its effect size, a slope with a seed-resampling bootstrap."""

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


def bootstrap_mean(d, level: float = 0.95, n_boot: int = BOOT,
                   seed: int = RNG_SEED) -> tuple[float, float]:
    """(low, high): percentile bootstrap interval of the mean of ``d`` (e.g. per-seed paired
    differences, resampled as pairs); no interval for fewer than 2 values."""
    d = np.asarray(d, float)
    if d.size < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    boots = d[rng.integers(0, d.size, (n_boot, d.size))].mean(axis=1)
    lo, hi = np.percentile(boots, [100 * (1 - level) / 2, 100 * (1 + level) / 2])
    return float(lo), float(hi)


def wilcoxon(d) -> tuple[float, float]:
    """(p, r): the two-sided Wilcoxon signed-rank test of paired differences ``d`` (a − b)
    and its signed effect size, the matched-pairs rank-biserial correlation
    r = (W+ − W−) / (W+ + W−) over the non-zero differences: +1 when every pair has a > b,
    −1 when every pair has a < b. Zero differences are dropped (Wilcoxon's own rule);
    when all differences are zero there is no difference: p = 1, r = 0. No pair: NaN."""
    d = np.asarray(d, float)
    if d.size == 0:
        return math.nan, math.nan
    nz = d[d != 0]
    if nz.size == 0:
        return 1.0, 0.0
    ranks = stats.rankdata(np.abs(nz))
    w_plus, w_minus = ranks[nz > 0].sum(), ranks[nz < 0].sum()
    r = float((w_plus - w_minus) / (w_plus + w_minus))
    p = float(stats.wilcoxon(nz, zero_method="wilcox", alternative="two-sided").pvalue)
    return min(1.0, p), r


def paired(a, b) -> dict:
    """``a`` and ``b`` paired element by element (the same seed): only pairs where both are
    finite count. The mean difference a − b with a paired bootstrap 95 % CI, the Wilcoxon
    signed-rank p-value and the rank-biserial r (see ``wilcoxon``)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    ok = np.isfinite(a) & np.isfinite(b)
    a, b = a[ok], b[ok]
    d = a - b
    lo, hi = bootstrap_mean(d)
    p, r = wilcoxon(d)
    mean = (lambda x: float(x.mean()) if x.size else math.nan)
    return {"n_pairs": int(d.size), "mean_a": mean(a), "mean_b": mean(b), "mean_diff": mean(d),
            "ci_lo": lo, "ci_hi": hi, "wilcoxon_p": p, "rank_biserial": r}


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
