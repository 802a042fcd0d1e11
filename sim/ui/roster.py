"""The class: the students' runs in this app process, for the teacher's view and its CSV.

A student types a name (no accounts); their run is kept here under the browser's session (a
cookie Solara sets) and that name, so that a page reload finds it again (the name travels in
the page's address, ``?student=NAME``) and a second browser typing the same name gets a run
of its own. The roster only reads the models, under each model's lock: it never changes what
they do. It lives in memory: when the app restarts, the class starts again, and a student
coming back is told so.
"""

from __future__ import annotations

import csv
import io
import threading
import time
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from sim.engine.ladder import SEVERE

MAX_NAME = 40  # characters of a student's name
MAX_SEATS = 200  # runs kept at most; the longest idle goes first (memory of a laptop)
COLUMNS = ["name", "scenario", "japan_capacity", "economic_cost", "risk_aversion", "roe_max",
           "sea", "seed", "day", "days", "incidents", "severe_incidents", "injects",
           "crisis_day", "resets", "idle_minutes"]


def check_name(text: str | None) -> tuple[str | None, str | None]:
    """A student's name, tidied, or why it cannot be used (one line, the fix in it)."""
    name = " ".join((text or "").split())
    if not name:
        return None, "Type your name (1 to 40 characters) so that your teacher finds your run."
    if len(name) > MAX_NAME:
        return None, f"That name has {len(name)} characters; use at most {MAX_NAME}."
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        return None, "Use letters, digits, spaces and punctuation only in your name."
    return name, None


@dataclass
class Seat:
    """One student's place in the class: who, and the run they are looking at now."""

    session: str
    name: str
    model: object
    joined: float = field(default_factory=time.time)
    seen: float = field(default_factory=time.time)
    resets: int = 0


class Roster:
    def __init__(self):
        self._lock = threading.Lock()
        self._seats: dict[tuple[str, str], Seat] = {}

    def find(self, session: str, name: str | None) -> Seat | None:
        with self._lock:
            return self._seats.get((session, name)) if name else None

    def join(self, session: str, name: str, model) -> Seat:
        """Seat ``name`` with ``model`` (the same browser and name again: the seat is kept)."""
        with self._lock:
            seat = self._seats.get((session, name))
            if seat is None:
                seat = self._seats[(session, name)] = Seat(session, name, model)
                self._evict()
            elif seat.model is not model:
                seat.model = model
            seat.seen = time.time()
            return seat

    def follow(self, seat: Seat, model) -> None:
        """The student pressed Reset: the seat now shows the new run."""
        with self._lock:
            if seat.model is not model:
                seat.model, seat.resets = model, seat.resets + 1
            seat.seen = time.time()

    def touch(self, seat: Seat) -> None:
        seat.seen = time.time()

    def _evict(self) -> None:
        while len(self._seats) > MAX_SEATS:
            oldest = min(self._seats, key=lambda k: self._seats[k].seen)
            del self._seats[oldest]

    def seats(self) -> list[Seat]:
        with self._lock:
            return sorted(self._seats.values(), key=lambda s: (s.name.lower(), s.joined))

    def clear(self) -> None:
        with self._lock:
            self._seats.clear()

    def rows(self) -> list[dict]:
        """One row per student, in ``COLUMNS`` order."""
        return [row(seat) for seat in self.seats()]


def injects_fired(model) -> list[str]:
    return [f"{e.kind} at {e.hotspot} day {e.day}" for e in model.injects.events
            if e.day <= model.day]


def row(seat: Seat) -> dict:
    m = seat.model
    with m.lock:  # a consistent picture of a run that may be stepping
        rung = np.zeros(8, int)
        for r in m.recorder.day_rows:
            rung += [r[f"incidents_rung_{k}"] for k in range(8)]
        lev = m.levers
        return {"name": seat.name, "scenario": lev["pathway"],
                "japan_capacity": lev["japan_capacity"], "economic_cost": lev["economic_cost"],
                "risk_aversion": lev["risk_aversion"], "roe_max": lev["roe_max"],
                "sea": lev["sea"], "seed": lev["seed"], "day": m.day, "days": m.days,
                "incidents": int(rung.sum()), "severe_incidents": int(rung[SEVERE:].sum()),
                "injects": "; ".join(injects_fired(m)), "crisis_day": m.crisis_day,
                "resets": seat.resets, "idle_minutes": round((time.time() - seat.seen) / 60, 1)}


def to_csv(rows: list[dict]) -> str:
    """The class as CSV (one row per student, a header line first)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r[k] is None else r[k]) for k in COLUMNS})
    return buf.getvalue()


#: The class of this app process (one per server: the teacher's laptop).
CLASS = Roster()
