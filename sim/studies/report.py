"""``python -m sim.report SWEEP_DIR``: the figures (PNG + SVG) and tables of a sweep.

Reads ``SWEEP_DIR/results.parquet`` (built by the sweep's callback or ``python -m
sim.gather``; gathered now if absent) and the runs' parquet tables, and writes into
``SWEEP_DIR/report/``:

* ``incident_rates``        incidents and severe incidents per month against japan.capacity,
                            one line per scenario, 95 % t-interval bands across seeds
* ``crisis_probability``    share of runs with a crisis, Wilson 95 % intervals
* ``crisis_hazard``         first crises per run-year at risk, per scenario and capacity and
                            pooled, exact Poisson (Garwood) 95 % intervals (+ ``.csv``/``.md``)
* ``incident_density_map``  where incidents happen, per scenario, on the sea's coastline
* ``ladder``                share of incidents at each rung, per scenario (+ ``ladder.csv``)
* ``presence``              Chinese coast-guard presence at the hot spots, per scenario
* ``pairs``                 (``pairs.csv`` / ``.md``) every scenario against the baseline and
                            the pathways against each other, paired by seed, per capacity and
                            outcome: mean difference, paired bootstrap CI, Wilcoxon p;
                            figures ``pairs_vs_baseline`` and ``pairs_between_pathways``
* ``ec_minus_ss``           the Enhanced Cooperation − Strategic Stabilization rows of
                            ``pairs`` (+ ``.csv`` / ``.md``) and their figure (incidents)
* ``mechanisms``            for the single-mechanism study (+ ``mechanisms.csv`` / ``.md``)
* ``factorial``             for the two-level factorial over mechanisms: main effects and
                            two-way interactions (+ ``factorial.csv`` / ``.md``)
* ``README.md``             an index of all of it, with what was skipped and why

Maps, ladder and presence use one capacity (the largest in the sweep, or ``--capacity``).
Whatever the sweep cannot support (a scenario missing, a single capacity, an outcome the
model version does not write) is skipped and listed. Exit status: 0 done; 1 the results are
unreadable or a figure failed; 2 no sweep. The study sections (crisis hazard, pairs,
mechanisms, factorial) are in ``sim.studies.report_sections``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sim.params import scenarios
from sim.sweeps.gather import RESULTS, GatherError, gather


class ReportError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


#: Figures the report draws from; each must be a finite number >= 0 in every row.
METRICS = ("incidents_per_month", "severe_incidents_per_month", "incidents_per_1000_vessel_days",
           "crises", "detection_rate", "vn_fishing_access", "days", "years")


def load_results(sweep_dir: Path):
    """The sweep's results table, checked; ReportError (one line) if absent or corrupt."""
    import pandas as pd

    hint = "pass the hydra.sweep.dir of a multirun, e.g. outputs/compare_pathways_quick"
    if not sweep_dir.exists():
        raise ReportError(f"sweep folder '{sweep_dir}' does not exist; {hint}", code=2)
    if not sweep_dir.is_dir():
        raise ReportError(f"'{sweep_dir}' is not a folder; {hint}", code=2)
    path = sweep_dir / RESULTS
    if not path.exists():
        try:
            res = gather(sweep_dir)
        except GatherError as exc:
            raise ReportError(str(exc), code=exc.code) from exc
        print(f"no {RESULTS} yet: gathered {res.runs} finished runs into {res.path}",
              file=sys.stderr)
    try:
        df = pd.read_parquet(path)
    except Exception as exc:
        msg = " ".join(str(exc).split())[:160]
        raise ReportError(f"cannot read {path} ({type(exc).__name__}: {msg}); rebuild it "
                          f"with: python -m sim.gather {sweep_dir}") from exc
    problem = check_results(df)
    if problem:
        raise ReportError(f"{path} is not a valid results table: {problem}; rebuild it with: "
                          f"python -m sim.gather {sweep_dir}")
    return df


