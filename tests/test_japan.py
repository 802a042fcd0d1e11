"""Japan's programme: what capacity buys, overrides, lags."""

from __future__ import annotations

import pytest

import sim
from sim.actors.japan import Programme
from sim.params import to_params


def programme(*overrides):
    return Programme.from_config(to_params(sim.compose(list(overrides))).japan)


def test_no_capacity_buys_nothing():
    p = programme("japan.capacity=0")
    assert (p.vessels, p.radars, p.training, p.info_sharing, p.cbm) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize("scenario", ["baseline", "enhanced_cooperation",
                                      "strategic_stabilization"])
def test_more_capacity_never_buys_less(scenario):
    lo = programme(f"scenario={scenario}", "japan.capacity=0.25")
    hi = programme(f"scenario={scenario}", "japan.capacity=1")
    for item in ("vessels", "radars", "training", "info_sharing", "cbm"):
        assert getattr(hi, item) >= getattr(lo, item)


def test_pathways_buy_different_things():
    ec = programme("scenario=enhanced_cooperation", "japan.capacity=1")
    ss = programme("scenario=strategic_stabilization", "japan.capacity=1")
    assert ec.vessels > ss.vessels and ec.radars > ss.radars
    assert ss.cbm > ec.cbm and ss.training > ec.training


def test_overrides_win_over_the_budget():
    p = programme("japan.capacity=0", "japan.vessels=4", "japan.radars=2", "japan.cbm=0.5")
    assert (p.vessels, p.radars, p.cbm) == (4, 2, 0.5)


def test_deliveries_follow_their_lags():
    p = programme("japan.capacity=0", "japan.vessels=3", "japan.vessel_lag_days=100",
                  "japan.vessel_interval_days=10", "japan.start_offset_days=0")
    assert p.vessel_days == [100, 110, 120]
    assert p.ramp(1.0, 30, 120) == pytest.approx(0.25) and p.ramp(1.0, 500, 120) == 1.0
    q = programme("japan.capacity=0", "japan.vessels=3", "japan.vessel_lag_days=100",
                  "japan.vessel_interval_days=10", "japan.start_offset_days=105")
    assert q.vessel_days == [0, 5, 15]  # a programme begun before the run: some in service
