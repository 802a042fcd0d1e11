"""The encounter kernels (``sim/engine/encounters.py``) against plain-Python references:
who engages (``engage``, ``_one_each``) and the exchange of rungs (``resolve``, ``_exchange``,
``_physical_outcome``), exactly on the same uniforms, and statistically where they draw.

The references follow the steps of ODD §7.15 and the ``_exchange`` docstring (issue 14: each
side's ceiling is intent, passed with its leak; blocking may turn into a collision) and read
rungs through ``test_ladder.ref_rung`` (the ordered logit from its CDF, then the geometric leak
past the ceiling), not through ``ladder.rung_for``.
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
from test_ladder import p_at_least, random_cuts, ref_rung

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


def ref_exchange_one(base_a, base_t, ceil_a, ceil_t, leak_a, leak_t, fishing, e, cbm, u,
                     log=None):
    """One encounter, round by round as ODD §7.15 and the ``_exchange`` docstring list the
    steps; ``u[r]`` holds the round's eight uniforms (initiator's rung, target's answer,
    hotline, physical outcome, giving way, miscalculation, initiator's leak, target's leak).
    Returns (highest rung, outcome, rounds played). ``log`` (a dict of counters), if given,
    counts collisions and rungs past the ceiling, for the tests' coverage checks."""
    cuts = list(e.cuts)
    top, prev, push = 0, None, 0.0
    for r in range(e.max_rounds):
        u_a, u_t, u_talk, u_out, u_give, u_fire, u_la, u_lt = (float(x) for x in u[r])
        rung = ref_rung(base_a + push, u_a, cuts, ceil_a, leak_a, u_la,  # 1. (with its leak;
                        e.leak_weapons if leak_a > 0 else 0.0)  # its own into use of weapons)
        if log is not None and rung > ceil_a:
            log["leaked"] = log.get("leaked", 0) + 1
        if prev is not None and rung < prev:  # 2.
            return top, DEESCALATED, r + 1
        top, prev = max(top, rung), rung  # 3.
        if rung >= BLOCKING and u_talk < e.hotline_talk * cbm:  # 4.
            return top, DEESCALATED, r + 1
        if rung == BLOCKING and u_out < e.collision_prob:  # 4b. blocking ends in a collision:
            rung = RAMMING  # a ramming-level round, whatever the ceilings,
            top, prev = max(top, rung), rung
            u_out = u_out / e.collision_prob  # its outcome decided by the rescaled uniform
            if log is not None:
                log["collisions"] = log.get("collisions", 0) + 1
        outcome = ref_physical(rung, u_out, fishing, e)  # 5.
        if outcome is not None:
            return top, outcome, r + 1
        if ceil_t == 0:  # 6. an unarmed target gives way or holds on
            if u_give < min(e.withdraw_base + e.withdraw_per_rung * rung, e.withdraw_cap):
                return top, WITHDREW, r + 1
            answer = 0
        else:  # an armed one answers, on its ladder with its leak
            answer = ref_rung(base_t + e.counter_weight * rung, u_t, cuts, ceil_t, leak_t, u_lt,
                              e.leak_weapons if leak_t > 0 else 0.0)
            if answer == 0:
                return top, WITHDREW, r + 1
            if rung >= RAMMING and answer >= BLOCKING and \
                    u_fire < e.miscalculation * (1.0 - cbm):  # 7.
                return WEAPONS, DAMAGED, r + 1
        push += e.persistence + e.answer_push * answer  # 8.
    return top, DISENGAGED, e.max_rounds


def random_encounter_config(rng: np.random.Generator, **fixed) -> EncounterConfig:
    """Random exchange parameters (cuts a random increasing set) with every branch reachable;
    the collision chance 0 one time in five, else large enough to happen often (0.05-0.6)."""
    u = lambda lo, hi: float(rng.uniform(lo, hi))  # noqa: E731
    values = dict(cuts=[float(c) for c in random_cuts(rng, 7)],
                  max_rounds=int(rng.integers(1, 6)), persistence=u(0, 1),
                  answer_push=u(0, 0.6), counter_weight=u(0, 0.6), withdraw_base=u(0, 0.5),
                  withdraw_per_rung=u(0, 0.2), withdraw_cap=u(0.5, 0.99),
                  damage_prob=u(0.05, 0.6), sink_prob=u(0.02, 0.3), detain_prob=u(0.05, 0.9),
                  ramming_damage_factor=u(1.0, 1.6), miscalculation=u(0.2, 0.9),
                  hotline_talk=u(0.05, 0.9),
                  collision_prob=0.0 if rng.random() < 0.2 else u(0.05, 0.6),
                  leak_weapons=u(0.01, 0.9))
    values.update(fixed)
    return dataclasses.replace(EncounterConfig(), **values)


