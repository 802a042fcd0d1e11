"""Fishers: where boats go to fish, and how incidents chill them (Epstein-style perceived risk).

A Vietnamese boat leaving port picks the ground with the best expected catch minus
``risk_aversion`` × perceived risk minus travel cost, with random taste (a logit choice).
Perceived risk is a decaying memory, per home port and ground, of incidents against boats
near that ground, heard over the radio (fully from the same port, partly from others) and
lowered where Vietnamese patrols are assigned. This gives the chilling effect and its recovery.

Chinese boats fish the claimed grounds and respect their own summer moratorium north of 12°N.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.engine import ladder
from sim.engine.fleet import COAST_GUARD, FISHING, VNM
from sim.engine.movement import GROUND, PORT, send

class Fishers:
    def __init__(self, model):
        self.model = model
        dst = model.dst
        self.grounds = dst.of_kind(GROUND)
        self.catch = dst.value[self.grounds].astype(float)
        self.vn_ports = np.array([k for k in dst.of_kind(PORT) if dst.flag[k] == "VNM"])
        self.risk = np.zeros((len(dst.slug), self.grounds.size))  # by home destination index
        gcells = dst.cell[self.grounds]
        self.ground_moratorium = model.layers.moratorium[gcells]
        self.ground_claimed = model.layers.claim[gcells]
        self.ground_vn_side = model.layers.vn_entitled[gcells]
        self.ground_hotspot = model.nearest_hotspot[gcells]  # -1: far from every hot spot
        # Catch less travel cost from each home (a destination) to each ground: fixed for the
        # run, so worked out once (the same operations as per boat, so the same numbers).
        travel = dst.dist[self.grounds[None, :], dst.cell[:, None]] / 1000.0
        self.catch_less_travel = self.catch[None, :] - model.p.fishers.travel_cost * travel

    def choose(self, ids: np.ndarray) -> np.ndarray:
        """Ground (destination index) for each boat about to sail."""
        m, f, fp = self.model, self.model.fleet, self.model.p.fishers
        home = f.home[ids]
        util = self.catch_less_travel[home]
        vn = f.flag[ids] == VNM
        protect = self.protection(self.grounds)
        util[vn] -= m.p.vietnam.risk_aversion * self.risk[home[vn]] * (1 - protect)[None, :]
        # Vietnamese boats fish where Vietnam is entitled or that China contests.
        util[vn] -= fp.off_limits * ~(self.ground_vn_side | self.ground_claimed)[None, :]
        # Grounds by a spot China held in a stand-off are closed to them (actors/standoff.py).
        util[vn] -= fp.off_limits * self.closed_grounds()[None, :]
        cn = ~vn
        util[cn] -= fp.off_limits * (~self.ground_claimed)[None, :]
        if m.moratorium_on:
            util[cn] -= fp.off_limits * self.ground_moratorium[None, :]
        noise = m.rng_fishing.gumbel(0.0, fp.taste, util.shape)
        return self.grounds[np.argmax(util + noise, axis=1)]

    def closed_grounds(self) -> np.ndarray:
        """Per ground: closed to Vietnamese boats today (China holds the spot nearby)?"""
        closed = self.model.standoffs.closed(self.model.day)
        h = self.ground_hotspot
        return (h >= 0) & closed[np.maximum(h, 0)]

    def protection(self, grounds: np.ndarray) -> np.ndarray:
        """Share of perceived risk that the Vietnamese patrols assigned to each ground remove."""
        f = self.model.fleet
        gov = f.of(VNM, COAST_GUARD) & f.active & (f.assigned[: f.n] >= 0)
        counts = np.bincount(f.assigned[: f.n][gov], minlength=len(self.model.dst.slug))
        fp = self.model.p.fishers
        return fp.protection_max * np.minimum(1.0, counts[grounds] / fp.protection_ships)

    def sortie(self, ready: np.ndarray) -> None:
        """Fishing boats ready in port (``port.ready_to_sail``) may sail today, each to the
        ground it chooses, for a trip of about its nominal length."""
        m, f, rng = self.model, self.model.fleet, self.model.rng_fishing
        fp = m.p.fishers
        boats = ready[f.kind[ready] == FISHING]
        boats = boats[rng.random(boats.size) < fp.sail_chance]
        if boats.size:
            send(f, boats, self.choose(boats))
            days = np.where(f.flag[boats] == VNM, m.p.vietnam.trip_days, fp.cn_trip_days)
            trip = days * 24 * rng.uniform(fp.trip_spread_min, fp.trip_spread_max, boats.size)
            f.hours_left[boats] = np.minimum(trip, f.endurance_h[boats] * fp.trip_endurance_cap)

    def hear(self, targets: np.ndarray, rung: np.ndarray) -> None:
        """Boats remember incidents against Vietnamese fishing boats (among ``targets``, with
        the highest ``rung`` of each) near each ground."""
        if targets.size == 0:
            return
        m, f, fp = self.model, self.model.fleet, self.model.p.fishers
        _hear_kernel(targets, rung, f.flag, f.kind, f.cell, f.home, self.grounds,
                     m.dst.dist_flat, m.dst.n_cells, self.risk, fp.other_port_weight,
                     fp.severity_offset, float(ladder.WEAPONS))

    def forget(self, days: float = 1.0) -> None:
        self.risk *= np.exp(-days / self.model.p.vietnam.risk_memory_days)


@njit(cache=True)
def _hear_kernel(targets, rung, flag, kind, cell, home, grounds, dist, n_cells, risk, other,
                 offset, top):
    """Per incident against a Vietnamese fishing boat, in order: its severity
    (offset + rung) / (offset + top) (``fishers.severity_offset``; 1 at the top rung) is heard
    at the ground nearest by route (the first of equals), fully by the boats of its own home
    port and with weight ``other`` by everyone's."""
    for k in range(targets.size):
        v = targets[k]
        if flag[v] != VNM or kind[v] != FISHING:
            continue
        g = 0
        for q in range(1, grounds.size):
            if dist[grounds[q] * n_cells + cell[v]] < dist[grounds[g] * n_cells + cell[v]]:
                g = q
        s = (offset + rung[k]) / (offset + top)
        for r in range(risk.shape[0]):
            risk[r, g] += other * s
        risk[home[v], g] += (1 - other) * s

