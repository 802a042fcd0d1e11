"""Responses that pay off and confidence-building that needs two sides (issue 14, items 3 and 4):
a detected incursion cues the nearest free Vietnamese patrol after the reporting chain's delay
(longer where the pathway consults first), and the response time is measured; a hotline or
incident code exists as far as China accepts it, builds up, and erodes after violations; the
normative cost builds up over years. Rule tests on a model's actors (exact) and paired runs
(tests/paired.py's tolerance) where a rule acts through the dynamics."""

from __future__ import annotations

import math

import numpy as np
import pytest

import sim
from paired import compare
from sim.engine.fleet import COAST_GUARD, ON_STATION, VNM
from sim.params import to_params
from sim.world.model import GreyZoneModel


def make(*overrides: str) -> GreyZoneModel:
    return GreyZoneModel(to_params(sim.compose(["sea=toy", "run.days=30", "run.progress=off",
                                                *overrides])))


def put_patrols_at_sea(m, cells):
    """Vietnam's first patrols on station at ``cells`` (the rest in port); their ids."""
    f = m.fleet
    gov = np.flatnonzero(f.of(VNM, COAST_GUARD))
    f.task[gov] = 0  # in port
    ids = gov[: len(cells)]
    f.task[ids], f.cell[ids] = ON_STATION, cells
    f.busy_until[ids] = 0
    return ids


# --------------------------------------------------------------------------- responses
def test_a_detection_cues_the_nearest_free_patrol_after_the_delay():
    """One detection far from every patrol: a cue at the patrol area nearest it by route, due
    after ceil((cue_delay_hours + consultation_hours x capacity) / step) steps; at that step the
    nearest of two patrols at sea is sent there; once a Vietnamese ship is on scene the
    response closes with the hours since detection."""
    m = make("vietnam.cue_delay_hours=2", "cooperation.consultation_hours=10",
             "japan.capacity=0.5")
    r, dst = m.responses, m.dst
    area = int(r.areas[0])
    far = int(np.argmax(dst.dist[area]))  # a cell far from the area ...
    near = int(np.argmin(np.where(dst.dist[area] > 60, dst.dist[area], np.inf)))  # ... and one nearer
    ids = put_patrols_at_sea(m, [far, near])
    here = dst.cell[area]
    r.cue(np.array([here]))
    assert len(r.pending) == 1
    cue = r.pending[0]
    assert cue["area"] == int(r.areas[np.argmin(dst.dist[r.areas, here])])
    assert cue["due"] - cue["detected"] == math.ceil((2 + 10 * 0.5) / m.step_hours)
    r.cue(np.array([here]))  # a response under way: no second cue for the same area
    assert len(r.pending) == 1
    for _ in range(cue["due"] - cue["detected"]):
        r.step()
        assert cue["ship"] == -1
        m.step_count += 1
    r.step()
    assert cue["ship"] == ids[1] and m.fleet.assigned[ids[1]] == cue["area"]
    m.fleet.cell[ids[1]] = dst.cell[cue["area"]]  # it arrives
    m.step_count += 3
    r.step()
    assert not r.pending and r.done[0]["answered"]
    assert r.done[0]["hours"] == (m.step_count - cue["detected"]) * m.step_hours


def test_no_cue_where_a_patrol_is_on_scene_and_none_without_a_detection():
    m = make()
    r = m.responses
    area = int(r.areas[0])
    put_patrols_at_sea(m, [m.dst.cell[area]])
    r.cue(np.array([m.dst.cell[area]]))
    r.cue(np.zeros(0, np.int64))
    assert not r.pending


def test_an_unanswered_cue_is_dropped_as_unanswered():
    m = make("vietnam.response_give_up_hours=5")
    r = m.responses
    put_patrols_at_sea(m, [])
    r.cue(np.array([m.dst.cell[int(r.areas[0])]]))
    for _ in range(6):
        m.step_count += 1
        r.step()
    assert not r.pending and r.done and not r.done[0]["answered"]


def response_hours(run) -> float:
    return float(run.summary["response_hours"])


@pytest.mark.slow
def test_consultation_first_slows_the_response():
    """Paired, seeds 0-3, 60 toy days at capacity 1: 48 hours of consultation before a patrol is
    sent (cooperation.consultation_hours) against none raise the median response time by at
    least 6 hours (the consultation is the institutional pathway's cost, ODD §7.21)."""
    compare("median response hours", response_hours, common=["japan.capacity=1"],
            reference=["cooperation.consultation_hours=0"],
            lever=["cooperation.consultation_hours=48"]).moves(+1, at_least=6)


