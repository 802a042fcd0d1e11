"""Hydra's basic sweeper without its serial re-composition of every job before launch.

The basic sweeper composes each job's config in the launching process, one after another,
before it launches the batch ("validate_batch_is_legal"), and the launcher's workers then compose
it again. With this model's config that is ~0.15-0.3 s per job during which no worker runs:
a minute of idle cores before a 450-run sweep starts. ``python -m sim`` has already checked every
value of every swept key before Hydra started (``sim.params.preflight``), so this sweeper
composes only the first job of each batch (a broken config still stops the sweep before any run)
and leaves the rest to the workers, in parallel. Otherwise it is the basic sweeper: the same
overrides, order, job numbers and folders.

One addition: when every batch has returned, the runs of this sweep that another launcher
holds (a job skips a run claimed by a live process, ``sim.base.claims``) are waited for, and
those another launcher left unfinished (killed, or failed there) are launched once more here
(``sim.sweeps.claimed.settle``), so that the sweep ends with all its runs finished and
``results.parquet`` complete. ``hydra.sweeper.wait_for_claimed=false`` ends the sweep at once
instead (the callback then names the runs still running elsewhere).

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
    wait_for_claimed: bool = True


ConfigStore.instance().store(group="hydra/sweeper", name="greyzone", node=GreyzoneSweeperConf,
                             provider="greyzone-sim")


class GreyzoneSweeper(BasicSweeper):
    def __init__(self, max_batch_size=None, params=None, wait_for_claimed=True):
        super().__init__(max_batch_size=max_batch_size, params=params)
        self.wait_for_claimed = bool(wait_for_claimed)

    def sweep(self, arguments):
        returns = super().sweep(arguments)
        if not self.wait_for_claimed:
            return returns
        from sim.sweeps.claimed import run_dir_of, settle

        jobs = [(list(r.overrides or ()), d) for batch in returns for r in batch
                if (d := run_dir_of(r)) is not None]
        next_idx = [sum(len(b) for b in returns)]

        def relaunch(batch):
            results = self.launcher.launch(batch, initial_job_idx=next_idx[0])
            next_idx[0] += len(batch)
            for r in results:
                _ = r.return_value  # a run that fails here too stops the sweep with its error
            returns.append(results)

        settle(jobs, relaunch, sweep_dir=self.config.hydra.sweep.dir)
        return returns

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        super().validate_batch_is_legal(batch[:1])
