"""The kernels that look at the sea, against plain-Python references on the toy sea with fleets
made by hand: the pair search (``meetings._pairs_kernel``), what each side sees in an encounter
(``context._context_kernel``), the endurance check and one step's hops
(``movement._must_return_kernel``, ``movement._move_kernel``), what is remembered of
incidents (``fishers._hear_kernel``, ``observe._hear_incidents``), and the day's picture
(``sensing``: the look, the census, sensor range, boats near the patrol areas, hot-spot
counts). All deterministic given their inputs (the draws are made by the callers): compared
exactly.
"""

from __future__ import annotations

import dataclasses
import math
from types import SimpleNamespace

import numpy as np
import pytest

import sim
from sim.actors.fishers import _hear_kernel
from sim.actors.observe import Observer
from sim.engine import ladder
from sim.engine.context import Posture, encounter_context
from sim.engine.fleet import (ACTIVE, CHN, COAST_GUARD, DETAINED, FISHING, IN_PORT, LOST,
                              MILITIA, NAVY, NOT_IN_SERVICE, ON_STATION, RETURNING, RIG, SURVEY,
                              TRANSIT, VNM, Fleet)
from sim.engine.meetings import Meetings
from sim.engine.movement import GROUND, PORT, Destinations, destinations, move, must_return
from sim.engine.sensing import (_boats_near, _census_kernel, _count_hotspots, _in_sensor_range,
                                _sense_kernel)
from sim.params import EncounterConfig, to_params
from sim.sea.geodesy import KM_PER_DEG, cell_km
from sim.sea.layers import build_layers
from test_ladder import ref_latent

SEEDS = range(4)
GOV = (COAST_GUARD, MILITIA)
FORCE = GOV + (NAVY,)  # the hulls that weigh in the local balance of force


@pytest.fixture(scope="module")
def toy():
    """The toy sea, its destinations (route fields) and layers, as a run builds them."""
    p = to_params(sim.compose(["sea=toy", "run.days=1", "run.progress=off"]))
    sea = sim.build_sea(p)
    return SimpleNamespace(p=p, sea=sea, dst=destinations(sea),
                           layers=build_layers(sea, p.sensing.hotspot_area_km),
                           water=np.flatnonzero(sea.water.ravel()), nx=sea.shape[1])


def water_box(toy, rng, half: int) -> np.ndarray:
    """Water cells within ``half`` cells (Chebyshev) of a random water cell: a crowded patch."""
    i0, j0 = divmod(int(rng.choice(toy.water)), toy.nx)
    i, j = np.divmod(toy.water, toy.nx)
    return toy.water[(abs(i - i0) <= half) & (abs(j - j0) <= half)]


def random_fleet(rng, n: int, cells: np.ndarray) -> Fleet:
    """``n`` hulls of random flag, kind, status, task and proficiency on the given cells."""
    f = Fleet(n)
    f._grow(n)
    f.flag[:] = rng.integers(0, 2, n)
    f.kind[:] = rng.choice([COAST_GUARD, MILITIA, FISHING, SURVEY, RIG, NAVY], n,
                           p=[0.3, 0.2, 0.37, 0.05, 0.05, 0.03])
    f.cell[:] = rng.choice(cells, n)
    f.status[:] = np.where(rng.random(n) < 0.85, ACTIVE,
                           rng.choice([LOST, DETAINED, NOT_IN_SERVICE], n))
    f.task[:] = rng.choice([IN_PORT, TRANSIT, ON_STATION, RETURNING], n)
    f.proficiency[:] = rng.random(n)
    f.tonnage[:] = rng.uniform(50, 5000, n)
    return f


# --------------------------------------------------------------------------- the pair search
def ref_hourly_chance(a, t, f, lay, posture, e, moratorium_on) -> float:
    """The hourly chance that actor ``a`` engages target ``t`` (in the target's cell), as the
    module docstring and ODD §7.13 state it: China's militia at ``engage_militia``, its cutters
    at ``engage_cg_fishing`` against fishing boats and ``engage_gov`` otherwise, against
    fishing boats boosted in the moratorium zone while it is on, all times China's posture
    there; Vietnam at ``engage_enforcement`` against Chinese fishing boats in its EEZ (0
    outside), ``engage_militia`` against militia and ``engage_gov`` against the rest."""
    c = f.cell[t]
    fishing = f.kind[t] == FISHING
    if f.flag[a] == CHN:
        if f.kind[a] == MILITIA:
            p = e.engage_militia
        else:
            p = e.engage_cg_fishing if fishing else e.engage_gov
        if fishing and moratorium_on and lay.moratorium[c]:
            p *= e.moratorium_boost
        return p * posture[c]
    if fishing:
        return e.engage_enforcement if lay.vn_eez[c] else 0.0
    return e.engage_militia if f.kind[t] == MILITIA else e.engage_gov


