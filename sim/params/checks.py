"""The validator: every value of a composed config against its declaration in the schema.

Each value is checked for its type (from the dataclass annotation), finiteness, range or
choices, and then the rules between fields below; every error is one ``ConfigError`` line
naming the key, the bad value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import typing
from typing import Any, List

from .schema import HOTSPOT_INJECTS, Config, ConfigError, InjectConfig

_TYPE_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}
#: Timestamps in the tables are pandas datetime64[ns]: every day of a run must fit in them.
_FIRST_DATE, _LAST_DATE = dt.date(1678, 1, 1), dt.date(2262, 4, 10)
_SLUG = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*"
_HINTS: dict = {}


def to_params(cfg) -> Config:
    """A validated, typed ``Config`` from a composed DictConfig (nothing below sees a dict)."""
    from omegaconf import OmegaConf

    obj = OmegaConf.to_object(cfg) if not isinstance(cfg, Config) else cfg
    validate(obj)
    return dataclasses.replace(obj, injects=tuple(inj for _, inj in injects(obj.injects)))


def injects(value) -> list[tuple[str, InjectConfig]]:
    """(key path, InjectConfig) of each inject of a config: by name for the mapping the
    inject files fill (``injects.hysy981``; sorted, so the same set of injects is the same run
    however it was composed), in order for a list (``injects[0]``); keys and types checked."""
    if value is None:
        return []
    if isinstance(value, dict):
        entries = [(f"injects.{name}", value[name]) for name in sorted(value)]
    elif isinstance(value, (list, tuple)):
        entries = [(f"injects[{k}]", entry) for k, entry in enumerate(value)]
    else:
        raise ConfigError(f"injects={value!r} has the wrong type; expected a mapping of named "
                          "injects (e.g. +inject=hysy981) or a list of InjectConfig mappings")
    return [(path, _inject(path, entry)) for path, entry in entries]


def _inject(path: str, entry) -> InjectConfig:
    if isinstance(entry, InjectConfig):
        return entry
    if not isinstance(entry, dict):
        keys = ", ".join(f.name for f in dataclasses.fields(InjectConfig))
        raise ConfigError(f"{path}={entry!r} has the wrong type; expected an InjectConfig "
                          f"mapping ({keys})")
    _unknown_keys(entry, InjectConfig, f"{path}.")
    return InjectConfig(**entry)


def validate(cfg) -> None:
    """Check keys, types, ranges, choices and cross-field rules of a composed config
    (DictConfig or dataclass); raise ConfigError with one line naming key, value, allowed."""
    from omegaconf import DictConfig, OmegaConf

    if isinstance(cfg, DictConfig):
        _unknown_keys(OmegaConf.to_container(cfg, resolve=False), Config, "")
        try:
            obj = OmegaConf.to_object(cfg)
        except Exception as exc:  # an interpolation or value OmegaConf cannot convert
            key = getattr(exc, "full_key", None) or "config"
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ConfigError(f"{key}: {msg}") from exc
    elif isinstance(cfg, Config):
        obj = cfg
    else:
        raise ConfigError(f"config has the wrong type ({type(cfg).__name__}); expected a "
                          "composed config: use sim.compose([...])")
    _walk(obj, "")
    _cross_checks(obj)


# --------------------------------------------------------------------------- one value
def _hints(cls) -> dict:
    """Resolved field annotations of a schema dataclass (cached)."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _type_problem(value: Any, typ) -> str | None:
    """What ``value`` should have been if it does not fit the annotation ``typ``; else None."""
    origin, args = typing.get_origin(typ), typing.get_args(typ)
    if origin is typing.Union:
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        typ, origin, args = inner[0], typing.get_origin(inner[0]), typing.get_args(inner[0])
        if value is None:
            return f"{_TYPE_NAMES.get(typ, getattr(typ, '__name__', typ))} or null"
    if origin in (list, List):
        if not isinstance(value, (list, tuple)):
            return f"a list of {_TYPE_NAMES.get(args[0], 'items') if args else 'items'}"
        for item in value:
            if args and _type_problem(item, args[0]) is not None:
                return f"a list of {_TYPE_NAMES.get(args[0], getattr(args[0], '__name__', ''))}"
        return None
    if dataclasses.is_dataclass(typ):
        return None if isinstance(value, typ) else f"a {typ.__name__} mapping"
    ok = {bool: lambda v: isinstance(v, bool),
          int: lambda v: isinstance(v, int) and not isinstance(v, bool),
          float: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
          str: lambda v: isinstance(v, str)}.get(typ)
    if ok is not None and not ok(value):
        return _TYPE_NAMES[typ]
    return None


