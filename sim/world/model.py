"""GreyZoneModel: the hourly loop, the daily clock, and the State agents' slower decisions.

One step (``run.step_hours``, default 1 h), in this order:
    1. new day (at hour 0): weather, moratorium, releases, State decisions (China and Vietnam
       every ``decision_days``, Japan yearly; deliveries daily), weather recalls, sorties, fishers' memory
    2. move: transit along shortest sea routes, loiter on station, come home
    3. endurance: vessels whose fuel/crew time barely covers the way home turn back
    4. sense: hot-spot presence, fishing effort, incursions and their detection
    5. meet: opposing vessels in range may engage; encounters play out on the ladder;
       incidents are recorded, outcomes applied, fishers hear of them
Randomness comes from separate streams (weather, movement, encounters, policy, fishing)
spawned from ``seed``, so two scenarios with one seed share their weather.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

import math

import mesa
import numpy as np
from numba import njit

from sim.engine import encounters
from sim import params as params_mod
from sim.engine.ladder import latent_one
from sim.actors.fishers import Fishers
from sim.engine.fleet import (CHN, COAST_GUARD, FISHING, IN_PORT, MILITIA, VNM, WEATHER_LIMIT, DETAINED,
                    ACTIVE, Fleet, NOT_IN_SERVICE)
from sim.actors.injects import Injects
from sim.actors.japan import Japan
from sim.engine.movement import (GROUND, HOTSPOT, PORT, at_sea as at_sea_mask, destinations, move,
                       must_return, recall, send)
from sim.record.recorder import Recorder
from sim.sea import STATES, build_sea
from sim.engine.calendar import Weather, moratorium_active
from sim.actors.states import China, Vietnam

logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO

from sim.sea.scs import SPRATLY_BOX  # noqa: E402  (lat0, lat1, lon0, lon1; the Spratly area)
CN_TRIP_DAYS = 15.0  # Chinese fishing trips in the modelled waters (assumption)
JAPAN_BUILT_BONUS = 0.2  # crews of new Japanese hulls train with them (assumption)
ENDURANCE_CHECK_HOURS = 3  # how often crews check fuel and time left against the way home
TURNAROUND_DAYS = {COAST_GUARD: 5, MILITIA: 4, FISHING: 3}


@dataclass
class Layers:
    """Flat per-cell arrays the kernels index by ``fleet.cell``."""

    claim: np.ndarray
    moratorium: np.ndarray
    vn_eez: np.ndarray
    vn_entitled: np.ndarray
    contested: np.ndarray
    zone: np.ndarray
    north: np.ndarray
    spratly: np.ndarray
    hotspot_bits: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    radar_vn: np.ndarray
    radar_cn: np.ndarray


class GreyZoneModel(mesa.Model):
    def __init__(self, p: params_mod.Config):
        super().__init__(rng=p.seed)
        self.p = p
        streams = np.random.SeedSequence(p.seed).spawn(5)
        (self.rng_weather, self.rng_move, self.rng_encounter, self.rng_policy,
         self.rng_fishing) = (np.random.default_rng(s) for s in streams)
        self.sea = build_sea(p)
        self.dst = destinations(self.sea)
        self.step_hours = p.run.step_hours
        self.steps_per_day = 24 // self.step_hours
        self.start = dt.date.fromisoformat(p.run.start)
        self.step_count, self.day, self.hour = 0, 0, 0
        self.date = self.start
        self.moratorium_on = moratorium_active(self.start)
        self.cell_km = float(self.sea.resolution * 111.2 * np.cos(np.radians(self.sea.lat.mean())))
        self.layers = self._layers()
        self.nearest_hotspot = self._nearest_hotspot()
        self.vn_patrol_areas = self._vn_patrol_areas()
        self.range_cells = max(1, int(round(p.encounter.range_km / self.cell_km)))
        self.weather = Weather(p.weather, self.rng_weather)
        self.sea_state = self.weather.state
        self.fleet = Fleet(4096)
        self._launch_fleets()
        self.meetings = encounters.Meetings(self, self.range_cells)
        self.injects = Injects(self)
        self.recorder = Recorder(self)
        self.japan = Japan(self, p)
        self.china = China(self, p)
        self.vietnam = Vietnam(self, p)
        self.fishers = Fishers(self)
        cap = p.japan.capacity
        self.coordinated = p.cooperation.coordinated_patrols * cap
        self.transparency = p.cooperation.transparency * cap
        self.norm_cost = p.cooperation.norm_cost * cap
        self.cbm_level = 0.0
        self.cbm_floor = 0.0  # raised by a hotline inject
        self.agreement_cost = 0.0  # China's cost of breaking an agreed arrangement
        self.crisis_day: int | None = None

    # ------------------------------------------------------------------ set-up
    def _layers(self) -> Layers:
        s = self.sea
        lat2, lon2 = np.meshgrid(s.lat, s.lon, indexing="ij")
        b0, b1, c0, c1 = SPRATLY_BOX
        spr = (lat2 >= b0) & (lat2 <= b1) & (lon2 >= c0) & (lon2 <= c1)
        if s.name != "scs":
            spr = np.ones(s.shape, bool)  # the toy sea is all "Spratlys"
        bits = np.zeros(s.shape, np.int64)
        for k, f in enumerate(x for x in s.features if x.hotspot):
            bits |= (s.distance_km(f.lat, f.lon) <= 22.224).astype(np.int64) << k  # 12 nm
        radar = s.radar
        flat = lambda a: np.ascontiguousarray(a).ravel()  # noqa: E731
        return Layers(
            claim=flat(s.claim_area), moratorium=flat(s.moratorium_zone),
            vn_eez=flat(s.eez == STATES.index("VNM")), vn_entitled=flat(s.entitled("VNM")),
            contested=flat(s.contested), zone=flat(s.zone), north=flat(lat2 >= 12.0),
            spratly=flat(spr), hotspot_bits=flat(bits), lat=flat(lat2), lon=flat(lon2),
            radar_vn=flat(radar.get("VNM", np.zeros(s.shape, bool))),
            radar_cn=flat(radar.get("CHN", np.zeros(s.shape, bool))))

    def _nearest_hotspot(self) -> np.ndarray:
        """Index (among hot spots) of the hot spot within 100 km of each cell, else -1."""
        hs = [f for f in self.sea.features if f.hotspot]
        d = np.stack([self.sea.distance_km(f.lat, f.lon).ravel() for f in hs])
        near = np.argmin(d, axis=0)
        return np.where(d.min(axis=0) <= 100.0, near, -1).astype(np.int32)

    def _vn_patrol_areas(self) -> np.ndarray:
        dst, lay = self.dst, self.layers
        hs = dst.of_kind(HOTSPOT)
        gr = dst.of_kind(GROUND)
        hs = hs[lay.vn_entitled[dst.cell[hs]] | lay.contested[dst.cell[hs]]]
        gr = gr[lay.vn_entitled[dst.cell[gr]] | lay.contested[dst.cell[gr]]
                | lay.spratly[dst.cell[gr]]]
        return np.concatenate([hs, gr])

    def _ports(self, flag: str, kinds=("port", "outpost")) -> np.ndarray:
        return np.array([k for k in self.dst.of_kind(PORT) if self.dst.flag[k] == flag
                         and self.sea.ports[k - self.dst.of_kind(PORT)[0]].kind in kinds])

    def _launch_fleets(self) -> None:
        p, f, rng = self.p, self.fleet, self.rng_policy
        cn_all, vn_all = self._ports("CHN"), self._ports("VNM", ("port",))
        cn_out = self._ports("CHN", ("outpost",))
        cn_home = self._ports("CHN", ("port",))
        cells = self.dst.cell
        spratly_out = np.array([k for k in cn_out if self.layers.spratly[cells[k]]]) \
            if cn_out.size else cn_out
        militia_home = spratly_out if spratly_out.size else cn_all
        spd = dict(steps_per_day=self.steps_per_day)
        f.add("cn_coast_guard", p.china.coast_guard, cn_all, cells[cn_all], rng, **spd)
        f.add("cn_militia", p.china.militia, militia_home, cells[militia_home], rng, **spd)
        f.add("cn_fishing", p.china.fishing, cn_home if cn_home.size else cn_all,
              cells[cn_home if cn_home.size else cn_all], rng, **spd)
        f.add("vn_coast_guard", p.vietnam.coast_guard, vn_all, cells[vn_all], rng,
              proficiency=p.vietnam.training, **spd)
        f.add("vn_fisheries_surveillance", p.vietnam.fisheries_surveillance, vn_all,
              cells[vn_all], rng, proficiency=p.vietnam.training, **spd)
        f.add("vn_fishing", p.vietnam.fishing, vn_all, cells[vn_all], rng, **spd)
        self.vn_home_ports = vn_all

    def commission_japanese_hulls(self, count: int) -> None:
        vn = self.vn_home_ports
        self.fleet.add("vn_japan_built", count, vn, self.dst.cell[vn], self.rng_policy,
                       proficiency=min(1.0, self.p.vietnam.training + JAPAN_BUILT_BONUS))
        self.fleet.port_until[self.fleet.n - count: self.fleet.n] = self.step_count

    def update_radar(self) -> None:
        cover = self.sea.radar_coverage(list(self.sea.radar_stations) + self.japan.stations)
        self.layers.radar_vn = cover.get("VNM", np.zeros(self.sea.shape, bool)).ravel()

    @property
    def vessels(self):
        """Every hull as a Mesa agent (an ``AgentSet`` of live views; made on first use)."""
        from mesa.agent import AgentSet

        from sim.engine.fleet import VesselAgent

        made = getattr(self, "_vessel_agents", [])
        for i in range(len(made), self.fleet.n):
            made.append(VesselAgent(self, i))
        self._vessel_agents = made
        return AgentSet(made, random=self.random)

    # ------------------------------------------------------------------ the step
    def step(self) -> None:
        """Mesa's step (wrapped by Mesa to count steps): one hour, or ``run.step_hours``."""
        self.advance()

    def advance(self) -> None:
        """One step of the phase list in the module docstring."""
        if self.hour == 0:
            self.new_day()
        self.sail()
        at_sea = at_sea_mask(self.fleet)
        self.recorder.sense(self.hour, at_sea)
        self.meet(at_sea)
        self.step_count += 1
        self.hour = (self.hour + self.step_hours) % 24
        if self.hour == 0:
            self.recorder.close_day()
            self.day += 1
            self.date = self.start + dt.timedelta(days=self.day)

    def sail(self) -> None:
        """Move every vessel at sea; every few hours, crews short of fuel or time turn home."""
        move(self.fleet, self.dst, self.rng_move, self.step_hours, self.cell_km)
        if self.hour % ENDURANCE_CHECK_HOURS < self.step_hours:
            short = must_return(self.fleet, self.dst)
            if short.size:
                recall(self.fleet, short)

    def new_day(self) -> None:
        self.moratorium_on = moratorium_active(self.date)
        self.sea_state = self.weather.next_day(self.date)
        self._release_detained()
        self.injects.daily()
        self._update_levels()
        if self.day % 365 == 0:
            self.japan.decide()
        self.japan.deliver()  # before the States decide: today's deliveries are seen today
        if self.day % self.p.china.decision_days == 0:
            self.china.decide()
        if self.day % self.p.vietnam.decision_days == 0:
            self.vietnam.decide()
        self._weather_recall()
        self._sortie()
        self.fishers.forget()

    def meet(self, at_sea: np.ndarray) -> None:
        a, t = encounters.engage(self, *self.meetings.candidates(at_sea, self.step_count))
        if a.size == 0:
            return
        res = encounters.resolve(self, a, t)
        self.recorder.incidents(res)
        encounters.apply_outcomes(self, res)
        self.fishers.hear(t, res["rung"])  # (those against Vietnamese fishing boats)
        if self.crisis_day is None and res["rung"].max() >= 7:
            self.crisis_day = self.day

    # ------------------------------------------------------------------ daily helpers
    def _update_levels(self) -> None:
        j = self.japan
        self.cbm_level = max(self.cbm_floor, self.p.cooperation.hotline * j.cbm_level())
        f = self.fleet
        gov = f.of(VNM, COAST_GUARD)
        base = self.p.vietnam.training + JAPAN_BUILT_BONUS * f.japanese[: f.n]
        boost = 0.6 * (1 - base) * j.training_level()  # training closes 60 % of the gap to 1
        f.proficiency[: f.n][gov] = np.minimum(1.0, base + boost)[gov]

    def _region_weather(self, cells: np.ndarray) -> np.ndarray:
        return np.where(self.layers.north[cells], self.sea_state[0], self.sea_state[1])

    def _weather_recall(self) -> None:
        f = self.fleet
        ids = np.flatnonzero(f.at_sea)
        bad = self._region_weather(f.cell[ids]) >= WEATHER_LIMIT[f.kind[ids]]
        recall(f, ids[bad])

    def _sortie(self) -> None:
        f, n = self.fleet, self.fleet.n
        in_port = f.active & (f.task[:n] == IN_PORT)
        fresh = in_port & (f.port_until[:n] < 0)
        turn = np.array([TURNAROUND_DAYS.get(int(k), 3) for k in range(6)])
        f.port_until[:n][fresh] = self.step_count + turn[f.kind[:n][fresh]] * self.steps_per_day
        ready = np.flatnonzero(in_port & ~fresh & (f.port_until[:n] <= self.step_count))
        ready = ready[self._region_weather(f.cell[ready]) < WEATHER_LIMIT[f.kind[ready]]]
        gov = ready[(f.kind[ready] != FISHING) & (f.assigned[ready] >= 0)]
        send(f, gov, f.assigned[gov])
        f.hours_left[gov] = f.endurance_h[gov]
        boats = ready[f.kind[ready] == FISHING]
        boats = boats[self.rng_fishing.random(boats.size) < 0.5]
        if boats.size:
            send(f, boats, self.fishers.choose(boats))
            days = np.where(f.flag[boats] == VNM, self.p.vietnam.trip_days, CN_TRIP_DAYS)
            trip = days * 24 * self.rng_fishing.uniform(0.7, 1.3, boats.size)
            f.hours_left[boats] = np.minimum(trip, f.endurance_h[boats] * 2)

    def _release_detained(self) -> None:
        f, n = self.fleet, self.fleet.n
        out = np.flatnonzero((f.status[:n] == DETAINED) & (f.release_step[:n] <= self.step_count))
        f.status[out] = ACTIVE
        f.task[out] = IN_PORT
        f.cell[out] = self.dst.cell[f.home[out]]
        f.port_until[out] = -1

    # ------------------------------------------------------------------ used by agents
    def recall(self, ids: np.ndarray) -> None:
        recall(self.fleet, np.asarray(ids, np.int64))

    def redirect(self, ids: np.ndarray) -> None:
        f = self.fleet
        send(f, ids, f.assigned[ids])

    def log_decision(self, state: str, what: str, value, reason: str) -> None:
        self.recorder.decision(state, what, value, reason)

    def cooperation_level(self) -> float:
        j = self.japan
        parts = [min(1.0, j.delivered_vessels / 6), min(1.0, j.delivered_radars / 6),
                 j.info_sharing_level(), self.coordinated]
        return float(np.mean(parts))

    def area_stakes(self) -> np.ndarray:
        """Inject stakes at each Vietnamese patrol area (non-zero only at hot spots)."""
        hs = list(self.dst.of_kind(HOTSPOT))
        stakes = self.injects.stakes()
        return np.array([stakes[hs.index(a)] if a in hs else 0.0 for a in self.vn_patrol_areas])

    def protection(self, grounds: np.ndarray) -> np.ndarray:
        f = self.fleet
        gov = f.of(VNM, COAST_GUARD) & f.active & (f.assigned[: f.n] >= 0)
        counts = np.bincount(f.assigned[: f.n][gov], minlength=len(self.dst.slug))
        return 0.5 * np.minimum(1.0, counts[grounds] / 2.0)

    def observe_hotspots(self, days: int) -> dict:
        return self.recorder.hotspot_observation(days)

    def observe_vn_areas(self, days: int):
        return self.recorder.area_observation(days)

    def encounter_context(self, a: np.ndarray, t: np.ndarray) -> dict:
        """What each side sees in an encounter: ceilings, local force ratio (initiator side over
        target side), whether Vietnam observes it, China's posture at the spot, and from these
        each side's latent escalation propensity (``ladder.latent``)."""
        f, e, c, v = self.fleet, self.p.encounter, self.china.ceiling, self.p.vietnam
        info = self.japan.info_sharing_level()
        rng = self.rng_encounter
        u_info = rng.random(t.size)  # Japan's information sharing reveals it ...
        u_open = rng.random(t.size)  # ... or transparency measures do
        n = t.size
        ceil_a, ceil_t = np.empty(n, np.int64), np.empty(n, np.int64)
        ratio, posture = np.empty(n), np.empty(n)
        base_a, base_t = np.empty(n), np.empty(n)
        observed, fishing_target = np.empty(n, np.bool_), np.empty(n, np.bool_)
        coef = np.array([e.a_roe, e.b_force, e.c_observed, e.d_cbm, e.e_training, e.f_posture])
        _context_kernel(
            a, t, f.n, f.flag, f.kind, f.status, f.task, f.cell, f.proficiency,
            self.layers.lat, self.layers.lon, self.layers.radar_vn,
            self.china.cell_hotspot, self.china.score,
            # China's cutters answer to its ROE ceiling; militia block and swarm (water cannon
            # and boarding are CCG's); Vietnam's fishing enforcement has its own ceiling and
            # its patrols never initiate force against government ships (Four No's).
            c, min(c, 3), v.enforcement_ceiling, min(v.roe_ceiling, 2), v.roe_ceiling,
            e.militia_force_weight, 1.0 + self.coordinated, e.force_radius_km,
            e.sensor_km * (1 + info), u_info, 0.3 * info, u_open, self.transparency,
            coef, self.cbm_level,
            ceil_a, ceil_t, ratio, observed, posture, base_a, base_t, fishing_target)
        return dict(ceil_a=ceil_a, ceil_t=ceil_t, ratio=ratio, observed=observed,
                    posture=posture, base_a=base_a, base_t=base_t,
                    fishing_target=fishing_target)

    def _gov_at_sea(self, flag: int) -> np.ndarray:
        f = self.fleet
        k = f.kind[: f.n]
        return np.flatnonzero(f.at_sea & (f.flag[: f.n] == flag)
                              & ((k == COAST_GUARD) | (k == MILITIA)))

    def _within(self, cells: np.ndarray, ids: np.ndarray, km: float) -> np.ndarray:
        """(len(cells), len(ids)) mask: vessel ``ids`` within ``km`` of each cell."""
        lay = self.layers
        la, lo = lay.lat[cells][:, None], lay.lon[cells][:, None]
        vc = self.fleet.cell[ids]
        dy = (lay.lat[vc][None, :] - la) * 111.2
        dx = (lay.lon[vc][None, :] - lo) * 111.2 * np.cos(np.radians(la))
        return dx * dx + dy * dy <= km * km