def random_leaks(rng: np.random.Generator, n: int) -> np.ndarray:
    """Per encounter a leak of 0 (a hard cap) with chance 0.3, else uniform in (0, 0.9)."""
    return np.where(rng.random(n) < 0.3, 0.0, rng.uniform(0.0, 0.9, n))


def random_context(rng: np.random.Generator, n: int, e) -> dict:
    """``encounter_context``'s output for ``n`` random encounters: latent values spread over
    the cut points, random ceilings and leaks (``random_leaks``; an unarmed target's leak is 0,
    as the context gives it); fishing targets (and a share of others) unarmed."""
    cuts = np.asarray(e.cuts)
    fishing = rng.random(n) < 0.4
    armed = ~fishing & (rng.random(n) < 0.7)
    return dict(base_a=rng.normal(cuts[3], 3.0, n), base_t=rng.normal(cuts[2], 3.0, n),
                ceil_a=rng.integers(0, 8, n), ceil_t=np.where(armed, rng.integers(1, 8, n), 0),
                leak_a=random_leaks(rng, n), leak_t=np.where(armed, random_leaks(rng, n), 0.0),
                fishing_target=fishing, observed=rng.random(n) < 0.5)


def check_exchange(ctx, e, cbm, u, res, log=None):
    """``res`` (top, outcome, rounds) equals ``ref_exchange_one`` encounter by encounter."""
    got = list(zip(*(np.asarray(res[k]).tolist() for k in ("rung", "outcome", "rounds"))))
    for k in range(ctx["base_a"].size):
        want = ref_exchange_one(float(ctx["base_a"][k]), float(ctx["base_t"][k]),
                                int(ctx["ceil_a"][k]), int(ctx["ceil_t"][k]),
                                float(ctx["leak_a"][k]), float(ctx["leak_t"][k]),
                                bool(ctx["fishing_target"][k]), e, cbm, u[k], log)
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
    random encounters under random parameters (cuts, rounds, chances, CBM level, collision
    chance, 0 or not) and random ceilings and leaks per side (0 or not). Exact. The random
    cases reach every outcome, a crisis, the last round, collisions and rungs past the
    initiator's ceiling."""
    rng = np.random.default_rng(900 + seed)
    seen_outcomes, crises, full, log = set(), 0, 0, {}
    for _ in range(6):
        e = random_encounter_config(rng)
        cbm = float(rng.choice([0.0, rng.random(), 1.0]))
        n = 500
        ctx = random_context(rng, n, e)
        a, t = np.arange(n), np.arange(n, 2 * n)
        res = encounters.resolve(a, t, ctx, e, cbm, np.random.default_rng([seed, 1]))
        u = np.random.default_rng([seed, 1]).random((n, e.max_rounds, 8))
        check_exchange(ctx, e, cbm, u, res, log)
        seen_outcomes |= set(res["outcome"].tolist())
        crises += int((res["rung"] == WEAPONS).sum())
        full += int((res["rounds"] == e.max_rounds).sum())
        np.testing.assert_array_equal(res["actor"], a)
        np.testing.assert_array_equal(res["target"], t)
        np.testing.assert_array_equal(res["observed"], ctx["observed"])
    assert seen_outcomes == {WITHDREW, DEESCALATED, DISENGAGED, DAMAGED, SUNK, DETAINED}
    assert crises > 0 and full > 0
    assert log.get("collisions", 0) > 0 and log.get("leaked", 0) > 0


def exchange_probs(e, cbm) -> np.ndarray:
    """``_exchange``'s ``probs`` vector, in the order ``resolve`` builds it."""
    return np.array([cbm, e.persistence, e.withdraw_base, e.withdraw_per_rung, e.damage_prob,
                     e.sink_prob, e.detain_prob, e.miscalculation, e.hotline_talk,
                     e.counter_weight, e.answer_push, e.withdraw_cap, e.ramming_damage_factor,
                     e.collision_prob, e.leak_weapons])


def leak_ties(rng, leak: np.ndarray, shape) -> np.ndarray:
    """Leak uniforms per encounter (``leak`` one per row of ``shape``): a tie with the
    encounter's leak (one rung past the ceiling), the float just below it, or (a third of them)
    a continuous draw. Ties with higher powers are left out: the kernel multiplies (leak·leak),
    the reference raises to a power (leak ** 2), and the two can differ by one ulp; such ties
    have probability 0 in a run."""
    n, m = shape
    ties = np.stack([leak, np.nextafter(leak, 0.0)], axis=1)  # (n, 2)
    pick = ties[np.arange(n)[:, None], rng.integers(0, 2, (n, m))]
    return np.where(rng.random((n, m)) < 1 / 3, rng.random((n, m)), pick)


