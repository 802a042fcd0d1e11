"""Paired comparisons for the mechanism tests (``test_mechanisms.py``, ``test_japan.py``).

Two arms differ only in one lever and run on the toy sea with the same seeds: common random
numbers (ODD §4.9), so weather, fleets and start are shared and, seed by seed, the difference
``d_s = metric(lever arm, s) - metric(reference arm, s)`` is the lever's effect plus the noise
of paths that diverge once the lever acts. The tolerance, the same for every test:

- the mean of ``d_s`` lies more than ``K = 3`` standard errors (``sd(d) / sqrt(n)``) from 0 in
  the claimed direction, and
- it is at least a stated size (``at_least``, in the metric's unit), so that a mechanism
  reduced to a trace does not pass on a tiny but consistent difference.

Seeds are fixed, so a test is deterministic; the contrasts are strong (a lever at 0 against
a high value, or a mechanism switched off by its parameter), so that the measured effects,
quoted in each docstring, lie 4 to 16 standard errors out and well beyond ``at_least``, and a
harmless change of the random draws does not flip a test. Runs are cached by (overrides,
seed, days) for the session: tests that share an arm share its runs. A test that spies on
the model's internals (``monkeypatch``) uses ``cached=False``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

import sim
from sim.params import to_params

K = 3.0  # standard errors
SEEDS = (0, 1, 2, 3)


@lru_cache(maxsize=None)
def _params(overrides: tuple[str, ...], days: int):
    # Both arms run their full length even after a crisis (equal exposure: a crisis that ended
    # one arm early would compare different windows). An arm may override it.
    return to_params(sim.compose(["sea=toy", f"run.days={days}", "run.progress=off",
                                  "run.stop_at_crisis=false", *overrides]))


def fresh(overrides: Sequence[str], seed: int, days: int = 60):
    """One toy run (not cached): the config composed once per arm, the seed set on it."""
    return sim.run(dataclasses.replace(_params(tuple(overrides), days), seed=seed))


@lru_cache(maxsize=256)
def _cached(overrides: tuple[str, ...], seed: int, days: int):
    return fresh(overrides, seed, days)


def run(overrides: Sequence[str], seed: int, days: int = 60):
    """One toy run, cached for the session (tables must not be modified by the caller)."""
    return _cached(tuple(overrides), seed, days)


@dataclasses.dataclass
class Paired:
    """A metric in two arms, seed by seed."""

    what: str
    seeds: tuple[int, ...]
    ref: np.ndarray
    lever: np.ndarray

    @property
    def d(self) -> np.ndarray:
        return self.lever - self.ref

    @property
    def mean(self) -> float:
        return float(self.d.mean())

    @property
    def se(self) -> float:
        return float(self.d.std(ddof=1) / np.sqrt(self.d.size))

    def __str__(self) -> str:
        rows = ", ".join(f"seed {s}: {a:.3f} -> {b:.3f}"
                         for s, a, b in zip(self.seeds, self.ref, self.lever))
        return (f"{self.what}: mean difference {self.mean:+.4f} (se {self.se:.4f}, "
                f"{self.mean / self.se if self.se else float('inf'):+.1f} se); {rows}")

    def moves(self, sign: int, at_least: float = 0.0, k: float = K) -> "Paired":
        """Assert the paired mean moves in direction ``sign`` (+1 up, -1 down) by more than
        ``k`` standard errors and by at least ``at_least``."""
        assert np.isfinite(self.d).all(), f"undefined metric in some seed: {self}"
        effect = sign * self.mean
        assert effect > k * self.se and effect >= at_least, (
            f"expected {self.what} to move {'up' if sign > 0 else 'down'} by at least "
            f"{at_least} and {k} se; {self}")
        return self


def compare(what: str, metric: Callable, reference: Sequence[str], lever: Sequence[str],
            seeds: Sequence[int] = SEEDS, days: int = 60, common: Sequence[str] = (),
            cached: bool = True) -> Paired:
    """``metric(run)`` in the reference arm (``common + reference``) and the lever arm
    (``common + lever``), seed by seed. With ``cached=False`` each run is fresh and the metric
    is taken right after it (for metrics that read a spy's log)."""
    go = run if cached else fresh
    ref, lev = [], []
    for s in seeds:
        ref.append(metric(go([*common, *reference], s, days)))
        lev.append(metric(go([*common, *lever], s, days)))
    return Paired(what, tuple(seeds), np.asarray(ref, float), np.asarray(lev, float))
