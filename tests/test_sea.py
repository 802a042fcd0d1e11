"""The South China Sea grid: places people know must come out right through ``Sea.at``."""

from __future__ import annotations

import time

import numpy as np
import pytest

from sim.sea import scs
from sim.sea.grid import STATES, Sea
from sim.sea.scs import build_scs

RESOLUTIONS = (0.05, 0.1, 0.25)
HOTSPOTS = {"paracels", "vanguard_bank", "spratly_island", "fiery_cross_reef", "subi_reef", "mischief_reef",
            "second_thomas_shoal", "whitsun_reef", "thitu", "scarborough_shoal", "luconia_shoals"}
WOODY, TRITON = (16.834, 112.338), (15.783, 111.200)
VANGUARD, LUCONIA = (7.5, 109.7), (5.05, 112.58)
MISCHIEF, SECOND_THOMAS, SCARBOROUGH = (9.917, 115.533), (9.733, 115.864), (15.183, 117.767)
OFF_DA_NANG = (16.10, 108.50)  # ~30 km east of Da Nang (16.068, 108.221)


@pytest.fixture(scope="module", params=RESOLUTIONS, ids=lambda r: f"{r}deg")
def sea(request) -> Sea:
    return build_scs(request.param)


@pytest.fixture(scope="module")
def sea_by_treatment() -> dict[str, Sea]:
    return {t: build_scs(0.1, t) for t in scs.TREATMENTS}


def test_land(sea):
    assert sea.at(19.2, 109.7)["land"], "Hainan"
    assert sea.at(16.0, 108.1)["land"], "Vietnamese coast near Da Nang"
    assert sea.at(21.0, 105.8)["land"], "Hanoi"
    assert not sea.at(14.0, 113.0)["land"], "open sea west of Macclesfield Bank"


def test_paracel_islands_are_land_or_features(sea):
    for lat, lon in (WOODY, TRITON):
        p = sea.at(lat, lon)
        assert p["land"] or p["feature"] is not None


def test_exclusive_economic_zones(sea):
    assert sea.at(*VANGUARD)["eez"] == "VNM"
    assert sea.at(*MISCHIEF)["eez"] == "PHL"
    assert sea.at(*SECOND_THOMAS)["eez"] == "PHL"
    assert sea.at(*SCARBOROUGH)["eez"] == "PHL"
    assert sea.at(*LUCONIA)["eez"] == "MYS"
    assert sea.at(15.9, 114.4)["eez"] == "CHN", "Macclesfield Bank, from the Paracels"


def test_agreed_boundaries_override_equidistance(sea):
    assert sea.at(19.5, 107.6)["eez"] == "VNM"  # west of the Gulf of Tonkin line
    assert sea.at(19.5, 108.2)["eez"] == "CHN"
    assert sea.at(6.4, 108.0)["eez"] == "IDN"  # south of the 2003 Indonesia-Vietnam line
    assert sea.at(6.9, 108.0)["eez"] == "VNM"


def test_claim_and_moratorium(sea):
    para = sea.feature("paracels")
    p = sea.at(para.lat, para.lon)
    assert p["moratorium_zone"] and p["claim_area"]
    assert sea.at(*SCARBOROUGH)["moratorium_zone"]
    assert not sea.at(*MISCHIEF)["moratorium_zone"], "south of 12 N"
    assert not sea.at(20.0, 107.0)["claim_area"], "Vietnamese side of the Gulf of Tonkin"
    assert not sea.at(16.1, 108.5)["claim_area"], "Vietnamese coastal waters"
    assert sea.at(*VANGUARD)["claim_area"] and sea.at(*LUCONIA)["claim_area"]


def test_radar(sea):
    assert "VNM" in sea.at(*OFF_DA_NANG)["radar"]
    assert "VNM" not in sea.at(*SCARBOROUGH)["radar"]
    assert "CHN" in sea.at(*WOODY)["radar"]


def test_territorial_sea(sea):
    assert sea.at(*SCARBOROUGH)["territorial_sea"] == "CHN"
    assert sea.at(*SECOND_THOMAS)["territorial_sea"] == "PHL"
    for k, state in enumerate(STATES):  # Brunei's short coast leaves no water cell in 12 nm at 0.25
        assert (sea.territorial_sea == k).any() or (state == "BRN" and sea.resolution > 0.1), state
    if sea.resolution <= 0.1:  # at 0.25 deg the cells within 12 nm of this coast hold land
        assert sea.at(16.1, 108.4)["territorial_sea"] == "VNM"