def check_results(df) -> str | None:
    """What is wrong with a results table (so the report would draw wrong numbers), or None."""
    import numpy as np
    import pandas as pd

    missing = [c for c in ("scenario", "run_dir", "incidents_per_month") if c not in df]
    if missing:
        return f"it lacks the column(s) {', '.join(missing)}"
    if df.empty:
        return "it has no rows (re-run the sweep first)"
    dup = df["run_dir"][df["run_dir"].duplicated()]
    if len(dup):
        return f"run_dir {dup.iloc[0]!r} appears {int((df['run_dir'] == dup.iloc[0]).sum())} times"
    if df["run_dir"].isna().any():
        return "run_dir is empty in some rows"
    if df["scenario"].isna().any() or (df["scenario"].astype(str).str.strip() == "").any():
        return "scenario is empty in some rows"
    for col in METRICS:
        if col not in df:
            continue
        if not pd.api.types.is_numeric_dtype(df[col]) or pd.api.types.is_bool_dtype(df[col]):
            return f"column {col} is not numeric (dtype {df[col].dtype})"
        v = df[col].to_numpy(dtype=float, na_value=np.nan)
        bad = ~np.isfinite(v) | (v < 0)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            return (f"{col}={float(v[k])!r} in run {df['run_dir'].iloc[k]!r} ({int(bad.sum())} bad "
                    f"row(s)); allowed a finite number >= 0")
    for cap in ("japan.capacity", "japan_capacity"):
        if cap in df:
            if not pd.api.types.is_numeric_dtype(df[cap]):
                return f"column {cap} is not numeric (dtype {df[cap].dtype})"
            v = df[cap].to_numpy(dtype=float, na_value=np.nan)
            bad = ~np.isnan(v) & ((v < 0) | (v > 1))
            if bad.any():
                return f"{cap}={float(v[bad][0])!r} is out of range; allowed 0 to 1"
    return None


class _Report:
    """The report being written: its files, its index entries and the figures that failed."""

    def __init__(self, sw, strict: bool):
        self.sw, self.strict = sw, strict
        self.out = sw.root / "report"
        self.out.mkdir(parents=True, exist_ok=True)
        self.files: list[Path] = []
        self.entries: list[tuple[str, str]] = []  # (title, markdown body)
        self.failed: list[str] = []

    def attempt(self, name: str, draw):
        """``draw()``, or None with the error listed (raised under strict / HYDRA_FULL_ERROR)."""
        try:
            return draw()
        except Exception as exc:
            if self.strict or os.environ.get("HYDRA_FULL_ERROR") == "1":
                raise
            self.failed.append(f"{name}: {type(exc).__name__}: {exc}")
            return None

    def figure(self, name: str, title: str, what: str, paths, more: str = "") -> None:
        """The figure's index entry (``more``: Markdown after its caption, e.g. its table)."""
        if paths:
            self.files.extend(paths)
            self.entries.append((title, f"![{title}]({name}.png)\n\n{what} "
                                        f"([SVG]({name}.svg))" + (f"\n\n{more}" if more else "")))

    def table(self, name: str, title: str, table, markdown: str | None = None, **csv) -> None:
        """``name.csv`` and, with ``markdown``, ``name.md`` (also shown in the index)."""
        table.to_csv(self.out / f"{name}.csv", **csv)
        self.files.append(self.out / f"{name}.csv")
        if markdown is not None:
            (self.out / f"{name}.md").write_text(f"# {title}\n\n" + markdown)
            self.files.append(self.out / f"{name}.md")


def build(sweep_dir, capacity: float | None = None, strict: bool = False) -> dict:
    """Write the report; return {'dir', 'files', 'skipped', 'failed'}."""
    sweep_dir = Path(sweep_dir)
    results = load_results(sweep_dir)  # checked before the plotting modules load (fast errors)

    from sim.plots import factorial, mechanisms
    from sim.plots.sweep import Sweep
    from sim.studies import report_sections as sections

    sw = Sweep.load(sweep_dir, results)
    rep = _Report(sw, strict)
    focus = sw.focus_capacity(capacity)
    _against_capacity(rep)
    sections.crisis_hazard_section(rep)
    _at_one_capacity(rep, focus)
    if factorial.applies(sw.results):
        sw.notes.append("pairs, ec_minus_ss: a factorial over mechanisms is not a pathway "
                        "comparison (see factorial instead)")
        sections.factorial_section(rep)
    elif mechanisms.applies(sw.results):
        sw.notes.append("pairs, ec_minus_ss: a single-mechanism study is not a pathway "
                        "comparison (see mechanisms instead)")
        sections.mechanisms_section(rep)
    else:
        sections.pairs_section(rep, focus)
    sw.notes += [f"scenario {s} is not in the sweep: drawn without it"
                 for s in scenarios.ORDER if s not in sw.scenarios]
    (rep.out / "README.md").write_text(_index(sw, rep.entries, rep.failed))
    rep.files.append(rep.out / "README.md")
    return {"dir": rep.out, "files": rep.files, "skipped": sw.notes, "failed": rep.failed}


