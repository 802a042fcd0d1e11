"""``make bench``: run every benchmark, print the table, write docs/performance.md and
docs/img/performance.png (raw numbers: outputs/bench/results.json).

Each benchmark runs in a fresh process (start-up and memory need one; the others are isolated
from each other's caches and heap). Usage::

    python benchmarks/run.py            # everything (about 5-10 minutes on 2 cores)
    python benchmarks/run.py --quick    # fewer repetitions and shorter runs (a smoke test)
    python benchmarks/run.py --only year,mesa   # some parts; the others come from results.json
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import PHASES, ROOT, machine, read_result, versions  # noqa: E402

OUT = ROOT / "outputs" / "bench"
DOC = ROOT / "docs" / "performance.md"
IMG = ROOT / "docs" / "img" / "performance.png"
PARTS = ("startup", "year", "memory", "mesa", "scaling", "sweep", "throughput", "classroom")

TARGETS = dict(run_years_per_hour=10_000, year_s=2.0, mesa_ratio=30.0, vessel_exponent=1.1, sweep_speedup=1.8,
               memory_mb=300.0, startup_s=1.0, vessels=1500)


def bench(script: str, *args: str, env=None) -> dict:
    cmd = [sys.executable, str(HERE / script), *args]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})))
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    res = read_result(proc.stdout)
    if isinstance(res, dict):
        res["_process_wall"] = wall
    return res


def run_parts(parts, quick: bool) -> dict:
    r = {}
    if "startup" in parts:
        print("start-up (fresh processes) ...", flush=True)
        r["startup_cold"] = bench("bench_year.py", "startup", "--cold")
        warm = [bench("bench_year.py", "startup") for _ in range(2 if quick else 5)]
        r["startup_warm"] = min(warm, key=lambda t: _startup_total(t))
        seas = [bench("bench_year.py", "sea") for _ in range(2 if quick else 5)]
        r["startup_sea"] = min(seas, key=_sea_total)
    if "year" in parts:
        print("one default year ...", flush=True)
        r["year"] = bench("bench_year.py", "year", "--reps", "2" if quick else "8")
    if "memory" in parts:
        print("memory ...", flush=True)
        r["memory_rss"] = bench("bench_year.py", "memory")
        r["memory_traced"] = bench("bench_year.py", "memory", "--traced")
        r["memory_imports"] = import_rss()
    if "mesa" in parts:
        print("engine kernels against idiomatic Mesa ...", flush=True)
        r["mesa"] = bench("mesa_reference.py", "--days", "1" if quick else "3",
                          "--reps", "3" if quick else "8")
    if "scaling" in parts:
        print("scaling with vessels and resolution ...", flush=True)
        r["scaling"] = bench("scaling.py", "--days", "10" if quick else "30",
                             "--reps", "1" if quick else "3")
    if "sweep" in parts:
        print("sweep throughput on 1 and 2 cores ...", flush=True)
        args = ["--days", "30", "--runs", "4", "--reps", "1"] if quick else []
        r["sweep"] = bench("sweep_throughput.py", *args)
    if "throughput" in parts:
        print("run-years an hour through the sweep command, beside the pinned engine ...",
              flush=True)
        mesa = (r.get("mesa") or {}).get("mesa_agent_steps_per_s")
        args = ["--runs", "8", "--reps", "1"] if quick else []
        if mesa:
            args += ["--mesa-agent-steps-per-s", str(mesa)]
        r["throughput"] = bench("throughput.py", *args)
    if "classroom" in parts:  # its own page, docs/classroom.md (benchmarks/classroom_load.py)
        print("a classroom: 1, 10 and 30 students against one app ...", flush=True)
        args = ["--students", "1,3", "--steps", "3"] if quick else []
        r["classroom"] = bench("classroom_load.py", "--write", *args)
        print(r["classroom"].pop("_table", ""), flush=True)
    return r


def import_rss() -> dict:
    """Peak resident set (MB) of a fresh interpreter that imports one library (and what it
    pulls in): what each costs before the model has allocated anything."""
    out = {}
    for mod in ("sys", "numpy", "numba", "pandas", "mesa"):
        code = f"import resource, {mod}; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        out[mod] = int(proc.stdout.strip()) / 1024
    return out


def _sea_total(t: dict) -> float:
    return t["import_sim"] + t["compose"] + t["sea"]


def _startup_total(t: dict) -> float:
    return sum(t[k] for k in ("numpy", "numba", "mesa", "sim", "compose", "sea", "routes",
                              "model"))


# --------------------------------------------------------------------------- the report
def fmt(x, nd=2):
    return f"{x:,.{nd}f}"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def report(r: dict, env: dict) -> str:
    y, mem_rss, mem_tr = r["year"], r["memory_rss"], r["memory_traced"]
    mesa, sc, sw = r["mesa"], r["scaling"], r["sweep"]
    su, suc = r["startup_warm"], r["startup_cold"]
    phases = y["phases"]
    timed_total = y["timed_wall"]
    other = max(0.0, timed_total - sum(phases.values()))
    startup_s = _startup_total(su)
    ours = su["sea"] + su["routes"] + su["model"]
    libs = su["numpy"] + su["numba"] + su["mesa"]
    engine_sps = y["vessels"] * y["steps"] / y["best"]
    engine_sps_cpu = y["vessels"] * y["steps"] / y["cpu_best"]
    vexp = sc["exp_vessels_cpu"]
    tp = r.get("throughput")
    rows = [] if not tp else [
        (f"default run-years an hour through the sweep command ({tp['cores']} cores, "
         f"{tp['runs']}-run sweeps, start-up included; best of {tp['reps']})",
         f"{tp['best']['current']['run_years_per_hour']:,.0f} ({tp['ratio']:.2f}x the engine "
         f"at {tp['commit']}: {tp['best']['pinned']['run_years_per_hour']:,.0f})",
         f">= {TARGETS['run_years_per_hour']:,}",
         verdict(tp["best"]["current"]["run_years_per_hour"] >= TARGETS["run_years_per_hour"])),
    ]
    rows += [
        ("default year (1,592 vessels, 8,760 hourly steps), wall, best of "
         f"{len(y['walls'])}", f"{fmt(y['best'])} s (median {fmt(y['median'])} s)",
         f"<= {TARGETS['year_s']:.0f} s", verdict(y["best"] <= TARGETS["year_s"])),
        ("same, CPU time of the process (best)", f"{fmt(y['cpu_best'])} s", "", ""),
        ("engine kernels vs idiomatic Mesa, same rule, per agent-step",
         f"{fmt(mesa['ratio'], 0)}x ({fmt(mesa['kernel_agent_steps_per_s'] / 1e6)} M vs "
         f"{fmt(mesa['mesa_agent_steps_per_s'] / 1e3, 0)} k agent-steps/s)",
         f">= {TARGETS['mesa_ratio']:.0f}x", verdict(mesa["ratio"] >= TARGETS["mesa_ratio"])),
        ("full engine (every rule) vs idiomatic Mesa (movement and encounters only)",
         f"{fmt(engine_sps / mesa['mesa_agent_steps_per_s'], 0)}x "
         f"({fmt(engine_sps / 1e6)} M agent-steps/s)", "", ""),
        ("cost growth with vessels (500-16,000), fitted exponent (CPU)", fmt(vexp),
         f"<= {TARGETS['vessel_exponent']}", verdict(vexp <= TARGETS["vessel_exponent"])),
        ("sweep speed-up, 2 cores vs 1 (steady state; whole sweep in brackets)",
         f"{fmt(sw['steady_speedup'])}x ({fmt(sw['speedup'])}x)",
         f">= {TARGETS['sweep_speedup']}x", verdict(sw["steady_speedup"] >= TARGETS["sweep_speedup"])),
        ("peak memory of one run: traced allocations (tracemalloc)",
         f"{fmt(mem_tr['traced_peak_mb'], 0)} MB", f"<= {TARGETS['memory_mb']:.0f} MB",
         verdict(mem_tr["traced_peak_mb"] <= TARGETS["memory_mb"])),
        ("peak memory of one run: resident set of the whole process",
         f"{fmt(mem_rss['rss_peak_mb'], 0)} MB ({fmt(mem_rss['rss_after_imports_mb'], 0)} MB "
         "of it the imported libraries)", f"<= {TARGETS['memory_mb']:.0f} MB",
         verdict(mem_rss["rss_peak_mb"] <= TARGETS["memory_mb"])),
        ("start-up: `import sim` + composing the config + building the sea (disk cache warm)",
         f"{fmt(_sea_total(r['startup_sea']))} s", f"<= {TARGETS['startup_s']:.0f} s",
         verdict(_sea_total(r["startup_sea"]) <= TARGETS["startup_s"])),
        ("start-up to a model ready to step: imports (Mesa, numba) + config + sea + route "
         "fields + model", f"{fmt(startup_s)} s (building sea, routes and model: {fmt(ours)} s)",
         f"<= {TARGETS['startup_s']:.0f} s", verdict(startup_s <= TARGETS["startup_s"])),
    ]
    lines = []
    w = lines.append
    w("# Performance")
    w("")
    w("Generated by `make bench` (`benchmarks/run.py`; raw numbers in "
      "`outputs/bench/results.json`). Do not edit by hand: re-run the benchmarks.")
    w("")
    w(f"Measured {env['date']} on {env['cpu']} ({env['cores']} cores, shared with other work: "
      f"load average {env['load_before']} before and {env['load_after']} after), "
      f"Python {env['python']}, " + ", ".join(f"{k} {v}" for k, v in env["versions"].items())
      + ". Absolute times on a shared machine are noisy: wall times are the best of several "
      "repetitions, CPU times (`time.thread_time`) say what the work itself costs, and ratios "
      "are measured side by side in one process.")
    w("")
    w("![performance](img/performance.png)")
    w("")
    w("## Summary")
    w("")
    w("| measure | measured | target | |")
    w("|---|---|---|---|")
    for a, b, c, d in rows:
        w(f"| {a} | {b} | {c} | {d} |")
    w("")
    w("## One default year")
    w("")
    w(f"`sim.run(sim.compose([]))`: the real sea at 0.1° ({mesa['cells']:,} cells), hourly steps, "
      f"{y['vessels']:,} vessels (the default fleets and two Japanese-built hulls delivered during "
      f"the year), {y['summary_incidents']:,} incidents, on one core (one process, one thread: the "
      f"kernels are serial). Warm process (kernels loaded, sea built); "
      f"wall times of {len(y['walls'])} years: "
      + ", ".join(f"{x:.2f}" for x in y["walls"]) + " s; CPU times: "
      + ", ".join(f"{x:.2f}" for x in y["cpus"]) + " s.")
    w("")
    w("Share of time per phase, from year runs with timers around the phases (a benchmark "
      "subclass of `GreyZoneModel`, `benchmarks/common.py`; exclusive wall times of the fastest "
      f"of three timed years, {fmt(timed_total)} s):")
    w("")
    w("| phase | what | s | share | per step (µs) |")
    w("|---|---|---|---|---|")
    what = dict(movement="transit, loiter, arrivals, endurance checks (`sail`)",
                sensing="hot-spot presence, effort, noon census with detection (`Recorder.sense`)",
                encounters="candidate pairs, engagement, context and ladder, outcomes, fishers "
                           "(`meet`)",
                decisions="weather, State decisions, deliveries, recalls, sorties (`new_day`)",
                recording="incident tallies, daily rows, the final tables (`Recorder`)")
    for ph in PHASES:
        v = phases[ph]
        w(f"| {ph} | {what[ph]} | {fmt(v)} | {100 * v / timed_total:.0f} % | "
          f"{1e6 * v / y['steps']:.0f} |")
    w(f"| other | the loop, the clock, step bookkeeping | {fmt(other)} | "
      f"{100 * other / timed_total:.0f} % | {1e6 * other / y['steps']:.0f} |")
    w("")
    w("Memory: " f"peak of traced allocations during the year {fmt(mem_tr['traced_peak_mb'], 1)} MB "
      "(tracemalloc, with the libraries imported and the sea and route fields loaded "
      "beforehand: the model's own arrays and objects and the tables it builds); resident set "
      f"{fmt(mem_rss['rss_after_imports_mb'], 0)} MB after the imports (numpy, numba/LLVM, mesa "
      f"with pandas, pyarrow, scipy and networkx), {fmt(mem_rss['rss_after_first_day_mb'], 0)} MB "
      "after building the model and the first day (numba's JIT and the kernels), "
      f"{fmt(mem_rss['rss_peak_mb'], 0)} MB at the peak.")
    w("")
    w("### Start-up")
    w("")
    w("Fresh process, seconds (best of several; *cold*: empty disk cache, so the sea and its "
      "route fields are built):")
    w("")
    w("| step | warm cache | cold cache |")
    w("|---|---|---|")
    names = dict(numpy="import numpy", numba="import numba", mesa="import mesa (pandas, "
                 "pyarrow, scipy.spatial, networkx)", sim="import sim, sim.model (hydra, "
                 "omegaconf, shapely)", compose="compose the config", sea="build the sea",
                 routes="route fields (distance and next-hop tables)", model="build the model",
                 first_day="first simulated day (numba's JIT starts, kernels load from its cache)")
    for k, label in names.items():
        w(f"| {label} | {fmt(su[k])} | {fmt(suc[k])} |")
    w(f"| **total before the first step** | **{fmt(startup_s)}** | **{fmt(_startup_total(suc))}** |")
    w("")
    ss = r["startup_sea"]
    w(f"Without the engine (a map, a notebook looking at the sea): `import sim` {fmt(ss['import_sim'])} s, "
      f"composing the config {fmt(ss['compose'])} s, `sim.build_sea` {fmt(ss['sea'])} s: "
      f"**{fmt(_sea_total(ss))} s** (Mesa and numba are not imported on this path).")
    w("")
    w("The sea and its route fields are pure functions of committed files, so they are kept on "
      "disk (`sim.sea.disk_cached`, default `~/.cache/greyzone-sim`, `GREYZONE_CACHE=off` to "
      "turn off) under a SHA-256 of the data in `sim/sea/data`, the code that derives them "
      "(`sim/sea/grid.py`, `scs.py`/`toy.py`; `sim/movement.py`, `sim/sea/navigation.py`), the "
      "arguments and the numpy/scipy/shapely versions: any change gives a new key, and a cached "
      "result is bit-identical to a fresh build.")
    w("")
    w("## The engine against idiomatic Mesa")
    w("")
    w("The same rule on both sides (`benchmarks/mesa_reference.py`): "
      f"{mesa['vessels']:,} vessels (540 Chinese, 1,050 Vietnamese) on the real sea at 0.1°, all "
      "starting on station at a random hot spot or fishing ground; each hour a vessel picks a new "
      "destination with chance 1/168, moves one cell along the destination's route field "
      "(transit) or to a random cell of its 3×3 block that is water inside the station (on "
      "station), and counts the vessels of the other flag in its 3×3 block (encounters).")
    w("")
    w("- **Idiomatic Mesa**: `CellAgent`s on the `OrthogonalMooreGrid` from "
      "`sim.build_sea(cfg).to_mesa_grid()`, stepped with `AgentSet.shuffle_do(\"step\")`.")
    w("- **Engine kernels**: the engine's own `sim.engine.movement._move_kernel` (one hop an hour) and "
      "encounter search `sim.engine.meetings._pairs_kernel` (every vessel an actor, every opposing "
      "pair in range a candidate with its chance) on the same arrays, driven by a few numpy "
      "lines. This is the engine's per-vessel work, not the whole engine; the full engine's rate "
      "is in the summary for comparison (it does far more per agent-step: decisions, the ladder, "
      "recording).")
    w("")
    w(f"{mesa['reps']} replicates of {mesa['steps']} hourly steps, same start per replicate, in "
      "one process (kernels, Mesa, kernels again; the best kernel time per replicate).")
    w("")
    w("| | agent-steps per second (median) | µs per agent-step | encounter rate (opposing pairs "
      "in range per agent-hour), mean ± sd over replicates |")
    w("|---|---|---|---|")
    w(f"| idiomatic Mesa | {mesa['mesa_agent_steps_per_s']:,.0f} | "
      f"{1e6 / mesa['mesa_agent_steps_per_s']:.2f} | {mesa['mesa_rate_mean']:.3f} ± "
      f"{mesa['mesa_rate_sd']:.3f} |")
    w(f"| engine kernels | {mesa['kernel_agent_steps_per_s']:,.0f} | "
      f"{1e6 / mesa['kernel_agent_steps_per_s']:.3f} | {mesa['kernel_rate_mean']:.3f} ± "
      f"{mesa['kernel_rate_sd']:.3f} |")
    w(f"| full engine, default year (every rule) | {engine_sps:,.0f} (CPU: {engine_sps_cpu:,.0f}) "
      f"| {1e6 / engine_sps:.3f} | (not the same rule) |")
    w("")
    z = mesa["paired_diff_mean"] / mesa["paired_diff_se"] if mesa["paired_diff_se"] > 0 else 0
    w(f"Ratio, kernels over Mesa: **{mesa['ratio']:.0f}×**. Fairness check: Mesa minus kernels, "
      f"paired by replicate, {mesa['paired_diff_mean']:+.4f} ± {mesa['paired_diff_se']:.4f} "
      f"(standard error; {abs(z):.1f} s.e.): the two give the same encounter rate within "
      "statistical noise. The rate is high because vessels crowd the stations; both sides pay "
      "for every pair in range, Mesa in Python per agent, the kernel in compiled loops. "
      "(Mesa updates agents one after another, the kernels all movement then all encounters; "
      "vessels move independently of each other, so the expected rate is the same.)")
    w("")
    w("## How cost grows")
    w("")
    w(f"Runs of {sc['days']} days (not a year, to keep the sweep short), best of {sc['reps']}; "
      "time from the first step to the finished tables; building the model (`setup`) and "
      "building the sea with its route fields (a real build, outside the caches) apart.")
    w("")
    w("| vessels | wall s | CPU s | CPU µs per step | CPU ns per vessel-step | incidents | setup s |")
    w("|---|---|---|---|---|---|---|")
    for x in sc["by_vessels"]:
        w(f"| {x['vessels']:,} | {fmt(x['wall'])} | {fmt(x['cpu'])} | "
          f"{1e6 * x['cpu'] / x['steps']:.0f} | {1e9 * x['cpu'] / x['steps'] / x['vessels']:.0f} | "
          f"{x['incidents']:,} | {fmt(x['setup'])} |")
    w("")
    first, last = sc["by_vessels"][0], sc["by_vessels"][-1]
    shares = ""
    if "phase_shares" in last:
        enc0 = [x for x in sc["by_vessels"] if x["target"] == 2000] or [first]
        shares = (f" The encounter phase takes {100 * enc0[0]['phase_shares']['encounters']:.0f} % "
                  f"of the time at {enc0[0]['vessels']:,} vessels and "
                  f"{100 * last['phase_shares']['encounters']:.0f} % at {last['vessels']:,}: the "
                  "candidate pairs grow with the square of the local density (the rule: every "
                  "opposing pair in range may engage), which is why the exponent over the "
                  "largest fleets is higher.")
    w(f"Fitted exponent of CPU time in vessels (log-log, 500-16,000): **{sc['exp_vessels_cpu']:.2f}** "
      f"(wall: {sc['exp_vessels_wall']:.2f}; over the top three points, 4,000-16,000: "
      f"{sc['exp_vessels_top_cpu']:.2f}). Cost grows less than linearly: each step has a fixed "
      "part (Python calls, numpy's per-call cost, the daily decisions), and the per-vessel "
      f"kernels cost tens of nanoseconds per vessel (CPU per vessel-step falls from "
      f"{1e9 * first['cpu'] / first['steps'] / first['vessels']:.0f} to "
      f"{1e9 * last['cpu'] / last['steps'] / last['vessels']:.0f} ns)." + shares)
    w("")
    w("| resolution | cells | wall s | CPU s | CPU µs per step | setup s | building sea + route fields s |")
    w("|---|---|---|---|---|---|---|")
    for x in sc["by_resolution"]:
        w(f"| {x['resolution']}° | {x['cells']:,} | {fmt(x['wall'])} | {fmt(x['cpu'])} | "
          f"{1e6 * x['cpu'] / x['steps']:.0f} | {fmt(x['setup'])} | "
          f"{fmt(x['build']) if x.get('build') is not None else '-'} |")
    w("")
    w(f"Fitted exponent of CPU time in the number of cells: {sc['exp_cells_cpu']:.2f} "
      f"(over the three finest: {sc['exp_cells_top_cpu']:.2f}). The hourly work is per vessel, "
      "not per cell, so a step costs about the same at any resolution (finer cells mean more "
      "hops per hour in transit and a larger neighbourhood for the same 11-km range, but no "
      "more vessels). What grows with the cells is building: the sea and its route fields (two "
      "tables of 4 bytes × destinations × cells; built once per sea and kept on disk) and the "
      "model's per-cell layers (`setup`).")
    w("")
    if tp:
        w(throughput_section(tp))
    w("## Sweep throughput")
    w("")
    w(f"`python -m sim -m seed=range(0,{sw['runs']}) run.days={sw['days']} "
      "hydra.launcher.n_jobs=J` (the default joblib launcher; real sea), timed from the "
      f"command's start to its exit, best of {sw['reps']}; steady state: the runs after the "
      "first round (which also pays each worker's start) over the time they took, from the "
      "times the runs finished.")
    w("")
    w("| cores (n_jobs) | sweep, s | runs per minute (whole sweep) | runs per minute (steady state) |")
    w("|---|---|---|---|")
    for j in ("1", "2"):
        b = sw["by_jobs"][j]
        w(f"| {j} | {fmt(b['wall'], 1)} | {fmt(b['runs_per_min'], 1)} | "
          f"{fmt(b['steady_runs_per_min'], 1)} |")
    w("")
    cap = min(sw.get("capacity_before", 2.0), sw.get("capacity_after", 2.0))
    w(f"Calibration (`common.parallel_capacity`: one CPU-bound process alone, then two at once): "
      f"the machine gave two processes {sw.get('capacity_before', float('nan')):.2f} cores' worth "
      f"before the sweeps and {sw.get('capacity_after', float('nan')):.2f} after (2.00 = two free "
      "cores). That is the ceiling of any speed-up measured here.")
    w("")
    pr = sw.get("pair")
    if pr:
        extra = (f"two runs at once cost each other {100 * (pr['cpu_inflation'] - 1):.0f} % more "
                 "CPU (shared caches and memory bandwidth)" if pr["cpu_inflation"] > 1.03 else
                 "two runs at once cost each other no measurable extra CPU")
        w(f"Pair test (`pair_test`: {sw['days']}-day runs of the model, one process alone, then two "
          f"at once): alone {pr['wall_alone']:.2f} s wall and {pr['cpu_alone']:.2f} s CPU per "
          f"run; two at once {pr['wall_together']:.2f} s wall and {pr['cpu_together']:.2f} s "
          f"CPU per run each: the machine gave the model {pr['cores']:.2f} cores' worth, and "
          f"{extra}.")
        w("")
    b1, b2 = sw["by_jobs"]["1"], sw["by_jobs"]["2"]
    if b2.get("parent_cores") is not None:
        w(f"In the steady state one run took {60 / b1['steady_runs_per_min']:.2f} s with one job "
          f"(in the sweep's own process) and {2 * 60 / b2['steady_runs_per_min']:.2f} s per "
          f"worker with two, while the sweep's own process (joblib's dispatching and collecting, "
          f"Hydra, the progress monitor) used {100 * b2['parent_cores']:.0f} % of a core beside "
          "the two workers.")
        w("")
    ceiling = sw["pair"]["cores"] if sw.get("pair") else None
    of_ceiling = (f" ({100 * sw['steady_speedup'] / ceiling:.0f} % of the {ceiling:.2f} cores' "
                  "worth the pair test found for two model processes at the time)"
                  if ceiling else "")
    w(f"Speed-up on 2 cores: **{sw['steady_speedup']:.2f}×** in the steady state{of_ceiling}, "
      f"{sw['speedup']:.2f}× for the whole {sw['runs']}-run sweep. With one job, joblib runs "
      "the runs in the sweep's own process, which has imported most libraries already; with "
      "two, each worker process imports the libraries and loads the kernels once (a few "
      "seconds, the two at once), then reuses the sea and route fields for every run: short "
      "sweeps pay that start, long ones approach the steady state.")
    # The fixed part of each sweep (Hydra's start, workers' start, gathering the table):
    # wall time minus the runs at the steady pace; then the same two costs for a larger sweep.
    fixed = {j: sw["by_jobs"][j]["wall"] - 60 * sw["runs"] / sw["by_jobs"][j]["steady_runs_per_min"]
             for j in ("1", "2")}
    if all(f > 0 for f in fixed.values()):
        def whole(n):
            return ((fixed["1"] + 60 * n / sw["by_jobs"]["1"]["steady_runs_per_min"])
                    / (fixed["2"] + 60 * n / sw["by_jobs"]["2"]["steady_runs_per_min"]))
        w("")
        w(f"The fixed part of a sweep (wall time minus its runs at the steady pace) came to "
          f"{fixed['1']:.1f} s with one job and {fixed['2']:.1f} s with two. With these two "
          f"costs a whole sweep of {sw['days']}-day runs would reach {whole(90):.2f}× at 90 runs "
          f"(the size of `make run`) and {whole(450):.2f}× at 450 (the full study) "
          "(an extrapolation, not a measurement).")
    w("")
    w(missed_section(r, rows))
    w("## Profile of a default year")
    w("")
    w("pyinstrument (wall clock, so on a loaded machine waiting for a core shows up in whatever "
      "was running), a warm year:")
    w("")
    w("```")
    w(trim_profile(y.get("profile", "")))
    w("```")
    w("")
    return "\n".join(lines)


def throughput_section(tp: dict) -> str:
    """Run-years an hour through the sweep command, this code beside the pinned engine (and
    the idiomatic Mesa reference's rate, if measured)."""
    out = ["## Simulated years an hour", ""]
    w = out.append
    w(f"`python -m sim -m seed=range(0,{tp['runs']})` (default one-year runs on the real sea, "
      f"the default launcher on all {tp['cores']} cores), timed from start to exit: start-up, "
      "the runs, their files and `results.parquet`. The engine at the pinned commit "
      f"`{tp['commit']}` runs from a git worktree with the same interpreter; the sweeps "
      f"alternate, pinned then current, {tp['reps']} times (`benchmarks/throughput.py`).")
    w("")
    w("| code | sweep s (each repetition) | CPU s per run-year | run-years an hour (best) |")
    w("|---|---|---|---|")
    for name, label in (("pinned", f"pinned `{tp['commit']}`"), ("current", "this checkout")):
        rows, best = tp["rows"][name], tp["best"][name]
        w(f"| {label} | {', '.join(f'{x['wall']:.1f}' for x in rows)} | "
          f"{best['cpu_s_per_run_year']:.2f} | {best['run_years_per_hour']:,.0f} |")
    if tp.get("mesa_run_years_per_hour"):
        w(f"| idiomatic Mesa reference (movement and encounters only; from its agent-step rate "
          f"on {tp['cores']} cores) | | | {tp['mesa_run_years_per_hour']:,.0f} |")
    w("")
    w(f"Ratio, this checkout over the pinned engine, paired by repetition: "
      + ", ".join(f"{x:.2f}" for x in tp["ratios"]) + f" (median **{tp['ratio']:.2f}x**)"
      + (f"; over the Mesa reference **{tp['mesa_ratio']:.0f}x**" if tp.get("mesa_ratio")
         else "") + f". Target: {TARGETS['run_years_per_hour']:,} run-years an hour.")
    w("")
    return "\n".join(out)


def missed_section(r, rows) -> str:
    y, sc, sw, su = r["year"], r["scaling"], r["sweep"], r["startup_warm"]
    mem = r["memory_rss"]
    out = ["## Targets not met, and why", ""]
    any_missed = False
    tp = r.get("throughput")
    if tp and tp["best"]["current"]["run_years_per_hour"] < TARGETS["run_years_per_hour"]:
        any_missed = True
        cur = tp["best"]["current"]
        need = tp["cores"] * 3600 / TARGETS["run_years_per_hour"]
        out.append(f"- **Run-years an hour**: {cur['run_years_per_hour']:,.0f}, "
                   f"{cur['run_years_per_hour'] / TARGETS['run_years_per_hour']:.0%} of the "
                   f"target. A run-year costs {cur['cpu_s_per_run_year']:.2f} CPU s through the "
                   f"sweep; the target needs at most {need:.2f} on {tp['cores']} cores. Most of "
                   "it is the engine's hourly loop (see \"One default year\": the phases), "
                   "where per-step Python and memory-bound kernels share the time.")
    if y["best"] > TARGETS["year_s"]:
        any_missed = True
        out.append(f"- **Default year**: {y['best']:.2f} s wall, {y['best'] / TARGETS['year_s']:.2f}× "
                   f"the target; its CPU time is {y['cpu_best']:.2f} s, so the rest is waiting "
                   "for a core on this shared machine (see the load average above).")
    if r["mesa"]["ratio"] < TARGETS["mesa_ratio"]:
        any_missed = True
        out.append(f"- **Engine vs Mesa**: {r['mesa']['ratio']:.0f}×, short of "
                   f"{TARGETS['mesa_ratio']:.0f}×: with vessels crowding the stations, the "
                   "kernels' time goes to enumerating the pairs in range (about 10 ns each).")
    if sc["exp_vessels_cpu"] > TARGETS["vessel_exponent"]:
        any_missed = True
        out.append(f"- **Growth with vessels**: exponent {sc['exp_vessels_cpu']:.2f}: the "
                   "candidate pairs grow with the square of local density.")
    if sw["steady_speedup"] < TARGETS["sweep_speedup"]:
        any_missed = True
        caps = [sw.get("capacity_before", 2.0), sw.get("capacity_after", 2.0)]
        if sw.get("pair"):
            caps.append(sw["pair"]["cores"])
        b1, b2 = sw["by_jobs"]["1"], sw["by_jobs"]["2"]
        why = []
        if b2.get("parent_cores") is not None:
            why.append(f"the sweep's own process used {100 * b2['parent_cores']:.0f} % of a core "
                       "beside the two workers (joblib dispatching and collecting, Hydra, the "
                       "progress monitor: not the engine)")
        r1, r2 = 60 / b1["steady_runs_per_min"], 2 * 60 / b2["steady_runs_per_min"]
        if r2 > 1.03 * r1:
            why.append(f"a run took {r2:.2f} s in a worker against {r1:.2f} s in the sweep's own "
                       "process")
        if min(caps) < TARGETS["sweep_speedup"]:
            why.append("the machine's two cores were shared with other work (the calibrations "
                       "found " + ", ".join(f"{c:.2f}" for c in caps) + " cores' worth for two "
                       "processes at different moments)")
        out.append(f"- **Sweep speed-up**: {sw['steady_speedup']:.2f}× in the steady state "
                   f"({sw['speedup']:.2f}× for the whole {sw['runs']}-run sweep, which also "
                   f"pays the workers' start) against {TARGETS['sweep_speedup']}×, "
                   f"{100 * (1 - sw['steady_speedup'] / TARGETS['sweep_speedup']):.0f} % short. "
                   + ("What keeps it below two: " + "; ".join(why) + ". " if why else "")
                   + "The runs themselves share nothing: each worker has its own copy of the "
                   "sea, route fields and kernels, loaded once.")
    if mem["rss_peak_mb"] > TARGETS["memory_mb"]:
        any_missed = True
        imp = r.get("memory_imports", {})
        libs = (f" (a bare interpreter {imp['sys']:.0f} MB; importing numpy alone "
                f"{imp['numpy']:.0f} MB, numba alone {imp['numba']:.0f} MB, pandas alone "
                f"{imp['pandas']:.0f} MB, mesa alone {imp['mesa']:.0f} MB)" if imp else "")
        out.append(f"- **Memory, as resident set**: {mem['rss_peak_mb']:.0f} MB, "
                   f"{mem['rss_peak_mb'] / TARGETS['memory_mb'] - 1:.0%} over. Of it, "
                   f"{mem['rss_after_imports_mb']:.0f} MB is the libraries once imported" + libs
                   + f", and {mem['rss_after_first_day_mb'] - mem['rss_after_imports_mb']:.0f} MB "
                   "more comes with building the model and its first day (numba's JIT compiler "
                   "starts and loads the kernels; the route fields). The run's own allocations "
                   f"peak at {r['memory_traced']['traced_peak_mb']:.0f} MB (tracemalloc), which "
                   "meets the target; the rest is the price of the libraries.")
    startup_s = _startup_total(su)
    if _sea_total(r["startup_sea"]) > TARGETS["startup_s"]:
        any_missed = True
        out.append(f"- **Start-up to the sea**: {_sea_total(r['startup_sea']):.2f} s: importing "
                   "`sim` (Hydra and OmegaConf for the config) on a loaded machine.")
    if startup_s > TARGETS["startup_s"]:
        any_missed = True
        libs = su["numpy"] + su["numba"] + su["mesa"] + su["sim"] + su["compose"]
        out.append(f"- **Start-up to a model ready to step**: {startup_s:.2f} s, "
                   f"{startup_s - TARGETS['startup_s']:.2f} s over. Building the sea, the route fields and the model now takes "
                   f"{su['sea'] + su['routes'] + su['model']:.2f} s (disk cache; "
                   f"{r['startup_cold']['sea'] + r['startup_cold']['routes']:.2f} s to build "
                   f"them); the rest, {libs:.2f} s, is importing the libraries: Mesa alone "
                   f"{su['mesa']:.2f} s (its package imports pandas, pyarrow, scipy.spatial and "
                   f"networkx, which the model cannot avoid while `GreyZoneModel` is a "
                   f"`mesa.Model`), numba {su['numba']:.2f} s, and Hydra/OmegaConf for the "
                   f"config. numba's JIT then starts on the first step "
                   f"({su['first_day']:.2f} s for the first simulated day). A sweep pays this "
                   "once per worker, not once per run.")
    if not any_missed:
        out.append("All targets met.")
    out.append("")
    return "\n".join(out)


def trim_profile(text: str, max_lines: int = 60) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    start = next((k for k, ln in enumerate(lines) if ln.startswith("Profile at")), 0)
    body = lines[start + 1:]
    return "\n".join(body[:max_lines])


# --------------------------------------------------------------------------- the figure
def figure(r: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    y, mesa, sc, sw = r["year"], r["mesa"], r["scaling"], r["sweep"]
    fig, ax = plt.subplots(2, 2, figsize=(11, 8.2))
    # (a) phases
    a = ax[0, 0]
    ph = y["phases"]
    other = max(0.0, y["timed_wall"] - sum(ph.values()))
    names = list(PHASES) + ["other"]
    vals = [ph[p] for p in PHASES] + [other]
    a.barh(names[::-1], vals[::-1], color="#4c72b0")
    for k, v in enumerate(vals[::-1]):
        a.text(v, k, f" {v:.2f} s", va="center", fontsize=9)
    a.set_xlabel("seconds in a default year (exclusive, per phase)")
    a.set_title(f"(a) one default year: {y['best']:.2f} s wall (best), {y['cpu_best']:.2f} s CPU")
    a.set_xlim(0, max(vals) * 1.3)
    # (b) Mesa vs engine
    a = ax[0, 1]
    engine = y["vessels"] * y["steps"] / y["best"]
    labels = ["idiomatic Mesa\n(same rule)", "engine kernels\n(same rule)",
              "full engine\n(every rule)"]
    vals = [mesa["mesa_agent_steps_per_s"], mesa["kernel_agent_steps_per_s"], engine]
    a.bar(labels, vals, color=["#dd8452", "#4c72b0", "#55a868"])
    a.set_yscale("log")
    a.set_ylabel("agent-steps per second")
    for k, v in enumerate(vals):
        a.text(k, v, f"{v:,.0f}", ha="center", va="bottom", fontsize=9)
    a.set_title(f"(b) kernels {mesa['ratio']:.0f}x idiomatic Mesa; encounter rates "
                f"{mesa['mesa_rate_mean']:.2f} vs {mesa['kernel_rate_mean']:.2f}", fontsize=10)
    # (c) vessels
    a = ax[1, 0]
    v = np.array([x["vessels"] for x in sc["by_vessels"]])
    c = np.array([x["cpu"] for x in sc["by_vessels"]])
    wl = np.array([x["wall"] for x in sc["by_vessels"]])
    a.loglog(v, c, "o-", label=f"CPU (exponent {sc['exp_vessels_cpu']:.2f})")
    a.loglog(v, wl, "s--", alpha=0.6, label=f"wall (exponent {sc['exp_vessels_wall']:.2f})")
    a.loglog(v, c[0] * v / v[0], ":", color="grey", label="linear")
    a.set_xlabel("vessels")
    a.set_ylabel(f"seconds for {sc['days']} days")
    a.set_title("(c) cost against fleet size (0.1°)")
    a.legend(fontsize=8)
    # (d) resolution
    a = ax[1, 1]
    n = np.array([x["cells"] for x in sc["by_resolution"]])
    c = np.array([x["cpu"] for x in sc["by_resolution"]])
    s = np.array([x["setup"] for x in sc["by_resolution"]])
    a.loglog(n, c, "o-", label=f"steps, CPU (exponent {sc['exp_cells_cpu']:.2f})")
    a.loglog(n, s, "^--", alpha=0.7, label="building the model")
    for x in sc["by_resolution"]:
        a.annotate(f"{x['resolution']}°", (x["cells"], x["cpu"]), textcoords="offset points",
                   xytext=(3, 5), fontsize=8)
    a.set_xlabel("grid cells")
    a.set_ylabel(f"seconds for {sc['days']} days")
    a.set_title(f"(d) cost against resolution ({sc['by_resolution'][0]['vessels']:,} vessels)")
    a.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def table(r: dict) -> str:
    """The summary table for the terminal."""
    doc = report(r, r["_env"])
    out = doc[doc.index("| measure |"):]
    return out[: out.index("\n\n")]


def main(argv=None):
    from sim.base.cli import OneLineParser, fail

    ap = OneLineParser(prog="python benchmarks/run.py")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default=",".join(PARTS))
    a = ap.parse_args(argv)
    parts = [p for p in a.only.split(",") if p]
    bad = set(parts) - set(PARTS)
    if bad:
        fail(f"--only: unknown part(s) {', '.join(sorted(bad))}; choose from "
             f"{', '.join(PARTS)}")
    OUT.mkdir(parents=True, exist_ok=True)
    results_file = OUT / "results.json"
    old = json.loads(results_file.read_text()) if results_file.exists() else {}
    env = dict(machine(), versions=versions(),
               date=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
               load_before=round(os.getloadavg()[0], 2))
    r = dict(old)
    r.update(run_parts(parts, a.quick))
    env["load_after"] = round(os.getloadavg()[0], 2)
    r["_env"] = env
    results_file.write_text(json.dumps(r, indent=1))
    missing = [k for k in ("year", "memory_rss", "memory_traced", "mesa", "scaling", "sweep",
                           "startup_warm", "startup_cold", "startup_sea") if k not in r]
    if missing:
        print(f"(not writing the report: no results yet for {', '.join(missing)})")
        return
    DOC.write_text(report(r, env))
    figure(r, IMG)
    print(table(r))
    print(f"\nwritten: {DOC.relative_to(ROOT)}, {IMG.relative_to(ROOT)}, "
          f"{results_file.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