def ref_pairs(f, at_sea, step, lay, posture, e, moratorium_on, hours, radius, nx):
    """Brute force over all pairs of free vessels at sea (at sea and not busy after ``step``):
    a Chinese or Vietnamese cutter or militia trawler against a vessel of the other flag that
    its State contests where it is (a Vietnamese one inside the claim, a Chinese one in waters
    Vietnam is entitled to), within ``radius`` cells (Chebyshev); chance over the step
    1 - (1 - min(p, 1)) ** hours for the hourly chance p > 0. Sorted (actor, target, chance)."""
    free = [i for i in range(f.n) if at_sea[i] and f.busy_until[i] <= step]
    out = []
    for a in free:
        if f.kind[a] not in GOV:
            continue
        ia, ja = divmod(int(f.cell[a]), nx)
        for t in free:
            c = int(f.cell[t])
            if f.flag[t] == f.flag[a]:
                continue
            contested = lay.claim[c] if f.flag[t] == VNM else lay.vn_entitled[c]
            it, jt = divmod(c, nx)
            if not contested or max(abs(it - ia), abs(jt - ja)) > radius:
                continue
            p = ref_hourly_chance(a, t, f, lay, posture, e, moratorium_on)
            if p > 0:
                out.append((a, t, 1.0 - (1.0 - min(p, 1.0)) ** hours))
    return sorted(out)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("hours", [1, 3])
def test_pair_search_finds_the_brute_force_pairs(toy, seed, hours):
    """``Meetings.candidates`` returns exactly ``ref_pairs``'s (actor, target, chance) triples
    (as sorted lists, chances compared with ==), on random fleets in a crowded patch of the toy
    sea with random layers and posture, radius 1-3 cells, moratorium on and off; called
    repeatedly on one ``Meetings`` (its per-cell lists must be left empty) and crowded enough
    to outgrow its first buffers."""
    rng = np.random.default_rng(1200 + seed)
    nc = toy.layers.lat.size
    lay = SimpleNamespace(**{k: rng.random(nc) < 0.6
                             for k in ("claim", "moratorium", "vn_eez", "vn_entitled")})
    e = dataclasses.replace(EncounterConfig(), **{
        k: float(rng.uniform(0.01, 0.6)) for k in ("engage_cg_fishing", "engage_gov",
                                                   "engage_militia", "engage_enforcement")},
        moratorium_boost=float(rng.uniform(1, 4)))
    radius = int(rng.integers(1, 4))
    meetings = Meetings(toy.sea, lay, e, hours, radius)
    sizes = []
    for trial in range(4):
        meetings.posture = np.where(rng.random(nc) < 0.2, 0.0, rng.uniform(0, 3, nc))
        crowded = trial == 1  # all within range of each other
        f = random_fleet(rng, 700 if crowded else 150,
                         water_box(toy, rng, radius if crowded else 4))
        f.busy_until[: f.n] = rng.integers(0, 20, f.n)
        step = 10
        at_sea = rng.random(f.n) < 0.9
        on = bool(trial % 2)
        a, t, p = meetings.candidates(f, at_sea, step, on)
        got = sorted(zip(a.tolist(), t.tolist(), p.tolist()))
        want = ref_pairs(f, at_sea, step, lay, meetings.posture, e, on, hours, radius, toy.nx)
        assert got == want
        sizes.append(len(got))
    assert max(sizes) > 4096 and min(sizes) > 0  # (the buffers grew; every call found pairs)


