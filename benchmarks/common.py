"""Shared pieces of the benchmarks: configs with scaled fleets, a phase-timed model, timers.

The phase timers live in ``TimedModel``, a subclass used only here: the engine itself carries no
timing code. Each phase's time is *exclusive* (time spent in a phase nested inside another, such
as recording incidents inside the encounter phase, is counted once, for the inner phase).
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: Default fleets (sim/params.py); scaled together to change the number of vessels.
FLEETS = {"china": {"coast_guard": 40, "militia": 300, "fishing": 200},
          "vietnam": {"coast_guard": 30, "fisheries_surveillance": 20, "fishing": 1000}}
DEFAULT_VESSELS = sum(sum(d.values()) for d in FLEETS.values())  # 1,590

PHASES = ("movement", "sensing", "encounters", "decisions", "recording")


def fleet_overrides(vessels: int) -> list[str]:
    """Overrides that scale every fleet by ``vessels / 1590`` (at least one hull per fleet)."""
    k = vessels / DEFAULT_VESSELS
    return [f"{state}.{kind}={max(1, round(n * k))}"
            for state, kinds in FLEETS.items() for kind, n in kinds.items()]


def params(overrides=()):
    import sim
    from sim import params as pm

    return pm.to_params(sim.compose(list(overrides)))


def machine() -> dict:
    import platform

    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return dict(cpu=_cpu_name(), cores=os.cpu_count(), python=platform.python_version(),
                load_1min=round(load[0], 2))


def _cpu_name() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or "?"


def versions() -> dict:
    from importlib.metadata import version

    return {p: version(p) for p in ("numpy", "numba", "mesa", "hydra-core")}


def timed_model_class():
    """``GreyZoneModel`` with exclusive timers around its phases (benchmarks only)."""
    from sim.world.model import GreyZoneModel

    class TimedModel(GreyZoneModel):
        def __init__(self, p):
            super().__init__(p)
            self.timers = PhaseTimers()
            rec, eye = self.recorder, self.sensing
            eye.look = self.timers.wrap("sensing", eye.look)  # presence, effort, detection
            eye.close_day = self.timers.wrap("sensing", eye.close_day)
            rec.incidents = self.timers.wrap("recording", rec.incidents)
            rec.close_day = self.timers.wrap("recording", rec.close_day)
            rec.finish = self.timers.wrap("recording", rec.finish)

        def new_day(self):  # weather, State decisions, deliveries, recalls, sorties
            self.timers.enter("decisions")
            try:
                super().new_day()
            finally:
                self.timers.leave()

        def sail(self):  # transit, loiter, arrivals, endurance checks
            self.timers.enter("movement")
            try:
                super().sail()
            finally:
                self.timers.leave()

        def meet(self, at_sea):  # candidates, engagement, the ladder, outcomes, fishers
            self.timers.enter("encounters")
            try:
                super().meet(at_sea)
            finally:
                self.timers.leave()

    return TimedModel


class PhaseTimers:
    """Exclusive time per phase: entering a nested phase pauses the enclosing one. Wall clock
    (``perf_counter``, 0.1 µs a reading; this machine's CPU-time clock costs 1 µs, which would
    weigh on a phase switched ten times a step): time spent waiting for a core falls on phases
    in proportion to their length, so the shares hold while the totals are noisier."""

    def __init__(self):
        self.total = {p: 0.0 for p in PHASES}
        self._stack: list[str] = []
        self._since = 0.0

    def enter(self, name: str) -> None:
        now = time.perf_counter()
        if self._stack:
            self.total[self._stack[-1]] += now - self._since
        self._stack.append(name)
        self._since = now

    def leave(self) -> None:
        now = time.perf_counter()
        self.total[self._stack.pop()] += now - self._since
        self._since = now

    def wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            self.enter(name)
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave()
        return timed


def run_model(p, timed: bool = False):
    """One run of ``p`` (the loop of ``sim.world.simulate.simulate``), with the phase timers if
    ``timed``. Returns the set-up time (building the model; the sea and route fields are cached
    per process), wall and CPU seconds of the steps and the tables, vessels and the summary."""
    from sim.world.model import GreyZoneModel

    cls = timed_model_class() if timed else GreyZoneModel
    gc.collect()
    t0 = time.perf_counter()
    model = cls(p)
    t_built, c_built = time.perf_counter(), time.thread_time()
    while model.running:
        model.advance()
    run = model.recorder.finish(time.perf_counter() - t_built)
    wall, cpu = time.perf_counter() - t_built, time.thread_time() - c_built
    out = dict(wall=wall, cpu=cpu, setup=t_built - t0, vessels=int(model.fleet.n),
               steps=model.step_count, summary=run.summary)
    if timed:
        out.update(phases=dict(model.timers.total))
    return out


def run_timed_year(p):
    return run_model(p, timed=True)


SPIN = "import time; t = time.perf_counter(); sum(i * i for i in range(12_000_000)); " \
       "print(time.perf_counter() - t)"


def parallel_capacity() -> float:
    """How many cores' worth of CPU this machine gives two processes right now: one CPU-bound
    process alone, then two at once; 2.0 on two free cores, about 1.0 if other work holds one."""
    import subprocess

    def spin(n: int) -> float:
        procs = [subprocess.Popen([sys.executable, "-c", SPIN], stdout=subprocess.PIPE,
                                  text=True) for _ in range(n)]
        return max(float(p.communicate()[0]) for p in procs)

    # Interleaved (alone, together, three times) and the best of each: a burst of other work,
    # or of a neighbour on the host, during one of them must not pass for the machine's state.
    alone, together = [], []
    for _ in range(3):
        alone.append(spin(1))
        together.append(spin(2))
    return round(2 * min(alone) / min(together), 2)


def emit(obj) -> None:
    """Print a JSON result line for the orchestrator (benchmarks/run.py)."""
    print("RESULT " + json.dumps(obj), flush=True)


def read_result(stdout: str):
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError("no RESULT line in benchmark output:\n" + stdout[-2000:])
