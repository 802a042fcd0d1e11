"""Injects: scripted events fired at a date and place (config group ``inject``, or the app).

Kinds (FACTS.md §3 for the historical ones):
  rig         a Chinese drilling rig parks at a hot spot with an escort surge (HYSY-981, 2014)
  survey      a Chinese survey ship works a hot spot with a smaller escort (Haiyang Dizhi 8, 2019)
  swarm       militia trawlers mass at a reef (Whitsun Reef, 2021)
  vn_drilling Vietnam drills at a hot spot (Vanguard Bank): China reads assertion there
  hotline     a hotline / incident-at-sea agreement takes effect (Second Thomas Shoal, 2024)
  delivery    Japanese patrol vessels are handed over to Vietnam
While active, a rig, survey or drilling inject raises the stakes at its hot spot for both sides:
China's strategic value there (so its fleet concentrates) and Vietnam's patrol priority.
"""

from __future__ import annotations

import numpy as np

from sim.engine.fleet import ACTIVE, NOT_IN_SERVICE, ON_STATION
from sim.engine.movement import HOTSPOT
from sim.params.schema import HOTSPOT_INJECTS, ConfigError

ACTOR = {"rig": "CHN", "survey": "CHN", "swarm": "CHN", "vn_drilling": "VNM",
         "hotline": "VNM", "delivery": "JPN"}  # whose act it is, for decisions.parquet
STAKES = ("rig", "survey", "vn_drilling")  # kinds that raise the stakes (``china.stakes_*``)


class Injects:
    def __init__(self, model):
        self.model = model
        self.events = list(model.p.injects)
        slugs = model.dst.slug
        for k, e in enumerate(self.events):
            if e.kind in HOTSPOT_INJECTS and e.hotspot not in slugs:
                hs = [s for s, kind in zip(slugs, model.dst.kind) if kind == HOTSPOT]
                raise ConfigError(f"injects[{k}].hotspot={e.hotspot!r} is not a hot spot of "
                                  f"this sea; choose one of {', '.join(hs)}")
        self.hulls: dict[int, np.ndarray] = {}

    def active(self, day: int):
        return [(k, e) for k, e in enumerate(self.events)
                if e.day <= day < e.day + e.duration_days]

    def stakes(self) -> np.ndarray:
        """Extra value per hot spot (China's strategic value; Vietnam's patrol priority)."""
        m = self.model
        hs = m.dst.of_kind(HOTSPOT)
        extra = np.zeros(hs.size)
        for _, e in self.active(m.day):
            if e.kind in STAKES:
                extra[list(hs).index(m.dst.index(e.hotspot))] += getattr(m.p.china,
                                                                         f"stakes_{e.kind}")
        return extra

    def daily(self) -> None:
        """Start and end events (called at the start of each day)."""
        m = self.model
        for k, e in enumerate(self.events):
            if e.day == m.day and k not in self.hulls:  # (a fired event has started already)
                self._start(k, e)
            elif e.day + e.duration_days == m.day:
                self._end(k, e)

    def fire(self, kind: str, hotspot: str = "paracels", duration_days: int = 75,
             size: int = 1, escort: int = 40):
        """Fire an inject now (the app's buttons, notebooks): an event that starts today and
        takes effect at once (hulls placed, hotline in force, stakes raised), then ends after
        ``duration_days`` like a configured one. Arguments as in ``InjectConfig``; bad values
        raise ``ConfigError``. Returns the event."""
        import dataclasses

        from sim.params.checks import _check
        from sim.params.schema import InjectConfig

        m = self.model
        e = InjectConfig(kind=kind, day=m.day, hotspot=hotspot, duration_days=int(duration_days),
                         size=int(size), escort=int(escort))
        for f in dataclasses.fields(InjectConfig):
            _check(f"inject.{f.name}", getattr(e, f.name), f.metadata)
        if kind in HOTSPOT_INJECTS and hotspot not in m.dst.slug:
            hs = [s for s, knd in zip(m.dst.slug, m.dst.kind) if knd == HOTSPOT]
            raise ConfigError(f"inject.hotspot={hotspot!r} is not a hot spot of this sea; "
                              f"choose one of {', '.join(hs)}")
        self.events.append(e)
        self._start(len(self.events) - 1, e)
        return e

    def _start(self, k, e) -> None:
        m = self.model
        dest = m.dst.index(e.hotspot) if e.hotspot in m.dst.slug else -1
        new = []
        if e.kind in ("rig", "survey", "vn_drilling"):
            klass = {"rig": "cn_rig", "survey": "cn_survey", "vn_drilling": "vn_rig"}[e.kind]
            new.append(self._place(klass, max(1, e.size), dest))
        if e.kind in ("rig", "survey"):
            new.append(self._escort("cn_coast_guard", e.escort // 3, dest))
            new.append(self._escort("cn_militia", e.escort - e.escort // 3, dest))
        if e.kind == "swarm":
            new.append(self._escort("cn_militia", e.size, dest))
        if e.kind == "hotline":
            m.cbm_floor = 1.0
            # Both sides committed: breaking the arrangement now carries a reputational cost.
            m.agreement_cost = m.p.china.agreement_cost
        if e.kind == "delivery":
            m.commission_japanese_hulls(e.size)
        self.hulls[k] = np.concatenate(new) if new else np.zeros(0, np.int64)
        m.log_decision(ACTOR[e.kind], f"inject_{e.kind}", e.size,
                       f"{e.kind} at {e.hotspot} from day {e.day} for {e.duration_days} days")

    def _place(self, klass: str, count: int, dest: int) -> np.ndarray:
        m, f = self.model, self.model.fleet
        home = np.array([dest])
        ids = f.add(klass, count, home, m.dst.cell[home], m.rng_policy)
        f.task[ids], f.dest[ids], f.port_until[ids] = ON_STATION, dest, 0
        f.reserved[ids] = True
        return ids

    def _escort(self, klass: str, count: int, dest: int) -> np.ndarray:
        m, f = self.model, self.model.fleet
        ports = m._ports("CHN")
        ids = f.add(klass, count, ports, m.dst.cell[ports], m.rng_policy)
        f.assigned[ids] = dest
        f.reserved[ids] = True  # the event's hulls stay with it until it ends
        f.port_until[ids] = m.step_count  # sail at once
        return ids

    def _end(self, k, e) -> None:
        m, f = self.model, self.model.fleet
        ids = self.hulls.pop(k, np.zeros(0, np.int64))
        # The rig or survey ship leaves; the surge returns to duties outside the modelled sea.
        f.status[ids[f.status[ids] == ACTIVE]] = NOT_IN_SERVICE
        f.assigned[ids] = -1
        if e.kind == "hotline":
            m.cbm_floor = 0.0
            m.agreement_cost = 0.0
        m.log_decision(ACTOR[e.kind], f"inject_{e.kind}_end", 0, f"{e.kind} at {e.hotspot} ends")
