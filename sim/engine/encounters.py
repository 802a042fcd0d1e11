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

from functools import lru_cache

import numpy as np
from numba import njit

from sim.engine import ladder
from sim.engine.fleet import (CHN, COAST_GUARD, DETAINED, FISHING, IN_PORT, LOST, MILITIA,
                    RETURNING, VNM)
from sim.engine.ladder import (BLOCKING, BOARDING, DAMAGED, DEESCALATED, DETAINED as DETAINED_OUT,
                     DISENGAGED, RAMMING, SUNK, WATER_CANNON, WEAPONS, WITHDREW)

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
        # Per-cell list heads and per-vessel links, int32 to keep them small in the cache.
        self.head = np.full((2, sea.n_cells), -1, np.int32)
        self.next = np.full(64, -1, np.int32)
        self._out = (np.empty(4096, np.int64), np.empty(4096, np.int64), np.empty(4096))
        self._rates_for = None
        self.posture = np.ones(sea.n_cells)  # China's posture factor per cell (set weekly)

    def candidates(self, at_sea: np.ndarray, step: int):
        """(actor, target, hourly chance) of every pair that may engage this step, among the
        vessels at sea that are not still busy with an earlier encounter. The arrays are views
        of buffers reused by the next call."""
        m, f, lay = self.model, self.model.fleet, self.model.layers
        if self.next.size < f.n:
            self.next = np.full(2 * f.n, -1, np.int32)
        rates = self._rates(m.moratorium_on)
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
            e = self.model.p.encounter
            self._rate_array = np.array([
                e.engage_cg_fishing, e.engage_gov, e.engage_militia, e.engage_enforcement,
                e.moratorium_boost if moratorium_on else 1.0, float(self.model.step_hours)])
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


def engage(model, a: np.ndarray, t: np.ndarray, p: np.ndarray):
    """Pairs that start an encounter this step (each vessel in at most one)."""
    if a.size == 0:
        return a, t
    hit = np.flatnonzero(model.rng_encounter.random(a.size) < p)
    if hit.size == 0:
        return a[:0], t[:0]
    a, t = a[hit], t[hit]
    if a.size == 1:
        return a, t
    perm = model.rng_encounter.permutation(a.size)
    return _one_each(a[perm], t[perm], model.fleet.n)


@njit(cache=True)
def _one_each(a, t, n):
    """From pairs in random order, encounters in which each vessel takes part at most once:
    each actor keeps its first pair; a target chosen by several actors goes to the lowest
    actor id among them; a vessel may not act and be targeted at once. Returned by ascending
    target id. (The same selection as ``np.unique(..., return_index=True)`` on actors, then on
    targets, then dropping clashes.)"""
    first_t = np.full(n, -1, np.int64)  # per actor: the target of its first pair
    for k in range(a.size):
        if first_t[a[k]] < 0:
            first_t[a[k]] = t[k]
    chosen_by = np.full(n, -1, np.int64)  # per target: its lowest actor
    for k in range(a.size):
        x = a[k]
        y = first_t[x]
        if y >= 0 and (chosen_by[y] < 0 or x < chosen_by[y]):
            chosen_by[y] = x
    acting = np.zeros(n, np.bool_)
    targeted = np.zeros(n, np.bool_)
    for y in range(n):
        if chosen_by[y] >= 0:
            acting[chosen_by[y]] = True
            targeted[y] = True
    out_a = np.empty(a.size, np.int64)
    out_t = np.empty(a.size, np.int64)
    k = 0
    for y in range(n):
        x = chosen_by[y]
        if x >= 0 and not acting[y] and not targeted[x]:
            out_a[k] = x
            out_t[k] = y
            k += 1
    return out_a[:k], out_t[:k]


def resolve(model, a: np.ndarray, t: np.ndarray) -> dict:
    """Play out encounters as rounds of action and response; return the incident columns."""
    f, e = model.fleet, model.p.encounter
    n = a.size
    ctx = model.encounter_context(a, t)
    probs = np.array([model.cbm_level, e.persistence, e.withdraw_base, e.withdraw_per_rung,
                      e.damage_prob, e.sink_prob, e.detain_prob, e.miscalculation,
                      e.hotline_talk, e.counter_weight, e.answer_push])
    u = model.rng_encounter.random((n, e.max_rounds, 6))
    top, outcome, rounds = _exchange(ctx["base_a"], ctx["base_t"], ctx["ceil_a"], ctx["ceil_t"],
                                     ctx["fishing_target"], np.asarray(e.cuts, float), probs, u)
    return dict(actor=a, target=t, rung=top, outcome=outcome, observed=ctx["observed"],
                rounds=rounds)


