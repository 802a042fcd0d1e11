"""How the cost of a run grows with the number of vessels and with the grid resolution.

Shorter runs than a year (``--days``, default 30) so that the sweep stays quick: the cost per
step is what matters here. Each point is the best of ``--reps`` runs in this process, timed from
the first step to the finished tables; building the model (``setup``) and the sea with its
route fields (``build``, a real build outside every cache) are timed separately.

* vessels: every fleet scaled together (``china.coast_guard``, ``china.militia``,
  ``china.fishing``, ``vietnam.*``), 500 to 16,000 hulls, real sea at 0.1°;
* resolution: ``sea.resolution`` from 0.25° to 0.05° with the default fleets.

Run: ``python benchmarks/scaling.py [--days 30] [--reps 2]``; prints a RESULT line.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from common import DEFAULT_VESSELS, emit, fleet_overrides, params, run_model

VESSELS = (500, 1000, 2000, 4000, 8000, 16000)
RESOLUTIONS = (0.25, 0.2, 0.15, 0.1, 0.075, 0.05)


def time_run(overrides, reps: int, build: bool = False) -> dict:
    from sim.engine.movement import _build_destinations
    from sim.sea import _scs, build_sea

    p = params(overrides)
    sea = build_sea(p)
    t_build = None
    if build:  # a real build of the sea and its route fields, outside every cache
        t0 = time.perf_counter()
        fresh = _scs(float(p.sea.resolution), p.sea.spratly_treatment)  # sim.sea.scs.build_scs
        _build_destinations(fresh)
        t_build = time.perf_counter() - t0
    runs = [run_model(p) for _ in range(reps)]
    best = min(runs, key=lambda r: r["cpu"])
    return dict(wall=min(r["wall"] for r in runs), cpu=best["cpu"],
                setup=min(r["setup"] for r in runs), build=t_build, vessels=best["vessels"],
                cells=int(sea.n_cells), water_cells=int(sea.water.sum()),
                incidents=int(best["summary"]["incidents"]), steps=best["steps"])


def fit(x, y) -> float:
    """Slope of log y on log x (the exponent b of y ~ x^b)."""
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--reps", type=int, default=2)
    a = ap.parse_args(argv)
    days = [f"run.days={a.days}"]
    time_run(days, 1)  # warm: kernels loaded
    by_vessels = []
    for v in VESSELS:
        r = time_run(days + fleet_overrides(v), a.reps)
        r["target"] = v
        timed = run_model(params(days + fleet_overrides(v)), timed=True)  # where the time goes
        r["phase_shares"] = {k: x / timed["wall"] for k, x in timed["phases"].items()}
        by_vessels.append(r)
        print(f"{r['vessels']:6d} vessels: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU", flush=True)
    by_res = []
    for res in RESOLUTIONS:
        r = time_run(days + [f"sea.resolution={res}"], a.reps, build=True)
        r["resolution"] = res
        by_res.append(r)
        print(f"{res:.3f}°: {r['cells']} cells, {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU, "
              f"build {r['build']:.2f} s", flush=True)
    nv = [r["vessels"] for r in by_vessels]
    nc = [r["cells"] for r in by_res]
    emit(dict(days=a.days, reps=a.reps, default_vessels=DEFAULT_VESSELS,
              by_vessels=by_vessels, by_resolution=by_res,
              exp_vessels_cpu=fit(nv, [r["cpu"] for r in by_vessels]),
              exp_vessels_wall=fit(nv, [r["wall"] for r in by_vessels]),
              exp_vessels_top_cpu=fit(nv[-3:], [r["cpu"] for r in by_vessels][-3:]),
              exp_cells_cpu=fit(nc, [r["cpu"] for r in by_res]),
              exp_cells_wall=fit(nc, [r["wall"] for r in by_res]),
              exp_cells_top_cpu=fit(nc[-3:], [r["cpu"] for r in by_res][-3:])))


if __name__ == "__main__":
    main()
