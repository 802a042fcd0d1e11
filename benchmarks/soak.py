"""Soak: a long run (default 10 simulated years) with memory sampled every simulated year.

The question: does memory grow beyond the outputs themselves? Every simulated year (at the
start of days 365, 730, ...) the script samples, after a garbage collection:

* ``rss_mb``: resident memory of the process (``/proc/self/statm``; ``ru_maxrss`` elsewhere);
* ``recorded_mb``: the size of everything the run's recorder holds (the tables being built:
  daily rows, hot-spot counts, incident chunks, decisions, observation histories), measured
  object by object (``sys.getsizeof`` + numpy buffers);
* with ``--tracemalloc``: Python-traced memory, split into the recorder's share and the rest.

and reports ``other_growth_mb`` = growth of RSS since year 1 minus growth of the recorded
outputs since year 1: memory that grows without being output (a leak) shows up there. At the
end the tables are built (``Recorder.finish``) and their in-memory size is reported too.

    python benchmarks/soak.py                      # the real sea, 10 years (~1 min)
    python benchmarks/soak.py --sea toy --years 3  # quick (used by tests/test_soak.py)
    python benchmarks/soak.py --json               # one JSON object on stdout

Writes ``outputs/soak/soak_<sea>_<years>y.csv`` (one row per year; ``--out`` to change).
The run ignores crises (``run.stop_at_crisis=false``) so that it lasts the full length.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MB = 1024 * 1024


def rss_bytes() -> int:
    """Resident set size now (Linux: /proc/self/statm); peak RSS where /proc is missing."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak * (1 if sys.platform == "darwin" else 1024)


def deep_size(obj, seen: set | None = None, skip: tuple = ()) -> int:
    """Bytes held by ``obj`` and everything it references (each object counted once)."""
    import numpy as np

    seen = set() if seen is None else seen
    total, todo = 0, [obj]
    while todo:
        o = todo.pop()
        if id(o) in seen or any(o is s for s in skip):
            continue
        seen.add(id(o))
        if isinstance(o, np.ndarray):
            if o.base is not None:  # a view keeps its whole base buffer alive
                total += sys.getsizeof(o)
                todo.append(o.base)
                continue
            total += sys.getsizeof(o) + o.nbytes
            if o.dtype == object:
                todo.extend(o.ravel().tolist())
            continue
        total += sys.getsizeof(o)
        if isinstance(o, dict):
            todo.extend(o.keys())
            todo.extend(o.values())
        elif isinstance(o, (list, tuple, set, frozenset)):
            todo.extend(o)
    return total


def recorded_bytes(recorder) -> int:
    """Everything the recorder accumulates (its attributes, except the model it points to)."""
    model = getattr(recorder, "m", None)
    return deep_size([v for k, v in vars(recorder).items() if v is not model],
                     skip=(model,) if model is not None else ())


def trim_recorder(recorder, keep: int) -> None:
    """Drop all but the last ``keep`` entries of every list the recorder accumulates."""
    for value in vars(recorder).values():
        if isinstance(value, list) and len(value) > keep:
            del value[:-keep]