@njit(cache=True)
def _exchange(base_a, base_t, ceil_a, ceil_t, fishing_target, cuts, probs, u):
    """Each encounter, round by round: the initiator picks a rung; stepping down ends it
    (de-escalated); a hotline may talk a dangerous exchange down; severe rungs may damage,
    sink or detain; the target gives way (withdrew) or answers on its own ladder, and a
    target that holds or counters pushes the initiator up next round (action-reaction).
    When armed ships trade ramming-level blows, either may misread the other and open fire
    (use of weapons: a crisis), less likely with a hotline (Fearon's information problem)."""
    (hotline, persistence, w_base, w_rung, p_damage, p_sink, p_detain, p_miscalc, talk,
     counter, push_per_rung) = probs
    n, max_rounds = u.shape[0], u.shape[1]
    top = np.zeros(n, np.int64)
    outcome = np.full(n, DISENGAGED, np.int8)
    rounds = np.zeros(n, np.int64)
    for k in range(n):
        prev, push = -1, 0.0
        for r in range(max_rounds):
            ua, ut, u_talk, u_out, u_give, u_fire = u[k, r]
            rounds[k] = r + 1
            rung = ladder.rung_for(base_a[k] + push, ua, cuts, ceil_a[k])
            if prev >= 0 and rung < prev:
                outcome[k] = DEESCALATED
                break
            top[k] = max(top[k], rung)
            prev = rung
            if rung >= BLOCKING and u_talk < talk * hotline:
                outcome[k] = DEESCALATED
                break
            o = _physical_outcome(rung, u_out, fishing_target[k], p_damage, p_sink, p_detain)
            if o >= 0:
                outcome[k] = o
                break
            if ceil_t[k] == 0:  # an unarmed boat gives way or holds on
                if u_give < min(w_base + w_rung * rung, 0.95):
                    outcome[k] = WITHDREW
                    break
                answer = 0
            else:
                answer = ladder.rung_for(base_t[k] + counter * rung, ut, cuts, ceil_t[k])
                if answer == 0:
                    outcome[k] = WITHDREW
                    break
                if rung >= RAMMING and answer >= BLOCKING and \
                        u_fire < p_miscalc * (1.0 - hotline):
                    top[k] = WEAPONS
                    outcome[k] = DAMAGED
                    break
            push += persistence + push_per_rung * answer
    return top, outcome, rounds


@njit(cache=True)
def _physical_outcome(rung, u, fishing_target, p_damage, p_sink, p_detain):
    """Outcomes of the severe rungs (FACTS §3: damage, sinkings of fishing boats, detentions);
    -1 if the exchange goes on."""
    if rung == WATER_CANNON and u < p_damage:
        return DAMAGED
    if rung == BOARDING and u < p_detain:
        return DETAINED_OUT
    if rung == RAMMING or rung == WEAPONS:
        if fishing_target and u < p_sink:
            return SUNK
        if u < min(1.0, 1.5 * p_damage):
            return DAMAGED
    return -1


def apply_outcomes(model, res: dict) -> None:
    """What the outcomes do to the hulls: sunk boats are lost, detained ones held, others leave."""
    f = model.fleet
    t = res["target"]
    step = model.step_count
    busy = step + max(1, int(model.p.encounter.cooldown_hours / model.step_hours))
    release = step + int(30 * 24 / model.step_hours)
    _apply_kernel(res["actor"], t, res["outcome"], f.status, f.task, f.dest, f.home,
                  f.release_step, f.busy_until, f.kind, release, busy)
    for i in t[res["outcome"] == ladder.SUNK]:
        f.lost_cause[int(i)] = f"sunk in an incident on day {model.day}"


@njit(cache=True)
def _apply_kernel(actor, target, outcome, status, task, dest, home, release_step, busy_until,
                  kind, release, busy):
    """Per encounter: a sunk target is lost; a detained one is held until ``release``; a damaged
    one heads home (``movement.recall``), and so does a fishing boat that gave way (it leaves
    its ground), while a government ship that gave way only breaks off and stays on task; both
    sides are busy until ``busy``."""
    for k in range(target.size):
        i = target[k]
        o = outcome[k]
        if o == SUNK:
            status[i] = LOST
        elif o == DETAINED_OUT:
            status[i] = DETAINED
            release_step[i] = release
        elif (o == DAMAGED or (o == WITHDREW and kind[i] == FISHING)) and task[i] != IN_PORT:
            dest[i] = home[i]
            task[i] = RETURNING
        busy_until[actor[k]] = busy
        busy_until[i] = busy
