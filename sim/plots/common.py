"""What every figure shares: the sweep's data, style, captions, and saving PNG + SVG."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

#: Fixed colours and names for the three pathways (colour-blind safe, Okabe-Ito).
SCENARIOS = {
    "enhanced_cooperation": ("Enhanced Cooperation", "#D55E00", "o"),
    "strategic_stabilization": ("Strategic Stabilization", "#0072B2", "s"),
    "baseline": ("Baseline (status quo)", "#555555", "^"),
}
OTHER_COLOURS = ["#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
CAPACITY_LABEL = "Japan's programme size: japan.capacity\n(0 = no programme, 1 = full programme)"

plt.rcParams.update({
    "figure.dpi": 100, "savefig.dpi": 150, "font.size": 10, "axes.titlesize": 11,
    "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False,
    "axes.spines.right": False, "legend.frameon": False, "svg.fonttype": "path",
})


def label(scenario: str) -> str:
    return SCENARIOS.get(scenario, (scenario.replace("_", " ").capitalize(),))[0]


def style(scenario: str, order: list[str]) -> dict:
    if scenario in SCENARIOS:
        _, colour, marker = SCENARIOS[scenario]
    else:
        others = [s for s in order if s not in SCENARIOS]
        colour = OTHER_COLOURS[others.index(scenario) % len(OTHER_COLOURS)]
        marker = "D"
    return dict(color=colour, marker=marker, label=label(scenario))


@dataclass
class Sweep:
    """A sweep's results table and where its runs are."""

    root: Path
    results: pd.DataFrame
    capacity_col: str
    scenarios: list[str]
    notes: list[str] = field(default_factory=list)  # what was skipped and why

    @classmethod
    def load(cls, root: Path, results: pd.DataFrame) -> "Sweep":
        cap = "japan.capacity" if "japan.capacity" in results else "japan_capacity"
        if cap not in results:
            results = results.assign(japan_capacity=np.nan)
        present = list(dict.fromkeys(results["scenario"].astype(str)))
        order = [s for s in SCENARIOS if s in present] + sorted(
            s for s in present if s not in SCENARIOS)
        return cls(root, results, cap, order)

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


def add_caption(fig, text: str, width: int | None = None) -> None:
    """The data-source line(s) at the bottom of a figure (wrapped to the figure's width)."""
    width = width or int(fig.get_figwidth() * 17)
    lines = []
    for para in text.split("\n"):
        lines.extend(textwrap.wrap(para, width) or [""])
    fig.text(0.01, 0.005, "\n".join(lines), ha="left", va="bottom", fontsize=7,
             color="#444444")
    # room for the caption plus the axis labels above it (inches -> share of the height)
    fig.subplots_adjust(bottom=(0.75 + 0.13 * len(lines)) / fig.get_figheight())


def caption_below(fig, axes, text: str, title: str) -> None:
    """Title just above and caption just below ``axes`` (for fixed-aspect maps, where the
    axes do not fill the figure); ``save`` then crops the rest."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    h = fig.get_figheight() * fig.dpi
    boxes = [a.get_tightbbox(r) for a in axes]
    top, bottom = max(b.y1 for b in boxes) / h, min(b.y0 for b in boxes) / h
    fig.suptitle(title, y=top + 0.15 * fig.dpi / h, va="bottom", fontsize=12,
                 fontweight="bold")
    width = int(fig.get_figwidth() * 17)
    lines = []
    for para in text.split("\n"):
        lines.extend(textwrap.wrap(para, width) or [""])
    fig.text(0.01, bottom - 0.1 * fig.dpi / h, "\n".join(lines), ha="left", va="top",
             fontsize=7, color="#444444")


def save(fig, out_dir: Path, name: str) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"{name}.png", out_dir / f"{name}.svg"]
    for p in paths:
        fig.savefig(p, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return paths


def write_page(path: Path, lines: list[str], figures: list[str]) -> Path:
    """Write a generated Markdown page: its lines, then a "Figures" section that shows each
    figure (paths relative to the page)."""
    lines = lines + ["", "## Figures", ""] + [f"![{Path(f).stem}]({f})" for f in figures]
    path.write_text("\n".join(lines) + "\n")
    return path


def read_table(run_dir: Path, name: str, columns: list[str] | None = None):
    """One run's parquet table (only ``columns``), or None if missing/unreadable."""
    try:
        return pd.read_parquet(run_dir / f"{name}.parquet", columns=columns)
    except Exception:
        return None
