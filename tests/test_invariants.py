"""Engine invariants over random configs and seeds (hypothesis), checked at every step.

For small toy-sea runs drawn at random (fleets, ladder, ceilings, step length, start date,
crisis rule, injects, Japan's programme, seed):
* no vessel at sea on land, no cell off the grid, every vessel in port sits at its home,
  and every hull's home is a port (rigs and survey ships: the hot spot of their event);
* fleets are conserved: rows never disappear or change identity, every hull is in port, at
  sea, detained, not in service, or lost, and lost exactly when ``fleet.lost_cause`` records
  why; a lost hull stays lost;
* China's ROE ceiling stays within its bounds, incident rungs within 0..7;
* incidents only between opposing flags; no NaN in any table or in the summary;
* the daily table has one row per day until the end, or until the crisis day if
  ``run.stop_at_crisis``; its incidents by rung add up to the incident table.

``HYPOTHESIS_PROFILE=explore`` draws many more examples at random (the default profile is
small and derandomised, so CI is stable and fast).
"""

from __future__ import annotations

import datetime as dt
import math
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.engine import ladder
from sim.engine.fleet import ACTIVE, DETAINED, FLAGS, IN_PORT, LOST, NOT_IN_SERVICE, RIG, SURVEY
from sim.world.model import GreyZoneModel
from sim.engine.movement import PORT
from sim.params import to_params

