"""What each side sees in an encounter: the ceilings it acts under (China's are set per hot
spot) and its chance of going past them (the leak), the local balance of government force,
whether Vietnam observes it, China's posture at the spot, and from these each side's latent
escalation propensity (``ladder.latent_one``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from sim.engine.fleet import (ACTIVE, CHN, COAST_GUARD, FISHING, IN_PORT, MILITIA, NAVY, VNM)
from sim.engine.ladder import latent_one
from sim.engine.sensing import info_detection_chance, sensor_km
from sim.sea.geodesy import flat_km2

@dataclass
class Posture:
    """The actors' side of this step's encounters (set by the States and Japan's programme)."""

    cn_ceiling: np.ndarray  # China's ROE ceiling per hot spot
    cn_ceiling_open: int  # ... and on the open sea, away from every hot spot
    cell_hotspot: np.ndarray  # cell -> hot spot index, -1 far from any
    score: np.ndarray  # China's coercion score per hot spot
    vn_enforcement_ceiling: int  # Vietnam's ceiling against Chinese fishing boats
    vn_ceiling: int  # Vietnam's ceiling in self-defence
    coordinated: float  # coordinated patrols with Japan: Vietnamese ships weigh 1 + this
    transparency: float  # chance a transparency regime reveals an encounter
    cbm: float  # hotline / incident-at-sea code level
    info_sharing: float  # Japan's information-sharing level


def encounter_context(a: np.ndarray, t: np.ndarray, fleet, layers, e, info_detection: float,
                      posture: Posture, rng: np.random.Generator) -> dict:
    """Per encounter (actor ``a[k]`` against target ``t[k]``): see the module docstring.
    ``e``: the encounter parameters; ``info_detection``: ``sensing.info_detection``. Draws two
    numbers per encounter from ``rng`` (information sharing, transparency), in order."""
    f, q = fleet, posture
    u_info = rng.random(t.size)  # Japan's information sharing reveals it ...
    u_open = rng.random(t.size)  # ... or transparency measures do
    n = t.size
    out = dict(ceil_a=np.empty(n, np.int64), ceil_t=np.empty(n, np.int64), ratio=np.empty(n),
               observed=np.empty(n, np.bool_), posture=np.empty(n), base_a=np.empty(n),
               base_t=np.empty(n), fishing_target=np.empty(n, np.bool_),
               leak_a=np.empty(n), leak_t=np.empty(n))
    coef = np.array([e.a_roe, e.b_force, e.c_observed, e.d_cbm, e.e_training, e.f_posture])
    # Vietnam's ceilings: enforcement against fishing boats, its opening move against
    # government ships (Four No's: no force first), its answers in self-defence. China's
    # ceilings are read per encounter at the nearest hot spot (``cn_ceiling``).
    ceilings = np.array([q.vn_enforcement_ceiling, min(q.vn_ceiling, e.vn_initiate_ceiling),
                         q.vn_ceiling, e.militia_ceiling, q.cn_ceiling_open], np.int64)
    leaks = np.array([e.leak_initiative, e.leak_militia])
    _context_kernel(
        a, t, f.n, f.flag, f.kind, f.status, f.task, f.cell, f.proficiency,
        layers.lat, layers.lon, layers.radar_vn, q.cell_hotspot, q.score,
        np.asarray(q.cn_ceiling, np.int64), ceilings, leaks,
        e.militia_force_weight, 1.0 + q.coordinated, e.force_smoothing, e.force_radius_km,
        f.tonnage, e.force_tonnage_exponent,
        sensor_km(e.sensor_km, q.info_sharing), u_info,
        info_detection_chance(info_detection, q.info_sharing),
        u_open, q.transparency, coef, q.cbm,
        out["ceil_a"], out["ceil_t"], out["ratio"], out["observed"], out["posture"],
        out["base_a"], out["base_t"], out["fishing_target"], out["leak_a"], out["leak_t"])
    return out


@njit(cache=True)
def _context_kernel(a, t, n, flag, kind, status, task, cell, proficiency, lat, lon, radar_vn,
                    cell_hotspot, score, cn_ceiling, ceilings, leaks, militia_weight, vn_weight,
                    smoothing, force_km, tonnage, tonnage_exp, sensor_km, u_info, p_info, u_open, transparency, coef,
                    cbm, ceil_a, ceil_t, ratio, observed, posture, base_a, base_t,
                    fishing_target, leak_a, leak_t):
    """Fills the output arrays, one encounter at a time (``encounter_context``)."""
    gov = _government_at_sea(n, status, task, kind)
    weight = _force_weight(gov, tonnage, tonnage_exp)
    for k in range(t.size):
        i, j = a[k], t[k]
        cn = flag[i] == CHN
        s_cn, s_vn, seen = _local_picture(cell[j], gov, flag, kind, cell, lat, lon,
                                          militia_weight, vn_weight, force_km, sensor_km,
                                          weight)
        h = cell_hotspot[cell[j]]  # the nearest hot spot (-1: open sea)
        cn_ceil = cn_ceiling[h] if h >= 0 else ceilings[4]
        ceil_a[k], leak_a[k] = _initiator_rules(cn, kind[i], kind[j], cn_ceil, ceilings, leaks)
        ceil_t[k], leak_t[k] = _target_rules(flag[j], kind[j], cn_ceil, ceilings, leaks)
        # Vietnam sees it: its own ship in sensor range, its radar, its own initiative, or
        # Japan's information sharing / transparency (draws made by the caller, in order).
        observed[k] = (seen or radar_vn[cell[j]] or not cn or u_info[k] < p_info
                       or u_open[k] < transparency)
        own, other = (s_cn, s_vn) if cn else (s_vn, s_cn)
        ratio[k] = (own + smoothing) / (other + smoothing)
        posture[k] = score[h] if h >= 0 else 0.0  # China's coercion score at the hot spot
        fishing_target[k] = kind[j] == FISHING
        base_a[k] = latent_one(coef[0], coef[1], coef[2], coef[3], coef[4], coef[5], ceil_a[k],
                               ratio[k], observed[k], cbm, proficiency[i],
                               posture[k] if cn else 0.0)
        base_t[k] = latent_one(coef[0], coef[1], coef[2], coef[3], coef[4], coef[5], ceil_t[k],
                               1.0 / ratio[k], observed[k], cbm, proficiency[j],
                               0.0 if cn else posture[k])


@njit(cache=True)
def _government_at_sea(n, status, task, kind):
    """Ids of the government ships at sea (cutters, patrols, militia, warships): the force
    balance."""
    gov = np.empty(n, np.int64)
    m = 0
    for i in range(n):
        if status[i] == ACTIVE and task[i] != IN_PORT and (kind[i] == COAST_GUARD
                                                         or kind[i] == MILITIA
                                                         or kind[i] == NAVY):
            gov[m] = i
            m += 1
    return gov[:m]


@njit(cache=True)
def _force_weight(gov, tonnage, exponent):
    """Each government ship's weight by its size: (tonnage / 1,000 t) ** exponent."""
    w = np.empty(gov.size)
    for k in range(gov.size):
        w[k] = (tonnage[gov[k]] / 1000.0) ** exponent
    return w


@njit(cache=True)
def _chinese_rules(kind, cn_ceil, ceilings, leaks):
    """(ceiling, leak) of a Chinese government ship, opening or answering: cutters under the hot
    spot's ceiling with the commanders' leak, militia under their own (lower) ceiling with
    theirs."""
    if kind == MILITIA:
        return min(cn_ceil, ceilings[3]), leaks[1]
    return cn_ceil, leaks[0]


@njit(cache=True)
def _initiator_rules(cn, actor_kind, target_kind, cn_ceil, ceilings, leaks):
    """(ceiling, leak) of the side that opens: China's ships by ``_chinese_rules``; Vietnam's
    fishing enforcement under its ceiling with the commanders' leak, and its patrols against
    government ships, rigs and survey ships under the Four No's: no leak (the one documented
    hard rule)."""
    if cn:
        return _chinese_rules(actor_kind, cn_ceil, ceilings, leaks)
    if target_kind == FISHING:
        return ceilings[0], leaks[0]
    return ceilings[1], 0.0


@njit(cache=True)
def _target_rules(target_flag, target_kind, cn_ceil, ceilings, leaks):
    """(ceiling, leak) of the side that answers: a government ship's ladder (China's by
    ``_chinese_rules``; Vietnam's in self-defence follows the ladder, with the commanders'
    leak; a warship answers as a cutter); an unarmed boat cannot answer (0, no leak)."""
    if target_kind == COAST_GUARD or target_kind == MILITIA or target_kind == NAVY:
        if target_flag == CHN:
            return _chinese_rules(target_kind, cn_ceil, ceilings, leaks)
        return ceilings[2], leaks[0]
    return 0, 0.0


@njit(cache=True)
def _local_picture(target_cell, gov, flag, kind, cell, lat, lon, militia_weight, vn_weight,
                   force_km, sensor_km, weight):
    """At one encounter cell: Chinese and Vietnamese government strength within ``force_km``
    (each ship by its tonnage weight; militia trawlers weigh less than a cutter of their size;
    Vietnamese ships more with coordinated patrols), and whether a Vietnamese government ship is
    within its sensor range."""
    la, lo = lat[target_cell], lon[target_cell]
    coslat = math.cos(math.radians(la))
    s_cn = s_vn = 0.0
    seen = False
    for k in range(gov.size):
        g = gov[k]
        d2 = flat_km2(la, lo, coslat, lat[cell[g]], lon[cell[g]])
        if d2 <= force_km * force_km:
            if flag[g] == CHN:
                s_cn += weight[k] * (militia_weight if kind[g] == MILITIA else 1.0)
            else:
                s_vn += weight[k] * vn_weight
        if flag[g] == VNM and d2 <= sensor_km * sensor_km:
            seen = True
    return s_cn, s_vn, seen
