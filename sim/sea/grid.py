"""The gridded sea: one container of aligned 2-D layers on a regular lat/lon raster.

Every layer is a numpy array of shape ``(ny, nx)``; row ``i`` is latitude ``lat[i]``
(south to north), column ``j`` is longitude ``lon[j]`` (west to east). The model reads
the arrays directly (vectorised kernels); ``Sea.at`` answers point queries for people and
tests; ``Sea.to_mesa_grid`` exposes the same layers as a Mesa ``OrthogonalMooreGrid`` with
property layers for the browser app and the idiomatic-Mesa benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

EARTH_RADIUS_KM = 6371.0088
NM_KM = 1.852

#: States whose entitlements are drawn. Index = code used in the ``eez`` and
#: ``territorial_sea`` layers and bit position in ``entitlement``.
STATES: tuple[str, ...] = ("CHN", "VNM", "PHL", "MYS", "BRN", "IDN", "TWN")
STATE_INDEX = {s: k for k, s in enumerate(STATES)}
#: Short prefixes for zone names (CONTRACT.md: ``vn_eez``, ``cn_territorial_sea``).
ZONE_PREFIX = {"CHN": "cn", "VNM": "vn", "PHL": "ph", "MYS": "my", "BRN": "bn", "IDN": "id",
               "TWN": "tw"}


@dataclass(frozen=True)
class Feature:
    """A named island, reef, shoal or bank (FACTS.md §6)."""

    slug: str
    name: str
    lat: float
    lon: float
    holder: str | None  # ISO3 of the occupant, None if unoccupied
    kind: str  # island | reef | shoal | bank
    hotspot: bool = False


@dataclass(frozen=True)
class Port:
    """A home port or outpost from which a flag's vessels sortie and to which they return."""

    slug: str
    name: str
    flag: str
    lat: float
    lon: float
    kind: str = "port"  # port | outpost


@dataclass(frozen=True)
class RadarStation:
    """A coastal or island radar/MDA station. Coverage is a disc of ``range_km``."""

    name: str
    flag: str
    lat: float
    lon: float
    range_km: float


