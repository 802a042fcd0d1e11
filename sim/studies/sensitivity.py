"""Sensitivity analysis (SALib: Morris screening, then Sobol) and scenario discovery (PRIM).

``python -m sim.sensitivity [--size quick|full] [--days D] [--jobs J] [--out DIR]`` writes
``DIR/sensitivity.md`` and figures in ``DIR/img/``:

1. Morris elementary effects over the uncertain parameters below (levers included), for
   each pathway, on incidents per month, severe incidents per month and the crisis indicator;
2. Sobol first-order and total indices for the four most influential parameters (by Morris
   mu*, on severe incidents), each pathway;
3. scenario discovery: a Latin-hypercube sample over uncertainties and levers (both
   pathways), labelled by "a crisis within the run", and PRIM boxes (Friedman & Fisher 1999)
   that concentrate crises, reported in plain words.

Every run is one full model run; parameters not sampled keep their scenario's values.
"""

from __future__ import annotations

import pickle
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from sim.base.cli import OneLineParser, folder_problem, int_in, jobs
from sim.params import discovery_range, plausible_range
from sim.params.scenarios import PATHWAYS
from sim.plots.sensitivity import PATHWAY_AXIS
from sim.studies.cut_points import KNOB as CUT_SEVERE, cuts_override


def _explored(key: str, span=plausible_range) -> tuple[str, float, float, bool]:
    """(override key, low, high, integer?) from the schema's range of ``key``;
    ``encounter.cut_severe`` is the 3|4 cut of ``encounter.cuts`` (see ``overrides``)."""
    lo, hi = span("encounter.cuts" if key == "encounter.cut_severe" else key)
    return key, lo, hi, isinstance(lo, int)


#: (override key, low, high, integer?): the schema's plausible ranges (docs/parameters.md).
UNCERTAIN = [_explored(k) for k in (
    "japan.capacity",
    "encounter.engage_cg_fishing",
    "encounter.engage_militia",
    "encounter.a_roe",
    "encounter.b_force",
    "encounter.c_observed",
    "encounter.d_cbm",
    "encounter.e_training",
    "encounter.persistence",
    "encounter.miscalculation",
    "encounter.leak_initiative",  # the ceiling is intent: leaks past it (issue 14)
    "encounter.leak_militia",
    "encounter.collision_prob",
    "encounter.cut_severe",  # the 3|4 cut (calibrated 5.17, 4.2-5.6)
    "china.roe_max",  # 7 = China's rules allow the use of weapons
    "china.economic_cost",
    "china.backlash_weight",
    "china.provocation_weight",
    "china.resolve_weight",
    "china.rung_cost",
    "china.coast_guard",
    "vietnam.coast_guard",
    "vietnam.risk_aversion",
    # Issue 14 item 8: former constants in the code, now parameters with plausible ranges,
    # and uncertain parameters that had a range but were not screened (6 more: 6 r runs
    # per pathway, 60 at the full size's r = 10).
    "china.cg_proficiency",  # restraint of Chinese crews in the ladder (was 0.7 in CLASSES)
    "china.militia_proficiency",  # (was 0.5)
    "china.militia_spratly_bias",  # where the militia mass (was +-1 in china_view)
    "fishers.severity_offset",  # how much low rungs frighten fishers (was (1 + rung) / 8)
    "encounter.moratorium_boost",
    "vietnam.risk_memory_days",
    # Issue 14 items 2-4, 7: the mechanisms that decide the pathway comparison (10 more).
    "encounter.leak_weapons",  # accidental use of weapons
    "encounter.force_tonnage_exponent",  # the force balance by size
    "china.deliberate_rate",  # decisions for armed force at stand-offs
    "china.deliberate_threshold",
    "standoff.onset_prob",  # clashes that become stand-offs
    "standoff.withdraw_rate",  # Vietnamese presence making China leave
    "cooperation.cbm_accept_base",  # China's willingness to accept a regime
    "cooperation.cbm_erosion",  # violations eroding it
    "cooperation.norm_buildup_days",  # the normative cost's build-up
    "vietnam.cue_delay_hours",  # how fast a detection sends a patrol
)]
#: Uncertainties and levers for scenario discovery (crisis within the run): the schema's
#: discovery ranges, wider than the plausible ones where a crisis may lie beyond them.
DISCOVERY = [_explored(k, discovery_range) for k in (
    "japan.capacity",
    "encounter.miscalculation",
    "encounter.cut_severe",  # the 3|4 cut; rungs 5-7 keep their spacing
    "china.roe_start",  # the ceiling China starts the year with
    "china.roe_max",
    "china.roe_up",
    "china.rung_cost",
    "china.economic_cost",
    "china.backlash_weight",
    "china.resolve_weight",
    "china.provocation_weight",
    "vietnam.roe_ceiling",
)]
#: What each run is judged on; ``standoff_days`` (the days of stand-off in the run, scripted or
#: arising) shows the parameters that act only while a stand-off runs (withdrawal, the
#: decision for armed force), which the incident rates of a whole year hardly see.
OUTPUTS = ("incidents_per_month", "severe_incidents_per_month", "standoff_days", "crisis")
SIZES = {"quick": dict(morris_r=2, sobol_n=8, lhs=80, seeds=1),
         "full": dict(morris_r=10, sobol_n=64, lhs=400, seeds=1)}


