"""``python -m sim.gather SWEEP_DIR``: one table of a sweep's finished runs, ``results.parquet``.

One row per finished run folder (a folder with ``.hydra/overrides.yaml`` and a complete set of
files, see ``sim.record.is_finished``). Columns, in this order:

* every override of the run, named by its key (``scenario``, ``japan.capacity``, ``seed``,
  ``sea``, ``run.days``, ``experiment`` ...), typed as Hydra parses it (numbers as numbers);
  a dictionary override such as ``japan={vessels:4}`` becomes ``japan.vessels``;
* every scalar of ``summary.json``; dictionaries are flattened with dots
  (``presence_fraction.<hotspot>``); a summary key equal to an override key is not repeated;
* ``run_dir`` (relative to the sweep folder), ``package_version``, ``git_commit`` and
  ``git_dirty``: of the code that made the run (``python -m sim`` records them in the run's
  ``summary.json``), else of the repository this code runs from (``unknown`` outside a git
  checkout), so a sweep resumed after a code change shows both versions.

The table is rebuilt from the folders each time (never appended to), so re-running a sweep or
this command cannot duplicate rows; it is written atomically and never replaced by an empty
table. Unfinished or corrupt run folders (``sim.record.check_run``) are skipped with one
warning line, which names apart those still running (claimed by a live process,
``sim.base.claims``: another launcher's, or this sweep's if gathered while it runs); if runs of the previous table are among them, that table is kept as
``results.previous.parquet`` and the warning says so.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from sim.base.atomic import write_atomic
from sim.sweeps.provenance import git_state, package_version
from sim.sweeps.runs import find_runs, overrides_parser, read_run

RESULTS = "results.parquet"
PREVIOUS = "results.previous.parquet"
META_COLUMNS = ("run_dir", "package_version", "git_commit", "git_dirty")


class GatherError(Exception):
    """A problem with the sweep folder; ``str()`` is the one line shown to the user."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


@dataclass
class Gathered:
    path: Path | None
    frame: object  # pandas.DataFrame
    runs: int
    skipped: list[str] = field(default_factory=list)
    running: list[str] = field(default_factory=list)  # of the skipped: claimed by a live process


# --------------------------------------------------------------------------- the table
def _typed(values: list):
    """A column with the narrowest sensible dtype: bool, int, float or text."""
    import pandas as pd

    present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    missing = len(present) < len(values)
    if not present:
        return pd.Series([math.nan] * len(values), dtype="float64")
    if all(isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="boolean" if missing else "bool")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="Int64" if missing else "int64")
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return pd.Series([math.nan if v is None else float(v) for v in values], dtype="float64")
    return pd.Series([None if v is None else str(v) for v in values], dtype="str")


def build_table(rows: list[dict], override_keys: list[str]):
    import pandas as pd

    columns: list[str] = []
    seen = set()
    for row in rows:  # first-seen order: overrides, then summary keys
        for key in row:
            if key not in seen and key not in META_COLUMNS:
                seen.add(key)
                columns.append(key)
    data = {c: _typed([row.get(c) for row in rows]) for c in columns}
    # Provenance: the code that made each run (recorded in its summary.json by python -m
    # sim); for runs saved without it (sim.run(...).save in a notebook), the code gathering.
    commit, dirty = git_state()
    now = {"package_version": package_version(), "git_commit": commit, "git_dirty": dirty}

    def of(row, key):
        v = row.get(key)
        return now[key] if v is None or (key != "git_dirty" and v == "") else v

    data["run_dir"] = pd.Series([row["run_dir"] for row in rows], dtype="str")
    data["package_version"] = pd.Series([of(r, "package_version") for r in rows], dtype="str")
    data["git_commit"] = pd.Series([of(r, "git_commit") for r in rows], dtype="str")
    data["git_dirty"] = pd.Series([of(r, "git_dirty") if "git_commit" in r else dirty
                                   for r in rows], dtype="boolean")
    frame = pd.DataFrame(data)
    keys = [k for k in override_keys if k in frame.columns] + ["run_dir"]
    try:
        frame = frame.sort_values(keys, na_position="last", kind="stable")
    except TypeError:
        frame = frame.sort_values("run_dir", kind="stable")
    return frame.reset_index(drop=True)


def write_table(frame, target: Path) -> None:
    write_atomic(target, lambda tmp: frame.to_parquet(tmp, index=False), fsync=False)


def _names(paths: list[str], first: int = 3) -> str:
    shown = ", ".join(paths[:first])
    return shown + (f" (and {len(paths) - first} more)" if len(paths) > first else "")


def _backup_name(sweep_dir: Path) -> Path:
    path, n = sweep_dir / PREVIOUS, 0
    while path.exists():
        n += 1
        path = sweep_dir / PREVIOUS.replace(".parquet", f".{n}.parquet")
    return path