# --------------------------------------------------------------------------- the context
def ref_context(a, t, f, lay, e, info_detection, q, u_info, u_open) -> dict:
    """ODD §7.14 and the ``context`` docstrings (issue 14) per encounter: China's ROE ceiling
    is that of the hot spot of the target's cell (``cn_ceiling[h]``), ``cn_ceiling_open`` where
    the cell has none (h < 0); the (ceiling, leak) of the initiator: China's cutters (that
    ceiling, ``leak_initiative``), its militia (that capped by ``militia_ceiling``,
    ``leak_militia``); Vietnam against fishing boats (its enforcement ceiling,
    ``leak_initiative``), otherwise (its ceiling capped by ``vn_initiate_ceiling``, no leak:
    the Four No's); of the target: a Chinese government ship as China's initiator of its kind,
    a Vietnamese one (``vn_ceiling``, ``leak_initiative``), an unarmed hull (0, 0); each side's
    strength: its government
    ships at sea within ``force_radius_km`` of the target (flat-earth distance at the target's
    latitude; warships too; each (tonnage / 1,000 t) ** force_tonnage_exponent, militia also
    times ``militia_force_weight``, Vietnamese times 1 + coordinated, in id order);
    observed if a Vietnamese government ship is within sensor range (extended by information
    sharing), radar covers the cell, Vietnam initiated, or one of the two draws falls below
    its chance; ratio (own + smoothing) / (other + smoothing); China's score at the hot spot
    of the cell; each side's latent (``ref_latent``; the target's ratio inverted, posture
    for the Chinese side only)."""
    gov = [g for g in range(f.n) if f.status[g] == ACTIVE and f.task[g] != IN_PORT
           and f.kind[g] in FORCE]
    sensor = e.sensor_km * (1 + q.info_sharing)
    coef = (e.a_roe, e.b_force, e.c_observed, e.d_cbm, e.e_training, e.f_posture)

    def chinese(kind, cn_ceil):  # (ceiling, leak) of a Chinese government ship
        if kind == MILITIA:
            return min(cn_ceil, e.militia_ceiling), e.leak_militia
        return cn_ceil, e.leak_initiative

    out = {k: [] for k in ("ceil_a", "ceil_t", "leak_a", "leak_t", "ratio", "observed",
                           "posture", "base_a", "base_t", "fishing_target")}
    for k, (i, j) in enumerate(zip(a, t)):
        cj = f.cell[j]
        la, lo = float(lay.lat[cj]), float(lay.lon[cj])
        coslat = math.cos(math.radians(la))
        s = {CHN: 0.0, VNM: 0.0}
        seen = False
        for g in gov:
            dy = (float(lay.lat[f.cell[g]]) - la) * KM_PER_DEG
            dx = (float(lay.lon[f.cell[g]]) - lo) * KM_PER_DEG * coslat
            d2 = dx * dx + dy * dy
            if d2 <= e.force_radius_km ** 2:
                size = (float(f.tonnage[g]) / 1000.0) ** e.force_tonnage_exponent
                if f.flag[g] == CHN:
                    s[CHN] += size * (e.militia_force_weight if f.kind[g] == MILITIA else 1.0)
                else:
                    s[VNM] += size * (1.0 + q.coordinated)
            seen |= f.flag[g] == VNM and d2 <= sensor ** 2
        cn = f.flag[i] == CHN
        h = int(q.cell_hotspot[cj])
        cn_ceil = int(q.cn_ceiling[h]) if h >= 0 else q.cn_ceiling_open
        if cn:
            ceil_a, leak_a = chinese(f.kind[i], cn_ceil)
        elif f.kind[j] == FISHING:
            ceil_a, leak_a = q.vn_enforcement_ceiling, e.leak_initiative
        else:
            ceil_a, leak_a = min(q.vn_ceiling, e.vn_initiate_ceiling), 0.0
        if f.kind[j] not in FORCE:
            ceil_t, leak_t = 0, 0.0
        elif f.flag[j] == CHN:
            ceil_t, leak_t = chinese(f.kind[j], cn_ceil)
        else:
            ceil_t, leak_t = q.vn_ceiling, e.leak_initiative
        observed = bool(seen or lay.radar_vn[cj] or not cn
                        or u_info[k] < info_detection * q.info_sharing
                        or u_open[k] < q.transparency)
        own, other = (s[CHN], s[VNM]) if cn else (s[VNM], s[CHN])
        ratio = (own + e.force_smoothing) / (other + e.force_smoothing)
        posture = float(q.score[h]) if h >= 0 else 0.0
        row = dict(ceil_a=ceil_a, ceil_t=ceil_t, leak_a=leak_a, leak_t=leak_t, ratio=ratio, observed=observed,
                   posture=posture, fishing_target=bool(f.kind[j] == FISHING),
                   base_a=ref_latent(*coef, ceil_a, ratio, observed, q.cbm, f.proficiency[i],
                                     posture if cn else 0.0),
                   base_t=ref_latent(*coef, ceil_t, 1.0 / ratio, observed, q.cbm,
                                     f.proficiency[j], 0.0 if cn else posture))
        for key, v in row.items():
            out[key].append(v)
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_context_matches_the_odd(toy, seed):
    """``encounter_context`` gives exactly ``ref_context``'s ceilings, leaks, force ratios,
    observed flags, posture, fishing flags and both latents (floats compared with ==) for 300
    random encounters in a crowded patch, under random parameters and posture (China's ceiling
    per hot spot and on the open sea all different, two different leaks); its two draws per
    encounter regenerated from the same seed. The cases cover observed and unobserved
    encounters, ratios above and below 1, targets at every hot spot and away from all, and
    every (ceiling, leak) rule of both sides."""
    rng = np.random.default_rng(1300 + seed)
    f = random_fleet(rng, 120, water_box(toy, rng, 8))
    nc = toy.layers.lat.size
    lay = SimpleNamespace(lat=toy.layers.lat, lon=toy.layers.lon, radar_vn=rng.random(nc) < 0.15)
    e = dataclasses.replace(
        EncounterConfig(), **{k: float(rng.uniform(0, 2)) for k in
                              ("a_roe", "b_force", "c_observed", "d_cbm", "e_training",
                               "f_posture")},
        militia_ceiling=int(rng.integers(0, 7)), vn_initiate_ceiling=int(rng.integers(0, 4)),
        militia_force_weight=float(rng.uniform(0, 1)),
        force_tonnage_exponent=float(rng.uniform(0, 1)),
        force_smoothing=float(rng.uniform(0.1, 1)), force_radius_km=float(rng.uniform(10, 60)),
        sensor_km=float(rng.uniform(1, 12)),
        leak_initiative=float(rng.uniform(0.001, 0.45)),
        leak_militia=float(rng.uniform(0.45, 0.9)))
    n_hs = 3
    cn = rng.permutation(8)[: n_hs + 1]  # distinct: hot spots and the open sea tell apart
    q = Posture(cn_ceiling=cn[:n_hs].copy(), cn_ceiling_open=int(cn[n_hs]),
                cell_hotspot=rng.integers(-1, n_hs, nc).astype(np.int32),
                score=rng.normal(0, 1, n_hs), vn_enforcement_ceiling=int(rng.integers(0, 4)),
                vn_ceiling=int(rng.integers(0, 4)), coordinated=float(rng.random()),
                transparency=float(rng.uniform(0, 0.3)), cbm=float(rng.random()),
                info_sharing=float(rng.random()))
    info_detection = float(rng.uniform(0, 0.5))
    gov = np.flatnonzero(np.isin(f.kind[: f.n], GOV))
    a = rng.choice(gov, 300)
    t = np.array([rng.choice(np.flatnonzero(f.flag[: f.n] != f.flag[i])) for i in a])
    got = encounter_context(a, t, f, lay, e, info_detection, q, np.random.default_rng(seed))
    draws = np.random.default_rng(seed)
    u_info, u_open = draws.random(t.size), draws.random(t.size)
    want = ref_context(a, t, f, lay, e, info_detection, q, u_info, u_open)
    for key, values in want.items():
        assert got[key].tolist() == values, key
    assert 0 < got["observed"].mean() < 1
    assert (got["ratio"] > 1).any() and (got["ratio"] < 1).any()
    spots = q.cell_hotspot[f.cell[t]]
    assert set(spots.tolist()) == {-1, *range(n_hs)}
    rules = set()
    for i, j in zip(a, t):
        if f.flag[i] == CHN:
            rules.add("cn militia opens" if f.kind[i] == MILITIA else "cn cutter opens")
        else:
            rules.add("vn enforces" if f.kind[j] == FISHING else "vn opens (Four No's)")
        if f.kind[j] in GOV:
            rules.add(("cn" if f.flag[j] == CHN else "vn") +
                      (" militia answers" if f.kind[j] == MILITIA else " cutter answers"))
        else:
            rules.add("unarmed target")
    assert rules >= {"cn militia opens", "cn cutter opens", "vn enforces", "vn opens (Four No's)",
                     "cn militia answers", "cn cutter answers", "vn cutter answers",
                     "unarmed target"}, rules
    assert {0.0, e.leak_initiative, e.leak_militia} <= set(got["leak_a"].tolist())


