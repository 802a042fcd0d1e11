"""The mechanics' parameters: encounters and the ladder, weather."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List

from sim.params.declare import P


# --------------------------------------------------------------------------- encounters
@dataclass
class EncounterConfig:
    range_km: float = P(11.0, "Distance at which opposing vessels can interact.", "km",
                        "assumption (visual/radar contact ~6 nm)", lo=1, hi=100)
    engage_cg_fishing: float = P(0.04, "Hourly chance a Chinese cutter engages a Vietnamese "
                                 "fishing boat in range in claimed waters.", "1/hour",
                                 "assumption", plausible=(0.01, 0.08), lo=0, hi=1)
    engage_militia: float = P(0.01, "Hourly chance a militia trawler engages an opposing "
                              "vessel in range.", "1/hour", "assumption",
                              plausible=(0.003, 0.03), lo=0, hi=1)
    engage_gov: float = P(0.02, "Hourly chance opposing government vessels in range engage "
                          "(shadowing, challenge).", "1/hour", "assumption", lo=0, hi=1)
    engage_enforcement: float = P(0.03, "Hourly chance a Vietnamese patrol engages a Chinese "
                                  "fishing boat in Vietnam's EEZ.", "1/hour", "assumption",
                                  lo=0, hi=1)
    moratorium_boost: float = P(3.0, "Multiplier on engagement of fishing boats inside the "
                                "moratorium zone during the moratorium.", "x",
                                "FACTS §4 (enforcement from 2020: it raises engagement, so "
                                "> 1); the in-season ratio of 1.2-2.2 bounds it above",
                                plausible=(1.5, 6.0), lo=0, hi=100)
    cooldown_hours: int = P(24, "Hours before a vessel can start another encounter.", "hours",
                            "assumption", lo=0, hi=720)
    a_roe: float = P(0.35, "Ladder latent: weight of the ROE ceiling.", "latent/rung",
                     "BRIEF ordered logit", plausible=(0.2, 0.6), lo=0, hi=10)
    b_force: float = P(0.5, "Ladder latent: weight of log local force ratio.", "latent",
                       "Lanchester-type; assumption", plausible=(0.2, 0.8), lo=0, hi=10)
    c_observed: float = P(0.6, "Ladder latent: restraint when observed (radar/MDA, "
                          "transparency).", "latent", "assumption",
                          plausible=(0.2, 1.0), lo=0, hi=10)
    d_cbm: float = P(1.2, "Ladder latent: restraint from hotline / incident code at level 1.",
                     "latent", "assumption", plausible=(0.5, 2.0), lo=0, hi=10)
    e_training: float = P(0.8, "Ladder latent: restraint from crew training at level 1.",
                          "latent", "assumption", plausible=(0.4, 1.2), lo=0, hi=10)
    f_posture: float = P(0.5, "Ladder latent: weight of China's coercion score at the spot.",
                         "latent/score", "assumption", lo=0, hi=10)
    cuts: List[float] = P(None, "Ordered cut points between rungs 0|1, 1|2, ..., 6|7 on the "
                          "latent scale (plausible ranges: of the 3|4 cut; the cuts above keep "
                          "their spacing).", "latent", "calibrated (docs/calibration.md): the 3|4 cut (posterior "
                          "4.2–5.6); others assumption",
                          plausible=(4.0, 5.6), discovery=(3.6, 5.6),
                          factory=lambda: [-1.0, 0.5, 1.8, 5.17, 5.77, 6.37, 7.17])
    max_rounds: int = P(3, "Rounds of action and response in one encounter.", "rounds",
                        "assumption", lo=1, hi=10)
    persistence: float = P(0.3, "Latent increase for the next round when the target holds or "
                           "counters.", "latent", "assumption", plausible=(0.1, 0.6), lo=0, hi=10)
    miscalculation: float = P(0.01, "Chance per round that armed ships trading ramming-level "
                              "blows end in use of weapons (a crisis); scaled by 1 - hotline.",
                              "-", "assumption (Fearon 1995: information problems); argued from "
                              "the record: a dozen rammings between government ships at Second "
                              "Thomas and Sabina Shoals in 2023-24 without a shot (FACTS §3), so "
                              "a few per cent at most (0.05 gave a crisis in most HYSY-981-like "
                              "runs, against none in 2014)",
                              plausible=(0.002, 0.05), discovery=(0.0, 0.5), lo=0, hi=1)
    hotline_talk: float = P(0.5, "Chance per round that a hotline at full strength talks an "
                            "exchange at blocking or above down.", "-", "assumption", lo=0, hi=1)
    counter_weight: float = P(0.3, "How much the initiator's rung raises the target's latent "
                              "propensity when it answers (action-reaction).", "latent/rung",
                              "Richardson; assumption", lo=0, hi=10)
    answer_push: float = P(0.2, "How much the target's answer raises the initiator's latent "
                           "next round.", "latent/rung", "Richardson; assumption", lo=0, hi=10)
    withdraw_base: float = P(0.25, "Chance a fishing boat withdraws at rung 0 (rises with "
                             "the rung).", "-", "assumption", lo=0, hi=1)
    withdraw_per_rung: float = P(0.12, "Extra withdrawal chance per rung.", "-/rung",
                                 "assumption", lo=0, hi=1)
    damage_prob: float = P(0.35, "Chance a water-cannon or ramming exchange damages the "
                           "target.", "-", "FACTS §3 (HYSY-981: 24 ships damaged)", lo=0, hi=1)
    sink_prob: float = P(0.08, "Chance a ramming sinks a fishing boat.", "-",
                         "FACTS §3 (2014, 2019, 2020 sinkings; most rammings damage, few "
                         "sink)", plausible=(0.02, 0.25), lo=0, hi=1)
    detain_prob: float = P(0.5, "Chance a boarding ends in detention.", "-", "assumption",
                           lo=0, hi=1)
    sensor_km: float = P(40.0, "Surface-search range of a government vessel (observation).",
                         "km", "assumption", lo=1, hi=500)
    force_radius_km: float = P(30.0, "Radius for the local balance of force.", "km",
                               "assumption", lo=1, hi=500)
    militia_force_weight: float = P(0.3, "Weight of a militia trawler in the force balance "
                                    "relative to a cutter of the same tonnage.", "-",
                                    "assumption", lo=0, hi=1)
    force_tonnage_exponent: float = P(0.5, "A government ship weighs (tonnage / 1,000 t) to this "
                                      "power in the local force balance (0: every hull counts "
                                      "the same; 1: tonnage itself).", "-",
                                      "assumption (FACTS §2: CCG cutters of 1,000-12,000 t "
                                      "against Vietnamese ships of ~400-2,400 t; bigger hulls "
                                      "block and ram with impunity, with diminishing returns)",
                                      plausible=(0.0, 1.0), lo=0, hi=2)
    force_smoothing: float = P(0.5, "Added to each side's strength in the local force ratio, "
                               "so that a lone ship against none is a finite ratio.", "ships",
                               lo=0.01, hi=10)
    militia_ceiling: int = P(3, "Highest rung China's militia intend to use: they block and "
                             "swarm; water cannon and boarding are the coast guard's (past it "
                             "only by leak_militia).", "rung", "FACTS §2",
                             lo=0, hi=7)
    vn_initiate_ceiling: int = P(2, "Highest rung a Vietnamese patrol opens with against a "
                                 "Chinese government ship (Four No's: no force first).", "rung",
                                 "FACTS §1", lo=0, hi=7)
    leak_initiative: float = P(0.03, "Chance per rung that a government ship's crew goes one "
                               "rung past its ROE ceiling on local initiative (a second rung: "
                               "this squared). Cutters of both sides, Vietnamese enforcement "
                               "and answers in self-defence; not Vietnam's first move against a "
                               "government ship (Four No's).", "-/rung",
                               "assumption (argued: rammings and boardings happen under "
                               "declared restraint, FACTS §3; the lower bound is above 0 so "
                               "that no rung is impossible)",
                               plausible=(0.01, 0.15), lo=0.001, hi=0.9)
    leak_militia: float = P(0.06, "Chance per rung that militia trawlers go past their ceiling "
                            "on their own account (ramming, mooring on a fishing boat's gear).",
                            "-/rung", "assumption (militia are loosely controlled: AMTI, FACTS "
                            "§1-2; above the cutters' leak)", plausible=(0.02, 0.3), lo=0.001,
                            hi=0.9)
    collision_prob: float = P(0.001, "Chance per round of blocking (dangerous manoeuvres at close "
                              "range) that the hulls collide: the round becomes a ramming-level "
                              "exchange whatever the ceilings.", "-/round",
                              "assumption (argued: a few collisions a year among thousands of "
                              "blocking manoeuvres; FACTS §3 rammings 2019-20)",
                              plausible=(0.0005, 0.01), lo=0.0001, hi=0.5)
    leak_weapons: float = P(0.0001, "Chance that a crew already going past its ceiling takes the "
                            "last step, into use of weapons, on its own (instead of the rung "
                            "leak): opening fire without orders is far rarer than a ramming "
                            "without orders.", "-",
                            "assumption (argued: no accidental armed clash between China and "
                            "Vietnam since 1988 among thousands of incidents, and none in the "
                            "2014 and 2019 stand-offs, nor at Second Thomas and Sabina Shoals in "
                            "2023-24, FACTS §3: a stand-off has hundreds of rounds at the top of "
                            "the ladder, so the chance per round must be tiny; the validation's "
                            "stand-off crisis check shares this record, docs/ODD.md §9.2; the "
                            "lower bound is above 0 so that the rung is never impossible)",
                            plausible=(0.00002, 0.0005), lo=0.000001, hi=0.9)
    withdraw_cap: float = P(0.95, "Highest chance that an unarmed boat gives way in one round.",
                            "-", "assumption (some crews hold their ground: FACTS §3 reports "
                            "boats rammed, not only chased off)", plausible=(0.8, 0.99),
                            lo=0, hi=1)
    ramming_damage_factor: float = P(1.5, "Chance of damage from ramming or weapons, as a "
                                     "multiple of damage_prob.", "x", lo=0, hi=10)
    detention_days: int = P(30, "How long a detained boat and its crew are held.", "days",
                            "FACTS §3 (weeks to months); assumption", lo=1, hi=365)


@dataclass
class WeatherConfig:
    rough_north: List[float] = P(None, "Monthly chance (Jan..Dec) of a rough day north of "
                                 "12°N (small craft stay in port).", "1/day",
                                 "FACTS §4 (NE monsoon Nov–Mar); assumption",
                                 factory=lambda: [0.35, 0.3, 0.2, 0.1, 0.05, 0.1, 0.15, 0.2,
                                                  0.2, 0.25, 0.3, 0.35])
    rough_south: List[float] = P(None, "Monthly chance (Jan..Dec) of a rough day south of "
                                 "12°N.", "1/day", "assumption",
                                 factory=lambda: [0.25, 0.2, 0.1, 0.05, 0.05, 0.1, 0.15, 0.15,
                                                  0.1, 0.15, 0.2, 0.25])
    severe_north: List[float] = P(None, "Monthly chance of a severe day (typhoon, gale) north "
                                  "of 12°N: cutters leave station too.", "1/day",
                                  "FACTS §1 (gaps mainly from rough weather), §4 typhoons",
                                  factory=lambda: [0.03, 0.02, 0.01, 0.0, 0.01, 0.03, 0.06,
                                                   0.08, 0.08, 0.07, 0.05, 0.03])
    severe_south: List[float] = P(None, "Monthly chance of a severe day south of 12°N.",
                                  "1/day", "assumption",
                                  factory=lambda: [0.02, 0.01, 0.0, 0.0, 0.0, 0.01, 0.02,
                                                   0.02, 0.02, 0.03, 0.04, 0.03])
    persistence: float = P(0.6, "Chance that a day's sea state carries over to the next.",
                           "-", "assumption (spells of weather last days, not weeks: mean "
                           "spell 1/(1-p) = 1.4-6.7 days)", plausible=(0.3, 0.85), lo=0, hi=1)


@dataclass
class FishersConfig:
    """Where boats fish and how incidents chill them (actors/fishers.py)."""

    travel_cost: float = P(0.5, "Catch lost per 1,000 km of travel to a ground.",
                           "catch/1000 km", lo=0, hi=10)
    taste: float = P(0.15, "Scale of individual taste (Gumbel noise) in the ground choice.",
                     "catch", lo=0.001, hi=10)
    other_port_weight: float = P(0.3, "How much boats hear of incidents against other ports' "
                                 "boats (their own port's: fully).", "-", lo=0, hi=1)
    severity_offset: float = P(1.0, "An incident at rung r adds (this + r) / (this + 7) to "
                               "fishers' perceived risk (1 for use of weapons): how much mere "
                               "presence or shadowing frightens boats, relative to the top rung "
                               "(at 1, presence counts 1/8).", "rungs",
                               "assumption (harassment short of force keeps boats away too: "
                               "FACTS §3)", plausible=(0.5, 3.0), lo=0, hi=50)
    sail_chance: float = P(0.5, "Chance that a boat ready in port sails on a given day.",
                           "1/day", lo=0, hi=1)
    cn_trip_days: float = P(15.0, "Length of a Chinese fishing trip in the modelled waters.",
                            "days", lo=1, hi=120)
    trip_spread_min: float = P(0.7, "A trip lasts its nominal length times a uniform draw "
                               "between this ...", "x", lo=0.1, hi=1)
    trip_spread_max: float = P(1.3, "... and this.", "x", lo=1, hi=5)
    trip_endurance_cap: float = P(2.0, "A fishing trip is at most this multiple of its hull's "
                                  "endurance (does not bind at the default trip lengths).", "x",
                                  lo=1, hi=10)
    protection_max: float = P(0.5, "Share of perceived risk that Vietnamese patrols assigned "
                              "to a ground remove at most.", "-", lo=0, hi=1)
    protection_ships: float = P(2.0, "Patrols at a ground for the most protection.", "ships",
                                lo=0.1, hi=50)
    off_limits: float = P(5.0, "Catch a boat gives up to fish a ground that is not its side's "
                          "(or inside the moratorium, for a Chinese boat): in effect it does not.",
                          "catch", lo=0, hi=100)


@dataclass
class VesselsConfig:
    """How hulls are handled: turnaround in port (engine/port.py), the crews' checks of fuel
    and time, loitering on station (engine/movement.py)."""

    turnaround_coast_guard_days: int = P(5, "Days a government ship spends in port between "
                                         "patrols.", "days", lo=0, hi=60)
    turnaround_militia_days: int = P(4, "Days a militia trawler spends in port between "
                                     "deployments.", "days", lo=0, hi=60)
    turnaround_fishing_days: int = P(3, "Days a fishing boat spends in port between trips.",
                                     "days", lo=0, hi=60)
    turnaround_other_days: int = P(3, "Days in port for other hulls (navy, survey ships).",
                                   "days", lo=0, hi=60)
    first_sortie_spread_days: int = P(7, "The first sorties of the fleets at day 0 are spread "
                                      "uniformly over this many days, so that a fleet does not "
                                      "leave port in one wave.", "days", lo=1, hi=60)
    endurance_check_hours: int = P(3, "How often crews check fuel and time left against the "
                                   "way home.", "hours", lo=1, hi=24)
    return_margin_hours: float = P(12.0, "Hours of fuel and crew time kept in hand for the way "
                                   "home.", "hours", lo=0, hi=240)
    loiter_chance: float = P(0.3, "Chance per hour that a vessel on station drifts to a "
                             "neighbouring cell.", "1/hour", lo=0, hi=1)


@dataclass
class SensingConfig:
    """What Vietnam sees and what counts as near (engine/sensing.py)."""

    info_detection: float = P(0.3, "Chance that Japan's information sharing at its full level "
                              "alone reveals a Chinese government ship (a day at the census; "
                              "an encounter), scaled by the sharing level.", "-", lo=0, hi=1)
    boats_near_area_km: float = P(60.0, "Vietnamese boats this close to a patrol area (by "
                                  "route) count as near it.", "km", lo=1, hi=500)
    hotspot_area_km: float = P(100.0, "Cells within this distance of a hot spot belong to its "
                               "area (China's posture there; an incident's hotspot column).",
                               "km", lo=10, hi=500)