def test_spratly_treatments(sea_by_treatment):
    pocket = {}
    for t, s in sea_by_treatment.items():
        box = np.ix_((s.lat > 8) & (s.lat < 11.5), (s.lon > 112) & (s.lon < 116))
        pocket[t] = int(((s.eez[box] < 0) & s.water[box]).sum())
    assert pocket["award"] > 50, "a high-seas pocket over the Spratlys under the 2016 award"
    assert pocket["china_claim"] == 0 and pocket["occupant"] == 0
    assert sea_by_treatment["award"].at(10.5, 113.5)["zone"] == "high_seas"
    assert sea_by_treatment["china_claim"].at(*MISCHIEF)["eez"] == "CHN"
    assert sea_by_treatment["occupant"].at(*SECOND_THOMAS)["eez"] == "PHL"


def test_layers_are_consistent(sea):
    shape = (sea.lat.size, sea.lon.size)
    expected = {"land": bool, "eez": np.int8, "entitlement": np.uint8, "claim_area": bool,
                "territorial_sea": np.int8, "moratorium_zone": bool, "fishing_ground": np.float32,
                "feature_cell": np.int16}
    for name, dtype in expected.items():
        a = getattr(sea, name)
        assert a.shape == shape and a.dtype == dtype, name
    assert np.allclose(np.diff(sea.lat), sea.resolution) and np.allclose(np.diff(sea.lon), sea.resolution)
    assert 2.9 < sea.lat[0] < 3.2 and 24.8 < sea.lat[-1] < 25.1
    assert sea.eez.min() >= -1 and sea.eez.max() < len(STATES)
    assert 0 <= sea.fishing_ground.min() and sea.fishing_ground.max() <= 1
    assert sea.fishing_ground.max() > 0.8
    # every entitled owner is entitled: the nearest entitled state, or an agreed line's party
    owned = sea.eez >= 0
    assert ((sea.entitlement[owned] >> sea.eez[owned].astype(np.uint8)) & 1).mean() > 0.999
    assert set(sea.hotspot_slugs) == HOTSPOTS
    assert all((sea.feature_cell == k).sum() <= 1 for k in range(len(sea.features)))
    for slug in HOTSPOTS:
        f = sea.feature(slug)
        assert sea.at(f.lat, f.lon)["feature"] == f.name, slug
    assert {p.flag for p in sea.ports} >= {"CHN", "VNM", "PHL"}
    assert "claim_area" in sea.notes and "approx" in sea.notes["claim_area"].lower()


def test_bad_input():
    s = build_scs(0.25)
    with pytest.raises(ValueError):
        s.at(30.0, 110.0)
    with pytest.raises(ValueError):
        s.at(10.0, 125.0)
    for bad in (0.01, 0.5):
        with pytest.raises(ValueError, match="resolution"):
            build_scs(bad)
    with pytest.raises(ValueError, match="spratly_treatment"):
        build_scs(0.25, "nobody")


def test_rebuild_after_clearing_caches_is_identical():
    """The sea's in-process caches only save time: a build from scratch equals a cached one.
    (Build time is measured by ``make bench``, not asserted here.)"""
    cached = build_scs(0.1)
    for f in (scs._fine, scs._coast_trees, scs._table):
        f.cache_clear()
    t0 = time.perf_counter()
    cold = build_scs(0.1)
    print(f"build_scs(0.1) from scratch: {time.perf_counter() - t0:.3f} s")
    for name in ("land", "eez", "entitlement", "claim_area", "territorial_sea",
                 "moratorium_zone", "fishing_ground", "feature_cell"):
        assert np.array_equal(getattr(cold, name), getattr(cached, name)), name


def test_draw_sea_map(tmp_path):
    from sim.plots.sea_map import draw_sea_map
    from sim.sea.grid import RadarStation

    extra = [RadarStation("Test radar", "VNM", 12.0, 109.3, 150.0)]
    out = draw_sea_map(build_scs(0.25), tmp_path / "sea_map.png", extra_stations=extra)
    assert out.exists() and out.stat().st_size > 50_000
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.with_suffix(".svg").stat().st_size > 0
