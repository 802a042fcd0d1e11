"""Grey-zone escalation at sea: an agent-based model of the South China Sea contest.

Public API (CONTRACT.md):
    sim.compose(overrides) -> DictConfig     the config the command line would run
    sim.run(cfg) -> Run                      one simulation: tables, summary, .save(path)
    sim.build_sea(cfg) -> Sea                the gridded sea; Sea.at(lat, lon) -> dict
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("greyzone-sim")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

from sim.params.compose import compose  # noqa: E402
from sim.sea import build_sea  # noqa: E402


def run(cfg, progress: bool | None = None):
    """Run one simulation for a composed config (DictConfig or typed params.Config)."""
    from sim.world.simulate import simulate

    return simulate(cfg, progress=progress)


__all__ = ["compose", "run", "build_sea", "__version__"]
