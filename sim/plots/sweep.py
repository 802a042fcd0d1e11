"""A sweep's data for its report: the results table, the runs' own tables, captions that say
where the numbers come from, and how each scenario is drawn."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.params.scenarios import label, ordered
from sim.plots import palette

CAPACITY_LABEL = "Japan's programme size: japan.capacity\n(0 = no programme, 1 = full programme)"


def style(scenario: str, order: list[str]) -> dict:
    """Line/bar keywords of a scenario: its colour and marker (palette), its label; a scenario
    without colours of its own takes the next of palette.OTHER_SCENARIOS."""
    if scenario in palette.SCENARIOS:
        colour, marker = palette.SCENARIOS[scenario]
    else:
        others = [s for s in order if s not in palette.SCENARIOS]
        colour = palette.OTHER_SCENARIOS[others.index(scenario) % len(palette.OTHER_SCENARIOS)]
        marker = palette.OTHER_MARKER
    return dict(color=colour, marker=marker, label=label(scenario))


@dataclass
class Sweep:
    """A sweep's results table and where its runs are."""

    root: Path
    results: pd.DataFrame
    capacity_col: str
    scenarios: list[str]  # those in the sweep, in the canonical order (sim.params.scenarios)
    notes: list[str] = field(default_factory=list)  # what was skipped and why

    @classmethod
    def load(cls, root: Path, results: pd.DataFrame) -> "Sweep":
        cap = "japan.capacity" if "japan.capacity" in results else "japan_capacity"
        if cap not in results:
            results = results.assign(japan_capacity=np.nan)
        return cls(root, results, cap, ordered(results["scenario"].astype(str)))

    @property
    def capacities(self) -> list[float]:
        return sorted(self.results[self.capacity_col].dropna().unique().tolist())

    def cell_sizes(self) -> str:
        keys = ["scenario", self.capacity_col]
        sizes = self.results.groupby(keys, dropna=False)["seed"].nunique() \
            if "seed" in self.results else self.results.groupby(keys, dropna=False).size()
        lo, hi = int(sizes.min()), int(sizes.max())
        return f"{lo} seeds per cell" if lo == hi else f"{lo}-{hi} seeds per cell"

    def version(self) -> str:
        r = self.results
        ver = ", ".join(sorted(r["package_version"].astype(str).unique())) \
            if "package_version" in r else "?"
        commits = sorted(r["git_commit"].astype(str).unique()) if "git_commit" in r else []
        commit = ", ".join(c[:8] for c in commits) or "?"
        dirty = " + local changes" if "git_dirty" in r and bool(r["git_dirty"].fillna(False)
                                                                 .astype(bool).any()) else ""
        return f"greyzone-sim {ver} (git {commit}{dirty})"

    def days(self) -> str:
        if "days" not in self.results:
            return ""
        d = sorted(self.results["days"].dropna().astype(int).unique())
        return f"{d[0]}-day runs" if len(d) == 1 else f"{d[0]}-{d[-1]}-day runs"

    def caption(self, extra: str = "", runs: int | None = None) -> str:
        n = len(self.results) if runs is None else runs
        parts = [f"Data: {self.root}", f"{n} runs", self.cell_sizes(), self.days(),
                 self.version()]
        text = " · ".join(p for p in parts if p)
        return text + (f"\n{extra}" if extra else "")

    def run_paths(self, rows: pd.DataFrame) -> list[Path]:
        return [self.root / str(p) for p in rows["run_dir"]]

    def focus_capacity(self, chosen: float | None = None) -> float | None:
        caps = self.capacities
        if not caps:
            return None
        if chosen is not None:
            return min(caps, key=lambda c: abs(c - chosen))
        return caps[-1]

    def at_capacity(self, cap: float | None) -> pd.DataFrame:
        if cap is None:
            return self.results
        return self.results[np.isclose(self.results[self.capacity_col].astype(float), cap)]


def fmt_cap(c: float) -> str:
    return f"{c:g}"


def read_table(run_dir: Path, name: str, columns: list[str] | None = None):
    """One run's parquet table (only ``columns``), or None if missing/unreadable."""
    try:
        return pd.read_parquet(run_dir / f"{name}.parquet", columns=columns)
    except Exception:
        return None
