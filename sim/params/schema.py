"""Every model parameter, declared once: type, default, unit, valid range, meaning and source.

The dataclasses are registered with Hydra's ConfigStore as the schema of ``configs/``, so an
unknown key or a wrong type fails at composition; ``sim.params.checks`` then checks ranges,
choices and the rules between fields, and ``sim.params.docs`` prints ``docs/parameters.md``
from these declarations (``python -m sim.params``), so the documentation cannot drift from
the code.

Sources are cited as ``FACTS §n`` (../shared/brief/FACTS.md, copied into docs/ODD.md),
``BRIEF`` (the design brief / seed paper's mechanisms) or ``assumption``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Optional

from omegaconf import MISSING  # noqa: F401  (re-exported for configs)


def P(default, help: str, unit: str = "-", source: str = "assumption", lo=None, hi=None,
      choices=None, factory=None, plausible=None, discovery=None):
    """A documented parameter. ``lo``/``hi`` are inclusive validity bounds; ``choices`` a
    closed set. ``plausible`` is the (lo, hi) a sensitivity analysis or a calibration explores,
    inside the bounds; ``discovery`` the wider (lo, hi) that scenario discovery searches for
    crises, where it differs (``sim.params.ranges``)."""
    meta = dict(help=help, unit=unit, source=source, lo=lo, hi=hi, choices=choices,
                plausible=plausible, discovery=discovery)
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


# --------------------------------------------------------------------------- space and time
@dataclass
class SeaConfig:
    name: str = P("scs", "Which sea: the real South China Sea or a small synthetic one.",
                  choices=("scs", "toy"))
    resolution: float = P(0.1, "Grid cell size.", "degrees", "BRIEF", lo=0.05, hi=0.25)
    spratly_treatment: str = P(
        "award", "Which Spratly/Scarborough features generate an EEZ: none (2016 award), all "
        "as China claims, or each by its occupant.", source="GEO.md",
        choices=("award", "china_claim", "occupant"))


@dataclass
class RunConfig:
    days: int = P(365, "Length of the run.", "days", "BRIEF", lo=1, hi=36500)
    start: str = P("2025-01-01", "Calendar date of day 0 (ISO 8601); sets season and moratorium.",
                   "date", "BRIEF")
    step_hours: int = P(1, "Length of one movement/encounter step; must divide 24.", "hours",
                        "BRIEF", choices=(1, 2, 3, 4, 6, 8, 12, 24))
    stop_at_crisis: bool = P(True, "End the run at the close of the day a crisis (use of "
                             "weapons) happens: grey-zone conditions are over.", "-", "BRIEF")
    progress: str = P("auto", "Progress bar: auto (only on a terminal, runs > few s), on, off.",
                      choices=("auto", "on", "off"))


# --------------------------------------------------------------------------- States
@dataclass
class ChinaConfig:
    coast_guard: int = P(40, "China Coast Guard offshore cutters assigned to the modelled sea.",
                         "vessels", "FACTS §2 (~225 offshore CCG hulls, South Sea share: "
                         "assumption)", plausible=(30, 60), lo=0, hi=1000)
    militia: int = P(300, "Maritime-militia trawlers (Spratly backbone and Hainan fleets).",
                     "vessels", "FACTS §1 (~300 in the Spratlys on a given day, 2021)",
                     lo=0, hi=5000)
    fishing: int = P(200, "Chinese fishing boats modelled in contested waters.", "vessels",
                     "assumption (FACTS §3: thousands seen yearly; a sample)", lo=0, hi=20000)
    cg_at_sea_share: float = P(0.60, "Share of CCG cutters the fleet can keep at sea at once "
                               "(maintenance, crew rest).", "-", "calibrated (docs/calibration.md; "
                               "posterior 0.43–0.77)", plausible=(0.4, 0.8), lo=0, hi=1)
    militia_at_sea_share: float = P(0.67, "Share of militia hulls deployed at once.", "-",
                                    "calibrated to FACTS §1, 195/day in 2023 "
                                    "(docs/calibration.md; posterior 0.55–0.87)",
                                    plausible=(0.5, 0.95), lo=0, hi=1)
    decision_days: int = P(7, "Days between China's posture decisions.", "days", "assumption",
                           lo=1, hi=365)
    resolve_weight: float = P(1.0, "Weight of the need to show resolve (Vietnamese assertion "
                              "at a hot spot).", "score/assertion", "Zhang 2019 (assumption "
                              "for the value)",
                              plausible=(0.5, 1.5), discovery=(0.5, 2.0), lo=0, hi=10)
    provocation_weight: float = P(0.6, "How much visible Japan–Vietnam cooperation adds to "
                                  "China's need for resolve.", "score/visibility",
                                  "BRIEF (backlash-driven resolve); assumption",
                                  plausible=(0.2, 1.0), discovery=(0.2, 1.5), lo=0, hi=10)
    moratorium_priority: float = P(0.46, "Score added at hot spots inside the moratorium zone "
                                   "while the moratorium is on (enforcement priority).",
                                   "score", "FACTS §4 (enforcement against foreign boats "
                                   "from 2020); calibrated (docs/calibration.md; "
                                   "posterior 0.01–1.3: weakly identified)",
                                   plausible=(0.0, 2.0), lo=0, hi=10)
    agreement_cost: float = P(0.5, "Cost of coercion while an agreed arrangement (hotline "
                              "inject) is in force: the reputational price of breaking it.",
                              "score", "FACTS §3 (Second Thomas Shoal 2024); assumption",
                              lo=0, hi=10)
    economic_cost: float = P(0.2, "Economic cost of coercion (trade exposure).", "score",
                             "Zhang 2019; assumption", plausible=(0.0, 0.5), lo=0, hi=10)
    backlash_weight: float = P(0.8, "Weight of third-party backlash (alignment, publicity of "
                               "severe incidents) in the cost of coercion.", "score/backlash",
                               "Zhang 2019; assumption", plausible=(0.4, 1.2), lo=0, hi=10)
    publicity_decay_days: float = P(60.0, "E-folding time of the publicity of observed severe "
                                    "incidents.", "days", "assumption", lo=1, hi=3650)
    presence_share: float = P(0.6, "Share of deployed cutters (and militia) kept on standing "
                              "patrol spread over every hot spot (militia: Spratly features); "
                              "the rest go where the coercion score is highest.", "-",
                              "FACTS §1 (near-continuous region-wide presence); assumption",
                              lo=0, hi=1)
    temperature: float = P(0.5, "Softmax temperature of deployments over hot spots (lower: "
                           "concentrate).", "score", "assumption", lo=0.01, hi=100)
    roe_start: int = P(3, "Rules-of-engagement ceiling at day 0 (3: blocking; water cannon "
                       "needs 4).", "rung", "FACTS §3 (water cannon used 2023–24)",
                       plausible=(3, 5), lo=0, hi=7)
    roe_min: int = P(2, "Lowest ceiling China will adopt.", "rung", "assumption", lo=0, hi=7)
    roe_max: int = P(6, "Highest ceiling China will adopt without a deliberate decision for "
                     "war (7 = use of weapons).", "rung", "FACTS §3 (boarding 2024)",
                     plausible=(5, 7), lo=0, hi=7)
    rung_cost: float = P(0.25, "Cost of coercion per rung of ROE ceiling above 3 (expected "
                         "backlash from harsher rules); below 3 it is a gain, so the ceiling "
                         "reverts towards routine blocking when pressures fade.", "score/rung", "Zhang 2019; assumption",
                         plausible=(0.1, 0.4), discovery=(0.0, 0.4), lo=0, hi=10)
    roe_up: float = P(0.45, "Overall coercion score above which the ceiling rises one rung.",
                      "score", "assumption", plausible=(0.1, 0.5), lo=-10, hi=10)
    roe_down: float = P(-0.3, "Score below which the ceiling falls one rung (hysteresis: must "
                        "be below roe_up).", "score", "assumption", lo=-10, hi=10)
    surge: float = P(1.0, "Relative increase of the cutters and militia wanted at sea per unit "
                     "of positive mean score.", "-/score", "FACTS §3 (HYSY-981: 80→140 escorts in 5 weeks)",
                     lo=0, hi=10)
    adjust_rate: float = P(0.5, "Share of the gap to the target deployment closed per "
                           "decision (partial adjustment).", "-", "assumption", lo=0, hi=1)


@dataclass
class VietnamConfig:
    coast_guard: int = P(30, "Vietnam Coast Guard offshore-capable vessels.", "vessels",
                         "FACTS §2 (~50+ patrol boats, 6+ OPVs; uncertain)",
                         plausible=(20, 45), lo=0, hi=500)
    fisheries_surveillance: int = P(20, "Fisheries Surveillance (Kiểm ngư) vessels.", "vessels",
                                    "FACTS §2 (uncertain)", lo=0, hi=500)
    fishing: int = P(1000, "Offshore Vietnamese fishing boats modelled (a sample of the "
                     "offshore fleet that works contested grounds).", "vessels",
                     "FACTS §2 (83,427 ≥6 m; offshore share: assumption)", lo=0, hi=100000)
    gov_at_sea_share: float = P(0.5, "Share of government hulls kept at sea.", "-",
                                "assumption", lo=0, hi=1)
    roe_ceiling: int = P(3, "Highest rung Vietnamese government vessels use in answer to "
                         "Chinese government vessels (Four No's: they never initiate force, so "
                         "as initiators they stop at 2, radio challenge; 3 = blocking).",
                         "rung", "BRIEF (2019 Defence White Paper)", plausible=(2, 3), lo=0, hi=3)
    enforcement_ceiling: int = P(2, "Highest rung against Chinese fishing boats in Vietnam's "
                                 "EEZ (6 = boarding/detention).", "rung", "assumption",
                                 lo=0, hi=6)
    decision_days: int = P(7, "Days between patrol allocations.", "days", "assumption",
                           lo=1, hi=365)
    harassed_weight: float = P(3.0, "Patrol priority per incident against Vietnamese boats "
                               "near an area in the last decision period.", "weight/incident",
                               "assumption", lo=0, hi=100)
    surge_priority: float = P(10.0, "Patrol priority per unit of stakes at an area (a Chinese "
                              "rig or survey ship in Vietnam's waters).", "weight/stake",
                              "FACTS §3 (~60 Vietnamese vessels at HYSY-981); assumption. "
                              "Stakes also come from Vietnam's own drilling inject.",
                              lo=0, hi=1000)
    surge: float = P(0.6, "Extra share of government hulls sent to sea while a stand-off lasts.",
                     "-", "FACTS §3; assumption", lo=0, hi=10)
    adjust_rate: float = P(0.4, "Share of the patrol re-allocation carried out per decision "
                           "(speed of response to urgent threats).", "-", "assumption",
                           lo=0, hi=1)
    training: float = P(0.3, "Baseline crew proficiency of government vessels.", "0-1",
                        "assumption", lo=0, hi=1)
    risk_aversion: float = P(0.5, "Fishers' weight on perceived risk against expected catch.",
                             "catch/risk", "Epstein 2002 form; assumption",
                             plausible=(0.2, 1.0), lo=0, hi=100)
    risk_memory_days: float = P(30.0, "E-folding time of fishers' memory of nearby incidents.",
                                "days", "assumption", lo=1, hi=3650)
    trip_days: float = P(12.0, "Mean length of an offshore fishing trip at sea.", "days",
                         "assumption", lo=1, hi=120)


@dataclass
class JapanConfig:
    capacity: float = P(0.25, "The lever: scale of Japan's capacity-building programme "
                        "(0 none, 1 full programme: budget_bn_yen). 0.25 ≈ ¥22 bn, the scale "
                        "of the 2014 grant plus part of the 2020 loan.", "0-1",
                        "FACTS §5; BRIEF", plausible=(0.0, 1.0), lo=0, hi=1)
    budget_bn_yen: float = P(90.0, "Programme budget at capacity 1, spent over the run.",
                             "bn JPY", "FACTS §5 (¥36.6 bn loan 2020 + reported ¥50 bn 2025)",
                             lo=0, hi=10000)
    mix_vessels: float = P(0.5, "Budget share for patrol vessels.", "-", "scenario", lo=0, hi=1)
    mix_radar: float = P(0.15, "Budget share for coastal radars.", "-", "scenario", lo=0, hi=1)
    mix_training: float = P(0.2, "Budget share for training (ship handling, SAR, law "
                            "enforcement).", "-", "scenario", lo=0, hi=1)
    mix_info_sharing: float = P(0.1, "Budget share for MDA / information sharing links.", "-",
                                "scenario", lo=0, hi=1)
    mix_cbm: float = P(0.05, "Budget share for confidence-building support (hotline and "
                       "incident-at-sea code; effective only where a regime exists: "
                       "cooperation.hotline > 0).", "-", "scenario", lo=0, hi=1)
    vessel_cost_bn_yen: float = P(6.1, "Cost of one new patrol vessel.", "bn JPY",
                                  "FACTS §5 (¥36.626 bn / 6 hulls)", lo=0.01, hi=1000)
    radar_cost_bn_yen: float = P(2.5, "Cost of one coastal radar station.", "bn JPY",
                                 "assumption", lo=0.01, hi=1000)
    full_training_bn_yen: float = P(25.0, "Spending that brings training to level 1.",
                                    "bn JPY", "assumption", lo=0.01, hi=1000)
    full_info_sharing_bn_yen: float = P(12.0, "Spending that brings information sharing to "
                                        "level 1.", "bn JPY", "assumption", lo=0.01, hi=1000)
    full_cbm_bn_yen: float = P(30.0, "Spending that brings confidence-building support to "
                               "level 1.", "bn JPY", "assumption", lo=0.01, hi=1000)
    vessels: Optional[int] = P(None, "Override: hulls delivered (null: from budget).",
                               "vessels", lo=0, hi=200)
    radars: Optional[int] = P(None, "Override: radar stations delivered (null: from budget).",
                              "stations", lo=0, hi=50)
    training: Optional[float] = P(None, "Override: training level reached (null: from budget).",
                                  "0-1", lo=0, hi=1)
    info_sharing: Optional[float] = P(None, "Override: information-sharing level (null: from "
                                      "budget).", "0-1", lo=0, hi=1)
    cbm: Optional[float] = P(None, "Override: confidence-building support level (null: from "
                             "budget).", "0-1", lo=0, hi=1)
    start_offset_days: int = P(730, "How long before day 0 the programme began: items whose "
                               "lag has passed are in service at day 0 (default: the year "
                               "modelled is the programme's third).", "days",
                               "assumption (FACTS §5: pledge to delivery takes years; a "
                               "one-year run should show a programme in place)", lo=0, hi=3650)
    vessel_lag_days: int = P(540, "Delay from the programme's start to the first hull "
                             "entering service.", "days", "FACTS §5 (pledge→delivery takes "
                             "years; hulls from the 2014 grant came within ~1 year)",
                             lo=0, hi=3650)
    vessel_interval_days: int = P(60, "Interval between successive hull deliveries.", "days",
                                  "assumption", lo=0, hi=3650)
    radar_interval_days: int = P(30, "Interval between successive radar stations entering "
                                 "service.", "days", "assumption", lo=0, hi=3650)
    radar_lag_days: int = P(365, "Delay from the programme's start until the first radar enters service.", "days",
                            "BRIEF (about a year)", lo=0, hi=3650)
    radar_range_km: float = P(120.0, "Detection range of a Japanese-funded radar (a modern set on "
                              "a high mast or island).", "km", "assumption (~65 nm; the "
                              "default Vietnamese sets reach 74–93 km)", lo=1, hi=500)
    training_lag_days: int = P(120, "Time for training to reach its full effect.", "days",
                               "BRIEF (months)", lo=0, hi=3650)
    ecs_tension_prob: float = P(0.3, "Chance per year that East China Sea demand diverts "
                                "Japanese resources.", "1/year", "FACTS §5 (constraints); "
                                "assumption", lo=0, hi=1)
    ecs_delay_days: int = P(180, "Delay to undelivered items in a tense East China Sea year.",
                            "days", "assumption", lo=0, hi=3650)
    visibility: float = P(0.5, "How visible (and military-looking) the cooperation is to "
                          "China: drives backlash and provocation.", "0-1", "scenario",
                          lo=0, hi=1)


@dataclass
class CooperationConfig:
    """Pathway mechanisms that are not hardware (set by the scenario, scaled by capacity)."""

    coordinated_patrols: float = P(0.0, "Coordinated Japan–Vietnam patrols at capacity 1 "
                                   "(below alliance level): adds to the local balance of force.",
                                   "0-1", "BRIEF (Enhanced Cooperation)", lo=0, hi=1)
    hotline: float = P(0.0, "Hotline / incident-at-sea communication in force at capacity 1.",
                       "0-1", "BRIEF (Strategic Stabilization)", lo=0, hi=1)
    transparency: float = P(0.0, "Transparency regime at capacity 1: chance an encounter is "
                            "witnessed and published.", "0-1", "BRIEF (CBMs)", lo=0, hi=1)
    response_slowdown: float = P(0.0, "Share by which Vietnam's patrol re-allocation slows at "
                                 "capacity 1 (institutional pathway: few hulls, consultation "
                                 "first).", "0-1", "BRIEF (Strategic Stabilization responds "
                                 "slowly to urgent threats)", lo=0, hi=1)
    norm_cost: float = P(0.0, "Legal-normative cost added to China's cost of coercion at "
                         "capacity 1 (UNCLOS, 2016 award, ASEAN/COC).", "score",
                         "BRIEF (Strategic Stabilization)", lo=0, hi=10)


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
                                "FACTS §4 (enforcement from 2020)", lo=0, hi=100)
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
                          "their spacing).", "latent", "calibrated (docs/calibration.md): the 3|4 cut (posterior 4.0–5.6); others assumption",
                          plausible=(4.0, 5.6), discovery=(3.6, 5.6),
                          factory=lambda: [-1.0, 0.5, 1.8, 5.06, 5.66, 6.26, 7.06])
    max_rounds: int = P(3, "Rounds of action and response in one encounter.", "rounds",
                        "assumption", lo=1, hi=10)
    persistence: float = P(0.3, "Latent increase for the next round when the target holds or "
                           "counters.", "latent", "assumption", plausible=(0.1, 0.6), lo=0, hi=10)
    miscalculation: float = P(0.05, "Chance per round that armed ships trading ramming-level "
                              "blows end in use of weapons (a crisis); scaled by 1 - hotline.",
                              "-", "assumption (Fearon 1995: information problems)",
                              plausible=(0.0, 0.3), discovery=(0.0, 0.5), lo=0, hi=1)
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
                         "FACTS §3 (2014, 2019, 2020 sinkings)", lo=0, hi=1)
    detain_prob: float = P(0.5, "Chance a boarding ends in detention.", "-", "assumption",
                           lo=0, hi=1)
    sensor_km: float = P(40.0, "Surface-search range of a government vessel (observation).",
                         "km", "assumption", lo=1, hi=500)
    force_radius_km: float = P(30.0, "Radius for the local balance of force.", "km",
                               "assumption", lo=1, hi=500)
    militia_force_weight: float = P(0.3, "Weight of a militia trawler in the force balance "
                                    "relative to a cutter.", "-", "assumption", lo=0, hi=1)


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
                           "-", "assumption (spells of weather)", lo=0, hi=1)


# --------------------------------------------------------------------------- injects
#: The inject kinds that happen at a hot spot: their ``hotspot`` must be one of the sea's.
HOTSPOT_INJECTS = ("rig", "survey", "swarm", "vn_drilling")


@dataclass
class InjectConfig:
    kind: str = P("rig", "Event: rig, survey, swarm, vn_drilling, hotline, delivery.",
                  choices=HOTSPOT_INJECTS + ("hotline", "delivery"))
    day: int = P(0, "Day of the run the event starts.", "day", lo=0, hi=36500)
    hotspot: str = P("paracels", "Hot spot where it happens (slug).")
    duration_days: int = P(75, "How long the event lasts.", "days", "FACTS §3", lo=1, hi=3650)
    size: int = P(1, "Size: rigs/survey ships, swarm vessels, or hulls/radars delivered.",
                  "count", lo=0, hi=5000)
    escort: int = P(40, "Extra Chinese vessels surged to escort a rig/survey ship.", "vessels",
                    "FACTS §3 (HYSY-981 ~80→140)", lo=0, hi=5000)


@dataclass
class ScenarioConfig:
    name: str = P("baseline", "Scenario name (the file under configs/scenario/).")
    description: str = P("", "One-line description shown in reports.")


@dataclass
class Config:
    seed: int = P(0, "Random seed; the same seed gives identical runs in any process.",
                  lo=0, hi=2**32 - 1)
    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    sea: SeaConfig = field(default_factory=SeaConfig)
    run: RunConfig = field(default_factory=RunConfig)
    china: ChinaConfig = field(default_factory=ChinaConfig)
    vietnam: VietnamConfig = field(default_factory=VietnamConfig)
    japan: JapanConfig = field(default_factory=JapanConfig)
    cooperation: CooperationConfig = field(default_factory=CooperationConfig)
    encounter: EncounterConfig = field(default_factory=EncounterConfig)
    weather: WeatherConfig = field(default_factory=WeatherConfig)
    #: Scripted events (InjectConfig): a mapping by name, to which each configs/inject/ file
    #: adds its entry, so that injects combine (``+inject=[hysy981,hotline]``), or a list
    #: written on the command line (``injects=[{kind: rig, day: 5}]``). Typed ``Any`` because
    #: OmegaConf cannot type a node that may be either; ``sim.params.checks`` checks every
    #: entry against InjectConfig, and ``to_params`` makes them a tuple of InjectConfig.
    injects: Any = None  # (None, not {}: a list given on the command line replaces it)


class ConfigError(ValueError):
    """A bad config value; the message is one line naming key, value and what is allowed."""


def register() -> None:
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="schema", node=Config)
