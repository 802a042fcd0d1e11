"""The escalation ladder: ordered choice, ceilings, and the direction of each term."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine import ladder
from sim.params import EncounterConfig

CUTS = np.array(EncounterConfig().cuts)


def test_rung_never_exceeds_the_ceiling():
    rng = np.random.default_rng(0)
    value = rng.normal(5, 3, 10_000)
    ceiling = rng.integers(0, 8, 10_000)
    rung = ladder.choose_rung(value, CUTS, ceiling, rng)
    assert (rung <= ceiling).all() and rung.min() >= 0 and rung.max() <= 7


def test_higher_latent_gives_higher_rungs_on_average():
    rng = np.random.default_rng(1)
    low = ladder.choose_rung(np.full(20_000, 0.0), CUTS, np.full(20_000, 7), rng)
    high = ladder.choose_rung(np.full(20_000, 3.0), CUTS, np.full(20_000, 7), rng)
    assert high.mean() > low.mean() + 1.0


def test_ordered_logit_matches_its_closed_form():
    """P(rung >= k) = logistic(value - cut_{k-1}): checked within sampling error."""
    rng = np.random.default_rng(2)
    n, v = 200_000, 1.3
    rung = ladder.choose_rung(np.full(n, v), CUTS, np.full(n, 7), rng)
    for k in range(1, 8):
        expect = 1 / (1 + np.exp(-(v - CUTS[k - 1])))
        se = np.sqrt(expect * (1 - expect) / n)
        assert abs((rung >= k).mean() - expect) < 5 * se + 1e-4


@pytest.mark.parametrize("term, sign", [("roe", +1), ("force_ratio", +1), ("observed", -1),
                                        ("cbm", -1), ("training", -1), ("posture", +1)])
def test_each_latent_term_pushes_the_way_the_brief_says(term, sign):
    coef = EncounterConfig()
    base = dict(roe=3, force_ratio=1.0, observed=0.0, cbm=0.0, training=0.3, posture=0.0)
    more = dict(base)
    more[term] = base[term] * 2 + 1
    delta = ladder.latent(coef, **more) - ladder.latent(coef, **base)
    assert np.sign(delta) == sign


def test_withdrawal_rises_with_the_rung_and_stays_a_probability():
    cap = EncounterConfig().withdraw_cap
    p = ladder.withdraw_probability(np.arange(8), 0.25, 0.12, cap)
    assert (np.diff(p) >= 0).all() and p.min() >= 0 and p.max() <= cap


def test_names_cover_the_ladder():
    assert len(ladder.RUNGS) == 8 and ladder.RUNGS[4] == "water_cannon"
    assert ladder.SEVERE == 4 and ladder.CRISIS == 7
