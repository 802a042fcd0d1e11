"""Bad input through the real command lines (CONTRACT.md "Bad input").

Every bad config, single run and sweep, must give exactly one non-empty line on stderr that
names the key (and the value and what is allowed), a non-zero exit, no traceback, and no output
folder with files. The same for ``python -m sim.gather``, ``sim.report`` and ``sim.map`` with a
missing, empty, non-sweep or corrupt folder. The corpus runs in a few parallel subprocesses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
import yaml

import sim
from sim.params.preflight import preflight

from conftest import ROOT

BASE = ["sea=toy", "run.days=2", "run.progress=off"]

#: A folder of user config groups with broken files (written by the ``user_configs`` fixture).
USER_FILES = {
    "scenario/broken.yaml": "# @package _global_\nscenario:\n  name: broken\njapan:\n"
                            "  mix_vessels: [0.5\n",                       # malformed YAML
    "scenario/tabbed.yaml": "# @package _global_\nscenario:\n  name: tabbed\njapan:\n"
                            "\tcapacity: 0.5\n",                           # a tab: bad YAML
    "scenario/toobig.yaml": "# @package _global_\nscenario:\n  name: toobig\njapan:\n"
                            "  capacity: 3\n",                             # out of range
    "scenario/wordy.yaml": "# @package _global_\nscenario:\n  name: wordy\njapan:\n"
                           "  capacity: lots\n",                           # wrong type
    "scenario/typo.yaml": "# @package _global_\nscenario:\n  name: typo\njapan:\n"
                          "  capcity: 0.5\n",                              # unknown key
    "scenario/listy.yaml": "- a\n- b\n",                                   # not a mapping
    "experiment/badsweep.yaml": "# @package _global_\nhydra:\n  mode: MULTIRUN\n  sweeper:\n"
                                "    params:\n      japan.capacity: 0,0.5,7\n"
                                "      seed: range(0,2)\n",                # a bad swept value
}

#: (id, Hydra flags, overrides, a fragment the one error line must contain)
#: ``{cd}`` in flags is replaced by the user config folder.
CASES = [
    ("capacity_high", [], ["japan.capacity=1.5"], "japan.capacity"),
    ("capacity_text", [], ["japan.capacity=abc"], "japan.capacity"),
    ("unknown_key", [], ["japan.capcity=0.5"], "japan.capcity"),
    ("unknown_root_key", [], ["+foo=1"], "foo"),
    ("unknown_scenario", [], ["scenario=nope"], "scenario"),
    ("unknown_sea", [], ["sea=atlantis"], "sea"),
    ("unknown_inject", [], ["+inject=nope"], "inject"),
    ("unknown_experiment", [], ["+experiment=nope"], "experiment"),
    ("days_zero", [], ["run.days=0"], "run.days"),
    ("date_impossible", [], ["run.start=2025-13-40"], "run.start"),
    ("date_past_timestamps", [], ["run.start=9999-12-30"], "run.start"),
    ("step_hours", [], ["run.step_hours=5"], "run.step_hours"),
    ("bool_text", [], ["run.stop_at_crisis=maybe"], "run.stop_at_crisis"),
    ("resolution", [], ["sea.resolution=1.0"], "sea.resolution"),
    ("four_nos", [], ["vietnam.roe_ceiling=5"], "vietnam.roe_ceiling"),
    ("hysteresis", [], ["china.roe_down=2", "china.roe_up=1"], "china.roe_down"),
    ("budget_shares", [], ["japan.mix_vessels=0.9"], "japan.mix_"),
    ("cuts_order", [], ["encounter.cuts=[1,0,2,3,4,5,6]"], "encounter.cuts"),
    ("inject_kind", [], ["injects=[{kind:nuke}]"], "injects[0].kind"),
    ("inject_hotspot", [], ["+injects=[{kind:rig,day:0,hotspot:nowhere}]"],
     "injects[0].hotspot"),
    ("inject_after_end", [], ["sea=scs", "+inject=hysy981", "run.days=30"],
     "injects.hysy981.day"),
    ("scenario_name_path", [], ["scenario.name=a/b"], "scenario.name"),
    ("no_value", [], ["japan.capacity"], "japan.capacity"),
    ("launcher_unknown", [], ["hydra/launcher=nope"], "hydra/launcher"),
    ("bad_flag", ["--bogus"], [], "--bogus"),
    ("config_dir_missing", ["--config-dir", "/nonexistent/configs"], [], "--config-dir"),
    ("user_yaml_malformed", ["--config-dir", "{cd}"], ["scenario=broken"], "broken.yaml"),
    ("user_value_range", ["--config-dir", "{cd}"], ["scenario=toobig"], "japan.capacity"),
    ("user_key_typo", ["--config-dir", "{cd}"], ["scenario=typo"], "japan.capcity"),
    ("user_experiment_sweep", ["--config-dir", "{cd}"], ["+experiment=badsweep"],
     "japan.capacity=7"),
]

#: More bad input, checked in-process with the same preflight (and compose) as the CLI.
MORE_CASES = [
    ("capacity_nan", [], ["japan.capacity=nan"], "japan.capacity"),
    ("group_given_number", [], ["japan=3"], "japan"),
    ("days_fraction", [], ["run.days=1.5"], "run.days"),
    ("seed_negative", [], ["seed=-1"], "seed"),
    ("fleet_negative", [], ["china.coast_guard=-1"], "china.coast_guard"),
    ("cuts_nan", [], ["encounter.cuts=[0,1,2,3,4,5,nan]"], "encounter.cuts"),
    ("user_not_mapping", ["--config-dir", "{cd}"], ["scenario=listy"], "listy"),
    ("capacity_negative", [], ["japan.capacity=-0.1"], "japan.capacity"),
    ("capacity_list", [], ["japan.capacity=[1]"], "japan.capacity"),
    ("unknown_nested_key", [], ["+japan.bar=2"], "japan.bar"),
    ("days_text", [], ["run.days=abc"], "run.days"),
    ("days_too_many", [], ["run.days=36501"], "run.days"),
    ("date_not_iso", [], ["run.start=20250101"], "run.start"),
    ("progress_choice", [], ["run.progress=sometimes"], "run.progress"),
    ("seed_text", [], ["seed=abc"], "seed"),
    ("seed_fraction", [], ["seed=1.5"], "seed"),
    ("seed_huge", [], ["seed=99999999999"], "seed"),
    ("spratly_choice", [], ["sea.spratly_treatment=foo"], "sea.spratly_treatment"),
    ("fleet_float", [], ["china.coast_guard=1e9"], "china.coast_guard"),
    ("optional_negative", [], ["japan.vessels=-1"], "japan.vessels"),
    ("roe_bounds", [], ["china.roe_min=5"], "china.roe_min"),
    ("cuts_length", [], ["encounter.cuts=[1,2,3]"], "encounter.cuts"),
    ("weather_length", [], ["weather.rough_north=[0.1]"], "weather.rough_north"),
    ("inject_key", [], ["injects=[{kind:rig,foo:1}]"], "foo"),
    ("inject_named_key", [], ["+inject=hysy981", "injects.hysy981.foo=1"],
     "injects.hysy981.foo"),
    ("inject_list_onto_named", [], ["+inject=hysy981", "injects=[{kind:rig}]"], "injects="),
    ("no_key", [], ["=3"], "=3"),
    ("delete_unknown", [], ["~nokey"], "nokey"),
    ("launcher_type", [], ["hydra.launcher.n_jobs=abc"], "hydra.launcher.n_jobs"),
    ("user_yaml_tab", ["--config-dir", "{cd}"], ["scenario=tabbed"], "tabbed.yaml"),
    ("user_value_type", ["--config-dir", "{cd}"], ["scenario=wordy"], "japan.capacity"),
]

#: Sweeps that are valid as single values but not without -m.
NOT_A_SWEEP = [
    ("range_without_m", [], ["seed=range(0,3)"], "seed"),
    ("list_without_m", [], ["japan.capacity=0,1"], "japan.capacity"),
]

#: Bad values inside a sweep's list: the whole sweep is refused before any run starts.
SWEEP_ONLY = [
    ("sweep_capacity", [], ["japan.capacity=0,0.5,2"], "japan.capacity=2"),
    ("sweep_seed", [], ["seed=0,-1"], "seed=-1"),
    ("sweep_scenario", [], ["scenario=baseline,nope"], "scenario"),
    ("sweep_dict", [], ["japan={vessels:2},{vessels:900}"], "japan.vessels=900"),
    ("sweep_range_text", [], ["seed=range(0,x)"], "seed"),
    ("sweep_experiment_override", [], ["+experiment=compare_pathways", "seed=range(0,2)",
                                       "japan.capacity=0,3"], "japan.capacity=3"),
    ("sweep_days_vs_inject", [], ["sea=scs", "+inject=hysy981", "run.days=300,100"],
     "injects.hysy981.day"),
]


@pytest.fixture(scope="module")
def user_configs(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("user_configs")
    for rel, text in USER_FILES.items():
        (d / rel).parent.mkdir(parents=True, exist_ok=True)
        (d / rel).write_text(text)
    return d


def _argv(flags, overrides, cd: Path, out: Path, multirun: bool) -> list[str]:
    flags = [str(cd) if f == "{cd}" else f for f in flags]
    return (["-m"] if multirun else []) + flags + BASE + (["seed=0,1"] if multirun else []) \
        + list(overrides) + [f"hydra.run.dir={out / 'run'}", f"hydra.sweep.dir={out / 'sweep'}"]


def _run(argv, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *argv], cwd=ROOT, capture_output=True,
                          text=True, timeout=180, env=env)


@pytest.fixture(scope="module")
def corpus(user_configs, tmp_path_factory):
    """Every case as a single run and as a sweep, run 3 at a time: {(id, mode): (result, out)}."""
    root = tmp_path_factory.mktemp("bad")
    jobs = []
    for cases, modes in ((CASES, ("run", "sweep")), (NOT_A_SWEEP, ("run",)),
                         (SWEEP_ONLY, ("sweep",))):
        for cid, flags, overrides, _ in cases:
            for mode in modes:
                out = root / f"{cid}-{mode}"
                jobs.append(((cid, mode), _argv(flags, overrides, user_configs, out,
                                                mode == "sweep"), out))
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda j: _run(j[1]), jobs))
    return {key: (r, out) for (key, _, out), r in zip(jobs, results)}


def _files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


def _assert_one_line(r: subprocess.CompletedProcess, fragment: str) -> str:
    assert r.returncode != 0, (r.stdout[-2000:], r.stderr[-2000:])
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, r.stderr[-3000:]
    assert "Traceback" not in r.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert fragment in lines[0], lines[0]
    return lines[0]


ALL = [(c, "run") for c in CASES + NOT_A_SWEEP] + [(c, "sweep") for c in CASES + SWEEP_ONLY]


def test_corpus_is_large_enough():
    assert len(CASES) >= 30  # each as a single run and as a sweep, plus the sweep-only ones
    assert preflight(BASE) is None and preflight(["-m", *BASE, "seed=0,1"]) is None


@pytest.mark.slow  # ~80 subprocesses (~0.6 s of CPU each), 3 at a time
@pytest.mark.parametrize("case, mode", ALL, ids=[f"{c[0]}-{m}" for c, m in ALL])
def test_bad_config_is_one_line_nonzero_and_writes_nothing(corpus, case, mode):
    cid, _, _, fragment = case
    r, out = corpus[(cid, mode)]
    _assert_one_line(r, fragment)
    assert _files_under(out) == [], _files_under(out)


@pytest.mark.slow
def test_error_lines_name_what_is_allowed(corpus):
    line = lambda cid, mode="run": corpus[(cid, mode)][0].stderr.strip()  # noqa: E731
    assert "allowed 0 to 1" in line("capacity_high")
    assert "baseline" in line("unknown_scenario") and "enhanced_cooperation" in \
        line("unknown_scenario")
    assert "scs" in line("unknown_sea") and "toy" in line("unknown_sea")
    assert "YYYY-MM-DD" in line("date_impossible")
    assert "1, 2, 3, 4, 6, 8, 12, 24" in line("step_hours")
    assert "broken.yaml, line " in line("user_yaml_malformed")
    assert "capacity" in line("unknown_key")  # lists the keys that exist
    assert "toy_reef" in line("inject_hotspot")
    assert "-m" in line("range_without_m")


@pytest.mark.parametrize("case", MORE_CASES, ids=[c[0] for c in MORE_CASES])
def test_preflight_in_process_gives_one_line(user_configs, case, tmp_path):
    cid, flags, overrides, fragment = case
    for multirun in (False, True):
        argv = _argv(flags, overrides, user_configs, tmp_path, multirun)
        problem = preflight(argv)
        assert problem and "\n" not in problem and fragment in problem, (cid, multirun, problem)


#: Keys without a declared range or choices, checked by the cross-field rules instead, with
#: the corpus case that proves it.
CROSS_CHECKED = {"scenario.name": "scenario_name_path", "scenario.description": None,
                 "run.start": "date_impossible", "run.stop_at_crisis": "bool_text",
                 "encounter.cuts": "cuts_order", "weather.rough_north": "weather_length",
                 "weather.rough_south": None, "weather.severe_north": None,
                 "weather.severe_south": None, "injects[].hotspot": "inject_hotspot"}


def test_every_parameter_has_a_type_and_a_checked_range():
    import dataclasses
    import typing

    from sim import params

    unchecked = []

    def walk(cls, prefix=""):
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            t = hints[f.name]
            if dataclasses.is_dataclass(t):
                walk(t, f"{prefix}{f.name}.")
            elif f.name == "injects":  # typed Any for OmegaConf; every entry an InjectConfig
                walk(params.InjectConfig, f"{prefix}{f.name}[].")
            else:
                assert t is not typing.Any, f.name
                m = f.metadata
                if m.get("choices") is None and (m.get("lo") is None or m.get("hi") is None):
                    unchecked.append(prefix + f.name)

    walk(params.Config)
    assert set(unchecked) <= set(CROSS_CHECKED), set(unchecked) - set(CROSS_CHECKED)
    ids = {c[0] for c in CASES + MORE_CASES}
    assert all(case in ids for case in CROSS_CHECKED.values() if case)
    with pytest.raises(params.ConfigError, match="scenario.description"):
        sim.compose(["scenario.description=" + "x" * 600])
    with pytest.raises(params.ConfigError, match="weather.severe_south"):
        sim.compose(["weather.severe_south=[0,0,0,0,0,0,0,0,0,0,0,1.5]"])


def test_full_error_shows_the_traceback(tmp_path):
    env = dict(os.environ, HYDRA_FULL_ERROR="1")
    r = _run([*BASE, "japan.capacity=2", f"hydra.run.dir={tmp_path / 'run'}"], env=env)
    assert r.returncode != 0 and "Traceback" in r.stderr and "japan.capacity" in r.stderr


def test_compose_raises_the_same_one_line_errors(user_configs):
    from sim.params import ConfigError

    for cid, flags, overrides, fragment in CASES:
        if flags or any(o.startswith("hydra") for o in overrides):
            continue  # command-line only
        with pytest.raises(ConfigError) as err:
            sim.compose(BASE + overrides)
        assert fragment.lstrip("=") in str(err.value) and "\n" not in str(err.value), cid


# --------------------------------------------------------------------------- gather/report/map
def _module(mod: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", mod, *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def _fake_run(folder: Path, overrides: list[str], days: int = 4) -> None:
    """A finished run folder as Hydra and ``python -m sim`` leave it (run in-process)."""
    cfg = sim.compose(["sea=toy", f"run.days={days}", "run.progress=off", *overrides])
    sim.run(cfg).save(folder)
    (folder / ".hydra").mkdir(parents=True, exist_ok=True)
    (folder / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(list(overrides)))
    from omegaconf import OmegaConf

    (folder / ".hydra" / "config.yaml").write_text(OmegaConf.to_yaml(cfg))


@pytest.fixture(scope="module")
def small_sweep(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("small") / "sweep"
    for scen in ("baseline", "strategic_stabilization"):
        for seed in (0, 1):
            ov = [f"scenario={scen}", "japan.capacity=0.5", f"seed={seed}"]
            _fake_run(d / ",".join(sorted(ov)), ov)
    r = _module("sim.gather", d)
    assert r.returncode == 0, r.stderr
    return d


def _copy(src: Path, dst: Path) -> Path:
    import shutil

    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("report"))
    return dst


def test_gather_bad_folders(small_sweep, tmp_path):
    _assert_one_line(_module("sim.gather", tmp_path / "missing"), "does not exist")
    empty = tmp_path / "empty"
    empty.mkdir()
    _assert_one_line(_module("sim.gather", empty), "no run folders")
    assert not (empty / "results.parquet").exists()
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    _assert_one_line(_module("sim.gather", a_file), "not a folder")
    single = next(p for p in small_sweep.iterdir() if p.is_dir())
    _assert_one_line(_module("sim.gather", single), "single run")
    other = tmp_path / "other"
    (other / "stuff").mkdir(parents=True)
    (other / "stuff" / "notes.txt").write_text("not a sweep")
    _assert_one_line(_module("sim.gather", other), "no run folders")
    _assert_one_line(_module("sim.gather"), "usage")


def test_gather_replaces_a_corrupt_results_table_from_the_runs(small_sweep, tmp_path):
    d = _copy(small_sweep, tmp_path / "c")
    good = pd.read_parquet(small_sweep / "results.parquet")
    (d / "results.parquet").write_bytes(b"PAR1 garbage")
    r = _module("sim.gather", d)
    assert r.returncode == 0, r.stderr
    back = pd.read_parquet(d / "results.parquet")
    pd.testing.assert_frame_equal(back.drop(columns="wall_seconds"),
                                  good.drop(columns="wall_seconds"))
    for run in d.iterdir():  # nothing finished any more: the good table stays
        if run.is_dir():
            (run / "summary.json").unlink()
    before = (d / "results.parquet").read_bytes()
    _assert_one_line(_module("sim.gather", d), "none of the 4 run folders")
    assert (d / "results.parquet").read_bytes() == before


def test_gather_never_silently_drops_runs_of_a_good_table(small_sweep, tmp_path):
    d = _copy(small_sweep, tmp_path / "drop")
    runs = sorted(p for p in d.iterdir() if p.is_dir())
    (runs[0] / "daily.parquet").write_bytes(b"truncated")
    r = _module("sim.gather", d)
    assert r.returncode == 0, r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("warning: ") and runs[0].name in lines[0]
    assert "results.previous.parquet" in lines[0]
    assert len(pd.read_parquet(d / "results.parquet")) == 3
    assert len(pd.read_parquet(d / "results.previous.parquet")) == 4  # nothing lost


def _bad_table(d: Path, change) -> Path:
    df = pd.read_parquet(d / "results.parquet")
    df = change(df)
    df.to_parquet(d / "results.parquet", index=False)
    return d


def test_report_cli_refuses_a_corrupt_results_table(small_sweep, tmp_path):
    d = _copy(small_sweep, tmp_path / "truncated")
    data = (d / "results.parquet").read_bytes()
    (d / "results.parquet").write_bytes(data[: len(data) // 2])
    line = _assert_one_line(_module("sim.report", d), "cannot read")
    assert "sim.gather" in line and not (d / "report" / "README.md").exists()
    d = _bad_table(_copy(small_sweep, tmp_path / "nan"),
                   lambda df: df.assign(incidents_per_month=float("nan")))
    line = _assert_one_line(_module("sim.report", d), "incidents_per_month=nan")
    assert "sim.gather" in line and not (d / "report" / "README.md").exists()


@pytest.mark.parametrize("name, change, fragment", [
    ("no_rows", lambda df: df.iloc[:0], "no rows"),
    ("no_metric", lambda df: df.drop(columns="incidents_per_month"), "incidents_per_month"),
    ("inf_metric", lambda df: df.assign(incidents_per_month=float("inf")),
     "incidents_per_month=inf"),
    ("negative_metric", lambda df: df.assign(severe_incidents_per_month=-1.0),
     "severe_incidents_per_month"),
    ("text_metric", lambda df: df.assign(crises="many"), "crises"),
    ("duplicate_runs", lambda df: pd.concat([df, df.iloc[:1]]), "run_dir"),
    ("capacity_range", lambda df: df.assign(**{"japan.capacity": 7.0}), "japan.capacity"),
    ("no_scenario", lambda df: df.assign(scenario=None), "scenario"),
])
def test_report_refuses_a_corrupt_results_table(small_sweep, tmp_path, capsys, name, change,
                                                fragment):
    from sim.studies import report

    d = _bad_table(_copy(small_sweep, tmp_path / name), change)
    assert report.main([str(d)]) != 0
    err = [x for x in capsys.readouterr().err.splitlines() if x.strip()]
    assert len(err) == 1 and err[0].startswith("error: ") and fragment in err[0], err
    assert "sim.gather" in err[0] and not (d / "report" / "README.md").exists()


def test_report_bad_folders_and_options(small_sweep, tmp_path):
    _assert_one_line(_module("sim.report", tmp_path / "missing"), "does not exist")
    empty = tmp_path / "empty"
    empty.mkdir()
    _assert_one_line(_module("sim.report", empty), "no run folders")
    single = next(p for p in small_sweep.iterdir() if p.is_dir())
    _assert_one_line(_module("sim.report", single), "single run")
    a_file = tmp_path / "f.parquet"
    a_file.write_text("x")
    _assert_one_line(_module("sim.report", a_file), "not a folder")


def test_report_and_gather_bad_options_in_process(small_sweep, capsys):
    from sim.sweeps import gather
    from sim.studies import report

    for main, argv, fragment in [(report.main, [], "usage"),
                                 (report.main, [str(small_sweep), "--capacity", "5"],
                                  "--capacity"),
                                 (report.main, [str(small_sweep), "--capacity", "abc"],
                                  "--capacity"),
                                 (gather.main, [str(small_sweep), "--nope"], "--nope")]:
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
        assert code != 0
        err = [x for x in capsys.readouterr().err.splitlines() if x.strip()]
        assert len(err) == 1 and err[0].startswith("error: ") and fragment in err[0], err


@pytest.mark.parametrize("args, fragment", [
    (["sea=atlantis"], "sea"),
    (["sea.resolution=abc"], "sea.resolution"),
    (["sea=toy", "japan.radars=-2"], "japan.radars"),
    (["--config-dir", "/nonexistent/configs", "sea=toy"], "--config-dir"),
])
def test_map_bad_input_is_one_line(tmp_path, args, fragment):
    r = _module("sim.map", *args, f"hydra.run.dir={tmp_path / 'map'}")
    _assert_one_line(r, fragment)
    assert _files_under(tmp_path / "map") == []


def test_a_run_folder_written_by_save_is_a_valid_summary(tmp_path):
    _fake_run(tmp_path / "r", ["seed=2"], days=3)
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    assert summary["days"] == 3 and summary["seed"] == 2


# --------------------------------------------------------------------------- every other command
def _listening_port():
    """A socket listening on a free port of 127.0.0.1 (another server), and its port."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    return s, s.getsockname()[1]


