"""The schema as the one home of parameter ranges and inject kinds."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from sim import params


def _leaves(cls=params.Config, prefix=""):
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if dataclasses.is_dataclass(hints[f.name]):
            yield from _leaves(hints[f.name], f"{prefix}{f.name}.")
        else:
            yield prefix + f.name, f


def test_plausible_ranges_lie_inside_the_validity_bounds_around_the_defaults():
    ranged = [(key, f) for key, f in _leaves() if f.metadata.get("plausible")]
    assert len(ranged) >= 26
    for key, f in ranged:
        m = f.metadata
        lo, hi = params.plausible_range(key)
        wide = params.discovery_range(key)
        assert lo < hi and wide[0] <= lo and hi <= wide[1], key
        assert (m["lo"] is None or m["lo"] <= wide[0]) and (m["hi"] is None or wide[1] <= m["hi"])
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()[3]
        assert lo <= default <= hi, key  # (the cuts: the 3|4 cut)


def test_plausible_range_is_typed_as_the_parameter():
    assert params.plausible_range("china.resolve_weight") == (0.5, 1.5)
    assert params.discovery_range("china.resolve_weight") == (0.5, 2.0)
    assert params.discovery_range("china.backlash_weight") == (0.4, 1.2)  # as plausible
    assert all(type(x) is int for x in params.plausible_range("china.roe_max"))
    assert all(type(x) is float for x in params.plausible_range("japan.capacity"))


@pytest.mark.parametrize("key, fragment", [("china.resolve_wait", "not a parameter"),
                                           ("china", "not a parameter"),
                                           ("china.resolve_weight.x", "not a parameter"),
                                           ("run.days", "no plausible range")])
def test_plausible_range_of_a_key_without_one_is_one_line_naming_it(key, fragment):
    with pytest.raises(params.ConfigError) as err:
        params.plausible_range(key)
    assert key in str(err.value) and fragment in str(err.value) and "\n" not in str(err.value)
    assert "china.resolve_weight" in str(err.value)  # lists the keys that have one


def test_the_studies_explore_the_schema_ranges():
    from sim.studies import calibrate, sensitivity

    for key, lo, hi, _ in sensitivity.UNCERTAIN:
        assert (lo, hi) == params.plausible_range(key.replace("cut_severe", "cuts"))
    for key, lo, hi, _ in sensitivity.DISCOVERY:
        assert (lo, hi) == params.discovery_range(key.replace("cut_severe", "cuts"))
    for key, lo, hi in calibrate.PRIORS:
        assert (lo, hi) == params.plausible_range(key.replace("cut_severe", "cuts"))


def test_the_parameter_table_shows_plausible_ranges():
    rows = {r["key"]: r for r in params.parameter_table()}
    assert rows["china.resolve_weight"]["plausible"] == "[0.5, 1.5]; discovery [0.5, 2.0]"
    assert rows["run.days"]["plausible"] == ""


def test_hotspot_injects_are_inject_kinds():
    kinds = dataclasses.fields(params.InjectConfig)[0].metadata["choices"]
    assert set(params.HOTSPOT_INJECTS) < set(kinds)
    assert {"hotline", "delivery"} == set(kinds) - set(params.HOTSPOT_INJECTS)


def test_inject_file_gives_what_the_inject_group_adds():
    import sim
    from sim.params.compose import CONFIG_DIR, inject_file

    names = sorted(p.stem for p in (CONFIG_DIR / "inject").glob("*.yaml"))
    assert len(names) >= 7
    for name in names:
        assert inject_file(name) == params.to_params(sim.compose([f"+inject={name}"])).injects
    assert inject_file("none") == ()
