"""The encounter kernels (``sim/engine/encounters.py``) against plain-Python references:
who engages (``engage``, ``_one_each``) and the exchange of rungs (``resolve``, ``_exchange``,
``_physical_outcome``), exactly on the same uniforms, and statistically where they draw.

The references follow the steps of ODD §7.15 and read rungs through ``test_ladder.ref_rung``
(the ordered logit from its CDF), not through ``ladder.rung_for``.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from sim.engine import encounters
from sim.engine.ladder import (BLOCKING, BOARDING, DAMAGED, DEESCALATED, DETAINED, DISENGAGED,
                               RAMMING, SUNK, WATER_CANNON, WEAPONS, WITHDREW)
from sim.params import EncounterConfig
from test_ladder import logistic, random_cuts, ref_rung

SEEDS = range(5)


# --------------------------------------------------------------------------- references
def ref_one_each(a: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The selection ``_one_each`` documents: ``np.unique(..., return_index=True)`` on actors
    (each actor's first pair), then on targets (a target's lowest actor), then dropping pairs
    whose actor is also targeted or whose target also acts; by ascending target id."""
    _, first = np.unique(a, return_index=True)
    a1, t1 = a[first], t[first]  # by actor id
    _, lowest = np.unique(t1, return_index=True)
    a2, t2 = a1[lowest], t1[lowest]  # by target id
    keep = ~np.isin(a2, t2) & ~np.isin(t2, a2)
    return a2[keep], t2[keep]


def ref_engage(rng, a, t, p):
    """``engage`` drawn by hand: one uniform per pair, a pair is hit if it is below its chance;
    the hits in a random order (one permutation, when there are two or more); then
    ``ref_one_each``."""
    hit = [k for k, u in enumerate(rng.random(a.size)) if u < p[k]]
    a, t = a[hit], t[hit]
    if a.size <= 1:
        return a, t
    perm = rng.permutation(a.size)
    return ref_one_each(a[perm], t[perm])


def ref_physical(rung: int, u: float, fishing: bool, e) -> int | None:
    """ODD §7.15 step 5: water cannon damages with ``damage_prob``; boarding detains with
    ``detain_prob``; ramming or weapons sink a fishing boat below ``sink_prob`` and otherwise
    damage below min(1, ``ramming_damage_factor`` · ``damage_prob``). None: no outcome."""
    if rung == WATER_CANNON:
        return DAMAGED if u < e.damage_prob else None
    if rung == BOARDING:
        return DETAINED if u < e.detain_prob else None
    if rung in (RAMMING, WEAPONS):
        if fishing and u < e.sink_prob:
            return SUNK
        if u < min(1.0, e.ramming_damage_factor * e.damage_prob):
            return DAMAGED
    return None


def ref_exchange_one(base_a, base_t, ceil_a, ceil_t, fishing, e, cbm, u):
    """One encounter, round by round as ODD §7.15 lists the steps; ``u[r]`` holds the round's
    six uniforms (initiator's rung, target's answer, hotline, physical outcome, giving way,
    miscalculation). Returns (highest rung, outcome, rounds played)."""
    cuts = list(e.cuts)
    top, prev, push = 0, None, 0.0
    for r in range(e.max_rounds):
        u_a, u_t, u_talk, u_out, u_give, u_fire = (float(x) for x in u[r])
        rung = ref_rung(base_a + push, u_a, cuts, ceil_a)  # 1.
        if prev is not None and rung < prev:  # 2.
            return top, DEESCALATED, r + 1
        top, prev = max(top, rung), rung  # 3.
        if rung >= BLOCKING and u_talk < e.hotline_talk * cbm:  # 4.
            return top, DEESCALATED, r + 1
        outcome = ref_physical(rung, u_out, fishing, e)  # 5.
        if outcome is not None:
            return top, outcome, r + 1
        if ceil_t == 0:  # 6. an unarmed target gives way or holds on
            if u_give < min(e.withdraw_base + e.withdraw_per_rung * rung, e.withdraw_cap):
                return top, WITHDREW, r + 1
            answer = 0
        else:  # an armed one answers
            answer = ref_rung(base_t + e.counter_weight * rung, u_t, cuts, ceil_t)
            if answer == 0:
                return top, WITHDREW, r + 1
            if rung >= RAMMING and answer >= BLOCKING and \
                    u_fire < e.miscalculation * (1.0 - cbm):  # 7.
                return WEAPONS, DAMAGED, r + 1
        push += e.persistence + e.answer_push * answer  # 8.
    return top, DISENGAGED, e.max_rounds


