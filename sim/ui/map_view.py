"""The app's sea map: vessels at sea by type and flag, last week's incidents by rung.

A step must cost the server little however many students are connected, so matplotlib draws
only what does not change in a run, once per sea: the sea, China's claim, the hot spots and
their names, and each marker as a small picture (a sprite). A step then stamps the sprites
of the vessels at sea and of the week's incidents onto a copy of the sea's pixels with numpy
and encodes the PNG (a few milliseconds instead of a tenth of a second for a matplotlib
figure). The date and the legend with its counts are HTML beside the picture
(``legend_lines``), so the picture itself holds no text that changes.
"""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
from matplotlib import patheffects
from matplotlib.colors import to_rgb
from PIL import Image

from sim.engine.fleet import CHN, COAST_GUARD, FISHING, MILITIA, RIG, SURVEY, VNM
from sim.plots import palette
from sim.plots.kit import figure
from sim.plots.palette import band_label

DPI = 100  # shown at about its natural size
SIZE, RECT = (5.8, 4.75), (0.08, 0.05, 0.9, 0.93)  # inches; the map's axes in figure fractions
CLAIM_TINT = 0.07  # China's claim area: this share of China's colour over the water
RECENT_DAYS = 7  # incidents drawn on the map


def _vessel(label, flag, kinds, japanese, colour_key, marker, size, glyph):
    return (label, flag, kinds, japanese, palette.VESSELS[colour_key], marker, size, glyph)


