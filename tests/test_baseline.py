"""The baseline regression (tests/baseline.py): two short runs give the committed figures.

A failure lists every figure that moved, old -> new. If the change of behaviour was the point,
regenerate with ``make baseline`` and say in the commit message why the figures moved."""

from __future__ import annotations

import json
import math

import pytest

from baseline import CASES, FILE, figures

REFERENCE = json.loads(FILE.read_text())


def test_the_committed_baseline_is_for_these_cases():
    assert REFERENCE["_cases"] == CASES


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


@pytest.mark.parametrize("case", sorted(CASES))
def test_baseline_figures_unchanged(case):
    got, want = figures(CASES[case]), REFERENCE[case]
    moved = [f"{k}: {want.get(k)} -> {got.get(k)}" for k in sorted(set(got) | set(want))
             if not _same(want.get(k), got.get(k))]
    assert not moved, f"{case}: {len(moved)} figures moved (make baseline to accept):\n  " + \
        "\n  ".join(moved)
