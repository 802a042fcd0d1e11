"""``simulate``: one run from a composed config, start to finish (the API's ``sim.run``)."""

from __future__ import annotations

import sys
import time

from sim.params import Config, to_params
from sim.world.model import GreyZoneModel


def simulate(cfg, progress: bool | None = None):
    """Run one simulation from a composed config; return a ``record.Run``."""
    from omegaconf import DictConfig

    p = to_params(cfg) if isinstance(cfg, DictConfig) else cfg
    if not isinstance(p, Config):
        raise TypeError("simulate() needs a composed config: use sim.compose([...])")
    t0 = time.perf_counter()
    model = GreyZoneModel(p)
    bar = _progress(p, progress, p.run.days * model.steps_per_day)
    while model.running:
        model.advance()  # Mesa's wrapped step() adds per-step logging cost the loop avoids
        if bar is not None and model.hour == 0:
            bar.update(model.steps_per_day)
    if bar is not None:
        bar.close()
    return model.recorder.finish(time.perf_counter() - t0)


def _progress(p, progress, total):
    if progress is None:
        mode = p.run.progress
        progress = mode == "on" or (mode == "auto" and sys.stderr.isatty() and p.run.days > 60)
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="step", desc=f"{p.scenario.name} seed {p.seed}", leave=False)
