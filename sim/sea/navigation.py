"""Shortest sea routes: one distance field per destination, over water cells only.

A vessel heading for destination ``k`` steps to the neighbouring water cell with the smallest
``dist[k]``; that follows a shortest route around land without any per-vessel path search.
Fields are exact shortest paths on the 8-connected grid with edge lengths in km (east-west
lengths shrink with cos(latitude)).
"""

from __future__ import annotations

import numpy as np

from sim.sea.grid import Sea

#: The 8 Moore offsets plus "stay", in a fixed order (index 8 = stay).
OFFSETS = np.array([(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1), (0, 0)])


def water_graph(sea: Sea):
    """The 8-connected graph of water cells (a scipy CSR matrix of edge lengths in km)."""
    from scipy.sparse import csr_matrix  # imported here: a cached build never needs scipy

    ny, nx = sea.shape
    idx = np.arange(ny * nx).reshape(ny, nx)
    water = sea.water
    dx, dy = sea.cell_km
    rows, cols, w = [], [], []
    for di, dj in OFFSETS[:8]:
        a = idx[max(0, -di):ny - max(0, di), max(0, -dj):nx - max(0, dj)]
        b = idx[max(0, di):ny + min(0, di), max(0, dj):nx + min(0, dj)]
        ai, bi = a.ravel(), b.ravel()
        ok = water.ravel()[ai] & water.ravel()[bi]
        row = ai[ok] // nx
        length = np.hypot(di * dy, dj * dx[row])
        rows.append(ai[ok]), cols.append(bi[ok]), w.append(length)
    return csr_matrix((np.concatenate(w), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(ny * nx, ny * nx))


def distance_fields(sea: Sea, cells: np.ndarray) -> np.ndarray:
    """Route length in km from every cell to each destination cell; shape (len(cells), n_cells).

    Unreachable cells get +inf (land) so vessels never choose them.
    """
    from scipy.sparse.csgraph import dijkstra

    d = dijkstra(water_graph(sea), directed=False, indices=np.asarray(cells, dtype=np.int64))
    return d.astype(np.float32)


def neighbour_table(sea: Sea) -> np.ndarray:
    """For every cell, the flat indices of its 8 neighbours and itself (off-grid -> itself)."""
    ny, nx = sea.shape
    i, j = np.divmod(np.arange(ny * nx), nx)
    ni = i[:, None] + OFFSETS[None, :, 0]
    nj = j[:, None] + OFFSETS[None, :, 1]
    inside = (ni >= 0) & (ni < ny) & (nj >= 0) & (nj < nx)
    flat = np.where(inside, ni * nx + nj, (i * nx + j)[:, None])
    water = sea.water.ravel()
    return np.where(water[flat], flat, (i * nx + j)[:, None]).astype(np.int32)


def nearest_water(sea: Sea, lat: float, lon: float) -> int:
    """Flat index of the water cell nearest to a point (ports sit on the coast)."""
    d = sea.distance_km(lat, lon)
    d = np.where(sea.water, d, np.inf)
    return int(np.argmin(d))
