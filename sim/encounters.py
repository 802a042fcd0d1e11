"""Encounters: who meets whom, who engages, and how the exchange of rungs ends.

1. ``find_pairs``: opposing vessels at sea within interaction range (a cell-hash search).
2. ``engage``: each pair starts an encounter with an hourly chance set by who meets whom
   and where (claimed waters, Vietnam's EEZ, the moratorium), each vessel at most once.
3. ``resolve``: up to ``max_rounds`` of action and response on the ladder (ladder.py); ends in
   withdrawal, de-escalation (or a hotline call), disengagement, or an outcome (damaged,
   sunk, detained). Runs on arrays of all encounters of the step at once.
"""

from __future__ import annotations

import numpy as np

from . import ladder
from .fleet import CHN, COAST_GUARD, DETAINED, FISHING, LOST, MILITIA, VNM

GOV = (COAST_GUARD, MILITIA)


def offsets(radius_cells: int) -> np.ndarray:
    r = np.arange(-radius_cells, radius_cells + 1)
    return np.array([(di, dj) for di in r for dj in r])


def find_pairs(fleet, free: np.ndarray, shape, offs: np.ndarray, claim: np.ndarray,
               vn_waters: np.ndarray):
    """(actor, target) id pairs: a government actor and an opposing-flag vessel in range.

    Only targets where the actor's State contests them: Chinese actors press Vietnamese
    vessels inside the claim area; Vietnamese actors act in waters Vietnam is entitled to.
    """
    ids = np.flatnonzero(free)
    kind, flag, cell = fleet.kind[ids], fleet.flag[ids], fleet.cell[ids]
    gov = (kind == COAST_GUARD) | (kind == MILITIA)
    found = [_near(fleet.cell, ids[gov & (flag == CHN)], ids[(flag == VNM) & claim[cell]],
                   shape, offs),
             _near(fleet.cell, ids[gov & (flag == VNM)], ids[(flag == CHN) & vn_waters[cell]],
                   shape, offs)]
    return (np.concatenate([a for a, _ in found]), np.concatenate([t for _, t in found]))


def _near(cell: np.ndarray, actors: np.ndarray, targets: np.ndarray, shape, offs):
    """Pairs (actor, target) whose cells differ by one of ``offs`` (a cell-hash search)."""
    empty = np.zeros(0, np.int64)
    if actors.size == 0 or targets.size == 0:
        return empty, empty
    ny, nx = shape
    order = np.argsort(cell[targets], kind="stable")
    tid, tcell = targets[order], cell[targets][order]
    ai, aj = np.divmod(cell[actors], nx)
    ni, nj = ai[:, None] + offs[None, :, 0], aj[:, None] + offs[None, :, 1]
    ncell = np.where((ni >= 0) & (ni < ny) & (nj >= 0) & (nj < nx), ni * nx + nj, -1).ravel()
    lo = np.searchsorted(tcell, ncell, "left")
    cnt = np.searchsorted(tcell, ncell, "right") - lo
    total = int(cnt.sum())
    if total == 0:
        return empty, empty
    hit = np.flatnonzero(cnt)
    cnt, lo = cnt[hit], lo[hit]
    a = np.repeat(actors[hit // offs.shape[0]], cnt)
    within = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    return a, tid[np.repeat(lo, cnt) + within]


def engage(model, a: np.ndarray, t: np.ndarray):
    """Pairs that start an encounter this step (each vessel in at most one)."""
    if a.size == 0:
        return a, t
    f, e, lay = model.fleet, model.p.encounter, model.layers
    cn = f.flag[a] == CHN
    tcell = f.cell[t]
    tk, ak = f.kind[t], f.kind[a]
    t_fish = tk == FISHING
    t_gov = (tk == COAST_GUARD) | (tk == MILITIA)
    p = np.zeros(a.size)
    # China enforces its claim: cutters and militia press Vietnamese boats in claimed waters.
    base_cn = np.where(ak == COAST_GUARD, np.where(t_fish, e.engage_cg_fishing, e.engage_gov),
                       e.engage_militia)
    boost = np.where(model.moratorium_on & lay.moratorium[tcell] & t_fish, e.moratorium_boost, 1.0)
    posture = np.clip(1.0 + model.china.score_at_cell(tcell), 0.2, 3.0)
    p = np.where(cn, base_cn * lay.claim[tcell] * boost * posture, p)
    # Vietnam enforces in its EEZ (fishing) and shadows government ships in its waters.
    vn_fish = ~cn & t_fish & lay.vn_eez[tcell]
    vn_gov = ~cn & ~t_fish & lay.vn_entitled[tcell]
    p = np.where(vn_fish, e.engage_enforcement, p)
    p = np.where(vn_gov & t_gov, e.engage_gov, p)
    p = np.where(vn_gov & ~t_gov, e.engage_gov, p)  # rigs and survey ships
    hit = model.rng_encounter.random(a.size) < 1 - (1 - np.clip(p, 0, 1)) ** model.step_hours
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