def soak(sea: str = "scs", years: int = 10, days_per_year: int = 365, seed: int = 0,
         scenario: str = "baseline", use_tracemalloc: bool = False, progress=None,
         keep_days: int | None = None) -> dict:
    """Run ``years`` x ``days_per_year`` days step by step; sample memory every year.

    ``keep_days``: the control run. The recorder keeps only its last ``keep_days`` entries
    of each list (outputs are discarded as they age), so memory should stay flat: any growth
    left is not output (a leak)."""
    import sim
    from sim.world.model import GreyZoneModel
    from sim.params import to_params

    if use_tracemalloc:
        import tracemalloc

        tracemalloc.start()
    days = years * days_per_year
    cfg = sim.compose([f"sea={sea}", f"run.days={days}", f"seed={seed}", f"scenario={scenario}",
                       "run.progress=off", "run.stop_at_crisis=false"])
    t0 = time.perf_counter()
    model = GreyZoneModel(to_params(cfg))
    rows = []

    def sample(year: int) -> None:
        gc.collect()
        row = dict(year=year, day=model.day, wall_s=round(time.perf_counter() - t0, 2),
                   rss_mb=rss_bytes() / MB, recorded_mb=recorded_bytes(model.recorder) / MB,
                   vessels=int(model.fleet.n), incidents=int(sum(
                       len(c.get("rung", ())) for c in model.recorder.chunks)))
        if use_tracemalloc:
            snap = tracemalloc.take_snapshot()
            stats = snap.statistics("filename")
            traced = sum(s.size for s in stats)
            rec = sum(s.size for s in stats if s.traceback[0].filename.endswith("recorder.py"))
            row.update(traced_mb=traced / MB, traced_recorder_mb=rec / MB)
        rows.append(row)
        if progress:
            progress(row)

    sample(0)  # after set-up, before the first step
    steps_per_year = days_per_year * model.steps_per_day
    for step in range(days * model.steps_per_day):
        model.advance()
        if keep_days and model.hour == 0:
            trim_recorder(model.recorder, keep_days)
        if (step + 1) % steps_per_year == 0:
            sample((step + 1) // steps_per_year)
    tables_mb = float("nan")
    if not keep_days:
        run = model.recorder.finish(time.perf_counter() - t0)
        tables_mb = sum(getattr(run, t).memory_usage(deep=True).sum() for t in
                        ("incidents", "daily", "hotspots", "decisions")) / MB
    base = rows[1]  # growth is measured from the end of year 1 (caches and arenas warm)
    for r in rows:
        r["rss_growth_mb"] = r["rss_mb"] - base["rss_mb"]
        r["recorded_growth_mb"] = r["recorded_mb"] - base["recorded_mb"]
        r["other_growth_mb"] = r["rss_growth_mb"] - r["recorded_growth_mb"]
    span = max(1, rows[-1]["year"] - base["year"])
    return dict(sea=sea, years=years, days_per_year=days_per_year, seed=seed,
                incidents=rows[-1]["incidents"] if not keep_days else None,
                scenario=scenario, steps=days * model.steps_per_day,
                wall_s=round(time.perf_counter() - t0, 2), tables_mb=round(tables_mb, 3),
                rss_year1_mb=round(base["rss_mb"], 2), rss_last_mb=round(rows[-1]["rss_mb"], 2),
                rss_growth_per_year_mb=round(rows[-1]["rss_growth_mb"] / span, 3),
                recorded_growth_per_year_mb=round(rows[-1]["recorded_growth_mb"] / span, 3),
                other_growth_per_year_mb=round(rows[-1]["other_growth_mb"] / span, 3),
                keep_days=keep_days, rows=[{k: (round(v, 3) if isinstance(v, float)
                                                         else v) for k, v in r.items()}
                                                     for r in rows])


def table(res: dict) -> str:
    cols = ["year", "day", "wall_s", "rss_mb", "recorded_mb", "rss_growth_mb",
            "recorded_growth_mb", "other_growth_mb", "incidents"]
    if "traced_mb" in res["rows"][0]:
        cols += ["traced_mb", "traced_recorder_mb"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in res["rows"]:
        lines.append("| " + " | ".join(f"{r[c]:.2f}" if isinstance(r[c], float) else str(r[c])
                                       for c in cols) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python benchmarks/soak.py", description=__doc__.split(
        "\n")[0])
    ap.add_argument("--sea", choices=("scs", "toy"), default="scs")
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--days-per-year", type=int, default=365,
                    help="simulated days between samples (365; fewer for a quick check)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--tracemalloc", action="store_true",
                    help="also sample Python-traced memory (slower)")
    ap.add_argument("--keep-days", type=int, default=None,
                    help="control run: keep only the last N entries of the recorder's lists "
                         "(memory should then stay flat)")
    ap.add_argument("--out", default=str(ROOT / "outputs" / "soak"))
    ap.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    a = ap.parse_args(argv)
    if a.years < 2:
        ap.error("--years must be at least 2 (growth is measured from the end of year 1)")
    say = (lambda r: None) if a.json else (lambda r: print(
        f"year {r['year']:>2}: day {r['day']:>5}, {r['wall_s']:7.1f} s, RSS {r['rss_mb']:7.1f} MB,"
        f" recorded {r['recorded_mb']:6.2f} MB", flush=True))
    res = soak(a.sea, a.years, a.days_per_year, a.seed, a.scenario, a.tracemalloc, say,
               a.keep_days)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    csv = out / f"soak_{a.sea}_{a.years}y{'_control' if a.keep_days else ''}.csv"
    import pandas as pd

    pd.DataFrame(res["rows"]).to_csv(csv, index=False)
    res["csv"] = str(csv)
    if a.json:
        print(json.dumps(res))
    else:
        print(table(res))
        print(f"{a.sea} sea, {a.years} x {a.days_per_year} days in {res['wall_s']} s: RSS "
              f"{res['rss_year1_mb']} MB after year 1, {res['rss_last_mb']} MB after year "
              f"{a.years}; growth per year {res['rss_growth_per_year_mb']} MB, of which "
              f"recorded outputs {res['recorded_growth_per_year_mb']} MB, other "
              f"{res['other_growth_per_year_mb']} MB; final tables {res['tables_mb']} MB")
        print(f"table: {csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
