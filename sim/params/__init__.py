"""The schema: one home for every parameter (meaning, unit, default, range, source), its
checks, the parameter table, and composing configs as the command line does.

``python -m sim.params`` prints the parameter table (docs/parameters.md)."""

from .schema import (Config, ConfigError, CooperationConfig, ChinaConfig, EncounterConfig,
                     InjectConfig, JapanConfig, RunConfig, ScenarioConfig, SeaConfig,
                     VietnamConfig, WeatherConfig, main, parameter_table, register, to_params,
                     validate)

__all__ = ["Config", "ConfigError", "CooperationConfig", "ChinaConfig", "EncounterConfig",
           "InjectConfig", "JapanConfig", "RunConfig", "ScenarioConfig", "SeaConfig",
           "VietnamConfig", "WeatherConfig", "main", "parameter_table", "register", "to_params",
           "validate"]
