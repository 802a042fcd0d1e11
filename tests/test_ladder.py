"""The escalation ladder as the engine computes it: ``ladder.rung_for`` (the ordered choice of a
rung) and ``ladder.latent_one`` (the latent propensity), the numba functions the encounter
kernels call, against plain-Python references.

The cut points are random increasing sets (not the defaults), so that a test passes only for
the ordered logit, not for whatever happens to work with one set of cuts.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.engine import ladder

SEEDS = range(5)


# --------------------------------------------------------------------------- references
def logistic(x: float) -> float:
    """The logistic CDF, without overflow for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def step_chance(r: int, top: int, leak: float, leak_top: float) -> float:
    """The chance of the step into rung ``r`` past a ceiling: ``leak``, or ``leak_top`` for the
    step into the top rung (use of weapons)."""
    return leak_top if r == top else leak


def reach(ceiling: int, k: int, top: int, leak: float, leak_top: float) -> float:
    """The chance of getting past the ceiling up to rung ``k`` (1 within the ceiling): the
    product of the steps' chances."""
    out = 1.0
    for r in range(ceiling + 1, k + 1):
        out *= step_chance(r, top, leak, leak_top)
    return out


def ref_rung(value: float, u: float, cuts, ceiling: int, leak: float = 0.0,
             u_leak: float = 1.0, leak_top: float | None = None) -> int:
    """The ordered logit read from its distribution: P(intended <= k) = logistic(cuts[k] -
    value); the intended rung for a uniform ``u`` is the first k with u <= P(rung <= k) (all
    cuts passed if none). Within the ceiling it stands; above it the crew goes up to rung k
    while u_leak < ``reach`` (the product of the steps' chances: ``leak`` each, ``leak_top``
    for the step into the top rung), at most up to the intended rung (leak 0 is a hard cap).
    ``leak_top`` None: the same as ``leak``."""
    leak_top = leak if leak_top is None else leak_top
    intended = len(cuts)
    for k, c in enumerate(cuts):
        if u <= logistic(c - value):
            intended = k
            break
    if intended <= ceiling:
        return intended
    out = ceiling
    while out < intended and u_leak < reach(ceiling, out + 1, len(cuts), leak, leak_top):
        out += 1
    return out


def p_at_least(value: float, cuts, ceiling: int, leak: float, k: int,
               leak_top: float | None = None) -> float:
    """Closed form: P(rung >= k) = logistic(value - cuts[k-1]) * reach(ceiling, k)."""
    leak_top = leak if leak_top is None else leak_top
    return logistic(value - cuts[k - 1]) * reach(ceiling, k, len(cuts), leak, leak_top)


def near_a_boundary(value: float, u: float, cuts, eps: float = 1e-12) -> bool:
    """Whether ``u`` lies within ``eps`` of one of the rung boundaries, where the reference
    (comparing u with the CDF) and the kernel (comparing logistic noise with the cut) may round
    either way."""
    return any(abs(u - logistic(c - value)) < eps for c in cuts)


def ref_latent(a_roe, b_force, c_observed, d_cbm, e_training, f_posture, roe, force_ratio,
               observed, cbm, training, posture) -> float:
    """The latent propensity as the module docstring (and ODD §7.15) writes it, term by term:
    a·ceiling + b·clip(ln ratio, −2, 2) − c·observed − d·cbm − e·training + f·posture, the
    training term a float32 product (the proficiencies are float32 arrays)."""
    log_ratio = math.log(max(force_ratio, 1e-9))
    force = min(max(log_ratio, -2.0), 2.0)
    training_term = float(np.float32(e_training) * np.float32(training))
    return (a_roe * roe + b_force * force - c_observed * float(observed) - d_cbm * cbm
            - training_term + f_posture * posture)


def random_cuts(rng: np.random.Generator, n: int | None = None) -> np.ndarray:
    """A random strictly increasing set of cut points (``n`` of them; 1-9 if not given)."""
    n = int(rng.integers(1, 10)) if n is None else n
    return rng.normal(0.0, 3.0) + np.cumsum(rng.exponential(1.5, n) + 1e-3)


# --------------------------------------------------------------------------- rung_for
@pytest.mark.parametrize("seed", SEEDS)
def test_rung_for_matches_the_ordered_logit_with_its_leak_exactly(seed):
    """``rung_for`` equals ``ref_rung`` on every one of 4,000 random (value, u, cuts, ceiling,
    leak, u_leak, leak_top), with cut sets of 1-9 random increasing points, the top step's leak
    below the others', and a quarter of the draws at leak 0 (the hard cap); exact (integers), save draws within 1e-12 of a boundary (none
    expected: at most 1 allowed)."""
    rng = np.random.default_rng(seed)
    skipped = 0
    for k in range(4000):
        cuts = random_cuts(rng)
        value = float(rng.normal(cuts.mean(), 4.0))
        u, u_leak = float(rng.random()), float(rng.random())
        ceiling = int(rng.integers(0, cuts.size + 2))
        leak = 0.0 if k % 4 == 0 else float(rng.random())
        leak_top = 0.0 if leak == 0 else float(rng.random()) * leak
        if near_a_boundary(value, u, cuts) or any(
                abs(u_leak - reach(ceiling, j, cuts.size, leak, leak_top)) < 1e-12
                for j in range(ceiling + 1, cuts.size + 1)):
            skipped += 1
            continue
        assert ladder.rung_for(value, u, cuts, ceiling, leak, u_leak, leak_top) == \
            ref_rung(value, u, cuts, ceiling, leak, u_leak, leak_top), \
            (value, u, list(cuts), ceiling, leak, leak_top)
    assert skipped <= 1


