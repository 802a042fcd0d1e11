"""Hydra's basic sweeper without its serial re-composition of every job before launch.

The basic sweeper composes each job's config in the launching process, one after another,
before it launches the batch ("validate_batch_is_legal"), and the launcher's workers then compose
it again. With this model's config that is ~0.15-0.3 s per job during which no worker runs:
a minute of idle cores before a 450-run sweep starts. ``python -m sim`` has already checked every
value of every swept key before Hydra started (``sim.params.preflight``), so this sweeper
composes only the first job of each batch (a broken config still stops the sweep before any run)
and leaves the rest to the workers, in parallel. Otherwise it is the basic sweeper: the same
overrides, order, job numbers and folders.

Selected in ``configs/config.yaml`` (``override hydra/sweeper: greyzone``).
"""

# (No ``from __future__ import annotations``: Hydra loads plugin modules outside sys.modules,
# where dataclasses cannot resolve string annotations.)
from collections.abc import Sequence
from dataclasses import dataclass

from hydra.core.config_store import ConfigStore

from sim.params.hydra_private import BasicSweeper, BasicSweeperConf  # (no public basic sweeper)


@dataclass
class GreyzoneSweeperConf(BasicSweeperConf):
    _target_: str = "hydra_plugins.greyzone_sweeper.GreyzoneSweeper"


ConfigStore.instance().store(group="hydra/sweeper", name="greyzone", node=GreyzoneSweeperConf,
                             provider="greyzone-sim")


class GreyzoneSweeper(BasicSweeper):
    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        super().validate_batch_is_legal(batch[:1])
