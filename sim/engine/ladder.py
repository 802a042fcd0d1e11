"""The escalation ladder and the ordered choice of a rung.

A side's latent escalation propensity is

    a·(ROE ceiling) + b·log(local force ratio) − c·(observed) − d·(hotline/incident code)
    − e·(crew training) + f·(China's coercion score at the spot) + logistic noise,

and the rung is where that value falls among ordered cut points: an ordered logit (BRIEF).
The ROE ceiling is intent, not a wall: a rung above it happens with a leak probability per
rung (``rung_for``), so no rung is impossible for a side whose leak is above zero. Functions here are pure numba functions of one encounter, called by
the kernels in ``context.py`` and ``encounters.py``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

RUNGS = ("presence", "shadowing", "radio_challenge", "blocking", "water_cannon",
         "ramming", "boarding", "use_of_weapons")
PRESENCE, SHADOWING, CHALLENGE, BLOCKING, WATER_CANNON, RAMMING, BOARDING, WEAPONS = range(8)
SEVERE = WATER_CANNON  # rung >= 4 counts as a severe incident (CONTRACT.md)
REPORTED = BLOCKING  # rung >= 3: what a real record reports (reported_incidents_per_month)
CRISIS = WEAPONS  # armed clash: a crisis that ends grey-zone conditions

OUTCOMES = ("withdrew", "de-escalated", "disengaged", "damaged", "sunk", "detained")
WITHDREW, DEESCALATED, DISENGAGED, DAMAGED, SUNK, DETAINED = range(6)


@njit(cache=True)
def latent_one(a_roe, b_force, c_observed, d_cbm, e_training, f_posture, roe, force_ratio,
               observed, cbm, training, posture):
    """Latent escalation propensity (without noise) of one side in one encounter (the module
    docstring's formula, term by term, in that order; the training term in float32, the
    precision of the proficiency arrays). The force ratio enters as its log, saturating beyond
    about 7:1 either way (a larger swarm adds no further boldness)."""
    force = min(max(math.log(max(force_ratio, 1e-9)), -2.0), 2.0)
    return (a_roe * roe
            + b_force * force
            - c_observed * observed
            - d_cbm * cbm
            - np.float32(e_training) * np.float32(training)
            + f_posture * posture)


@njit(cache=True)
def intended_rung(value: float, u: float, cuts: np.ndarray) -> int:
    """The ordered-logit choice before any rules: ``u`` in (0, 1) becomes logistic noise and the
    rung is the number of cut points the noisy latent passes."""
    u = min(max(u, 1e-12), 1 - 1e-12)
    noisy = value + math.log(u / (1.0 - u))
    rung = 0
    for c in cuts:
        if noisy > c:
            rung += 1
    return rung


@njit(cache=True)
def rung_for(value: float, u: float, cuts: np.ndarray, ceiling: int, leak: float,
             u_leak: float, leak_top: float) -> int:
    """One choice on the ladder under a ceiling that is intent, not a wall (issue 14): the
    intended rung (``intended_rung``) stands if it is within the ceiling; above it, the crew
    goes one rung past the ceiling with chance ``leak`` (local initiative, militia acting on
    their own account), a second with ``leak``², and so on up to the intended rung -- except
    that the last step, into use of weapons, has its own much smaller chance ``leak_top``
    (opening fire is not a crew's slip: ``encounter.leak_weapons``). One uniform ``u_leak``
    decides: k rungs past the ceiling when u_leak is below the product of the k steps' chances.
    ``leak = 0`` is a hard cap (Vietnam's Four No's against government ships)."""
    rung = intended_rung(value, u, cuts)
    if rung <= ceiling:
        return rung
    top = cuts.size
    out, q = ceiling, 1.0
    while out < rung:
        q *= leak_top if out + 1 == top else leak
        if u_leak >= q:
            break
        out += 1
    return out


def step_chances(ceiling: int, top: int, leak: float, leak_top: float) -> np.ndarray:
    """The chance of each step past ``ceiling`` up to rung ``top`` (``rung_for``'s rule)."""
    return np.array([leak_top if r == top else leak for r in range(ceiling + 1, top + 1)])


def rung_distribution(value: float, cuts, ceiling: int, leak: float,
                      leak_top: float) -> np.ndarray:
    """Exact probabilities of rungs 0..len(cuts) from one ``rung_for`` choice (the ordered logit's
    CDF, then the leak past the ceiling): what the rule test and notebook 02 use."""
    cuts = np.asarray(cuts, float)
    cdf = 1.0 / (1.0 + np.exp(-(value - cuts)))  # P(noisy > cut k) = P(intended >= k + 1)
    above = np.concatenate([[1.0], cdf, [0.0]])
    intended = above[:-1] - above[1:]
    out = np.zeros(cuts.size + 1)
    # reach[k]: chance of getting at least k steps past the ceiling (product of step chances)
    reach = np.concatenate([[1.0], np.cumprod(step_chances(ceiling, cuts.size, leak,
                                                          leak_top))])
    for r, p in enumerate(intended):
        if r <= ceiling:
            out[r] += p
            continue
        # past the ceiling: exactly k more rungs with reach[k] - reach[k+1], the rest at r
        for k in range(r - ceiling):
            out[ceiling + k] += p * (reach[k] - reach[k + 1])
        out[r] += p * reach[r - ceiling]
    return out
