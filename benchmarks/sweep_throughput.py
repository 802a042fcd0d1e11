"""Sweep throughput through the default launcher (Hydra's joblib launcher) on 1 and 2 cores.

Each sweep is the real command line, ``python -m sim -m seed=range(0,N) run.days=D
hydra.launcher.n_jobs=J hydra.sweep.dir=TMP``, timed from start to exit (Hydra's start, the
workers' imports, the runs, their files, and the results table the sweep callback gathers):
runs per minute of the whole sweep. The steady-state throughput comes from the times at which
the runs finished: the runs after the first round (which also pays each worker's start) over
the time they took; a long sweep approaches it.

The machine's two cores may be shared with other work: before and after, a calibration runs one
CPU-bound process alone and two at once (``common.parallel_capacity``): the cores' worth the
machine actually gives two processes, the ceiling of any 2-core speed-up at that time. A pair
test does the same with the model (``pair_test``), which also shows what two runs at once cost
each other in CPU time (shared caches and memory).

Run: ``python benchmarks/sweep_throughput.py [--days 365] [--runs 12] [--reps 3]`` (default-length
runs: the runs a study makes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, emit, parallel_capacity


PAIR = ("import sys, time, sim; cfg = sim.compose(['run.days={days}']); "
        "sim.run(cfg, progress=False); t = time.perf_counter(); c = time.process_time(); "
        "[sim.run(cfg, progress=False) for _ in range(3)]; "
        "print((time.perf_counter() - t) / 3, (time.process_time() - c) / 3)")


def pair_test(days: int) -> dict:
    """The model itself, one process alone and two at once (three runs each after a warm one;
    alone and together twice, the best of each kept):
    wall and CPU seconds per run. Two free cores give the same wall time twice over; sharing
    caches and memory shows as more CPU per run; a busy machine shows as more wall than CPU."""
    def go(n: int):
        procs = [subprocess.Popen([sys.executable, "-c", PAIR.format(days=days)], cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True) for _ in range(n)]
        out = [tuple(float(x) for x in p.communicate()[0].split()) for p in procs]
        return sum(o[0] for o in out) / n, sum(o[1] for o in out) / n

    # Alone, together, alone, together: the best of two of each, so that a moment of other
    # work on the machine does not pass for a property of the model.
    first = go(1), go(2)
    second = go(1), go(2)
    (wa, ca) = min(first[0], second[0])
    (wt, ct) = min(first[1], second[1])
    return dict(wall_alone=wa, cpu_alone=ca, wall_together=wt, cpu_together=ct,
                cores=2 * wa / wt, cpu_inflation=ct / ca)


def sweep(n_runs: int, days: int, jobs: int, extra=()) -> dict:
    """Run one sweep; return its wall time and the steady-state throughput, from the times at
    which the runs finished (each run's summary.json is its last file): the runs after the
    first round (one per worker, which also pays the worker's start) over the time they took."""
    out = Path(tempfile.mkdtemp(prefix="gz-sweep-"))
    cmd = [sys.executable, "-m", "sim", "-m", f"seed=range(0,{n_runs})", f"run.days={days}",
           f"hydra.launcher.n_jobs={jobs}", f"hydra.sweep.dir={out}", *extra]
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    samples = []  # (time, runs finished, CPU seconds of the sweep's own process)
    tick = os.sysconf("SC_CLK_TCK")
    while proc.poll() is None:
        try:
            with open(f"/proc/{proc.pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
            samples.append((time.perf_counter(), len(list(out.glob("*/summary.json"))), cpu))
        except (OSError, IndexError, ValueError):
            pass
        time.sleep(0.25)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    done = sorted(f.stat().st_mtime for f in out.glob("*/summary.json"))
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0 or len(done) != n_runs:
        raise RuntimeError(f"sweep failed ({' '.join(cmd)}):\n{stderr[-3000:]}")
    steady = 60 * (n_runs - jobs) / (done[-1] - done[jobs - 1]) if n_runs > jobs else None
    # The sweep's own process while the runs go on (with workers: dispatching, collecting,
    # the progress monitor; with one job it runs the runs itself).
    mid = [s for s in samples if jobs <= s[1] <= n_runs - jobs]
    parent = ((mid[-1][2] - mid[0][2]) / (mid[-1][0] - mid[0][0])
              if len(mid) > 1 and mid[-1][0] > mid[0][0] else None)
    return dict(jobs=jobs, runs=n_runs, wall=wall, runs_per_min=60 * n_runs / wall,
                steady_runs_per_min=steady, parent_cores=parent)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--runs", type=int, default=12)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args(argv)
    sweep(2, 1, 1)  # warm the disk caches (sea, route fields, numba) outside the timing
    capacity = [parallel_capacity()]
    pair = pair_test(a.days)
    print(f"pair test: {pair}", flush=True)
    rows = []
    for _ in range(a.reps):
        for jobs in (1, 2):  # interleaved, so that both see the machine in a similar state
            r = sweep(a.runs, a.days, jobs)
            rows.append(r)
            print(f"n_jobs={jobs}: {a.runs} runs in {r['wall']:.1f} s, steady "
                  f"{r['steady_runs_per_min']:.1f} runs/min", flush=True)
    capacity.append(parallel_capacity())
    res = {}
    for jobs in (1, 2):
        mine = [r for r in rows if r["jobs"] == jobs]
        best = max(mine, key=lambda r: r["steady_runs_per_min"])
        res[jobs] = dict(wall=min(r["wall"] for r in mine),
                         runs_per_min=max(r["runs_per_min"] for r in mine),
                         steady_runs_per_min=best["steady_runs_per_min"],
                         parent_cores=best["parent_cores"])
    emit(dict(days=a.days, runs=a.runs, reps=a.reps, rows=rows, by_jobs=res,
              capacity_before=capacity[0], capacity_after=capacity[1], pair=pair,
              speedup=res[2]["runs_per_min"] / res[1]["runs_per_min"],
              steady_speedup=res[2]["steady_runs_per_min"] / res[1]["steady_runs_per_min"]))


if __name__ == "__main__":
    main()