@pytest.mark.parametrize("seed", SEEDS)
def test_exchange_at_the_thresholds(seed):
    """``_exchange`` against ``ref_exchange_one`` with every uniform but the rungs' drawn from
    the chances themselves (hotline, collision, damage, sinking, detention, ramming damage,
    giving way at each rung, miscalculation; for the outcome, also the collision chance times
    each physical chance, the ties of the rescaled uniform) and the floats just below them;
    the leak uniforms at the encounter's leak or just below it (``leak_ties``): a
    draw equal to a chance does not make the event, one just below does. Exact, 2,000
    encounters; one seed in two has a collision chance of 0."""
    rng = np.random.default_rng(1000 + seed)
    e = random_encounter_config(rng, max_rounds=4,
                                collision_prob=0.0 if seed % 2 else float(rng.uniform(0.1, 0.6)))
    cbm = float(rng.uniform(0.2, 0.8))
    physical = [e.damage_prob, e.sink_prob, e.detain_prob,
                min(1.0, e.ramming_damage_factor * e.damage_prob)]
    chances = [e.hotline_talk * cbm, e.miscalculation * (1 - cbm), e.collision_prob, *physical]
    chances += [e.collision_prob * c for c in physical]
    chances += [min(e.withdraw_base + e.withdraw_per_rung * r, e.withdraw_cap) for r in range(8)]
    pool = np.array(chances + list(np.nextafter(chances, 0.0)))
    n = 2000
    ctx = random_context(rng, n, e)
    u = rng.choice(pool, (n, e.max_rounds, 8))
    u[:, :, :2] = rng.random((n, e.max_rounds, 2))  # the rungs' uniforms stay continuous
    u[:, :, 6] = leak_ties(rng, ctx["leak_a"], (n, e.max_rounds))
    u[:, :, 7] = leak_ties(rng, ctx["leak_t"], (n, e.max_rounds))
    top, outcome, rounds = encounters._exchange(
        ctx["base_a"], ctx["base_t"], ctx["ceil_a"], ctx["ceil_t"], ctx["leak_a"],
        ctx["leak_t"], ctx["fishing_target"], np.asarray(e.cuts, float), exchange_probs(e, cbm),
        u)
    log = {}
    check_exchange(ctx, e, cbm, u, dict(rung=top, outcome=outcome, rounds=rounds), log)
    assert log.get("leaked", 0) > 0
    assert (log.get("collisions", 0) > 0) == (e.collision_prob > 0)


def first_round_shares(cuts, value, ceiling, leak, e, cbm):
    """Closed form of one round against an unarmed, non-fishing target: the rung chosen,
    P(rung = k) = P(rung >= k) - P(rung >= k + 1) with ``p_at_least`` (the ordered logit with
    the leak past the ceiling, ``leak_weapons`` for the step into use of weapons); then per rung the hotline, at blocking (not talked
    down) a collision with ``collision_prob`` that makes the round a ramming one whose outcome
    is decided by a fresh uniform (the rescaled one), the physical outcome and giving way, in
    the ODD's order. Returns (P(chosen rung = k), P(highest rung = k), P(outcome = o),
    P(collision)); the highest rung differs from the chosen one only by collisions."""
    n_rungs = len(cuts) + 1
    top_leak = e.leak_weapons if leak > 0 else 0.0
    at_least = [1.0] + [p_at_least(value, cuts, ceiling, leak, k, top_leak)
                        for k in range(1, n_rungs)]
    at_least.append(0.0)
    p_rung = np.array([at_least[k] - at_least[k + 1] for k in range(n_rungs)])
    ram = min(1.0, e.ramming_damage_factor * e.damage_prob)
    phys_at = {WATER_CANNON: e.damage_prob, BOARDING: e.detain_prob, RAMMING: ram,
               WEAPONS: ram}
    give_at = [min(e.withdraw_base + e.withdraw_per_rung * k, e.withdraw_cap)
               for k in range(n_rungs)]
    p_top, out = p_rung.copy(), np.zeros(6)
    collide = 0.0
    for k, pk in enumerate(p_rung):
        talk = e.hotline_talk * cbm if k >= BLOCKING else 0.0
        out[DEESCALATED] += pk * talk
        hit = e.collision_prob if k == BLOCKING else 0.0
        # (rung, its chance) of the round as played: a collision is a ramming round
        for played, w in ((k, pk * (1 - talk) * (1 - hit)), (RAMMING, pk * (1 - talk) * hit)):
            phys, give = phys_at.get(played, 0.0), give_at[played]
            out[DETAINED if played == BOARDING else DAMAGED] += w * phys
            out[WITHDREW] += w * (1 - phys) * give
            out[DISENGAGED] += w * (1 - phys) * (1 - give)
        if hit:
            collide = pk * (1 - talk) * hit
            p_top[BLOCKING] -= collide
            p_top[RAMMING] += collide
    return p_rung, p_top, out, collide


