"""Replicates batched into one job: the runs of a sweep that differ only by ``seed`` run
several to a job, each in its own run folder.

A Hydra job costs ~0.1-0.2 s of Hydra beyond the run (composing the config, copying it,
writing ``.hydra/``, logging), about a fifth of a one-year run on 2 cores. The sweeper
(``hydra_plugins/greyzone_sweeper``, ``hydra.sweeper.seeds_per_job``, default 8) groups the
jobs that differ only by ``seed`` into batches; a batch is launched as its first run's job,
told the other seeds in one override of Hydra's own (``hydra.job.env_set.<ENV>``, which Hydra
sets as an environment variable while the job runs, and which does not enter the run
folder's name). ``python -m sim`` then runs the first seed in Hydra's folder and each other
seed in the folder Hydra would have given its job (``replicate_dir``), with that folder's
``.hydra/config.yaml``, ``overrides.yaml`` and ``hydra.yaml`` written as Hydra writes them. So
every replicate has its own folder, files, claim and ``results.parquet`` row, exactly as
unbatched; a killed batch leaves its later seeds unstarted, and a re-run does them.
``hydra.sweeper.seeds_per_job=1`` launches one job per run.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

#: The environment variable (set by Hydra from ``hydra.job.env_set``) naming a job's other
#: seeds, separated by ``SEP``.
ENV = "GREYZONE_REPLICATE_SEEDS"
SEP = ":"
SEED = "seed="
ENV_OVERRIDE = f"+hydra.job.env_set.{ENV}="


def _key(job: Sequence[str]) -> tuple[tuple[str, ...], int | None]:
    """A job's overrides without its seed, and its seed (None: no single integer seed)."""
    rest = tuple(o for o in job if not o.startswith(SEED))
    seeds = [o[len(SEED):] for o in job if o.startswith(SEED)]
    if len(seeds) != 1:
        return rest, None
    try:
        return rest, int(seeds[0])
    except ValueError:
        return rest, None


def group_by_seed(batch: Sequence[Sequence[str]], seeds_per_job: int) -> list[list[str]]:
    """The jobs of ``batch`` grouped: jobs that differ only by their (integer) seed, up to
    ``seeds_per_job`` to a job, in the order of each group's first job; the other seeds of a
    group ride in one ``hydra.job.env_set`` override. Jobs without an integer seed stay alone."""
    if seeds_per_job <= 1:
        return [list(j) for j in batch]
    groups: dict[tuple, list[tuple[list[str], int]]] = {}
    order: list = []
    for i, job in enumerate(batch):
        rest, seed = _key(job)
        key = rest if seed is not None else ("#alone", i)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((list(job), seed))
    out = []
    for key in order:
        members = groups[key]
        for k in range(0, len(members), seeds_per_job):
            chunk = members[k:k + seeds_per_job]
            first = list(chunk[0][0])
            if len(chunk) > 1:
                others = SEP.join(str(s) for _, s in chunk[1:])
                first.append(f"{ENV_OVERRIDE}'{others}'")
            out.append(first)
    return out


def other_seeds() -> list[int]:
    """This job's other seeds (none unless the sweeper batched it)."""
    text = os.environ.get(ENV, "").strip()
    return [int(s) for s in text.split(SEP)] if text else []


def with_seed(task: Sequence[str], seed: int) -> list[str]:
    """A job's task overrides with its seed replaced."""
    return [f"{SEED}{seed}" if o.startswith(SEED) else str(o) for o in task]


def dirname(task: Sequence[str], od_config) -> str:
    """The run folder's name Hydra gives a job with these task overrides
    (``hydra.job.override_dirname`` under ``hydra.job.config.override_dirname``)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    from sim.params.hydra_private import get_overrides_dirname

    return get_overrides_dirname(OverridesParser.create().parse_overrides(list(task)),
                                 list(od_config.exclude_keys), od_config.item_sep,
                                 od_config.kv_sep)


def replicate_dir(sweep_dir: Path, task: Sequence[str], seed: int, od_config) -> Path:
    return Path(sweep_dir) / dirname(with_seed(task, seed), od_config)


def job_dirs(batch: Sequence[Sequence[str]], sweep_dir: Path, od_config
             ) -> list[tuple[list[str], Path]]:
    """(overrides, run folder) of every run of an ungrouped batch (for the sweep's end)."""
    return [(list(j), Path(sweep_dir) / dirname(j, od_config)) for j in batch]
