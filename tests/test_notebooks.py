"""The teaching notebooks run top to bottom (nbmake, at their stored ``SIZE = "small"``) and are
stored clean: no outputs, a size switch in the first code cell, exercises and instructor notes.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BUDGET_S = 180  # each takes well under a minute on an idle 2-core machine; slack for load


def test_there_are_five_notebooks():
    assert [p.stem[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_clean(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), \
        f"{path.name} has outputs: clear them before saving"
    assert code[0].source.lstrip().startswith('SIZE = "small"'), \
        f"{path.name}: the first code cell must set SIZE = \"small\""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for part in ("**Goal", "## Exercises", "## Instructor notes"):
        assert part in text, f"{path.name} lacks {part!r}"


@pytest.mark.slow
@pytest.mark.timeout(BUDGET_S + 120)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, tmp_path):
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbmake", f"--nbmake-timeout={BUDGET_S}", "-q",
         "-p", "no:cacheprovider", "-o", "addopts=", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=BUDGET_S + 60)
    took = time.monotonic() - t0
    print(f"\n{path.name}: {took:.1f} s")
    assert proc.returncode == 0, \
        f"{path.name} failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-2000:]}"
    assert took < BUDGET_S, f"{path.name} took {took:.0f} s (budget {BUDGET_S} s)"
