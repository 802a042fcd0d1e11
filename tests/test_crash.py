"""Crash safety: sweeps killed with ``kill -9`` at several points (the launcher's process
group, or one joblib worker) and re-run lose and duplicate nothing; a run killed while saving,
or a truncated or corrupt run file, is detected and the run is redone on re-run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim import record

from conftest import ROOT, run_cli

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="needs /proc (Linux) to find worker processes")

SEEDS = 8
DAYS = 60
SWEEP = [sys.executable, "-m", "sim", "-m", "sea=toy", f"run.days={DAYS}", "run.progress=off",
         f"seed=range(0,{SEEDS})", "hydra.launcher.n_jobs=2"]


def finished(d: Path) -> set[str]:
    return {p.name for p in d.iterdir() if p.is_dir() and record.is_finished(p)} \
        if d.is_dir() else set()


def started(d: Path) -> set[str]:
    return {p.name for p in d.iterdir() if p.is_dir()} if d.is_dir() else set()


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc)."""
    parent: dict[int, int] = {}
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                stat = (p / "stat").read_text()
                parent[int(p.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    out, todo = [], [pid]
    while todo:
        me = todo.pop()
        kids = [c for c, pp in parent.items() if pp == me]
        out += kids
        todo += kids
    return out


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def launch(d: Path, log: Path) -> subprocess.Popen:
    fh = open(log, "w")
    proc = subprocess.Popen([*SWEEP, f"hydra.sweep.dir={d}"], cwd=ROOT, stdout=fh,
                            stderr=subprocess.STDOUT, start_new_session=True)
    proc.log = fh  # type: ignore[attr-defined]
    return proc


def wait_for(proc, cond, timeout=240.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the sweep")


def kill_group(proc) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=60)
    proc.log.close()


@pytest.mark.slow
def test_kill_9_at_several_points_then_rerun_loses_and_duplicates_nothing(tmp_path):
    """One sweep folder, four interruptions, then a clean re-run:
    kill -9 of the launcher's process group (1) as the first runs start, (2) after 3 runs
    finished, (3) after 6; and (4) kill -9 of one joblib worker in the middle of a run."""
    d = tmp_path / "sweep"
    kept: dict[str, int] = {}  # finished run -> summary.json mtime: never rewritten
    points = [("group", lambda: len(started(d)) >= 1, "first runs started"),
              ("group", lambda: len(finished(d)) >= 3, "3 runs finished"),
              ("worker", lambda: len(finished(d)) >= 5, "5 runs finished, one worker killed"),
              ("group", lambda: len(finished(d)) >= 6, "6 runs finished")]
    history = []
    for n, (what, cond, label) in enumerate(points):
        before = finished(d)
        proc = launch(d, tmp_path / f"run{n}.log")
        reached = wait_for(proc, cond)
        assert reached, f"sweep ended before the kill point '{label}'"
        if what == "group":
            kill_group(proc)
            assert not (d / "results.parquet").exists() or n > 2  # killed: nothing gathered
        else:
            workers = [p for p in descendants(proc.pid) if "LokyProcess" in cmdline(p)]
            assert workers, "no joblib worker found"
            os.kill(workers[0], signal.SIGKILL)
            rc = proc.wait(timeout=240)
            proc.log.close()
            log = (tmp_path / f"run{n}.log").read_text()
            assert rc != 0 and "TerminatedWorkerError" in log
            assert "re-run the same command" in log  # the finished runs were gathered
            if _alive_group(proc.pid):  # what is left of that sweep (the other worker)
                os.killpg(proc.pid, signal.SIGKILL)
        after = finished(d)
        assert before <= after, f"finished runs lost at '{label}': {before - after}"
        for name in before:
            mtime = (d / name / "summary.json").stat().st_mtime_ns
            assert kept.setdefault(name, mtime) == mtime, f"{name} rewritten"
        history.append((label, len(after)))
    done_before = finished(d)
    assert len(done_before) < SEEDS, history
    r = subprocess.run([*SWEEP, f"hydra.sweep.dir={d}"], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.count("skip (finished)") == len(done_before)
    df = pd.read_parquet(d / "results.parquet")
    assert sorted(df["seed"]) == list(range(SEEDS)), history  # none lost
    assert df["run_dir"].is_unique and len(df) == SEEDS  # none duplicated
    assert finished(d) == started(d) and len(started(d)) == SEEDS
    for name in done_before:  # finished runs were skipped, not redone
        assert (d / name / "summary.json").stat().st_mtime_ns == kept.get(
            name, (d / name / "summary.json").stat().st_mtime_ns)
    for run_dir, days, crisis in zip(df["run_dir"], df["days"], df["ended_by_crisis"]):
        # every day of each run is there: all DAYS, or up to the day a crisis ended it
        assert len(pd.read_parquet(d / run_dir / "daily.parquet")) == days
        assert days == DAYS or (crisis and days < DAYS)
        assert not list((d / run_dir).glob(".*.tmp"))
    print("kill points (label, finished runs after):", history)


def _alive_group(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


# --------------------------------------------------------------------------- killed while saving
@pytest.fixture(scope="module")
def toy_result():
    return sim.run(sim.compose(["sea=toy", "run.days=12", "run.progress=off", "seed=4"]))


#: A child process that saves the run in OLD into FOLDER and SIGKILLs itself at the
#: DIE_AT-th file written: mid-write (half a temporary file, named for the child as
#: write_atomic names it, so the re-run can tell its writer is gone) or just after its rename.
_CHILD = """
import os, signal, sys
import sim.record.run as rec
from sim.base.atomic import temporary
old, folder, die_at, inside = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
run = rec.load(old)
count, real = [0], rec.write_atomic
def atomic(target, write, fsync=True):
    if count[0] == die_at and inside:
        fd, _ = temporary(target)  # named as write_atomic names it: this (soon dead) process
        os.write(fd, b"PAR1 half a file")
        os.kill(os.getpid(), signal.SIGKILL)
    real(target, write, fsync)
    if count[0] == die_at:
        os.kill(os.getpid(), signal.SIGKILL)
    count[0] += 1
rec.write_atomic = atomic
run.save(folder)
"""


#: (file index, mid-write?): the first and a middle table, and summary.json itself, killed
#: while being written, and after the rename of the first, a middle and the last file (the
#: last: summary.json is in place, so the run is finished).
SAVE_KILLS = [(0, True), (2, True), (len(record.FILES) - 1, True), (0, False), (2, False),
              (len(record.FILES) - 1, False)]


@pytest.mark.parametrize("die_at, inside", SAVE_KILLS,
                         ids=[f"{record.FILES[k]}-{'mid-write' if i else 'after-rename'}"
                              for k, i in SAVE_KILLS])
def test_kill_9_while_saving_leaves_an_unfinished_run_that_is_redone(toy_result, tmp_path,
                                                                     die_at, inside):
    folder = tmp_path / "run"
    old = tmp_path / "old"
    toy_result.save(old)
    shutil.copytree(old, folder)  # an earlier finished save is being redone
    child = subprocess.run([sys.executable, "-c", _CHILD, str(old), str(folder), str(die_at),
                            "1" if inside else "0"], cwd=ROOT, capture_output=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    last = die_at == len(record.FILES) - 1 and not inside  # died after summary.json's rename
    assert record.is_finished(folder) == last
    toy_result.save(folder)  # the re-run
    assert record.is_finished(folder) and not list(folder.glob(".*.tmp"))
    for name in record.TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(folder / f"{name}.parquet"),
                                      pd.read_parquet(old / f"{name}.parquet"))


# --------------------------------------------------------------------------- corrupt files
def _truncate(p: Path) -> None:
    data = p.read_bytes()
    p.write_bytes(data[: max(1, len(data) // 2)])


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _garbage(p: Path) -> None:
    p.write_bytes(b"PAR1" + os.urandom(200) + b"PAR1")


def _delete(p: Path) -> None:
    p.unlink()


def _wrong_rows(p: Path) -> None:  # a readable file that disagrees with the summary
    if p.suffix == ".parquet":
        df = pd.read_parquet(p)
        pd.concat([df, df.iloc[:1]]).to_parquet(p, index=False)
    else:
        s = json.loads(p.read_text())
        s["days"] += 1
        p.write_text(json.dumps(s))


def _nan_summary(p: Path) -> None:
    if p.suffix == ".json":
        s = json.loads(p.read_text())
        s["incidents_per_month"] = float("nan")
        p.write_text(json.dumps(s))
    else:
        _truncate(p)


CORRUPTIONS = [_truncate, _empty, _garbage, _delete, _wrong_rows, _nan_summary]


# Every file with every corruption, except a wrong row count in decisions.parquet: the summary
# holds no row count for that table, so a short but well-formed decisions table is valid.
CASES = [(name, c) for name in record.FILES for c in CORRUPTIONS
         if not (c is _wrong_rows and name == "decisions.parquet")]


@pytest.mark.parametrize("name, corrupt", CASES,
                         ids=[f"{n}-{c.__name__.strip('_')}" for n, c in CASES])
def test_a_corrupt_run_file_is_detected(toy_result, tmp_path, name, corrupt):
    folder = tmp_path / "run"
    toy_result.save(folder)
    assert record.is_finished(folder)
    corrupt(folder / name)
    assert not record.is_finished(folder)
    with pytest.raises(record.CorruptRun) as err:
        record.load(folder)
    msg = str(err.value)
    assert "\n" not in msg
    assert name in msg or (name == "summary.json" and "summary says" in msg), msg


def test_is_finished_is_cheap(toy_result, tmp_path):
    toy_result.save(tmp_path)
    t0 = time.perf_counter()
    for _ in range(50):
        assert record.is_finished(tmp_path)
    assert (time.perf_counter() - t0) / 50 < 0.05  # footers only, not the data


@pytest.mark.slow
def test_rerun_redoes_corrupt_runs_and_skips_good_ones(tmp_path):
    d = tmp_path / "s"
    args = ["-m", "sea=toy", "run.days=20", "run.progress=off", "seed=range(0,6)",
            "hydra/launcher=basic", f"hydra.sweep.dir={d}"]
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr[-3000:]
    runs = sorted(p for p in d.iterdir() if p.is_dir())
    original = {p.name: {t: pd.read_parquet(p / f"{t}.parquet") for t in record.TABLES}
                for p in runs}
    summaries = {p.name: json.loads((p / "summary.json").read_text()) for p in runs}
    damage = [(runs[0], "summary.json", _truncate), (runs[1], "incidents.parquet", _truncate),
              (runs[2], "hotspots.parquet", _empty), (runs[3], "daily.parquet", _wrong_rows)]
    for run, name, corrupt in damage:
        corrupt(run / name)
    good = (runs[4] / "summary.json").stat().st_mtime_ns
    changed = json.loads((runs[5] / "summary.json").read_text())  # made with another config
    changed["config_sha256"] = "0123456789abcdef"
    (runs[5] / "summary.json").write_text(json.dumps(changed))
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.count("skip (finished)") == 1
    assert r.stdout.count("redo (incomplete or corrupt files)") == 4
    assert r.stdout.count("redo (the config changed since it ran)") == 1
    assert (runs[4] / "summary.json").stat().st_mtime_ns == good
    for p in runs:
        assert record.is_finished(p)
        for t in record.TABLES:  # redone runs are the same runs (same config and seed)
            pd.testing.assert_frame_equal(pd.read_parquet(p / f"{t}.parquet"),
                                          original[p.name][t])
        s = json.loads((p / "summary.json").read_text())
        s.pop("wall_seconds"), summaries[p.name].pop("wall_seconds", None)
        assert s == summaries[p.name]
    df = pd.read_parquet(d / "results.parquet")
    assert sorted(df["seed"]) == list(range(6)) and df["run_dir"].is_unique
