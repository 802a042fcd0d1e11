"""Short distances on the model's grid: the flat-earth rule the kernels use (one place).

Within the tens of kilometres an encounter, a sensor or a force balance reaches, a degree of
latitude is ``KM_PER_DEG`` km and a degree of longitude that times the cosine of the latitude;
longer distances (EEZs, routes) use great circles (``grid.haversine_km``) or the route fields.
"""

from __future__ import annotations

import numpy as np
from numba import njit

KM_PER_DEG = 111.2  # km per degree of latitude (mean meridian degree, rounded)


def cell_km(resolution: float, lat: np.ndarray) -> float:
    """East-west width (km) of a grid cell at the sea's mean latitude: the unit of speed."""
    return float(resolution * KM_PER_DEG * np.cos(np.radians(lat.mean())))


@njit(cache=True, inline="always")
def flat_km2(lat0, lon0, coslat0, lat1, lon1):
    """Squared flat-earth distance (km²) from (lat0, lon0), whose cosine is ``coslat0``."""
    dy = (lat1 - lat0) * KM_PER_DEG
    dx = (lon1 - lon0) * KM_PER_DEG * coslat0
    return dx * dx + dy * dy
