"""Who meets whom: opposing vessels at sea within interaction range, each pair with an hourly
chance of engaging set by who meets whom and where (claimed waters, Vietnam's EEZ, the
moratorium, China's posture at the nearest hot spot)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numba import njit

from sim.engine.fleet import CHN, COAST_GUARD, FISHING, MILITIA, VNM


class Meetings:
    """Finds the pairs that may start an encounter this step, with each pair's hourly chance.

    Per step, targets are threaded into per-cell lists (one per flag); each government actor
    then walks the lists of the cells within range. Only targets where the actor's State
    contests them count: Chinese cutters and militia press Vietnamese vessels inside the claim
    area; Vietnamese patrols act in waters Vietnam is entitled to.
    """

    def __init__(self, sea, layers, e, step_hours: int, radius_cells: int):
        self.layers, self.e, self.step_hours = layers, e, step_hours
        self.around = neighbourhood_table(sea, radius_cells)
        # Per-cell list heads and per-vessel links, int32 to keep them small in the cache.
        self.head = np.full((2, sea.n_cells), -1, np.int32)
        self.next = np.full(64, -1, np.int32)
        self._out = (np.empty(4096, np.int64), np.empty(4096, np.int64), np.empty(4096))
        self._rates_for = None
        self.posture = np.ones(sea.n_cells)  # China's posture factor per cell (set weekly)

    def candidates(self, fleet, at_sea: np.ndarray, step: int, moratorium_on: bool):
        """(actor, target, hourly chance) of every pair that may engage this step, among the
        vessels at sea that are not still busy with an earlier encounter. The arrays are views
        of buffers reused by the next call."""
        f, lay = fleet, self.layers
        if self.next.size < f.n:
            self.next = np.full(2 * f.n, -1, np.int32)
        rates = self._rates(moratorium_on)
        while True:
            a, t, p = self._out
            k = _pairs_kernel(at_sea, f.busy_until, step, f.flag, f.kind, f.cell, self.around,
                              lay.claim, lay.moratorium, lay.vn_eez, lay.vn_entitled,
                              self.posture, rates, self.head, self.next, a, t, p)
            if k <= a.size:
                return a[:k], t[:k], p[:k]
            self._out = (np.empty(2 * k, np.int64), np.empty(2 * k, np.int64), np.empty(2 * k))

    def _rates(self, moratorium_on: bool) -> np.ndarray:
        if self._rates_for != moratorium_on:  # changes twice a year: rebuild only then
            e = self.e
            self._rate_array = np.array([
                e.engage_cg_fishing, e.engage_gov, e.engage_militia, e.engage_enforcement,
                e.moratorium_boost if moratorium_on else 1.0, float(self.step_hours)])
            self._rates_for = moratorium_on
        return self._rate_array


@lru_cache(maxsize=8)
def neighbourhood_table(sea, radius_cells: int) -> np.ndarray:
    """Flat indices of the cells within ``radius_cells`` (Chebyshev) of each cell; off-grid
    and land cells are replaced by the cell itself, which is always the last column. Built once
    per sea and radius in a process (every run of a sweep shares it): treat it as read-only."""
    ny, nx = sea.shape
    r = np.arange(-radius_cells, radius_cells + 1)
    offs = [(di, dj) for di in r for dj in r if (di, dj) != (0, 0)] + [(0, 0)]
    i, j = np.divmod(np.arange(ny * nx), nx)
    ni = i[:, None] + np.array([o[0] for o in offs])[None, :]
    nj = j[:, None] + np.array([o[1] for o in offs])[None, :]
    inside = (ni >= 0) & (ni < ny) & (nj >= 0) & (nj < nx)
    flat = np.where(inside, ni * nx + nj, (i * nx + j)[:, None])
    water = sea.water.ravel()
    return np.ascontiguousarray(np.where(water[flat], flat, (i * nx + j)[:, None]), np.int32)


@njit(cache=True)
def _pairs_kernel(at_sea, busy_until, step, flag, kind, cell, around, claim, moratorium, vn_eez,
                  vn_entitled, posture, rates, head, nxt, out_a, out_t, out_p):
    """Candidate (actor, target, hourly chance) triples; returns their count (may exceed the
    buffers, in which case the caller grows them and calls again). Vessels take part if they
    are at sea and free (not busy with an earlier encounter)."""
    cg_fishing, gov, militia, enforcement, boost, hours = rates
    n_free = 0
    ids = np.empty(at_sea.size, np.int64)
    for i in range(at_sea.size):
        if at_sea[i] and busy_until[i] <= step:
            ids[n_free] = i
            n_free += 1
    ids = ids[:n_free]
    for i in ids:  # thread eligible targets into per-cell lists, one per flag
        c = cell[i]
        if (flag[i] == VNM and claim[c]) or (flag[i] == CHN and vn_entitled[c]):
            nxt[i] = head[flag[i], c]
            head[flag[i], c] = i
    k = 0
    width = around.shape[1]
    for a in ids:
        if kind[a] != COAST_GUARD and kind[a] != MILITIA:
            continue
        other = 1 - flag[a]
        c = cell[a]
        for j in range(width):
            nc = around[c, j]
            if nc == c and j < width - 1:
                continue  # a land or off-grid neighbour, stood in for by the cell itself
            t = head[other, nc]
            while t >= 0:
                fishing = kind[t] == FISHING
                if flag[a] == CHN:  # China presses Vietnamese vessels in its claim
                    if kind[a] == MILITIA:
                        p = militia
                    else:
                        p = cg_fishing if fishing else gov
                    if fishing and moratorium[nc]:
                        p *= boost
                    p *= posture[nc]
                elif fishing:  # Vietnam enforces against Chinese fishing in its EEZ
                    p = enforcement if vn_eez[nc] else 0.0
                elif kind[t] == MILITIA:  # shadows militia trawlers
                    p = militia
                else:  # and Chinese government ships, rigs and survey ships
                    p = gov
                if p > 0.0:
                    if k < out_a.size:
                        out_a[k] = a
                        out_t[k] = t
                        q = 1.0 - min(p, 1.0)  # chance of not engaging in one hour
                        # over the step: 1 - q ** hours (q ** 1.0 is exactly q: skip the power)
                        out_p[k] = 1.0 - (q if hours == 1.0 else q ** hours)
                    k += 1
                t = nxt[t]
    for i in ids:  # leave the lists empty for the next step
        head[flag[i], cell[i]] = -1
    return k
