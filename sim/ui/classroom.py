"""The model as the app drives it: one Mesa step is one simulated day, levers are config keys."""

from __future__ import annotations

import copy
import dataclasses
import threading
from functools import lru_cache

from sim.params import to_params
from sim.params.compose import compose
from sim.params.scenarios import BASELINE
from sim.world.model import GreyZoneModel

_COMPOSE_LOCK = threading.Lock()  # Hydra's global state: one composition at a time


@lru_cache(maxsize=64)
def _params(overrides: tuple[str, ...]):
    """The typed config of a set of levers. Composing through Hydra costs a tenth of a second
    of the server per page load, and a class uses few lever sets: compose each once."""
    with _COMPOSE_LOCK:
        return to_params(compose(list(overrides)))


class ClassroomModel(GreyZoneModel):
    """The model as the app drives it: one Mesa step is one day.

    The keyword arguments are the app's levers; each maps to one config key (see
    ``overrides``). Everything else is the composed default of that scenario and sea.
    """

    def __init__(self, pathway: str = BASELINE, sea: str = "scs", japan_capacity: float = 0.25,
                 economic_cost: float = 0.2, risk_aversion: float = 0.5, roe_max: int = 6,
                 seed: int = 0, days: int = 365):
        self.days = int(days)
        #: The levers as the app passed them (the teacher's view lists them).
        self.levers = dict(pathway=pathway, sea=sea, japan_capacity=float(japan_capacity),
                           economic_cost=float(economic_cost),
                           risk_aversion=float(risk_aversion), roe_max=int(roe_max),
                           seed=int(seed))
        self.overrides = [
            f"sea={sea}", f"scenario={pathway}", f"japan.capacity={float(japan_capacity):.3g}",
            f"china.economic_cost={float(economic_cost):.3g}",
            f"vietnam.risk_aversion={float(risk_aversion):.3g}", f"china.roe_max={int(roe_max)}",
            f"seed={int(seed)}", f"run.days={self.days}", "run.progress=off"]
        # Composed without the seed (a seed changes no other parameter, and a class tries many),
        # then copied with it: each session's model owns its parameters.
        levers = tuple(o for o in self.overrides if not o.startswith("seed="))
        params = dataclasses.replace(_params(levers), seed=int(seed))
        super().__init__(copy.deepcopy(params))
        self.lock = threading.RLock()  # steps, inject buttons and drawing take turns
        self.student: str | None = None  # a label for the views (the model never reads it)

    def step(self) -> None:
        """One day: ``steps_per_day`` steps of the engine's phase list; at the end of the
        run (``GreyZoneModel.finished``) Mesa's ``running`` turns off and the play loop stops."""
        with self.lock:
            for _ in range(self.steps_per_day):
                self.advance()