#: (id, command after the interpreter, a fragment the one error line must contain). Each
#: must fail before any work starts (no server, no simulation): a timeout would show it.
COMMANDS = [
    ("app_port_high", ["-m", "sim.app", "--port", "99999"], "--port: 99999 is out of range"),
    ("app_port_zero", ["-m", "sim.app", "--port", "0"], "from 1 to 65535"),
    ("app_port_negative", ["-m", "sim.app", "--port", "-5"], "--port"),
    ("app_port_text", ["-m", "sim.app", "--port", "abc"], "'abc' is not a whole number"),
    ("app_port_fraction", ["-m", "sim.app", "--port", "80.5"], "--port"),
    ("app_port_missing", ["-m", "sim.app", "--port"], "expected one argument"),
    ("app_unknown_flag", ["-m", "sim.app", "--bogus"], "--bogus"),
    ("app_host_unresolvable", ["-m", "sim.app", "--host", "no-such-host.invalid"],
     "cannot be resolved"),
    ("app_host_not_here", ["-m", "sim.app", "--host", "192.0.2.1"],  # TEST-NET-1
     "not an address of this machine"),
    ("params_argument", ["-m", "sim.params", "--bogus"], "--bogus"),
    ("validate_seeds_text", ["-m", "sim.validate", "--seeds", "abc"], "--seeds"),
    ("validate_seeds_zero", ["-m", "sim.validate", "--seeds", "0"], "allowed 1 or more"),
    ("validate_days_short", ["-m", "sim.validate", "--days", "5"], "allowed 30 to"),
    ("validate_jobs_zero", ["-m", "sim.validate", "--jobs", "0"], "--jobs"),
    ("validate_out_file", ["-m", "sim.validate", "--out", "{file}"], "is a file, not a folder"),
    ("validate_out_unwritable", ["-m", "sim.validate", "--out", "/proc/greyzone/out"],
     "cannot write in /proc"),
    ("validate_expected_missing", ["-m", "sim.validate", "--expected", "/nonexistent.yaml"],
     "--expected"),
    ("validate_abbreviated_flag", ["-m", "sim.validate", "--seed", "3"], "--seed 3"),
    ("calibrate_particles", ["-m", "sim.calibrate", "--particles", "2"], "--particles"),
    ("calibrate_accept_zero", ["-m", "sim.calibrate", "--accept", "0"], "allowed above 0"),
    ("calibrate_accept_text", ["-m", "sim.calibrate", "--accept", "most"], "--accept"),
    ("calibrate_out_file", ["-m", "sim.calibrate", "--out", "{file}"], "is a file"),
    ("sensitivity_size", ["-m", "sim.sensitivity", "--size", "huge"], "--size"),
    ("sensitivity_days", ["-m", "sim.sensitivity", "--days", "-1"], "--days"),
    ("sensitivity_sea", ["-m", "sim.sensitivity", "--sea", "atlantis"], "--sea"),
    ("sensitivity_jobs", ["-m", "sim.sensitivity", "--jobs", "-2"], "--jobs"),
    ("sensitivity_out_unwritable", ["-m", "sim.sensitivity", "--out", "/proc/greyzone"],
     "cannot write in /proc"),
    ("sensitivity_replot_nothing", ["-m", "sim.sensitivity", "--replot", "--out", "{dir}"],
     "run without --replot first"),
    ("run_dir_unwritable", ["-m", "sim", *BASE, "hydra.run.dir=/proc/greyzone/run"],
     "hydra.run.dir=/proc/greyzone/run: cannot write in /proc"),
    ("run_dir_is_a_file", ["-m", "sim", *BASE, "hydra.run.dir={file}"], "is a file"),
    ("sweep_dir_under_a_file", ["-m", "sim", "-m", *BASE, "seed=0,1",
                                "hydra.sweep.dir={file}/sweep"], "hydra.sweep.dir="),
    ("map_dir_unwritable", ["-m", "sim.map", "sea=toy", "hydra.run.dir=/proc/greyzone/map"],
     "cannot write in /proc"),
    ("mutants_jobs", [str(ROOT / "tools/mutants.py"), "-j", "many"], "--jobs"),
    ("mutants_none_match", [str(ROOT / "tools/mutants.py"), "--only", "no-such-mutant"],
     "no mutant matches"),
    ("bench_part", [str(ROOT / "benchmarks/run.py"), "--only", "nope"],
     "unknown part(s) nope"),
]


