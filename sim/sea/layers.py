"""Per-cell layers of a sea as flat arrays, indexed by a vessel's cell (``fleet.cell``).

Built once per run from the ``Sea`` (and updated where the game changes them: Japan's radars
extend ``radar_vn``). Everything the hourly kernels ask of the geography is here.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from sim.sea.grid import NM_KM, STATES, Sea
from sim.sea.regions import SPRATLY_BOX

HOTSPOT_RADIUS_KM = 12 * NM_KM  # a vessel is "at" a hot spot within 12 nm (CONTRACT: hotspots)


@dataclass
class Layers:
    claim: np.ndarray  # inside China's claim (nine-dash-line area)
    moratorium: np.ndarray  # China's summer moratorium zone
    vn_eez: np.ndarray  # Vietnam's EEZ (equidistance)
    vn_entitled: np.ndarray  # within 200 nm of Vietnam
    contested: np.ndarray
    zone: np.ndarray  # index into ``Sea.zone_names``
    north: np.ndarray  # north of 12°N (the weather's two regions; the moratorium's reach)
    spratly: np.ndarray  # the Spratly area (regions.SPRATLY_BOX)
    hotspot_bits: np.ndarray  # bit k: within HOTSPOT_RADIUS_KM of hot spot k
    nearest_hotspot: np.ndarray  # index of the hot spot whose area the cell is in, else -1
    lat: np.ndarray
    lon: np.ndarray
    radar_vn: np.ndarray  # Vietnamese radar coverage (base stations; Japan's added later)
    radar_cn: np.ndarray

    def cover_radar_vn(self, sea: Sea, stations) -> None:
        """Vietnamese radar coverage from ``stations`` (the base ones and those Japan funds)."""
        self.radar_vn = sea.radar_coverage(stations).get("VNM", np.zeros(sea.shape, bool)).ravel()


def build_layers(sea: Sea, hotspot_area_km: float) -> Layers:
    """``hotspot_area_km``: cells this close to a hot spot belong to its area (the nearest).

    A fresh copy for each model (a model changes its own: Japan's radars, ``cover_radar_vn``)
    of layers built once per sea and distance in a process (~30 ms: a sweep worker builds
    many models, the app one per student)."""
    return copy.deepcopy(_built_layers(sea, float(hotspot_area_km)))


@lru_cache(maxsize=8)
def _built_layers(sea: Sea, hotspot_area_km: float) -> Layers:
    lat2, lon2 = np.meshgrid(sea.lat, sea.lon, indexing="ij")
    flat = lambda a: np.ascontiguousarray(a).ravel()  # noqa: E731
    radar = sea.radar
    return Layers(
        claim=flat(sea.claim_area), moratorium=flat(sea.moratorium_zone),
        vn_eez=flat(sea.eez == STATES.index("VNM")), vn_entitled=flat(sea.entitled("VNM")),
        contested=flat(sea.contested), zone=flat(sea.zone), north=flat(lat2 >= 12.0),
        spratly=flat(_in_box(lat2, lon2, SPRATLY_BOX.get(sea.name))),
        hotspot_bits=flat(_hotspot_bits(sea)), nearest_hotspot=_nearest_hotspot(sea, hotspot_area_km),
        lat=flat(lat2), lon=flat(lon2),
        radar_vn=flat(radar.get("VNM", np.zeros(sea.shape, bool))),
        radar_cn=flat(radar.get("CHN", np.zeros(sea.shape, bool))))


def _in_box(lat2: np.ndarray, lon2: np.ndarray, box) -> np.ndarray:
    if box is None:
        return np.ones(lat2.shape, bool)
    b0, b1, c0, c1 = box
    return (lat2 >= b0) & (lat2 <= b1) & (lon2 >= c0) & (lon2 <= c1)


def _hotspot_bits(sea: Sea) -> np.ndarray:
    bits = np.zeros(sea.shape, np.int64)
    for k, f in enumerate(x for x in sea.features if x.hotspot):
        bits |= (sea.distance_km(f.lat, f.lon) <= HOTSPOT_RADIUS_KM).astype(np.int64) << k
    return bits


def _nearest_hotspot(sea: Sea, km: float) -> np.ndarray:
    d = np.stack([sea.distance_km(f.lat, f.lon).ravel() for f in sea.features if f.hotspot])
    near = np.argmin(d, axis=0)
    return np.where(d.min(axis=0) <= km, near, -1).astype(np.int32)
