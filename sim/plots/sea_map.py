"""A map of every layer of a ``Sea``, readable without the code (PNG, with an SVG beside it).

A plot of the sea alone: zones, claims, radar cover, features, ports and the fishing-ground
proxy, in the palette's colours. ``python -m sim.map`` (``sim.ui.map``) draws it for a config.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from sim.plots import palette
from sim.plots.kit import figure
from sim.sea.grid import STATES, RadarStation, Sea

EDGE = "#555555"  # median lines, 200-nm limits, legend edges
ZONE, TERRITORIAL = 0.28, 0.5  # tints of a State's colour: EEZ, territorial sea (deeper)
SEA_NAMES = {"scs": "South China Sea", "toy": "Toy sea"}


def _zone_image(sea: Sea) -> np.ndarray:
    """RGB image: EEZ tints, deeper tint in territorial seas, land on top."""
    img = np.empty(sea.shape + (3,))
    img[:] = to_rgb(palette.HIGH_SEAS)
    for k, s in enumerate(STATES):
        img[sea.eez == k] = palette.tint(palette.flag(s), ZONE)
        img[sea.territorial_sea == k] = palette.tint(palette.flag(s), TERRITORIAL)
    img[sea.land & (sea.feature_cell < 0)] = to_rgb(palette.LAND)
    return img


def _outline(ax, sea: Sea, mask: np.ndarray, **kw) -> None:
    """Contour of a boolean layer, drawn over water only (land cells masked out)."""
    if not mask.any() or mask.all():
        return
    solid = sea.land & (sea.feature_cell < 0)
    ax.contour(sea.lon, sea.lat, np.ma.masked_where(solid, mask.astype(float)), levels=[0.5], **kw)


def _extent(sea: Sea):
    h = sea.resolution / 2
    return (sea.lon[0] - h, sea.lon[-1] + h, sea.lat[0] - h, sea.lat[-1] + h)


def _draw_zones(ax, sea: Sea) -> None:
    ax.imshow(_zone_image(sea), origin="lower", extent=_extent(sea), interpolation="nearest", zorder=0)
    if sea.overlap.any():
        cs = ax.contourf(sea.lon, sea.lat, sea.overlap.astype(float), levels=[0.5, 1.5], colors="none",
                         hatches=["//"], zorder=1)
        cs.set_hatchcolor("#8c8c8c")
        cs.set_hatch_linewidth(0.5)
    for k in range(len(STATES)):  # zone edges: median lines and 200-nm limits
        _outline(ax, sea, sea.eez == k, colors=EDGE, linewidths=0.6, zorder=2)


def _draw_claims(ax, sea: Sea, dashes) -> None:
    _outline(ax, sea, sea.claim_area, colors=palette.CLAIM_EDGE, linewidths=0.9, alpha=0.8, zorder=3)
    _outline(ax, sea, sea.moratorium_zone, colors=palette.MORATORIUM, linewidths=1.3,
             linestyles=[(0, (6, 2, 1, 2))], zorder=3)
    for (a, b) in dashes or ():
        ax.plot([a[1], b[1]], [a[0], b[0]], color=palette.NINE_DASH, lw=3.2, solid_capstyle="butt",
                zorder=4)
    if dashes and len(dashes) > 6:
        (a, b) = dashes[6]
        ax.annotate("approximate nine-dash line", ((a[1] + b[1]) / 2, (a[0] + b[0]) / 2), xytext=(-9, 0),
                    textcoords="offset points", rotation=90, ha="right", va="center", fontsize=8.5,
                    fontstyle="italic", color=palette.CLAIM_EDGE, zorder=9)


def _draw_radar(ax, sea: Sea, extra) -> None:
    for flag, cover in sorted(sea.radar.items()):
        _outline(ax, sea, cover, colors=palette.flag(flag), linewidths=1.2, linestyles=[(0, (1, 1.5))],
                 zorder=5)
    if extra:
        stations = list(sea.radar_stations) + list(extra)
        for flag, cover in sorted(sea.radar_coverage(stations).items()):
            if flag in {s.flag for s in extra}:
                _outline(ax, sea, cover, colors=palette.flag(flag), linewidths=1.6, linestyles="dashed",
                         zorder=5)
    for st in list(sea.radar_stations) + list(extra or ()):
        ax.plot(st.lon, st.lat, marker="+", ms=5, mew=1.0, color=palette.flag(st.flag), zorder=6)


def _place_labels(ax, items, fontsize: float) -> None:
    """Greedy label placement: the first of a few offsets whose (estimated) box overlaps nothing."""
    ax.apply_aspect()
    px = ax.figure.dpi / 72
    offsets = [(5, 3, "left", "bottom"), (5, -3, "left", "top"), (-5, 3, "right", "bottom"),
               (-5, -3, "right", "top"), (0, 7, "center", "bottom"), (0, -7, "center", "top"),
               (6, 11, "left", "bottom"), (6, -11, "left", "top"), (-6, 11, "right", "bottom"),
               (-6, -11, "right", "top")]
    placed: list[tuple[float, float, float, float]] = []
    for x, y, text, style in items:
        fs = fontsize - (0.5 if style.get("fontstyle") == "italic" else 0)
        w, h = len(text) * fs * 0.56 * px, fs * 1.3 * px
        cx, cy = ax.transData.transform((x, y))
        best, best_cost = None, np.inf
        for dx, dy, ha, va in offsets:
            x0 = cx + dx * px - {"left": 0, "center": w / 2, "right": w}[ha]
            y0 = cy + dy * px - {"bottom": 0, "top": h}[va]
            box = (x0, y0, x0 + w, y0 + h)
            cost = sum(max(0, min(box[2], b[2]) - max(box[0], b[0])) * max(0, min(box[3], b[3]) - max(box[1], b[1]))
                       for b in placed)
            if cost < best_cost:
                best, best_cost = (dx, dy, ha, va, box), cost
            if cost == 0:
                break
        dx, dy, ha, va, box = best
        placed.append(box)
        ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=fs,
                    zorder=9, bbox=dict(boxstyle="round,pad=0.08", fc="white", ec="none", alpha=0.6), **style)


def _draw_points(ax, sea: Sea, labels: str, fontsize: float = 6.5, zoom=None) -> None:
    """Features (hot spots as stars), ports (squares) and outposts (diamonds), by flag.

    ``labels="all"`` names every feature; otherwise hot spots and the features outside ``zoom``
    (those inside are named in the zoom panel).
    """
    items = []
    for f in sea.features:
        hot = f.hotspot
        ax.plot(f.lon, f.lat, marker="*" if hot else "o", ms=11 if hot else 3.5, mfc=palette.flag(f.holder),
                mec="black", mew=0.6 if hot else 0.4, zorder=8)
        zoomed = zoom is not None and zoom[0] <= f.lat <= zoom[1] and zoom[2] <= f.lon <= zoom[3]
        if labels == "all" or hot or not zoomed:
            items.append((f.lon, f.lat, f.name, {"fontweight": "bold" if hot else "normal"}))
    for p in sea.ports:
        port = p.kind == "port"
        ax.plot(p.lon, p.lat, marker="s" if port else "D", ms=5.5 if port else 4.5, mfc="white",
                mec=palette.flag(p.flag), mew=1.6, zorder=7)
        if port and labels != "all":
            items.append((p.lon, p.lat, p.name, {"fontstyle": "italic", "color": "#222222"}))
    _place_labels(ax, items, fontsize)


def _legend_handles(sea: Sea, extra, dashes: bool) -> list:
    present = sorted({STATES[int(k)] for k in np.unique(sea.eez) if k >= 0}, key=STATES.index)
    h = [Patch(fc=palette.tint(palette.flag(s), ZONE), ec=EDGE, lw=0.5,
               label=f"{s} EEZ (200-nm equidistance)") for s in present]
    h += [Patch(fc=palette.tint(palette.flag(present[0]) if present else "#888888", TERRITORIAL),
                ec="none", label="territorial sea (12 nm), deeper tint"),
          Patch(fc="white", ec="#333333", hatch="////", lw=0.5, label="overlapping entitlements (2+ states)"),
          Patch(fc=palette.HIGH_SEAS, ec="#999999", lw=0.5, label="high seas / no modelled EEZ"),
          Patch(fc=palette.LAND, ec="none", label="land (any land in the cell)"),
          Line2D([], [], color=EDGE, lw=0.6, label="median lines / 200-nm limits"),
          Line2D([], [], color=palette.CLAIM_EDGE, lw=0.9, alpha=0.8, label="edge of the approximate claim area"),
          Line2D([], [], color=palette.MORATORIUM, lw=1.3, ls=(0, (6, 2, 1, 2)),
                 label="China's summer fishing moratorium zone")]
    if dashes:
        h.insert(-2, Line2D([], [], color=palette.NINE_DASH, lw=3.2, label="approximate nine-dash line (dashes)"))
    for flag in sorted(sea.radar):
        h.append(Line2D([], [], color=palette.flag(flag), lw=1.2, ls=(0, (1, 1.5)), label=f"{flag} radar coverage"))
    for flag in sorted({s.flag for s in extra or ()}):
        h.append(Line2D([], [], color=palette.flag(flag), lw=1.6, ls="dashed",
                        label=f"{flag} coverage with added radars"))
    h += [Line2D([], [], ls="", marker="+", color="#333333", label="radar station (colour = flag)"),
          Line2D([], [], ls="", marker="*", ms=11, mfc="#bbbbbb", mec="black", label="hot spot (colour = holder)"),
          Line2D([], [], ls="", marker="o", ms=4, mfc="#bbbbbb", mec="black", label="other feature"),
          Line2D([], [], ls="", marker="s", mfc="white", mec="#333333", mew=1.6, label="port (edge = flag)"),
          Line2D([], [], ls="", marker="D", ms=4.5, mfc="white", mec="#333333", mew=1.6, label="outpost")]
    return h


def _spratly_box(sea: Sea):
    """Zoom window around the Spratly features, if the sea has them (lat0, lat1, lon0, lon1)."""
    pts = [(f.lat, f.lon) for f in sea.features if 7 <= f.lat <= 12 and 111 <= f.lon <= 117]
    if len(pts) < 3:
        return None
    la, lo = np.array(pts).T
    return (la.min() - 0.5, la.max() + 0.5, lo.min() - 0.4, lo.max() + 1.3)  # room for labels


def _whole_sea(ax, sea: Sea, aspect: float, dashes, extra, zoom) -> None:
    """The main panel: every layer over the whole sea (features inside ``zoom`` unnamed)."""
    ax.set_xlim(*_extent(sea)[:2])
    ax.set_ylim(*_extent(sea)[2:])
    ax.set_aspect(aspect)
    _draw_zones(ax, sea)
    _draw_claims(ax, sea, dashes)
    _draw_radar(ax, sea, extra)
    _draw_points(ax, sea, "hotspots", zoom=zoom)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.grid(color="#888888", lw=0.3, alpha=0.5)


def _spratly_zoom(az, sea: Sea, aspect: float, extra, zoom) -> None:
    """The Spratly panel: the same layers, every feature named."""
    az.set_xlim(zoom[2], zoom[3])
    az.set_ylim(zoom[0], zoom[1])
    az.set_aspect(aspect)
    _draw_zones(az, sea)
    _draw_claims(az, sea, None)
    _draw_radar(az, sea, extra)
    _draw_points(az, sea, "all", fontsize=6)
    az.set_xlim(zoom[2], zoom[3])  # contouring widens the limits again
    az.set_ylim(zoom[0], zoom[1])
    az.set_title("Spratly Islands (zoom: every listed feature)", fontsize=9)
    az.tick_params(labelsize=7)


def _fishing_grounds(fig, af, sea: Sea, aspect: float) -> None:
    fg = np.ma.masked_where(sea.land & (sea.feature_cell < 0), sea.fishing_ground)
    cmap = colormaps["YlGnBu"].with_extremes(bad=palette.LAND)
    im = af.imshow(fg, origin="lower", extent=_extent(sea), cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
    af.set_aspect(aspect)
    af.set_title("fishing-ground proxy (0 to 1; assumed, not data)", fontsize=9)
    af.tick_params(labelsize=7)
    fig.colorbar(im, ax=af, fraction=0.046, pad=0.02).ax.tick_params(labelsize=7)


def _titles(fig, sea: Sea, title: str | None) -> None:
    name = SEA_NAMES.get(sea.name, sea.name)
    fig.suptitle(title or f"{name}: maritime zones, claims, radar cover and hot spots ({sea.resolution:g}° grid)",
                 fontsize=14, fontweight="bold")
    caption = sea.notes.get("caption") or "; ".join(f"{k}: {v}" for k, v in sea.notes.items())
    fig.text(0.04, 0.012, "\n".join(textwrap.wrap("Sources and caveats: " + caption, 190)), fontsize=7.5,
             color="#333333", va="bottom")


def draw_sea_map(sea: Sea, path, title: str | None = None,
                 extra_stations: list[RadarStation] | None = None) -> Path:
    """Draw every layer of ``sea`` to ``path`` (PNG) and the same figure as SVG beside it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    dashes = None
    if sea.name == "scs":
        from sim.sea.scs import DASHES as dashes  # noqa: N811

    fig = figure(figsize=(16, 12.5), dpi=110)
    gs = fig.add_gridspec(3, 2, width_ratios=[2.35, 1], height_ratios=[1, 0.8, 1.25],
                          left=0.04, right=0.985, top=0.94, bottom=0.07, wspace=0.08, hspace=0.18)
    aspect = 1 / np.cos(np.radians(float(np.mean(sea.lat))))
    zoom = _spratly_box(sea)
    ax = fig.add_subplot(gs[:, 0])
    _whole_sea(ax, sea, aspect, dashes, extra_stations, zoom)
    if zoom:
        _spratly_zoom(fig.add_subplot(gs[0, 1]), sea, aspect, extra_stations, zoom)
        ax.add_patch(Rectangle((zoom[2], zoom[0]), zoom[3] - zoom[2], zoom[1] - zoom[0], fill=False,
                               ec="black", lw=0.8, ls="--", zorder=10))
    _fishing_grounds(fig, fig.add_subplot(gs[1, 1]), sea, aspect)
    legend = fig.add_subplot(gs[2, 1])
    legend.axis("off")
    legend.legend(handles=_legend_handles(sea, extra_stations, bool(dashes)), loc="upper left",
                  fontsize=7.2, ncol=1, frameon=False, borderaxespad=0, handlelength=2.6)
    _titles(fig, sea, title)
    fig.savefig(path, format="png")
    fig.savefig(path.with_suffix(".svg"), format="svg")
    return path
