"""A small synthetic sea for fast tests and first lessons.

Four degrees square (10–14°N, 108–112°E): Vietnam's coast on the west, a Chinese coast on the
east, one disputed reef held by China in the middle, one port per side. Every layer of the real
sea exists here with simple, documented rules, so the model runs unchanged on either sea.
"""

from __future__ import annotations

import numpy as np

from sim.sea.grid import STATE_INDEX, Feature, Port, RadarStation, Sea

LAT0, LAT1, LON0, LON1 = 10.0, 14.0, 108.0, 112.0
REEF = Feature("toy_reef", "Toy Reef", 12.05, 110.05, "CHN", "reef", hotspot=True)
BANK = Feature("toy_bank", "Toy Bank", 11.05, 109.05, None, "bank", hotspot=True)


def build_toy(resolution: float = 0.1) -> Sea:
    n = int(round((LAT1 - LAT0) / resolution))
    lat = LAT0 + resolution * (np.arange(n) + 0.5)
    lon = LON0 + resolution * (np.arange(n) + 0.5)
    LAT, LON = np.meshgrid(lat, lon, indexing="ij")

    # Gently curved coasts so that movement has to respect land.
    vn_coast = 108.4 + 0.1 * np.sin((LAT - LAT0) * 1.5)
    cn_coast = 111.6 - 0.1 * np.cos((LAT - LAT0) * 1.5)
    vn_land, cn_land = LON < vn_coast, LON > cn_coast
    land = vn_land | cn_land

    d_vn = np.clip(LON - vn_coast, 0, None) * 111.0  # km, adequate at this scale
    d_cn = np.clip(cn_coast - LON, 0, None) * 111.0
    eez = np.where(d_vn <= d_cn, STATE_INDEX["VNM"], STATE_INDEX["CHN"]).astype(np.int8)
    eez[land] = -1
    entitlement = ((d_vn <= 370.4) << STATE_INDEX["VNM"]) | ((d_cn <= 370.4) << STATE_INDEX["CHN"])
    entitlement = entitlement.astype(np.uint8)

    d_reef = np.hypot(LAT - REEF.lat, (LON - REEF.lon) * np.cos(np.radians(REEF.lat))) * 111.0
    territorial = np.full(land.shape, -1, np.int8)
    territorial[(d_vn > 0) & (d_vn <= 22.2)] = STATE_INDEX["VNM"]
    territorial[(d_cn > 0) & (d_cn <= 22.2)] = STATE_INDEX["CHN"]
    territorial[d_reef <= 22.2] = STATE_INDEX["CHN"]

    claim_area = (LON > vn_coast + 0.5) & ~land  # China claims all but a coastal strip
    moratorium = (LAT >= 12.0) & ~land
    d_bank = np.hypot(LAT - BANK.lat, (LON - BANK.lon) * np.cos(np.radians(BANK.lat))) * 111.0
    fishing = 0.9 * np.exp(-(d_reef / 60) ** 2) + 0.8 * np.exp(-(d_bank / 50) ** 2)
    fishing += 0.3 * np.exp(-d_vn / 40) * (d_vn > 0)
    fishing = np.clip(fishing, 0, 1).astype(np.float32)
    fishing[land] = 0

    features = [REEF, BANK]
    feature_cell = np.full(land.shape, -1, np.int16)
    sea = Sea(name="toy", lat=lat, lon=lon, resolution=resolution, land=land, eez=eez,
              entitlement=entitlement, claim_area=claim_area, territorial_sea=territorial,
              moratorium_zone=moratorium, fishing_ground=fishing, features=features,
              feature_cell=feature_cell,
              ports=[Port("vn_port", "Vietnam port", "VNM", 12.0, 108.55),
                     Port("cn_port", "China port", "CHN", 12.0, 111.45)],
              radar_stations=[RadarStation("VN coast radar", "VNM", 12.0, 108.5, 60.0),
                              RadarStation("Toy Reef radar", "CHN", REEF.lat, REEF.lon, 50.0)],
              notes={"all": "synthetic sea for tests and teaching; no real geography"})
    for k, f in enumerate(features):
        i, j = sea.cell_of(f.lat, f.lon)
        feature_cell[i, j] = k
    return sea
