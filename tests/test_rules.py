"""Rules of the calendar, the harbour, what Vietnam detects, China's publicity and the fishers'
choice, each against its statement in the ODD, on the toy sea's model objects set by hand.

Fast and direct: each test sets the state a rule reads, applies the rule once and compares with
the rule as the docs state it (exactly where it is deterministic; with a stated tolerance where
it draws). The run-level effects of the same mechanisms are in ``test_mechanisms.py``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import sim
from sim.engine.calendar import CALM, ROUGH, SEVERE, moratorium_active
from sim.engine.fleet import (ACTIVE, CHN, COAST_GUARD, FISHING, IN_PORT, KINDS, MILITIA, VNM,
                              WEATHER_LIMIT, Fleet)
from sim.engine.port import ready_to_sail
from sim.params import to_params
from sim.world.model import GreyZoneModel


@pytest.fixture
def model():
    return GreyZoneModel(to_params(sim.compose(["sea=toy", "run.days=30", "run.progress=off"])))


# --------------------------------------------------------------------------- the calendar
@pytest.mark.parametrize("year", [2019, 2024, 2025])
def test_the_moratorium_runs_from_1_may_to_16_august(year):
    """FACTS §4: 12:00 1 May - 12:00 16 Aug, in whole days: 1 May to 15 Aug inclusive."""
    days = [dt.date(year, 1, 1) + dt.timedelta(k) for k in range(365)]
    on = [d for d in days if moratorium_active(d)]
    assert on[0] == dt.date(year, 5, 1) and on[-1] == dt.date(year, 8, 15)
    assert len(on) == (dt.date(year, 8, 16) - dt.date(year, 5, 1)).days  # one unbroken spell


# --------------------------------------------------------------------------- the harbour
@pytest.mark.parametrize("state", [CALM, ROUGH, SEVERE])
def test_hulls_sail_only_in_weather_below_their_limit(state):
    """ODD §7.4: a hull whose turnaround is over sails only if the sea state of its region is
    below its kind's limit (``WEATHER_LIMIT``: small craft stay in port in rough weather,
    cutters in severe). North of 12°N has ``state``, the south is calm."""
    rng = np.random.default_rng(state)
    n = 400
    f = Fleet(n)
    f._grow(n)
    f.kind[:] = rng.integers(0, len(KINDS), n)
    f.status[:], f.task[:], f.port_until[:] = ACTIVE, IN_PORT, 0
    f.cell[:] = rng.integers(0, 100, n)
    north = np.zeros(100, bool)
    north[:50] = True
    ready = ready_to_sail(f, 10, 24, np.ones(len(KINDS), np.int64), np.array([state, CALM]),
                          north)
    weather = np.where(north[f.cell[:n]], state, CALM)
    want = np.flatnonzero(weather < WEATHER_LIMIT[f.kind[:n]])
    np.testing.assert_array_equal(ready, want)
    if state > CALM:
        assert want.size < n  # the rule held some hull back


# --------------------------------------------------------------------------- detection
def _chinese_in_eez(model, cells):
    f = model.fleet
    ids = f.add("cn_coast_guard", cells.size, np.zeros(1, np.int64), cells[:1],
                model.rng_policy)
    f.cell[ids] = cells
    return ids


def test_vietnams_radars_detect_every_incursion_they_cover(model):
    """ODD §7.17: a Chinese government ship in Vietnam's EEZ is detected if a Vietnamese radar
    covers its cell, a Vietnamese patrol at sea has it in sensor range, or information sharing
    reveals it. With no patrol at sea and no sharing, detection is exactly radar cover."""
    lay, f = model.layers, model.fleet
    f.task[: f.n] = IN_PORT  # no Vietnamese patrol at sea
    f.status[: f.n] = ACTIVE
    covered = np.flatnonzero(lay.radar_vn & lay.vn_eez)
    bare = np.flatnonzero(~lay.radar_vn & lay.vn_eez & model.sea.water.ravel())
    assert covered.size and bare.size
    cells = np.concatenate([covered, bare[:covered.size]])
    ids = _chinese_in_eez(model, cells)
    f.task[: f.n] = IN_PORT
    seen = model.sensing._detected(f, ids, reach_km=40.0, info_sharing=0.0)
    np.testing.assert_array_equal(seen, lay.radar_vn[cells])


def test_information_sharing_reveals_ships_at_its_stated_chance(model):
    """ODD §7.17: information sharing at level s reveals each ship with chance
    ``sensing.info_detection`` × s. 4,000 ships off radar and out of sensor range; tolerance
    4 binomial standard errors."""
    lay, f = model.layers, model.fleet
    f.task[: f.n] = IN_PORT
    bare = np.flatnonzero(~lay.radar_vn & lay.vn_eez & model.sea.water.ravel())
    cells = np.resize(bare, 4000)
    ids = _chinese_in_eez(model, cells)
    f.task[: f.n] = IN_PORT
    for share in (0.0, 0.5, 1.0):
        p = model.p.sensing.info_detection * share
        seen = model.sensing._detected(f, ids, reach_km=40.0, info_sharing=share)
        se = np.sqrt(max(p * (1 - p), 1e-12) / ids.size)
        assert abs(seen.mean() - p) <= 4 * se + 1e-12, (share, seen.mean(), p)


# --------------------------------------------------------------------------- China's publicity
def test_publicity_fades_and_grows_with_observed_severe_incidents(model, monkeypatch):
    """ODD §7.7: publicity of observed severe incidents decays with e-folding time
    ``china.publicity_decay_days`` between decisions and adds the new ones; China's cost rises
    by ``backlash_weight`` × Δlog1p(publicity) / ``publicity_scale``, so its score falls by as
    much at every hot spot."""
    import sim.actors.china as china_mod

    real = china_mod.china_view
    added = {"n": 0}

    def view(m, days):
        obs = dict(real(m, days))
        obs["observed_severe"] = added["n"]
        return obs

    monkeypatch.setattr(china_mod, "china_view", view)
    c, p = model.china, model.china.p
    c.publicity = 0.0
    c.decide()
    score0 = c.score.copy()
    c.ceiling[:] = p.roe_start
    c.publicity, added["n"] = 10.0, 3
    c.decide()
    fade = np.exp(-p.decision_days / p.publicity_decay_days)
    assert 0 < fade < 1
    assert c.publicity == pytest.approx(10.0 * fade + 3)
    rise = p.backlash_weight * np.log1p(10.0 * fade + 3) / p.publicity_scale
    # (the ceiling may have moved after the first decision: its rung cost is added back)
    np.testing.assert_allclose(score0 - c.score, rise, rtol=1e-9)


# --------------------------------------------------------------------------- the fishers
def _boats(model, flag: str, n: int):
    f = model.fleet
    klass = "vn_fishing" if flag == "VNM" else "cn_fishing"
    home = np.flatnonzero(f.of(VNM if flag == "VNM" else CHN, FISHING))[:1]
    ids = f.add(klass, n, np.repeat(f.home[home], n), np.repeat(f.cell[home], n),
                model.rng_policy)
    return ids


@pytest.mark.parametrize("season", [True, False])
def test_chinese_boats_keep_out_of_the_moratorium_zone_in_season(model, season):
    """ODD §7.5: Chinese boats fish the claimed grounds and respect their own moratorium north
    of 12°N: while it is on a ground in the zone costs them ``fishers.off_limits`` (5) in
    utility, so (taste 0.15) practically none choose it; off season some do."""
    fi = model.fishers
    zone = set(fi.grounds[fi.ground_moratorium].tolist())
    assert zone
    model.moratorium_on = season
    chosen = fi.choose(_boats(model, "CHN", 2000))
    share = np.isin(chosen, list(zone)).mean()
    if season:
        assert share < 0.005, share
    else:
        assert share > 0.05, share


def test_vietnamese_patrols_at_a_ground_lower_the_fishers_perceived_risk(model):
    """ODD §7.5: patrols assigned to a ground remove ``protection_max`` × min(1, ships /
    ``protection_ships``) of the perceived risk there, so more boats choose it. Two arms with
    the same draws (the fishing stream reset): perceived risk 1 at the first ground for the
    boats' home port; no patrol vs two coast-guard ships assigned there."""
    fi, f, fp = model.fishers, model.fleet, model.p.fishers
    ids = _boats(model, "VNM", 3000)
    g = fi.grounds[0]
    fi.risk[:] = 0.0
    fi.risk[f.home[ids[0]], 0] = 1.0
    cg = np.flatnonzero(f.of(VNM, COAST_GUARD) & f.active)[:2]
    assert cg.size == 2
    shares = []
    for assigned in (-1, g):
        f.assigned[cg] = assigned
        prot = fi.protection(fi.grounds)
        assert prot[0] == pytest.approx(0.0 if assigned < 0 else
                                        fp.protection_max * min(1.0, 2 / fp.protection_ships))
        model.rng_fishing = np.random.default_rng(7)
        shares.append(float((fi.choose(ids) == g).mean()))
    # Same draws: the only change is the risk term, so the share can only rise; a stated
    # margin of 0.02 (the risk term moves utility by risk_aversion x 0.5).
    assert shares[1] > shares[0] + 0.02, shares


def test_fishers_forget_with_their_memory_time(model):
    """ODD §7.12: perceived risk decays with e-folding time ``vietnam.risk_memory_days``: after
    d days it is exp(-d / memory) of what it was (exact), so the chilling effect recovers."""
    fi, memory = model.fishers, model.p.vietnam.risk_memory_days
    rng = np.random.default_rng(5)
    fi.risk[:] = rng.random(fi.risk.shape)
    before = fi.risk.copy()
    fi.forget(1.0)
    np.testing.assert_allclose(fi.risk, before * np.exp(-1.0 / memory), rtol=1e-12)
    fi.forget(memory)
    np.testing.assert_allclose(fi.risk, before * np.exp(-1.0 / memory - 1.0), rtol=1e-12)
    assert (fi.risk < before).all() or not before.any()
