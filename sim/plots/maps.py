"""Maps of incident density per scenario on the sea the runs used (coastline from its land)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from matplotlib import patheffects
from matplotlib.colors import LogNorm
from matplotlib.ticker import MaxNLocator

from sim.params.scenarios import label
from sim.plots.kit import caption_below, figure, save, styled
from sim.plots.sweep import Sweep, fmt_cap, read_table

LAND = "#d9cfbf"
COAST = "#6b5b45"


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


@styled
def incident_density(sw: Sweep, out: Path, capacity: float | None) -> list[Path]:
    rows_all = sw.at_capacity(capacity)
    scen = [s for s in sw.scenarios if (rows_all["scenario"] == s).any()]
    sea, why = load_sea(sw.root / str(rows_all["run_dir"].iloc[0]))
    data = {s: _points(sw, rows_all[rows_all["scenario"] == s]) for s in scen}
    if sea is not None:
        half = sea.resolution / 2
        extent = (sea.lon[0] - half, sea.lon[-1] + half, sea.lat[0] - half, sea.lat[-1] + half)
    else:
        allx = np.concatenate([d[1] for d in data.values()] + [np.zeros(0)])
        ally = np.concatenate([d[0] for d in data.values()] + [np.zeros(0)])
        if allx.size == 0:
            raise ValueError("no incident positions in any run")
        extent = (allx.min() - 0.5, allx.max() + 0.5, ally.min() - 0.5, ally.max() + 0.5)
        sw.notes.append(f"incident_density: no coastline ({why})")
    span = max(extent[1] - extent[0], extent[3] - extent[2])
    cell = max(sea.resolution if sea is not None else 0.1, round(span / 60 / 0.05) * 0.05)
    xb = np.arange(extent[0], extent[1] + 1e-9, cell)
    yb = np.arange(extent[2], extent[3] + 1e-9, cell)
    grids = {}
    for s, (la, lo, years, _n) in data.items():
        h, _, _ = np.histogram2d(la, lo, bins=[yb, xb])
        grids[s] = h / years if years else h
    vmax = max([g.max() for g in grids.values()] + [1e-9])
    positive = [g[g > 0].min() for g in grids.values() if (g > 0).any()]
    vmin = max(min(positive) if positive else vmax / 100, vmax / 1e4)
    n = len(scen)
    lat_mid = math.radians((extent[2] + extent[3]) / 2)
    aspect = (extent[3] - extent[2]) / ((extent[1] - extent[0]) * math.cos(lat_mid))
    panel_w = min(5.0, 14.0 / n)
    fig = figure(figsize=(panel_w * n + 1.2, panel_w * aspect + 2.4))
    gs = fig.add_gridspec(1, n + 1, width_ratios=[1] * n + [0.05], wspace=0.1)
    axes = [fig.add_subplot(gs[0, 0])]
    axes += [fig.add_subplot(gs[0, i], sharey=axes[0]) for i in range(1, n)]
    mesh = None
    for ax, s in zip(axes, scen):
        if sea is not None:
            ax.imshow(np.where(sea.land, 1.0, np.nan), origin="lower", extent=extent,
                      cmap="Greys", vmin=0, vmax=4, interpolation="nearest", zorder=0)
            ax.contour(sea.lon, sea.lat, sea.land.astype(float), levels=[0.5], colors=COAST,
                       linewidths=0.7, zorder=3)
        g = np.where(grids[s] > 0, grids[s], np.nan)
        mesh = ax.pcolormesh(xb, yb, g, cmap="inferno_r", norm=LogNorm(vmin, vmax), zorder=2,
                             rasterized=True)
        if sea is not None:  # hot spots as numbered triangles (key in the caption)
            for k, slug in enumerate(sea.hotspot_slugs, 1):
                f = sea.feature(slug)
                ax.plot(f.lon, f.lat, marker="^", ms=5, mfc="none", mec="#1f77b4", zorder=4)
                ax.annotate(str(k), (f.lon, f.lat), xytext=(3, 2), textcoords="offset points",
                            fontsize=7, color="#0b3a66", zorder=5, fontweight="bold",
                            path_effects=[patheffects.withStroke(linewidth=2,
                                                                 foreground="white")])
        la, _lo, years, runs = data[s]
        ax.set_title(f"{label(s)}\n{la.size:,} incidents in {runs} runs", fontsize=10)
        ax.set_xlim(extent[:2])
        ax.set_ylim(extent[2:])
        ax.set_aspect(1 / math.cos(lat_mid))
        ax.set_xlabel("longitude (°E)")
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.grid(alpha=0.2)
        if ax is not axes[0]:
            ax.tick_params(labelleft=False)
    axes[0].set_ylabel("latitude (°N)")
    cax = fig.add_subplot(gs[0, n])
    cb = fig.colorbar(mesh, cax=cax)
    cb.set_label(f"incidents per year in each {cell:g}° × {cell:g}° cell (mean per run)")
    where = f"japan.capacity = {fmt_cap(capacity)}" if capacity is not None else "all runs"
    extra = ("Colour: incidents per simulated year per grid cell, averaged over runs (log "
             "scale; blank = none). Land and coastline: the model's land layer "
             f"(sim.build_sea, sea '{sea.name}'). Hot spots (triangles): "
             + ", ".join(f"{k} {sea.feature(h).name}" for k, h in
                         enumerate(sea.hotspot_slugs, 1)) + "."
             if sea is not None else f"No coastline: the sea could not be built ({why}).")
    fig.canvas.draw()  # fixed aspect: match the colour bar to the maps' drawn height
    y0 = min(a.get_position().y0 for a in axes)
    y1 = max(a.get_position().y1 for a in axes)
    pos = cax.get_position()
    cax.set_position([pos.x0, y0, pos.width, y1 - y0])
    where = f"japan.capacity = {fmt_cap(capacity)}" if capacity is not None else "all runs"
    caption_below(fig, axes + [cax], sw.caption(extra, runs=len(rows_all)),
                  f"Where incidents happen ({where}, all seeds pooled)")
    return save(fig, out, "incident_density_map")
