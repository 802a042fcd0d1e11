"""The engine's kernels against an idiomatic Mesa model of the same rule, side by side.

The rule (both sides): 1,590 vessels (540 Chinese, 1,050 Vietnamese, as the default fleets) on
the real sea at 0.1°. Each vessel heads for a destination (a hot spot or fishing ground) and,
each hour:

1. with chance 1/168 picks a new destination at random;
2. in transit, moves one cell along the destination's route field (``Destinations.next_hop``, the
   table form of the engine's own shortest-route fields); on reaching the destination's radius it is on
   station; on station, it picks one cell of its 3×3 block at random (its own included) and moves
   there if that cell is water inside the station's radius;
3. counts the vessels of the other flag in its 3×3 block (its own cell included): encounters.

*Idiomatic Mesa* (``MesaSea``): vessels are ``mesa.discrete_space.CellAgent``s on the
``OrthogonalMooreGrid`` built by ``Sea.to_mesa_grid()``, stepped with
``AgentSet.shuffle_do("step")``; each agent does 1-3 in its ``step`` (Python, one agent at a
time, in random order).

*The engine's kernels* (``KernelSea``): the same arrays the engine uses, moved by
``sim.engine.movement._move_kernel`` (credit reset each hour and a speed of 18 km/h, between the
longest hop, 15.7 km, and twice the shortest, 20.1 km, so that a vessel in transit moves exactly
one cell an hour; loiter chance 1) and counted by the engine's encounter search
``sim.engine.meetings._pairs_kernel`` (every vessel an actor, every opposing pair in range a
candidate), on the neighbourhood table the engine builds for a one-cell range. Steps 1 and 2
happen for all vessels, then 3 (synchronous update); Mesa updates one agent after another.
Because vessels move independently of each other, both give the same expected encounter rate,
and the benchmark checks that they do.

Run: ``python benchmarks/mesa_reference.py [--days 3] [--reps 5]``; prints a RESULT line.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from common import emit, params

RETARGET = 1.0 / 168  # chance per hour of picking a new destination
SPEED = 18.0  # km/h: exactly one hop per hour at 0.1° (see the module docstring)
FLAGS = (540, 1050)  # Chinese, Vietnamese vessels (the default fleets)


def setup(sea, dst, seed: int):
    """The same start for both models: every vessel on station at a random destination (a
    random water cell inside its radius), close to the steady state of the rule."""
    rng = np.random.default_rng(seed)
    stations = np.flatnonzero(dst.kind != 1)  # hot spots and fishing grounds (not ports)
    reach = np.isfinite(dst.dist[stations]).all(axis=0) & sea.water.ravel()
    n = sum(FLAGS)
    dests = rng.choice(stations, n)
    cells = np.empty(n, np.int64)
    for s in stations:
        inside = np.flatnonzero(reach & (dst.dist[s] <= max(dst.radius_km[s], 1.0)))
        mine = np.flatnonzero(dests == s)
        cells[mine] = rng.choice(inside, mine.size)
    flags = np.repeat([0, 1], FLAGS).astype(np.int8)
    return stations, cells, flags, dests.astype(np.int64)


# --------------------------------------------------------------------------- idiomatic Mesa
def mesa_model_class():
    import mesa
    from mesa.discrete_space import CellAgent

    class Vessel(CellAgent):
        def __init__(self, model, cell, flag, dest):
            super().__init__(model)
            self.cell = cell
            self.flag = flag
            self.dest = dest
            self.on_station = True  # (see setup)

        def step(self):
            m = self.model
            if self.random.random() < RETARGET:
                self.dest = self.random.choice(m.stations)
                self.on_station = False
            here = self.cell.coordinate[0] * m.nx + self.cell.coordinate[1]
            if self.on_station:
                c = self.cell.get_neighborhood(include_center=True).select_random_cell()
                there = c.coordinate[0] * m.nx + c.coordinate[1]
                if c.water and m.dist[self.dest, there] <= max(m.radius[self.dest], 1.0):
                    self.cell = c
            else:
                nxt = int(m.hop[self.dest, here])
                if nxt != here:  # (no closer cell: stay, as the engine's kernel does)
                    self.cell = m.grid[divmod(nxt, m.nx)]
                    if m.dist[self.dest, nxt] <= m.radius[self.dest]:
                        self.on_station = True
            m.encounters += sum(1 for a in self.cell.get_neighborhood(include_center=True).agents
                                if a.flag != self.flag)

    class MesaSea(mesa.Model):
        def __init__(self, sea, dst, start, seed):
            super().__init__(rng=seed)
            self.grid = sea.to_mesa_grid(random=self.random)
            self.nx = sea.shape[1]
            self.dist, self.hop, self.radius = dst.dist, dst.next_hop, dst.radius_km
            stations, cells, flags, dests = start
            self.stations = [int(s) for s in stations]
            self.encounters = 0
            for c, f, d in zip(cells, flags, dests):
                Vessel(self, self.grid[divmod(int(c), self.nx)], int(f), int(d))

        def step(self):
            self.agents.shuffle_do("step")

    return MesaSea


# --------------------------------------------------------------------------- engine kernels
class KernelSea:
    """The same rule on the engine's arrays with the engine's kernels."""

    def __init__(self, sea, dst, start, seed, cell_km):
        from sim.engine.meetings import neighbourhood_table
        from sim.engine.fleet import COAST_GUARD, ON_STATION

        stations, cells, flags, dests = start
        n = cells.size
        self.n, self.sea, self.dst, self.cell_km = n, sea, dst, cell_km
        self.rng = np.random.default_rng(seed)
        self.stations = stations
        # The engine's dtypes (sim.fleet.Fleet), so that the kernels run the engine's own
        # compiled specialisations.
        self.cell, self.dest = cells.astype(np.int32), dests.astype(np.int32)
        self.flag = flags.astype(np.int8)
        self.kind = np.full(n, COAST_GUARD, np.int8)  # everyone an actor in the search
        self.task = np.full(n, ON_STATION, np.int8)  # (see setup)
        self.status = np.zeros(n, np.int8)
        self.home = np.full(n, -1, np.int32)  # never "home": arrivals are on station
        self.credit = np.zeros(n, np.float32)
        self.speed = np.full(n, SPEED, np.float32)
        self.hours_left = np.full(n, 1e9, np.float32)
        self.port_until = np.zeros(n, np.int64)
        self.at_sea = np.ones(n, bool)  # everyone at sea and free
        self.step_count = 0
        self.busy = np.zeros(n, np.int64)
        nc = sea.n_cells
        self.around = neighbourhood_table(sea, 1)  # the 3×3 block (range of one cell)
        everywhere, nowhere = np.ones(nc, bool), np.zeros(nc, bool)
        self.layers = (everywhere, nowhere, everywhere, everywhere)  # claim, moratorium, eez, ent.
        self.posture = np.ones(nc)
        self.rates = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
        self.head = np.full((2, nc), -1, np.int32)  # as sim.engine.meetings.Meetings
        self.next = np.full(n, -1, np.int32)
        self.out = [np.empty(4 * n, np.int64), np.empty(4 * n, np.int64), np.empty(4 * n)]
        self.encounters = 0

    def step(self):
        from sim.engine.meetings import _pairs_kernel
        from sim.engine.fleet import TRANSIT
        from sim.engine.movement import _move_kernel

        rng, d = self.rng, self.dst
        new = np.flatnonzero(rng.random(self.n) < RETARGET)
        self.dest[new] = rng.choice(self.stations, new.size)
        self.task[new] = TRANSIT
        self.credit[:] = 0.0
        _move_kernel(self.n, self.status, self.task, self.dest, self.home, self.cell,
                     self.credit, self.speed, self.hours_left, self.port_until, d.radius_km,
                     d.route, d.neighbours, d.n_cells, 1.0, self.cell_km,
                     rng.random(self.n), 1.0)
        claim, moratorium, eez, entitled = self.layers
        while True:
            a, t, p = self.out
            k = _pairs_kernel(self.at_sea, self.busy, 0, self.flag, self.kind, self.cell,
                              self.around, claim, moratorium, eez, entitled, self.posture,
                              self.rates, self.head, self.next, a, t, p)
            if k <= a.size:
                break
            self.out = [np.empty(2 * k, np.int64), np.empty(2 * k, np.int64), np.empty(2 * k)]
        self.encounters += k


def run_one(model, steps: int) -> float:
    t0 = time.perf_counter()
    for _ in range(steps):
        model.step()
    return time.perf_counter() - t0


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=float, default=2.0)
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args(argv)
    from sim.engine.movement import destinations
    from sim.sea import build_sea

    p = params([])
    sea = build_sea(p)
    dst = destinations(sea)
    cell_km = float(sea.resolution * 111.2 * np.cos(np.radians(sea.lat.mean())))
    # Check the one-hop-per-hour premise on this grid.
    dx, dy = sea.cell_km
    shortest, longest = min(dx.min(), dy), float(np.hypot(dx.max(), dy))
    assert longest <= SPEED < 2 * shortest, (shortest, longest)
    MesaSea = mesa_model_class()
    steps = int(round(a.days * 24))
    n = sum(FLAGS)
    rows = []
    for rep in range(a.reps):
        start = setup(sea, dst, seed=rep)
        t_build = time.perf_counter()
        mm = MesaSea(sea, dst, start, seed=rep)
        t_build = time.perf_counter() - t_build
        km = KernelSea(sea, dst, start, seed=rep, cell_km=cell_km)
        km.step()  # compile/load the kernels outside the timing
        km = KernelSea(sea, dst, start, seed=rep, cell_km=cell_km)
        t_kernel = run_one(km, steps)  # side by side: kernels, Mesa, kernels again
        t_mesa = run_one(mm, steps)
        km2 = KernelSea(sea, dst, start, seed=100 + rep, cell_km=cell_km)
        t_kernel2 = run_one(km2, steps)
        rows.append(dict(rep=rep, mesa_s=t_mesa, kernel_s=min(t_kernel, t_kernel2),
                         mesa_build_s=t_build,
                         mesa_rate=mm.encounters / 2 / (n * steps),
                         kernel_rate=km.encounters / 2 / (n * steps),
                         kernel_rate2=km2.encounters / 2 / (n * steps)))
        print(f"rep {rep}: mesa {t_mesa:.2f}s, kernels {min(t_kernel, t_kernel2) * 1e3:.1f}ms, "
              f"rates {rows[-1]['mesa_rate']:.4f} / {rows[-1]['kernel_rate']:.4f}", flush=True)
    agent_steps = n * steps
    mesa_sps = [agent_steps / r["mesa_s"] for r in rows]
    kern_sps = [agent_steps / r["kernel_s"] for r in rows]
    mr = np.array([r["mesa_rate"] for r in rows])
    kr = np.array([r["kernel_rate"] for r in rows] + [r["kernel_rate2"] for r in rows])
    diff = np.array([r["mesa_rate"] - r["kernel_rate"] for r in rows])  # paired: same start
    se = diff.std(ddof=1) / np.sqrt(diff.size) if diff.size > 1 else float("nan")
    emit(dict(vessels=n, steps=steps, reps=a.reps, cells=int(sea.n_cells),
              mesa_agent_steps_per_s=statistics.median(mesa_sps),
              kernel_agent_steps_per_s=statistics.median(kern_sps),
              ratio=statistics.median(kern_sps) / statistics.median(mesa_sps),
              mesa_us_per_agent_step=1e6 / statistics.median(mesa_sps),
              mesa_rate_mean=float(mr.mean()), mesa_rate_sd=float(mr.std(ddof=1)),
              kernel_rate_mean=float(kr.mean()), kernel_rate_sd=float(kr.std(ddof=1)),
              paired_diff_mean=float(diff.mean()), paired_diff_se=float(se),
              rows=rows))


if __name__ == "__main__":
    main()