def random_encounter_config(rng: np.random.Generator, **fixed) -> EncounterConfig:
    """Random exchange parameters (cuts a random increasing set) with every branch reachable."""
    u = lambda lo, hi: float(rng.uniform(lo, hi))  # noqa: E731
    values = dict(cuts=[float(c) for c in random_cuts(rng, 7)],
                  max_rounds=int(rng.integers(1, 6)), persistence=u(0, 1),
                  answer_push=u(0, 0.6), counter_weight=u(0, 0.6), withdraw_base=u(0, 0.5),
                  withdraw_per_rung=u(0, 0.2), withdraw_cap=u(0.5, 0.99),
                  damage_prob=u(0.05, 0.6), sink_prob=u(0.02, 0.3), detain_prob=u(0.05, 0.9),
                  ramming_damage_factor=u(1.0, 1.6), miscalculation=u(0.2, 0.9),
                  hotline_talk=u(0.05, 0.9))
    values.update(fixed)
    return dataclasses.replace(EncounterConfig(), **values)


def random_context(rng: np.random.Generator, n: int, e) -> dict:
    """``encounter_context``'s output for ``n`` random encounters: latent values spread over
    the cut points, random ceilings; fishing targets (and a share of others) unarmed."""
    cuts = np.asarray(e.cuts)
    fishing = rng.random(n) < 0.4
    armed = ~fishing & (rng.random(n) < 0.7)
    return dict(base_a=rng.normal(cuts[3], 3.0, n), base_t=rng.normal(cuts[2], 3.0, n),
                ceil_a=rng.integers(0, 8, n), ceil_t=np.where(armed, rng.integers(1, 8, n), 0),
                fishing_target=fishing, observed=rng.random(n) < 0.5)


def check_exchange(ctx, e, cbm, u, res):
    """``res`` (top, outcome, rounds) equals ``ref_exchange_one`` encounter by encounter."""
    got = list(zip(*(np.asarray(res[k]).tolist() for k in ("rung", "outcome", "rounds"))))
    for k in range(ctx["base_a"].size):
        want = ref_exchange_one(float(ctx["base_a"][k]), float(ctx["base_t"][k]),
                                int(ctx["ceil_a"][k]), int(ctx["ceil_t"][k]),
                                bool(ctx["fishing_target"][k]), e, cbm, u[k])
        assert got[k] == want, (k, got[k], want)


# --------------------------------------------------------------------------- _one_each
@pytest.mark.parametrize("seed", SEEDS)
def test_one_each_is_the_unique_based_selection(seed):
    """``_one_each`` returns exactly ``ref_one_each``'s (actor, target) arrays, in order, on
    1,000 random lists of pairs (2-15 vessels, repeats and vessels on both sides allowed); and
    no vessel appears twice in a selection."""
    rng = np.random.default_rng(seed)
    for _ in range(1000):
        n = int(rng.integers(2, 16))
        m = int(rng.integers(1, 3 * n))
        a = rng.integers(0, n, m)
        t = (a + rng.integers(1, n, m)) % n  # never a vessel against itself
        got_a, got_t = encounters._one_each(a, t, n)
        want_a, want_t = ref_one_each(a, t)
        np.testing.assert_array_equal(got_a, want_a)
        np.testing.assert_array_equal(got_t, want_t)
        both = np.concatenate([got_a, got_t])
        assert np.unique(both).size == both.size