@dataclass(eq=False)  # identity hashing: a built sea is cached and used as a key
class Sea:
    """Aligned layers of one sea at one resolution (see module docstring)."""

    name: str
    lat: np.ndarray
    lon: np.ndarray
    resolution: float
    land: np.ndarray  # bool: any land in the cell
    eez: np.ndarray  # int8: STATES index of the 200-nm equidistance zone, -1 none
    entitlement: np.ndarray  # uint8 bitmask: bit k set if within 200 nm of STATES[k]
    claim_area: np.ndarray  # bool: inside the approximate nine-dash-line polygon
    territorial_sea: np.ndarray  # int8: STATES index of the 12-nm holder, -1 none
    moratorium_zone: np.ndarray  # bool: China's summer moratorium area
    fishing_ground: np.ndarray  # float32 in [0, 1]: documented proxy of catch value
    features: list[Feature]
    feature_cell: np.ndarray  # int16: index into ``features``, -1 none
    ports: list[Port]
    radar_stations: list[RadarStation]
    notes: dict[str, str] = field(default_factory=dict)  # layer -> source / licence

    # ------------------------------------------------------------------ geometry
    @property
    def shape(self) -> tuple[int, int]:
        return self.land.shape

    @property
    def n_cells(self) -> int:
        return self.land.size

    def cell_of(self, lat, lon):
        """Row and column of the cell containing (lat, lon); clipped to the grid."""
        i = np.floor((np.asarray(lat) - (self.lat[0] - self.resolution / 2)) / self.resolution)
        j = np.floor((np.asarray(lon) - (self.lon[0] - self.resolution / 2)) / self.resolution)
        i = np.clip(i, 0, self.shape[0] - 1).astype(np.int64)
        j = np.clip(j, 0, self.shape[1] - 1).astype(np.int64)
        return i, j

    def contains(self, lat: float, lon: float) -> bool:
        half = self.resolution / 2
        return bool(
            self.lat[0] - half <= lat <= self.lat[-1] + half
            and self.lon[0] - half <= lon <= self.lon[-1] + half
        )

    @cached_property
    def water(self) -> np.ndarray:
        """Cells a vessel may occupy: not land, or a feature cell (reefs are not barriers)."""
        return ~self.land | (self.feature_cell >= 0)

    @cached_property
    def cell_km(self) -> tuple[np.ndarray, float]:
        """East-west cell width per row (km) and north-south height (km)."""
        dy = np.radians(self.resolution) * EARTH_RADIUS_KM
        dx = dy * np.cos(np.radians(self.lat))
        return dx, dy

    def distance_km(self, lat: float, lon: float) -> np.ndarray:
        """Great-circle distance (km) from a point to every cell centre."""
        return haversine_km(lat, lon, self.lat[:, None], self.lon[None, :])

    # ------------------------------------------------------------------ derived layers
    @cached_property
    def radar(self) -> dict[str, np.ndarray]:
        """Base radar coverage per flag, from ``radar_stations``."""
        return self.radar_coverage(self.radar_stations)

    def radar_coverage(self, stations) -> dict[str, np.ndarray]:
        """Coverage discs per flag for any station list (e.g. with Japanese-funded radars)."""
        cover: dict[str, np.ndarray] = {}
        for st in stations:
            disc = self.distance_km(st.lat, st.lon) <= st.range_km
            cover[st.flag] = cover.get(st.flag, np.zeros(self.shape, bool)) | disc
        return cover

    def entitled(self, state: str) -> np.ndarray:
        return (self.entitlement >> STATE_INDEX[state]) & 1 == 1

    @cached_property
    def overlap(self) -> np.ndarray:
        """Cells within 200 nm of two or more states (overlapping entitlements)."""
        bits = self.entitlement.astype(np.int32)
        count = np.zeros(self.shape, np.int32)
        for k in range(len(STATES)):
            count += (bits >> k) & 1
        return (count >= 2) & ~self.land

    @cached_property
    def contested(self) -> np.ndarray:
        """Waters China claims that Vietnam is also entitled to: the contest modelled in detail."""
        return self.claim_area & self.entitled("VNM") & self.water

    @cached_property
    def zone_names(self) -> tuple[str, ...]:
        ts = tuple(f"{ZONE_PREFIX[s]}_territorial_sea" for s in STATES)
        ez = tuple(f"{ZONE_PREFIX[s]}_eez" for s in STATES)
        return ("land",) + ts + ("overlap",) + ez + ("high_seas",)

    @cached_property
    def zone(self) -> np.ndarray:
        """int8 code into ``zone_names``: territorial sea, else overlap, else EEZ, else high seas."""
        n = len(STATES)
        z = np.full(self.shape, 2 * n + 2, np.int8)  # high_seas
        has_eez = self.eez >= 0
        z[has_eez] = (n + 2 + self.eez[has_eez]).astype(np.int8)
        z[self.overlap] = n + 1
        ts = self.territorial_sea >= 0
        z[ts] = (1 + self.territorial_sea[ts]).astype(np.int8)
        z[self.land & (self.feature_cell < 0)] = 0
        return z

    @cached_property
    def hotspot_slugs(self) -> list[str]:
        return [f.slug for f in self.features if f.hotspot]

    def feature(self, slug: str) -> Feature:
        for f in self.features:
            if f.slug == slug:
                return f
        raise KeyError(f"unknown feature {slug!r}; known: {', '.join(f.slug for f in self.features)}")

    # ------------------------------------------------------------------ queries
    def at(self, lat: float, lon: float) -> dict:
        """The layers at one point, as CONTRACT.md specifies."""
        if not self.contains(lat, lon):
            raise ValueError(
                f"point ({lat}, {lon}) is outside the {self.name} sea "
                f"({self.lat[0]:.2f}..{self.lat[-1]:.2f}N, {self.lon[0]:.2f}..{self.lon[-1]:.2f}E)"
            )
        i, j = (int(v) for v in self.cell_of(lat, lon))
        fc = int(self.feature_cell[i, j])
        code = lambda a: None if a[i, j] < 0 else STATES[int(a[i, j])]  # noqa: E731
        return {
            "land": bool(self.land[i, j]),
            "feature": self.features[fc].name if fc >= 0 else None,
            "eez": code(self.eez),
            "claim_area": bool(self.claim_area[i, j]),
            "territorial_sea": code(self.territorial_sea),
            "moratorium_zone": bool(self.moratorium_zone[i, j]),
            "radar": sorted(f for f, m in self.radar.items() if m[i, j]),
            "fishing_ground": float(self.fishing_ground[i, j]),
            "overlap": bool(self.overlap[i, j]),
            "zone": self.zone_names[int(self.zone[i, j])],
            "cell": (i, j),
        }

    # ------------------------------------------------------------------ Mesa view
    def to_mesa_grid(self, random=None):
        """The sea as a Mesa ``OrthogonalMooreGrid`` whose property layers are these arrays.

        Built on demand: creating ~44,000 Mesa cells costs far more than the arrays, and the
        engine itself works on the arrays.
        """
        import random as _random

        from mesa.discrete_space import OrthogonalMooreGrid, PropertyLayer

        # Mesa wants a generator for reproducibility; the model passes its own.
        rng = random if random is not None else _random.Random(0)
        grid = OrthogonalMooreGrid(self.shape, torus=False, random=rng)
        layers = {
            "land": self.land,
            "water": self.water,
            "eez": self.eez,
            "claim_area": self.claim_area,
            "territorial_sea": self.territorial_sea,
            "moratorium_zone": self.moratorium_zone,
            "fishing_ground": self.fishing_ground,
            "contested": self.contested,
        }
        for name, data in layers.items():
            grid.add_property_layer(PropertyLayer.from_data(name, np.array(data)))
        return grid


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; broadcasts over array arguments."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