@njit(cache=True)
def _context_kernel(a, t, n, flag, kind, status, task, cell, proficiency, lat, lon, radar_vn,
                    cell_hotspot, score, cn_ceiling, militia_ceiling, vn_enforcement_ceiling,
                    vn_initiate_ceiling, vn_ceiling, militia_weight, vn_weight, force_km,
                    sensor_km, u_info, p_info, u_open, transparency, coef, cbm,
                    ceil_a, ceil_t, ratio, observed, posture, base_a, base_t, fishing_target):
    """Per encounter (``GreyZoneModel.encounter_context``): the ceilings of both sides, the
    local balance of government force, whether Vietnam observes it, China's posture at the
    spot, and both sides' latent propensities. Fills the output arrays."""
    # Government ships at sea (cutters, patrols, militia) with their weight in the balance.
    gov = np.empty(n, np.int64)
    m = 0
    for i in range(n):
        if status[i] == ACTIVE and task[i] != IN_PORT and (kind[i] == COAST_GUARD
                                                         or kind[i] == MILITIA):
            gov[m] = i
            m += 1
    gov = gov[:m]
    for k in range(t.size):
        i, j = a[k], t[k]
        cn = flag[i] == CHN
        s_cn, s_vn, seen = _local_picture(cell[j], gov, flag, kind, cell, lat, lon,
                                          militia_weight, vn_weight, force_km, sensor_km)
        # Ceilings: the initiator's; the target's answer (0: an unarmed boat cannot answer).
        if cn:
            ceil_a[k] = militia_ceiling if kind[i] == MILITIA else cn_ceiling
        else:
            ceil_a[k] = vn_enforcement_ceiling if kind[j] == FISHING else vn_initiate_ceiling
        if kind[j] == COAST_GUARD or kind[j] == MILITIA:
            if flag[j] == CHN:
                ceil_t[k] = militia_ceiling if kind[j] == MILITIA else cn_ceiling
            else:
                ceil_t[k] = vn_ceiling
        else:
            ceil_t[k] = 0
        # Vietnam sees it: its own ship in sensor range, its radar, its own initiative, or
        # Japan's information sharing / transparency (draws made by the caller, in order).
        observed[k] = (seen or radar_vn[cell[j]] or not cn or u_info[k] < p_info
                       or u_open[k] < transparency)
        ratio[k] = (s_cn + 0.5) / (s_vn + 0.5) if cn else (s_vn + 0.5) / (s_cn + 0.5)
        h = cell_hotspot[cell[j]]  # China's coercion score at the nearest hot spot
        posture[k] = score[h] if h >= 0 else 0.0
        fishing_target[k] = kind[j] == FISHING
        base_a[k] = latent_one(coef[0], coef[1], coef[2], coef[3], coef[4], coef[5], ceil_a[k],
                               ratio[k], observed[k], cbm, proficiency[i],
                               posture[k] if cn else 0.0)
        base_t[k] = latent_one(coef[0], coef[1], coef[2], coef[3], coef[4], coef[5], ceil_t[k],
                               1.0 / ratio[k], observed[k], cbm, proficiency[j],
                               0.0 if cn else posture[k])


