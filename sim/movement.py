"""Where vessels can go, and the hourly movement kernel.

Destinations are hot spots, ports/outposts and fishing grounds, each with a shortest-route
distance field (``sea.navigation``). A vessel in transit steps down its destination's field;
on station it loiters inside the destination's radius; with its endurance spent it returns
home. The rules are per vessel; the code is per fleet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numba import njit

from .fleet import IN_PORT, ON_STATION, RETURNING, TRANSIT, Fleet  # noqa: F401
from .sea import Sea
from .sea.navigation import distance_fields, nearest_water, neighbour_table

HOTSPOT, PORT, GROUND = 0, 1, 2
LOITER_CHANCE = 0.3  # chance per hour that a vessel on station drifts to a neighbouring cell


@dataclass
class Destinations:
    slug: list[str]
    kind: np.ndarray  # HOTSPOT | PORT | GROUND
    flag: list[str | None]  # ports: owner; others None
    cell: np.ndarray  # flat cell index
    radius_km: np.ndarray
    value: np.ndarray  # grounds: catch value in [0, 1]; others 0
    dist: np.ndarray  # (n_dest, n_cells) route length in km
    neighbours: np.ndarray  # (n_cells, 9) flat indices, land replaced by self
    next_hop: np.ndarray  # (n_dest, n_cells) the neighbour one step closer (self if none)

    def __post_init__(self):
        # Flat views: one 1-D gather per lookup (key = dest * n_cells + cell) is the cheapest
        # way to read these tables for a whole fleet at once.
        self.n_cells = self.dist.shape[1]
        self.dist_flat = self.dist.ravel()
        self.hop_flat = self.next_hop.ravel()
        self.neighbours = np.ascontiguousarray(self.neighbours)

    def index(self, slug: str) -> int:
        return self.slug.index(slug)

    def of_kind(self, kind: int) -> np.ndarray:
        return np.flatnonzero(self.kind == kind)


def fishing_grounds(sea: Sea, block_deg: float = 1.5, threshold: float = 0.45, most: int = 16):
    """Ground centres: the richest cell of each ``block_deg`` block of the fishing layer."""
    fg = np.where(sea.water, sea.fishing_ground, 0.0)
    ny, nx = sea.shape
    b = max(1, int(round(block_deg / sea.resolution)))
    found = []
    for i0 in range(0, ny, b):
        for j0 in range(0, nx, b):
            blk = fg[i0:i0 + b, j0:j0 + b]
            k = int(np.argmax(blk))
            v = float(blk.flat[k])
            if v >= threshold:
                i, j = divmod(k, blk.shape[1])
                found.append((v, (i0 + i) * nx + (j0 + j)))
    found.sort(reverse=True)
    return found[:most]


@lru_cache(maxsize=8)
def _destinations(sea_key: tuple, sea: Sea) -> Destinations:
    slugs, kinds, flags, cells, radius, value = [], [], [], [], [], []
    for f in sea.features:
        if f.hotspot:
            slugs.append(f.slug), kinds.append(HOTSPOT), flags.append(None)
            cells.append(nearest_water(sea, f.lat, f.lon)), radius.append(15.0), value.append(0)
    for p in sea.ports:
        slugs.append(p.slug), kinds.append(PORT), flags.append(p.flag)
        cells.append(nearest_water(sea, p.lat, p.lon)), radius.append(0.0), value.append(0)
    nx = sea.shape[1]
    for v, cell in fishing_grounds(sea):
        i, j = divmod(cell, nx)
        slugs.append(f"ground_{sea.lat[i]:.1f}N_{sea.lon[j]:.1f}E")
        kinds.append(GROUND), flags.append(None), cells.append(cell)
        radius.append(40.0), value.append(v)
    cells = np.array(cells, np.int64)
    dist, nb = distance_fields(sea, cells), neighbour_table(sea)
    hop = np.empty(dist.shape, np.int32)
    for k in range(len(cells)):  # the neighbour with the shortest remaining route
        hop[k] = nb[np.arange(nb.shape[0]), np.argmin(dist[k][nb], axis=1)]
    return Destinations(slugs, np.array(kinds), flags, cells, np.array(radius, np.float32),
                        np.array(value, np.float32), dist, nb, hop)


def destinations(sea: Sea) -> Destinations:
    """Destinations and their route fields, built once per sea per process."""
    return _destinations((sea.name, sea.resolution, sea.shape), sea)


def move(fleet: Fleet, dst: Destinations, rng: np.random.Generator, step_hours: float,
         cell_km: float) -> None:
    """Advance every vessel at sea by one step (transit, loiter, return, arrive)."""
    n = fleet.n
    ids = np.flatnonzero(fleet.at_sea & (fleet.dest[:n] >= 0))
    if ids.size == 0:
        return
    draws = rng.random(ids.size)  # drawn here so the kernel stays a pure function of its inputs
    loiter = 1.0 - (1.0 - LOITER_CHANCE) ** step_hours
    arrived = np.empty(ids.size, np.int64)
    k = _move_kernel(ids, fleet.cell, fleet.dest, fleet.task, fleet.credit_km, fleet.speed_km_h,
                     fleet.hours_left, dst.radius_km, dst.dist_flat, dst.hop_flat,
                     dst.neighbours, dst.n_cells, float(step_hours), float(cell_km), draws,
                     loiter, arrived)
    _arrive(fleet, dst, arrived[:k])


@njit(cache=True)
def _move_kernel(ids, cell, dest, task, credit, speed, hours_left, radius, dist, hop,
                 neighbours, n_cells, step_hours, cell_km, draws, loiter, arrived):
    """Per vessel: in transit, hop along the shortest route while the step's distance credit
    lasts; on station, drift now and then to a neighbouring cell inside the station's radius.
    Returns how many vessels reached their destination (their ids fill ``arrived``)."""
    k = 0
    for m in range(ids.size):
        i = ids[m]
        d = dest[i]
        base = d * n_cells
        c = cell[i]
        hours_left[i] -= step_hours
        if task[i] == ON_STATION:
            if draws[m] < loiter:
                nb = neighbours[c, int(draws[m] / loiter * 9)]
                if dist[base + nb] <= max(radius[d], 1.0):
                    cell[i] = nb
            continue
        credit[i] = min(credit[i] + speed[i] * step_hours, speed[i] * step_hours + 2 * cell_km)
        while True:
            nxt = hop[base + c]
            length = dist[base + c] - dist[base + nxt]
            if nxt == c or credit[i] < length:
                break
            credit[i] -= length
            c = nxt
            if dist[base + c] <= radius[d]:
                arrived[k] = i
                k += 1
                break
        cell[i] = c
    return k


def _arrive(fleet: Fleet, dst: Destinations, ids: np.ndarray) -> None:
    if ids.size == 0:
        return
    home = fleet.dest[ids] == fleet.home[ids]
    port, stay = ids[home], ids[~home]  # reaching its own home port means back in port
    fleet.task[port] = IN_PORT
    fleet.dest[port] = -1
    fleet.port_until[port] = -1  # "just in": the model sets the turnaround at day start
    fleet.task[stay] = ON_STATION
    fleet.credit_km[ids] = 0.0


def send(fleet: Fleet, ids: np.ndarray, dest: np.ndarray | int) -> None:
    """Send vessels (in port or at sea) towards destinations."""
    fleet.dest[ids] = dest
    fleet.task[ids] = TRANSIT


def recall(fleet: Fleet, ids: np.ndarray) -> None:
    """Order vessels at sea home."""
    ids = ids[fleet.task[ids] != IN_PORT]
    fleet.dest[ids] = fleet.home[ids]
    fleet.task[ids] = RETURNING


def must_return(fleet: Fleet, dst: Destinations, margin_h: float = 12.0) -> np.ndarray:
    """Vessels at sea whose endurance left barely covers the way home (ids)."""
    ids = np.flatnonzero(fleet.at_sea & (fleet.task[: fleet.n] != RETURNING))
    if ids.size == 0:
        return ids
    hours_home = dst.dist[fleet.home[ids], fleet.cell[ids]] / np.maximum(fleet.speed_km_h[ids], 1)
    return ids[fleet.hours_left[ids] <= hours_home + margin_h]
