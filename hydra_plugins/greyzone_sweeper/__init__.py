"""Hydra's basic sweeper without its serial re-composition of every job before launch.

The basic sweeper composes each job's config in the launching process, one after another,
before it launches the batch ("validate_batch_is_legal"), and the launcher's workers then compose
it again. With this model's config that is ~0.15-0.3 s per job during which no worker runs:
a minute of idle cores before a 450-run sweep starts. ``python -m sim`` has already checked every
value of every swept key before Hydra started (``sim.params.preflight``), so this sweeper
composes only the first job of each batch (a broken config still stops the sweep before any run)
and leaves the rest to the workers, in parallel. Otherwise it is the basic sweeper: the same
overrides, order, job numbers and folders.

Three additions. Runs that differ only by ``seed`` go several to a job
(``hydra.sweeper.seeds_per_job``, default 8; each run in its own folder as before:
``sim.sweeps.replicates``), and the launcher's workers compose such jobs once
(``sim.sweeps.compose_cache``): together they save Hydra's ~0.1-0.2 s a run. And when every batch has returned, the runs of this sweep that another launcher
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
    seeds_per_job: int = 8


ConfigStore.instance().store(group="hydra/sweeper", name="greyzone", node=GreyzoneSweeperConf,
                             provider="greyzone-sim")


def seeds_per_job(most: int, n_runs: int, config) -> int:
    """Runs batched into a job: at most ``most``, and few enough that every worker of the
    launcher gets at least 4 jobs (a batch of 6 runs on 2 cores stays 6 jobs: batched into
    one it would leave a core idle). Workers: joblib's ``n_jobs`` (-1: every core), a SLURM
    array's ``array_parallelism``, else the machine's cores."""
    import os

    from omegaconf import OmegaConf

    workers = OmegaConf.select(config, "hydra.launcher.n_jobs", default=None)
    if workers is None:
        workers = OmegaConf.select(config, "hydra.launcher.array_parallelism", default=None)
    if not isinstance(workers, int) or workers <= 0:
        workers = os.cpu_count() or 1
    return max(1, min(int(most), n_runs // (4 * workers)))


class GreyzoneSweeper(BasicSweeper):
    def __init__(self, max_batch_size=None, params=None, wait_for_claimed=True,
                 seeds_per_job=8):
        super().__init__(max_batch_size=max_batch_size, params=params)
        self.wait_for_claimed = bool(wait_for_claimed)
        self.seeds_per_job = int(seeds_per_job)
        self.runs = []  # (overrides, run folder) of every run of the sweep, ungrouped

    def setup(self, *, hydra_context, task_function, config):
        # The launcher's workers compose the jobs that differ only by seed once each
        # (sim/sweeps/compose_cache.py): the same configs, without ~0.15 s of Hydra a job.
        from dataclasses import replace

        from sim.sweeps.compose_cache import SeedSharingConfigLoader

        shared = replace(hydra_context,
                         config_loader=SeedSharingConfigLoader(hydra_context.config_loader))
        super().setup(hydra_context=shared, task_function=task_function, config=config)

    def sweep(self, arguments):
        returns = super().sweep(arguments)
        if not self.wait_for_claimed:
            return returns
        from sim.sweeps.claimed import settle

        jobs = self.runs  # every run, also those that rode in another run's job
        next_idx = [sum(len(b) for b in returns)]

        def relaunch(batch):
            results = self.launcher.launch(batch, initial_job_idx=next_idx[0])
            next_idx[0] += len(batch)
            for r in results:
                _ = r.return_value  # a run that fails here too stops the sweep with its error
            returns.append(results)

        settle(jobs, relaunch, sweep_dir=self.config.hydra.sweep.dir)
        return returns

    def get_job_batch(self):
        # Runs that differ only by seed go several to a job (sim/sweeps/replicates.py), each
        # still in its own folder.
        from sim.sweeps.replicates import group_by_seed, job_dirs

        batch = super().get_job_batch()
        hc = self.config.hydra
        self.runs += job_dirs(batch, hc.sweep.dir, hc.job.config.override_dirname)
        return group_by_seed(batch, seeds_per_job(self.seeds_per_job, len(batch),
                                                  self.config))

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        super().validate_batch_is_legal(batch[:1])
