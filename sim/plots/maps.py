"""Maps of incident density per scenario on the sea the runs used (coastline from its land)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from matplotlib import patheffects
from matplotlib.colors import ListedColormap, LogNorm
from matplotlib.ticker import MaxNLocator

from sim.params.scenarios import label
from sim.plots import palette
from sim.plots.kit import caption_below, figure, save, styled
from sim.plots.sweep import Sweep, fmt_cap, read_table

COAST = "#6b5b45"  # a darker brown than the land


def load_sea(run_dir: Path):
    """The run's sea via ``sim.build_sea`` on its saved config; (sea, None) or (None, why)."""
    try:
        from omegaconf import OmegaConf

        import sim

        cfg = OmegaConf.load(run_dir / ".hydra" / "config.yaml")
        return sim.build_sea(cfg), None
    except Exception as exc:  # e.g. a sea that is not built on this machine
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def _points(sw: Sweep, rows) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Pooled incident positions of ``rows``; also run-years and runs read."""
    lats, lons, years, n = [], [], 0.0, 0
    for (_, row), path in zip(rows.iterrows(), sw.run_paths(rows)):
        inc = read_table(path, "incidents", ["lat", "lon"])
        if inc is None:
            continue
        lats.append(inc["lat"].to_numpy(float))
        lons.append(inc["lon"].to_numpy(float))
        years += float(row.get("days", 365)) / 365.25
        n += 1
    if not lats:
        return np.zeros(0), np.zeros(0), 0.0, 0
    return np.concatenate(lats), np.concatenate(lons), years, n


def _extent(sea, data: dict, notes: list[str], why: str | None):
    """The map's window: the sea's grid, or (no sea) the incidents' positions and a margin."""
    if sea is not None:
        half = sea.resolution / 2
        return (sea.lon[0] - half, sea.lon[-1] + half, sea.lat[0] - half, sea.lat[-1] + half)
    allx = np.concatenate([d[1] for d in data.values()] + [np.zeros(0)])
    ally = np.concatenate([d[0] for d in data.values()] + [np.zeros(0)])
    if allx.size == 0:
        raise ValueError("no incident positions in any run")
    notes.append(f"incident_density: no coastline ({why})")
    return (allx.min() - 0.5, allx.max() + 0.5, ally.min() - 0.5, ally.max() + 0.5)


def _density(data: dict, extent, resolution: float):
    """Incidents per run-year in cells of about 1/60 of the window (never finer than the sea's
    grid): (cell size, x edges, y edges, grids by scenario, colour range)."""
    span = max(extent[1] - extent[0], extent[3] - extent[2])
    cell = max(resolution, round(span / 60 / 0.05) * 0.05)
    xb = np.arange(extent[0], extent[1] + 1e-9, cell)
    yb = np.arange(extent[2], extent[3] + 1e-9, cell)
    grids = {}
    for s, (la, lo, years, _n) in data.items():
        h, _, _ = np.histogram2d(la, lo, bins=[yb, xb])
        grids[s] = h / years if years else h
    vmax = max([g.max() for g in grids.values()] + [1e-9])
    positive = [g[g > 0].min() for g in grids.values() if (g > 0).any()]
    vmin = max(min(positive) if positive else vmax / 100, vmax / 1e4)
    return cell, xb, yb, grids, LogNorm(vmin, vmax)


def _coast_and_hotspots(ax, sea, extent) -> None:
    """Land (palette.LAND), the coastline, and the hot spots as numbered triangles (key in the
    caption), black with a white halo so that they show on light and dark cells alike."""
    ax.imshow(np.where(sea.land, 1.0, np.nan), origin="lower", extent=extent,
              cmap=ListedColormap([palette.LAND]), interpolation="nearest", zorder=0)
    ax.contour(sea.lon, sea.lat, sea.land.astype(float), levels=[0.5], colors=COAST,
               linewidths=0.7, zorder=3)
    halo = [patheffects.withStroke(linewidth=2, foreground="white")]
    for k, slug in enumerate(sea.hotspot_slugs, 1):
        f = sea.feature(slug)
        ax.plot(f.lon, f.lat, marker="^", ms=5, mfc="none", mec=palette.HOTSPOT, zorder=4,
                path_effects=halo)
        ax.annotate(str(k), (f.lon, f.lat), xytext=(3, 2), textcoords="offset points",
                    fontsize=7, color=palette.HOTSPOT, zorder=5, fontweight="bold",
                    path_effects=halo)