# --------------------------------------------------------------------------- movement
def sailing_fleet(toy, rng, n: int) -> Fleet:
    """A fleet at sea and in port anywhere on the toy sea: homes at the ports, destinations
    anywhere (some vessels already at theirs), endurance and credit partly spent."""
    f = random_fleet(rng, n, toy.water)
    dst = toy.dst
    f.home[: n] = rng.choice(dst.of_kind(PORT), n)
    f.dest[: n] = np.where(rng.random(n) < 0.1, -1, rng.integers(0, len(dst.slug), n))
    at_dest = (rng.random(n) < 0.3) & (f.dest[: n] >= 0)
    f.cell[: n] = np.where(at_dest, dst.cell[f.dest[: n]], f.cell[: n])
    f.speed_km_h[: n] = rng.choice([0.0, 8.0, 9.0, 14.0, 16.0, 18.0], n) * np.float32(1.852)
    f.hours_left[: n] = rng.uniform(-5, 300, n)
    f.credit_km[: n] = rng.uniform(0, 20, n)
    f.port_until[: n] = rng.integers(0, 50, n)
    return f


def ref_must_return(f, dst, margin) -> list[int]:
    """Ids (ascending) of vessels in service, at sea and not already heading home whose hours
    left are at most the hours home (route length home / speed, at least 1 km/h) plus the
    margin, in float32 like the fields."""
    out = []
    for i in range(f.n):
        if f.status[i] != ACTIVE or f.task[i] in (IN_PORT, RETURNING):
            continue
        hours_home = dst.dist[f.home[i], f.cell[i]] / max(f.speed_km_h[i], np.float32(1.0))
        if f.hours_left[i] <= hours_home + np.float32(margin):
            out.append(i)
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_endurance_check_matches_the_reference(toy, seed):
    """``must_return`` returns exactly ``ref_must_return``'s ids, on random fleets with random
    margins, a quarter of the vessels exactly at the limit (hours left = hours home + margin
    in float32: these must turn home) and some just above it (these must not)."""
    rng = np.random.default_rng(1400 + seed)
    for _ in range(5):
        f = sailing_fleet(toy, rng, 300)
        margin = float(rng.uniform(0, 24))
        n, dst = f.n, toy.dst
        limit = (dst.dist[f.home[:n], f.cell[:n]]
                 / np.maximum(f.speed_km_h[:n], np.float32(1.0)) + np.float32(margin))
        edge = rng.random(n) < 0.25
        above = ~edge & (rng.random(n) < 0.2)
        f.hours_left[:n][edge] = limit[edge]
        f.hours_left[:n][above] = np.nextafter(limit[above], np.float32(np.inf))
        got = must_return(f, dst, margin).tolist()
        assert got == ref_must_return(f, dst, margin)
        at_edge = [i for i in np.flatnonzero(edge) if f.status[i] == ACTIVE
                   and f.task[i] in (TRANSIT, ON_STATION)]
        assert at_edge and set(at_edge) <= set(got)


