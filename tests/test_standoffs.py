"""Stand-offs and deliberate escalation (issue 14, items 2 and 3): a stand-off begins from a clash
or a rig, ends by what the States do (China withdraws, or holds the spot and closes its
grounds), and only at a stand-off may China decide on armed force. Rule tests on a model's
actors (exact), and model runs over several seeds where the rule acts through the dynamics."""

from __future__ import annotations

import math

import numpy as np
import pytest

import sim
from sim.actors.standoff import CN_GROUPS, HELD, VN_GROUP, WITHDREW, withdrawal_chance
from sim.engine import ladder
from sim.engine.fleet import ACTIVE, CHN, NAVY
from sim.engine.sensing import HOTSPOT_GROUPS
from sim.params import to_params
from sim.world.model import GreyZoneModel


def make(*overrides: str) -> GreyZoneModel:
    return GreyZoneModel(to_params(sim.compose(["sea=toy", "run.days=30", "run.progress=off",
                                                *overrides])))


def counts(m, cn: int, vn: int) -> np.ndarray:
    """A day's hot-spot picture with ``cn`` Chinese cutters and ``vn`` Vietnamese government
    ships at every hot spot."""
    c = np.zeros((m.china.hotspots.size, len(HOTSPOT_GROUPS)), np.int64)
    c[:, CN_GROUPS[0]] = cn
    c[:, VN_GROUP] = vn
    return c


def test_withdrawal_grows_with_vietnams_share_and_falls_with_chinas_score():
    """China's daily chance of leaving: the rate at parity and score 0, proportional to
    Vietnam's share (none without Vietnamese ships), times exp(-score), at most 1."""
    assert withdrawal_chance(0.04, 5, 5, 0.0) == pytest.approx(0.04)
    assert withdrawal_chance(0.04, 0, 5, 0.0) == 0.0
    assert withdrawal_chance(0.04, 15, 5, 0.0) == pytest.approx(0.04 * 2 * 0.75)
    assert withdrawal_chance(0.04, 5, 5, 2.0) == pytest.approx(0.04 * math.exp(-2.0))
    assert withdrawal_chance(0.9, 50, 1, -5.0) == 1.0


def test_a_clash_can_become_a_stand_off_and_vietnams_absence_lets_china_hold_it():
    """With onset_prob 1, a clash of government ships at a hot spot starts a stand-off there
    (none where no clash was); after hold_days without Vietnamese ships China holds the spot and
    its grounds close to Vietnamese boats for closure_days (and reopen after)."""
    m = make("standoff.onset_prob=1", "standoff.hold_days=2", "standoff.closure_days=10")
    s = m.standoffs
    clashes = np.zeros(s.active.size, np.int64)
    clashes[0] = 1
    s.close_day(counts(m, 5, 3), clashes)
    assert s.active.tolist() == [True] + [False] * (s.active.size - 1)
    assert s.log[0]["kind"] == "arising"
    s.close_day(counts(m, 5, 0), np.zeros_like(clashes))
    assert s.active[0]  # one day without Vietnam is not yet enough
    s.close_day(counts(m, 5, 0), np.zeros_like(clashes))
    assert not s.active[0] and s.log[0]["outcome"] == HELD
    assert s.closed(m.day)[0] and not s.closed(m.day)[1:].any()
    assert s.closed(m.day + 10)[0] and not s.closed(m.day + 11)[0]
    grounds = m.fishers.closed_grounds()
    near = m.fishers.ground_hotspot == 0
    assert grounds.tolist() == near.tolist() and near.any()


def test_without_an_onset_chance_clashes_start_nothing():
    m = make("standoff.onset_prob=0")
    m.standoffs.close_day(counts(m, 5, 3), np.full(m.standoffs.active.size, 50))
    assert not m.standoffs.active.any()


def test_vietnamese_presence_makes_china_withdraw_and_a_rig_leave_early():
    """With withdraw_rate 1 and Vietnamese ships at the spot, China's next decision ends the rig
    stand-off: withdrawn, the inject ends early, its hulls stood down; without Vietnamese ships
    it stays (the chance is 0)."""
    for vn, gone in ((10, True), (0, False)):
        m = make("standoff.withdraw_rate=1", "china.stakes_rig=0",
                 "injects=[{kind: rig, day: 0, hotspot: toy_reef, duration_days: 60}]")
        m.new_day()  # the rig arrives: a scripted stand-off begins
        h = m.injects._hotspot(m.injects.events[0])
        assert m.standoffs.active[h] and m.standoffs.log[0]["kind"] == "scripted"
        hulls = m.injects.hulls[0]
        m.standoffs.vn_ships = np.full(m.standoffs.active.size, vn)
        m.standoffs.cn_ships = np.full(m.standoffs.active.size, 10)
        m.china.score[:] = 0.0
        m.standoffs.china_decides(m.china.score, 7)
        assert (not m.standoffs.active[h]) == gone
        if gone:
            assert m.standoffs.log[0]["outcome"] == WITHDREW
            assert 0 in m.injects.ended_early and not m.injects.active(m.day)
            assert (m.fleet.status[hulls] != ACTIVE).all()