def test_a_tie_with_a_cut_does_not_pass_it():
    """At u = 1/2 the noise is exactly 0: a value equal to cut k gives rung k (the cut is not
    passed, ``P(rung <= k) = 1/2`` includes it), the next float above gives k + 1. The
    convention is the reference's; exact."""
    rng = np.random.default_rng(7)
    for _ in range(50):
        cuts = random_cuts(rng, 7)
        for k, c in enumerate(cuts):
            assert ladder.rung_for(float(c), 0.5, cuts, 8, 0.0, 1.0, 0.0) == \
                ref_rung(float(c), 0.5, cuts, 8) == k
            above = float(np.nextafter(c, np.inf))
            assert ladder.rung_for(above, 0.5, cuts, 8, 0.0, 1.0, 0.0) == k + 1


@pytest.mark.parametrize("seed", SEEDS)
def test_rung_for_is_monotone_and_capped_only_without_a_leak(seed):
    """For a fixed cut set and leak draw: the rung never falls as the value or u rises and lies
    in [0, number of cuts]; with leak 0 it never exceeds the ceiling (a ceiling of 0 always
    gives 0); with a leak it does exceed it for some draws. Exact."""
    rng = np.random.default_rng(100 + seed)
    cuts = random_cuts(rng, 7)
    values = np.sort(rng.normal(cuts.mean(), 4.0, 300))
    us = np.sort(rng.random(300))
    for leak, u_leak in ((0.0, 0.0), (0.3, 0.05)):
        top = []
        for ceiling in range(0, 9):
            cap = min(ceiling, cuts.size) if leak == 0 else cuts.size
            for u in us[::30]:
                r = [ladder.rung_for(float(v), float(u), cuts, ceiling, leak, u_leak, leak)
                     for v in values]
                assert all(x <= y for x, y in zip(r, r[1:]))
                assert min(r) >= 0 and max(r) <= cap
                top.append(max(r) > ceiling)
            for v in values[::30]:
                r = [ladder.rung_for(float(v), float(u), cuts, ceiling, leak, u_leak, leak) for u in us]
                assert all(x <= y for x, y in zip(r, r[1:]))
                assert min(r) >= 0 and max(r) <= cap
        assert any(top) == (leak > 0)
    assert all(ladder.rung_for(float(v), float(u), cuts, 0, 0.0, 0.0, 0.0) == 0
               for v in values for u in us[:5])


@pytest.mark.parametrize("seed", SEEDS)
def test_rung_for_fed_uniforms_has_the_closed_form_distribution(seed):
    """Statistical: with u, u_leak ~ U(0, 1), P(rung >= k) = logistic(value - cuts[k-1]) for
    k <= ceiling and that times the steps' chances above it (``p_at_least``: leak each,
    leak_top into the top rung), for a random cut set, value, ceiling, leak and top leak; 20,000 draws, tolerance 5 binomial standard errors (+1e-4)."""
    rng = np.random.default_rng(200 + seed)
    cuts = random_cuts(rng, 7)
    value = float(rng.normal(cuts.mean(), 2.0))
    ceiling = int(rng.integers(2, 6))
    leak = float(rng.uniform(0.2, 0.6))
    leak_top = leak * float(rng.uniform(0.1, 0.5))
    n = 20_000
    rung = np.array([ladder.rung_for(value, float(u), cuts, ceiling, leak, float(w), leak_top)
                     for u, w in rng.random((n, 2))])
    for k in range(1, 8):
        expect = p_at_least(value, cuts, ceiling, leak, k, leak_top)
        se = math.sqrt(expect * (1 - expect) / n)
        assert abs((rung >= k).mean() - expect) <= 5 * se + 1e-4, (k, expect)


