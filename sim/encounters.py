"""Encounters: who meets whom, who engages, and how the exchange of rungs ends.

1. ``Meetings.candidates``: opposing vessels at sea within interaction range, each pair with
   an hourly chance of engaging set by who meets whom and where (claimed waters, Vietnam's
   EEZ, the moratorium, China's posture at the nearest hot spot).
2. ``engage``: the pairs that do engage, each vessel in at most one encounter.
3. ``resolve``: up to ``max_rounds`` of action and response on the ladder (ladder.py); ends in
   withdrawal, de-escalation (or a hotline call), disengagement, or an outcome (damaged,
   sunk, detained). Runs on arrays of all encounters of the step at once.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from . import ladder
from .fleet import CHN, COAST_GUARD, DETAINED, FISHING, LOST, MILITIA, VNM

GOV = (COAST_GUARD, MILITIA)


class Meetings:
    """Finds the pairs that may start an encounter this step, with each pair's hourly chance.

    Per step, targets are threaded into per-cell lists (one per flag); each government actor
    then walks the lists of the cells within range. Only targets where the actor's State
    contests them count: Chinese cutters and militia press Vietnamese vessels inside the claim
    area; Vietnamese patrols act in waters Vietnam is entitled to.
    """

    def __init__(self, model, radius_cells: int):
        sea = model.sea
        self.model = model
        self.around = neighbourhood_table(sea, radius_cells)
        self.head = np.full((2, sea.n_cells), -1, np.int64)
        self.next = np.full(64, -1, np.int64)
        self.buffer = 4096
        self.posture = np.ones(sea.n_cells)  # China's posture factor per cell (set weekly)

    def candidates(self, free: np.ndarray):
        m, f, e, lay = self.model, self.model.fleet, self.model.p.encounter, self.model.layers
        if self.next.size < f.n:
            self.next = np.full(2 * f.n, -1, np.int64)
        ids = np.flatnonzero(free)
        rates = np.array([e.engage_cg_fishing, e.engage_gov, e.engage_militia,
                          e.engage_enforcement, e.moratorium_boost if m.moratorium_on else 1.0,
                          float(m.step_hours)])
        while True:
            a = np.empty(self.buffer, np.int64)
            t = np.empty(self.buffer, np.int64)
            p = np.empty(self.buffer)
            k = _pairs_kernel(ids, f.flag, f.kind, f.cell, self.around, lay.claim,
                              lay.moratorium, lay.vn_eez, lay.vn_entitled, self.posture, rates,
                              self.head, self.next, a, t, p)
            if k <= self.buffer:
                return a[:k], t[:k], p[:k]
            self.buffer = 2 * k  # more pairs than room: grow and search again


def neighbourhood_table(sea, radius_cells: int) -> np.ndarray:
    """Flat indices of the cells within ``radius_cells`` (Chebyshev) of each cell; off-grid
    and land cells are replaced by the cell itself, which is always the last column."""
    ny, nx = sea.shape
    r = np.arange(-radius_cells, radius_cells + 1)
    offs = [(di, dj) for di in r for dj in r if (di, dj) != (0, 0)] + [(0, 0)]
    i, j = np.divmod(np.arange(ny * nx), nx)
    ni = i[:, None] + np.array([o[0] for o in offs])[None, :]
    nj = j[:, None] + np.array([o[1] for o in offs])[None, :]
    inside = (ni >= 0) & (ni < ny) & (nj >= 0) & (nj < nx)
    flat = np.where(inside, ni * nx + nj, (i * nx + j)[:, None])
    water = sea.water.ravel()
    return np.ascontiguousarray(np.where(water[flat], flat, (i * nx + j)[:, None]), np.int64)


@njit(cache=True)
def _pairs_kernel(ids, flag, kind, cell, around, claim, moratorium, vn_eez, vn_entitled,
                  posture, rates, head, nxt, out_a, out_t, out_p):
    """Candidate (actor, target, hourly chance) triples; returns their count (may exceed the
    buffers, in which case the caller grows them and calls again)."""
    cg_fishing, gov, militia, enforcement, boost, hours = rates
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
                else:  # and shadows Chinese government ships, rigs and survey ships
                    p = gov
                if p > 0.0:
                    if k < out_a.size:
                        out_a[k] = a
                        out_t[k] = t
                        out_p[k] = 1.0 - (1.0 - min(p, 1.0)) ** hours
                    k += 1
                t = nxt[t]
    for i in ids:  # leave the lists empty for the next step
        head[flag[i], cell[i]] = -1
    return k


def engage(model, a: np.ndarray, t: np.ndarray, p: np.ndarray):
    """Pairs that start an encounter this step (each vessel in at most one)."""
    if a.size == 0:
        return a, t
    hit = model.rng_encounter.random(a.size) < p
    a, t = a[hit], t[hit]
    if a.size == 0:
        return a, t
    perm = model.rng_encounter.permutation(a.size)
    a, t = a[perm], t[perm]
    _, first = np.unique(a, return_index=True)
    a, t = a[first], t[first]
    _, first = np.unique(t, return_index=True)
    a, t = a[first], t[first]
    acting = np.zeros(model.fleet.n, bool)
    acting[a] = True
    targeted = np.zeros(model.fleet.n, bool)
    targeted[t] = True
    clash = acting[t] | targeted[a]  # a vessel may not act and be targeted at once
    return a[~clash], t[~clash]


def resolve(model, a: np.ndarray, t: np.ndarray) -> dict:
    """Play out encounters as rounds of action and response; return the incident columns."""
    f, e, rng = model.fleet, model.p.encounter, model.rng_encounter
    n = a.size
    cuts = np.asarray(e.cuts, float)
    cn = f.flag[a] == CHN
    ceil_a = model.initiator_ceiling(a, t)
    ceil_t = model.response_ceiling(t)
    ratio_a = model.force_ratio(a, t)
    observed = model.observed(a, t)
    cbm = np.full(n, model.cbm_level)
    posture = np.where(cn, model.china.score_at_cell(f.cell[a]), 0.0)
    base_a = ladder.latent(e, ceil_a, ratio_a, observed, cbm, f.proficiency[a], posture)
    base_t = ladder.latent(e, ceil_t, 1.0 / ratio_a, observed, cbm, f.proficiency[t],
                           np.where(cn, 0.0, model.china.score_at_cell(f.cell[t])))
    t_armed = ceil_t > 0
    live = np.ones(n, bool)
    top = np.full(n, -1, np.int8)
    prev = np.full(n, -1, np.int8)
    outcome = np.full(n, ladder.DISENGAGED, np.int8)
    rounds = np.zeros(n, np.int8)
    push = np.zeros(n)
    for _ in range(e.max_rounds):
        idx = np.flatnonzero(live)
        if idx.size == 0:
            break
        rounds[idx] += 1
        r_a = ladder.choose_rung(base_a[idx] + push[idx], cuts, ceil_a[idx], rng)
        down = (prev[idx] >= 0) & (r_a < prev[idx])
        _end(live, outcome, idx[down], ladder.DEESCALATED)
        top[idx] = np.maximum(top[idx], r_a)
        prev[idx] = r_a
        go = idx[~down]
        r_go = r_a[~down]
        # A hotline / incident-at-sea channel can talk a dangerous exchange down.
        talk = (r_go >= ladder.BLOCKING) & (rng.random(go.size) < 0.5 * cbm[go])
        _end(live, outcome, go[talk], ladder.DEESCALATED)
        go, r_go = go[~talk], r_go[~talk]
        _outcomes(model, live, outcome, go, r_go, rng)
        go, r_go = go[live[go]], r_go[live[go]]
        # The target answers: an unarmed boat gives way or holds; a government ship responds
        # on its own ladder (action-reaction).
        armed = t_armed[go]
        gives_way = ~armed & (rng.random(go.size)
                              < ladder.withdraw_probability(r_go, e.withdraw_base,
                                                            e.withdraw_per_rung))
        r_t = np.zeros(go.size, np.int8)
        if armed.any():
            g = go[armed]
            r_t[armed] = ladder.choose_rung(base_t[g] + 0.3 * r_go[armed], cuts, ceil_t[g], rng)
        gives_way |= armed & (r_t == 0)
        _end(live, outcome, go[gives_way], ladder.WITHDREW)
        push[go] += e.persistence + 0.2 * r_t
    return dict(actor=a, target=t, rung=np.maximum(top, 0), outcome=outcome, observed=observed,
                rounds=rounds)


def _end(live, outcome, idx, code) -> None:
    live[idx] = False
    outcome[idx] = code


def _outcomes(model, live, outcome, idx, rung, rng) -> None:
    """Physical outcomes of the severe rungs (FACTS §3: damage, sinkings, detentions)."""
    e = model.p.encounter
    u = rng.random(idx.size)
    cannon = rung == ladder.WATER_CANNON
    ram = rung >= ladder.RAMMING
    board = rung == ladder.BOARDING
    _end(live, outcome, idx[cannon & (u < e.damage_prob)], ladder.DAMAGED)
    sunk = ram & (u < e.sink_prob)
    _end(live, outcome, idx[sunk], ladder.SUNK)
    _end(live, outcome, idx[ram & ~sunk & ~board & (u < min(1.0, 1.5 * e.damage_prob))],
         ladder.DAMAGED)
    _end(live, outcome, idx[board & ~sunk & (u < e.detain_prob)], ladder.DETAINED)


def apply_outcomes(model, res: dict) -> None:
    """What the outcomes do to the hulls: sunk boats are lost, detained ones held, others leave."""
    f = model.fleet
    t, out = res["target"], res["outcome"]
    step = model.step_count
    sunk = t[out == ladder.SUNK]
    f.status[sunk] = LOST
    for i in sunk:
        f.lost_cause[int(i)] = f"sunk in an incident on day {model.day}"
    det = t[out == ladder.DETAINED]
    f.status[det] = DETAINED
    f.release_step[det] = step + int(30 * 24 / model.step_hours)
    leave = t[np.isin(out, (ladder.WITHDREW, ladder.DAMAGED))]
    model.recall(leave)
    busy = step + max(1, int(model.p.encounter.cooldown_hours / model.step_hours))
    f.busy_until[res["actor"]] = busy
    f.busy_until[t] = busy