def problem(params) -> dict:
    return {"num_vars": len(params), "names": [p[0] for p in params],
            "bounds": [[p[1], p[2] + (0.999 if p[3] else 0)] for p in params]}


def overrides(params, row) -> list[str]:
    out = []
    for (k, _, _, is_int), v in zip(params, row):
        if k == CUT_SEVERE:
            out.append(cuts_override(v))
        else:
            out.append(f"{k}={int(np.floor(v)) if is_int else round(float(v), 6)}")
    return out


def _one(ov: list[str]) -> tuple[float, ...]:
    """One run's OUTPUTS."""
    import sim

    s = sim.run(sim.compose(["run.progress=off", *ov])).summary
    days = s["standoffs"] * (s["standoff_days"] or 0.0)  # (mean length x count; None if none)
    return (s["incidents_per_month"], s["severe_incidents_per_month"], days,
            float(s["crises"] > 0))


def evaluate(rows, params, common: list[str], jobs: int) -> np.ndarray:
    from joblib import Parallel, delayed

    out = Parallel(n_jobs=jobs)(delayed(_one)(common + overrides(params, r)) for r in rows)
    return np.array(out, float)


# --------------------------------------------------------------------------- analyses
def morris(pathway: str, size: dict, common: list[str], jobs: int) -> dict:
    from SALib.analyze import morris as ma
    from SALib.sample import morris as ms

    prob = problem(UNCERTAIN)
    X = ms.sample(prob, size["morris_r"], num_levels=4, seed=1)
    Y = evaluate(X, UNCERTAIN, common + [f"scenario={pathway}"], jobs)
    res = {out: ma.analyze(prob, X, Y[:, k], num_levels=4, seed=1)
           for k, out in enumerate(OUTPUTS)}
    return dict(X=X, Y=Y, res=res)


def sobol(pathway: str, names: list[str], size: dict, common: list[str], jobs: int) -> dict:
    from SALib.analyze import sobol as sa
    from SALib.sample import sobol as ss

    params = [p for p in UNCERTAIN if p[0] in names]
    prob = problem(params)
    X = ss.sample(prob, size["sobol_n"], calc_second_order=False, seed=2)
    Y = evaluate(X, params, common + [f"scenario={pathway}"], jobs)
    with warnings.catch_warnings():  # constant subsets (e.g. no crisis anywhere) are expected
        warnings.simplefilter("ignore", UserWarning)
        res = {out: sa.analyze(prob, Y[:, k], calc_second_order=False, seed=2)
               for k, out in enumerate(OUTPUTS) if np.ptp(Y[:, k]) > 0}
    return dict(params=params, res=res, n=len(X))