def previous_runs(target: Path) -> list[str] | None:
    """``run_dir`` values of an existing results table; None if absent or unreadable."""
    import pyarrow.parquet as pq

    if not target.is_file():
        return None
    try:
        col = pq.read_table(target, columns=["run_dir"]).column("run_dir").to_pylist()
    except Exception:  # unreadable or not a results table: nothing good to keep
        return None
    return [str(x) for x in col]


def gather(sweep_dir, write: bool = True, warn=None) -> Gathered:
    """Rebuild ``SWEEP_DIR/results.parquet`` from the finished runs; return what was done.

    A good existing table is never silently replaced by one with fewer runs: if runs in it
    are no longer finished (a folder deleted, or damaged since), the old table is kept as
    ``results.previous.parquet`` (``results.previous.1.parquet``, ... if that exists) and the
    warning line says so."""
    sweep_dir = Path(sweep_dir)
    warn = warn or (lambda msg: print(msg, file=sys.stderr))
    hint = "pass the hydra.sweep.dir of a multirun, e.g. outputs/compare_pathways_quick"
    if not sweep_dir.exists():
        raise GatherError(f"sweep folder '{sweep_dir}' does not exist; {hint}", code=2)
    if not sweep_dir.is_dir():
        raise GatherError(f"'{sweep_dir}' is not a folder; {hint}", code=2)
    if (sweep_dir / ".hydra" / "overrides.yaml").is_file():
        raise GatherError(f"'{sweep_dir}' is the folder of a single run, not of a sweep; pass "
                          f"its parent (the hydra.sweep.dir of the multirun)", code=2)
    runs = find_runs(sweep_dir)
    if not runs:
        raise GatherError(f"no run folders in '{sweep_dir}' (none holds .hydra/overrides.yaml); "
                          f"run a sweep there first: python -m sim -m ... "
                          f"hydra.sweep.dir={sweep_dir}", code=2)
    parser = overrides_parser()
    rows, skipped, override_keys = [], [], []
    for run in runs:
        try:
            row, keys = read_run(run, sweep_dir, parser)
        except Exception:  # unfinished, corrupt or unreadable: never fatal
            skipped.append(run.relative_to(sweep_dir).as_posix())
            continue
        rows.append(row)
        override_keys.extend(k for k in keys if k not in override_keys)
    if not rows:
        raise GatherError(f"none of the {len(runs)} run folders in '{sweep_dir}' is finished; "
                          f"re-run the sweep command to complete them (finished runs are "
                          f"skipped); {RESULTS} left unchanged", code=1)
    frame = build_table(rows, override_keys)
    target = sweep_dir / RESULTS
    lost = sorted(set(previous_runs(target) or ()) - set(frame["run_dir"])) if write else []
    kept = _backup_name(sweep_dir) if lost else None
    running = _running_elsewhere(sweep_dir, skipped)
    others = [r for r in skipped if r not in running]
    if skipped or lost:
        parts = []
        if running:
            parts.append(f"{len(running)} run(s) in {sweep_dir} are still running (claimed by "
                         f"{_holders(running.values())}): {_names(list(running))}; gather "
                         f"again when they finish (python -m sim.gather {sweep_dir})")
        if others:
            parts.append(f"skipped {len(others)} unfinished or corrupt run folder(s) in "
                         f"{sweep_dir}: {_names(others)}; re-run the sweep to redo them")
        if lost:
            parts.append(f"{len(lost)} run(s) of the previous {RESULTS} are no longer "
                         f"finished ({_names(lost)}): the previous table is kept as {kept}")
        warn("warning: " + "; ".join(parts))
    if write:
        try:
            if kept is not None:
                os.replace(target, kept)
            write_table(frame, target)
        except OSError as exc:
            raise GatherError(f"cannot write {target}: {exc.strerror or exc}", code=1) from exc
    return Gathered(target if write else None, frame, len(rows), skipped, sorted(running))


def _running_elsewhere(sweep_dir: Path, skipped: list[str]) -> dict:
    """{run folder: live holder} of the skipped runs a live process has claimed."""
    from sim.base.claims import live_holder

    out = {}
    for name in skipped:
        holder = live_holder(sweep_dir / name)
        if holder is not None:
            out[name] = holder
    return out


def _holders(holders) -> str:
    from sim.base.claims import holders_label

    return holders_label(holders, 3)


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m sim.gather", description=(
        "(Re)build SWEEP_DIR/results.parquet from the sweep's finished runs."))
    ap.add_argument("sweep_dir", help="a multirun's hydra.sweep.dir")

    def error(message: str):  # one line, not argparse's usage block
        print(f"error: {message} (usage: python -m sim.gather SWEEP_DIR)",
              file=sys.stderr)
        sys.exit(2)

    ap.error = error
    args = ap.parse_args(argv)
    try:
        res = gather(args.sweep_dir)
    except GatherError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    print(f"results: {res.path} ({res.runs} runs, {res.frame.shape[1]} columns"
          + (f"; {len(res.skipped)} unfinished skipped" if res.skipped else "") + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
