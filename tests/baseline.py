"""The baseline regression: summary figures of two short runs, committed for review.

Like Starsim's ``baseline.json``: a short toy-sea run and a short real-sea run for fixed seeds,
reduced to the figures a reader can judge (incidents by rung and outcome, who initiated,
presence, detection, fishing access, fleets at sea, China's ceiling, decisions). The behaviour
digests (tests/behaviour.py) say *that* output changed; this file says *which figures* moved
and by how much, so a deliberate change of behaviour shows in review as a diff of numbers.

Regenerate after a deliberate change (say why in the commit message):

    make baseline        # or: .venv/bin/python -m tests.baseline --write
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FILE = Path(__file__).with_name("data") / "baseline.json"
CASES: dict[str, list[str]] = {
    "toy": ["sea=toy", "run.days=60", "seed=1"],
    "scs": ["run.days=60", "seed=5"],
}
DROP = ("wall_seconds",)  # the only figure that is not a function of config and seed


def _flat(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for k in sorted(value):
            _flat(f"{prefix}.{k}", value[k], out)
    elif isinstance(value, (bool, int, float)) or value is None:
        out[prefix] = value
    elif isinstance(value, str):
        out[prefix] = value


def figures(overrides: list[str]) -> dict[str, object]:
    import sim

    run = sim.run(sim.compose([*overrides, "run.progress=off"]))
    out: dict[str, object] = {}
    for k, v in run.summary.items():
        if k not in DROP:
            _flat(f"summary.{k}", v, out)
    inc, daily = run.incidents, run.daily
    for rung, n in inc["rung"].value_counts().sort_index().items():
        out[f"incidents.rung_{int(rung)}"] = int(n)
    for outcome, n in inc["outcome"].value_counts().sort_index().items():
        out[f"incidents.outcome.{outcome}"] = int(n)
    for (flag, kind), n in inc.groupby(["initiator_flag", "initiator_type"]).size().items():
        out[f"incidents.initiator.{flag}_{kind}"] = int(n)
    out["incidents.observed"] = int(inc["observed"].sum())
    for col in daily.columns:
        if col.startswith("at_sea_") or col in ("incursions", "incursions_detected",
                                                "cn_roe_ceiling", "cbm_level"):
            out[f"daily.mean.{col}"] = round(float(daily[col].mean()), 6)
    for kind, n in run.decisions["what"].value_counts().sort_index().items():
        out[f"decisions.{kind}"] = int(n)
    return out


def main(argv: list[str]) -> int:
    if argv != ["--write"]:
        print("usage: python -m tests.baseline --write  (regenerates tests/data/baseline.json)",
              file=sys.stderr)
        return 2
    FILE.parent.mkdir(exist_ok=True)
    ref = {name: figures(ov) for name, ov in CASES.items()}
    ref["_cases"] = CASES
    FILE.write_text(json.dumps(ref, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(CASES)} cases ({sum(len(ref[c]) for c in CASES)} figures) to {FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