def ref_move(f, dst, draws, step_hours, cell_km, loiter) -> None:
    """One step of ``move`` in place, per vessel in id order, one draw each for those in
    service, at sea and with a destination: hours left fall by the step; on station, with
    chance ``loiter`` it drifts to the neighbour the draw picks (of the nine, itself last) if
    that stays within the station's radius (at least 1 km); in transit or returning, it gains
    the step's distance (kept to one step plus two cells), then hops along the route
    (``dst.next_hop``) while the credit covers each hop; within its destination's radius it
    arrives: in port if that is home (no destination, turnaround unset), else on station, with
    no credit left. Float32 where the fleet's arrays are."""
    nxt = dst.next_hop
    m = 0
    for i in range(f.n):
        if f.status[i] != ACTIVE or f.task[i] == IN_PORT or f.dest[i] < 0:
            continue
        u, m = draws[m], m + 1
        d, c = int(f.dest[i]), int(f.cell[i])
        f.hours_left[i] = np.float32(float(f.hours_left[i]) - step_hours)
        if f.task[i] == ON_STATION:
            if u < loiter:
                nb = dst.neighbours[c, int(u / loiter * 9)]
                if dst.dist[d, nb] <= max(float(dst.radius_km[d]), 1.0):
                    f.cell[i] = nb
            continue
        run = float(f.speed_km_h[i]) * step_hours
        credit = np.float32(min(float(f.credit_km[i]) + run, run + 2 * cell_km))
        while True:
            hop = int(nxt[d, c])
            length = dst.dist[d, c] - dst.dist[d, hop]  # float32
            if hop == c or credit < length:
                break
            credit, c = credit - length, hop
            if dst.dist[d, c] <= dst.radius_km[d]:
                if d == f.home[i]:
                    f.task[i], f.dest[i], f.port_until[i] = IN_PORT, -1, -1
                else:
                    f.task[i] = ON_STATION
                credit = np.float32(0.0)
                break
        f.credit_km[i] = credit
        f.cell[i] = c


MOVED = ("cell", "task", "dest", "credit_km", "hours_left", "port_until", "status")


def fine_ports(dst: Destinations, scale: float = 0.05) -> Destinations:
    """``dst`` with the ports' route fields scaled down (neighbouring cells about 0.5 km from a
    port): where a station's radius (0 at a port) and its 1-km floor differ."""
    dist = np.array(dst.dist)
    dist[dst.kind == PORT] *= np.float32(scale)
    return Destinations(dst.slug, dst.kind, dst.flag, dst.cell, dst.radius_km, dst.value, dist,
                        dst.neighbours, np.array(dst.hop_dir))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("step_hours", [1, 3])
