"""GreyZoneModel: composes the engine, the actors and the recorder, and runs the phase list.

One step (``run.step_hours``, default 1 h), in this order:
    1. new day (at hour 0): moratorium and weather; detained boats released; injects start or
       end; today's levels (CBM, crews' training); Japan's yearly review and its deliveries;
       China's and Vietnam's decisions (every ``decision_days``); weather recalls; sorties;
       fishers forget a little
    2. sail: transit along shortest sea routes, loiter on station, come home; every few hours
       crews whose fuel or time barely covers the way home turn back
    3. look: hot-spot presence, fishing effort; at noon the census and incursions detected,
       which cue Vietnamese responses; patrols are sent for cues that are due
    4. meet: opposing vessels in range may engage; encounters play out on the ladder; the
       outcomes are applied, the recorder writes them down, the States and fishers hear of them
    5. end of day (at the last step of a day): the day's picture goes to the recorder and the
       States' observer; stand-offs begin or end; the run ends after ``run.days`` or, with ``run.stop_at_crisis``, on
       the day of its first crisis
Randomness comes from separate streams (weather, movement, encounters, policy, fishing,
detection, stand-offs and China's decisions on force and agreements) spawned from ``seed``, so two scenarios with one seed share their weather.
"""

from __future__ import annotations

import datetime as dt
import logging

import mesa
import numpy as np

from sim.actors.agreement import Agreement
from sim.actors.china import China
from sim.actors.fishers import Fishers
from sim.actors.injects import Injects
from sim.actors.japan import Japan
from sim.actors.observe import Observer
from sim.actors.response import Responses
from sim.actors.standoff import Standoffs
from sim.actors.vietnam import Vietnam, patrol_areas
from sim.engine import encounters, ladder, port
from sim.engine.calendar import Weather, moratorium_active
from sim.engine.context import Posture, encounter_context
from sim.engine.fleet import Fleet
from sim.engine.meetings import Meetings
from sim.engine.movement import (HOTSPOT, at_sea as at_sea_mask, destinations, move,
                                 must_return, recall)
from sim.engine.sensing import Sensing
from sim.params import schema
from sim.record.recorder import Recorder
from sim.sea import build_sea
from sim.sea.geodesy import cell_km
from sim.sea.layers import build_layers
from sim.world import launch

logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO

#: Random streams, one per concern, spawned from the seed in this order (a new one goes last,
#: so that the others keep their numbers).
STREAMS = ("weather", "move", "encounter", "policy", "fishing", "detection", "standoff")


