"""State agents and injects: China's cost-balancing, Vietnam's patrols, scripted events."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.engine.fleet import ACTIVE, CHN, COAST_GUARD, MILITIA, NOT_IN_SERVICE, RIG
from sim.world.model import GreyZoneModel
from sim.params import ConfigError, to_params
from sim.actors.state import softmax

from conftest import toy


def model_for(*overrides, days=30):
    return GreyZoneModel(to_params(toy(*overrides, days=days)))


def advance_days(model, days):
    for _ in range(days * model.steps_per_day):
        model.advance()


def test_softmax_concentrates_as_temperature_falls():
    x = np.array([0.0, 1.0, 2.0])
    assert softmax(x, 0.1)[2] > softmax(x, 1.0)[2] > softmax(x, 10.0)[2]
    assert softmax(x, 1.0).sum() == pytest.approx(1.0)


def test_china_ceiling_rises_under_high_score_and_falls_under_low():
    up = model_for("china.economic_cost=0", "china.backlash_weight=0", "china.resolve_weight=5",
                   "china.roe_up=0.1", "china.roe_down=0.0")
    advance_days(up, 29)
    assert (up.china.ceiling > up.p.china.roe_start).all()
    down = model_for("china.economic_cost=5", "china.roe_up=5", "china.roe_down=4")
    advance_days(down, 29)
    assert (down.china.ceiling < down.p.china.roe_start).all()
    assert (down.china.ceiling >= down.p.china.roe_min).all()


def test_ceiling_has_hysteresis_between_thresholds():
    m = model_for("china.roe_up=10", "china.roe_down=-10")
    advance_days(m, 29)
    assert (m.china.ceiling == m.p.china.roe_start).all()


def test_more_economic_cost_means_fewer_cutters_at_sea():
    def cutters_at_sea(cost):
        m = model_for(f"china.economic_cost={cost}", "china.surge=2", "china.roe_min=3",
                      "china.roe_max=3", days=40)
        advance_days(m, 40)
        f = m.fleet
        return (f.assigned[: f.n][f.of(CHN, COAST_GUARD)] >= 0).sum()

    assert cutters_at_sea(0.0) > cutters_at_sea(5.0)


def test_every_decision_is_logged_with_its_inputs():
    r = sim.run(toy(days=22))
    dec = r.decisions
    china = dec[(dec["state"] == "CHN") & (dec["what"] == "deploy")]
    assert list(china["day"]) == [0, 7, 14, 21]
    assert china["reason"].str.contains("score").all()


def test_rig_inject_places_a_rig_and_draws_an_escort():
    cfg = toy("injects=[{kind: rig, day: 2, hotspot: toy_reef, duration_days: 10, size: 1, "
              "escort: 12}]", "japan.capacity=0", days=20)
    m = GreyZoneModel(to_params(cfg))
    n0 = m.fleet.n
    advance_days(m, 3)
    f = m.fleet
    rig = np.flatnonzero(f.kind[: f.n] == RIG)
    assert rig.size == 1 and f.status[rig[0]] == ACTIVE and f.n == n0 + 13
    assert m.injects.stakes().max() > 0
    advance_days(m, 10)
    assert f.status[rig[0]] == NOT_IN_SERVICE
    assert m.injects.stakes().max() == 0


def test_inject_at_an_unknown_hot_spot_is_a_config_error():
    with pytest.raises(ConfigError, match="atlantis"):
        toy("injects=[{kind: swarm, day: 1, hotspot: atlantis, duration_days: 5, size: 3, "
            "escort: 0}]", days=5)


def test_hotline_inject_lowers_severe_escalation_statistically():
    """Pooled over 5 seeds, with China's ceiling held at 5, the share of encounters reaching
    water cannon or worse is lower with a hotline in force (two-proportion z-test, z > 2)."""
    hot = ("injects=[{kind: hotline, day: 0, hotspot: toy_reef, duration_days: 400, size: 1, "
           "escort: 0}]")
    fixed = ["china.roe_start=5", "china.roe_min=5", "china.roe_max=5", "china.roe_down=-9"]
    counts = {}
    for label, extra in (("base", []), ("hotline", [hot])):
        severe = total = 0
        for seed in range(5):
            inc = sim.run(toy(f"seed={seed}", *fixed, *extra, days=90)).incidents
            severe += int((inc["rung"] >= 4).sum())
            total += len(inc)
        counts[label] = (severe, total)
    (s0, n0), (s1, n1) = counts["base"], counts["hotline"]
    p0, p1, pooled = s0 / n0, s1 / n1, (s0 + s1) / (n0 + n1)
    z = (p0 - p1) / np.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1))
    assert z > 2, (counts, z)


def test_militia_and_cutters_are_both_deployed():
    m = model_for(days=20)
    advance_days(m, 20)
    f = m.fleet
    assert (f.at_sea & f.of(CHN, MILITIA)).sum() > 0
    assert (f.at_sea & f.of(CHN, COAST_GUARD)).sum() > 0


def test_inject_hulls_stay_with_their_event_and_leave_after():
    cfg = toy("injects=[{kind: swarm, day: 1, hotspot: toy_reef, duration_days: 20, size: 25, "
              "escort: 0}]", days=30)
    m = GreyZoneModel(to_params(cfg))
    advance_days(m, 12)  # past China's decisions on days 7 (and the swarm's start)
    f = m.fleet
    swarm = np.flatnonzero(f.reserved[: f.n])
    assert swarm.size == 25
    assert (f.assigned[swarm] == m.dst.index("toy_reef")).all()
    deployable_before = m.fleet.deployable(CHN, MILITIA).size
    advance_days(m, 12)
    assert (f.status[swarm] == NOT_IN_SERVICE).all()
    assert m.fleet.deployable(CHN, MILITIA).size == deployable_before  # no lasting surge
