"""Soak (reduced): memory over a long run grows only with the outputs.

``benchmarks/soak.py`` at reduced size, each in a fresh process (RSS of this test process
would include everything the suite has loaded): the toy sea, 3 sampling periods of 240
simulated days (2 years).

Bounds, per simulated year, measured from the end of the first period (caches warm):
* control run (the recorder keeps only its last 400 entries of each list, so outputs stop
  growing): RSS grows by less than 1.5 MB per year: nothing but the outputs grows;
* plain run: RSS grows by less than 2 x the recorded outputs' own growth + 2 MB per year
  (the outputs plus the allocator's overhead on them).

The full soak (10 years of the real sea, the numbers in docs/reproducibility.md) is
``python benchmarks/soak.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PERIOD_DAYS, PERIODS = 240, 3
YEARS_PER_PERIOD = PERIOD_DAYS / 365


def soak(tmp_path: Path, *extra: str) -> dict:
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "soak.py"), "--sea", "toy",
                        "--years", str(PERIODS), "--days-per-year", str(PERIOD_DAYS), "--json",
                        "--out", str(tmp_path), *extra], cwd=ROOT, capture_output=True,
                       text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert Path(res["csv"]).is_file()
    return res


def per_year(res: dict, key: str) -> float:
    return res[key] / YEARS_PER_PERIOD  # the script's "per year" is per sampling period


@pytest.mark.slow
def test_memory_without_outputs_stays_flat(tmp_path):
    res = soak(tmp_path, "--keep-days", "400")
    assert len(res["rows"]) == PERIODS + 1
    growth = per_year(res, "rss_growth_per_year_mb")
    assert growth < 1.5, res["rows"]


@pytest.mark.slow
def test_memory_grows_only_with_the_outputs(tmp_path):
    res = soak(tmp_path)
    rss = per_year(res, "rss_growth_per_year_mb")
    recorded = per_year(res, "recorded_growth_per_year_mb")
    assert recorded > 0  # the outputs do grow (the measure works)
    assert rss < 2 * recorded + 2.0, res["rows"]
    assert res["rows"][-1]["day"] == PERIODS * PERIOD_DAYS
