"""``encounter.cut_severe``: the studies' one knob for the severe end of the ladder.

Calibration, the sensitivity analysis and scenario discovery vary the cut point where an
incident becomes severe (between rungs SEVERE - 1 and SEVERE). The cuts below it keep their
defaults; those above it move with it, keeping the default spacing, so that the ladder's
upper rungs stay as far apart as the schema sets them.
"""

from __future__ import annotations

from sim.engine.ladder import SEVERE
from sim.params import EncounterConfig

KNOB = "encounter.cut_severe"

_DEFAULT = EncounterConfig().cuts
_BELOW = _DEFAULT[:SEVERE - 1]
_ABOVE = [round(c - _DEFAULT[SEVERE - 1], 6) for c in _DEFAULT[SEVERE:]]  # spacing from it


def cuts_override(cut_severe: float) -> str:
    """The ``encounter.cuts=[...]`` override with the severe cut at ``cut_severe``."""
    c = float(cut_severe)
    cuts = [*_BELOW, c, *(c + d for d in _ABOVE)]
    return "encounter.cuts=[" + ",".join(f"{x:.3f}" for x in cuts) + "]"