#: Vessels on the map: (label, flag, kinds, Japanese-built?, colour, marker, size, legend glyph).
VESSELS = [
    _vessel("China coast guard", CHN, (COAST_GUARD,), None, ("CHN", "coast_guard"), "^", 34,
            "▲"),
    _vessel("China maritime militia", CHN, (MILITIA,), None, ("CHN", "militia"), "s", 9, "■"),
    _vessel("Chinese fishing boat", CHN, (FISHING,), None, ("CHN", "fishing"), ".", 14, "●"),
    _vessel("Chinese rig / survey ship", CHN, (RIG, SURVEY), None, ("CHN", "rig"), "*", 170,
            "★"),
    _vessel("Vietnam coast guard / KN", VNM, (COAST_GUARD,), False, ("VNM", "coast_guard"), "^",
            34, "▲"),
    _vessel("Japanese-built VN patrol", VNM, (COAST_GUARD,), True, ("VNM", "japanese_built"), "D",
            40, "◆"),
    _vessel("Vietnamese fishing boat", VNM, (FISHING,), None, ("VNM", "fishing"), ".", 14, "●"),
    _vessel("Vietnamese rig", VNM, (RIG,), None, ("VNM", "rig"), "*", 170, "★"),
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


class StaticMap:
    """What does not change in a run, drawn once per sea: the sea's pixels (RGB), the hot-spot
    names as an overlay (drawn last, so that markers never hide them) and the affine map from
    (lon, lat) to pixel column and row."""

    def __init__(self, sea):
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
        self.rgb = np.asarray(fig.canvas.buffer_rgba())[:, :, :3].copy()
        self.height, self.width = self.rgb.shape[:2]
        (x0, y0), (x1, y1) = ax.transData.transform([(100.0, 0.0), (120.0, 20.0)])
        self.ax_, self.bx = (x1 - x0) / 20.0, x0 - 100.0 * (x1 - x0) / 20.0
        self.ay, self.by = (y1 - y0) / 20.0, y0
        # the names alone on a transparent canvas of the same size
        names = figure(figsize=SIZE, dpi=DPI)
        names.patch.set_alpha(0)
        nax = _map_axes(names, sea)
        nax.axis("off")
        _hotspot_names(nax, sea)
        names.canvas.draw()
        rgba = np.asarray(names.canvas.buffer_rgba())
        self.names_at = np.flatnonzero(rgba[:, :, 3].ravel())
        self.names_rgba = rgba.reshape(-1, 4)[self.names_at].astype(np.uint16)

    def pixels(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Column and row (from the top) of each point."""
        col = np.rint(self.ax_ * lon + self.bx).astype(np.int64)
        row = np.rint(self.height - (self.ay * lat + self.by)).astype(np.int64)
        return col, row


@lru_cache(maxsize=4)
def static_map(sea) -> StaticMap:
    return StaticMap(sea)


class Sprite:
    """One marker drawn by matplotlib alone on a transparent canvas, cropped: its RGBA pixels
    and their offsets from the point it marks."""

    def __init__(self, marker: str, size: float, face, edge, linewidth: float):
        fig = figure(figsize=(0.6, 0.6), dpi=DPI)
        fig.patch.set_alpha(0)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.axis("off")
        ax.set_xlim(-1, 1)
        ax.set_ylim(-1, 1)
        ax.scatter([0], [0], s=size, c=[face] if face != "none" else None, marker=marker,
                   facecolors=face if face == "none" else None, edgecolors=edge,
                   linewidths=linewidth)
        fig.canvas.draw()
        rgba = np.asarray(fig.canvas.buffer_rgba())
        rows, cols = np.nonzero(rgba[:, :, 3])
        self.dr = (rows - rgba.shape[0] // 2).astype(np.int64)
        self.dc = (cols - rgba.shape[1] // 2).astype(np.int64)
        px = rgba[rows, cols].astype(np.float32) / 255.0
        self.alpha = px[:, 3]
        self.colour = px[:, :3]
        # one colour at every pixel (no white edge): stamped as coverage, in one pass
        self.flat = bool(np.ptp(self.colour, axis=0).max() < 0.02)


@lru_cache(maxsize=1)
def sprites() -> tuple[list[Sprite], list[Sprite]]:
    """The vessel markers (as in ``VESSELS``) and the incident rings (one per rung band)."""
    vessels = [Sprite(marker, size, colour, "white" if size > 20 else "none", 0.3)
               for *_, colour, marker, size, _ in VESSELS]
    rings = [Sprite("o", 30 + 14 * lo, "none", colour, 1.6) for lo, hi, colour in
             palette.RUNG_BANDS]
    return vessels, rings


def _stamp(img: np.ndarray, sprite: Sprite, col: np.ndarray, row: np.ndarray) -> None:
    """Draw ``sprite`` at each (col, row) onto ``img`` (uint8 RGB, rows from the top); only
    the pixels the markers touch are blended (in float), the rest of the sea is not."""
    if not len(col):
        return
    h, w = img.shape[:2]
    flat = img.reshape(-1, 3)
    pos = np.unique(row * w + col)
    row, col = pos // w, pos % w
    if sprite.flat:  # one colour: the markers' coverage (the highest alpha), then one blend
        r = row[:, None] + sprite.dr[None, :]
        c = col[:, None] + sprite.dc[None, :]
        ok = (r >= 0) & (r < h) & (c >= 0) & (c < w)
        idx = (r * w + c)[ok]
        alpha = np.broadcast_to(sprite.alpha, r.shape)[ok]
        order = np.lexsort((alpha, idx))  # by pixel, then alpha: the last of each pixel is max
        idx, alpha = idx[order], alpha[order]
        last = np.flatnonzero(np.r_[idx[1:] != idx[:-1], True])
        at, a = idx[last], alpha[last, None]
        flat[at] = np.rint(flat[at] * (1 - a) + 255 * sprite.colour[0] * a).astype(np.uint8)
        return
    for r0, c0 in zip(row, col):  # few and large (cutters, rigs): one after another
        r, c = r0 + sprite.dr, c0 + sprite.dc
        ok = (r >= 0) & (r < h) & (c >= 0) & (c < w)
        at = r[ok] * w + c[ok]
        a = sprite.alpha[ok, None]
        flat[at] = np.rint(flat[at] * (1 - a) + 255 * sprite.colour[ok] * a).astype(np.uint8)


def vessel_groups(model) -> list[tuple[int, np.ndarray]]:
    """For each entry of ``VESSELS``: how many are at sea, and their cells."""
    f = model.fleet
    n = f.n
    at_sea, flag, kind, jp = f.at_sea, f.flag[:n], f.kind[:n], f.japanese[:n]
    out = []
    for _, fl, kinds, japanese, *_ in VESSELS:
        sel = at_sea & (flag == fl) & np.isin(kind, kinds)
        if japanese is not None:
            sel &= jp == japanese
        out.append((int(sel.sum()), f.cell[:n][sel]))
    return out


def incident_groups(model) -> list[tuple[int, np.ndarray]]:
    """For each rung band: how many incidents in the last week, and their cells."""
    cells, rungs = recent_incidents(model)
    out = []
    for lo, hi, _ in palette.RUNG_BANDS:
        sel = (rungs >= lo) & (rungs <= hi)
        out.append((int(sel.sum()), cells[sel]))
    return out


JPEG_QUALITY = 92  # with full colour resolution (4:4:4): no visible loss on lines and text


def picture(model):
    """The sea now, and the legends with today's counts.

    Returns (JPEG bytes, vessel legend, incident legend); each legend a list of (glyph,
    colour, text). Vessels at sea by type and flag, last week's incidents as rings by rung
    band (the size grows with the rung), hot-spot names on top. JPEG, not PNG: encoding the
    picture as PNG took 5 ms a step, four times the stamping; as JPEG 1 ms."""
    base = static_map(model.sea)
    vessel_sprites, ring_sprites = sprites()
    vessels, incidents = vessel_groups(model), incident_groups(model)
    out = base.rgb.copy()
    lay = model.layers
    # the order of the matplotlib map: vessels, rings, then rigs and survey ships on top
    groups = list(zip(vessel_sprites, vessels))
    layers = ([g for g, e in zip(groups, VESSELS) if e[5] != "*"]
              + list(zip(ring_sprites, incidents))
              + [g for g, e in zip(groups, VESSELS) if e[5] == "*"])
    for sprite, (_, cells) in layers:
        _stamp(out, sprite, *base.pixels(lay.lon[cells], lay.lat[cells]))
    flat = out.reshape(-1, 3)
    a = base.names_rgba[:, 3:4]
    flat[base.names_at] = ((base.names_rgba[:, :3] * a + flat[base.names_at] * (255 - a))
                           // 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(out).save(buf, format="JPEG", quality=JPEG_QUALITY, subsampling=0)
    vessel_key = [(glyph, colour, f"{label} ({n})")
                  for (label, _, _, _, colour, _, _, glyph), (n, _) in zip(VESSELS, vessels)]
    ring_key = [("○", colour, f"rung {band_label(lo, hi)} ({n})")
                for (lo, hi, colour), (n, _) in zip(palette.RUNG_BANDS, incidents)]
    return buf.getvalue(), vessel_key, ring_key


def map_jpeg(model) -> bytes:
    """The picture alone (see ``picture``)."""
    return picture(model)[0]


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
    """The names with a white halo (an overlay drawn over the vessels)."""
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for name, _, _, x, y in _labels(sea):
        ax.text(x, y, name, fontsize=6.8, va="center", zorder=7, path_effects=halo)
