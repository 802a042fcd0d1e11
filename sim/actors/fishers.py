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

from sim.engine.fleet import CHN, FISHING, VNM
from sim.engine.movement import GROUND, PORT

TRAVEL_COST_PER_1000_KM = 0.5  # catch units; assumption
TASTE = 0.15  # logit scale of individual taste (Gumbel noise); assumption
OTHER_PORT_WEIGHT = 0.3  # how much boats hear of incidents to other ports' boats; assumption


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

    def choose(self, ids: np.ndarray) -> np.ndarray:
        """Ground (destination index) for each boat about to sail."""
        m, f = self.model, self.model.fleet
        home = f.home[ids]
        travel = m.dst.dist[self.grounds[None, :], m.dst.cell[home][:, None]] / 1000.0
        util = self.catch[None, :] - TRAVEL_COST_PER_1000_KM * travel
        vn = f.flag[ids] == VNM
        protect = m.protection(self.grounds)
        util[vn] -= m.p.vietnam.risk_aversion * self.risk[home[vn]] * (1 - protect)[None, :]
        # Vietnamese boats fish where Vietnam is entitled or that China contests.
        util[vn] -= 5.0 * ~(self.ground_vn_side | self.ground_claimed)[None, :]
        cn = ~vn
        util[cn] -= 5.0 * (~self.ground_claimed)[None, :]
        if m.moratorium_on:
            util[cn] -= 5.0 * self.ground_moratorium[None, :]
        noise = m.rng_fishing.gumbel(0.0, TASTE, util.shape)
        return self.grounds[np.argmax(util + noise, axis=1)]

    def hear(self, targets: np.ndarray, rung: np.ndarray) -> None:
        """Boats remember incidents against Vietnamese fishing boats (among ``targets``, with
        the highest ``rung`` of each) near each ground."""
        if targets.size == 0:
            return
        m, f = self.model, self.model.fleet
        _hear_kernel(targets, rung, f.flag, f.kind, f.cell, f.home, self.grounds,
                     m.dst.dist_flat, m.dst.n_cells, self.risk, OTHER_PORT_WEIGHT)

    def forget(self, days: float = 1.0) -> None:
        self.risk *= np.exp(-days / self.model.p.vietnam.risk_memory_days)

    @staticmethod
    def boats(fleet, flag: int) -> np.ndarray:
        return fleet.of(flag, FISHING)


@njit(cache=True)
def _hear_kernel(targets, rung, flag, kind, cell, home, grounds, dist, n_cells, risk, other):
    """Per incident against a Vietnamese fishing boat, in order: its severity (1 + rung) / 8
    is heard at the ground nearest by route (the first of equals), fully by the boats of its
    own home port and with weight ``other`` by everyone's."""
    for k in range(targets.size):
        v = targets[k]
        if flag[v] != VNM or kind[v] != FISHING:
            continue
        g = 0
        for q in range(1, grounds.size):
            if dist[grounds[q] * n_cells + cell[v]] < dist[grounds[g] * n_cells + cell[v]]:
                g = q
        s = (1.0 + rung[k]) / 8.0
        for r in range(risk.shape[0]):
            risk[r, g] += other * s
        risk[home[v], g] += (1 - other) * s


__all__ = ["Fishers", "CHN", "VNM"]
