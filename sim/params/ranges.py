"""The ranges studies explore, read from the schema: ``plausible_range`` for a sensitivity
analysis or a calibration, ``discovery_range`` for scenario discovery (wider where a crisis
may lie beyond the plausible)."""

from __future__ import annotations

import dataclasses
import typing

from .schema import Config, ConfigError


def plausible_range(key: str) -> tuple:
    """(lo, hi) a sensitivity analysis or calibration should explore for ``key`` (e.g.
    ``"china.resolve_weight"``), typed as the parameter (int or float)."""
    return _span(key, "plausible")


def discovery_range(key: str) -> tuple:
    """(lo, hi) scenario discovery explores for ``key``: its plausible range unless the schema
    gives a wider one."""
    f, _ = _field(key)
    return _span(key, "discovery" if f.metadata.get("discovery") else "plausible")


def _span(key: str, which: str) -> tuple:
    f, typ = _field(key)
    span = f.metadata.get(which)
    if span is None:
        raise ConfigError(f"{key} has no {which} range in the schema; parameters with one: "
                          f"{', '.join(_ranged())}")
    kind = int if typ is int else float  # List[float] (the cuts): of one cut
    return kind(span[0]), kind(span[1])


def _field(key: str):
    """The schema field of a dotted key, and its annotation."""
    cls, parts = Config, key.split(".")
    for k, part in enumerate(parts):
        fields = {f.name: f for f in dataclasses.fields(cls)}
        hints = typing.get_type_hints(cls)
        if part not in fields or (k < len(parts) - 1) != dataclasses.is_dataclass(hints[part]):
            raise ConfigError(f"{key} is not a parameter; parameters with a plausible range: "
                              f"{', '.join(_ranged())}")
        cls = hints[part]
    return fields[parts[-1]], cls


def _ranged(cls=Config, prefix: str = "") -> list[str]:
    """Every key with a plausible range."""
    out = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if dataclasses.is_dataclass(hints[f.name]):
            out += _ranged(hints[f.name], f"{prefix}{f.name}.")
        elif f.metadata.get("plausible") is not None:
            out.append(prefix + f.name)
    return out