def discovery(size: dict, common: list[str], jobs: int) -> dict:
    from scipy.stats import qmc

    k = len(DISCOVERY)
    unit = qmc.LatinHypercube(d=k + 1, seed=3).random(size["lhs"])
    lo = np.array([p[1] for p in DISCOVERY], float)
    hi = np.array([p[2] + (0.999 if p[3] else 0) for p in DISCOVERY], float)
    X = lo + unit[:, :k] * (hi - lo)
    path = np.where(unit[:, k] < 0.5, 0, 1)  # the pathway is a lever too
    from joblib import Parallel, delayed

    ov = [common + [f"scenario={PATHWAYS[p]}"] + overrides(DISCOVERY, x) for x, p in zip(X, path)]
    Y = np.array(Parallel(n_jobs=jobs)(delayed(_one)(o) for o in ov), float)
    crisis = Y[:, OUTPUTS.index("crisis")] > 0
    names = [p[0] for p in DISCOVERY] + [PATHWAY_AXIS]
    data = np.column_stack([X, path])
    return dict(X=data, names=names, crisis=crisis, boxes=prim(data, crisis, names))


def prim(X: np.ndarray, y: np.ndarray, names, alpha: float = 0.1, min_support: float = 0.1,
         boxes: int = 2) -> list[dict]:
    """Patient Rule Induction Method: peel ``alpha`` of the points off one side of one
    variable at a time, keeping the peel that raises the crisis share most, until the box
    holds ``min_support`` of the data; then report it and look for the next in the rest."""
    found, rest = [], np.ones(len(y), bool)
    for _ in range(boxes):
        inside = rest.copy()
        bounds = {j: [X[rest, j].min(), X[rest, j].max()] for j in range(X.shape[1])}
        while inside.sum() > max(3, min_support * len(y)) and y[inside].mean() < 1:
            best = None
            for j in range(X.shape[1]):
                xs = X[inside, j]
                for side, cut in (("lo", np.quantile(xs, alpha)), ("hi", np.quantile(xs, 1 - alpha))):
                    keep = inside & ((X[:, j] >= cut) if side == "lo" else (X[:, j] <= cut))
                    if keep.sum() < 3 or keep.sum() == inside.sum():
                        continue
                    gain = y[keep].mean()
                    if best is None or gain > best[0]:
                        best = (gain, j, side, cut, keep)
            if best is None or best[0] <= y[inside].mean():
                break
            _, j, side, cut, inside = best
            bounds[j][0 if side == "lo" else 1] = cut
        base = y[rest].mean()
        if inside.sum() == 0 or y[inside].mean() < min(2 * base, base + (1 - base) / 2):
            # (a box must double the base rate to be worth reporting, or, where crises are
            # common, close at least half the gap between the base rate and certainty)
            break
        lim = {j: b for j, b in bounds.items()
               if b[0] > X[rest, j].min() + 1e-9 or b[1] < X[rest, j].max() - 1e-9}
        lim = _prune(X, y, rest, lim)
        inside = rest & _in_box(X, lim)
        found.append(dict(density=float(y[inside].mean()), coverage=float(
            y[inside].sum() / max(1, y.sum())), support=float(inside.mean()),
            limits={names[j]: b for j, b in lim.items()},
            full_range={names[j]: [float(X[:, j].min()), float(X[:, j].max())] for j in lim}))
        rest &= ~inside
        if y[rest].sum() == 0:
            break
    return found


def _in_box(X: np.ndarray, lim: dict) -> np.ndarray:
    keep = np.ones(len(X), bool)
    for j, (lo, hi) in lim.items():
        keep &= (X[:, j] >= lo) & (X[:, j] <= hi)
    return keep


def _prune(X: np.ndarray, y: np.ndarray, rest: np.ndarray, lim: dict, keep: float = 0.6) -> dict:
    """Drop the box's restrictions that matter least (Bryant & Lempert 2010: a box is judged
    on coverage, density and interpretability): repeatedly remove the one whose removal costs
    the least density, while the box keeps at least ``keep`` of its density. Peeling leaves
    many slight restrictions; what remains reads as a rule, still several times the base
    rate."""
    lim = dict(lim)
    target = keep * y[rest & _in_box(X, lim)].mean()
    while len(lim) > 1:
        trials = {j: y[rest & _in_box(X, {k: b for k, b in lim.items() if k != j})].mean()
                  for j in lim}
        j = max(trials, key=trials.get)
        if trials[j] < target:
            break
        del lim[j]
    return lim


