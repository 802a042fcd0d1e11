"""The report of a sweep: figures, the pathway difference table, statistics, bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT, run_cli

FIGURES = ["incident_rates", "crisis_probability", "incident_density_map", "ladder",
           "presence", "ec_minus_ss"]


def report_cli(*args):
    return subprocess.run([sys.executable, "-m", "sim.report", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def one_line_error(r):
    assert r.returncode != 0
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert "Traceback" not in r.stderr


@pytest.fixture(scope="module")
def toy_sweep(tmp_path_factory):
    """3 scenarios x 2 capacities x 2 seeds on the toy sea, the main experiment's grid cut."""
    d = tmp_path_factory.mktemp("report") / "s"
    r = run_cli("+experiment=compare_pathways_quick", "sea=toy", "run.days=15",
                "japan.capacity=0,1", "seed=0,1", f"hydra.sweep.dir={d}")
    assert r.returncode == 0, r.stderr[-3000:]
    assert len(pd.read_parquet(d / "results.parquet")) == 12
    return d


def test_report_writes_figures_and_difference_table(toy_sweep):
    r = report_cli(toy_sweep)
    assert r.returncode == 0, r.stderr
    out = toy_sweep / "report"
    assert f"report: {out}" in r.stdout
    for name in FIGURES:
        for ext in ("png", "svg"):
            f = out / f"{name}.{ext}"
            assert f.is_file() and f.stat().st_size > 5000, f
    assert (out / "incident_rates.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (out / "ladder.svg").read_bytes()[:2000]
    table = pd.read_csv(out / "ec_minus_ss.csv")
    assert {"japan.capacity", "metric", "difference", "ci95_low", "ci95_high",
            "p_value_mann_whitney", "cliffs_delta"} <= set(table.columns)
    assert len(table) == 4  # 2 capacities x 2 metrics
    assert set(table["metric"]) == {"incidents_per_month", "severe_incidents_per_month"}
    assert (table["ci95_low"] <= table["difference"]).all()
    assert (table["difference"] <= table["ci95_high"]).all()
    md = (out / "ec_minus_ss.md").read_text()
    assert "95 % CI" in md and "Mann-Whitney" in md and "Cliff" in md
    index = (out / "README.md").read_text()
    assert all(f"{n}.png" in index for n in FIGURES)
    ladder = pd.read_csv(out / "ladder.csv", index_col=0)
    assert np.allclose(ladder.sum(axis=1), 100)


def test_report_with_missing_scenarios_says_what_was_skipped(toy_sweep, tmp_path):
    copy = tmp_path / "only_baseline"
    shutil.copytree(toy_sweep, copy, ignore=shutil.ignore_patterns("report"))
    for run in copy.glob("*scenario=*"):
        if "scenario=baseline" not in run.name:
            shutil.rmtree(run)
    (copy / "results.parquet").unlink()  # the report gathers what is there
    r = report_cli(copy)
    assert r.returncode == 0, r.stderr
    assert "ec_minus_ss" in r.stderr and "enhanced_cooperation" in r.stderr
    out = copy / "report"
    assert (out / "incident_rates.png").is_file() and (out / "ladder.svg").is_file()
    assert not (out / "ec_minus_ss.csv").exists()
    assert "Skipped" in (out / "README.md").read_text()


def test_mechanisms_study_gets_its_figure(tmp_path):
    d = tmp_path / "mech"
    r = run_cli("+experiment=mechanisms", "sea=toy", "run.days=10", "scenario=baseline",
                "japan={},{radars:3},{training:1.0}", "seed=0,1", f"hydra.sweep.dir={d}")
    assert r.returncode == 0, r.stderr[-3000:]
    df = pd.read_parquet(d / "results.parquet")
    assert len(df) == 6 and {"japan.radars", "japan.training"} <= set(df.columns)
    assert df["japan.radars"].isna().sum() == 4  # set only in the radar runs
    r = report_cli(d)
    assert r.returncode == 0, r.stderr
    assert (d / "report" / "mechanisms.png").is_file()
    assert (d / "report" / "mechanisms.svg").is_file()
    table = pd.read_csv(d / "report" / "mechanisms.csv")
    assert set(table["mechanism"]) == {"radars", "training"}


def test_report_bad_input_is_one_line(toy_sweep, tmp_path):
    one_line_error(report_cli("/nonexistent/sweep"))
    empty = tmp_path / "empty"
    empty.mkdir()
    one_line_error(report_cli(empty))
    copy = tmp_path / "corrupt"
    shutil.copytree(toy_sweep, copy, ignore=shutil.ignore_patterns("report"))
    (copy / "results.parquet").write_bytes(b"PAR1 this is not parquet")
    r = report_cli(copy)
    one_line_error(r)
    assert "sim.gather" in r.stderr


def test_statistics():
    from sim.plots.stats import bootstrap_diff, mann_whitney, t_interval, wilson

    p, lo, hi = wilson(0, 10)
    assert p == 0 and lo == 0 and 0.25 < hi < 0.35  # Wilson: (0, 0.278)
    p, lo, hi = wilson(5, 10)
    assert lo == pytest.approx(0.2366, abs=1e-3) and hi == pytest.approx(0.7634, abs=1e-3)
    m, lo, hi = t_interval([1.0, 2.0, 3.0])
    assert m == 2 and lo == pytest.approx(2 - 2.4841, abs=1e-3)
    a = {s: 10.0 + s for s in range(8)}
    b = {s: 8.0 + s for s in range(8)}
    diff, lo, hi, paired, n = bootstrap_diff(a, b)
    assert paired and n == 8 and diff == lo == hi == pytest.approx(2.0)
    pval, delta = mann_whitney([5, 6, 7], [1, 2, 3])
    assert delta == 1.0 and pval < 0.2
    assert mann_whitney([1, 1], [1, 1]) == (1.0, 0.0)