ONE_ROUND = [(0, "no leak"), (1, "no collisions"), (2, "both"), (3, "both")]


@pytest.mark.parametrize("seed, case", ONE_ROUND)
def test_one_round_has_the_closed_form_rates(seed, case):
    """Statistical: in a single round against an unarmed ship (not a fishing boat), over
    40,000 encounters of one latent value, random cuts and chances, a random ceiling (2-5) and
    leak (0.2-0.7; 0 in the "no leak" case) and a collision chance of 0.1-0.5 (0 in the "no
    collisions" case): the share of each highest rung and of each outcome is within 5 binomial
    standard errors (+1e-4) of ``first_round_shares``; so is the share of collisions (read
    from the uniforms ``resolve`` drew by the rule: P(rung = blocking) · (1 - hotline chance) ·
    collision_prob), each of which the kernel records as a ramming-level round, damaged with
    the ramming chance min(1, ramming_damage_factor · damage_prob) (5 standard errors, when
    there are 100 collisions or more)."""
    rng = np.random.default_rng(1100 + seed)
    e = random_encounter_config(
        rng, max_rounds=1,
        collision_prob=0.0 if case == "no collisions" else float(rng.uniform(0.1, 0.5)))
    cbm = float(rng.uniform(0, 1))
    ceiling = int(rng.integers(2, 6))
    leak = 0.0 if case == "no leak" else float(rng.uniform(0.2, 0.7))
    n = 40_000
    value = float(np.asarray(e.cuts)[3] + rng.normal(0, 1))
    ctx = dict(base_a=np.full(n, value), base_t=np.zeros(n), ceil_a=np.full(n, ceiling),
               ceil_t=np.zeros(n, np.int64), leak_a=np.full(n, leak), leak_t=np.zeros(n),
               fishing_target=np.zeros(n, bool), observed=np.zeros(n, bool))
    res = encounters.resolve(np.arange(n), np.arange(n), ctx, e, cbm,
                             np.random.default_rng([1100, seed]))
    u = np.random.default_rng([1100, seed]).random((n, 1, 8))[:, 0]  # resolve's uniforms
    p_rung, p_top, p_out, p_collide = first_round_shares(list(e.cuts), value, ceiling, leak, e,
                                                         cbm)
    for got, want in ((np.bincount(res["rung"], minlength=8) / n, p_top),
                      (np.bincount(res["outcome"], minlength=6) / n, p_out)):
        se = np.sqrt(want * (1 - want) / n)
        assert (np.abs(got - want) <= 5 * se + 1e-4).all(), (got, want)
    # The collisions, read from the uniforms by the rule (chosen rung blocking, not talked
    # down, outcome uniform below the collision chance): each gave a ramming-level round, and
    # their share is the closed form's.
    chosen = np.array([ref_rung(value, float(x[0]), list(e.cuts), ceiling, leak, float(x[6]))
                       for x in u])
    collided = (chosen == BLOCKING) & (u[:, 2] >= e.hotline_talk * cbm) & \
        (u[:, 3] < e.collision_prob)
    assert (res["rung"][collided] == RAMMING).all()
    se = math.sqrt(p_collide * (1 - p_collide) / n)
    assert abs(collided.mean() - p_collide) <= 5 * se + 1e-4, (collided.mean(), p_collide)
    if collided.sum() >= 100:  # given a collision, a ramming round's damage chance
        ram = min(1.0, e.ramming_damage_factor * e.damage_prob)
        share = (res["outcome"][collided] == DAMAGED).mean()
        se = math.sqrt(ram * (1 - ram) / collided.sum())
        assert abs(share - ram) <= 5 * se + 1e-4, (share, ram)
    assert (p_collide > 1e-3) == (e.collision_prob > 0)  # (each case tests what it says)
    above = p_rung[ceiling + 1:].sum()
    assert above > 1e-3 if leak > 0 else above == 0.0
