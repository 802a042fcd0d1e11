"""The model as the app drives it: one Mesa step is one simulated day, levers are config keys."""

from __future__ import annotations

import copy
import dataclasses
import threading
from functools import lru_cache

from omegaconf import OmegaConf

from sim.params import to_params
from sim.params.compose import compose
from sim.params.scenarios import BASELINE
from sim.world.model import GreyZoneModel

_COMPOSE_LOCK = threading.Lock()  # Hydra's global state: one composition at a time


@lru_cache(maxsize=16)
def _composed(groups: tuple[str, ...]):
    """The config of a sea and scenario (config groups: Hydra must compose them). Composing
    costs the server 0.07-0.1 s, a page load's budget, so it happens once per pair."""
    with _COMPOSE_LOCK:
        return compose(list(groups))


@lru_cache(maxsize=128)
def _params(groups: tuple[str, ...], values: tuple[tuple[str, object], ...]):
    """The typed config of a set of levers: the composed groups with the levers' values set
    (plain keys: what Hydra's ``key=value`` overrides would set; a test holds the two equal)."""
    cfg = copy.deepcopy(_composed(groups))
    for key, value in values:
        OmegaConf.update(cfg, key, value)
    return to_params(cfg)


def warm(sea: str = "scs", days: int = 365) -> None:
    """Do the server's one-off work ahead of the students (the app's server calls it in a
    thread at start): compose every scenario of ``sea`` (a class spreads over the pathways),
    load the compiled kernels (a first day) and draw the sea's picture; otherwise each lands
    on some student's page load or first Step."""
    from sim.params.scenarios import names
    from sim.ui import map_view

    for pathway in names():
        _composed((f"sea={sea}", f"scenario={pathway}", f"run.days={days}", "run.progress=off"))
    model = ClassroomModel(sea=sea, days=days)
    model.step()
    map_view.picture(model)


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
        # The seed changes no other parameter, and a class tries many: set after the rest.
        # A copy: each session's model owns its parameters.
        groups = (f"sea={sea}", f"scenario={pathway}", f"run.days={self.days}",
                  "run.progress=off")  # (as in ``warm``)
        values = (("japan.capacity", float(japan_capacity)),
                  ("china.economic_cost", float(economic_cost)),
                  ("vietnam.risk_aversion", float(risk_aversion)),
                  ("china.roe_max", int(roe_max)))
        params = dataclasses.replace(_params(groups, values), seed=int(seed))
        super().__init__(copy.deepcopy(params))
        self.lock = threading.RLock()  # steps, inject buttons and drawing take turns
        self.student: str | None = None  # a label for the views (the model never reads it)

    def step(self) -> None:
        """One day: ``steps_per_day`` steps of the engine's phase list; at the end of the
        run (``GreyZoneModel.finished``) Mesa's ``running`` turns off and the play loop stops."""
        with self.lock:
            for _ in range(self.steps_per_day):
                self.advance()