@pytest.fixture(scope="module")
def commands(tmp_path_factory):
    """Every command case, run 3 at a time (plus a port already in use): {id: result}. In an
    empty folder: a command that wrongly starts work writes there (its default --out docs),
    never into the repository."""
    root = tmp_path_factory.mktemp("commands")
    a_file = root / "a_file.txt"
    a_file.write_text("precious\n")
    server, port = _listening_port()
    cases = COMMANDS + [("app_port_in_use", ["-m", "sim.app", "--port", str(port)],
                         f"port {port} on 127.0.0.1 is already in use")]

    def run(case):
        cid, argv, _ = case
        argv = [a.replace("{file}", str(a_file)).replace("{dir}", str(root / cid)) for a in argv]
        return subprocess.run([sys.executable, *argv], cwd=root, capture_output=True,
                              text=True, timeout=90)

    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            results = dict(zip([c[0] for c in cases], pool.map(run, cases)))
        server.getsockname()  # the other server is still there
    finally:
        server.close()
    return {"results": results, "cases": {c[0]: c for c in cases}, "file": a_file,
            "root": root}


@pytest.mark.parametrize("cid", [c[0] for c in COMMANDS] + ["app_port_in_use"])
def test_every_command_answers_bad_input_in_one_line(commands, cid):
    r = commands["results"][cid]
    _, _, fragment = commands["cases"][cid]
    line = _assert_one_line(r, fragment)
    assert r.returncode == 2, (r.returncode, line)
    assert r.stdout.strip() == "", r.stdout[-2000:]  # nothing started (no server, no runs)
    assert commands["file"].read_text() == "precious\n"  # no data lost
    assert sorted(p.name for p in commands["root"].iterdir()) == ["a_file.txt"]  # nothing made


def test_app_checks_the_address_before_serving():
    from sim.ui.serve import address_problem

    server, port = _listening_port()
    try:
        assert "already in use" in address_problem("127.0.0.1", port)
    finally:
        server.close()
    assert address_problem("127.0.0.1", port) is None  # free again (SO_REUSEADDR as uvicorn)
    assert "cannot be resolved" in address_problem("no-such-host.invalid", 8765)
