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
from typing import Any

from sim.params.declare import P  # noqa: F401  (re-exported: where parameters are declared)
from sim.params.mechanics import (EncounterConfig, FishersConfig, SensingConfig, VesselsConfig,
                                  WeatherConfig)
from sim.params.relations import CooperationConfig, StandoffConfig
from sim.params.states import ChinaConfig, JapanConfig, VietnamConfig


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
    standoff: StandoffConfig = field(default_factory=StandoffConfig)
    encounter: EncounterConfig = field(default_factory=EncounterConfig)
    weather: WeatherConfig = field(default_factory=WeatherConfig)
    fishers: FishersConfig = field(default_factory=FishersConfig)
    vessels: VesselsConfig = field(default_factory=VesselsConfig)
    sensing: SensingConfig = field(default_factory=SensingConfig)
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
