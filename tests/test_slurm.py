"""The SLURM launcher (``hydra/launcher=slurm``, Hydra's Submitit plugin) against a real
scheduler: a private single-node SLURM on 127.0.0.1 (tests/slurm_cluster.py) runs a small
sweep submitted with ``sbatch``; the sweep's results.parquet, the scheduler's own record of
the job array, and the same numbers as a local run of each seed.

``make test`` installs Debian's slurm-wlm and munge (``make slurm``) and sets
GREYZONE_REQUIRE_SLURM=1: there a cluster that cannot start is a failure. A bare ``pytest``
without them (or without root) skips with the reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import warnings

import pandas as pd
import pytest
import yaml

import sim
from sim import record

from conftest import ROOT, toy
from slurm_cluster import ClusterError, SlurmCluster, unavailable

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

SEEDS = (0, 1, 2)
DAYS = 20
BYTES = ("incidents", "daily")  # byte-identical files, as in tests/test_reproducibility.py
PROVENANCE = ("wall_seconds", "package_version", "git_commit", "git_dirty", "config_sha256")


@pytest.fixture(scope="module")
def cluster():
    reason = unavailable()
    if reason:
        if os.environ.get("GREYZONE_REQUIRE_SLURM") == "1":
            pytest.fail(f"{reason}; make test installs SLURM (make slurm) and requires this "
                        "test (GREYZONE_REQUIRE_SLURM=1)", pytrace=False)
        pytest.skip(reason)
    try:
        c = SlurmCluster.start()
    except ClusterError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield c
    finally:
        killed = c.stop()
        if killed:
            warnings.warn(f"needed SIGKILL to stop: {', '.join(killed)}")


def slurm_sweep(cluster, d, seeds=SEEDS):
    """``python -m sim -m sea=toy run.days=20 seed=... hydra/launcher=slurm`` into ``d``, as
    a user would run it: submitit submits one job array with sbatch and waits for it."""
    cmd = [sys.executable, "-m", "sim", "-m", "sea=toy", f"run.days={DAYS}",
           f"seed={','.join(map(str, seeds))}", "hydra/launcher=slurm",
           f"hydra.launcher.partition={cluster.partition}", "hydra.launcher.timeout_min=5",
           # Shell lines before each job (the `setup` key): the jobs log at submitit's
           # default level again (see SUBMITIT_LOG_LEVEL below), so their logs show SLURM's ids.
           "hydra.launcher.setup=['export SUBMITIT_LOG_LEVEL=INFO']",
           f"hydra.sweep.dir={d}"]
    env = dict(cluster.env)
    # Without an accounting database sacct fails, and submitit logs a warning at every poll
    # (it then goes by the result files, which is all it needs): keep the log readable.
    env["SUBMITIT_LOG_LEVEL"] = "ERROR"
    try:
        r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=420)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the SLURM sweep did not finish in 420 s; squeue: "
                    f"{cluster.run('squeue', check=False).stdout!r}\n{cluster.log_tails()}",
                    pytrace=False)
    assert r.returncode == 0, f"{r.stderr[-3000:]}\n{cluster.log_tails()}"
    return r


@pytest.fixture(scope="module")
def sweep(cluster, tmp_path_factory):
    """Three runs (seeds 0, 1, 2), one SLURM job array."""
    d = tmp_path_factory.mktemp("slurm") / "sweep"
    return d, slurm_sweep(cluster, d)


def _job_logs(d, job: str) -> list[str]:
    """The stdout of each task of array ``job``, in task order (submitit_folder is
    SWEEP/.submitit/%j, so task k of job J logs to J_k/J_k_0_log.out)."""
    paths = (d / ".submitit").glob(f"{job}_*/{job}_*_0_log.out")
    return [p.read_text() for p in sorted(paths, key=lambda p: int(p.parent.name.split("_")[1]))]


def _array_jobs(d) -> list[str]:
    """The SLURM ids of the sweep's job arrays (one sbatch script each), oldest first."""
    return sorted((p.parent.name for p in (d / ".submitit").glob("*/*_submission.sh")), key=int)


def _run_dirs(d) -> dict[int, object]:
    df = pd.read_parquet(d / "results.parquet")
    return {int(s): d / rd for s, rd in zip(df["seed"], df["run_dir"])}


def test_slurm_sweep_writes_one_row_per_run(sweep):
    d, r = sweep
    df = pd.read_parquet(d / "results.parquet")
    assert len(df) == len(SEEDS) and sorted(df["seed"]) == list(SEEDS)
    assert df["run_dir"].is_unique and (df["run.days"] == DAYS).all()
    assert (df["days"] == DAYS).all()
    assert (df["scenario"] == "baseline").all()
    for col in ("incidents_per_month", "severe_incidents_per_month", "detection_rate",
                "vn_fishing_access"):
        assert df[col].notna().all() and (df[col] >= 0).all(), col
    assert ((df["detection_rate"] <= 1) & (df["vn_fishing_access"] <= 1)).all()
    assert df["incidents"].sum() > 0  # 3 x 20 days of the toy sea: some incidents happen
    assert df["incidents_per_month"].nunique() > 1  # the seeds differ
    assert f"sweep: {len(SEEDS)}/{len(SEEDS)} runs done" in r.stderr
    assert "results: " in r.stdout


