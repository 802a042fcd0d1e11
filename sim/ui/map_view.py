"""The app's sea map: vessels at sea by type and flag, last week's incidents by rung.

Drawn to PNG bytes after every step with the figure kit (no pyplot, so no global figure
state between sessions), in the palette's colours. What does not change in a run (the sea,
China's claim, the hot spots) is drawn once per sea and reused as a background picture.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib import patheffects
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D

from sim.engine.fleet import CHN, COAST_GUARD, FISHING, MILITIA, RIG, SURVEY, VNM
from sim.plots import palette
from sim.plots.kit import figure, png_bytes
from sim.plots.palette import band_label

DPI = 100  # shown at about its natural size
SIZE, RECT = (5.8, 6.9), (0.08, 0.3, 0.9, 0.65)  # inches; the map's axes in figure fractions
CLAIM_TINT = 0.07  # China's claim area: this share of China's colour over the water
RECENT_DAYS = 7  # incidents drawn on the map


def _vessel(label, flag, kinds, japanese, colour_key, marker, size):
    return (label, flag, kinds, japanese, palette.VESSELS[colour_key], marker, size)


#: Vessels on the map: (label, flag, kinds, Japanese-built?, colour, marker, size).
VESSELS = [
    _vessel("China coast guard", CHN, (COAST_GUARD,), None, ("CHN", "coast_guard"), "^", 34),
    _vessel("China maritime militia", CHN, (MILITIA,), None, ("CHN", "militia"), "s", 9),
    _vessel("Chinese fishing boat", CHN, (FISHING,), None, ("CHN", "fishing"), ".", 14),
    _vessel("Chinese rig / survey ship", CHN, (RIG, SURVEY), None, ("CHN", "rig"), "*", 170),
    _vessel("Vietnam coast guard / KN", VNM, (COAST_GUARD,), False, ("VNM", "coast_guard"), "^",
            34),
    _vessel("Japanese-built VN patrol", VNM, (COAST_GUARD,), True, ("VNM", "japanese_built"), "D",
            40),
    _vessel("Vietnamese fishing boat", VNM, (FISHING,), None, ("VNM", "fishing"), ".", 14),
    _vessel("Vietnamese rig", VNM, (RIG,), None, ("VNM", "rig"), "*", 170),
]


def recent_incidents(model, days: int = RECENT_DAYS) -> tuple[np.ndarray, np.ndarray]:
    """Cells and rungs of the incidents of the last ``days`` days."""
    since = model.step_count - days * model.steps_per_day
    cells, rungs = [], []
    for ch in reversed(model.recorder.chunks):
        if ch["step"][0] < since:
            break
        cells.append(ch["cell"])
        rungs.append(ch["rung"])
    if not cells:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(cells), np.concatenate(rungs)


def _extent(sea):
    h = sea.resolution / 2
    return (sea.lon[0] - h, sea.lon[-1] + h, sea.lat[0] - h, sea.lat[-1] + h)


@lru_cache(maxsize=4)
def _background(sea) -> np.ndarray:
    """RGB image of the sea: water, land, and China's claim area as a faint tint."""
    water = np.array(to_rgb(palette.WATER))
    img = np.empty(sea.shape + (3,))
    img[:] = water
    img[sea.claim_area & ~sea.land] = ((1 - CLAIM_TINT) * water
                                       + CLAIM_TINT * np.array(to_rgb(palette.flag("CHN"))))
    img[sea.land & (sea.feature_cell < 0)] = to_rgb(palette.LAND)
    return img


def _map_axes(fig, sea):
    ax = fig.add_axes(RECT)
    ax.set_xlim(_extent(sea)[:2])
    ax.set_ylim(_extent(sea)[2:])
    ax.set_aspect(1 / np.cos(np.radians(sea.lat.mean())))
    return ax