@pytest.mark.parametrize("fields", ["toy", "fine ports"])
def test_a_step_of_movement_matches_the_reference(toy, seed, step_hours, fields):
    """``move`` leaves every array of the fleet exactly as ``ref_move`` does (fed the draws
    ``move`` made, regenerated from the same seed), step after step for 40 steps of a random
    fleet (homes at the ports, destinations anywhere, some on station), on the toy sea's route
    fields and on ones with the ports' fields scaled to sub-km distances (``fine_ports``).
    Along the way vessels hop, arrive in port and on station, and drift on station."""
    dst = toy.dst if fields == "toy" else fine_ports(toy.dst)
    toy = SimpleNamespace(**{**vars(toy), "dst": dst})
    rng = np.random.default_rng(1500 + seed)
    f = sailing_fleet(toy, rng, 150)
    ref = sailing_fleet(toy, np.random.default_rng(1500 + seed), 150)  # the same fleet
    km = cell_km(toy.sea.resolution, toy.sea.lat)
    chance = float(rng.uniform(0.1, 0.6))
    loiter = 1.0 - (1.0 - chance) ** step_hours
    start = f.cell[: f.n].copy()
    arrived = drifted = 0
    for step in range(40):
        on_station = f.task[: f.n] == ON_STATION
        before = f.cell[: f.n].copy()
        move(f, toy.dst, np.random.default_rng([seed, step]), step_hours, km, chance)
        k = int(((ref.status[: ref.n] == ACTIVE) & (ref.task[: ref.n] != IN_PORT)
                 & (ref.dest[: ref.n] >= 0)).sum())
        ref_move(ref, toy.dst, np.random.default_rng([seed, step]).random(k), step_hours, km,
                 loiter)
        for name in MOVED:
            np.testing.assert_array_equal(getattr(f, name)[: f.n], getattr(ref, name)[: ref.n],
                                          err_msg=f"{name} at step {step}")
        arrived += int((f.task[: f.n] == IN_PORT).sum())
        drifted += int((on_station & (f.cell[: f.n] != before)).sum())
    assert arrived > 0 and drifted > 0 and (f.cell[: f.n] != start).sum() > 20


# --------------------------------------------------------------------------- memories
def nearest_first(dists) -> int:
    """Index of the smallest distance, the first of equals."""
    best = 0
    for q, d in enumerate(dists):
        if d < dists[best]:
            best = q
    return best


def ref_hear(targets, rung, f, grounds, dst, risk, other, offset) -> None:
    """Fishers' memory (module docstring): per incident against a Vietnamese fishing boat, in
    order, severity (offset + rung) / (offset + 7) at the ground nearest the boat by route (the
    first of equals), heard with weight ``other`` by every home port and fully by the boat's
    own."""
    for v, r in zip(targets, rung):
        if f.flag[v] != VNM or f.kind[v] != FISHING:
            continue
        g = nearest_first([dst.dist[x, f.cell[v]] for x in grounds])
        s = (offset + r) / (offset + 7.0)
        for home in range(risk.shape[0]):
            risk[home, g] += other * s
        risk[f.home[v], g] += (1 - other) * s


@pytest.mark.parametrize("seed", SEEDS)
def test_fishers_memory_matches_the_reference(toy, seed):
    """``_hear_kernel`` leaves the risk table exactly as ``ref_hear`` does (==), on random
    incidents, starting from a random table, with the grounds listed twice (so that equal
    distances occur: the first of equals takes the incident)."""
    rng = np.random.default_rng(1600 + seed)
    dst = toy.dst
    f = random_fleet(rng, 200, toy.water)
    f.home[: f.n] = rng.choice(dst.of_kind(PORT), f.n)
    grounds = np.concatenate([dst.of_kind(GROUND), dst.of_kind(GROUND)])
    risk = rng.random((len(dst.slug), grounds.size))
    want = risk.copy()
    for _ in range(5):
        targets = rng.integers(0, f.n, 60)
        rung = rng.integers(0, 8, 60)
        other = float(rng.random())
        offset = float(rng.choice([1.0, 3.0 * rng.random()]))  # the default, and any other
        _hear_kernel(targets, rung, f.flag, f.kind, f.cell, f.home, grounds, dst.dist_flat,
                     dst.n_cells, risk, other, offset, 7.0)
        ref_hear(targets, rung, f, grounds, dst, want, other, offset)
        np.testing.assert_array_equal(risk, want)


def ref_hear_incidents(target, rung, observed, cells, f, areas, dst, harassed) -> int:
    """The States' hearing of a step's incidents (``observe`` module docstring): each incident
    against a Vietnamese fishing boat counts once for the patrol area nearest its cell by route
    (the first of equals); returns how many incidents were severe (rung >= SEVERE) and
    observed."""
    severe = 0
    for k, v in enumerate(target):
        severe += bool(rung[k] >= ladder.SEVERE and observed[k])
        if f.flag[v] == VNM and f.kind[v] == FISHING and len(areas):
            harassed[nearest_first([dst.dist[x, cells[k]] for x in areas])] += 1
    return severe


