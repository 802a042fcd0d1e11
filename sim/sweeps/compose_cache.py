"""Compose a sweep's jobs that differ only by ``seed`` once per worker, not once per job.

Hydra composes every job's config from scratch in the worker that runs it (the defaults
list, every YAML file, the schema, the overrides): ~0.15-0.2 s a job on 2 cores, a sixth of
a one-year run. The jobs of a study differ mostly by ``seed``, which is one integer at the
root of the config and chooses no config group, so composing ``scenario=X,japan.capacity=Y``
once and setting the seed is the same config: this loader keeps, per worker process, the
first composition of each set of overrides without ``seed=`` and hands out copies with the
seed, the task overrides and ``hydra.job.override_dirname`` (the run folder's name) set as
Hydra would set them. Everything else is Hydra's own loader. ``tests/test_sweep.py`` holds the
copies equal to fresh compositions.

Installed by ``hydra_plugins/greyzone_sweeper`` for the launcher's workers (joblib's, the
local ones); a SLURM job composes one run per process, where there is nothing to share.
"""

from __future__ import annotations

import copy
from typing import Any

from hydra.core.config_loader import ConfigLoader
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, open_dict

from sim.sweeps.replicates import ENV, ENV_OVERRIDE, SEED, dirname

#: Per process: (config name, overrides without the seed) -> the composed config. Module
#: level, because the loader itself is pickled to the workers with every job.
_CACHE: dict[tuple, DictConfig] = {}


def _split(overrides: list[str]) -> tuple[tuple[str, ...], int | None, str | None]:
    """The overrides without the two that vary between a group's jobs -- the seed, and the
    other seeds of a batched job (``sim.sweeps.replicates``) -- and those two."""
    rest = tuple(o for o in overrides if not o.startswith((SEED, ENV_OVERRIDE)))
    seeds = [o for o in overrides if o.startswith(SEED)]
    riders = [o for o in overrides if o.startswith(ENV_OVERRIDE)]
    if len(seeds) != 1 or len(riders) > 1:
        return rest, None, None
    try:
        seed = int(seeds[0][len(SEED):])
    except ValueError:  # not a plain integer (Hydra will say what is wrong): no sharing
        return rest, None, None
    return rest, seed, (riders[0] if riders else None)


def _value(rider: str) -> str:
    """The value of a ``hydra.job.env_set`` override, as Hydra parses it."""
    return str(OverridesParser.create().parse_override(rider).value())


class SeedSharingConfigLoader(ConfigLoader):
    """Hydra's config loader, sharing one composition among jobs that differ by seed."""

    def __init__(self, inner: ConfigLoader):
        self.inner = inner

    def load_sweep_config(self, master_config: DictConfig, sweep_overrides: list[str]
                          ) -> DictConfig:
        rest, seed, rider = _split(list(sweep_overrides))
        if seed is None:
            return self.inner.load_sweep_config(master_config, list(sweep_overrides))
        key = (str(master_config.hydra.job.config_name), rest)
        base = _CACHE.get(key)
        if base is None:
            base = self.inner.load_sweep_config(master_config, list(sweep_overrides))
            _CACHE[key] = copy.deepcopy(base)
            return base
        cfg = copy.deepcopy(base)
        with open_dict(cfg):
            cfg.seed = seed
            task = [f"{SEED}{seed}" if o.startswith(SEED) else o
                    for o in cfg.hydra.overrides.task]
            cfg.hydra.overrides.task = task
            hydra_side = [o for o in cfg.hydra.overrides.hydra if not o.startswith(ENV_OVERRIDE)]
            cfg.hydra.overrides.hydra = hydra_side + ([rider] if rider else [])
            cfg.hydra.job.env_set.pop(ENV, None)
            if rider:
                cfg.hydra.job.env_set[ENV] = _value(rider)
            cfg.hydra.job.override_dirname = dirname(task, cfg.hydra.job.config.override_dirname)
        return cfg

    # The rest is Hydra's.
    def load_configuration(self, *args: Any, **kwargs: Any) -> DictConfig:
        return self.inner.load_configuration(*args, **kwargs)

    def get_search_path(self) -> Any:
        return self.inner.get_search_path()

    def get_sources(self) -> Any:
        return self.inner.get_sources()

    def list_groups(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.list_groups(*args, **kwargs)

    def get_group_options(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.get_group_options(*args, **kwargs)

    def compute_defaults_list(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.compute_defaults_list(*args, **kwargs)
