"""Reproducibility: one config and seed give byte-identical tables in any process, with any
launcher (basic, joblib, submitit_local), in any run order and at any job number; the seed's
random streams are common across scenarios; results tables record the code's version.

See docs/reproducibility.md for the seed semantics tested here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim import record

from conftest import ROOT

COMMON = ["sea=toy", "run.days=20", "run.progress=off"]
BYTES = ("incidents", "daily")  # byte-identical files (CONTRACT's two main tables)
PROVENANCE = ("package_version", "git_commit", "git_dirty", "config_sha256")


def _sweep(d: Path, *args: str, launcher: str | None = None, env=None):
    extra = [f"hydra/launcher={launcher}"] if launcher else ["hydra.launcher.n_jobs=2"]
    cmd = ["-m", *COMMON, *args, *extra, f"hydra.sweep.dir={d}"]
    r = subprocess.run([sys.executable, "-m", "sim", *cmd], cwd=ROOT, capture_output=True,
                       text=True, timeout=600, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    return r


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory):
    """The same runs made three ways:
    joblib:  scenario=baseline,strategic_stabilization seed=0,1,2  (baseline/0 is job 0)
    basic:   the same grid in reverse order, in one process       (baseline/0 is job 5)
    submitit_local: two of the runs, each in its own process."""
    root = tmp_path_factory.mktemp("repro")
    out = {}
    out["joblib"] = root / "joblib"
    _sweep(out["joblib"], "scenario=baseline,strategic_stabilization", "seed=0,1,2")
    out["basic"] = root / "basic"
    r = _sweep(out["basic"], "scenario=strategic_stabilization,baseline", "seed=2,1,0",
               launcher="basic")
    out["basic_log"] = r.stdout + r.stderr
    out["submitit"] = root / "submitit"
    _sweep(out["submitit"], "scenario=baseline", "seed=0,2", launcher="submitit_local")
    return out


def _runs(d: Path) -> dict[str, Path]:
    return {p.name: p for p in d.iterdir() if p.is_dir() and record.is_finished(p)}


def _same_run(a: Path, b: Path) -> None:
    for t in record.TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(a / f"{t}.parquet"),
                                      pd.read_parquet(b / f"{t}.parquet"), check_exact=True)
    for t in BYTES:
        assert (a / f"{t}.parquet").read_bytes() == (b / f"{t}.parquet").read_bytes(), (a, t)
    sa, sb = record.load_summary(a), record.load_summary(b)
    for key in ("wall_seconds", *PROVENANCE):  # sim.run(...).save() records no provenance
        if key == "wall_seconds" or key not in sa or key not in sb:
            sa.pop(key, None), sb.pop(key, None)
    assert sa == sb


@pytest.mark.slow
def test_the_order_really_differs(sweeps):
    import re

    found = [re.search(r"#(\d+) : (.*)$", line) for line in sweeps["basic_log"].splitlines()]
    order = [m.group(2) for m in found if m]
    assert len(order) == 6
    assert "scenario=strategic_stabilization" in order[0] and "seed=2" in order[0]
    assert "scenario=baseline" in order[5] and "seed=0" in order[5]


@pytest.mark.slow
def test_same_runs_identical_across_launchers_order_and_job_number(sweeps):
    jl, basic, sub = _runs(sweeps["joblib"]), _runs(sweeps["basic"]), _runs(sweeps["submitit"])
    assert len(jl) == len(basic) == 6 and len(sub) == 2
    assert set(jl) == set(basic) and set(sub) <= set(jl)
    for name in jl:
        _same_run(jl[name], basic[name])  # other launcher, other order, other job number
    for name in sub:
        _same_run(jl[name], sub[name])


@pytest.mark.slow
def test_results_tables_agree_and_record_the_code_version(sweeps):
    a = pd.read_parquet(sweeps["joblib"] / "results.parquet")
    b = pd.read_parquet(sweeps["basic"] / "results.parquet")
    drop = ["wall_seconds"]
    pd.testing.assert_frame_equal(a.drop(columns=drop), b.drop(columns=drop))
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                          text=True)
    expected = head.stdout.strip() if head.returncode == 0 else "unknown"
    for df in (a, b):
        assert (df["package_version"] == version("greyzone-sim")).all()
        assert (df["package_version"] == sim.__version__).all()
        assert (df["git_commit"] == expected).all()
        assert df["git_dirty"].dtype == "boolean"


@pytest.mark.slow
def test_a_single_run_in_another_process_and_in_process_is_the_same_run(sweeps, tmp_path):
    name = "run.days=20,scenario=baseline,sea=toy,seed=0"
    ref = _runs(sweeps["joblib"])[name]
    env = dict(os.environ, PYTHONHASHSEED="12345")  # another hash seed: no set-order effects
    r = subprocess.run([sys.executable, "-m", "sim", *COMMON, "scenario=baseline", "seed=0",
                        f"hydra.run.dir={tmp_path / 'single'}"], cwd=ROOT, capture_output=True,
                       text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    _same_run(ref, tmp_path / "single")
    run = sim.run(sim.compose([*COMMON, "scenario=baseline", "seed=0"]))
    run.save(tmp_path / "inproc")
    _same_run(ref, tmp_path / "inproc")


def test_run_order_within_one_process_does_not_matter():
    """A run is the same before and after other runs in the same process (the sea and
    compiled kernels are cached per process and must not carry state between runs)."""
    x = [*COMMON, "scenario=enhanced_cooperation", "japan.capacity=1", "seed=7"]
    first = sim.run(sim.compose(x))
    sim.run(sim.compose([*COMMON, "scenario=strategic_stabilization", "japan.radars=3",
                         "japan.start_offset_days=0", "japan.radar_lag_days=1", "seed=8"]))
    sim.run(sim.compose([*COMMON, "+injects=[{kind:rig,day:2,hotspot:toy_reef}]", "seed=9"]))
    again = sim.run(sim.compose(x))
    for t in record.TABLES:
        pd.testing.assert_frame_equal(getattr(first, t), getattr(again, t), check_exact=True)


def test_common_random_numbers_across_scenarios_and_capacity():
    """The seed fixes the weather (its own stream): every scenario and capacity with one seed
    sees the same sea states; another seed sees others."""
    states = {}
    for ov in (["scenario=baseline", "japan.capacity=0"],
               ["scenario=enhanced_cooperation", "japan.capacity=1"],
               ["scenario=strategic_stabilization", "japan.capacity=0.5"]):
        d = sim.run(sim.compose(["sea=toy", "run.days=40", "run.progress=off", "seed=3",
                                 "run.stop_at_crisis=false", *ov])).daily
        states[ov[0]] = d[["sea_state_north", "sea_state_south"]].to_numpy()
    base = states["scenario=baseline"]
    assert all(np.array_equal(base, v) for v in states.values())
    other = sim.run(sim.compose(["sea=toy", "run.days=40", "run.progress=off", "seed=4"]))
    assert not np.array_equal(base, other.daily[["sea_state_north",
                                                   "sea_state_south"]].to_numpy())


def test_a_shorter_run_is_the_start_of_a_longer_one():
    """Nothing in a run depends on its length: the first days of a long run are the short
    run (same config and seed; without a crisis stop)."""
    ov = ["sea=toy", "run.progress=off", "seed=2", "run.stop_at_crisis=false"]
    short = sim.run(sim.compose([*ov, "run.days=10"]))
    long = sim.run(sim.compose([*ov, "run.days=30"]))
    pd.testing.assert_frame_equal(short.daily, long.daily.iloc[:10], check_exact=True)
    first = long.incidents[long.incidents["day"] < 10].reset_index(drop=True)
    pd.testing.assert_frame_equal(short.incidents, first, check_exact=True)


def test_streams_come_from_the_seed_alone():
    """GreyZoneModel spawns its streams from SeedSequence(seed): nothing else (job number,
    process, time) enters. The weather stream of seed s is SeedSequence(s).spawn(6)[0]."""
    from sim.world.model import GreyZoneModel
    from sim.params import to_params

    m = GreyZoneModel(to_params(sim.compose(["sea=toy", "run.days=5", "seed=11"])))
    expected = np.random.SeedSequence(11).spawn(6)
    streams = [m.rng_weather, m.rng_move, m.rng_encounter, m.rng_policy, m.rng_fishing,
               m.rng_detection]
    assert len({id(r) for r in streams}) == 6
    for rng, seq in zip(streams, expected):
        assert rng.bit_generator.seed_seq.entropy == seq.entropy == 11
        assert rng.bit_generator.seed_seq.spawn_key == seq.spawn_key


def test_config_fingerprint_names_the_config_not_its_display():
    from sim.__main__ import config_fingerprint

    fp = lambda *ov: config_fingerprint(sim.compose(["sea=toy", *ov]))  # noqa: E731
    assert fp("run.progress=off") == fp("run.progress=on") == fp()
    assert fp("seed=1") != fp("seed=2")
    assert fp("china.militia=29") != fp()
    assert fp("scenario=baseline") == fp()  # the default, written out
