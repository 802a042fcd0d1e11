"""``P()``: how a parameter is declared (default, meaning, unit, source, bounds, ranges)."""

from __future__ import annotations

from dataclasses import field


def P(default, help: str, unit: str = "-", source: str = "assumption", lo=None, hi=None,
      choices=None, factory=None, plausible=None, discovery=None):
    """A documented parameter. ``lo``/``hi`` are inclusive validity bounds; ``choices`` a
    closed set. ``plausible`` is the (lo, hi) a sensitivity analysis or a calibration explores,
    inside the bounds; ``discovery`` the wider (lo, hi) that scenario discovery searches for
    crises, where it differs (``sim.params.ranges``)."""
    meta = dict(help=help, unit=unit, source=source, lo=lo, hi=hi, choices=choices,
                plausible=plausible, discovery=discovery)
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)
