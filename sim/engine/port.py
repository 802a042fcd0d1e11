"""Harbour routines: turnaround in port, sailing when ready and the weather allows, coming
home from bad weather, and the release of detained boats."""

from __future__ import annotations

import numpy as np

from sim.engine.fleet import (ACTIVE, COAST_GUARD, DETAINED, FISHING, IN_PORT, KINDS, MILITIA,
                              WEATHER_LIMIT)
from sim.engine.movement import recall, send


def turnaround_days(h) -> np.ndarray:
    """Days in port between patrols or trips, by vessel kind (``h``: the ``vessels`` parameters)."""
    days = {COAST_GUARD: h.turnaround_coast_guard_days, MILITIA: h.turnaround_militia_days,
            FISHING: h.turnaround_fishing_days}
    return np.array([days.get(k, h.turnaround_other_days) for k in range(len(KINDS))])


def region_weather(sea_state: np.ndarray, north: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Today's sea state at each cell (two regions: north and south of 12°N)."""
    return np.where(north[cells], sea_state[0], sea_state[1])


def weather_recall(fleet, sea_state: np.ndarray, north: np.ndarray) -> None:
    """Vessels at sea in weather beyond their kind's limit head home."""
    f = fleet
    ids = np.flatnonzero(f.at_sea)
    bad = region_weather(sea_state, north, f.cell[ids]) >= WEATHER_LIMIT[f.kind[ids]]
    recall(f, ids[bad])


def ready_to_sail(fleet, step: int, steps_per_day: int, turnaround: np.ndarray,
                  sea_state: np.ndarray, north: np.ndarray) -> np.ndarray:
    """Ids of hulls in port whose turnaround is over and whose weather allows sailing; hulls
    just in start their turnaround (``turnaround``: days by kind, ``turnaround_days``)."""
    f, n = fleet, fleet.n
    in_port = f.active & (f.task[:n] == IN_PORT)
    fresh = in_port & (f.port_until[:n] < 0)
    f.port_until[:n][fresh] = step + turnaround[f.kind[:n][fresh]] * steps_per_day
    ready = np.flatnonzero(in_port & ~fresh & (f.port_until[:n] <= step))
    return ready[region_weather(sea_state, north, f.cell[ready]) < WEATHER_LIMIT[f.kind[ready]]]


def sail_government(fleet, ready: np.ndarray) -> None:
    """Government ships with a station sail to it, fuel and crew time full."""
    f = fleet
    gov = ready[(f.kind[ready] != FISHING) & (f.assigned[ready] >= 0)]
    send(f, gov, f.assigned[gov])
    f.hours_left[gov] = f.endurance_h[gov]


def release_detained(fleet, step: int, home_cells: np.ndarray) -> None:
    """Detained hulls whose time is up are back in their home port (``home_cells``: the cell
    of each destination index)."""
    f, n = fleet, fleet.n
    out = np.flatnonzero((f.status[:n] == DETAINED) & (f.release_step[:n] <= step))
    f.status[out] = ACTIVE
    f.task[out] = IN_PORT
    f.cell[out] = home_cells[f.home[out]]
    f.port_until[out] = -1
