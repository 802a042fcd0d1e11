"""Where vessels can go, and the hourly movement kernel.

Destinations are hot spots, ports/outposts and fishing grounds, each with a shortest-route
distance field (``sea.navigation``). A vessel in transit steps down its destination's field;
on station it loiters inside the destination's radius; with its endurance spent it returns
home. The rules are per vessel; the code is per fleet.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numba import njit

from sim.engine.fleet import ACTIVE, IN_PORT, ON_STATION, RETURNING, TRANSIT, Fleet  # noqa: F401
from sim.sea import Sea, disk_cached, npz_memmap
from sim.sea.navigation import distance_fields, nearest_water, neighbour_table

HOTSPOT, PORT, GROUND = 0, 1, 2

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
    hop_dir: np.ndarray  # (n_dest, n_cells) uint8: which neighbour is one step closer

    def __post_init__(self):
        # Flat views: one 1-D gather per lookup (key = dest * n_cells + cell) is the cheapest
        # way to read these tables for a whole fleet at once.
        self.n_cells = self.dist.shape[1]
        self.dist_flat = self.dist.ravel()
        self.hop_flat = self.hop_dir.ravel()
        self.neighbours = np.ascontiguousarray(self.neighbours)
        self.route = route_table(self.dist_flat, self.hop_flat, self.neighbours, self.n_cells)

    @property
    def next_hop(self) -> np.ndarray:
        """(n_dest, n_cells): the flat index of the neighbour one step closer (self if none).

        Stored as the neighbour's position (``hop_dir``, one byte a cell, a quarter of the
        memory of the indices); the kernel reads ``neighbours[cell, hop_dir[dest, cell]]``."""
        return self.neighbours[np.arange(self.n_cells)[None, :], self.hop_dir]

    def index(self, slug: str) -> int:
        return self.slug.index(slug)

    def of_kind(self, kind: int) -> np.ndarray:
        return np.flatnonzero(self.kind == kind)


#: One entry of ``Destinations.route``: the route length left from a cell and the next cell.
ROUTE = np.dtype([("dist", np.float32), ("next", np.int32)])


def route_table(dist_flat: np.ndarray, hop_flat: np.ndarray, neighbours: np.ndarray,
                n_cells: int) -> np.ndarray:
    """Per (destination, cell), flat like ``dist_flat``: the route length left (``dist``)
    and the next cell of the route (``next``, ``neighbours[cell, hop_dir]``), side by side.

    The hourly kernel walks routes hop by hop; reading the length and the next cell from one
    8-byte entry touches one cache line a hop instead of three (distance, hop direction,
    neighbour row), and a transit step is bound by those reads. Built in memory when the
    fields are loaded (~10 ms): the stored fields stay as they are."""
    out = np.empty(dist_flat.size, ROUTE)
    out["dist"] = dist_flat
    cells = np.tile(np.arange(n_cells, dtype=np.int64), dist_flat.size // n_cells)
    out["next"] = neighbours[cells, hop_flat]
    return out


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
    # Kept on disk between processes (sea.disk_cached), keyed by the contents of the sea's
    # layers that the fields depend on and by the code that derives them (this file and
    # sea/navigation.py): the same inputs always give the same fields.
    here = Path(__file__).resolve().parent
    return disk_cached("routes", (_sea_digest(sea),), lambda: _build_destinations(sea),
                       _save_destinations, _load_destinations,
                       sources=(here / "movement.py", here.parent / "sea" / "navigation.py"),
                       label=f"{sea.name}-{sea.resolution:g}-{sea.shape[0]}x{sea.shape[1]}")


def _build_destinations(sea: Sea) -> Destinations:
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
    # The neighbour with the shortest remaining route (the first such in the fixed neighbour
    # order; position 8 is the cell itself).
    hop_dir = np.empty(dist.shape, np.uint8)
    for k in range(len(cells)):  # (one destination at a time: a small temporary)
        hop_dir[k] = np.argmin(dist[k][nb], axis=1)
    return Destinations(slugs, np.array(kinds), flags, cells, np.array(radius, np.float32),
                        np.array(value, np.float32), dist, nb, hop_dir)


def _sea_digest(sea: Sea) -> str:
    """Hash of what the route fields are derived from: the grid, where a vessel may be, the
    fishing layer, and the features and ports."""
    h = hashlib.sha256()
    for a in (sea.lat, sea.lon, sea.water, sea.fishing_ground):
        h.update(np.ascontiguousarray(a).tobytes())
    h.update(repr((sea.name, sea.resolution, sea.features, sea.ports)).encode())
    return h.hexdigest()


def _save_destinations(d: Destinations, fh) -> None:
    meta = json.dumps(dict(slug=d.slug, flag=d.flag)).encode()
    np.savez(fh, meta=np.frombuffer(meta, np.uint8), kind=d.kind, cell=d.cell,
             radius_km=d.radius_km, value=d.value, dist=d.dist, neighbours=d.neighbours,
             hop_dir=d.hop_dir)


def _load_destinations(fh) -> Destinations:
    # The two big tables (distances 8 MB, hop directions 2 MB at 0.1 degrees) are
    # memory-mapped, not read: a sweep's workers on one machine share their pages through the
    # page cache, and a run touches only the pages of the cells its vessels visit.
    with np.load(fh) as z:
        meta = json.loads(z["meta"].tobytes().decode())
        small = {k: z[k] for k in ("kind", "cell", "radius_km", "value", "neighbours")}
    return Destinations(meta["slug"], small["kind"], meta["flag"], small["cell"],
                        small["radius_km"], small["value"], npz_memmap(fh.name, "dist"),
                        small["neighbours"], npz_memmap(fh.name, "hop_dir"))


def destinations(sea: Sea) -> Destinations:
    """Destinations and their route fields, built once per sea per process."""
    return _destinations((sea.name, sea.resolution, sea.shape), sea)


def move(fleet: Fleet, dst: Destinations, rng: np.random.Generator, step_hours: float,
         cell_km: float, loiter_chance: float) -> None:
    """Advance every vessel at sea by one step (transit, loiter, return, arrive);
    ``loiter_chance``: per hour, that a vessel on station drifts to a neighbouring cell."""
    n = fleet.n
    k = _count_moving(fleet.status, fleet.task, fleet.dest, n)
    if k == 0:
        return
    # One draw per moving vessel, in id order, drawn here so that the kernel stays a pure
    # function of its inputs (and the stream does not depend on how the kernel is compiled).
    draws = rng.random(k)
    loiter = 1.0 - (1.0 - loiter_chance) ** step_hours
    _move_kernel(n, fleet.status, fleet.task, fleet.dest, fleet.home, fleet.cell,
                 fleet.credit_km, fleet.speed_km_h, fleet.hours_left, fleet.port_until,
                 dst.radius_km, dst.route, dst.neighbours, dst.n_cells,
                 float(step_hours), float(cell_km), draws, loiter)


@njit(cache=True)
def _count_moving(status, task, dest, n):
    """How many vessels move this step: in service, at sea, with somewhere to be."""
    k = 0
    for i in range(n):
        if status[i] == ACTIVE and task[i] != IN_PORT and dest[i] >= 0:
            k += 1
    return k


@njit(cache=True)
def _move_kernel(n, status, task, dest, home, cell, credit, speed, hours_left, port_until,
                 radius, route, neighbours, n_cells, step_hours, cell_km, draws, loiter):
    """Per vessel at sea (in id order, one draw each): in transit, hop along the shortest route
    while the step's distance credit lasts; on station, drift now and then to a neighbouring
    cell inside the station's radius. A vessel that reaches its destination is in port if that
    is its home (the turnaround is set at the next day's start) and on station otherwise."""
    m = 0
    for i in range(n):
        if status[i] != ACTIVE or task[i] == IN_PORT or dest[i] < 0:
            continue  # (in port, out of service, or nowhere to go: as in _count_moving)
        u = draws[m]
        m += 1
        d = dest[i]
        base = d * n_cells
        c = cell[i]
        hours_left[i] -= step_hours
        if task[i] == ON_STATION:
            if u < loiter:
                nb = neighbours[c, int(u / loiter * 9)]
                if route[base + nb].dist <= max(radius[d], 1.0):
                    cell[i] = nb
            continue
        credit[i] = min(credit[i] + speed[i] * step_hours, speed[i] * step_hours + 2 * cell_km)
        here = route[base + c]
        while True:
            nxt = here.next
            ahead = route[base + nxt]
            length = here.dist - ahead.dist
            if nxt == c or credit[i] < length:
                break
            credit[i] -= length
            c, here = nxt, ahead
            if here.dist <= radius[d]:  # arrived
                if d == home[i]:
                    task[i] = IN_PORT
                    dest[i] = -1
                    port_until[i] = -1  # "just in": the turnaround is set at day start
                else:
                    task[i] = ON_STATION
                credit[i] = 0.0
                break
        cell[i] = c


def at_sea(fleet: Fleet) -> np.ndarray:
    """``fleet.at_sea`` (in service and out of port) in one pass: the hourly loop's mask."""
    return _at_sea_kernel(fleet.status, fleet.task, fleet.n)


@njit(cache=True)
def _at_sea_kernel(status, task, n):
    out = np.empty(n, np.bool_)
    for i in range(n):
        out[i] = status[i] == ACTIVE and task[i] != IN_PORT
    return out


def send(fleet: Fleet, ids: np.ndarray, dest: np.ndarray | int) -> None:
    """Send vessels (in port or at sea) towards destinations."""
    fleet.dest[ids] = dest
    fleet.task[ids] = TRANSIT


def recall(fleet: Fleet, ids: np.ndarray) -> None:
    """Order vessels at sea home."""
    ids = ids[fleet.task[ids] != IN_PORT]
    fleet.dest[ids] = fleet.home[ids]
    fleet.task[ids] = RETURNING


def must_return(fleet: Fleet, dst: Destinations, margin_h: float) -> np.ndarray:
    """Vessels at sea whose endurance left barely covers the way home with ``margin_h`` hours
    in hand (ids)."""
    out = np.empty(fleet.n, np.int64)
    k = _must_return_kernel(fleet.n, fleet.status, fleet.task, fleet.home, fleet.cell,
                            fleet.speed_km_h, fleet.hours_left, dst.dist_flat, dst.n_cells,
                            np.float32(margin_h), out)
    return out[:k]


@njit(cache=True)
def _must_return_kernel(n, status, task, home, cell, speed, hours_left, dist, n_cells, margin,
                        out):
    """Ids of vessels at sea, not already heading home, with hours left <= hours home + margin
    (hours home: route length home / speed; float32 throughout, like the fields)."""
    k = 0
    for i in range(n):
        if status[i] != ACTIVE or task[i] == IN_PORT or task[i] == RETURNING:
            continue
        hours_home = dist[home[i] * n_cells + cell[i]] / max(speed[i], np.float32(1.0))
        if hours_left[i] <= hours_home + margin:
            out[k] = i
            k += 1
    return k