class GreyZoneModel(mesa.Model):
    def __init__(self, p: schema.Config):
        super().__init__(rng=p.seed)
        self.p = p
        for name, seq in zip(STREAMS, np.random.SeedSequence(p.seed).spawn(len(STREAMS))):
            setattr(self, f"rng_{name}", np.random.default_rng(seq))
        self._set_clock(p)
        self.sea = build_sea(p)
        self.dst = destinations(self.sea)
        self.layers = build_layers(self.sea, p.sensing.hotspot_area_km)
        self.nearest_hotspot = self.layers.nearest_hotspot
        self.vn_patrol_areas = patrol_areas(self.dst, self.layers)
        self.cell_km = cell_km(self.sea.resolution, self.sea.lat)
        self.weather = Weather(p.weather, self.rng_weather)
        self.sea_state = self.weather.state
        self.fleet = Fleet(4096)
        launch.launch_fleets(self)
        radius = max(1, int(round(p.encounter.range_km / self.cell_km)))
        self.meetings = Meetings(self.sea, self.layers, p.encounter, self.step_hours, radius)
        n_hotspots = len(self.dst.of_kind(HOTSPOT))
        self.sensing = Sensing(self.layers, self.dst, self.vn_patrol_areas, n_hotspots,
                               self.step_hours, self.rng_detection, p.sensing)
        self.observer = Observer(n_hotspots, self.vn_patrol_areas, self.nearest_hotspot)
        self.injects = Injects(self)
        self.recorder = Recorder(self)
        self.japan, self.china, self.vietnam = Japan(self, p), China(self, p), Vietnam(self, p)
        self.standoffs = Standoffs(self)
        self.agreement = Agreement(self)
        self.responses = Responses(self)
        self.fishers = Fishers(self)
        self._set_levels(p)
        self.agreement.start()

    def _set_clock(self, p) -> None:
        self.step_hours = p.run.step_hours
        self.steps_per_day = 24 // self.step_hours
        self.start = dt.date.fromisoformat(p.run.start)
        self.step_count, self.day, self.hour = 0, 0, 0
        self.date = self.start
        self.moratorium_on = moratorium_active(self.start)
        self.turnaround = port.turnaround_days(p.vessels)

    def _set_levels(self, p) -> None:
        cap = p.japan.capacity
        self.coordinated = p.cooperation.coordinated_patrols * cap
        self.transparency = p.cooperation.transparency * cap
        self.cbm_level = 0.0  # the hotline / incident code in force (actors/agreement.py)
        self.crisis_day: int | None = None

    def norm_cost(self) -> float:
        """The legal-normative cost of coercion today: ``cooperation.norm_cost`` x capacity,
        built up over ``norm_buildup_days`` since the programme began (ODD §7.7)."""
        c, j = self.p.cooperation, self.p.japan
        since = self.day + j.start_offset_days
        return c.norm_cost * j.capacity * (1.0 - np.exp(-since / c.norm_buildup_days))

    def stakes(self) -> np.ndarray:
        """Extra value per hot spot for both sides: injects (a rig, a survey ship, Vietnamese
        drilling) and stand-offs that arose from clashes."""
        return self.injects.stakes() + self.standoffs.stakes()

    @property
    def ended(self) -> bool:
        """An armed clash ends grey-zone conditions: with ``run.stop_at_crisis`` the run ends
        with the day of its first crisis (the one place this rule is written)."""
        return self.crisis_day is not None and self.p.run.stop_at_crisis

    @property
    def finished(self) -> bool:
        """The run is over at this day boundary: its last day is done, or it ``ended``."""
        return self.ended or self.day >= self.p.run.days

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
        if self.sensing.look(self.hour, at_sea, self.fleet, self.p.encounter.sensor_km,
                             self.japan.info_sharing_level()):
            self.responses.cue(self.sensing.detected_cells)
        self.responses.step()
        self.meet(at_sea)
        self.step_count += 1
        self.hour = (self.hour + self.step_hours) % 24
        if self.hour == 0:
            self.end_day()

    def new_day(self) -> None:
        f, north = self.fleet, self.layers.north
        self.moratorium_on = moratorium_active(self.date)
        self.sea_state = self.weather.next_day(self.date)
        port.release_detained(f, self.step_count, self.dst.cell)
        self.injects.daily()
        self.cbm_level = self.agreement.level  # as China last decided (actors/agreement.py)
        self.vietnam.train_crews()
        if self.day % 365 == 0:
            self.japan.decide()
        self.japan.deliver()  # before the States decide: today's deliveries are seen today
        if self.day % self.p.china.decision_days == 0:
            self.china.decide()
        if self.day % self.p.vietnam.decision_days == 0:
            self.vietnam.decide()
        port.weather_recall(f, self.sea_state, north)
        ready = port.ready_to_sail(f, self.step_count, self.steps_per_day, self.turnaround,
                                   self.sea_state, north)
        port.sail_government(f, ready)
        self.fishers.sortie(ready)
        self.fishers.forget()

    def sail(self) -> None:
        """Move every vessel at sea; every few hours, crews short of fuel or time turn home."""
        move(self.fleet, self.dst, self.rng_move, self.step_hours, self.cell_km,
             self.p.vessels.loiter_chance)
        h = self.p.vessels
        if self.hour % h.endurance_check_hours < self.step_hours:
            short = must_return(self.fleet, self.dst, h.return_margin_hours)
            if short.size:
                recall(self.fleet, short)

    def meet(self, at_sea: np.ndarray) -> None:
        f, e, rng = self.fleet, self.p.encounter, self.rng_encounter
        pairs = self.meetings.candidates(f, at_sea, self.step_count, self.moratorium_on)
        a, t = encounters.engage(rng, f.n, *pairs)
        if a.size == 0:
            return
        ctx = encounter_context(a, t, f, self.layers, e, self.p.sensing.info_detection,
                                self.posture(), rng)
        res = encounters.resolve(a, t, ctx, e, self.cbm_level, rng)
        cells = f.cell[t]
        self.recorder.incidents(res, cells)
        self.observer.hear(res, cells, f, self.dst)
        encounters.apply_outcomes(f, res, self.step_count, self.step_hours, e, self.day)
        self.fishers.hear(t, res["rung"])  # (those against Vietnamese fishing boats)
        if self.crisis_day is None and res["rung"].max() >= ladder.CRISIS:
            self.crisis_day = self.day

    def posture(self) -> Posture:
        """The actors' side of this step's encounters."""
        v = self.p.vietnam
        return Posture(cn_ceiling=self.china.ceiling, cn_ceiling_open=self.china.open_ceiling,
                       cell_hotspot=self.china.cell_hotspot,
                       score=self.china.score, vn_enforcement_ceiling=v.enforcement_ceiling,
                       vn_ceiling=v.roe_ceiling, coordinated=self.coordinated,
                       transparency=self.transparency, cbm=self.cbm_level,
                       info_sharing=self.japan.info_sharing_level())

    def end_day(self) -> None:
        picture = self.sensing.close_day(self.fleet)
        self.recorder.close_day(picture)
        self.observer.close_day(picture)
        self.standoffs.close_day(picture.hotspot_counts, self.observer.take_clashes())
        self.day += 1
        self.date = self.start + dt.timedelta(days=self.day)
        if self.finished:
            self.running = False  # Mesa's flag: the run loop and the app's play button stop

    # ------------------------------------------------------------------ used by the actors
    def log_decision(self, state: str, what: str, value, reason: str) -> None:
        self.recorder.decision(state, what, value, reason)

    def commission_japanese_hulls(self, count: int) -> None:
        launch.commission_japanese_hulls(self, count)

    def update_radar(self) -> None:
        self.layers.cover_radar_vn(self.sea, list(self.sea.radar_stations) + self.japan.stations)

    def _ports(self, flag: str, kinds=("port", "outpost")) -> np.ndarray:
        return launch.ports(self, flag, kinds)
