"""The parameters: one home for every parameter (meaning, unit, default, range, source), its
checks, the parameter table, and composing configs as the command line does.

``schema`` declares the parameters, ``checks`` validates a composed config against them,
``docs`` prints the parameter table (``python -m sim.params``: docs/parameters.md); composing
and checking command lines is in ``compose``, ``preflight`` and ``errors``.
"""

from .checks import to_params, validate
from .docs import main, parameter_table
from .schema import (Config, ConfigError, CooperationConfig, ChinaConfig, EncounterConfig,
                     InjectConfig, JapanConfig, RunConfig, ScenarioConfig, SeaConfig,
                     VietnamConfig, WeatherConfig, register)

__all__ = ["Config", "ConfigError", "CooperationConfig", "ChinaConfig", "EncounterConfig",
           "InjectConfig", "JapanConfig", "RunConfig", "ScenarioConfig", "SeaConfig",
           "VietnamConfig", "WeatherConfig", "main", "parameter_table", "register", "to_params",
           "validate"]
