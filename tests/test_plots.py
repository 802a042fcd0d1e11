"""The figure kit, the palette and the scenario registry that the report, the map and the app
share."""

from __future__ import annotations

import importlib

import matplotlib
import pytest

PLOT_MODULES = ["palette", "kit", "sweep", "stats", "rates", "maps", "sea_map", "distributions",
                "compare", "mechanisms", "factorial", "validation", "sensitivity"]


def test_the_kit_leaves_matplotlib_settings_alone(tmp_path):
    before = dict(matplotlib.rcParams)
    backend = matplotlib.get_backend()
    for name in PLOT_MODULES:
        importlib.import_module(f"sim.plots.{name}")
    from sim.plots import kit

    @kit.styled
    def draw():
        assert not matplotlib.rcParams["axes.spines.top"]  # the report's style, while drawing
        fig, ax = kit.subplots(figsize=(3, 2))
        ax.plot([0, 1], [0, 1])
        return kit.save(fig, tmp_path, "line")

    png, svg = draw()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and svg.stat().st_size > 0
    assert dict(matplotlib.rcParams) == before
    assert matplotlib.get_backend() == backend


def test_every_state_the_map_draws_has_a_colour_of_its_own():
    from sim.plots import palette
    from sim.sea.grid import STATES

    states = [*STATES, "JPN"]
    assert set(states) <= set(palette.FLAGS)
    assert len({palette.FLAGS[s].lower() for s in states}) == len(states)
    assert palette.flag(None) == palette.NO_FLAG
    # Vietnam's government ships in the app are Vietnam's colour, as on the map and report.
    assert palette.VESSELS[("VNM", "coast_guard")] == palette.flag("VNM")


def test_rung_bands_cover_the_ladder_once():
    from sim.engine import ladder
    from sim.plots import palette

    rungs = [r for lo, hi, _ in palette.RUNG_BANDS for r in range(lo, hi + 1)]
    assert rungs == list(range(len(ladder.RUNGS)))
    assert palette.band_label(4, 5) == "4-5 water cannon, ramming"


def test_scenarios_are_the_files_of_configs_scenario_in_the_canonical_order(tmp_path,
                                                                            monkeypatch):
    from sim.params import scenarios

    stems = {p.stem for p in scenarios.SCENARIO_DIR.glob("*.yaml")}
    assert set(scenarios.names()) == stems
    assert scenarios.names()[:4] == ["baseline", "enhanced_cooperation",
                                     "strategic_stabilization", "combined"]
    for name in ("baseline", "high_tension", "a_new_one"):  # a new YAML is a new scenario
        (tmp_path / f"{name}.yaml").write_text("scenario:\n  name: x\n")
    monkeypatch.setattr(scenarios, "SCENARIO_DIR", tmp_path)
    assert scenarios.names() == ["baseline", "a_new_one", "high_tension"]
    assert scenarios.label("high_tension") == "High tension"
    assert scenarios.label("enhanced_cooperation") == "Enhanced Cooperation"
    assert scenarios.label("combined") == "Combined"


def test_comparisons_are_each_pathway_against_the_baseline_then_against_each_other():
    from sim.params.scenarios import comparisons

    assert comparisons(["combined", "baseline", "strategic_stabilization",
                        "enhanced_cooperation"]) == [
        ("enhanced_cooperation", "baseline"), ("strategic_stabilization", "baseline"),
        ("combined", "baseline"), ("enhanced_cooperation", "strategic_stabilization"),
        ("enhanced_cooperation", "combined"), ("strategic_stabilization", "combined")]
    assert comparisons(["strategic_stabilization", "enhanced_cooperation"]) == [
        ("enhanced_cooperation", "strategic_stabilization")]
    assert comparisons(["baseline"]) == []


def test_a_scenario_without_colours_gets_the_next_free_one():
    from sim.plots import palette
    from sim.plots.sweep import style

    order = ["baseline", "a_new_one", "high_tension"]
    assert style("baseline", order)["color"] == palette.SCENARIOS["baseline"][0]
    assert style("high_tension", order)["color"] == palette.OTHER_SCENARIOS[1]
    assert style("high_tension", order)["label"] == "High tension"


@pytest.mark.timeout(120)
def test_sea_map_of_the_toy_sea(tmp_path):
    import sim
    from sim.plots.sea_map import draw_sea_map

    out = draw_sea_map(sim.build_sea(sim.compose(["sea=toy"])), tmp_path / "sea_map.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.with_suffix(".svg").stat().st_size > 0