def ref_hear_government(actor, target, rung, observed, cells, f, cell_hotspot, clashes) -> int:
    """Clashes of government ships (cutters, militia, warships on both sides) at blocking or
    above, counted at the hot spot of the cell (none far from every hot spot); returns the
    severe incidents by Chinese government ships that Vietnam observed (violations)."""
    violations = 0
    for k in range(len(target)):
        i, j = actor[k], target[k]
        if f.flag[i] == CHN and f.kind[i] in FORCE and rung[k] >= ladder.SEVERE and observed[k]:
            violations += 1
        if rung[k] >= ladder.BLOCKING and f.kind[i] in FORCE and f.kind[j] in FORCE:
            h = cell_hotspot[cells[k]]
            if h >= 0:
                clashes[h] += 1
    return violations


@pytest.mark.parametrize("seed", SEEDS)
def test_observer_hears_incidents_as_the_reference(toy, seed):
    """``Observer.hear`` (``_hear_incidents``, ``_hear_government``) adds exactly
    ``ref_hear_incidents``'s counts to the areas' harassment and the severe incidents observed,
    and ``ref_hear_government``'s clashes per hot spot and violations, on random incidents (cells given
    per incident, as the model passes them), with patrol areas listed twice (equal distances:
    the first takes it) and with no areas at all."""
    rng = np.random.default_rng(1700 + seed)
    dst = toy.dst
    f = random_fleet(rng, 200, toy.water)
    for areas in (np.concatenate([dst.of_kind(GROUND), [0, 1], dst.of_kind(GROUND)]),
                  np.zeros(0, np.int64)):
        cell_hotspot = np.where(rng.random(toy.layers.lat.size) < 0.5, -1,
                                rng.integers(0, 2, toy.layers.lat.size))
        obs = Observer(2, areas, cell_hotspot)
        harassed, severe, violations, clashes = np.zeros(areas.size), 0, 0, np.zeros(2, int)
        for _ in range(5):
            n = 50
            target = rng.integers(0, f.n, n)
            res = dict(actor=rng.integers(0, f.n, n), target=target,
                       rung=rng.integers(0, 8, n), observed=rng.random(n) < 0.5)
            cells = rng.choice(toy.water, n)  # (not the targets' own: per incident)
            obs.hear(res, cells, f, dst)
            severe += ref_hear_incidents(target, res["rung"], res["observed"], cells, f, areas,
                                         dst, harassed)
            violations += ref_hear_government(res["actor"], target, res["rung"],
                                              res["observed"], cells, f, cell_hotspot, clashes)
            np.testing.assert_array_equal(obs._harassed, harassed)
            assert obs._severe_seen == severe and obs._violations == violations
            np.testing.assert_array_equal(obs.clashes, clashes)
        assert severe > 0 and violations > 0 and clashes.sum() > 0
        np.testing.assert_array_equal(obs.take_clashes(), clashes)
        assert obs.clashes.sum() == 0


# --------------------------------------------------------------------------- the day's picture
def ref_sense(at_sea, f, lay, seen) -> tuple[int, int, int]:
    """One step's look (``sensing`` module docstring): each vessel at sea ORs in the hot-spot
    bits of its cell; counts of vessels at sea in contested waters, of Vietnamese fishing boats
    on station, and of those in contested waters."""
    contested = fishing = fishing_contested = 0
    for i in np.flatnonzero(at_sea):
        c = f.cell[i]
        seen[i] |= lay.hotspot_bits[c]
        contested += bool(lay.contested[c])
        if f.flag[i] == VNM and f.kind[i] == FISHING and f.task[i] == ON_STATION:
            fishing += 1
            fishing_contested += bool(lay.contested[c])
    return contested, fishing, fishing_contested


def ref_census(at_sea, f, lay):
    """The noon census: vessels at sea by (flag, kind); Chinese militia in the Spratlys;
    ids of the Chinese cutters and militia in Vietnam's EEZ; ids of the Vietnamese fishing
    boats at sea."""
    by_type = np.zeros((2, 6), np.int64)
    militia, gov_cn, boats = 0, [], []
    for i in np.flatnonzero(at_sea):
        c = f.cell[i]
        by_type[f.flag[i], f.kind[i]] += 1
        cn = f.flag[i] == CHN
        militia += bool(cn and f.kind[i] == MILITIA and lay.spratly[c])
        if cn and f.kind[i] in GOV and lay.vn_eez[c]:
            gov_cn.append(i)
        if not cn and f.kind[i] == FISHING:
            boats.append(i)
    return by_type, militia, gov_cn, boats