def _arguments(argv: list[str] | None):
    ap = OneLineParser(prog="python -m sim.sensitivity", description=__doc__.split("\n")[0])
    ap.add_argument("--size", choices=list(SIZES), default="quick")
    ap.add_argument("--days", type=int_in(1, 36500), default=365,
                    help="days per run of the Morris and Sobol analyses (default 365: stand-offs "
                         "arise about once a year, and a crisis needs one)")
    ap.add_argument("--discovery-days", type=int_in(1, 36500), default=365,
                    help="days per run of scenario discovery (default 365: a crisis within a "
                         "year)")
    ap.add_argument("--sea", default="scs", choices=("scs", "toy"))
    ap.add_argument("--jobs", type=jobs, default=-1)
    ap.add_argument("--out", default="docs")
    ap.add_argument("--replot", action="store_true",
                    help="redraw the report from the saved runs (DIR/sensitivity_runs.pkl)")
    ap.add_argument("--discovery-only", action="store_true",
                    help="keep the saved Morris/Sobol runs; redo scenario discovery only")
    return ap.parse_args(argv)


def _screen(pathway: str, size: dict, common: list[str], jobs: int) -> dict:
    """Morris on every uncertain parameter, then Sobol on the four with the largest effect on
    severe incidents."""
    print(f"sensitivity: Morris for {pathway} ...", file=sys.stderr)
    mo = morris(pathway, size, common, jobs)
    mu = mo["res"]["severe_incidents_per_month"]["mu_star"]
    top = [UNCERTAIN[i][0] for i in np.argsort(-np.nan_to_num(mu))[:4]]
    print(f"sensitivity: Sobol for {pathway} on {', '.join(top)} ...", file=sys.stderr)
    return dict(morris=mo, sobol=sobol(pathway, top, size, common, jobs))


def main(argv: list[str] | None = None) -> int:
    a = _arguments(argv)
    problem = folder_problem(a.out, f"--out {a.out}")  # before minutes of simulation
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    size, t0 = SIZES[a.size], time.perf_counter()
    cache = Path(a.out) / "sensitivity_runs.pkl"
    if (a.replot or a.discovery_only) and not cache.is_file():
        flag = "--replot" if a.replot else "--discovery-only"
        print(f"error: {cache} not found; run without {flag} first", file=sys.stderr)
        return 2
    if a.replot:
        results, disc = pickle.loads(cache.read_bytes())
        disc["boxes"] = prim(disc["X"], disc["crisis"], disc["names"])  # (cheap: redo it)
        print(f"sensitivity: report {_report(a, results, disc, 0.0)}")
        return 0
    common = [f"sea={a.sea}", f"run.days={a.days}", "run.start=2025-03-01"]
    results = pickle.loads(cache.read_bytes())[0] if a.discovery_only else {}
    for pw in PATHWAYS if not results else ():
        results[pw] = _screen(pw, size, common, a.jobs)
    print("sensitivity: scenario discovery ...", file=sys.stderr)
    disc = discovery(size, [f"sea={a.sea}", f"run.days={a.discovery_days}",
                            "run.start=2025-03-01"], a.jobs)
    Path(a.out).mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps((results, disc)))  # so a figure fix needs no re-run
    print(f"sensitivity: report {_report(a, results, disc, time.perf_counter() - t0)}")
    return 0


def _report(a, results: dict, disc: dict, seconds: float) -> Path:
    from sim.plots.sensitivity import write_report

    integers = {p[0] for p in DISCOVERY if p[3]}
    for box in disc.get("boxes") or []:
        box["integers"] = integers
    meta = dict(size=a.size, size_spec=SIZES[a.size], days=a.days, sea=a.sea, seconds=seconds,
                discovery_days=a.discovery_days)
    return write_report(Path(a.out), results, disc, meta)


if __name__ == "__main__":
    sys.exit(main())
