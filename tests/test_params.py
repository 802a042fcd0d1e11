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


# --------------------------------------------------------------------------- every parameter acts
#: A short toy run that reaches every branch reading a parameter: the moratorium starts on day 6
#: (1 May), a full programme (hulls, radars and soft items, a regime offered to China before
#: the hotline inject agrees one), and one inject of each kind.
_EVERY_BRANCH = ["sea=toy", "run.days=40", "run.start=2025-04-25", "run.progress=off",
                 "japan.capacity=1", "cooperation.hotline=0.8", "japan.cbm=1",
                 "injects=[{kind: rig, day: 1, hotspot: toy_reef, duration_days: 10, escort: 9},"
                 " {kind: survey, day: 2, hotspot: toy_bank, duration_days: 10},"
                 " {kind: vn_drilling, day: 3, hotspot: toy_bank},"
                 " {kind: swarm, day: 4, hotspot: toy_reef, size: 20},"
                 " {kind: hotline, day: 5, hotspot: toy_reef},"
                 " {kind: delivery, day: 6, hotspot: toy_reef, size: 2}]"]


def _config_classes(cls=params.Config, found=None):
    found = {cls} if found is None else found
    for f in dataclasses.fields(cls):
        t = typing.get_type_hints(cls)[f.name]
        if dataclasses.is_dataclass(t) and t not in found:
            found.add(t)
            _config_classes(t, found)
    return found


#: Fields a run need not read, with the reason.
_NOT_READ_BY_A_RUN = {
    "ScenarioConfig.description": "a label for people, not a model parameter",
    "RunConfig.stop_at_crisis": "read on the day of a crisis only (GreyZoneModel.ended)",
    "ChinaConfig.deliberate_navy": "read on a decision for armed force only (rare; "
                                   "tests/test_standoffs.py makes one)",
}


def test_every_declared_parameter_is_read_by_a_run():
    """Issue 14 item 8: a parameter in the schema is one the model uses. Every field of every
    config class (and of an inject) is read at least once while a run goes on: a declared
    parameter nothing reads (a constant moved into the schema but not wired, or a mechanism
    removed and its parameter left behind) fails here. Reads are traced on the config objects
    themselves, after composition, so only the model's own reads count."""
    import sim

    cfg = params.to_params(sim.compose(_EVERY_BRANCH))
    classes = _config_classes() | {params.InjectConfig}
    read: set[tuple[type, str]] = set()

    def traced(self, name, _get=object.__getattribute__):
        read.add((type(self), name))
        return _get(self, name)

    for c in classes:
        c.__getattribute__ = traced
    try:
        sim.run(cfg)
    finally:
        for c in classes:
            del c.__getattribute__
    unread = [f"{c.__name__}.{f.name}" for c in classes for f in dataclasses.fields(c)
              if (c, f.name) not in read and not dataclasses.is_dataclass(
                  typing.get_type_hints(c)[f.name])
              and f"{c.__name__}.{f.name}" not in _NOT_READ_BY_A_RUN]
    assert not unread, f"declared but never read by a run: {', '.join(sorted(unread))}"
