"""The end of a sweep that shares its folder with other launchers (``docs/sweeps.md``, "Two
launchers on one folder").

A job skips a run that another live launcher has claimed (``sim.base.claims``), so when this
sweep's jobs have all returned, some of its runs may still be running elsewhere. Before the
sweep ends (and the callback gathers ``results.parquet``), ``settle`` waits for them, and runs
here, through the same launcher, any of them whose launcher stopped without finishing them (a
stale claim: killed; or no claim: it failed there). So a sweep that ends normally has every
one of its runs finished once, whoever ran it. Ctrl-C stops the waiting: the runs go on
elsewhere, and the callback says so.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sim.base import claims
from sim.record.run import is_finished

#: A run left unfinished by other launchers is run here at most this many times.
MAX_RELAUNCH = 2


def run_dir_of(job_return) -> Path | None:
    """The run folder of a Hydra ``JobReturn`` (None if it does not say)."""
    try:
        return Path(str(job_return.hydra_cfg.hydra.runtime.output_dir))
    except AttributeError:
        return None


def elsewhere(run_dirs: Sequence[Path]) -> dict[Path, claims.Holder]:
    """Unfinished runs among ``run_dirs`` that a live process holds, with their holders."""
    out = {}
    for d in run_dirs:
        if not is_finished(d):
            h = claims.live_holder(d)
            if h is not None:
                out[d] = h
    return out


def _who(holders) -> str:
    return claims.holders_label(holders, 4)


def settle(jobs: Sequence[tuple[Sequence[str], Path]],
           relaunch: Callable[[list[list[str]]], object], sweep_dir: Path | str = "",
           poll_s: float = 1.0, stream=None) -> list[Path]:
    """Wait for the runs of ``jobs`` ((overrides, run folder) pairs) held by other live
    launchers; ``relaunch`` (a list of override lists) those left unfinished and unheld.
    Return the runs still unfinished (each relaunched ``MAX_RELAUNCH`` times already)."""
    stream = stream or sys.stderr
    tries: dict[Path, int] = {}
    told: set[Path] = set()
    done: set[Path] = set()
    while True:
        done |= {d for _, d in jobs if d not in done and is_finished(d)}
        pending = [(list(ov), d) for ov, d in jobs if d not in done]
        if not pending:
            return []
        held = elsewhere([d for _, d in pending])
        orphans = [(ov, d) for ov, d in pending
                   if d not in held and tries.get(d, 0) < MAX_RELAUNCH]
        if orphans:
            gone = [h for _, d in orphans if (h := claims.read(d)) is not None]
            why = f" ({_who(gone)}: gone)" if gone else ""
            print(f"sweep: {len(orphans)} run(s) left unfinished by another launcher{why}; "
                  f"running them here", file=stream, flush=True)
            for _, d in orphans:
                tries[d] = tries.get(d, 0) + 1
            relaunch([ov for ov, _ in orphans])
            continue
        if not held:
            return [d for _, d in pending]  # relaunched enough: left to the user
        new = set(held) - told
        if new:
            print(f"sweep: waiting for {len(held)} run(s) claimed by other launchers "
                  f"({_who(held.values())}); Ctrl-C stops waiting (they go on there; "
                  f"then python -m sim.gather {sweep_dir or 'SWEEP_DIR'})", file=stream,
                  flush=True)
            told |= set(held)
        time.sleep(poll_s)