# --------------------------------------------------------------------------- the agreement
def test_china_accepts_less_at_high_scores_and_against_a_visible_programme():
    """Acceptance is logistic(base - score_weight x max(0, score) - visibility_weight x
    visibility x cooperation): falling with the score (flat below 0) and with visibility."""
    m = make("japan.capacity=1", "japan.visibility=0")
    a = m.agreement
    base = a.acceptance(0.0)
    assert base == pytest.approx(1 / (1 + math.exp(-m.p.cooperation.cbm_accept_base)))
    assert a.acceptance(-3.0) == base
    assert a.acceptance(1.0) < base and a.acceptance(3.0) < a.acceptance(1.0)
    seen = make("japan.capacity=1", "japan.visibility=1", "japan.info_sharing=1")
    assert seen.agreement.acceptance(0.0) < make("japan.capacity=1", "japan.visibility=0",
                                                 "japan.info_sharing=1").agreement.acceptance(0.0)


def test_the_regime_builds_up_only_when_accepted_and_erodes_after_violations():
    """Offered in full and accepted, the level moves towards the offer by 1 - exp(-days /
    cbm_buildup_days) a decision; refused, towards 0; each violation takes cbm_erosion of it."""
    m = make("japan.capacity=1", "japan.cbm=1", "cooperation.hotline=1",
             "cooperation.cbm_accept_base=20", "cooperation.cbm_buildup_days=100",
             "cooperation.cbm_erosion=0.1", "japan.training_lag_days=0")
    a, g = m.agreement, 1 - math.exp(-7 / 100)
    # built up since the programme began (730 days: all but nothing of the offer) ...
    assert a.level == pytest.approx(1.0 * a.acceptance(0.0) * (1 - math.exp(-730 / 100)))
    a.level = 0.0  # ... and from nothing:
    a.decide(0.0, 0, 7)
    assert a.accepted and a.level == pytest.approx(g)
    a.decide(0.0, 2, 7)
    assert a.level == pytest.approx((g + (1 - g) * g) * 0.9 ** 2)
    refused = make("japan.capacity=1", "japan.cbm=1", "cooperation.hotline=1",
                   "cooperation.cbm_accept_base=-20", "japan.training_lag_days=0").agreement
    for _ in range(10):
        refused.decide(0.0, 0, 7)
    # (its start, built up at acceptance logistic(-20), is 2e-9 of the offer: nothing)
    assert not refused.accepted and refused.level < 1e-8


def test_an_agreed_arrangement_is_in_force_at_once_and_lapses_when_it_ends():
    m = make("injects=[{kind: hotline, day: 0, hotspot: toy_reef, duration_days: 3}]")
    for _ in range(m.steps_per_day):
        m.step()
    assert m.agreement.agreed and m.cbm_level == 1.0
    while m.day < 4:
        m.step()
    assert not m.agreement.agreed


def cbm_mean(run) -> float:
    return float(run.daily["cbm_level"].mean())


def test_japans_money_cannot_decree_a_regime_china_refuses():
    """Paired, seeds 0-3, 60 toy days of Strategic Stabilization at capacity 1: with China's
    default inclination the regime builds up (to a mean level of 0.065-0.091 over the 60 days:
    it takes months, cbm_buildup_days); with China refusing (cbm_accept_base -20) it stays at 0
    (to 1e-8):
    lower by at least 0.04 (measured -0.078, 13.5 se)."""
    compare("mean CBM level", cbm_mean,
            common=["scenario=strategic_stabilization", "japan.capacity=1"],
            reference=["cooperation.cbm_accept_base=1"],
            lever=["cooperation.cbm_accept_base=-20"]).moves(-1, at_least=0.04)


# --------------------------------------------------------------------------- normative cost
def test_the_normative_cost_builds_up_from_the_programme_start():
    m = make("japan.capacity=0.5", "cooperation.norm_cost=0.8",
             "cooperation.norm_buildup_days=400", "japan.start_offset_days=100")
    want = lambda day: 0.8 * 0.5 * (1 - math.exp(-(day + 100) / 400))  # noqa: E731
    assert m.norm_cost() == pytest.approx(want(0))
    m.day = 300
    assert m.norm_cost() == pytest.approx(want(300)) and want(300) > want(0)
    m.day = 100000
    assert m.norm_cost() == pytest.approx(0.4)
