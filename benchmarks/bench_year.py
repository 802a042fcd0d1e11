"""One default simulated year (``sim.compose([])``: the real sea at 0.1°, hourly steps, the
default fleets): wall time, CPU time, the share of each phase, memory, and start-up.

Modes (each run in a fresh process by ``benchmarks/run.py``):

* ``startup [--cold]``: import, compose, build the sea and its route fields, build the model,
  first step (numba's first use); ``--cold`` points the disk cache at an empty folder.
* ``sea``: ``import sim`` and building the sea only (the map's and notebooks' start).
* ``year [--reps N]``: warm years in one process (``sim.run``), then one with phase timers
  (``common.TimedModel``) and one under pyinstrument.
* ``memory [--traced]``: one year: the process's resident set size (after imports, after the
  first day, peak), or with ``--traced`` the peak of tracemalloc's traced allocations.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time

from common import emit, params, run_timed_year


def rss_mb() -> float:
    """Peak resident set size of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def startup(cold: bool) -> dict:
    if cold:
        os.environ["GREYZONE_CACHE"] = tempfile.mkdtemp(prefix="gz-cold-")
    t = {}
    t0 = time.perf_counter()
    import numpy  # noqa: F401
    t["numpy"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    import numba  # noqa: F401
    t["numba"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    import mesa  # noqa: F401  (pulls in pandas, scipy.spatial, networkx)
    t["mesa"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    import sim
    import sim.world.model
    t["sim"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    cfg = sim.compose([])
    from sim import params as pm

    p = pm.to_params(cfg)
    t["compose"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    from sim.sea import build_sea

    sea = build_sea(p)
    t["sea"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    from sim.engine.movement import destinations

    destinations(sea)
    t["routes"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    m = sim.world.model.GreyZoneModel(p)
    t["model"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(24):  # the first day: every hourly kernel and the daily ones are loaded
        m.advance()
    t["first_day"] = time.perf_counter() - t0
    return t


def sea_only() -> dict:
    """``import sim`` and ``sim.build_sea(sim.compose([]))``: what a map or notebook needs
    before it can show the sea (the engine, and with it Mesa and numba, is not imported)."""
    t = {}
    t0 = time.perf_counter()
    import sim
    t["import_sim"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    cfg = sim.compose([])
    t["compose"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sim.build_sea(cfg)
    t["sea"] = time.perf_counter() - t0
    t["mesa_imported"] = "mesa" in sys.modules
    return t


def year(reps: int) -> dict:
    import gc

    import sim

    cfg = sim.compose([])
    sim.run(cfg, progress=False)  # warm: numba kernels loaded, sea and route fields built
    walls, cpus = [], []
    for _ in range(reps):
        gc.collect()
        w0, c0 = time.perf_counter(), time.thread_time()
        run = sim.run(cfg, progress=False)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.thread_time() - c0)
    p = params([])
    timed = min((run_timed_year(p) for _ in range(3)), key=lambda r: r["wall"])
    profile = ""
    try:
        from pyinstrument import Profiler

        prof = Profiler(interval=0.0005)
        prof.start()
        sim.run(cfg, progress=False)
        prof.stop()
        profile = prof.output_text(unicode=False, color=False, show_all=False)
    except ImportError:
        pass
    return dict(walls=walls, cpus=cpus, best=min(walls), median=statistics.median(walls),
                cpu_best=min(cpus), vessels=int(run.summary["vessels"]),
                steps=p.run.days * 24, summary_incidents=int(run.summary["incidents"]),
                phases=timed["phases"], timed_wall=timed["wall"],
                timed_cpu=timed["cpu"], profile=profile)


def memory(traced: bool) -> dict:
    """Peak memory of one default year. Without ``traced``: resident set size of this fresh
    process after the imports, after building the model and one day (numba's JIT and the
    kernels loaded), and at its peak after the year. With ``traced``: the peak of tracemalloc's
    traced allocations during the year (its arrays and Python objects; the libraries are
    imported and the kernels loaded beforehand)."""
    import sim
    import sim.world.model  # noqa: F401  (mesa, numba, pandas: the libraries)
    from sim import params as pm

    cfg = sim.compose([])
    p = pm.to_params(cfg)
    out = dict(rss_after_imports_mb=current_rss_mb())
    if traced:
        import tracemalloc

        sim.run(sim.compose(["run.days=1"]), progress=False)  # load the kernels
        tracemalloc.start()
        sim.run(p, progress=False)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return dict(out, traced_peak_mb=peak / 2**20)
    m = sim.world.model.GreyZoneModel(p)
    for _ in range(24):
        m.advance()
    out["rss_after_first_day_mb"] = current_rss_mb()
    for _ in range(364 * 24):
        m.advance()
    m.recorder.finish(0.0)
    out["rss_peak_mb"] = rss_mb()
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("startup", "sea", "year", "memory"))
    ap.add_argument("--cold", action="store_true")
    ap.add_argument("--traced", action="store_true")
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args(argv)
    if a.mode == "startup":
        emit(startup(a.cold))
    elif a.mode == "sea":
        emit(sea_only())
    elif a.mode == "year":
        emit(year(a.reps))
    else:
        emit(memory(a.traced))


if __name__ == "__main__":
    sys.exit(main())
