"""The one module that imports Hydra's private API (``hydra._internal``, Hydra 1.3).

Everything else in this project imports these names from here, so that a Hydra upgrade that
moves them breaks one file. Each has no public counterpart in Hydra 1.3:

- ``get_args_parser``: the argument parser ``hydra.main`` builds (-m, --cfg, --config-dir,
  ...). The preflight parses a command line with it so that it reads the flags exactly as
  Hydra will. Replace with a public parser if Hydra ever exposes one.
- ``BasicSweeper``, ``BasicSweeperConf``: Hydra's basic sweeper. ``hydra_plugins/
  greyzone_sweeper`` subclasses it, and the sweep callback uses its ``split_arguments`` (the
  Cartesian product of the swept overrides, in Hydra's order) to predict the runs of a sweep.
  The public ``hydra.plugins.sweeper.Sweeper`` is only the abstract base: replacing this means
  writing the product and the batching in the plugin.
- ``get_overrides_dirname``: how Hydra names a job's folder (``hydra.job.override_dirname``)
  from its overrides; the sweep callback names the folders of jobs not yet started. Public
  only as ``HydraConfig.get().job.override_dirname`` inside a running job.
"""

import importlib

_WHERE = {"get_args_parser": "hydra._internal.utils",
          "BasicSweeper": "hydra._internal.core_plugins.basic_sweeper",
          "BasicSweeperConf": "hydra._internal.core_plugins.basic_sweeper",
          "get_overrides_dirname": "hydra._internal.config_loader_impl"}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    # Looked up at each import, not bound once: Hydra's plugin scan re-executes its plugin
    # modules (basic_sweeper too), so a BasicSweeper bound earlier would be a stale class that
    # the re-executed greyzone sweeper must not subclass.
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
