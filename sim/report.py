"""``python -m sim.report SWEEP_DIR``: the figures (PNG + SVG) and tables of a sweep.

Reads ``SWEEP_DIR/results.parquet`` (built by the sweep's callback or ``python -m
sim.gather``; gathered now if absent) and the runs' parquet tables, and writes into
``SWEEP_DIR/report/``:

* ``incident_rates``        incidents and severe incidents per month against japan.capacity,
                            one line per scenario, 95 % t-interval bands across seeds
* ``crisis_probability``    share of runs with a crisis, Wilson 95 % intervals
* ``incident_density_map``  where incidents happen, per scenario, on the sea's coastline
* ``ladder``                share of incidents at each rung, per scenario (+ ``ladder.csv``)
* ``presence``              Chinese coast-guard presence at the hot spots, per scenario
* ``ec_minus_ss``           Enhanced Cooperation minus Strategic Stabilization per capacity
                            (+ ``ec_minus_ss.csv`` / ``.md``: bootstrap CI, Mann-Whitney U
                            p-value, Cliff's delta)
* ``mechanisms``            for the single-mechanism study (+ ``mechanisms.csv`` / ``.md``)
* ``README.md``             an index of all of it, with what was skipped and why

Maps, ladder and presence use one capacity (the largest in the sweep, or ``--capacity``).
Whatever the sweep cannot support (a scenario missing, a single capacity) is skipped and
listed. Exit status: 0 done; 1 the results are unreadable or a figure failed; 2 no sweep.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .gather import RESULTS, GatherError, gather


class ReportError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def load_results(sweep_dir: Path):
    import pandas as pd

    if not sweep_dir.is_dir():
        raise ReportError(f"sweep folder '{sweep_dir}' does not exist; pass the hydra.sweep.dir "
                          f"of a multirun, e.g. outputs/compare_pathways_quick", code=2)
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
    missing = [c for c in ("scenario", "run_dir", "incidents_per_month") if c not in df]
    if missing:
        raise ReportError(f"{path} lacks the column(s) {', '.join(missing)}; rebuild it with: "
                          f"python -m sim.gather {sweep_dir}")
    if df.empty:
        raise ReportError(f"{path} has no rows; re-run the sweep, then python -m sim.gather "
                          f"{sweep_dir}")
    return df


def build(sweep_dir, capacity: float | None = None, strict: bool = False) -> dict:
    """Write the report; return {'dir', 'files', 'skipped', 'failed'}."""
    from .plots import compare, distributions, maps, mechanisms, rates
    from .plots.common import Sweep, fmt_cap

    sweep_dir = Path(sweep_dir)
    sw = Sweep.load(sweep_dir, load_results(sweep_dir))
    out = sweep_dir / "report"
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    entries: list[tuple[str, str]] = []  # (title, markdown body)
    failed: list[str] = []
    focus = sw.focus_capacity(capacity)

    def attempt(name: str, fn):
        try:
            return fn()
        except Exception as exc:
            if strict or os.environ.get("HYDRA_FULL_ERROR") == "1":
                raise
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
            return None

    def figure(name: str, title: str, what: str, paths):
        if paths:
            files.extend(paths)
            entries.append((title, f"![{title}]({name}.png)\n\n{what} "
                                   f"([SVG]({name}.svg))"))

    is_mech = mechanisms.applies(sw.results)
    if len(sw.capacities) >= 2:
        figure("incident_rates", "Incident rates against capacity",
               "Mean incidents and severe incidents (rung ≥ 4) per month against "
               "japan.capacity; bands: 95 % t-interval of the mean across seeds.",
               attempt("incident_rates", lambda: rates.incident_rates(sw, out)))
        figure("crisis_probability", "Crisis probability",
               "Share of runs with at least one crisis (rung 7); Wilson 95 % intervals.",
               attempt("crisis_probability", lambda: rates.crisis_probability(sw, out)))
    else:
        sw.notes.append("incident_rates, crisis_probability: the sweep has "
                        f"{len(sw.capacities)} value of japan.capacity; sweep it to draw them")
    where = f"japan.capacity = {fmt_cap(focus)}" if focus is not None else "all runs"
    figure("incident_density_map", "Incident density maps",
           f"Incidents per year per grid cell, per scenario ({where}).",
           attempt("incident_density_map", lambda: maps.incident_density(sw, out, focus)))
    lad = attempt("ladder", lambda: distributions.ladder(sw, out, focus))
    if lad:
        lad[1].to_csv(out / "ladder.csv")
        files.append(out / "ladder.csv")
        figure("ladder", "The escalation ladder",
               f"Share of incidents at each rung per scenario ({where}); table: ladder.csv.",
               lad[0])
    figure("presence", "Presence at hot spots",
           f"Share of days with a Chinese coast-guard vessel on station ({where}).",
           attempt("presence", lambda: distributions.presence(sw, out, focus)))
    have = set(sw.scenarios)
    if is_mech:
        sw.notes.append("ec_minus_ss: a single-mechanism study is not a pathway comparison "
                        "(see mechanisms instead)")
    elif {compare.A, compare.B} <= have:
        table = attempt("ec_minus_ss table", lambda: compare.difference_table(sw))
        if table is not None and not table.empty:
            table.to_csv(out / "ec_minus_ss.csv", index=False)
            md = compare.to_markdown(table)
            (out / "ec_minus_ss.md").write_text(
                "# Enhanced Cooperation minus Strategic Stabilization\n\n" + md)
            files += [out / "ec_minus_ss.csv", out / "ec_minus_ss.md"]
            entries.append(("Enhanced Cooperation − Strategic Stabilization", md))
            figure("ec_minus_ss", "Difference between the pathways",
                   "EC − SS per capacity with bootstrap 95 % CIs.",
                   attempt("ec_minus_ss", lambda: compare.difference_figure(sw, table, out)))
    else:
        lacking = [s for s in (compare.A, compare.B) if s not in have]
        sw.notes.append(f"ec_minus_ss table and figure: scenario(s) {', '.join(lacking)} not in "
                        "the sweep")
    if is_mech:
        mech = attempt("mechanisms", lambda: mechanisms.figure(sw, out))
        if mech:
            mech[1].to_csv(out / "mechanisms.csv", index=False)
            md = mechanisms.to_markdown(mech[1])
            (out / "mechanisms.md").write_text("# Single mechanisms\n\n" + md)
            files += [out / "mechanisms.csv", out / "mechanisms.md"]
            entries.append(("Single mechanisms: table", md))
            figure("mechanisms", "Single mechanisms",
                   "Severe incidents against the cost of each mechanism bought alone; "
                   "table: mechanisms.csv.", mech[0])
    for s in ("enhanced_cooperation", "strategic_stabilization", "baseline"):
        if s not in have:
            sw.notes.append(f"scenario {s} is not in the sweep: drawn without it")
    index = _index(sw, entries, failed)
    (out / "README.md").write_text(index)
    files.append(out / "README.md")
    return {"dir": out, "files": files, "skipped": sw.notes, "failed": failed}


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
    args = ap.parse_args(argv)
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
