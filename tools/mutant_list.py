"""The semantic mutants of ``make mutants`` (tools/mutants.py runs them; docs/testing.md).

Each mutant is one exact edit of today's code that makes the model *wrong* in a way a reader
of the ODD would recognise: a term of the ladder with the wrong sign, a cap removed, a
mechanism made inert, a parameter default moved outside its plausible range. Each ``old``
snippet must occur exactly once in its file (``tests/test_mutants.py`` checks it, so a
refactor that moves the code shows up as a stale mutant, not as a kill).

Kinds (``tests/test_mutants.py`` requires each):
    kernel-sign   a sign reversed inside a numba kernel
    kernel-inert  a term or mechanism made inert inside a numba kernel
    cap           a cap or bound removed (kernel or actor)
    actor         a mechanism of an actor (or the calendar, the harbour) made inert or reversed
    sensing       what Vietnam detects (engine/sensing.py, the observed flag)
    default       a parameter default moved outside its plausible range (sim/params)

The id's first word names the mechanism (latent, rung, exchange, pairs, context, sensing,
japan, china, fishers, moratorium, weather, vietnam, default).
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("kernel-sign", "kernel-inert", "cap", "actor", "sensing", "default")


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str  # relative to the repository root
    old: str  # exact snippet, found exactly once in the file
    new: str
    breaks: str  # what the mutant makes wrong, in the model's terms
    kind: str


M = Mutant
LADDER = "sim/engine/ladder.py"
ENC = "sim/engine/encounters.py"
MEET = "sim/engine/meetings.py"
CTX = "sim/engine/context.py"
SENS = "sim/engine/sensing.py"
STATES = "sim/params/states.py"
MECH = "sim/params/mechanics.py"

MUTANTS: tuple[Mutant, ...] = (
    # ---------------------------------------------------------------- ladder.latent_one
    M("latent-roe-sign", LADDER, "    return (a_roe * roe\n            + b_force * force",
      "    return (-a_roe * roe\n            + b_force * force",
      "a higher ROE ceiling makes a side less inclined to escalate", "kernel-sign"),
    M("latent-force-sign", LADDER, "            + b_force * force\n",
      "            - b_force * force\n",
      "local superiority makes a side timid, inferiority bold", "kernel-sign"),
    M("latent-observed-sign", LADDER, "            - c_observed * observed\n            - d_cbm",
      "            + c_observed * observed\n            - d_cbm",
      "being observed emboldens instead of restraining", "kernel-sign"),
    M("latent-cbm-sign", LADDER, "            - d_cbm * cbm\n            - np.float32",
      "            + d_cbm * cbm\n            - np.float32",
      "a hotline / incident code raises escalation", "kernel-sign"),
    M("latent-training-sign", LADDER,
      "            - np.float32(e_training) * np.float32(training)",
      "            + np.float32(e_training) * np.float32(training)",
      "trained crews escalate more (Japan's training backfires)", "kernel-sign"),
    M("latent-posture-sign", LADDER, "            + f_posture * posture)",
      "            - f_posture * posture)",
      "China's coercion score at the spot restrains its ships", "kernel-sign"),
    M("latent-force-saturation-removed", LADDER,
      "force = min(max(math.log(max(force_ratio, 1e-9)), -2.0), 2.0)",
      "force = math.log(max(force_ratio, 1e-9))",
      "the force term no longer saturates (a swarm adds boldness without limit)", "cap"),
    # ---------------------------------------------------------------- ladder.rung_for
    M("rung-ceiling-ignored", LADDER, "    if rung <= ceiling:", "    if True:",
      "the ROE ceiling no longer holds the rung chosen in an encounter (intent ignored)", "cap"),
    M("rung-leak-inert", LADDER, "    while out < rung:", "    while False:",
      "the ceiling is a wall again: no rung past it, whatever the leak", "kernel-inert"),
    M("rung-leak-not-compounding", LADDER, "        q *= leak_top if out + 1 == top else leak",
      "        q = leak_top if out + 1 == top else leak",
      "each further rung past the ceiling as likely as the first (the leak does not compound)",
      "cap"),
    M("rung-weapons-leak-ignored", LADDER, "        q *= leak_top if out + 1 == top else leak",
      "        q *= leak",
      "the step into use of weapons is as likely as any other step past the ceiling", "cap"),
    M("rung-cut-direction-reversed", LADDER, "        if noisy > c:",
      "        if noisy < c:",
      "a higher latent propensity gives a lower rung", "kernel-sign"),
    M("rung-noise-inert", LADDER, "    noisy = value + math.log(u / (1.0 - u))",
      "    noisy = value",
      "the ordered logit loses its noise: the rung is a step function of the latent",
      "kernel-inert"),
    # ---------------------------------------------------------------- encounters._exchange
    M("exchange-withdraw-cap-removed", ENC,
      "if u_give < min(w_base + w_rung * rung, withdraw_cap):",
      "if u_give < w_base + w_rung * rung:",
      "a fishing boat's chance to give way is no longer capped (encounter.withdraw_cap)",
      "cap"),
    M("exchange-leak-ignored", ENC, "cuts, ceil_a[k], leak_a[k], u_la,",
      "cuts, ceil_a[k], 0.0, u_la,",
      "the initiator never goes past its ceiling (its leak ignored in the exchange)",
      "kernel-inert"),
    M("exchange-collision-inert", ENC, "if rung == BLOCKING and u_out < p_collide:",
      "if False:", "blocking never ends in a collision", "kernel-inert"),
    M("exchange-push-inert", ENC, "            push += persistence + push_per_rung * answer",
      "            push += 0.0",
      "no action-reaction: a target that holds never pushes the initiator up", "kernel-inert"),
    M("exchange-counter-sign", ENC, "base_t[k] + counter * rung,",
      "base_t[k] - counter * rung,",
      "a harsher initiator makes the target answer lower (counter_weight reversed)",
      "kernel-sign"),
    M("exchange-miscalculation-inert", ENC, "u_fire < p_miscalc * (1.0 - hotline):",
      "u_fire < 0.0:",
      "armed ships trading ramming-level blows never misread each other: no crises",
      "kernel-inert"),
    M("exchange-miscalculation-hotline-inert", ENC, "u_fire < p_miscalc * (1.0 - hotline):",
      "u_fire < p_miscalc:",
      "a hotline no longer lowers the chance of miscalculation", "kernel-inert"),
    M("exchange-hotline-talk-inert", ENC, "if rung >= BLOCKING and u_talk < talk * hotline:",
      "if rung >= BLOCKING and u_talk < 0.0:",
      "a hotline never talks a dangerous exchange down", "kernel-inert"),
    M("exchange-deescalation-reversed", ENC, "if prev >= 0 and rung < prev:",
      "if prev >= 0 and rung > prev:",
      "stepping up (not down) the ladder ends the encounter as de-escalated", "kernel-sign"),
    # ---------------------------------------------------------------- meetings._pairs_kernel
    M("pairs-moratorium-boost-inert", MEET, "                        p *= boost",
      "                        p *= 1.0",
      "the moratorium no longer raises China's enforcement against fishing boats",
      "kernel-inert"),
    M("pairs-posture-dropped", MEET, "                    p *= posture[nc]",
      "                    p *= 1.0",
      "China's posture near a hot spot no longer scales its ships' chance to engage",
      "kernel-inert"),
    M("pairs-claim-check-inverted", MEET, "if (flag[i] == VNM and claim[c])",
      "if (flag[i] == VNM and not claim[c])",
      "China presses Vietnamese vessels outside its claim, not inside", "kernel-sign"),
    M("pairs-eez-check-dropped", MEET, "p = enforcement if vn_eez[nc] else 0.0",
      "p = enforcement",
      "Vietnam enforces against Chinese fishing boats outside its EEZ", "kernel-inert"),
    M("pairs-cooldown-ignored", MEET, "if at_sea[i] and busy_until[i] <= step:",
      "if at_sea[i]:",
      "a vessel busy after an encounter may start another at once (no cooldown)",
      "kernel-inert"),
    # ---------------------------------------------------------------- context
    M("context-ceiling-sea-wide", CTX,
      "cn_ceil = cn_ceiling[h] if h >= 0 else ceilings[4]", "cn_ceil = ceilings[4]",
      "China's ceilings are not read at the hot spot: its mildest rules hold everywhere",
      "kernel-inert"),
    M("context-four-nos-leak", CTX, "    return ceilings[1], 0.0", "    return ceilings[1], leaks[0]",
      "Vietnam's patrols may open with force against government ships (Four No's broken)",
      "cap"),
    M("context-militia-commanders-leak", CTX,
      "        return min(cn_ceil, ceilings[3]), leaks[1]",
      "        return min(cn_ceil, ceilings[3]), leaks[0]",
      "militia keep to their ceiling as tightly as cutters (the commanders' leak, not theirs)",
      "kernel-inert"),
    M("context-force-ratio-inverted", CTX,
      "ratio[k] = (own + smoothing) / (other + smoothing)",
      "ratio[k] = (other + smoothing) / (own + smoothing)",
      "each side reads the local balance of force the wrong way round", "kernel-sign"),
    M("context-observed-ignores-radar", CTX, "(seen or radar_vn[cell[j]] or not cn",
      "(seen or not cn",
      "Vietnam's radars (and Japan's) never make an encounter observed", "sensing"),
    M("context-coordinated-patrols-inert", CTX, "                s_vn += weight[k] * vn_weight",
      "                s_vn += weight[k]",
      "coordinated Japan-Vietnam patrols no longer add to the local balance of force",
      "kernel-inert"),
    # ---------------------------------------------------------------- sensing
    M("sensing-detection-ignores-radar", SENS, "seen = self.layers.radar_vn[cells].copy()",
      "seen = np.zeros(cells.size, np.bool_)",
      "radar coverage never detects an incursion", "sensing"),
    M("sensing-range-km-not-km2", SENS,
      "if flat_km2(la, lo, coslat, lat[s], lon[s]) <= km * km:",
      "if flat_km2(la, lo, coslat, lat[s], lon[s]) <= km:",
      "a patrol's sensor range compared as km against km² (reach shrinks to its root)",
      "sensing"),
    M("sensing-info-sharing-level-ignored", SENS, "    return at_full * info_sharing",
      "    return at_full",
      "information sharing detects at its full chance even when Japan shares nothing",
      "sensing"),
    # ---------------------------------------------------------------- Japan's programme
    M("japan-capacity-ignored", "sim/actors/japan.py",
      "money = j.capacity * j.budget_bn_yen", "money = j.budget_bn_yen",
      "japan.capacity (the lever) is ignored: every run buys the full programme", "actor"),
    M("japan-hulls-never-delivered", "sim/actors/japan.py",
      "due_v = sum(d <= day for d in prog.vessel_days) - self.delivered_vessels",
      "due_v = 0",
      "the patrol vessels Japan pays for never enter Vietnamese service", "actor"),
    M("japan-training-inert", "sim/actors/vietnam.py",
      "(1 - base) * m.japan.training_level()", "(1 - base) * 0.0",
      "Japan's training never raises Vietnamese crews' proficiency", "actor"),
    M("japan-ramp-lag-ignored", "sim/actors/japan.py",
      "return level * min(1.0, since / lag) if lag > 0 else level", "return level",
      "soft items (training, information sharing, CBM) act at full level from day one",
      "actor"),
    # ---------------------------------------------------------------- China's costs
    M("china-economic-cost-dropped", "sim/actors/china.py",
      "cost = (p.economic_cost + p.backlash_weight", "cost = (0.0 + p.backlash_weight",
      "China's economic cost of coercion is dropped", "actor"),
    M("china-backlash-sign", "sim/actors/china.py",
      "p.economic_cost + p.backlash_weight * backlash", "p.economic_cost - p.backlash_weight * backlash",
      "third-party backlash lowers China's cost of coercion", "actor"),
    M("china-norm-cost-dropped", "sim/actors/china.py",
      "+ m.norm_cost() + escalation", "+ escalation",
      "the legal-normative cost (Strategic Stabilization) no longer weighs on China", "actor"),
    M("china-rung-cost-sign", "sim/actors/china.py",
      "p.rung_cost * (np.minimum(self.ceiling, p.roe_max) - ladder.BLOCKING)",
      "p.rung_cost * (ladder.BLOCKING - np.minimum(self.ceiling, p.roe_max))",
      "a harsher ROE ceiling makes coercion cheaper, so the ceiling runs away", "actor"),
    M("china-publicity-never-decays", "sim/actors/china.py",
      "self.publicity *= np.exp(-p.decision_days / p.publicity_decay_days)",
      "self.publicity *= 1.0",
      "publicity of observed severe incidents never fades", "actor"),
    M("china-publicity-inert", "sim/actors/china.py",
      'self.publicity += obs["observed_severe"]', "self.publicity += 0.0",
      "observed severe incidents never make publicity (no backlash from them)", "actor"),
    M("china-roe-max-cap-removed", "sim/actors/china.py",
      "up = (self.score > p.roe_up) & (self.ceiling < p.roe_max)",
      "up = self.score > p.roe_up",
      "China's ROE ceiling may rise past china.roe_max", "cap"),
    M("china-posture-clip-removed", "sim/actors/china.py",
      "m.meetings.posture = np.clip(1.0 + self.score_at_cell(np.arange(m.sea.n_cells)),\n"
      "                                     p.posture_min, p.posture_max)",
      "m.meetings.posture = 1.0 + self.score_at_cell(np.arange(m.sea.n_cells))",
      "the posture factor on engagement is no longer clipped (it can go negative or huge)",
      "cap"),
    M("china-publicity-counts-unobserved", "sim/actors/observe.py",
      "if rung[k] >= severe and observed[k]:", "if rung[k] >= severe:",
      "severe incidents Vietnam never saw still make publicity for China's backlash",
      "kernel-inert"),
    # ---------------------------------------------------------------- fishers' memory
    M("fishers-memory-never-updates", "sim/actors/fishers.py",
      "        if targets.size == 0:\n            return",
      "        if True:\n            return",
      "fishers never hear of incidents: no chilling effect", "actor"),
    M("fishers-never-forget", "sim/actors/fishers.py",
      "self.risk *= np.exp(-days / self.model.p.vietnam.risk_memory_days)",
      "self.risk *= 1.0",
      "fishers' perceived risk never decays: no recovery from the chilling effect", "actor"),
    M("fishers-protection-sign", "sim/actors/fishers.py",
      "self.risk[home[vn]] * (1 - protect)[None, :]",
      "self.risk[home[vn]] * (1 + protect)[None, :]",
      "Vietnamese patrols at a ground raise fishers' perceived risk there", "actor"),
    # ---------------------------------------------------------------- the moratorium
    M("moratorium-never-on", "sim/engine/calendar.py",
      "return dt.date(date.year, m0, d0) <= date < dt.date(date.year, m1, d1)",
      "return False",
      "China's summer fishing moratorium is never in force", "actor"),
    M("moratorium-chinese-boats-ignore-it", "sim/actors/fishers.py",
      "        if m.moratorium_on:", "        if False:",
      "Chinese boats fish inside the moratorium zone while it is on", "actor"),
    # ---------------------------------------------------------------- weather
    M("weather-recall-inert", "sim/engine/port.py", "    recall(f, ids[bad])",
      "    recall(f, ids[:0])",
      "vessels at sea never come home from weather beyond their limit", "actor"),
    M("weather-sailing-unchecked", "sim/engine/port.py",
      "    return ready[region_weather(sea_state, north, f.cell[ready]) < "
      "WEATHER_LIMIT[f.kind[ready]]]",
      "    return ready",
      "hulls sail in any weather", "actor"),
    # ---------------------------------------------------------------- Vietnam's patrols
    M("vietnam-patrols-ignore-harassment", "sim/actors/vietnam.py",
      "+ p.harassed_weight * harassed", "+ 0.0 * harassed",
      "Vietnam's patrol allocation ignores where its boats were harassed", "actor"),
    M("vietnam-surge-inert", "sim/actors/vietnam.py",
      "surge = 1.0 + p.surge * (stakes.max() > 0)", "surge = 1.0",
      "Vietnam sends no extra hulls to a rig or survey-ship stand-off", "actor"),
    # ---------------------------------------------------------------- parameter defaults
    M("default-b_force", MECH, "b_force: float = P(0.5,", "b_force: float = P(5.0,",
      "encounter.b_force 0.5 -> 5.0 (plausible 0.2-0.8)", "default"),
    M("default-miscalculation", MECH, "miscalculation: float = P(0.05,",
      "miscalculation: float = P(0.9,",
      "encounter.miscalculation 0.05 -> 0.9 (plausible 0-0.3)", "default"),
    M("default-severe-cut", MECH, "factory=lambda: [-1.0, 0.5, 1.8, 5.17, 5.77, 6.37, 7.17]",
      "factory=lambda: [-1.0, 0.5, 1.8, 2.17, 5.77, 6.37, 7.17]",
      "encounter.cuts: the 3|4 (severe) cut 5.17 -> 2.17 (plausible 4.0-5.6)", "default"),
    M("default-roe_start", STATES, "roe_start: int = P(3,", "roe_start: int = P(7,",
      "china.roe_start 3 -> 7: use of weapons from day 0 (plausible 3-5)", "default"),
    M("default-moratorium_boost", MECH, "moratorium_boost: float = P(3.0,",
      "moratorium_boost: float = P(0.1,",
      "encounter.moratorium_boost 3 -> 0.1: the moratorium suppresses enforcement "
      "(FACTS §4: it raises it)", "default"),
    M("default-withdraw_cap", MECH, "withdraw_cap: float = P(0.95,",
      "withdraw_cap: float = P(0.0,",
      "encounter.withdraw_cap 0.95 -> 0: fishing boats never give way", "default"),
    M("default-weather-persistence", MECH, "persistence: float = P(0.6,",
      "persistence: float = P(0.999,",
      "weather.persistence 0.6 -> 0.999: the sea state of 1 January lasts all year",
      "default"),
    M("default-risk_memory_days", STATES, "risk_memory_days: float = P(30.0,",
      "risk_memory_days: float = P(3000.0,",
      "vietnam.risk_memory_days 30 -> 3000: fishers remember an incident for years",
      "default"),
    M("default-vessel_cost", STATES, "vessel_cost_bn_yen: float = P(6.1,",
      "vessel_cost_bn_yen: float = P(610.0,",
      "japan.vessel_cost_bn_yen 6.1 -> 610: Japan's budget buys no hull (FACTS §5: ~6.1)",
      "default"),
    M("default-leak_militia", MECH, "leak_militia: float = P(0.06,",
      "leak_militia: float = P(0.9,",
      "encounter.leak_militia 0.06 -> 0.9: militia ignore their ceiling (plausible 0.02-0.3)",
      "default"),
    M("default-sink_prob", MECH, "sink_prob: float = P(0.08,", "sink_prob: float = P(0.8,",
      "encounter.sink_prob 0.08 -> 0.8: most rammings sink the boat (FACTS §3: a few a year)",
      "default"),
)
