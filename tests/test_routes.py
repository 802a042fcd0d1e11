"""Route fields: the next hop the kernels find on the fly, and the disk cache they are mapped from."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine import movement
from sim.sea import build_sea, npz_memmap


@pytest.fixture()
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GREYZONE_CACHE", str(tmp_path))
    movement._destinations.cache_clear()
    yield tmp_path
    movement._destinations.cache_clear()


def _sea():
    from omegaconf import OmegaConf

    return build_sea(OmegaConf.create({"name": "scs", "resolution": 0.25}))


def test_next_hop_is_the_closest_neighbour(fresh_cache):
    sea = _sea()
    dst = movement.destinations(sea)
    assert dst.hop_dir.dtype == np.uint8 and dst.hop_dir.max() <= 8
    hop = dst.next_hop
    rng = np.random.default_rng(0)
    for k in rng.choice(len(dst.slug), 8, replace=False):
        for c in rng.choice(dst.n_cells, 300, replace=False):
            nbs = dst.neighbours[c]
            d = dst.dist[k, nbs]
            first_min = nbs[int(np.flatnonzero(d == d.min())[0])]
            assert hop[k, c] == first_min


def test_next_hops_follow_a_shortest_route(fresh_cache):
    sea = _sea()
    dst = movement.destinations(sea)
    hop = dst.next_hop
    water = sea.water.ravel()
    rng = np.random.default_rng(1)
    for k in range(len(dst.slug)):
        d = dst.dist[k]
        for c in rng.choice(np.flatnonzero(water), 20, replace=False):
            if not np.isfinite(d[c]):
                continue
            steps = 0
            while hop[k, c] != c:
                nxt = hop[k, c]
                assert d[nxt] < d[c] and water[nxt]
                c, steps = nxt, steps + 1
                assert steps < dst.n_cells
            assert d[c] == 0.0, dst.slug[k]  # every walk ends at the destination itself


def test_disk_cache_maps_the_same_fields(fresh_cache):
    sea = _sea()
    built = movement.destinations(sea)  # a miss: built here and written to the cache
    files = list(fresh_cache.glob("routes-*.npz"))
    assert len(files) == 1
    movement._destinations.cache_clear()
    loaded = movement.destinations(sea)  # a hit: read back, the fields memory-mapped
    assert loaded is not built
    assert np.array_equal(loaded.dist, built.dist) and loaded.dist.dtype == built.dist.dtype
    assert np.array_equal(loaded.hop_dir, built.hop_dir) and loaded.hop_dir.dtype == np.uint8
    assert loaded.slug == built.slug and np.array_equal(loaded.cell, built.cell)
    for table in (loaded.dist, loaded.hop_dir):
        base = table
        while base is not None and not isinstance(base, np.memmap):
            base = base.base
        assert isinstance(base, np.memmap)
        assert table.flags.writeable  # copy-on-write: numba sees the same array type


def test_npz_memmap_refuses_compressed_members(tmp_path):
    np.savez_compressed(tmp_path / "c.npz", a=np.arange(10))
    with pytest.raises(ValueError, match="compressed"):
        npz_memmap(tmp_path / "c.npz", "a")
    np.savez(tmp_path / "u.npz", a=np.arange(10.0).reshape(2, 5), b=np.ones(3, np.int8))
    assert np.array_equal(npz_memmap(tmp_path / "u.npz", "a"), np.arange(10.0).reshape(2, 5))
    assert np.array_equal(npz_memmap(tmp_path / "u.npz", "b"), np.ones(3, np.int8))
