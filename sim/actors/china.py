"""China (cost-balancing, after Zhang's "Cautious Bully", 2019).

At each hot spot, coercion scores *need for resolve* (recent Vietnamese assertion there;
visible Japan–Vietnam cooperation) minus *cost* (economic exposure, third-party backlash:
alignment and publicity of observed severe incidents, legal-normative cost). Cutters and
militia deploy by a softmax over the scores; the ROE ceiling steps up or down one rung when the
overall score crosses thresholds with hysteresis.
"""

from __future__ import annotations

import numpy as np

from sim.actors.observe import china_view
from sim.actors.state import StateAgent, softmax
from sim.engine import ladder
from sim.engine.fleet import CHN, COAST_GUARD, MILITIA
from sim.engine.movement import HOTSPOT

class China(StateAgent):
    flag = "CHN"

    def __init__(self, model, params):
        super().__init__(model)
        self.p = params.china
        self.publicity = 0.0
        hs = model.dst.of_kind(HOTSPOT)
        self.hotspots = hs
        # ROE ceilings per hot spot: China presses Vanguard Bank differently from the Paracels.
        self.ceiling = np.full(hs.size, self.p.roe_start, np.int64)
        self.score = np.zeros(hs.size)
        self.provocation = np.zeros(hs.size)
        self.navy: dict[int, np.ndarray] = {}  # hot spot -> warships sent by a decision for force
        self.cell_hotspot = model.nearest_hotspot  # cell -> hot spot index (or -1 far away)

    def score_at_cell(self, cells: np.ndarray) -> np.ndarray:
        """China's coercion score at the hot spot nearest each cell (0 far from any)."""
        h = self.cell_hotspot[cells]
        return np.where(h >= 0, self.score[np.maximum(h, 0)], 0.0)

    def decide(self) -> None:
        """Score coercion at each hot spot, deploy by the scores, adjust the ROE ceiling."""
        m, p = self.model, self.p
        obs = china_view(m, days=p.decision_days)
        need = (p.resolve_weight * np.log1p(obs["assertion"])
                + p.provocation_weight * m.japan.p.visibility * obs["cooperation"]
                + obs["strategic_value"])
        # Visible Japan-Vietnam cooperation at a spot (Japanese hulls, radars, coordinated
        # patrols) is provocation: China presses harder there (an outcome, ``provocation``).
        self.provocation = p.provocation_weight * m.japan.p.visibility * obs["cooperation"]
        self.publicity *= np.exp(-p.decision_days / p.publicity_decay_days)
        self.publicity += obs["observed_severe"]
        backlash = (np.log1p(self.publicity) / p.publicity_scale
                    + m.japan.p.visibility * m.japan.cooperation_level(m.coordinated))
        # Each rung above routine blocking risks more backlash: this pulls the ceiling back
        # (a deliberate ceiling of 7 is priced as roe_max: it is a decision, not drift).
        escalation = p.rung_cost * (np.minimum(self.ceiling, p.roe_max) - ladder.BLOCKING)
        agreement = p.agreement_cost * m.agreement.level if m.agreement.agreed else 0.0
        cost = (p.economic_cost + p.backlash_weight * backlash + m.norm_cost() + escalation
                + agreement)
        self.score = need - cost
        self.overall = float(self.score.mean())
        m.agreement.decide(self.overall, m.observer.violations_observed(p.decision_days),
                           p.decision_days)
        m.meetings.posture = np.clip(1.0 + self.score_at_cell(np.arange(m.sea.n_cells)),
                                     p.posture_min, p.posture_max)
        self._deploy(obs)
        self._set_ceiling(cost)
        m.standoffs.china_decides(self.score, p.decision_days)
        self._decide_on_force()

    def _deploy(self, obs) -> None:
        """Standing patrols at every hot spot (region-wide presence, FACTS §1) plus a flexible
        share where the score is highest; militia mass at the Spratly features."""
        m, p = self.model, self.p
        H = self.score.size
        prob = p.presence_share / H + (1 - p.presence_share) * softmax(self.score, p.temperature)
        surge = 1.0 + p.surge * max(0.0, self.overall)
        cg = m.fleet.deployable(CHN, COAST_GUARD)
        want = int(min(cg.size, round(cg.size * p.cg_at_sea_share * surge)))
        self.reassign(cg, self.hotspots, prob, want, p.adjust_rate)
        spratly = obs["spratly"] / max(1.0, obs["spratly"].sum())
        mprob = (p.presence_share * spratly
                 + (1 - p.presence_share) * softmax(self.score + obs["militia_bias"],
                                                     p.temperature))
        mil = m.fleet.deployable(CHN, MILITIA)
        want_m = int(min(mil.size, round(mil.size * p.militia_at_sea_share * surge)))
        self.reassign(mil, self.hotspots, mprob / mprob.sum(), want_m, p.adjust_rate)
        top = int(np.argmax(self.score))
        m.log_decision("CHN", "deploy", want,
                       f"cutters wanted at sea (surge x{surge:.2f}); mean score "
                       f"{self.overall:+.2f}")
        m.log_decision("CHN", "target_priority", round(float(prob[top]), 3),
                       f"top hot spot {m.dst.slug[self.hotspots[top]]}: score "
                       f"{self.score[top]:+.2f} (assertion {obs['assertion'][top]:.2f}, "
                       f"cooperation {obs['cooperation'][top]:.2f})")

    @property
    def open_ceiling(self) -> int:
        """The ceiling away from every hot spot: the mildest rules in force at any of them
        (routine pressure where China pursues no particular aim)."""
        return int(self.ceiling.min())

    def _set_ceiling(self, cost: np.ndarray) -> None:
        """Each hot spot's ceiling steps up a rung when China's score there exceeds ``roe_up``
        and down when it falls below ``roe_down`` (hysteresis), within roe_min..roe_max."""
        p, old = self.p, self.ceiling.copy()
        held = self.ceiling > p.roe_max  # a decision for armed force holds (standoff_over)
        up = (self.score > p.roe_up) & (self.ceiling < p.roe_max)
        down = (self.score < p.roe_down) & (self.ceiling > p.roe_min) & ~held
        self.ceiling = self.ceiling + up - down
        for h in np.flatnonzero(self.ceiling != old):
            self.model.log_decision(
                "CHN", "roe_ceiling", int(self.ceiling[h]),
                f"{self.model.dst.slug[self.hotspots[h]]}: score {self.score[h]:+.2f} crossed "
                f"{'up' if self.ceiling[h] > old[h] else 'down'} threshold; cost "
                f"{float(cost[h]):.2f}, publicity "
                f"{self.publicity:.1f}")

    def deliberate_chance(self, score: np.ndarray) -> np.ndarray:
        """China's chance per decision of deciding on armed force at a stand-off with this
        score: ``deliberate_rate`` x logistic((score - threshold) / scale)."""
        p = self.p
        return p.deliberate_rate / (1.0 + np.exp(-(score - p.deliberate_threshold)
                                                 / p.deliberate_scale))

    def _decide_on_force(self) -> None:
        """At each running stand-off, China may decide on armed force (the 1974 and 1988
        clashes were decisions): the spot's ceiling becomes use of weapons and warships are
        sent, until the stand-off ends. One draw per hot spot from the stand-off stream."""
        m = self.model
        u = m.rng_standoff.random(self.score.size)
        chance = self.deliberate_chance(self.score)
        for h in np.flatnonzero(m.standoffs.active & (self.ceiling < ladder.WEAPONS)
                                & (u < chance)):
            self.ceiling[h] = ladder.WEAPONS
            m.standoffs.deliberate(int(h))
            self.navy[int(h)] = m.injects.surge("cn_navy", self.p.deliberate_navy,
                                                int(self.hotspots[h]))
            m.log_decision("CHN", "armed_force", ladder.WEAPONS,
                           f"{m.dst.slug[self.hotspots[h]]}: decision for armed force at a "
                           f"stand-off (score {self.score[h]:+.2f}, chance "
                           f"{float(chance[h]):.3f})")

    def standoff_over(self, h: int) -> None:
        """A stand-off ended: a ceiling set by a decision for force returns to ``roe_max``
        and the warships go home."""
        if self.ceiling[h] > self.p.roe_max:
            self.ceiling[h] = self.p.roe_max
        ids = self.navy.pop(h, None)
        if ids is not None:
            self.model.injects.stand_down(ids)
