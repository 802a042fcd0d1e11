"""Per-vessel state as arrays: one row per hull, stable ids, masks instead of objects.

Everything that scales with the number of vessels lives here and is updated with numpy in
the movement, sensing and encounter kernels. ``VesselAgent`` (a Mesa agent) is a live, named
view of one row for people (the app, notebooks, tests).
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

FLAGS = ("CHN", "VNM")
CHN, VNM = 0, 1
KINDS = ("coast_guard", "militia", "fishing", "navy", "survey", "rig")
COAST_GUARD, MILITIA, FISHING, NAVY, SURVEY, RIG = range(6)
AGENCIES = ("", "china_coast_guard", "maritime_militia", "vietnam_coast_guard",
            "fisheries_surveillance", "japan_built", "pla_navy")

# Tasks: what a vessel is doing now.
IN_PORT, TRANSIT, ON_STATION, RETURNING = 0, 1, 2, 3
TASKS = ("in_port", "transit", "on_station", "returning")
# Status: whether it exists for the model now.
ACTIVE, LOST, DETAINED, NOT_IN_SERVICE = 0, 1, 2, 3
STATUSES = ("active", "lost", "detained", "not_in_service")

#: Sea state that sends each kind home (1 rough, 2 severe): small wooden fishing craft run
#: from rough seas; steel trawlers and cutters only from gales and typhoons (FACTS §1, §4).
WEATHER_LIMIT = np.array([2, 2, 1, 2, 3, 3], np.int8)  # survey ships and rigs stay put


@dataclass(frozen=True)
class VesselClass:
    """Hull characteristics of one class (documented defaults; see docs/ODD.md)."""

    flag: int
    kind: int
    agency: int
    speed_kn: float
    endurance_days: float
    tonnage: tuple[float, float]  # range drawn uniformly
    #: Crew proficiency (restraint in the ladder); None: a parameter (``Fleet.crew_proficiency``:
    #: ``china.cg_proficiency``, ``china.militia_proficiency``). Vietnam's government crews get
    #: theirs from ``vietnam.training`` (``launch``, ``Vietnam.train_crews``); unarmed hulls
    #: (fishing boats, rigs, survey ships) never enter the ladder, so theirs is inert.
    proficiency: float | None


CLASSES = {
    # FACTS §2: CCG offshore cutters 1,000-12,000 t; 16 kn cruise (assumption).
    "cn_coast_guard": VesselClass(CHN, COAST_GUARD, 1, 16.0, 30.0, (1000, 5000), None),
    # FACTS §2: militia 45-65 m steel trawlers (~500 t), ~10 kn, long loiter with resupply.
    "cn_militia": VesselClass(CHN, MILITIA, 2, 10.0, 60.0, (400, 600), None),
    "cn_fishing": VesselClass(CHN, FISHING, 0, 9.0, 20.0, (100, 400), 0.3),
    # FACTS §3: 5-6 PLA Navy warships at HYSY-981 (frigates, corvettes ~1,500-4,000 t;
    # assumption for the figures). They back a stand-off and weigh in the force balance; they
    # do not open encounters themselves.
    "cn_navy": VesselClass(CHN, NAVY, 6, 18.0, 60.0, (1500, 4000), 0.8),
    # FACTS §2: VCG 50+ patrol boats, OPVs up to DN2000 ~2,400 t (uncertain).
    "vn_coast_guard": VesselClass(VNM, COAST_GUARD, 3, 15.0, 15.0, (400, 2400), 0.0),
    "vn_fisheries_surveillance": VesselClass(VNM, COAST_GUARD, 4, 14.0, 15.0, (300, 1500), 0.0),
    # FACTS §5: new Japanese patrol vessels (loan 2020), ~1,500 t (assumption).
    "vn_japan_built": VesselClass(VNM, COAST_GUARD, 5, 18.0, 20.0, (1200, 1800), 0.2),
    # Vietnamese offshore fishing boats: 15-24 m wooden/steel hulls, ~8 kn (assumption).
    "vn_fishing": VesselClass(VNM, FISHING, 0, 8.0, 12.0, (50, 200), 0.0),
    "cn_rig": VesselClass(CHN, RIG, 0, 0.0, 1e6, (30000, 30000), 0.5),
    "cn_survey": VesselClass(CHN, SURVEY, 0, 12.0, 1e6, (4000, 4000), 0.5),
    "vn_rig": VesselClass(VNM, RIG, 0, 0.0, 1e6, (30000, 30000), 0.5),
}


class Fleet:
    """All hulls of the run. Rows never move or disappear; ``status`` says what each is."""

    def __init__(self, capacity: int = 0):
        self.n = 0
        z = lambda dt: np.zeros(capacity, dt)  # noqa: E731
        self.flag, self.kind, self.agency = z(np.int8), z(np.int8), z(np.int8)
        self.klass = z(np.int8)
        self.cell, self.home, self.dest, self.assigned = (z(np.int32), z(np.int32),
                                                         z(np.int32), z(np.int32))
        self.task, self.status = z(np.int8), z(np.int8)
        self.speed_km_h, self.endurance_h, self.hours_left = (z(np.float32), z(np.float32),
                                                             z(np.float32))
        self.credit_km, self.tonnage, self.proficiency = (z(np.float32), z(np.float32),
                                                         z(np.float32))
        self.busy_until, self.port_until, self.release_step = z(np.int64), z(np.int64), z(np.int64)
        self.japanese = z(bool)
        self.reserved = z(bool)  # hulls of an inject: not the State's to redeploy
        self.lost_cause: dict[int, str] = {}
        # From the parameters, before any hull is added (``launch.launch_fleets``): crew
        # proficiency of the classes whose value is a parameter, and the days over which the
        # first sorties are spread (``vessels.first_sortie_spread_days``).
        self.crew_proficiency: dict[str, float] = {}
        self.first_sortie_days: int | None = None

    _ARRAYS = ("flag", "kind", "agency", "klass", "cell", "home", "dest", "assigned", "task",
               "status", "speed_km_h", "endurance_h", "hours_left", "credit_km", "tonnage",
               "proficiency", "busy_until", "port_until", "release_step", "japanese",
               "reserved")

    def add(self, klass: str, count: int, home_ports: np.ndarray, home_cells: np.ndarray,
            rng: np.random.Generator, status: int = ACTIVE, proficiency: float | None = None,
            steps_per_day: int = 24) -> np.ndarray:
        """Append ``count`` hulls of a class, spread over ``home_ports``; return their ids."""
        if count <= 0:
            return np.zeros(0, np.int64)
        c = CLASSES[klass]
        if proficiency is None:
            proficiency = self.crew_proficiency.get(klass, c.proficiency)
        if proficiency is None or self.first_sortie_days is None:
            raise RuntimeError(f"Fleet.add({klass!r}): set crew_proficiency and first_sortie_days "
                               "from the parameters first (launch.configure_fleet)")
        ids = np.arange(self.n, self.n + count)
        self._grow(self.n + count)
        pick = rng.integers(0, len(home_ports), count)
        self.flag[ids], self.kind[ids], self.agency[ids] = c.flag, c.kind, c.agency
        self.klass[ids] = list(CLASSES).index(klass)
        self.home[ids] = home_ports[pick]
        self.cell[ids] = home_cells[pick]
        self.dest[ids], self.assigned[ids] = -1, -1
        self.task[ids], self.status[ids] = IN_PORT, status
        self.speed_km_h[ids] = c.speed_kn * 1.852
        self.endurance_h[ids] = c.endurance_days * 24
        self.hours_left[ids] = self.endurance_h[ids]
        self.tonnage[ids] = rng.uniform(*c.tonnage, count)
        self.proficiency[ids] = proficiency
        self.japanese[ids] = klass == "vn_japan_built"
        # Stagger first sorties so that a fleet does not leave port in one wave.
        self.port_until[ids] = rng.integers(0, self.first_sortie_days * steps_per_day, count)
        return ids

    def _grow(self, n: int) -> None:
        if n > len(self.flag):
            size = max(n, 2 * len(self.flag), 64)
            for name in self._ARRAYS:
                old = getattr(self, name)
                new = np.zeros(size, old.dtype)
                new[: len(old)] = old
                setattr(self, name, new)
        self.n = n

    # ------------------------------------------------------------------ masks
    def view(self, name: str) -> np.ndarray:
        return getattr(self, name)[: self.n]

    @property
    def active(self) -> np.ndarray:
        return self.status[: self.n] == ACTIVE

    @property
    def at_sea(self) -> np.ndarray:
        return self.active & (self.task[: self.n] != IN_PORT)

    def deployable(self, flag: int, kind: int) -> np.ndarray:
        """Ids of a State's hulls of one kind that it can deploy (in service, not reserved)."""
        n = self.n
        return np.flatnonzero((self.flag[:n] == flag) & (self.kind[:n] == kind)
                              & (self.status[:n] == ACTIVE) & ~self.reserved[:n])

    def of(self, flag: int, kind: int | None = None) -> np.ndarray:
        m = self.flag[: self.n] == flag
        return m if kind is None else m & (self.kind[: self.n] == kind)


class VesselAgent(mesa.Agent):
    """A vessel as a Mesa agent: a live view onto its row of the fleet arrays.

    The engine moves vessels with array kernels; these agents exist so that Mesa tools (the
    browser app, ``AgentSet.select``/``groupby`` in notebooks) can look at the same hulls.
    Reading an attribute always returns the current value from the arrays.
    """

    def __init__(self, model, hull: int):
        super().__init__(model)
        self.hull = hull

    def __getattr__(self, name):
        if name in Fleet._ARRAYS:
            return getattr(self.model.fleet, name)[self.hull].item()
        raise AttributeError(name)

    @property
    def flag_code(self) -> str:
        return FLAGS[self.flag]

    @property
    def type(self) -> str:
        return KINDS[self.kind]

    @property
    def lat_lon(self) -> tuple[float, float]:
        lay = self.model.layers
        return float(lay.lat[self.cell]), float(lay.lon[self.cell])

    def step(self) -> None:  # the fleet kernels move every hull; nothing to do per agent
        pass