@njit(cache=True)
def _local_picture(target_cell, gov, flag, kind, cell, lat, lon, militia_weight, vn_weight,
                   force_km, sensor_km):
    """At one encounter cell: Chinese and Vietnamese government strength within ``force_km``
    (militia trawlers weigh less; Vietnamese ships more with coordinated patrols), and whether a
    Vietnamese government ship is within its sensor range."""
    la, lo = lat[target_cell], lon[target_cell]
    coslat = math.cos(math.radians(la))
    s_cn = s_vn = 0.0
    seen = False
    for g in gov:
        dy = (lat[cell[g]] - la) * 111.2
        dx = (lon[cell[g]] - lo) * 111.2 * coslat
        d2 = dx * dx + dy * dy
        if d2 <= force_km * force_km:
            if flag[g] == CHN:
                s_cn += militia_weight if kind[g] == MILITIA else 1.0
            else:
                s_vn += vn_weight
        if flag[g] == VNM and d2 <= sensor_km * sensor_km:
            seen = True
    return s_cn, s_vn, seen


def simulate(cfg, progress: bool | None = None):
    """Run one simulation from a composed config; return a ``record.Run``."""
    from omegaconf import DictConfig

    p = params_mod.to_params(cfg) if isinstance(cfg, DictConfig) else cfg
    if not isinstance(p, params_mod.Config):
        raise TypeError("simulate() needs a composed config: use sim.compose([...])")
    t0 = time.perf_counter()
    model = GreyZoneModel(p)
    n_steps = p.run.days * model.steps_per_day
    bar = _progress(p, progress, n_steps)
    for _ in range(n_steps):
        model.advance()  # Mesa's wrapped step() adds per-step logging cost the loop avoids
        if bar is not None and model.hour == 0:
            bar.update(model.steps_per_day)
        if model.crisis_day is not None and model.hour == 0 and p.run.stop_at_crisis:
            break  # an armed clash ends grey-zone conditions: the run stops with that day
    if bar is not None:
        bar.close()
    return model.recorder.finish(time.perf_counter() - t0)


def _progress(p, progress, total):
    import sys

    if progress is None:
        mode = p.run.progress
        progress = mode == "on" or (mode == "auto" and sys.stderr.isatty() and p.run.days > 60)
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="step", desc=f"{p.scenario.name} seed {p.seed}", leave=False)
