"""The figure kit: how the project's figures are made, styled, captioned and saved.

Figures are matplotlib ``Figure`` objects on their own Agg canvas (no pyplot): drawing never
touches a global list of figures, needs a display or switches a notebook's backend. The
report's look is applied by ``styled`` while a figure is drawn, in a ``rc_context``, so that
importing or using the kit changes none of matplotlib's global settings.
"""

from __future__ import annotations

import functools
import io
import textwrap
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

#: The report's look (the study's figures: report, validation, sensitivity).
STYLE = {
    "figure.dpi": 100, "savefig.dpi": 150, "font.size": 10, "axes.titlesize": 11,
    "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False,
    "axes.spines.right": False, "legend.frameon": False, "svg.fonttype": "path",
}
CAPTION_COLOUR = "#444444"


def styled(draw):
    """Decorate a function that draws (and saves) figures: it runs in the report's style.
    Settings are read as artists are made and when a figure is saved, so the whole drawing
    runs inside the style, and matplotlib's settings are restored afterwards."""
    @functools.wraps(draw)
    def in_style(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)
    return in_style


def figure(**kwargs) -> Figure:
    """A new figure on its own Agg canvas (``Figure``'s keywords: figsize, dpi, ...)."""
    fig = Figure(**kwargs)
    FigureCanvasAgg(fig)
    return fig


def subplots(nrows: int = 1, ncols: int = 1, *, sharey=False, squeeze: bool = True,
             gridspec_kw: dict | None = None, **kwargs):
    """A figure and its grid of axes (as ``pyplot.subplots``, without pyplot)."""
    fig = figure(**kwargs)
    return fig, fig.subplots(nrows, ncols, sharey=sharey, squeeze=squeeze,
                             gridspec_kw=gridspec_kw)


def save(fig: Figure, out_dir: Path, name: str) -> list[Path]:
    """The figure as ``out_dir/name.png`` and ``.svg``, cropped to what is drawn."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"{name}.png", out_dir / f"{name}.svg"]
    for p in paths:
        fig.savefig(p, bbox_inches="tight", facecolor="white")
    return paths


def png_bytes(fig: Figure, dpi: float) -> bytes:
    """The figure as PNG bytes, compressed lightly (the app redraws it every step)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def _wrapped(fig: Figure, text: str, width: int | None) -> list[str]:
    width = width or int(fig.get_figwidth() * 17)  # characters of 7-pt text across the figure
    lines = []
    for para in text.split("\n"):
        lines.extend(textwrap.wrap(para, width) or [""])
    return lines


def add_caption(fig: Figure, text: str, width: int | None = None) -> None:
    """The data-source line(s) at the bottom of a figure (wrapped to the figure's width)."""
    lines = _wrapped(fig, text, width)
    fig.text(0.01, 0.005, "\n".join(lines), ha="left", va="bottom", fontsize=7,
             color=CAPTION_COLOUR)
    # room for the caption plus the axis labels above it (inches -> share of the height)
    fig.subplots_adjust(bottom=(0.75 + 0.13 * len(lines)) / fig.get_figheight())


def caption_below(fig: Figure, axes, text: str, title: str) -> None:
    """Title just above and caption just below ``axes`` (for fixed-aspect maps, where the
    axes do not fill the figure); ``save`` then crops the rest."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    h = fig.get_figheight() * fig.dpi
    boxes = [a.get_tightbbox(r) for a in axes]
    top, bottom = max(b.y1 for b in boxes) / h, min(b.y0 for b in boxes) / h
    fig.suptitle(title, y=top + 0.15 * fig.dpi / h, va="bottom", fontsize=12,
                 fontweight="bold")
    fig.text(0.01, bottom - 0.1 * fig.dpi / h, "\n".join(_wrapped(fig, text, None)),
             ha="left", va="top", fontsize=7, color=CAPTION_COLOUR)


def write_page(path: Path, lines: list[str], figures: list[str]) -> Path:
    """Write a generated Markdown page: its lines, then a "Figures" section that shows each
    figure (paths relative to the page)."""
    lines = lines + ["", "## Figures", ""] + [f"![{Path(f).stem}]({f})" for f in figures]
    path.write_text("\n".join(lines) + "\n")
    return path
