"""Configs: composition, scenario files, typed validation and one-line errors."""

from __future__ import annotations

import pytest
from omegaconf import OmegaConf

import sim
from sim.params import Config, ConfigError, parameter_table, to_params

from conftest import run_cli


def test_compose_defaults_are_the_real_sea_baseline():
    cfg = sim.compose()
    assert cfg.sea.name == "scs" and cfg.scenario.name == "baseline"
    assert cfg.run.days == 365 and cfg.run.step_hours == 1
    assert isinstance(to_params(cfg), Config)


@pytest.mark.parametrize("name", ["baseline", "enhanced_cooperation", "strategic_stabilization",
                                  "combined"])
def test_every_scenario_loads_and_names_itself(name):
    cfg = sim.compose([f"scenario={name}"])
    assert cfg.scenario.name == name
    mix = [cfg.japan[k] for k in ("mix_vessels", "mix_radar", "mix_training",
                                  "mix_info_sharing", "mix_cbm")]
    assert sum(mix) == pytest.approx(1.0)


def test_pathways_differ_in_mechanism_not_only_scale():
    ec = sim.compose(["scenario=enhanced_cooperation"])
    ss = sim.compose(["scenario=strategic_stabilization"])
    # Enhanced Cooperation: hardware, coordinated patrols, visible to China.
    assert ec.japan.mix_vessels > ss.japan.mix_vessels
    assert ec.japan.mix_radar > ss.japan.mix_radar
    assert ec.cooperation.coordinated_patrols > 0 == ss.cooperation.coordinated_patrols
    assert ec.japan.visibility > ss.japan.visibility
    # Strategic Stabilization: hotline, transparency, norms, slower response.
    assert ss.cooperation.hotline > 0 == ec.cooperation.hotline
    assert ss.cooperation.norm_cost > ec.cooperation.norm_cost
    assert ss.cooperation.transparency > ec.cooperation.transparency
    assert ss.cooperation.response_slowdown > ec.cooperation.response_slowdown


def test_combined_joins_both_bundles_under_one_budget():
    ec, ss, c = (sim.compose([f"scenario={s}"]) for s in ("enhanced_cooperation",
                                                          "strategic_stabilization", "combined"))
    mixes = ("mix_vessels", "mix_radar", "mix_training", "mix_info_sharing", "mix_cbm")
    for k in mixes:  # one budget: the mean of the two pathways' shares
        assert c.japan[k] == pytest.approx((ec.japan[k] + ss.japan[k]) / 2), k
    assert c.japan.budget_bn_yen == ec.japan.budget_bn_yen == ss.japan.budget_bn_yen
    assert ss.japan.visibility < c.japan.visibility < ec.japan.visibility
    # Both bundles' levers, each at most its own pathway's level and above zero.
    for k in ("coordinated_patrols", "hotline", "transparency", "norm_cost",
              "response_slowdown"):
        lo, hi = sorted((ec.cooperation[k], ss.cooperation[k]))
        assert 0 < c.cooperation[k] and lo <= c.cooperation[k] <= hi, k


def test_user_overrides_beat_scenario_files():
    cfg = sim.compose(["scenario=enhanced_cooperation", "japan.capacity=0.75",
                       "japan.mix_vessels=0.45"])
    assert cfg.japan.capacity == 0.75


@pytest.mark.parametrize("override, fragment", [
    (["japan.capacity=1.5"], "japan.capacity"),
    (["japan.capcity=0.5"], "japan.capcity"),
    (["scenario=nope"], "available scenario options"),
    (["sea=atlantis"], "available sea options"),
    (["run.days=abc"], "run.days"),
    (["run.start=2025-13-40"], "run.start"),
    (["run.step_hours=5"], "run.step_hours"),
    (["sea.resolution=1.0"], "sea.resolution"),
    (["vietnam.roe_ceiling=5"], "vietnam.roe_ceiling"),
    (["china.roe_down=2", "china.roe_up=1"], "hysteresis"),
    (["japan.mix_vessels=0.9"], "sum to"),
    (["encounter.cuts=[1,0,2,3,4,5,6]"], "encounter.cuts"),
])
def test_bad_config_raises_one_line_naming_the_key(override, fragment):
    with pytest.raises(ConfigError) as err:
        sim.compose(override)
    msg = str(err.value)
    assert fragment in msg and "\n" not in msg


def test_cli_bad_input_is_one_line_nonzero_and_launches_nothing(tmp_path):
    out = tmp_path / "run"
    r = run_cli("sea=toy", "japan.capacity=-1", f"hydra.run.dir={out}")
    assert r.returncode != 0
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "japan.capacity" in lines[0] and "Traceback" not in r.stderr
    assert not out.exists()


def test_cli_bad_value_inside_a_sweep_is_caught_before_launch(tmp_path):
    r = run_cli("-m", "sea=toy", "japan.capacity=0,0.5,2", f"hydra.sweep.dir={tmp_path / 's'}")
    assert r.returncode != 0 and "japan.capacity=2" in r.stderr
    assert not (tmp_path / "s").exists()


def test_cfg_job_prints_the_resolved_config():
    r = run_cli("--cfg", "job", "sea=toy", "scenario=strategic_stabilization")
    assert r.returncode == 0, r.stderr
    cfg = OmegaConf.create(r.stdout)
    assert cfg.scenario.name == "strategic_stabilization" and cfg.sea.name == "toy"


def test_every_parameter_is_documented():
    rows = parameter_table()
    assert len(rows) > 60
    for r in rows:
        assert r["meaning"] and r["unit"] and r["source"], r["key"]


def test_map_command_draws_the_sea(tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "sim.map", "sea=toy", f"hydra.run.dir={tmp_path}"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    png = tmp_path / "sea_map.png"
    assert png.is_file() and png.stat().st_size > 20_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_inject_files_combine_into_one_list_in_a_fixed_order():
    both = to_params(sim.compose(["+inject=[hysy981,hotline]"])).injects
    assert [e.kind for e in both] == ["hotline", "rig"]  # by name, however they were given
    assert to_params(sim.compose(["+inject=[hotline,hysy981]"])).injects == both
    alone = to_params(sim.compose(["+inject=hysy981"])).injects
    assert alone == (both[1],) and alone[0].day == 121 and alone[0].escort == 60
    mine = to_params(sim.compose(["+inject=hysy981", "+injects.mine={kind: swarm, day: 5, "
                                  "hotspot: whitsun_reef}"])).injects
    assert [e.kind for e in mine] == ["rig", "swarm"]
    listed = to_params(sim.compose(["sea=toy", "injects=[{kind: rig, day: 2, hotspot: toy_reef},"
                                    "{kind: hotline, day: 1}]"])).injects
    assert [e.kind for e in listed] == ["rig", "hotline"]  # a list keeps its order
    assert to_params(sim.compose([])).injects == ()


def test_help_introduces_the_simulator_and_its_commands():
    r = run_cli("--help")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("greyzone-sim: an agent-based simulation")
    for command in ("+experiment=compare_pathways", "sim.report", "sim.app", "sim.params"):
        assert command in r.stdout
    from sim.params import scenarios

    assert f"scenario: {', '.join(sorted(scenarios.names()))}" in r.stdout
