"""Vietnam answers detected incursions: a detection cues a patrol, and the time until the first
Vietnamese government ship is on scene is the response time (``response_hours``).

At the noon census (``engine/sensing.py``) Vietnam sees some of the Chinese government ships
in its EEZ (its radars, its ships' sensors, Japan's information sharing). Each detected ship
cues a response at the patrol area nearest it by route, unless a Vietnamese government ship
is already on scene there (within ``vietnam.on_scene_km``) or a response to that area is under
way. After the reporting chain's delay (``vietnam.cue_delay_hours``, plus
``cooperation.consultation_hours`` x capacity: the institutional pathway consults first), the
nearest Vietnamese patrol at sea that is free is sent there. The response ends when a
Vietnamese government ship -- the one sent or any other -- is on scene; one not answered in
``vietnam.response_give_up_hours`` is dropped as unanswered. Undetected incursions cue nothing:
detection pays only through the response it cues.
"""

from __future__ import annotations

import numpy as np

from sim.engine.fleet import ACTIVE, COAST_GUARD, ON_STATION, TRANSIT, VNM
from sim.engine.movement import send


class Responses:
    def __init__(self, model):
        self.model = model
        self.areas = model.vn_patrol_areas  # destination indices
        p = model.p
        # the reporting chain's delay (and consultation first, scaled by the programme), and
        # how long a cue waits for an answer: fixed for the run
        hours = (p.vietnam.cue_delay_hours
                 + p.cooperation.consultation_hours * p.japan.capacity)
        self.delay_steps = int(np.ceil(hours / model.step_hours))
        self.give_up_hours = p.vietnam.response_give_up_hours
        self.pending: list[dict] = []  # open cues: area, detected (step), due (step), ship
        self.done: list[dict] = []  # answered and unanswered cues (the recorder reads them)

    def _gov_at_sea(self) -> np.ndarray:
        f = self.model.fleet
        n = f.n
        return np.flatnonzero((f.flag[:n] == VNM) & (f.kind[:n] == COAST_GUARD)
                              & (f.status[:n] == ACTIVE)
                              & ((f.task[:n] == TRANSIT) | (f.task[:n] == ON_STATION)))

    def _on_scene(self, area: int, gov: np.ndarray) -> bool:
        m = self.model
        if gov.size == 0:
            return False
        d = m.dst.dist_flat[area * m.dst.n_cells + m.fleet.cell[gov]]
        return bool((d <= m.p.vietnam.on_scene_km).any())

    def cue(self, cells: np.ndarray) -> None:
        """Detected Chinese government ships at ``cells`` (this step's census) cue responses."""
        if cells.size == 0 or self.areas.size == 0:
            return
        m = self.model
        dist = m.dst.dist[self.areas[:, None], cells[None, :]]  # (areas, detections)
        nearest = self.areas[np.argmin(dist, axis=0)]
        gov = self._gov_at_sea()
        busy = {c["area"] for c in self.pending}
        for area in np.unique(nearest):
            area = int(area)
            if area in busy or self._on_scene(area, gov):
                continue
            self.pending.append(dict(area=area, day=m.day, detected=m.step_count,
                                     due=m.step_count + self.delay_steps, ship=-1))

    def step(self) -> None:
        """Each step: send patrols for cues that are due; close the cues answered."""
        if not self.pending:
            return
        m, f = self.model, self.model.fleet
        gov = self._gov_at_sea()
        give_up = self.give_up_hours
        still = []
        for c in self.pending:
            hours = (m.step_count - c["detected"]) * m.step_hours
            if self._on_scene(c["area"], gov):
                self.done.append(dict(c, hours=float(hours), answered=True))
                continue
            if hours >= give_up:
                self.done.append(dict(c, hours=float(hours), answered=False))
                continue
            if c["ship"] < 0 and m.step_count >= c["due"]:
                c["ship"] = self._send(c["area"], gov)
            still.append(c)
        self.pending = still

    def _send(self, area: int, gov: np.ndarray) -> int:
        """The nearest free patrol at sea goes to ``area`` (-1 if none is free)."""
        m, f = self.model, self.model.fleet
        free = gov[~f.reserved[gov] & (f.busy_until[gov] <= m.step_count)]
        if free.size == 0:
            return -1
        i = int(free[np.argmin(m.dst.dist_flat[area * m.dst.n_cells + f.cell[free]])])
        f.assigned[i] = area
        send(f, np.array([i], np.int64), np.array([area], np.int64))
        m.log_decision("VNM", "response_sent", 1, f"patrol {i} to {m.dst.slug[area]} after a "
                       "detected incursion")
        return i