def test_a_rig_that_runs_its_course_leaves_china_holding_the_spot():
    """China never withdrawing and Vietnam never absent long enough: the stand-off ends on the
    rig's planned last day (held), after its planned length."""
    m = make("standoff.withdraw_rate=0", "standoff.hold_days=60",
             "injects=[{kind: rig, day: 1, hotspot: toy_reef, duration_days: 5}]")
    while m.day < 8:
        m.step()
    log = m.standoffs.log
    assert log and log[0]["outcome"] == HELD and log[0]["kind"] == "scripted"
    assert log[0]["days"] == 5 and log[0]["end_day"] == 6  # days 1-5


def test_armed_force_only_at_a_stand_off_and_it_ends_with_it():
    """A decision for armed force (chance 1 at any score) raises a stand-off's ceiling to use of
    weapons and sends warships; spots without a stand-off keep their ceilings; when the
    stand-off ends the ceiling returns to roe_max and the warships leave."""
    m = make("china.deliberate_rate=1", "china.deliberate_threshold=-10", "china.deliberate_navy=3")
    c = m.china
    before = c.ceiling.copy()
    c._decide_on_force()
    assert (c.ceiling == before).all() and not c.navy  # no stand-off, no decision
    m.standoffs.begin(0)
    c._decide_on_force()
    assert c.ceiling[0] == ladder.WEAPONS and (c.ceiling[1:] == before[1:]).all()
    navy = c.navy[0]
    assert navy.size == 3 and (m.fleet.kind[navy] == NAVY).all()
    assert (m.fleet.flag[navy] == CHN).all()
    assert m.standoffs.log[0]["deliberate"]
    m.standoffs.end(0, WITHDREW, "test")
    assert c.ceiling[0] == c.p.roe_max and 0 not in c.navy
    assert (m.fleet.status[navy] != ACTIVE).all()


def test_the_decision_for_force_grows_with_chinas_score():
    m = make()
    scores = np.linspace(-2, 10, 25)
    chance = m.china.deliberate_chance(scores)
    assert (np.diff(chance) > 0).all()
    assert chance[-1] == pytest.approx(m.china.p.deliberate_rate, rel=1e-3)
    mid = m.china.deliberate_chance(np.array([m.china.p.deliberate_threshold]))[0]
    assert mid == pytest.approx(m.china.p.deliberate_rate / 2)


@pytest.mark.slow
def test_a_decision_for_force_brings_crises_at_a_stand_off():
    """Statistical, 4 seeds of a 60-day toy rig stand-off: with China sure to decide on armed
    force (deliberate_rate 1, threshold -10) every run has a crisis (rung 7), and more crises
    in all than with no such decision (deliberate_rate 0): the deliberate path is live."""
    inj = "injects=[{kind: rig, day: 2, hotspot: toy_reef, duration_days: 50, escort: 30}]"
    crises = {}
    for rate in (0, 1):
        crises[rate] = [sim.run(sim.compose(["sea=toy", "run.days=60", "run.progress=off",
                                             "run.stop_at_crisis=false", inj, f"seed={k}",
                                             f"china.deliberate_rate={rate}",
                                             "china.deliberate_threshold=-10"])).summary["crises"]
                        for k in range(4)]
    assert all(c > 0 for c in crises[1]), crises
    assert sum(crises[1]) > sum(crises[0]), crises


def test_vietnamese_boats_do_not_choose_a_closed_ground():
    """Grounds closed after China held a spot are off limits to Vietnamese boats (they give up
    ``fishers.off_limits`` of catch there: in effect they go elsewhere), and only those."""
    m = make("fishers.off_limits=100")
    fs = m.fishers
    boats = np.flatnonzero(m.fleet.of(1, 2))[:300]  # Vietnamese fishing boats
    near = fs.ground_hotspot == 0
    assert near.any() and (~near).any()
    before = fs.choose(boats)
    assert np.isin(before, fs.grounds[near]).any()  # open: some boats choose them
    m.standoffs.closed_until[0] = m.day + 5
    after = fs.choose(boats)
    assert not np.isin(after, fs.grounds[near]).any()
