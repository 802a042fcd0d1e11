"""Check that an optimisation left the model's outputs alone.

Runs seeds of ``sim.compose([])`` (plus any overrides), and for each prints a hash of the four
tables (incidents, daily, hot spots, decisions) and the summary figures that matter for the
study: incidents and severe incidents per month, mean presence at the hot spots, militia in
the Spratlys. ``--save FILE`` keeps them; ``--against FILE`` compares: identical hashes mean
identical outputs; otherwise the figures are compared with the seed-to-seed spread (an
optimisation that changes the random-number stream must stay within it).

    python benchmarks/check_outputs.py --seeds 0-4 --save /tmp/before.json
    ... change the engine ...
    python benchmarks/check_outputs.py --seeds 0-4 --against /tmp/before.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

import numpy as np

FIGURES = ("incidents_per_month", "severe_incidents_per_month", "presence_mean",
           "cn_militia_spratlys_mean")


def outputs(seed: int, overrides) -> dict:
    import pandas as pd

    import sim

    run = sim.run(sim.compose([f"seed={seed}", *overrides]), progress=False)
    h = hashlib.sha256()
    for name in ("incidents", "daily", "hotspots", "decisions"):
        h.update(pd.util.hash_pandas_object(getattr(run, name), index=False).values.tobytes())
    s = run.summary
    return dict(hash=h.hexdigest(), incidents_per_month=float(s["incidents_per_month"]),
                severe_incidents_per_month=float(s["severe_incidents_per_month"]),
                presence_mean=float(np.mean(list(s["presence_fraction"].values()))),
                cn_militia_spratlys_mean=float(s["cn_militia_spratlys_mean"]))


def seeds(text: str) -> list[int]:
    if "-" in text:
        a, b = text.split("-")
        return list(range(int(a), int(b) + 1))
    return [int(x) for x in text.split(",")]


def compare(now: dict, before: dict) -> bool:
    common = sorted(set(now) & set(before), key=int)
    same = all(now[k]["hash"] == before[k]["hash"] for k in common)
    print(f"\n{len(common)} seeds in both: " + ("outputs identical (every table, bit for bit)"
                                               if same else "outputs differ"))
    ok = True
    for f in FIGURES:
        a = np.array([before[k][f] for k in common])
        b = np.array([now[k][f] for k in common])
        spread = np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / len(common)) if len(common) > 1 else 0
        z = (b.mean() - a.mean()) / spread if spread > 0 else 0.0
        within = abs(z) < 2.5
        ok &= within or same
        print(f"  {f:28s} before {a.mean():9.3f}  now {b.mean():9.3f}  "
              f"difference {b.mean() - a.mean():+8.3f} ({z:+.1f} s.e.)")
    return same or ok


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="0-4")
    ap.add_argument("--save")
    ap.add_argument("--against")
    ap.add_argument("overrides", nargs="*")
    a = ap.parse_args(argv)
    res = {}
    for s in seeds(a.seeds):
        res[str(s)] = outputs(s, a.overrides)
        r = res[str(s)]
        print(f"seed {s}: {r['hash'][:16]}  " + "  ".join(f"{f} {r[f]:.3f}" for f in FIGURES),
              flush=True)
    if a.save:
        with open(a.save, "w") as fh:
            json.dump(res, fh, indent=1)
    if a.against:
        with open(a.against) as fh:
            before = json.load(fh)
        if not compare(res, before):
            sys.exit(1)


if __name__ == "__main__":
    main()
