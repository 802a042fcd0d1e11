"""Simulated years an hour through the real sweep command: this code beside a pinned earlier
commit of the engine, measured side by side in one run on one machine.

Each sweep is the command a study runs, ``python -m sim -m seed=range(0,N)
hydra.sweep.dir=TMP`` (default one-year runs on the real sea, the default launcher on every
core), timed from start to exit: Hydra's start, the workers' imports, the runs, their files
and the results table. Run-years an hour = N / wall hours, start-up included. The pinned
commit is checked out in a temporary git worktree and run with the same interpreter and
packages; the sweeps alternate (pinned, current, pinned, current, ...) so that both see the
machine in the same state, and the ratio of the two is the figure that does not depend on
what else the machine does. Each tree's sweep is warmed once first (its own disk caches of the
sea and route fields, numba's compiled kernels). The idiomatic-Mesa column comes from
``mesa_reference.py``'s agent-step rate (the same movement and encounter rule in Mesa
``CellAgent``s; ``benchmarks/run.py`` passes it in): a default fleet's year of it, on every core.

Run: ``python benchmarks/throughput.py [--runs 40] [--reps 2] [--commit SHA]``.
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

from common import ROOT, emit

#: The engine before the throughput work (issue 16): the model of the pathway-comparison
#: issue as it landed, with one job a run and no batching.
PINNED = "4b758d3"


def worktree(commit: str) -> Path:
    where = Path(tempfile.mkdtemp(prefix="gz-pinned-"))
    shutil.rmtree(where)
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(where),
                    commit], check=True, capture_output=True, text=True)
    return where


def remove_worktree(where: Path) -> None:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(where)],
                   capture_output=True, text=True)
    shutil.rmtree(where, ignore_errors=True)


def sweep(tree: Path, runs: int, days: int = 365) -> dict:
    """One sweep of ``runs`` default runs with the code of ``tree``: wall seconds, CPU seconds
    of the sweep and its workers, run-years an hour."""
    out = Path(tempfile.mkdtemp(prefix="gz-throughput-"))
    cmd = [sys.executable, "-m", "sim", "-m", f"seed=range(0,{runs})", f"run.days={days}",
           "run.progress=off", f"hydra.sweep.dir={out}"]
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONWARNINGS="ignore",
               NUMBA_CACHE_DIR=str(Path(tempfile.gettempdir()) / f"gz-numba-{tree.name}"))
    t0 = time.perf_counter()
    before = os.times()
    proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = os.times()
    done = len(list(out.glob("*/summary.json")))
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0 or done != runs:
        raise RuntimeError(f"sweep failed in {tree} ({' '.join(cmd)}):\n{proc.stderr[-3000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system
                                                          - before.children_system)
    years = runs * days / 365
    return dict(wall=wall, cpu=cpu, runs=runs, run_years_per_hour=years / wall * 3600,
                cpu_s_per_run_year=cpu / years)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--commit", default=PINNED)
    ap.add_argument("--mesa-agent-steps-per-s", type=float, default=None)
    a = ap.parse_args(argv)
    pinned = worktree(a.commit)
    try:
        trees = {"pinned": pinned, "current": ROOT}
        for tree in trees.values():
            sweep(tree, 2, days=2)  # warm: disk caches, numba's compiled kernels
        rows = {k: [] for k in trees}
        for rep in range(a.reps):
            for name, tree in trees.items():  # alternated: both see the machine alike
                r = sweep(tree, a.runs)
                rows[name].append(r)
                print(f"{name}: {a.runs} runs in {r['wall']:.1f} s = "
                      f"{r['run_years_per_hour']:,.0f} run-years/h", flush=True)
    finally:
        remove_worktree(pinned)
    best = {k: max(v, key=lambda r: r["run_years_per_hour"]) for k, v in rows.items()}
    # Paired by repetition: the ratio of two sweeps run one after the other.
    ratios = [c["run_years_per_hour"] / p["run_years_per_hour"]
              for p, c in zip(rows["pinned"], rows["current"])]
    res = dict(runs=a.runs, reps=a.reps, commit=a.commit, cores=os.cpu_count(), rows=rows,
               best=best, ratio=sorted(ratios)[len(ratios) // 2], ratios=ratios)
    if a.mesa_agent_steps_per_s:
        from common import DEFAULT_VESSELS

        per_core = a.mesa_agent_steps_per_s / (DEFAULT_VESSELS * 8760)  # run-years a second
        res["mesa_run_years_per_hour"] = per_core * 3600 * (os.cpu_count() or 1)
        res["mesa_ratio"] = best["current"]["run_years_per_hour"] / res["mesa_run_years_per_hour"]
    emit(res)


if __name__ == "__main__":
    main()