# --------------------------------------------------------------------------- engage
@pytest.mark.parametrize("seed", SEEDS)
def test_engage_draws_as_documented(seed):
    """``engage`` equals ``ref_engage`` fed the same random stream (exact), on 300 random pair
    lists with random chances (including 0 and 1)."""
    for trial in range(300):
        rng = np.random.default_rng([seed, trial])
        n = int(rng.integers(2, 30))
        m = int(rng.integers(0, 3 * n))
        a = rng.integers(0, n, m)
        t = (a + rng.integers(1, n, m)) % n
        p = np.where(rng.random(m) < 0.2, rng.integers(0, 2, m), rng.random(m))
        got = encounters.engage(np.random.default_rng([seed, trial, 1]), n, a, t, p)
        want = ref_engage(np.random.default_rng([seed, trial, 1]), a, t, p)
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("seed", SEEDS)
def test_engage_hits_each_pair_with_its_chance(seed):
    """Statistical: among 8,400 disjoint pairs (no vessel in two, so the one-each rule drops
    none) at chances 0, 0.02, 0.1, 0.5, 0.9 and 1, the share engaged at each chance is within
    4 binomial standard errors of it (exactly 0 and all at 0 and 1); over 5 seeds."""
    rng = np.random.default_rng(600 + seed)
    levels = np.array([0.0, 0.02, 0.1, 0.5, 0.9, 1.0])
    m = 8400
    p = rng.permutation(np.repeat(levels, m // levels.size))
    a = 2 * rng.permutation(m)
    t = a + 1
    got_a, got_t = encounters.engage(rng, 2 * m, a, t, p)
    np.testing.assert_array_equal(got_t, got_a + 1)  # the pairs as given
    engaged = np.isin(a, got_a)
    for q in levels:
        share = engaged[p == q].mean()
        se = math.sqrt(q * (1 - q) / (p == q).sum())
        assert abs(share - q) <= 4 * se, (q, share)


def test_engage_keeps_each_vessel_in_at_most_one_encounter():
    """With crowded, overlapping pairs: every selected pair is one of the candidates, no
    vessel appears twice, and a vessel whose every pair has chance 0 never appears. Exact."""
    rng = np.random.default_rng(700)
    for _ in range(200):
        n, m = 20, 200
        a = rng.integers(0, n, m)
        t = (a + rng.integers(1, n, m)) % n
        p = rng.random(m)
        p[(a == 0) | (t == 0)] = 0.0
        got_a, got_t = encounters.engage(rng, n, a, t, p)
        both = np.concatenate([got_a, got_t])
        assert np.unique(both).size == both.size and 0 not in both
        assert set(zip(got_a.tolist(), got_t.tolist())) <= set(zip(a.tolist(), t.tolist()))


# --------------------------------------------------------------------------- the exchange
def test_physical_outcome_matches_the_odd():
    """``_physical_outcome`` equals ``ref_physical`` for every rung, fishing or not, at random
    uniforms and at each threshold itself (ties: a draw equal to a chance does not make it);
    -1 stands for none. Exact."""
    rng = np.random.default_rng(800)
    for _ in range(200):
        e = random_encounter_config(rng, ramming_damage_factor=float(rng.uniform(1.0, 4.0)))
        ties = [e.damage_prob, e.detain_prob, e.sink_prob,
                min(1.0, e.ramming_damage_factor * e.damage_prob)]
        for u in [*rng.random(20), *ties, *np.nextafter(ties, 0.0)]:
            for rung in range(8):
                for fishing in (False, True):
                    got = encounters._physical_outcome(rung, float(u), fishing, e.damage_prob,
                                                       e.sink_prob, e.detain_prob,
                                                       e.ramming_damage_factor)
                    want = ref_physical(rung, float(u), fishing, e)
                    assert got == (-1 if want is None else want), (rung, u, fishing)


@pytest.mark.parametrize("seed", SEEDS)
def test_resolve_plays_the_exchange_as_the_odd_lists_it(seed):
    """``resolve`` (``_exchange``) gives the same highest rung, outcome and number of rounds as
    ``ref_exchange_one`` on the uniforms it drew (regenerated from the same seed), for 3,000
    random encounters under random parameters (cuts, rounds, chances, CBM level). Exact. The
    random cases reach every outcome, a crisis, and the last round."""
    rng = np.random.default_rng(900 + seed)
    seen_outcomes, crises, full = set(), 0, 0
    for _ in range(6):
        e = random_encounter_config(rng)
        cbm = float(rng.choice([0.0, rng.random(), 1.0]))
        n = 500
        ctx = random_context(rng, n, e)
        a, t = np.arange(n), np.arange(n, 2 * n)
        res = encounters.resolve(a, t, ctx, e, cbm, np.random.default_rng([seed, 1]))
        u = np.random.default_rng([seed, 1]).random((n, e.max_rounds, 6))
        check_exchange(ctx, e, cbm, u, res)
        seen_outcomes |= set(res["outcome"].tolist())
        crises += int((res["rung"] == WEAPONS).sum())
        full += int((res["rounds"] == e.max_rounds).sum())
        np.testing.assert_array_equal(res["actor"], a)
        np.testing.assert_array_equal(res["target"], t)
        np.testing.assert_array_equal(res["observed"], ctx["observed"])
    assert seen_outcomes == {WITHDREW, DEESCALATED, DISENGAGED, DAMAGED, SUNK, DETAINED}
    assert crises > 0 and full > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_exchange_at_the_thresholds(seed):
    """``_exchange`` against ``ref_exchange_one`` with every uniform but the rungs' drawn from
    the chances themselves (hotline, damage, sinking, detention, ramming damage, giving way at
    each rung, miscalculation) and the floats just below them: a draw equal to a chance does
    not make the event, one just below does. Exact, 2,000 encounters."""
    rng = np.random.default_rng(1000 + seed)
    e = random_encounter_config(rng, max_rounds=4)
    cbm = float(rng.uniform(0.2, 0.8))
    chances = [e.hotline_talk * cbm, e.damage_prob, e.sink_prob, e.detain_prob,
               min(1.0, e.ramming_damage_factor * e.damage_prob), e.miscalculation * (1 - cbm)]
    chances += [min(e.withdraw_base + e.withdraw_per_rung * r, e.withdraw_cap) for r in range(8)]
    pool = np.array(chances + list(np.nextafter(chances, 0.0)))
    n = 2000
    ctx = random_context(rng, n, e)
    u = rng.choice(pool, (n, e.max_rounds, 6))
    u[:, :, :2] = rng.random((n, e.max_rounds, 2))  # the rungs' uniforms stay continuous
    probs = np.array([cbm, e.persistence, e.withdraw_base, e.withdraw_per_rung, e.damage_prob,
                      e.sink_prob, e.detain_prob, e.miscalculation, e.hotline_talk,
                      e.counter_weight, e.answer_push, e.withdraw_cap,
                      e.ramming_damage_factor])
    top, outcome, rounds = encounters._exchange(
        ctx["base_a"], ctx["base_t"], ctx["ceil_a"], ctx["ceil_t"], ctx["fishing_target"],
        np.asarray(e.cuts, float), probs, u)
    check_exchange(ctx, e, cbm, u, dict(rung=top, outcome=outcome, rounds=rounds))


def first_round_shares(cuts, value, ceiling, e, cbm):
    """Closed form of one round against an unarmed, non-fishing target: the rung's law
    P(rung = k) from the ordered logit (capped), then per rung the hotline, the physical
    outcome and giving way, in the ODD's order; (P(rung = k), P(outcome = o))."""
    at_least = [1.0] + [logistic(value - c) for c in cuts] + [0.0]
    p_rung = np.array([at_least[k] - at_least[k + 1] for k in range(len(cuts) + 1)])
    p_rung[ceiling] += p_rung[ceiling + 1:].sum()
    p_rung[ceiling + 1:] = 0.0
    out = np.zeros(6)
    for k, pk in enumerate(p_rung):
        talk = e.hotline_talk * cbm if k >= BLOCKING else 0.0
        phys = {WATER_CANNON: e.damage_prob, BOARDING: e.detain_prob,
                RAMMING: min(1.0, e.ramming_damage_factor * e.damage_prob),
                WEAPONS: min(1.0, e.ramming_damage_factor * e.damage_prob)}.get(k, 0.0)
        give = min(e.withdraw_base + e.withdraw_per_rung * k, e.withdraw_cap)
        out[DEESCALATED] += pk * talk
        out[DETAINED if k == BOARDING else DAMAGED] += pk * (1 - talk) * phys
        out[WITHDREW] += pk * (1 - talk) * (1 - phys) * give
        out[DISENGAGED] += pk * (1 - talk) * (1 - phys) * (1 - give)
    return p_rung, out


@pytest.mark.parametrize("seed", range(3))
def test_one_round_has_the_closed_form_rates(seed):
    """Statistical: in a single round against an unarmed ship (not a fishing boat), the share
    of each rung and of each outcome over 40,000 encounters of one latent value is within 5
    binomial standard errors (+1e-4) of ``first_round_shares``; random cuts and chances,
    ceiling 7."""
    rng = np.random.default_rng(1100 + seed)
    e = random_encounter_config(rng, max_rounds=1)
    cbm = float(rng.uniform(0, 1))
    n = 40_000
    value = float(np.asarray(e.cuts)[3] + rng.normal(0, 1))
    ctx = dict(base_a=np.full(n, value), base_t=np.zeros(n), ceil_a=np.full(n, 7),
               ceil_t=np.zeros(n, np.int64), fishing_target=np.zeros(n, bool),
               observed=np.zeros(n, bool))
    res = encounters.resolve(np.arange(n), np.arange(n), ctx, e, cbm, rng)
    p_rung, p_out = first_round_shares(list(e.cuts), value, 7, e, cbm)
    for got, want in ((np.bincount(res["rung"], minlength=8) / n, p_rung),
                      (np.bincount(res["outcome"], minlength=6) / n, p_out)):
        se = np.sqrt(want * (1 - want) / n)
        assert (np.abs(got - want) <= 5 * se + 1e-4).all(), (got, want)
