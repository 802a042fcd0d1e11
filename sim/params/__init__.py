"""The parameters: one home for every parameter (meaning, unit, default, ranges, source), its
checks, the parameter table, and composing configs as the command line does.

``schema`` declares the parameters, ``checks`` validates a composed config against them,
``docs`` prints the parameter table (``python -m sim.params``: docs/parameters.md) and
``ranges`` reads the ranges studies explore. Composing and checking command lines is in
``compose``, ``preflight`` and ``errors``.
"""

from .checks import to_params, validate
from .docs import main, parameter_table
from .ranges import discovery_range, plausible_range
from .schema import (HOTSPOT_INJECTS, ChinaConfig, Config, ConfigError, CooperationConfig,
                     EncounterConfig, InjectConfig, JapanConfig, RunConfig, ScenarioConfig,
                     SeaConfig, VietnamConfig, WeatherConfig, register)

__all__ = ["HOTSPOT_INJECTS", "ChinaConfig", "Config", "ConfigError", "CooperationConfig",
           "EncounterConfig", "InjectConfig", "JapanConfig", "RunConfig", "ScenarioConfig",
           "SeaConfig", "VietnamConfig", "WeatherConfig", "discovery_range", "main",
           "parameter_table", "plausible_range", "register", "to_params", "validate"]
