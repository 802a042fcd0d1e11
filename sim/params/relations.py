"""How the States deal with each other: the cooperation Japan's programme buys beyond hardware
(the pathways' levers), confidence-building between China and Vietnam, and stand-offs."""

from __future__ import annotations

from dataclasses import dataclass

from sim.params.declare import P


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
                         "capacity 1 once built up (UNCLOS, 2016 award, ASEAN/COC; "
                         "norm_buildup_days).", "score",
                         "BRIEF (Strategic Stabilization); the pathway's 0.6 is an assumption "
                         "(plausible 0.2-1.0: a few tenths of the economic and backlash costs)",
                         lo=0, hi=10)
    norm_buildup_days: float = P(730.0, "Time constant over which the normative cost builds up "
                                 "from the programme's start (diplomacy, the award's "
                                 "invocation, ASEAN statements take years).", "days",
                                 "assumption (FACTS §5: programmes take years; the award, 2016, "
                                 "was invoked over years)", plausible=(180.0, 1825.0),
                                 lo=1, hi=36500)
    consultation_hours: float = P(0.0, "Extra hours before a patrol is sent to a detected "
                                  "incursion at capacity 1 (consultation first: the "
                                  "institutional pathway's slower response).", "hours",
                                  "BRIEF (Strategic Stabilization responds slowly to urgent "
                                  "threats); assumption", lo=0, hi=240)
    # Confidence-building needs two sides (issue 14; actors/agreement.py).
    cbm_buildup_days: float = P(180.0, "Time constant over which a hotline / incident-at-sea "
                                "code China has accepted builds up to the level Japan's support "
                                "offers (procedures, contacts, habits).", "days",
                                "assumption (FACTS §3: 2011 principles, 2013 hotlines)",
                                plausible=(60.0, 730.0), lo=1, hi=3650)
    cbm_erosion: float = P(0.05, "Share of the agreement's level lost per severe incident by "
                           "Chinese government ships that Vietnam observes (a violation).", "-",
                           "assumption (FACTS §3: the 2014 stand-off and the 2019-20 "
                           "rammings happened with hotlines in place)",
                           plausible=(0.01, 0.2), lo=0, hi=1)
    cbm_accept_base: float = P(1.0, "China's inclination to accept an offered regime before its "
                               "pressures: the logit of acceptance at a mean score of 0 and no "
                               "visible cooperation.", "logit", "assumption (China accepted "
                               "hotlines with Vietnam in 2013, FACTS §3)",
                               plausible=(-1.0, 2.0), lo=-20, hi=20)
    cbm_accept_score: float = P(1.0, "How much China's mean coercion score (when positive) "
                                "lowers its willingness to accept.", "logit/score",
                                "assumption", plausible=(0.3, 2.0), lo=0, hi=20)
    cbm_accept_visibility: float = P(2.0, "How much visible Japan–Vietnam cooperation "
                                     "(visibility x cooperation level) lowers it: China reads "
                                     "the programme as balancing.", "logit", "assumption",
                                     plausible=(0.5, 4.0), lo=0, hi=20)


@dataclass
class StandoffConfig:
    """Stand-offs at hot spots, scripted (a rig or survey inject) and arising from clashes of
    government ships (actors/standoff.py): their onset, China's withdrawal, Vietnam's leaving,
    and what holding a spot costs Vietnam's fishermen."""

    onset_prob: float = P(0.001, "Chance that a day's clash of government ships at blocking or "
                          "above at a hot spot turns into a stand-off (both sides stay and "
                          "reinforce), per clash.", "-/clash", "assumption (FACTS §3: a few "
                          "China–Vietnam stand-offs a decade)", plausible=(0.0002, 0.005),
                          lo=0, hi=1)
    min_chinese: int = P(3, "Chinese government ships (cutters and militia) at the hot "
                         "spot on a day for China to count as present there.", "vessels",
                         "assumption", lo=1, hi=100)
    hold_days: int = P(3, "Days in a row without Vietnamese government ships at the spot after "
                       "which China holds it (or without Chinese ones, after which China has "
                       "withdrawn).", "days", "assumption", plausible=(1, 10), lo=1, hi=60)
    withdraw_rate: float = P(0.04, "China's chance per day of withdrawing from a stand-off when "
                             "Vietnamese government ships are as many as its own and its score "
                             "at the spot is 0; proportional to Vietnam's share of the ships "
                             "there, times exp(-score); decided at China's decisions (the "
                             "days since the last one at once).", "1/day", "assumption (argued: HYSY-981 "
                             "withdrew after ~75 days against ~60 Vietnamese ships, FACTS §3)",
                             plausible=(0.01, 0.15), lo=0, hi=1)
    stakes: float = P(1.0, "Stakes a stand-off that arose from clashes adds at its hot spot "
                      "for both sides while it runs (China's strategic value, Vietnam's patrol "
                      "priority); a scripted one has its inject's stakes instead.", "score",
                      "assumption", plausible=(0.5, 2.0), lo=0, hi=20)
    closure_days: int = P(90, "Days the fishing grounds of a spot China held stay closed to "
                          "Vietnamese boats.", "days", "assumption (Scarborough Shoal after "
                          "2012: closed for years; a season here)", plausible=(30, 365),
                          lo=0, hi=3650)