def _allowed(meta: dict) -> str:
    lo, hi, choices = meta.get("lo"), meta.get("hi"), meta.get("choices")
    if choices is not None:
        return "one of " + ", ".join(map(str, choices))
    if lo is not None or hi is not None:
        return f"{'-inf' if lo is None else lo} to {'inf' if hi is None else hi}"
    return ""


def _check(path: str, value: Any, meta: dict, typ=None) -> None:
    """One value against its field's metadata (and annotation ``typ``, if given)."""
    lo, hi, choices = meta.get("lo"), meta.get("hi"), meta.get("choices")
    if typ is not None:
        wanted = _type_problem(value, typ)
        if wanted is not None:
            allowed = _allowed(meta)
            raise ConfigError(f"{path}={value!r} has the wrong type; expected {wanted}"
                              + (f" ({allowed})" if allowed else ""))
    if value is None:
        return
    if isinstance(value, float) and not math.isfinite(value) and (
            math.isnan(value) or (lo is None and hi is None)):
        raise ConfigError(f"{path}={value!r} is not a finite number; allowed "
                          f"{_allowed(meta) or 'any finite number'}")
    if choices is not None and value not in choices:
        raise ConfigError(f"{path}={value!r} is not allowed; choose one of "
                          f"{', '.join(map(str, choices))}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ConfigError(f"{path}={value!r} is out of range; allowed {lo} to {hi}")


# --------------------------------------------------------------------------- the tree
def _unknown_keys(node, cls, prefix: str) -> None:
    """Every key of a (container) config must be a field of the schema dataclass ``cls``."""
    if not isinstance(node, dict):
        return
    hints = _hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    for key, value in node.items():
        if not prefix and key == "hydra":
            continue
        if key not in names:
            where = f" in {prefix.rstrip('.')}" if prefix else ""
            raise ConfigError(f"unknown config key '{prefix}{key}'; allowed keys{where}: "
                              f"{', '.join(names)}")
        typ = hints[key]
        if dataclasses.is_dataclass(typ):
            _unknown_keys(value, typ, f"{prefix}{key}.")
        elif typing.get_origin(typ) in (list, List) and isinstance(value, list):
            item = typing.get_args(typ)[0] if typing.get_args(typ) else None
            if item is not None and dataclasses.is_dataclass(item):
                for k, v in enumerate(value):
                    _unknown_keys(v, item, f"{prefix}{key}[{k}].")


def _walk(obj, prefix: str) -> None:
    """Every field of a schema dataclass instance, recursively, through ``_check``."""
    if not dataclasses.is_dataclass(obj):
        raise ConfigError(f"{prefix.rstrip('.') or 'config'}={obj!r} has the wrong type; "
                          "expected a mapping of keys")
    hints = _hints(type(obj))
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        path = f"{prefix}{f.name}"
        typ = hints.get(f.name)
        if dataclasses.is_dataclass(typ):
            _walk(value, path + ".")
        elif path == "injects":
            for where, inj in injects(value):
                _walk(inj, where + ".")
        elif (typing.get_origin(typ) in (list, List) and typing.get_args(typ)
              and dataclasses.is_dataclass(typing.get_args(typ)[0])):
            if not isinstance(value, (list, tuple)):
                raise ConfigError(f"{path}={value!r} has the wrong type; expected a list of "
                                  f"{typing.get_args(typ)[0].__name__} mappings")
            for k, item in enumerate(value):
                _walk(item, f"{path}[{k}].")
        else:
            _check(path, value, f.metadata, typ)


# --------------------------------------------------------------------------- between fields
def _cross_checks(c: Config) -> None:
    for rule in (_check_dates, _check_labels, _check_china_ceiling, _check_ladder,
                 _check_weather, _check_budget, _check_injects):
        rule(c)


def _check_dates(c: Config) -> None:
    start = c.run.start
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", start):
            raise ValueError
        day0 = dt.date.fromisoformat(start)
    except ValueError:
        raise ConfigError(f"run.start={start!r} is not a date; use ISO format YYYY-MM-DD, "
                          "e.g. 2025-01-01") from None
    try:
        last = day0 + dt.timedelta(days=c.run.days)  # the run ends before this day starts
    except OverflowError:
        last = dt.date.max
    if day0 < _FIRST_DATE or last > _LAST_DATE:
        raise ConfigError(f"run.start={start!r} with run.days={c.run.days} is out of range; "
                          f"the run must lie between {_FIRST_DATE} and {_LAST_DATE}")


def _check_labels(c: Config) -> None:
    if len(c.scenario.description) > 500:
        raise ConfigError(f"scenario.description is {len(c.scenario.description)} characters "
                          "long; allowed at most 500 (a one-line description for reports)")
    if not re.fullmatch(_SLUG, c.scenario.name):
        raise ConfigError(f"scenario.name={c.scenario.name!r} is not allowed; use letters, "
                          "digits, _ . - (it names files and folders), e.g. my_scenario")


def _check_china_ceiling(c: Config) -> None:
    if c.china.roe_down >= c.china.roe_up:
        raise ConfigError(f"china.roe_down={c.china.roe_down} must be below china.roe_up="
                          f"{c.china.roe_up} (hysteresis)")
    if not c.china.roe_min <= c.china.roe_start <= c.china.roe_max:
        raise ConfigError(f"china.roe_start={c.china.roe_start} must lie within china.roe_min.."
                          f"china.roe_max ({c.china.roe_min}..{c.china.roe_max})")


def _check_ladder(c: Config) -> None:
    cuts = list(c.encounter.cuts)
    if (len(cuts) != 7 or any(not math.isfinite(x) for x in cuts)
            or any(b <= a for a, b in zip(cuts, cuts[1:]))):
        raise ConfigError(f"encounter.cuts={cuts} must be 7 strictly increasing numbers "
                          "(one between each pair of rungs 0..7)")


def _check_weather(c: Config) -> None:
    for name in ("rough_north", "rough_south", "severe_north", "severe_south"):
        v = list(getattr(c.weather, name))
        if len(v) != 12 or any(not 0 <= p <= 1 for p in v):
            raise ConfigError(f"weather.{name}={v} must be 12 monthly probabilities in [0, 1]")


def _check_budget(c: Config) -> None:
    mix = [c.japan.mix_vessels, c.japan.mix_radar, c.japan.mix_training,
           c.japan.mix_info_sharing, c.japan.mix_cbm]
    if abs(sum(mix) - 1) > 1e-6:
        raise ConfigError(f"japan.mix_* sum to {sum(mix):.3f}; the budget shares must sum to 1")


def _check_injects(c: Config) -> None:
    slugs = None
    for path, inj in injects(c.injects):
        if inj.day >= c.run.days:
            raise ConfigError(f"{path}.day={inj.day} is after the run ends "
                              f"(run.days={c.run.days}); choose a day below run.days")
        if inj.kind in HOTSPOT_INJECTS:
            slugs = _hotspot_slugs(c.sea.name) if slugs is None else slugs
            if slugs and inj.hotspot not in slugs:
                raise ConfigError(f"{path}.hotspot={inj.hotspot!r} is not a hot spot of "
                                  f"the {c.sea.name} sea; choose one of {', '.join(slugs)}")


def _hotspot_slugs(sea: str) -> list[str]:
    """Hot-spot slugs of a sea, without building it (cheap: for validation)."""
    import csv
    from pathlib import Path

    if sea == "toy":
        from sim.sea import toy
        from sim.sea.grid import Feature

        return [v.slug for v in vars(toy).values() if isinstance(v, Feature) and v.hotspot]
    path = Path(__file__).resolve().parents[1] / "sea" / "data" / "features.csv"
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            return [r["slug"] for r in csv.DictReader(fh) if r.get("hotspot") == "1"]
    except OSError:
        return []
