"""The escalation ladder and the ordered choice of a rung.

A side's latent escalation propensity is

    a·(ROE ceiling) + b·log(local force ratio) − c·(observed) − d·(hotline/incident code)
    − e·(crew training) + f·(China's coercion score at the spot) + logistic noise,

and the rung is where that value falls among ordered cut points, capped by the ROE ceiling:
an ordered logit (BRIEF). Functions here are pure numba functions of one encounter, called by
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
def rung_for(value: float, u: float, cuts: np.ndarray, ceiling: int) -> int:
    """One ordered-logit choice: ``u`` in (0, 1) becomes logistic noise; capped by ceiling."""
    u = min(max(u, 1e-12), 1 - 1e-12)
    noisy = value + math.log(u / (1.0 - u))
    rung = 0
    for c in cuts:
        if noisy > c:
            rung += 1
    return min(rung, ceiling)
