"""Japan's capacity-building programme for Vietnam: the lever of the model.

``japan.capacity`` in [0, 1] scales a budget (``budget_bn_yen``); the scenario's mix splits it
into patrol vessels, coastal radars, training, information sharing and confidence-building
(CBM) support. Hardware is counted in hulls and stations and enters service after its lag;
soft items are levels in [0, 1] that ramp up over their lag. Each derived quantity can be
overridden (``japan.vessels`` etc.). A tense East China Sea year (chance ``ecs_tension_prob``)
delays what is not yet delivered. See docs/ODD.md for the table of this mapping.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from sim.sea import RadarStation

#: Candidate sites for Japanese-funded Vietnamese radars, in the order they are built: first the
#: Vietnamese-held Spratly outposts (no coverage today), then coastal islands where a longer-range
#: set extends the existing coverage (assumption; positions from public maps, approx.).
RADAR_SITES = {
    "scs": [("Spratly Island", 8.645, 111.92), ("Southwest Cay", 11.43, 114.33),
            ("Sin Cowe", 9.885, 114.33), ("Amboyna Cay", 7.892, 112.921),
            ("Ly Son", 15.38, 109.12), ("Phu Quy", 10.52, 108.94),
            ("Con Co", 17.16, 107.34), ("Con Dao", 8.68, 106.61),
            ("Bach Long Vi", 20.13, 107.72), ("Tho Chu", 9.30, 103.48),
            ("Da Nang", 16.07, 108.25), ("Vung Tau", 10.35, 107.08)],
    "toy": [("Toy north cape", 13.2, 108.6), ("Toy south cape", 10.8, 108.6),
            ("Toy mid coast", 12.4, 108.6)],
}


@dataclass
class Programme:
    """What ``capacity`` buys, and when each item enters service (days from the run start)."""

    vessels: int
    radars: int
    training: float
    info_sharing: float
    cbm: float
    vessel_days: list[int]  # run day each hull enters service
    radar_days: list[int]  # run day each radar enters service
    offset: int = 0  # days between the programme start and day 0

    @classmethod
    def from_config(cls, j) -> "Programme":
        money = j.capacity * j.budget_bn_yen
        derived = dict(
            vessels=int(np.floor(money * j.mix_vessels / j.vessel_cost_bn_yen + 1e-9)),
            radars=int(np.floor(money * j.mix_radar / j.radar_cost_bn_yen + 1e-9)),
            training=min(1.0, money * j.mix_training / j.full_training_bn_yen),
            info_sharing=min(1.0, money * j.mix_info_sharing / j.full_info_sharing_bn_yen),
            cbm=min(1.0, money * j.mix_cbm / j.full_cbm_bn_yen),
        )
        for key in derived:  # explicit overrides win over the budget
            if getattr(j, key) is not None:
                derived[key] = getattr(j, key)
        v, r, off = derived["vessels"], derived["radars"], j.start_offset_days
        return cls(**derived, offset=off,
                   vessel_days=[max(0, j.vessel_lag_days - off + k * j.vessel_interval_days)
                                for k in range(v)],
                   radar_days=[max(0, j.radar_lag_days - off + j.radar_interval_days * k)
                               for k in range(r)])

    def ramp(self, level: float, day: int, lag: int) -> float:
        """A soft item's level on a run day: linear over ``lag`` from the programme start."""
        since = day + self.offset
        return level * min(1.0, since / lag) if lag > 0 else level


class Japan(mesa.Agent):
    """Runs the programme: yearly reviews (East China Sea diversions), daily deliveries."""

    flag = "JPN"

    def __init__(self, model, params):
        super().__init__(model)
        self.p = params.japan
        self.programme = Programme.from_config(self.p)
        self.delivered_vessels = 0
        self.delivered_radars = 0
        self.stations: list[RadarStation] = []

    # Levels of the soft items today (they ramp up over the training lag).
    def training_level(self) -> float:
        return self.programme.ramp(self.programme.training, self.model.day, self.p.training_lag_days)

    def info_sharing_level(self) -> float:
        # MDA links come with the radar and communications deliveries: same lag.
        return self.programme.ramp(self.programme.info_sharing, self.model.day,
                                   self.p.radar_lag_days)

    def cbm_level(self) -> float:
        return self.programme.ramp(self.programme.cbm, self.model.day, self.p.training_lag_days)

    def cooperation_level(self, coordinated: float) -> float:
        """How much Japan–Vietnam cooperation a third party sees, in [0, 1]: hulls and radars
        delivered (each counting fully from ``japan.visible_hardware``), information sharing and
        coordinated patrols, equally weighted."""
        full = self.p.visible_hardware
        parts = [min(1.0, self.delivered_vessels / full), min(1.0, self.delivered_radars / full),
                 self.info_sharing_level(), coordinated]
        return float(np.mean(parts))

    def decide(self) -> None:
        """Programme review: in a tense East China Sea year, undelivered items slip."""
        if self.model.day % 365 == 0 and self.model.rng_policy.random() < self.p.ecs_tension_prob:
            self._divert_to_east_china_sea()

    def deliver(self) -> None:
        """Hand over whatever is due today (called daily)."""
        self._deliver(self.model.day)

    def _divert_to_east_china_sea(self) -> None:
        day, lag = self.model.day, self.p.ecs_delay_days
        prog = self.programme
        prog.vessel_days = [d + lag if d > day else d for d in prog.vessel_days]
        prog.radar_days = [d + lag if d > day else d for d in prog.radar_days]
        self.model.log_decision("JPN", "ecs_diversion", lag,
                                "East China Sea demand this year delays undelivered items")

    def _deliver(self, day: int) -> None:
        prog = self.programme
        due_v = sum(d <= day for d in prog.vessel_days) - self.delivered_vessels
        if due_v > 0:
            self.model.commission_japanese_hulls(due_v)
            self.delivered_vessels += due_v
            self.model.log_decision("JPN", "delivery", due_v,
                                    f"patrol vessels enter Vietnamese service "
                                    f"({self.delivered_vessels}/{prog.vessels})")
        due_r = sum(d <= day for d in prog.radar_days) - self.delivered_radars
        sites = RADAR_SITES.get(self.model.sea.name, [])
        for _ in range(max(0, due_r)):
            if self.delivered_radars >= len(sites):
                self.model.log_decision("JPN", "delivery", 0, f"no radar site left of "
                                        f"{len(sites)}; further radars are not built")
                self.programme.radar_days = self.programme.radar_days[: len(sites)]
                break
            name, lat, lon = sites[self.delivered_radars]
            self.stations.append(RadarStation(f"{name} (Japan-funded)", "VNM", lat, lon,
                                              self.p.radar_range_km))
            self.delivered_radars += 1
            self.model.log_decision("JPN", "delivery", 1, f"coastal radar at {name} enters "
                                    f"service ({self.delivered_radars}/{prog.radars})")
            self.model.update_radar()
