"""Confidence-building needs two sides: a hotline / incident-at-sea code between China and
Vietnam exists only as far as China accepts it.

What is *offered* is Japan's support for the regime (``cooperation.hotline`` x Japan's CBM
level), or an agreed arrangement (the hotline inject: offered in full). At each of its
decisions China accepts or refuses by its own cost-balancing and its reading of the
programme: it accepts with chance

    logistic(cbm_accept_base − cbm_accept_score · max(0, mean score)
             − cbm_accept_visibility · visibility · cooperation level)

(an agreed arrangement counts as accepted while it is in force). The regime's level builds up
towards what is offered and accepted with time constant ``cbm_buildup_days`` and erodes by
``cbm_erosion`` per severe incident by Chinese government ships that Vietnam observed (a
violation). Japan's money supports the regime but cannot decree it: at a score China finds
high, or a programme it reads as balancing, the level stays low however much is offered.

The level is what the encounters use (``d_cbm`` restraint, the hotline's chance of talking an
exchange down, fewer miscalculations); while a regime is in force, breaking it costs China
``china.agreement_cost`` x the level.
"""

from __future__ import annotations

import math


class Agreement:
    def __init__(self, model):
        self.model = model
        self.level = 0.0
        self.accepted = False  # China's stance at its last decision
        self.agreed = False  # an agreed arrangement (hotline inject) is in force

    def start(self) -> None:
        """The level at day 0: built up since the programme began (``japan.start_offset_days``
        before), as the normative cost has -- what is offered, times China's chance of
        accepting at a neutral score, times the build-up over that time. Called once the
        model's levels exist."""
        c, j = self.model.p.cooperation, self.model.p.japan
        self.level = (self.offered() * self.acceptance(0.0)
                      * (1.0 - math.exp(-j.start_offset_days / c.cbm_buildup_days)))

    def offered(self) -> float:
        """What Japan's support (or an agreed arrangement) puts on the table, in [0, 1]."""
        m = self.model
        if self.agreed:
            return 1.0
        return m.p.cooperation.hotline * m.japan.cbm_level()

    def acceptance(self, mean_score: float) -> float:
        """China's chance of accepting the regime at this decision (module docstring)."""
        m, c = self.model, self.model.p.cooperation
        reading = m.japan.p.visibility * m.japan.cooperation_level(m.coordinated)
        u = c.cbm_accept_base - c.cbm_accept_score * max(0.0, mean_score) \
            - c.cbm_accept_visibility * reading
        return 1.0 / (1.0 + math.exp(-u))

    def decide(self, mean_score: float, violations: float, days: int) -> None:
        """China's decision (every ``china.decision_days``): accept or refuse, then the level
        builds up towards what is accepted and erodes by the period's violations."""
        m, c = self.model, self.model.p.cooperation
        offer = self.offered()
        if offer <= 0:
            self.accepted = False
        elif self.agreed:
            self.accepted = True
        else:
            self.accepted = bool(m.rng_standoff.random() < self.acceptance(mean_score))
        target = offer if self.accepted else 0.0
        self.level += (target - self.level) * (1.0 - math.exp(-days / c.cbm_buildup_days))
        self.level *= (1.0 - c.cbm_erosion) ** violations
        if offer > 0:
            m.log_decision("CHN", "cbm_accepted", float(self.accepted),
                           f"regime offered at {offer:.2f}; level {self.level:.2f} after "
                           f"{violations:.0f} observed violations")

    def agree(self, level: float) -> None:
        """An agreed arrangement takes effect (hotline inject): in force at ``level`` at once."""
        self.agreed = True
        self.level = max(self.level, level)

    def lapse(self) -> None:
        """The agreed arrangement ends: the level decays from now as China's stance allows."""
        self.agreed = False
