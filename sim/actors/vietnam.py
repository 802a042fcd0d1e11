"""Vietnam protects its fishermen: patrols go where its boats fish and where they were
harassed, and surge to a rig or survey ship in its waters, within the "Four No's" (its units
do not initiate force against government ships: engine/context.py)."""

from __future__ import annotations

import numpy as np

from sim.actors.state import StateAgent
from sim.engine.fleet import COAST_GUARD, VNM
from sim.engine.movement import GROUND, HOTSPOT


class Vietnam(StateAgent):
    flag = "VNM"

    def __init__(self, model, params):
        super().__init__(model)
        self.p = params.vietnam
        self.areas = model.vn_patrol_areas

    def decide(self) -> None:
        m, p = self.model, self.p
        boats, harassed = m.observer.vn_areas_view(days=p.decision_days)
        stakes = self.area_stakes()  # a rig or survey ship in Vietnam's waters
        weight = (1.0 + boats / max(1.0, boats.mean()) + p.harassed_weight * harassed
                  + p.surge_priority * stakes)
        prob = weight / weight.sum()
        gov = m.fleet.deployable(VNM, COAST_GUARD)
        surge = 1.0 + p.surge * (stakes.max() > 0)
        want = int(round(gov.size * min(1.0, p.gov_at_sea_share * surge)))
        rate = p.adjust_rate * (1 - m.p.cooperation.response_slowdown * m.p.japan.capacity)
        self.reassign(gov, self.areas, prob, want, rate)
        top = int(np.argmax(prob))
        m.log_decision("VNM", "patrol_allocation", round(float(prob[top]), 3),
                       f"most patrols to {m.dst.slug[self.areas[top]]}: {boats[top]:.0f} "
                       f"boats nearby, {harassed[top]:.0f} incidents against them")

    def area_stakes(self) -> np.ndarray:
        """Inject stakes at each patrol area (non-zero only at hot spots)."""
        m = self.model
        hs = list(m.dst.of_kind(HOTSPOT))
        stakes = m.stakes()
        return np.array([stakes[hs.index(a)] if a in hs else 0.0 for a in self.areas])

    def train_crews(self) -> None:
        """Crews' proficiency today: the base, a bonus on Japanese-built hulls, and Japan's
        training closing a share of the gap to 1."""
        m, f = self.model, self.model.fleet
        gov = f.of(VNM, COAST_GUARD)
        base = self.p.training + self.p.japan_built_bonus * f.japanese[: f.n]
        boost = self.p.training_closes * (1 - base) * m.japan.training_level()
        f.proficiency[: f.n][gov] = np.minimum(1.0, base + boost)[gov]


def patrol_areas(dst, layers) -> np.ndarray:
    """Where Vietnam patrols: the hot spots it is entitled to or that are contested, and the
    fishing grounds there or in the Spratlys (destination indices)."""
    hs = dst.of_kind(HOTSPOT)
    gr = dst.of_kind(GROUND)
    hs = hs[layers.vn_entitled[dst.cell[hs]] | layers.contested[dst.cell[hs]]]
    gr = gr[layers.vn_entitled[dst.cell[gr]] | layers.contested[dst.cell[gr]]
            | layers.spratly[dst.cell[gr]]]
    return np.concatenate([hs, gr])