def _against_capacity(rep: _Report) -> None:
    """Incident rates and crisis probability against japan.capacity (two values at least)."""
    from sim.engine.ladder import CRISIS, SEVERE
    from sim.plots import rates

    sw, out = rep.sw, rep.out
    if len(sw.capacities) < 2:
        sw.notes.append("incident_rates, crisis_probability: the sweep has "
                        f"{len(sw.capacities)} value of japan.capacity; sweep it to draw them")
        return
    rep.figure("incident_rates", "Incident rates against capacity",
               f"Mean incidents and severe incidents (rung ≥ {SEVERE}) per month against "
               "japan.capacity; bands: 95 % t-interval of the mean across seeds.",
               rep.attempt("incident_rates", lambda: rates.incident_rates(sw, out)))
    rep.figure("crisis_probability", "Crisis probability",
               f"Share of runs with at least one crisis (rung {CRISIS}); Wilson 95 % intervals.",
               rep.attempt("crisis_probability", lambda: rates.crisis_probability(sw, out)))


def _at_one_capacity(rep: _Report, focus: float | None) -> None:
    """Where incidents happen, the ladder and presence, at one capacity."""
    from sim.plots import distributions, maps
    from sim.plots.sweep import fmt_cap

    sw, out = rep.sw, rep.out
    where = f"japan.capacity = {fmt_cap(focus)}" if focus is not None else "all runs"
    rep.figure("incident_density_map", "Incident density maps",
               f"Incidents per year per grid cell, per scenario ({where}).",
               rep.attempt("incident_density_map", lambda: maps.incident_density(sw, out, focus)))
    lad = rep.attempt("ladder", lambda: distributions.ladder(sw, out, focus))
    if lad:
        rep.table("ladder", "The escalation ladder", lad[1])
        rep.figure("ladder", "The escalation ladder",
                   f"Share of incidents at each rung per scenario ({where}); table: ladder.csv.",
                   lad[0])
    rep.figure("presence", "Presence at hot spots",
               f"Share of days with a Chinese coast-guard vessel on station ({where}).",
               rep.attempt("presence", lambda: distributions.presence(sw, out, focus)))


def _index(sw, entries, failed) -> str:
    parts = [f"# Report: {sw.root}\n", sw.caption().replace("\n", "  \n") + "\n"]
    for title, body in entries:
        parts.append(f"## {title}\n\n{body}\n")
    if sw.notes or failed:
        parts.append("## Skipped\n\n" + "\n".join(f"- {n}" for n in sw.notes + failed) + "\n")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sim.report", description=(
        "Figures (PNG + SVG) and tables of a sweep into SWEEP_DIR/report/."))
    ap.add_argument("sweep_dir", help="a multirun's hydra.sweep.dir")
    ap.add_argument("--capacity", type=float, default=None,
                    help="japan.capacity for the maps, ladder and presence (default: largest)")

    def error(message: str):  # one line, not argparse's usage block
        print(f"error: {message} (usage: python -m sim.report SWEEP_DIR [--capacity C])",
              file=sys.stderr)
        sys.exit(2)

    ap.error = error
    args = ap.parse_args(argv)
    if args.capacity is not None and not 0 <= args.capacity <= 1:
        print(f"error: --capacity={args.capacity} is out of range; allowed 0 to 1",
              file=sys.stderr)
        return 2
    try:
        res = build(args.sweep_dir, capacity=args.capacity)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    for note in res["skipped"]:
        print(f"skipped: {note}", file=sys.stderr)
    for fail in res["failed"]:
        print(f"error: figure failed: {fail} (HYDRA_FULL_ERROR=1 for the traceback)",
              file=sys.stderr)
    figs = sum(1 for f in res["files"] if f.suffix == ".png")
    print(f"report: {res['dir']}/ ({figs} figures as PNG + SVG, tables as CSV/Markdown; "
          f"index: {res['dir'] / 'README.md'})")
    return 1 if res["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
