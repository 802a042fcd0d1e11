"""Sweeps end to end: the real command line, results.parquet, resuming, gather, launchers."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from importlib.metadata import version

import pandas as pd
import pytest

from conftest import ROOT, run_cli

SCENARIOS = ("enhanced_cooperation", "strategic_stabilization")
CAPACITIES = (0.0, 1.0)
SEEDS = (0, 1)
SWEEP = ["-m", "sea=toy", "run.days=10", f"scenario={','.join(SCENARIOS)}",
         "japan.capacity=0,1", "seed=0,1"]
CONTRACT = ["scenario", "japan.capacity", "seed", "incidents_per_month",
            "incidents_per_1000_vessel_days", "severe_incidents_per_month", "crises",
            "first_crisis_day", "vn_fishing_access", "detection_rate", "de_escalations",
            "wall_seconds", "run_dir", "package_version", "git_commit"]


def gather_cli(*args):
    return subprocess.run([sys.executable, "-m", "sim.gather", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def one_line_error(r):
    assert r.returncode != 0
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert "Traceback" not in r.stderr


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """One small joblib sweep through the command line: 2 scenarios x 2 capacities x 2 seeds."""
    d = tmp_path_factory.mktemp("sweep") / "s"
    r = run_cli(*SWEEP, f"hydra.sweep.dir={d}")
    assert r.returncode == 0, r.stderr[-3000:]
    return d, r


def test_multirun_writes_results_with_contract_columns(sweep):
    d, r = sweep
    df = pd.read_parquet(d / "results.parquet")
    assert len(df) == 8
    assert set(CONTRACT) <= set(df.columns)
    assert {c for c in df.columns if c.startswith("presence_fraction.")} == {
        "presence_fraction.toy_reef", "presence_fraction.toy_bank"}
    assert set(zip(df["scenario"], df["japan.capacity"], df["seed"])) == set(
        itertools.product(SCENARIOS, CAPACITIES, SEEDS))
    assert pd.api.types.is_float_dtype(df["japan.capacity"])
    assert pd.api.types.is_integer_dtype(df["seed"])
    assert pd.api.types.is_integer_dtype(df["run.days"]) and (df["run.days"] == 10).all()
    assert pd.api.types.is_string_dtype(df["scenario"])
    assert pd.api.types.is_integer_dtype(df["crises"])
    for col in ("incidents_per_month", "severe_incidents_per_month", "detection_rate",
                "presence_fraction.toy_reef"):
        assert pd.api.types.is_float_dtype(df[col]), col
    assert df["run_dir"].is_unique
    for rd in df["run_dir"]:
        assert (d / rd / "summary.json").is_file()
        summary = json.loads((d / rd / "summary.json").read_text())
        row = df[df["run_dir"] == rd].iloc[0]
        assert row["incidents_per_month"] == pytest.approx(summary["incidents_per_month"])
    assert (df["package_version"] == version("greyzone-sim")).all()
    assert df["git_commit"].map(lambda c: c == "unknown" or re.fullmatch("[0-9a-f]{40}", c)
                                is not None).all()
    assert "sweep: 8/8 runs done" in r.stderr  # progress from the parent process
    assert "results: " in r.stdout


def test_rerun_skips_finished_runs_without_duplicates(sweep):
    d, _ = sweep
    before = pd.read_parquet(d / "results.parquet")
    stamps = {p: p.stat().st_mtime_ns for p in d.glob("*/summary.json")}
    r = run_cli(*SWEEP, f"hydra.sweep.dir={d}")
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.count("skip (finished)") == 8
    assert "8 already finished" in r.stderr
    assert {p: p.stat().st_mtime_ns for p in d.glob("*/summary.json")} == stamps
    after = pd.read_parquet(d / "results.parquet")
    assert len(after) == 8 and after["run_dir"].is_unique
    pd.testing.assert_frame_equal(before, after)


def test_gather_rebuilds_the_same_table(sweep, tmp_path):
    d, _ = sweep
    copy = tmp_path / "copy"
    shutil.copytree(d, copy)
    (copy / "results.parquet").unlink()
    r = gather_cli(copy)
    assert r.returncode == 0, r.stderr
    assert "results:" in r.stdout and "8 runs" in r.stdout
    pd.testing.assert_frame_equal(pd.read_parquet(d / "results.parquet"),
                                  pd.read_parquet(copy / "results.parquet"))


def test_gather_skips_corrupt_and_unfinished_runs_with_a_warning(sweep, tmp_path):
    d, _ = sweep
    copy = tmp_path / "copy"
    shutil.copytree(d, copy)
    runs = sorted(p.parent for p in copy.glob("*/summary.json"))
    (runs[0] / "summary.json").write_bytes(b"\x00{not json")
    (runs[1] / "summary.json").write_text("[1, 2]")  # valid JSON, not a summary
    (runs[2] / "summary.json").unlink()  # unfinished (killed before the end)
    r = gather_cli(copy)
    assert r.returncode == 0, r.stderr
    warning = [x for x in r.stderr.splitlines() if x.startswith("warning:")]
    assert len(warning) == 1 and "skipped 3 " in warning[0]
    assert runs[0].name in warning[0]
    df = pd.read_parquet(copy / "results.parquet")
    assert len(df) == 5
    assert not set(df["run_dir"]) & {p.name for p in runs[:3]}


def test_gather_bad_input_is_one_line_and_keeps_good_results(sweep, tmp_path):
    one_line_error(gather_cli("/nonexistent/sweep"))
    empty = tmp_path / "empty"
    empty.mkdir()
    one_line_error(gather_cli(empty))
    assert not (empty / "results.parquet").exists()
    d, _ = sweep
    copy = tmp_path / "copy"
    shutil.copytree(d, copy)
    good = (copy / "results.parquet").read_bytes()
    for p in copy.glob("*/summary.json"):
        p.unlink()  # nothing finished any more
    one_line_error(gather_cli(copy))
    assert (copy / "results.parquet").read_bytes() == good  # never replaced by an empty one


def test_experiment_configs_expand_to_the_documented_grids():
    from hydra import compose, initialize_config_dir

    from sim.params.compose import CONFIG_DIR
    from sim.sweeps.callback import expected_run_dirs

    sizes = {"compare_pathways": 600, "compare_pathways_quick": 120,
             "mechanisms_factorial": 192, "mechanisms": 504, "crisis_risk": 4200}
    for name, n in sizes.items():
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            cfg = compose(config_name="config", overrides=[f"+experiment={name}"],
                          return_hydra_config=True)
        dirs = expected_run_dirs(cfg)
        assert len(dirs) == n == len(set(dirs)), name
        assert str(cfg.hydra.sweep.dir) == f"outputs/{name}"
        assert cfg.run.days == 365
        if name == "mechanisms":
            assert dirs[0].name.startswith("japan={}")  # the reference run
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(config_name="config", return_hydra_config=True,
                      overrides=["hydra/launcher=slurm", "hydra.launcher.partition=short"])
    launcher = cfg.hydra.launcher
    assert launcher._target_.endswith("SlurmLauncher")
    assert launcher.partition == "short" and launcher.timeout_min == 20
    assert launcher.cpus_per_task == 1 and launcher.array_parallelism == 64


def test_submitit_local_launcher_runs_and_gathers(tmp_path):
    d = tmp_path / "sub"
    r = run_cli("-m", "sea=toy", "run.days=5", "seed=0,1", "hydra/launcher=submitit_local",
                f"hydra.sweep.dir={d}")
    assert r.returncode == 0, r.stderr[-3000:]
    assert (d / ".submitit").is_dir()
    df = pd.read_parquet(d / "results.parquet")
    assert sorted(df["seed"]) == [0, 1]


@pytest.mark.slow
def test_kill_9_mid_sweep_then_rerun_loses_and_duplicates_nothing(tmp_path):
    d = tmp_path / "killed"
    cmd = [sys.executable, "-m", "sim", "-m", "sea=toy", "run.days=365",
           "seed=range(0,8)", "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={d}"]
    log = open(tmp_path / "first.log", "w")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list(d.glob("*/summary.json"))) >= 2:
                break
            time.sleep(0.2)
        assert proc.poll() is None, "the sweep ended before it could be killed"
        done_at_kill = len(list(d.glob("*/summary.json")))
        assert done_at_kill < 8
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        log.close()
    time.sleep(0.5)
    assert not (d / "results.parquet").exists()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.count("skip (finished)") >= 2
    df = pd.read_parquet(d / "results.parquet")
    assert sorted(df["seed"]) == list(range(8))
    assert df["run_dir"].is_unique


def test_sweeper_composes_only_the_first_job_of_a_batch_before_launch():
    """The default sweeper (hydra_plugins/greyzone_sweeper) leaves composing each job to the
    launcher's workers; before launch it composes one job, so a broken config still stops the
    sweep early."""
    from types import SimpleNamespace

    from hydra_plugins.greyzone_sweeper import GreyzoneSweeper

    calls = []
    loader = SimpleNamespace(load_sweep_config=lambda master_config, sweep_overrides:
                             calls.append(sweep_overrides))
    sw = GreyzoneSweeper(max_batch_size=None, params=None)
    sw.hydra_context, sw.config = SimpleNamespace(config_loader=loader), object()
    sw.validate_batch_is_legal([["seed=0"], ["seed=1"], ["seed=2"]])
    assert calls == [["seed=0"]]

    def broken(master_config, sweep_overrides):
        raise ValueError("cannot compose")

    sw.hydra_context = SimpleNamespace(config_loader=SimpleNamespace(load_sweep_config=broken))
    with pytest.raises(ValueError, match="cannot compose"):
        sw.validate_batch_is_legal([["seed=0"], ["seed=1"]])


def test_default_sweeper_is_the_greyzone_sweeper():
    from hydra import compose, initialize_config_dir

    from sim.params.compose import CONFIG_DIR

    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose("config", return_hydra_config=True)
    assert cfg.hydra.sweeper._target_ == "hydra_plugins.greyzone_sweeper.GreyzoneSweeper"
