"""The calendar: dates, China's summer fishing moratorium, and the weather.

Weather is a daily sea state per region (north / south of 12°N): 0 calm, 1 rough (small craft
stay in port), 2 severe (gales, typhoons: cutters leave station too). Monthly chances come
from the config (FACTS §4: north-east monsoon Nov–Mar, typhoons Jun–Nov); ``persistence``
makes spells. The weather has its own random stream, so two scenarios with the same seed
sail through the same weather (common random numbers).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

CALM, ROUGH, SEVERE = 0, 1, 2
MORATORIUM = ((5, 1), (8, 16))  # 12:00 1 May - 12:00 16 Aug (FACTS §4); whole days here


def moratorium_active(date: dt.date) -> bool:
    (m0, d0), (m1, d1) = MORATORIUM
    return dt.date(date.year, m0, d0) <= date < dt.date(date.year, m1, d1)


class Weather:
    def __init__(self, cfg, rng: np.random.Generator):
        self.cfg, self.rng = cfg, rng
        self.state = np.array([CALM, CALM], np.int8)  # north, south

    def next_day(self, date: dt.date) -> np.ndarray:
        m = date.month - 1
        c = self.cfg
        p_severe = np.array([c.severe_north[m], c.severe_south[m]])
        p_rough = np.array([c.rough_north[m], c.rough_south[m]])
        u = self.rng.random(2)
        fresh = np.where(u < p_severe, SEVERE, np.where(u < p_severe + p_rough, ROUGH, CALM))
        # Yesterday's sea state carries over with chance ``persistence`` (spells of weather);
        # otherwise a fresh draw. Either way the long-run share of rough and severe days in a
        # month equals its configured chance.
        keep = self.rng.random(2) < c.persistence
        self.state = np.where(keep, self.state, fresh).astype(np.int8)
        return self.state
