"""What China and Vietnam share as State agents: they decide on a slower clock than their
ships move, and re-assign a share of their fleet towards the allocation they want."""

from __future__ import annotations

import mesa
import numpy as np

from sim.engine.fleet import ON_STATION, TRANSIT
from sim.engine.movement import recall, send


def softmax(x: np.ndarray, temperature: float) -> np.ndarray:
    z = np.exp((x - x.max()) / temperature)
    return z / z.sum()


class StateAgent(mesa.Agent):
    flag: str = ""

    def reassign(self, ids: np.ndarray, targets: np.ndarray, prob: np.ndarray, want: int,
                 rate: float) -> None:
        """Move a share ``rate`` of the fleet towards the wanted allocation and size at sea."""
        f, rng = self.model.fleet, self.model.rng_policy
        assigned = ids[f.assigned[ids] >= 0]
        reserve = ids[f.assigned[ids] < 0]
        if assigned.size < want:  # call up reserves (they sortie when in port and calm)
            add = rng.permutation(reserve)[: want - assigned.size]
            f.assigned[add] = rng.choice(targets, add.size, p=prob)
        elif assigned.size > want:  # stand some down: they come home
            drop = rng.permutation(assigned)[: assigned.size - want]
            f.assigned[drop] = -1
            recall(f, np.asarray(drop, np.int64))
        keep = ids[f.assigned[ids] >= 0]
        move = keep[rng.random(keep.size) < rate]
        new = rng.choice(targets, move.size, p=prob)
        changed = move[new != f.assigned[move]]
        f.assigned[move] = new
        # Ships already out turn to their new station; those heading home (weather,
        # endurance) keep going and take the new station on their next sortie.
        out = changed[(f.task[changed] == TRANSIT) | (f.task[changed] == ON_STATION)]
        send(f, out, f.assigned[out])