def test_the_runs_went_through_slurm(sweep, cluster):
    d, _ = sweep
    # submitit_folder is SWEEP/.submitit/%j: the array's sbatch script in <job id>/, each
    # task's logs and result in <job id>_<task>/.
    jobs = _array_jobs(d)
    assert len(jobs) == 1 and re.fullmatch(r"\d+", jobs[0]), jobs  # one sbatch: one array
    job = jobs[0]
    script = (d / ".submitit" / job / f"{job}_submission.sh").read_text()
    assert f"#SBATCH --array=0-{len(SEEDS) - 1}" in script
    assert f"#SBATCH --partition={cluster.partition}" in script
    for k in range(len(SEEDS)):
        assert (d / ".submitit" / f"{job}_{k}" / f"{job}_{k}_0_result.pkl").is_file()
    logs = _job_logs(d, job)
    assert len(logs) == len(SEEDS)
    for k, log in enumerate(logs):  # SLURM's id, as the job saw it
        assert f"JobEnvironment(job_id={job}_{k}" in log, log
    # Each run saw its SLURM job id (the launcher puts it in hydra.job.id).
    ids = {seed: yaml.safe_load((rd / ".hydra" / "hydra.yaml").read_text())["hydra"]["job"]
           ["id"] for seed, rd in _run_dirs(d).items()}
    assert sorted(ids.values()) == [f"{job}_{k}" for k in range(len(SEEDS))]
    # The scheduler's own record (kept MinJobAge seconds; there is no accounting database).
    # submitit returns once every task's result file is written; a task may still be exiting
    # (JobState=RUNNING for a moment): wait for the scheduler to record its end.
    deadline = time.monotonic() + 60
    while True:
        show = cluster.run("scontrol", "show", "job", job).stdout
        if show.count("JobState=COMPLETED") >= len(SEEDS) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    tasks = re.findall(r"ArrayTaskId=(\d+)", show)
    assert sorted(map(int, tasks)) == list(range(len(SEEDS))), show
    assert show.count("JobState=COMPLETED") == len(SEEDS), show
    assert show.count("ExitCode=0:0") == len(SEEDS), show
    assert show.count(f"Partition={cluster.partition}") == len(SEEDS), show
    assert cluster.run("squeue", "-h").stdout.strip() == ""  # nothing left queued
    # What the scheduler did, for the record (pytest -rP shows it): the array and its tasks.
    print(f"sbatch array {job}: " + next(x for x in script.splitlines() if "--array" in x))
    for line in show.splitlines():
        if re.search(r"JobId=|JobState=|NodeList=|Partition=", line):
            print("  " + line.strip())


@pytest.mark.parametrize("seed", SEEDS)
def test_slurm_job_equals_a_local_run(sweep, seed, tmp_path):
    """Same config and seed, same numbers: the job's files equal a run in this process."""
    d, _ = sweep
    job_dir = _run_dirs(d)[seed]
    local = sim.run(toy(f"seed={seed}", days=DAYS)).save(tmp_path / "local")
    for t in record.TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(job_dir / f"{t}.parquet"),
                                      pd.read_parquet(local / f"{t}.parquet"), check_exact=True)
    for t in BYTES:
        assert (job_dir / f"{t}.parquet").read_bytes() == (local / f"{t}.parquet").read_bytes(), t
    a = json.loads((job_dir / "summary.json").read_text())
    b = json.loads((local / "summary.json").read_text())
    for key in PROVENANCE:  # timing and the code's version: not outputs of config and seed
        a.pop(key, None), b.pop(key, None)
    assert a == b


def test_rerun_through_slurm_skips_finished_runs(sweep, cluster, tmp_path):
    """Resuming on the cluster: the same command with one more seed submits every run again;
    the finished ones see their folder and exit at once, only the new one runs."""
    d = tmp_path / "resumed"
    shutil.copytree(sweep[0], d)  # a copy: the other tests keep the original
    stamps = {p: p.stat().st_mtime_ns for p in d.glob("*/summary.json")}
    r = slurm_sweep(cluster, d, seeds=(*SEEDS, 3))
    job = _array_jobs(d)[-1]
    logs = _job_logs(d, job)
    assert len(logs) == len(SEEDS) + 1
    assert sum("skip (finished)" in log for log in logs) == len(SEEDS)
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    assert f"{len(SEEDS)} already finished" in r.stderr
    df = pd.read_parquet(d / "results.parquet")
    assert sorted(df["seed"]) == [*SEEDS, 3] and df["run_dir"].is_unique