@pytest.mark.parametrize("seed", SEEDS)
def test_the_look_and_the_census_match_the_reference(toy, seed):
    """``_sense_kernel`` (counts and the day's hot-spot bits) and ``_census_kernel`` (counts by
    type, militia in the Spratlys, the ids it collects) equal ``ref_sense`` and ``ref_census``
    exactly on random fleets, layers with random contested, Spratly and EEZ cells and random
    hot-spot bits; the look repeated over 5 steps (bits accumulate)."""
    rng = np.random.default_rng(1800 + seed)
    nc = toy.layers.lat.size
    lay = SimpleNamespace(hotspot_bits=rng.integers(0, 8, nc), contested=rng.random(nc) < 0.5,
                          spratly=rng.random(nc) < 0.5, vn_eez=rng.random(nc) < 0.5)
    f = random_fleet(rng, 300, toy.water)
    seen, want_seen = np.zeros(f.n, np.int64), np.zeros(f.n, np.int64)
    for _ in range(5):
        f.cell[: f.n] = rng.choice(toy.water, f.n)
        at_sea = rng.random(f.n) < 0.7
        got = _sense_kernel(at_sea, f.task, f.flag, f.kind, f.cell, lay.hotspot_bits,
                            lay.contested, seen)
        assert tuple(got) == ref_sense(at_sea, f, lay, want_seen)
        np.testing.assert_array_equal(seen, want_seen)
        by_type, gov_cn, boats = (np.zeros((2, 6), np.int64), np.empty(f.n, np.int64),
                                  np.empty(f.n, np.int64))
        militia, k_cn, k_boats = _census_kernel(at_sea, f.flag, f.kind, f.cell, lay.spratly,
                                                lay.vn_eez, by_type, gov_cn, boats)
        want = ref_census(at_sea, f, lay)
        np.testing.assert_array_equal(by_type, want[0])
        assert militia == want[1] and gov_cn[:k_cn].tolist() == want[2]
        assert boats[:k_boats].tolist() == want[3]


@pytest.mark.parametrize("seed", SEEDS)
def test_sensor_range_boats_near_and_hotspot_counts_match_the_reference(toy, seed):
    """``_in_sensor_range`` (a sensor within ``km``, flat-earth at the target's latitude; ships
    already seen stay seen), ``_boats_near`` (boats within ``km`` of each area by route, the
    distance itself included) and ``_count_hotspots`` (distinct vessels per hot spot and
    group, Japanese-built hulls also in the last column) equal their references exactly, with
    ranges set to distances that occur (ties)."""
    rng = np.random.default_rng(1900 + seed)
    lay, dst = toy.layers, toy.dst
    cells = rng.choice(water_box(toy, rng, 6), 80)
    sensors = rng.choice(water_box(toy, rng, 6), 10)

    def km2(c, s):
        la = float(lay.lat[c])
        dy = (float(lay.lat[s]) - la) * KM_PER_DEG
        dx = (float(lay.lon[s]) - float(lay.lon[c])) * KM_PER_DEG * math.cos(math.radians(la))
        return dx * dx + dy * dy

    # The range is one target's distance to its nearest sensor, exactly (km * km equals it):
    # that target is at the edge, which is inside.
    nearest = [min(km2(c, s) for s in sensors) for c in cells]
    edge = next(k for k, d2 in enumerate(nearest) if d2 > 0 and math.sqrt(d2) ** 2 == d2)
    km = math.sqrt(nearest[edge])
    seen = rng.random(cells.size) < 0.2
    seen[edge] = False
    want = [bool(s0) or any(km2(c, s) <= km * km for s in sensors)
            for c, s0 in zip(cells, seen)]
    _in_sensor_range(cells, sensors, lay.lat, lay.lon, km, seen)
    assert seen.tolist() == want and seen[edge]

    areas = np.concatenate([dst.of_kind(GROUND), dst.of_kind(PORT)])
    boat_cells = rng.choice(toy.water, 200)
    km = float(dst.dist[areas[0], boat_cells[0]])  # a route length that occurs
    near = rng.integers(0, 5, areas.size).astype(float)
    want = near + [sum(dst.dist[q, c] <= km for c in boat_cells) for q in areas]
    _boats_near(areas, boat_cells, dst.dist_flat, dst.n_cells, km, near)
    np.testing.assert_array_equal(near, want)

    f = random_fleet(rng, 300, toy.water)
    f.japanese[: f.n] = (f.flag[: f.n] == VNM) & (f.kind[: f.n] == COAST_GUARD) & \
        (rng.random(f.n) < 0.3)
    bits = np.where(rng.random(f.n) < 0.3, 0, rng.integers(0, 8, f.n))
    groups = {(CHN, COAST_GUARD): 0, (CHN, MILITIA): 1, (VNM, COAST_GUARD): 2, (VNM, FISHING): 3}
    want = np.zeros((3, 5), np.int64)
    for i in range(f.n):
        for k in range(3):
            if bits[i] >> k & 1:
                g = groups.get((f.flag[i], f.kind[i]))
                if g is not None:
                    want[k, g] += 1
                want[k, 4] += bool(f.japanese[i])
    counts = np.zeros((3, 5), np.int64)
    _count_hotspots(bits, f.flag, f.kind, f.japanese, counts)
    np.testing.assert_array_equal(counts, want)
