"""Reference digests of the model's output, held fixed across refactoring steps.

A digest is the SHA-256 of a table's column names, dtypes and values (``hash_pandas_object``),
so any change in what a run records, one vessel a day or one bit of a float, changes it.
``tests/test_behaviour.py`` compares fresh runs with ``tests/data/behaviour_digests.json``.

Regenerate (a deliberate change of behaviour, with its reason in the commit message):

    .venv/bin/python -m tests.behaviour --write
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pandas as pd

FILE = Path(__file__).with_name("data") / "behaviour_digests.json"
TABLES = ("incidents", "daily", "hotspots", "decisions")
DROP = ("wall_seconds",)  # the only figure that is not a function of config and seed

# Toy and real sea, each scenario, an inject; short enough to run in the fast suite.
CASES: dict[str, list[str]] = {
    "toy_baseline": ["sea=toy", "run.days=60", "seed=1"],
    "toy_enhanced": ["sea=toy", "run.days=60", "scenario=enhanced_cooperation",
                     "japan.capacity=1", "seed=2"],
    "toy_stabilization": ["sea=toy", "run.days=60", "scenario=strategic_stabilization",
                          "japan.capacity=1", "seed=3"],
    "scs_swarm": ["run.days=80", "+inject=whitsun_swarm", "seed=4"],
    "scs_baseline": ["run.days=60", "seed=5"],
    "scs_enhanced": ["run.days=60", "scenario=enhanced_cooperation", "japan.capacity=0.75",
                     "seed=6"],
    "scs_stabilization": ["run.days=60", "scenario=strategic_stabilization",
                          "japan.capacity=0.75", "seed=7"],
    "scs_hysy981": ["run.days=135", "+inject=hysy981", "seed=8"],
}


def table_digest(df: pd.DataFrame) -> str:
    h = hashlib.sha256()
    h.update(json.dumps([[c, str(t)] for c, t in df.dtypes.items()]).encode())
    h.update(pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes())
    return h.hexdigest()[:20]


def summary_digest(summary: dict) -> str:
    s = {k: v for k, v in summary.items() if k not in DROP}
    return hashlib.sha256(json.dumps(s, sort_keys=True, default=str).encode()).hexdigest()[:20]


def digests(overrides: list[str]) -> dict[str, str]:
    import sim

    run = sim.run(sim.compose([*overrides, "run.progress=off"]))
    out = {name: table_digest(getattr(run, name)) for name in TABLES}
    out["summary"] = summary_digest(run.summary)
    return out


def main(argv: list[str]) -> int:
    if argv != ["--write"]:
        print("usage: python -m tests.behaviour --write  (regenerates "
              f"{FILE.relative_to(Path.cwd()) if FILE.is_relative_to(Path.cwd()) else FILE})",
              file=sys.stderr)
        return 2
    FILE.parent.mkdir(exist_ok=True)
    ref = {name: digests(ov) for name, ov in CASES.items()}
    FILE.write_text(json.dumps(ref, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(ref)} cases to {FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