@lru_cache(maxsize=4)
def _static_map(sea) -> np.ndarray:
    """What does not change in a run (sea, claim line, hot spots, axes) as pixels, drawn once
    per sea: each step then draws only vessels and incidents on top of it."""
    fig = figure(figsize=SIZE, dpi=DPI)
    ax = _map_axes(fig, sea)
    ax.imshow(_background(sea), origin="lower", extent=_extent(sea), interpolation="nearest")
    china = palette.flag("CHN")
    ax.contour(sea.lon, sea.lat, sea.claim_area.astype(float), levels=[0.5], colors=[china],
               linewidths=0.7, linestyles="--", alpha=0.6)
    _hotspot_marks(ax, sea)
    ax.set_xlim(_extent(sea)[:2])
    ax.set_ylim(_extent(sea)[2:])
    ax.tick_params(labelsize=7)
    ax.text(0.01, 0.01, "- - approx. nine-dash-line claim", color=china, fontsize=7,
            transform=ax.transAxes)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def _draw_vessels(ax, model) -> list:
    """Every vessel at sea, by type and flag; one legend entry each, with its count."""
    f, lay = model.fleet, model.layers
    n = f.n
    at_sea, flag, kind, jp = f.at_sea, f.flag[:n], f.kind[:n], f.japanese[:n]
    handles = []
    for label, fl, kinds, japanese, colour, marker, size in VESSELS:
        sel = at_sea & (flag == fl) & np.isin(kind, kinds)
        if japanese is not None:
            sel &= jp == japanese
        cells = f.cell[:n][sel]
        ax.scatter(lay.lon[cells], lay.lat[cells], s=size, c=colour, marker=marker,
                   linewidths=0.3, edgecolors="white" if size > 20 else "none",
                   zorder=6 if marker == "*" else 3)
        handles.append(Line2D([], [], ls="", marker=marker, color=colour,
                              markersize=np.sqrt(size) * (1.4 if marker == "." else 0.9),
                              label=f"{label} ({int(sel.sum())})"))
    return handles


def _draw_incidents(ax, model) -> list:
    """Last week's incidents as rings, coloured by rung band; one legend entry per band."""
    lay = model.layers
    cells, rungs = recent_incidents(model)
    handles = []
    for lo, hi, colour in palette.RUNG_BANDS:
        sel = (rungs >= lo) & (rungs <= hi)
        ax.scatter(lay.lon[cells[sel]], lay.lat[cells[sel]], s=30 + 14 * lo, facecolors="none",
                   edgecolors=colour, linewidths=1.6, zorder=4)
        handles.append(Line2D([], [], ls="", marker="o", markerfacecolor="none",
                              markeredgecolor=colour, markeredgewidth=1.6, markersize=8,
                              label=f"rung {band_label(lo, hi)} ({int(sel.sum())})"))
    return handles


def _legends(fig, vessels: list, incidents: list) -> None:
    leg = fig.add_axes((0.02, 0.0, 0.96, 0.25))
    leg.axis("off")
    kw = dict(fontsize=7.5, title_fontsize=8.5, frameon=False, borderaxespad=0, ncols=2,
              alignment="left", columnspacing=1.0, handletextpad=0.3)
    leg.legend(handles=vessels, title="At sea now", loc="upper left", **kw)
    leg.add_artist(leg.get_legend())
    leg.legend(handles=incidents, title=f"Incidents, last {RECENT_DAYS} days "
               "(ring size grows with the rung)", loc="lower left", **kw)


def map_png(model) -> bytes:
    """The sea now: vessels at sea by type and flag, last week's incidents by rung."""
    sea = model.sea
    fig = figure(figsize=SIZE, dpi=DPI)
    fig.figimage(_static_map(sea), 0, 0, origin="upper", zorder=-1)
    ax = _map_axes(fig, sea)
    ax.axis("off")
    vessels = _draw_vessels(ax, model)
    incidents = _draw_incidents(ax, model)
    _hotspot_names(ax, sea)
    ax.set_title(f"{model.date:%d %b %Y} (day {model.day})", fontsize=11, loc="left")
    _legends(fig, vessels, incidents)
    return png_bytes(fig, DPI)


@lru_cache(maxsize=4)
def _labels(sea) -> list[tuple[str, float, float, float, float]]:
    """Hot-spot names and where to write them: (name, lon, lat, x, y). Names of nearby spots
    are pushed apart vertically (a thin line joins each to its spot)."""
    gap = 0.032 * (sea.lat[-1] - sea.lat[0])  # one label's height in degrees
    out: list[tuple[str, float, float, float, float]] = []
    for h in sorted((f for f in sea.features if f.hotspot), key=lambda f: f.lat):
        x, y = h.lon + 0.04 * (sea.lon[-1] - sea.lon[0]), h.lat
        for *_, px, py in out:
            if abs(px - x) < 6.0 * gap and y < py + gap:
                y = py + gap
        out.append((h.name, h.lon, h.lat, x, y))
    return out


def _hotspot_marks(ax, sea) -> None:
    """Crosses and leader lines (in the static picture, under the vessels)."""
    for _, lon, lat, x, y in _labels(sea):
        ax.plot([lon, x - 0.15], [lat, y], color="#555", lw=0.4, zorder=5)
        ax.plot(lon, lat, "+", color=palette.HOTSPOT, ms=6, mew=1.0, zorder=5)


def _hotspot_names(ax, sea) -> None:
    """The names, drawn over the vessels each time so that markers never hide them."""
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for name, _, _, x, y in _labels(sea):
        ax.text(x, y, name, fontsize=6.8, va="center", zorder=7, path_effects=halo)
