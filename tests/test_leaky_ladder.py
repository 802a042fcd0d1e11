"""The ceiling is intent, not a wall (issue 14, item 1): computed from the rules, not from a
run, every rung has positive probability in a Chinese-initiated encounter in every scenario,
at every capacity and at every ceiling China may adopt; the one documented exception is
Vietnam's first move against a government ship (Four No's)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.engine import ladder
from sim.engine.context import _initiator_rules
from sim.engine.encounters import _top_leak
from sim.engine.fleet import COAST_GUARD, FISHING, MILITIA
from sim.params import to_params
from sim.params.compose import CONFIG_DIR
from sim.params.mechanics import EncounterConfig

SCENARIOS = sorted(p.stem for p in (Path(CONFIG_DIR) / "scenario").glob("*.yaml"))
LEAKS = ("leak_initiative", "leak_militia", "collision_prob", "leak_weapons")


def lowest_latent(e, roe: int) -> float:
    """The lowest latent the formula allows at ceiling ``roe``: the force term at its floor
    (-2), observed, a full hotline, a fully trained crew, China's score at a very low -10."""
    return ladder.latent_one(e.a_roe, e.b_force, e.c_observed, e.d_cbm, e.e_training,
                             e.f_posture, roe, 1e-9, True, 1.0, 1.0, -10.0)


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("capacity", [0.0, 1.0])
def test_every_rung_is_possible_for_chinese_initiators_in_every_scenario(scenario, capacity):
    p = to_params(sim.compose([f"scenario={scenario}", f"japan.capacity={capacity}"]))
    e, c = p.encounter, p.china
    assert len(SCENARIOS) >= 3
    for roe in range(c.roe_min, c.roe_max + 1):
        for kind in (COAST_GUARD, MILITIA):
            for target in (FISHING, COAST_GUARD):
                ceiling, leak = _initiator_rules(True, kind, target, roe,
                                                 np.array([0, 0, 0, e.militia_ceiling, roe]),
                                                 np.array([e.leak_initiative, e.leak_militia]))
                assert leak > 0, (scenario, kind)
                dist = ladder.rung_distribution(lowest_latent(e, roe), e.cuts, ceiling, leak,
                                                _top_leak(leak, e.leak_weapons))
                assert dist.size == len(ladder.RUNGS)
                assert (dist > 0).all(), (scenario, capacity, roe, kind, target, dist)
    # Collisions at blocking make a ramming-level round possible whatever the ceilings.
    assert e.collision_prob > 0


def test_no_setting_can_switch_a_leak_off():
    """The schema's validity bounds keep each leak above zero, so neither a scenario nor a
    user override can make a rung impossible; each has a plausible range for the Morris
    screening."""
    fields = {f.name: f for f in dataclasses.fields(EncounterConfig)}
    for name in LEAKS:
        meta = fields[name].metadata
        assert meta["lo"] > 0 and meta["plausible"][0] > 0, name
        assert meta["source"] and meta["unit"]
        with pytest.raises(Exception, match=name):
            to_params(sim.compose([f"encounter.{name}=0"]))


def test_the_four_nos_are_the_one_hard_rule():
    """Vietnam's patrols do not open with force against a government ship: no leak past
    min(vietnam.roe_ceiling, encounter.vn_initiate_ceiling); against fishing boats (its
    enforcement) and in its answers the ladder leaks like China's."""
    e = to_params(sim.compose([])).encounter
    ceilings = np.array([2, 2, 3, e.militia_ceiling, 3])
    leaks = np.array([e.leak_initiative, e.leak_militia])
    assert _initiator_rules(False, COAST_GUARD, COAST_GUARD, 3, ceilings, leaks) == (2, 0.0)
    assert _initiator_rules(False, COAST_GUARD, FISHING, 3, ceilings, leaks)[1] > 0
    assert _top_leak(0.0, e.leak_weapons) == 0.0 and _top_leak(e.leak_initiative,
                                                               e.leak_weapons) > 0
    dist = ladder.rung_distribution(5.0, e.cuts, 2, 0.0, 0.0)
    assert dist[3:].sum() == 0.0


def test_ceilings_are_set_per_hot_spot():
    """China's ceilings step with each hot spot's own score: a hot spot scoring above roe_up
    rises, one below roe_down falls, one between stays (hysteresis)."""
    from sim.world.model import GreyZoneModel

    m = GreyZoneModel(to_params(sim.compose(["sea=toy", "run.days=3", "run.progress=off"])))
    c = m.china
    assert c.ceiling.size == c.hotspots.size >= 2
    c.ceiling[:] = c.p.roe_start
    c.score = np.array([c.p.roe_up + 1.0, c.p.roe_down - 1.0] + [0.0] * (c.ceiling.size - 2))
    c._set_ceiling(np.zeros(c.ceiling.size))
    assert c.ceiling[0] == c.p.roe_start + 1 and c.ceiling[1] == c.p.roe_start - 1
    assert c.open_ceiling == c.ceiling.min()