def _panels(fig, n: int):
    """One map axes per scenario (sharing latitudes) and the colour bar's axes."""
    gs = fig.add_gridspec(1, n + 1, width_ratios=[1] * n + [0.05], wspace=0.1)
    axes = [fig.add_subplot(gs[0, 0])]
    axes += [fig.add_subplot(gs[0, i], sharey=axes[0]) for i in range(1, n)]
    return axes, fig.add_subplot(gs[0, n])


def _frame(ax, extent, first: bool) -> None:
    """The window, equal-area aspect at the middle latitude, axis labels (latitudes on the
    first panel only); after drawing, which may widen the limits."""
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set_aspect(1 / math.cos(math.radians((extent[2] + extent[3]) / 2)))
    ax.set_xlabel("longitude (°E)")
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.grid(alpha=0.2)
    if first:
        ax.set_ylabel("latitude (°N)")
    else:
        ax.tick_params(labelleft=False)


def _caption(sea, why: str | None) -> str:
    if sea is None:
        return f"No coastline: the sea could not be built ({why})."
    return ("Colour: incidents per simulated year per grid cell, averaged over runs (log "
            "scale; blank = none). Land and coastline: the model's land layer "
            f"(sim.build_sea, sea '{sea.name}'). Hot spots (triangles): "
            + ", ".join(f"{k} {sea.feature(h).name}" for k, h in
                        enumerate(sea.hotspot_slugs, 1)) + ".")


@styled
def incident_density(sw: Sweep, out: Path, capacity: float | None) -> list[Path]:
    rows_all = sw.at_capacity(capacity)
    scen = [s for s in sw.scenarios if (rows_all["scenario"] == s).any()]
    sea, why = load_sea(sw.root / str(rows_all["run_dir"].iloc[0]))
    data = {s: _points(sw, rows_all[rows_all["scenario"] == s]) for s in scen}
    extent = _extent(sea, data, sw.notes, why)
    cell, xb, yb, grids, norm = _density(data, extent, sea.resolution if sea is not None else 0.1)
    n = len(scen)
    lat_mid = math.radians((extent[2] + extent[3]) / 2)
    aspect = (extent[3] - extent[2]) / ((extent[1] - extent[0]) * math.cos(lat_mid))
    panel_w = min(5.0, 14.0 / n)
    fig = figure(figsize=(panel_w * n + 1.2, panel_w * aspect + 2.4))
    axes, cax = _panels(fig, n)
    for ax, s in zip(axes, scen):
        if sea is not None:
            _coast_and_hotspots(ax, sea, extent)
        g = np.where(grids[s] > 0, grids[s], np.nan)
        mesh = ax.pcolormesh(xb, yb, g, cmap="inferno_r", norm=norm, zorder=2, rasterized=True)
        la, _lo, years, runs = data[s]
        ax.set_title(f"{label(s)}\n{la.size:,} incidents in {runs} runs", fontsize=10)
        _frame(ax, extent, ax is axes[0])
    cb = fig.colorbar(mesh, cax=cax)
    cb.set_label(f"incidents per year in each {cell:g}° × {cell:g}° cell (mean per run)")
    fig.canvas.draw()  # fixed aspect: match the colour bar to the maps' drawn height
    y0 = min(a.get_position().y0 for a in axes)
    y1 = max(a.get_position().y1 for a in axes)
    pos = cax.get_position()
    cax.set_position([pos.x0, y0, pos.width, y1 - y0])
    where = f"japan.capacity = {fmt_cap(capacity)}" if capacity is not None else "all runs"
    caption_below(fig, axes + [cax], sw.caption(_caption(sea, why), runs=len(rows_all)),
                  f"Where incidents happen ({where}, all seeds pooled)")
    return save(fig, out, "incident_density_map")
