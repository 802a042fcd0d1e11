"""The States' parameters: China, Vietnam and Japan's programme (relations.py: what passes
between them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sim.params.declare import P


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
    cg_at_sea_share: float = P(0.56, "Share of CCG cutters the fleet can keep at sea at once "
                               "(maintenance, crew rest).", "-", "calibrated (docs/calibration.md; "
                               "posterior 0.41–0.79; issue 14)", plausible=(0.4, 0.8), lo=0, hi=1)
    militia_at_sea_share: float = P(0.63, "Share of militia hulls deployed at once.", "-",
                                    "calibrated to FACTS §1, 195/day in 2023 "
                                    "(docs/calibration.md; posterior 0.51–0.91)",
                                    plausible=(0.5, 0.95), lo=0, hi=1)
    cg_proficiency: float = P(0.7, "Crew proficiency of Chinese coast-guard cutters: restraint "
                              "e_training x this in the ladder, as for Vietnamese crews.", "0-1",
                              "assumption (a professional service; FACTS §2)",
                              plausible=(0.4, 0.9), lo=0, hi=1)
    militia_proficiency: float = P(0.5, "Crew proficiency of militia trawlers (restraint in the "
                                   "ladder, as for the cutters).", "0-1",
                                   "assumption (fishermen with militia training, loosely "
                                   "controlled: FACTS §1-2)", plausible=(0.2, 0.8), lo=0, hi=1)
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
    moratorium_priority: float = P(0.52, "Score added at hot spots inside the moratorium zone "
                                   "while the moratorium is on (enforcement priority).",
                                   "score", "FACTS §4 (enforcement against foreign boats "
                                   "from 2020); calibrated (docs/calibration.md; "
                                   "posterior 0.01–1.7: weakly identified)",
                                   plausible=(0.0, 2.0), lo=0, hi=10)
    agreement_cost: float = P(0.5, "Cost of coercion while an agreed arrangement (hotline "
                              "inject) is in force, times the arrangement's level (it erodes "
                              "after violations): the reputational price of breaking it.",
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
    militia_spratly_bias: float = P(1.0, "Score added at Spratly hot spots (and taken off at "
                                    "the others) in the militia's flexible deployment: militia "
                                    "mass at the Spratly features.", "score",
                                    "FACTS §1 (~300 militia in the Spratlys on a given day); the "
                                    "value an assumption", plausible=(0.5, 2.0), lo=0, hi=10)
    roe_start: int = P(3, "Rules-of-engagement ceiling at day 0 (3: blocking; water cannon "
                       "needs 4).", "rung", "FACTS §3 (water cannon used 2023–24)",
                       plausible=(3, 5), lo=0, hi=7)
    roe_min: int = P(2, "Lowest ceiling China will adopt.", "rung", "assumption", lo=0, hi=7)
    roe_max: int = P(6, "Highest ceiling China will adopt without a deliberate decision for "
                     "war (7 = use of weapons).", "rung", "FACTS §3 (boarding 2024)",
                     plausible=(5, 7), lo=0, hi=7)
    rung_cost: float = P(0.29, "Cost of coercion per rung of ROE ceiling above 3 (expected "
                         "backlash from harsher rules); below 3 it is a gain, so the ceiling "
                         "reverts towards routine blocking when pressures fade (per hot spot).",
                         "score/rung", "Zhang 2019; calibrated (docs/calibration.md; posterior "
                         "0.15–0.40)",
                         plausible=(0.1, 0.4), discovery=(0.0, 0.4), lo=0, hi=10)
    roe_up: float = P(1.06, "A hot spot's coercion score above which its ceiling rises one "
                      "rung.", "score",
                      "calibrated (docs/calibration.md; posterior 0.26–1.46: weakly "
                      "identified); one hot spot's score varies more than the sea-wide mean "
                      "it was once compared with, so the prior reaches higher",
                      plausible=(0.2, 1.5), lo=-10, hi=10)
    roe_down: float = P(-0.3, "Score below which the ceiling falls one rung (hysteresis: must "
                        "be below roe_up).", "score", "assumption", lo=-10, hi=10)
    surge: float = P(1.0, "Relative increase of the cutters and militia wanted at sea per unit "
                     "of positive mean score.", "-/score", "FACTS §3 (HYSY-981: 80→140 escorts in 5 weeks)",
                     lo=0, hi=10)
    adjust_rate: float = P(0.5, "Share of the gap to the target deployment closed per "
                           "decision (partial adjustment).", "-", "assumption", lo=0, hi=1)
    # How China reads the hot spots and prices publicity (actors/china.py, actors/observe.py).
    publicity_scale: float = P(3.0, "Publicity of observed severe incidents enters the "
                               "backlash cost as log(1 + publicity) / this.", "incidents",
                               lo=0.1, hi=100)
    posture_min: float = P(0.2, "China's posture multiplies its ships' hourly chance of "
                           "engaging near a hot spot (1 + the score there), clipped below at "
                           "this.", "x", lo=0, hi=1)
    posture_max: float = P(3.0, "... and clipped above at this.", "x", lo=1, hi=20)
    assertion_per_boat: float = P(0.05, "A Vietnamese fishing boat at a hot spot counts this "
                                  "much as assertion (a Vietnamese government ship: 1).",
                                  "ships", lo=0, hi=1)
    radar_cooperation: float = P(0.5, "Visible cooperation China reads at a hot spot covered "
                                 "by a Japanese-funded radar.", "score", lo=0, hi=5)
    patrolled_ships: float = P(0.5, "Vietnamese government ships a day (mean) above which a "
                               "hot spot counts as patrolled, so coordinated patrols show there.",
                               "ships/day", lo=0, hi=50)
    base_value: float = P(0.3, "Strategic value of every hot spot to China before injects and "
                          "the moratorium.", "score", lo=0, hi=5)
    stakes_rig: float = P(3.0, "Stakes an active rig inject adds at its hot spot (China's "
                          "strategic value; Vietnam's patrol priority).", "score", lo=0, hi=20)
    stakes_survey: float = P(1.5, "Stakes an active survey-ship inject adds at its hot spot.",
                             "score", lo=0, hi=20)
    stakes_vn_drilling: float = P(3.0, "Stakes Vietnamese drilling adds at its hot spot.",
                                  "score", lo=0, hi=20)
    # Deliberate escalation (issue 14): at a stand-off, China may decide to use force.
    deliberate_threshold: float = P(4.0, "Coercion score at a stand-off's hot spot at which "
                                    "China's chance of deciding on armed force (cutters' guns "
                                    "uncovered, navy ships sent) is half its highest "
                                    "(deliberate_rate).", "score", "assumption (argued: the "
                                    "1974 and 1988 clashes were decisions at high stakes, FACTS "
                                    "§3; a rig at stake adds stakes_rig = 3)",
                                    plausible=(3.0, 6.0), lo=-10, hi=20)
    deliberate_scale: float = P(0.5, "Spread of that decision around the threshold (logistic "
                                "scale).", "score", "assumption", lo=0.01, hi=10)
    deliberate_rate: float = P(0.005, "Highest chance per decision at a stand-off that China "
                               "decides on armed force there; its ceiling at the spot becomes 7 "
                               "(use of weapons) until the stand-off ends.", "1/decision",
                               "assumption (argued: two decisions for armed clashes at sea in "
                               "50 years, none in the 2014 and 2019 stand-offs, FACTS §3: a "
                               "few per cent per long stand-off at high stakes)",
                               plausible=(0.001, 0.03), lo=0, hi=1)
    deliberate_navy: int = P(4, "Warships China sends to a stand-off when it decides on armed "
                             "force.", "vessels", "FACTS §3 (5-6 warships at HYSY-981, June "
                             "2014)", lo=0, hi=100)
    escort_cg_share: float = P(0.35, "Share of a rig's or survey ship's escort that is coast "
                               "guard (the rest militia and fishing boats, after the "
                               "warships).", "-", "FACTS §3 (15 Jun 2014: 34-44 coast guard of "
                               "110-140)", plausible=(0.25, 0.45), lo=0, hi=1)
    escort_navy_share: float = P(0.05, "Share of the escort that is warships (PLA Navy).", "-",
                                 "FACTS §3 (6 warships of 110, 15 Jun 2014)", lo=0, hi=1)


@dataclass
class VietnamConfig:
    coast_guard: int = P(40, "Vietnam Coast Guard offshore-capable vessels.", "vessels",
                         "FACTS §2 (~50+ patrol boats, 6+ OPVs; uncertain); with the "
                         "fisheries surveillance ships, enough for the ~60 Vietnamese ships at "
                         "HYSY-981 (FACTS §3; issue 14: forces at real scale)",
                         plausible=(25, 55), lo=0, hi=500)
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
    surge_priority: float = P(30.0, "Patrol priority per unit of stakes at an area (a Chinese "
                              "rig or survey ship in Vietnam's waters).", "weight/stake",
                              "FACTS §3 (~60 Vietnamese vessels at HYSY-981); assumption. "
                              "Stakes also come from Vietnam's own drilling inject.",
                              lo=0, hi=1000)
    surge: float = P(1.0, "Extra share of government hulls sent to sea while a stand-off lasts "
                     "(1: twice the usual share, all of them at the default).",
                     "-", "FACTS §3 (~60 Vietnamese ships at HYSY-981: most of the offshore "
                     "fleet); assumption", lo=0, hi=10)
    adjust_rate: float = P(0.4, "Share of the patrol re-allocation carried out per decision "
                           "(speed of response to urgent threats).", "-", "assumption",
                           lo=0, hi=1)
    training: float = P(0.3, "Baseline crew proficiency of government vessels.", "0-1",
                        "assumption", lo=0, hi=1)
    risk_aversion: float = P(0.5, "Fishers' weight on perceived risk against expected catch.",
                             "catch/risk", "Epstein 2002 form; assumption",
                             plausible=(0.2, 1.0), lo=0, hi=100)
    risk_memory_days: float = P(30.0, "E-folding time of fishers' memory of nearby incidents.",
                                "days", "assumption (a season's trips: weeks to months)",
                                plausible=(7.0, 120.0), lo=1, hi=3650)
    trip_days: float = P(12.0, "Mean length of an offshore fishing trip at sea.", "days",
                         "assumption", lo=1, hi=120)
    japan_built_bonus: float = P(0.2, "Proficiency bonus of crews on Japan-built hulls (they "
                                 "train with the hull).", "0-1", lo=0, hi=1)
    training_closes: float = P(0.6, "Share of the gap to full proficiency that Japan's "
                               "training closes at its full level.", "-", lo=0, hi=1)
    # Responses to detected incursions (issue 14; actors/response.py).
    cue_delay_hours: float = P(2.0, "Time from a detected incursion to the order that sends a "
                               "patrol (reporting chain).", "hours", "assumption",
                               plausible=(0.5, 8.0), lo=0, hi=240)
    on_scene_km: float = P(20.0, "A Vietnamese government ship this close to a patrol area's "
                           "centre is on scene (it ends a response).", "km", "assumption (a "
                           "hot spot's 12-nm circle)", lo=1, hi=200)
    response_give_up_hours: float = P(72.0, "A cue not answered within this is dropped (counted "
                                      "as unanswered).", "hours", "assumption", lo=1, hi=720)


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
    visible_hardware: int = P(6, "Hulls (or radars) delivered at which Japan's hardware counts "
                              "as fully visible cooperation.", "count", lo=1, hi=100)