@pytest.mark.parametrize("seed", SEEDS)
def test_rung_distribution_is_the_closed_form_and_leaves_no_rung_impossible(seed):
    """``ladder.rung_distribution`` (used by the rule test and notebook 02) sums to 1, gives
    P(rung >= k) = ``p_at_least`` exactly (to 1e-12), and with a leak above 0 every rung up to
    the number of cuts has positive probability; with leak 0 nothing lies above the ceiling."""
    rng = np.random.default_rng(300 + seed)
    for _ in range(200):
        cuts = random_cuts(rng, 7)
        value = float(rng.normal(cuts.mean(), 3.0))
        ceiling = int(rng.integers(0, 8))
        leak = float(rng.uniform(0.001, 0.9))
        leak_top = leak * float(rng.uniform(0.001, 1.0))
        dist = ladder.rung_distribution(value, cuts, ceiling, leak, leak_top)
        assert dist.sum() == pytest.approx(1.0, abs=1e-12)
        for k in range(1, 8):
            assert dist[k:].sum() == pytest.approx(
                p_at_least(value, cuts, ceiling, leak, k, leak_top), rel=1e-9, abs=1e-15)
        assert (dist > 0).all()
        hard = ladder.rung_distribution(value, cuts, ceiling, 0.0, 0.0)
        assert hard[ceiling + 1:].sum() == 0.0


# --------------------------------------------------------------------------- latent_one
def random_latent_inputs(rng: np.random.Generator) -> dict:
    """Coefficients and one encounter's inputs, typed as the context kernel passes them."""
    return dict(a_roe=float(rng.uniform(0, 2)), b_force=float(rng.uniform(0, 2)),
                c_observed=float(rng.uniform(0, 2)), d_cbm=float(rng.uniform(0, 2)),
                e_training=float(rng.uniform(0, 2)), f_posture=float(rng.uniform(0, 2)),
                roe=int(rng.integers(0, 8)), force_ratio=float(np.exp(rng.normal(0, 2))),
                observed=bool(rng.random() < 0.5), cbm=float(rng.random()),
                training=np.float32(rng.random()), posture=float(rng.normal(0, 1)))


@pytest.mark.parametrize("seed", SEEDS)
def test_latent_one_matches_the_formula_to_the_last_bit(seed):
    """``latent_one`` equals ``ref_latent`` exactly (==, no tolerance) on 2,000 random
    encounters, force ratios from 1:50 to 50:1 (both sides of the ±2 clip)."""
    rng = np.random.default_rng(300 + seed)
    for _ in range(2000):
        x = random_latent_inputs(rng)
        assert ladder.latent_one(**x) == ref_latent(**x), x


TERMS = [("roe", +1), ("force_ratio", +1), ("observed", -1), ("cbm", -1), ("training", -1),
         ("posture", +1)]
COEF = {"roe": "a_roe", "force_ratio": "b_force", "observed": "c_observed", "cbm": "d_cbm",
        "training": "e_training", "posture": "f_posture"}


@pytest.mark.parametrize("term, sign", TERMS)
def test_each_latent_term_moves_the_way_the_docstring_says(term, sign):
    """Raising one input (a higher ceiling, a larger force ratio inside the clip, observed,
    more CBM, more training, more posture), all else equal, moves ``latent_one`` by the
    docstring's sign with a positive coefficient, and not at all with a zero one; random
    coefficients and inputs, 500 cases. Exact comparisons."""
    rng = np.random.default_rng(400)
    raise_ = {"roe": lambda v: v + 1, "force_ratio": lambda v: v * 1.5,
              "observed": lambda v: True, "cbm": lambda v: v + 0.25,
              "training": lambda v: np.float32(v + 0.25), "posture": lambda v: v + 0.5}
    for _ in range(500):
        x = random_latent_inputs(rng)
        x["observed"] = False
        x["force_ratio"] = float(np.exp(rng.uniform(-1.9, 1.4)))  # stays inside the clip
        more = dict(x, **{term: raise_[term](x[term])})
        delta = ladder.latent_one(**more) - ladder.latent_one(**x)
        assert np.sign(delta) == sign, (term, x)
        zero = {COEF[term]: 0.0}
        assert ladder.latent_one(**dict(more, **zero)) == ladder.latent_one(**dict(x, **zero))


def test_the_force_ratio_saturates_beyond_the_clip():
    """Beyond e^±2 (about 7:1 either way) a larger superiority adds nothing; just inside it
    still counts. Exact."""
    rng = np.random.default_rng(500)
    for _ in range(200):
        x = random_latent_inputs(rng)
        for far in (math.exp(2.0) * 1.01, 50.0, 1e6):
            assert ladder.latent_one(**dict(x, force_ratio=far)) == \
                ladder.latent_one(**dict(x, force_ratio=math.exp(2.0) * 1.001))
        for far in (math.exp(-2.0) / 1.01, 1 / 50.0, 0.0):
            assert ladder.latent_one(**dict(x, force_ratio=far)) == \
                ladder.latent_one(**dict(x, force_ratio=math.exp(-2.0) / 1.001))
        assert ladder.latent_one(**dict(x, force_ratio=math.exp(1.9))) > \
            ladder.latent_one(**dict(x, force_ratio=math.exp(1.8)))


def test_names_cover_the_ladder():
    assert len(ladder.RUNGS) == 8 and ladder.RUNGS[4] == "water_cannon"
    assert ladder.SEVERE == 4 and ladder.CRISIS == 7
