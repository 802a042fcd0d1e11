"""Geography: the gridded sea the model runs on (see grid.Sea for the layers)."""

from __future__ import annotations

from functools import lru_cache

from .grid import STATES, Feature, Port, RadarStation, Sea, haversine_km

__all__ = ["STATES", "Feature", "Port", "RadarStation", "Sea", "build_sea", "haversine_km"]


@lru_cache(maxsize=8)
def _build(name: str, resolution: float, spratly_treatment: str) -> Sea:
    if name == "toy":
        from .toy import build_toy

        return build_toy(resolution)
    if name == "scs":
        from .scs import build_scs

        return build_scs(resolution, spratly_treatment)
    raise ValueError(f"sea.name={name!r} is unknown; choose scs or toy")


def build_sea(cfg) -> Sea:
    """The sea for a config (a full config, its ``sea`` node, or a typed SeaConfig).

    Cached per process: a sweep worker builds each sea once. Treat the result as read-only.
    """
    sea_cfg = getattr(cfg, "sea", cfg)
    return _build(str(sea_cfg.name), float(sea_cfg.resolution),
                  str(getattr(sea_cfg, "spratly_treatment", "award")))