settings.register_profile("ci", max_examples=14, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

STEP_HOURS = (1, 2, 3, 4, 6, 8, 12, 24)
INJECT_KINDS = ("rig", "survey", "swarm", "vn_drilling", "hotline", "delivery")


@st.composite
def configs(draw):
    """Overrides of a small, valid toy-sea config."""
    days = draw(st.integers(2, 16))
    lo = draw(st.integers(0, 7))
    hi = draw(st.integers(lo, 7))
    start = dt.date(2020, 1, 1) + dt.timedelta(days=draw(st.integers(0, 3650)))
    up = draw(st.floats(-2, 2))
    ov = [
        f"seed={draw(st.integers(0, 2**32 - 1))}",
        f"scenario={draw(st.sampled_from(['baseline', 'enhanced_cooperation', 'strategic_stabilization', 'combined']))}",
        f"japan.capacity={draw(st.floats(0, 1)):.6g}",
        f"run.days={days}",
        f"run.start={start.isoformat()}",
        f"run.step_hours={draw(st.sampled_from(STEP_HOURS))}",
        f"run.stop_at_crisis={draw(st.booleans())}",
        f"sea.resolution={draw(st.sampled_from([0.1, 0.2, 0.25]))}",
        f"china.coast_guard={draw(st.integers(0, 14))}",
        f"china.militia={draw(st.integers(0, 40))}",
        f"china.fishing={draw(st.integers(0, 30))}",
        f"vietnam.coast_guard={draw(st.integers(0, 8))}",
        f"vietnam.fisheries_surveillance={draw(st.integers(0, 5))}",
        f"vietnam.fishing={draw(st.integers(0, 150))}",
        f"vietnam.roe_ceiling={draw(st.integers(0, 3))}",
        f"vietnam.enforcement_ceiling={draw(st.integers(0, 6))}",
        f"china.roe_min={lo}", f"china.roe_max={hi}",
        f"china.roe_start={draw(st.integers(lo, hi))}",
        f"china.roe_up={up:.4g}", f"china.roe_down={up - draw(st.floats(0.01, 2)):.4g}",
        f"china.decision_days={draw(st.integers(1, 10))}",
        f"vietnam.decision_days={draw(st.integers(1, 10))}",
        f"encounter.engage_cg_fishing={draw(st.floats(0, 1)):.4g}",
        f"encounter.engage_militia={draw(st.floats(0, 1)):.4g}",
        f"encounter.engage_gov={draw(st.floats(0, 1)):.4g}",
        f"encounter.engage_enforcement={draw(st.floats(0, 1)):.4g}",
        f"encounter.miscalculation={draw(st.floats(0, 1)):.4g}",
        f"encounter.sink_prob={draw(st.floats(0, 1)):.4g}",
        f"encounter.detain_prob={draw(st.floats(0, 1)):.4g}",
        f"encounter.cooldown_hours={draw(st.integers(0, 48))}",
        f"weather.persistence={draw(st.floats(0, 1)):.4g}",
    ]
    if draw(st.booleans()):
        ov += ["japan.start_offset_days=0", f"japan.vessels={draw(st.integers(0, 6))}",
               f"japan.radars={draw(st.integers(0, 4))}", "japan.vessel_lag_days=1",
               "japan.radar_lag_days=1", "japan.vessel_interval_days=1",
               f"japan.training={draw(st.floats(0, 1)):.4g}"]
    if draw(st.booleans()):
        kind = draw(st.sampled_from(INJECT_KINDS))
        ov.append("+injects=[{kind:%s,day:%d,hotspot:%s,duration_days:%d,size:%d,escort:%d}]"
                  % (kind, draw(st.integers(0, days - 1)),
                     draw(st.sampled_from(["toy_reef", "toy_bank"])),
                     draw(st.integers(1, 20)), draw(st.integers(0, 30)),
                     draw(st.integers(0, 20))))
    return ov


def run_checked(overrides: list[str]):
    """Run step by step as ``simulate`` does, checking the invariants after every step."""
    p = to_params(sim.compose(["sea=toy", "run.progress=off", *overrides]))
    model = GreyZoneModel(p)
    f = model.fleet
    water = model.sea.water.ravel()
    n_cells = model.sea.n_cells
    ports = set(map(int, model.dst.cell[model.dst.of_kind(PORT)]))
    ident = None
    lost_before = np.zeros(0, bool)
    for _ in range(p.run.days * model.steps_per_day):
        model.advance()
        n = f.n
        cell, status, task = f.cell[:n], f.status[:n], f.task[:n]
        assert ((cell >= 0) & (cell < n_cells)).all(), "vessel off the grid"
        at_sea = f.at_sea
        assert water[cell[at_sea]].all(), f"vessel at sea on land on day {model.day}"
        in_port = (status == ACTIVE) & (task == IN_PORT)
        home_cell = model.dst.cell[f.home[:n]]
        assert (cell[in_port] == home_cell[in_port]).all(), "vessel in port away from home"
        hull = ~f.reserved[:n] & (f.kind[:n] != SURVEY) & (f.kind[:n] != RIG)
        assert set(map(int, np.unique(home_cell[hull]))) <= ports, "a hull's home is no port"
        assert np.isin(status, [ACTIVE, LOST, DETAINED, NOT_IN_SERVICE]).all()
        assert np.isin(task, [0, 1, 2, 3]).all()
        lost = status == LOST
        assert set(map(int, np.flatnonzero(lost))) == set(f.lost_cause), "loss without cause"
        assert all(isinstance(c, str) and c for c in f.lost_cause.values())
        assert lost[: lost_before.size][lost_before].all(), "a lost hull came back"
        lost_before = lost.copy()
        now = np.stack([f.flag[:n], f.kind[:n], f.klass[:n]])
        if ident is not None:
            assert n >= ident.shape[1], "hulls disappeared"
            assert (now[:, : ident.shape[1]] == ident).all(), "a hull changed identity"
        ident = now
        assert (p.china.roe_min <= model.china.ceiling).all()
        # above roe_max only by a decision for armed force, at a running stand-off
        over = model.china.ceiling > p.china.roe_max
        assert (model.china.ceiling[over] == 7).all()
        assert all(int(h) in model.china.navy for h in np.flatnonzero(over))
        assert model.standoffs.active[over].all()
        if model.crisis_day is not None and model.hour == 0 and p.run.stop_at_crisis:
            break
    return p, model, model.recorder.finish(0.0)


def _no_nan(df: pd.DataFrame, name: str) -> None:
    num = df.select_dtypes(include=[np.number, "boolean"])
    bad = [c for c in num.columns if num[c].isna().any()]
    assert not bad, f"NaN in {name}: {bad}"
    obj = df.select_dtypes(include=["object", "string"])
    bad = [c for c in obj.columns if obj[c].isna().any()]
    assert not bad, f"missing values in {name}: {bad}"


def _summary_numbers(summary, path="summary"):
    if isinstance(summary, dict):
        for k, v in summary.items():
            yield from _summary_numbers(v, f"{path}.{k}")
    elif isinstance(summary, (list, tuple)):
        for k, v in enumerate(summary):
            yield from _summary_numbers(v, f"{path}[{k}]")
    elif isinstance(summary, float):
        yield path, summary


def check_outputs(p, model, run) -> None:
    inc, daily = run.incidents, run.daily
    if len(inc):
        assert inc["rung"].between(0, 7).all()
        assert (inc["rung_name"] == inc["rung"].map(dict(enumerate(ladder.RUNGS)))).all()
        assert set(inc["initiator_flag"]) | set(inc["target_flag"]) <= set(FLAGS)
        assert (inc["initiator_flag"] != inc["target_flag"]).all(), "incident within a flag"
        assert (inc["day"] < len(daily)).all()
    for name in ("incidents", "daily", "hotspots", "decisions"):
        _no_nan(getattr(run, name), name)
    for path, v in _summary_numbers(run.summary):
        assert math.isfinite(v), f"{path}={v}"
    crisis = model.crisis_day
    days = crisis + 1 if (crisis is not None and p.run.stop_at_crisis) else p.run.days
    assert len(daily) == days, (len(daily), days, crisis)
    assert (daily["day"].to_numpy() == np.arange(days)).all()
    dates = pd.to_datetime(daily["date"])
    assert dates.iloc[0] == pd.Timestamp(p.run.start)
    assert (dates.diff().dropna() == pd.Timedelta(days=1)).all()
    by_rung = daily[[f"incidents_rung_{k}" for k in range(8)]].to_numpy().sum(0)
    assert (by_rung == np.bincount(inc["rung"], minlength=8)).all()
    assert run.summary["crises"] == int((inc["rung"] == 7).sum()) if len(inc) else True
    assert run.summary["days"] == days


@pytest.mark.slow
@settings(settings.get_profile(PROFILE))
@given(configs())
def test_invariants_hold_at_every_step(overrides):
    p, model, run = run_checked(overrides)
    check_outputs(p, model, run)


def test_invariants_on_a_crisis_prone_config():
    """A fixed config that escalates to a crisis quickly, with and without stopping."""
    hot = ["seed=1", "run.days=12", "china.roe_start=6", "china.roe_max=7", "china.roe_min=5",
           "encounter.engage_cg_fishing=1", "encounter.engage_gov=1",
           "encounter.engage_militia=1", "encounter.miscalculation=1", "encounter.damage_prob=0",
           "encounter.sink_prob=0", "encounter.cooldown_hours=0", "vietnam.roe_ceiling=3",
           "encounter.cuts=[-6,-5,-4,-3,-2,-1,0]"]
    for stop in ("true", "false"):
        p, model, run = run_checked([*hot, f"run.stop_at_crisis={stop}"])
        check_outputs(p, model, run)
    assert model.crisis_day is not None, "the crisis-prone config had no crisis"
