"""Replicates batched into one job (``sim.sweeps.replicates``) and compositions shared among
jobs that differ by seed (``sim.sweeps.compose_cache``): the same runs, folders, files and
numbers as one job a run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from omegaconf import OmegaConf

from conftest import ROOT, run_cli
from sim.sweeps.replicates import ENV, ENV_OVERRIDE, group_by_seed, other_seeds


def test_group_by_seed_batches_runs_that_differ_only_by_seed():
    batch = [["scenario=a", "seed=0"], ["scenario=a", "seed=1"], ["scenario=b", "seed=0"],
             ["scenario=a", "seed=2"], ["scenario=b", "seed=1"], ["scenario=a", "seed=3"],
             ["scenario=c"], ["scenario=a", "seed=x"]]
    got = group_by_seed(batch, 3)
    assert got == [["scenario=a", "seed=0", f"{ENV_OVERRIDE}'1:2'"],
                   ["scenario=a", "seed=3"],
                   ["scenario=b", "seed=0", f"{ENV_OVERRIDE}'1'"],
                   ["scenario=c"], ["scenario=a", "seed=x"]]
    assert group_by_seed(batch, 1) == batch
    # every run once: the first seeds plus the riders are the runs of the batch
    runs = []
    for job in group_by_seed(batch, 2):
        riders = [o for o in job if o.startswith(ENV_OVERRIDE)]
        runs.append(tuple(o for o in job if not o.startswith(ENV_OVERRIDE)))
        for s in riders[0].split("=", 1)[1].strip("'").split(":") if riders else ():
            runs.append(tuple(o if not o.startswith("seed=") else f"seed={s}"
                              for o in runs[-1]))
    assert sorted(runs) == sorted(tuple(j) for j in batch)


def test_other_seeds_reads_the_rider(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    assert other_seeds() == []
    monkeypatch.setenv(ENV, "4:5:9")
    assert other_seeds() == [4, 5, 9]


def test_seeds_per_job_leaves_every_worker_four_jobs():
    from hydra_plugins.greyzone_sweeper import seeds_per_job

    two = OmegaConf.create({"hydra": {"launcher": {"n_jobs": 2}}})
    assert seeds_per_job(8, 6, two) == 1  # 6 runs on 2 workers: no batching
    assert seeds_per_job(8, 24, two) == 3
    assert seeds_per_job(8, 4200, two) == 8
    assert seeds_per_job(1, 4200, two) == 1
    slurm = OmegaConf.create({"hydra": {"launcher": {"array_parallelism": 64}}})
    assert seeds_per_job(8, 600, slurm) == 2 and seeds_per_job(8, 4200, slurm) == 8
    every = OmegaConf.create({"hydra": {"launcher": {"n_jobs": -1}}})
    assert seeds_per_job(8, 8 * (os.cpu_count() or 1), every) == 2


def test_a_shared_composition_is_the_fresh_one():
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.types import RunMode

    from sim.params.compose import CONFIG_DIR
    from sim.sweeps import compose_cache
    from sim.sweeps.compose_cache import SeedSharingConfigLoader

    compose_cache._CACHE.clear()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        loader = GlobalHydra.instance().config_loader()
        master = loader.load_configuration("config", ["hydra.sweep.dir=/tmp/gz-x"],
                                           RunMode.MULTIRUN)
        shared = SeedSharingConfigLoader(loader)
        jobs = [["scenario=enhanced_cooperation", "japan.capacity=0.5", "seed=0"],
                ["scenario=enhanced_cooperation", "japan.capacity=0.5", "seed=7",
                 f"{ENV_OVERRIDE}'8:9'"],
                ["scenario=combined", "japan.capacity=0.5", "seed=7"],
                ["scenario=enhanced_cooperation", "japan.capacity=0.5", "seed=3"]]
        for job in jobs:
            a, b = shared.load_sweep_config(master, job), loader.load_sweep_config(master, job)
            ca = OmegaConf.to_container(a, resolve=False)
            cb = OmegaConf.to_container(b, resolve=False)
            assert ca == cb, job
            assert a.seed == b.seed and a.hydra.job.override_dirname == \
                b.hydra.job.override_dirname
        assert len(compose_cache._CACHE) == 2  # one composition per scenario


def _sweep(d: Path, k: int, *extra: str):
    r = run_cli("-m", "sea=toy", "run.days=20", "scenario=baseline,combined", "japan.capacity=1",
                "seed=range(0,6)", "hydra.launcher.n_jobs=1", f"hydra.sweeper.seeds_per_job={k}",
                f"hydra.sweep.dir={d}", *extra)
    assert r.returncode == 0, r.stderr[-3000:]
    return r


def test_batched_replicates_are_the_runs_of_one_job_each(tmp_path):
    """Batched three to a job, the twelve runs have the folders, ``.hydra`` files, rows and
    numbers of twelve jobs of their own."""
    one, three = tmp_path / "one", tmp_path / "three"
    _sweep(one, 1)
    r = _sweep(three, 3)
    assert r.stdout.count("run: ") == 12
    names = sorted(p.name for p in one.iterdir() if p.is_dir())
    assert names == sorted(p.name for p in three.iterdir() if p.is_dir()) and len(names) == 12
    skip = {"wall_seconds", "git_dirty", "git_commit"}
    for name in names:
        for f in ("config.yaml", "overrides.yaml"):
            assert (one / name / ".hydra" / f).read_text() == \
                (three / name / ".hydra" / f).read_text(), (name, f)
        h1 = OmegaConf.load(one / name / ".hydra" / "hydra.yaml").hydra
        h3 = OmegaConf.load(three / name / ".hydra" / "hydra.yaml").hydra
        for h in (h1, h3):
            h.runtime.output_dir = Path(h.runtime.output_dir).name
            h.job.env_set = {}
            h.job.id = h.job.num = None
            h.sweeper.seeds_per_job = None
            h.overrides.hydra = [o for o in h.overrides.hydra if "seeds_per_job" not in o
                                 and "sweep.dir" not in o and ENV not in o]
            h.sweep.dir = None
        assert h1 == h3, name
        s1 = json.loads((one / name / "summary.json").read_text())
        s3 = json.loads((three / name / "summary.json").read_text())
        assert {k: v for k, v in s1.items() if k not in skip} == \
            {k: v for k, v in s3.items() if k not in skip}, name
    t1 = pd.read_parquet(one / "results.parquet").drop(columns=list(skip))
    t3 = pd.read_parquet(three / "results.parquet").drop(columns=list(skip))
    key = ["scenario", "seed"]
    pd.testing.assert_frame_equal(t1.sort_values(key).reset_index(drop=True),
                                  t3.sort_values(key).reset_index(drop=True))


@pytest.mark.slow
def test_a_batch_killed_midway_is_finished_by_a_rerun(tmp_path):
    d = tmp_path / "killed"
    cmd = [sys.executable, "-m", "sim", "-m", "sea=toy", "run.days=365", "run.progress=off",
           "seed=range(0,16)", "hydra.launcher.n_jobs=1", "hydra.sweeper.seeds_per_job=4",
           f"hydra.sweep.dir={d}"]
    with open(tmp_path / "first.log", "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        deadline = time.monotonic() + 180
        try:
            while len(list(d.glob("*/summary.json"))) < 2:  # inside the first batch of 4
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    done = {p.parent.name for p in d.glob("*/summary.json")}
    assert 2 <= len(done) < 16
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.count("skip (finished)") == len(done)
    simulated = [x for x in r.stdout.splitlines() if x.startswith(("run: ", "redo ("))]
    assert len(simulated) == 16 - len(done), r.stdout[-3000:]
    df = pd.read_parquet(d / "results.parquet")
    assert sorted(df["seed"]) == list(range(16)) and df["run_dir"].is_unique
