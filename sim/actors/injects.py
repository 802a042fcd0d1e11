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
        self.ended_early: set[int] = set()

    def active(self, day: int):
        return [(k, e) for k, e in enumerate(self.events)
                if e.day <= day < e.day + e.duration_days and k not in self.ended_early]

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
            elif e.day + e.duration_days == m.day and k not in self.ended_early:
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
            # The escort's make-up as at HYSY-981 (FACTS §3): warships, coast guard, and the
            # rest militia and fishing boats.
            c = m.p.china
            navy = int(round(e.escort * c.escort_navy_share))
            cg = int(round(e.escort * c.escort_cg_share))
            new.append(self.surge("cn_navy", navy, dest))
            new.append(self.surge("cn_coast_guard", cg, dest))
            new.append(self.surge("cn_militia", max(0, e.escort - navy - cg), dest))
            m.standoffs.begin(self._hotspot(e), inject=k)
        if e.kind == "swarm":
            new.append(self.surge("cn_militia", e.size, dest))
        if e.kind == "hotline":
            # Both sides committed (China accepted: the arrangement is agreed); breaking it now
            # carries a reputational cost (actors/agreement.py, actors/china.py).
            m.agreement.agree(1.0)
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

    def surge(self, klass: str, count: int, dest: int) -> np.ndarray:
        """``count`` new Chinese hulls of ``klass`` sail at once from China's ports for
        destination ``dest`` and stay with it (reserved) until stood down."""
        m, f = self.model, self.model.fleet
        if count <= 0:
            return np.zeros(0, np.int64)
        ports = m._ports("CHN")
        ids = f.add(klass, count, ports, m.dst.cell[ports], m.rng_policy)
        f.assigned[ids] = dest
        f.reserved[ids] = True  # the event's hulls stay with it until it ends
        f.port_until[ids] = m.step_count  # sail at once
        return ids

    def stand_down(self, ids: np.ndarray) -> None:
        """A rig or survey ship leaves, a surge returns to duties outside the modelled sea."""
        f = self.model.fleet
        f.status[ids[f.status[ids] == ACTIVE]] = NOT_IN_SERVICE
        f.assigned[ids] = -1

    def _hotspot(self, e) -> int:
        """The hot-spot index (China's arrays) of an inject's place."""
        m = self.model
        return list(m.dst.of_kind(HOTSPOT)).index(m.dst.index(e.hotspot))

    def end_early(self, k: int) -> None:
        """China withdrew from the stand-off: the operation ends today (the rig leaves)."""
        e = self.events[k]
        if k in self.hulls:
            self.ended_early.add(k)
            self._end(k, e, early=True)

    def _end(self, k, e, early: bool = False) -> None:
        m, f = self.model, self.model.fleet
        if k not in self.hulls:  # ended early already
            return
        self.stand_down(self.hulls.pop(k, np.zeros(0, np.int64)))
        if e.kind == "hotline":
            m.agreement.lapse()
        if e.kind in ("rig", "survey") and not early:
            m.standoffs.inject_over(k)
        m.log_decision(ACTOR[e.kind], f"inject_{e.kind}_end", 0,
                       f"{e.kind} at {e.hotspot} ends" + (" early: China withdrew" if early
                                                          else ""))
