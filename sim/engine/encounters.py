"""Encounters: who meets whom, who engages, and how the exchange of rungs ends.

1. ``meetings.Meetings.candidates``: opposing vessels at sea within interaction range, each
   pair with an hourly chance of engaging (meetings.py).
2. ``engage``: the pairs that do engage, each vessel in at most one encounter.
3. ``resolve``: up to ``max_rounds`` of action and response on the ladder (ladder.py); ends in
   withdrawal, de-escalation (or a hotline call), disengagement, or an outcome (damaged,
   sunk, detained). Runs on arrays of all encounters of the step at once.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.engine import ladder
from sim.engine.fleet import DETAINED, FISHING, IN_PORT, LOST, RETURNING
from sim.engine.ladder import (BLOCKING, BOARDING, DAMAGED, DEESCALATED, DETAINED as DETAINED_OUT,
                     DISENGAGED, RAMMING, SUNK, WATER_CANNON, WEAPONS, WITHDREW)



def engage(rng: np.random.Generator, n_vessels: int, a: np.ndarray, t: np.ndarray,
           p: np.ndarray):
    """Pairs that start an encounter this step (each vessel in at most one)."""
    if a.size == 0:
        return a, t
    hit = np.flatnonzero(rng.random(a.size) < p)
    if hit.size == 0:
        return a[:0], t[:0]
    a, t = a[hit], t[hit]
    if a.size == 1:
        return a, t
    perm = rng.permutation(a.size)
    return _one_each(a[perm], t[perm], n_vessels)


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


def resolve(a: np.ndarray, t: np.ndarray, ctx: dict, e, cbm: float,
            rng: np.random.Generator) -> dict:
    """Play out encounters (in their ``context.encounter_context``) as rounds of action and
    response; return the incident columns."""
    n = a.size
    probs = np.array([cbm, e.persistence, e.withdraw_base, e.withdraw_per_rung,
                      e.damage_prob, e.sink_prob, e.detain_prob, e.miscalculation,
                      e.hotline_talk, e.counter_weight, e.answer_push, e.withdraw_cap,
                      e.ramming_damage_factor, e.collision_prob, e.leak_weapons])
    u = rng.random((n, e.max_rounds, 8))
    top, outcome, rounds = _exchange(ctx["base_a"], ctx["base_t"], ctx["ceil_a"], ctx["ceil_t"],
                                     ctx["leak_a"], ctx["leak_t"], ctx["fishing_target"],
                                     np.asarray(e.cuts, float), probs, u)
    # Past the initiator's rules: a leak, a collision or a miscalculation (accidental
    # escalation; ``accidental_escalations`` in the summary).
    return dict(actor=a, target=t, rung=top, outcome=outcome, observed=ctx["observed"],
                rounds=rounds, past_ceiling=top > ctx["ceil_a"])


@njit(cache=True)
def _exchange(base_a, base_t, ceil_a, ceil_t, leak_a, leak_t, fishing_target, cuts, probs, u):
    """Each encounter, round by round: the initiator picks a rung (its ceiling is intent: it
    may go past it with its leak, ``ladder.rung_for``); stepping down ends it (de-escalated); a
    hotline may talk a dangerous exchange down; blocking may end in a collision (a
    ramming-level round whatever the ceilings); severe rungs may damage, sink or detain; the
    target gives way (withdrew) or answers on its own ladder, and a target that holds or
    counters pushes the initiator up next round (action-reaction). When armed ships trade
    ramming-level blows, either may misread the other and open fire (use of weapons: a
    crisis), less likely with a hotline (Fearon's information problem)."""
    (hotline, persistence, w_base, w_rung, p_damage, p_sink, p_detain, p_miscalc, talk,
     counter, push_per_rung, withdraw_cap, ram_factor, p_collide, p_weapons) = probs
    n, max_rounds = u.shape[0], u.shape[1]
    top = np.zeros(n, np.int64)
    outcome = np.full(n, DISENGAGED, np.int8)
    rounds = np.zeros(n, np.int64)
    for k in range(n):
        prev, push = -1, 0.0
        for r in range(max_rounds):
            ua, ut, u_talk, u_out, u_give, u_fire, u_la, u_lt = u[k, r]
            rounds[k] = r + 1
            rung = ladder.rung_for(base_a[k] + push, ua, cuts, ceil_a[k], leak_a[k], u_la,
                                   _top_leak(leak_a[k], p_weapons))
            if prev >= 0 and rung < prev:
                outcome[k] = DEESCALATED
                break
            top[k] = max(top[k], rung)
            prev = rung
            if rung >= BLOCKING and u_talk < talk * hotline:
                outcome[k] = DEESCALATED
                break
            if rung == BLOCKING and u_out < p_collide:
                # A collision in close-quarters manoeuvring: a ramming-level round (the rest of
                # the same uniform, rescaled, decides its physical outcome).
                rung = RAMMING
                top[k] = max(top[k], rung)
                prev = rung
                u_out = u_out / p_collide
            o = _physical_outcome(rung, u_out, fishing_target[k], p_damage, p_sink, p_detain,
                                  ram_factor)
            if o >= 0:
                outcome[k] = o
                break
            if ceil_t[k] == 0:  # an unarmed boat gives way or holds on
                if u_give < min(w_base + w_rung * rung, withdraw_cap):
                    outcome[k] = WITHDREW
                    break
                answer = 0
            else:
                answer = ladder.rung_for(base_t[k] + counter * rung, ut, cuts, ceil_t[k],
                                         leak_t[k], u_lt, _top_leak(leak_t[k], p_weapons))
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
def _top_leak(leak, p_weapons):
    """The chance of the last step past a ceiling, into use of weapons: ``leak_weapons`` for a
    side that can leak at all (none under a hard cap, the Four No's)."""
    return p_weapons if leak > 0 else 0.0


@njit(cache=True)
def _physical_outcome(rung, u, fishing_target, p_damage, p_sink, p_detain, ram_factor):
    """Outcomes of the severe rungs (FACTS §3: damage, sinkings of fishing boats, detentions);
    -1 if the exchange goes on."""
    if rung == WATER_CANNON and u < p_damage:
        return DAMAGED
    if rung == BOARDING and u < p_detain:
        return DETAINED_OUT
    if rung == RAMMING or rung == WEAPONS:
        if fishing_target and u < p_sink:
            return SUNK
        if u < min(1.0, ram_factor * p_damage):
            return DAMAGED
    return -1


def apply_outcomes(fleet, res: dict, step: int, step_hours: int, e, day: int) -> None:
    """What the outcomes do to the hulls: sunk boats are lost, detained ones held, others leave."""
    f = fleet
    t = res["target"]
    busy = step + max(1, int(e.cooldown_hours / step_hours))
    release = step + int(e.detention_days * 24 / step_hours)
    _apply_kernel(res["actor"], t, res["outcome"], f.status, f.task, f.dest, f.home,
                  f.release_step, f.busy_until, f.kind, release, busy)
    for i in t[res["outcome"] == ladder.SUNK]:
        f.lost_cause[int(i)] = f"sunk in an incident on day {day}"


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
