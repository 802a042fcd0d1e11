"""Checking a command line before Hydra runs it.

``preflight`` checks Hydra's flags, every override, the config files they load, and every
value of a sweep (an experiment file's ``hydra.sweeper.params`` too, re-expanded as the
basic sweeper expands it), so that bad input gets one line naming the key, the value and what
is allowed, instead of a traceback, and no job (and no output folder) is started.
``HYDRA_FULL_ERROR=1`` skips the preflight and shows Hydra's own errors.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Sequence

from omegaconf import DictConfig, ListConfig, OmegaConf

from sim import params
from sim.params.compose import (CONFIG_DIR, SIM_DIR, _compose, group_loader, group_options,
                                hydra_session)
from sim.params.errors import _first_line, explain

#: Flags after which Hydra runs nothing that reads the config (help, version, completion).
_NO_CHECK = {"--help", "-h", "--hydra-help", "--version", "--info", "-i", "--shell-completion",
             "-sc", "--experimental-rerun"}
_SWEEP_WITHOUT_M = "{} has several values (a sweep); add -m to run a sweep, or write key=[a,b] " \
                   "for a list"
_SLOW = object()  # a swept value that only a composition can check


def full_error() -> bool:
    """Whether the user asked for Hydra's own errors (``HYDRA_FULL_ERROR=1``)."""
    return os.environ.get("HYDRA_FULL_ERROR", "") == "1"


def preflight(argv: Sequence[str]) -> str | None:
    """Check a command line before Hydra runs it; return a one-line error or None."""
    if _NO_CHECK & set(argv):
        return None
    try:
        args = _parse_args(argv)
    except _ArgError as exc:
        return (f"{exc} (Hydra's options such as -m, --config-dir DIR go before the "
                f"key=value overrides)")
    try:
        return _preflight(args)
    except params.ConfigError as exc:
        return str(exc)


class _ArgError(Exception):
    pass


def _parse_args(argv: Sequence[str]):
    from sim.params.hydra_private import get_args_parser

    parser = get_args_parser()

    def error(message: str):
        raise _ArgError(message)

    parser.error = error  # one line instead of argparse's usage block
    return parser.parse_args(list(argv))


def _preflight(args) -> str | None:
    from hydra.core.override_parser.overrides_parser import OverridesParser

    overrides = [str(a) for a in args.overrides]
    try:
        parsed = OverridesParser.create().parse_overrides(overrides)  # grammar: no config yet
    except Exception as exc:
        return explain(exc, overrides)
    with hydra_session(_primary_dir(args), _searchpath(args, parsed)):
        return _check_session(args, overrides, args.config_name or "config")


def _primary_dir(args):
    if args.config_path is None:
        return CONFIG_DIR
    primary = (SIM_DIR / args.config_path).resolve()  # relative to the app, as hydra.main
    if not primary.is_dir():
        raise params.ConfigError(f"--config-path {args.config_path}: no such folder "
                                 f"({primary}); the default is {CONFIG_DIR}")
    return primary


def _searchpath(args, parsed) -> list[str]:
    """The extra search path: --config-dir, then any ``hydra.searchpath`` override (Hydra's
    order)."""
    out = []
    if args.config_dir is not None:
        extra = os.path.abspath(args.config_dir)
        if not os.path.isdir(extra):
            raise params.ConfigError(
                f"--config-dir {args.config_dir}: no such folder ({extra}); pass a folder of "
                f"config groups, e.g. one holding scenario/my_scenario.yaml")
        out.append(f"file://{extra}")
    given = next((ov for ov in parsed if ov.get_key_element() == "hydra.searchpath"), None)
    if out and given is not None and isinstance(given.value(), list):
        out += [str(p) for p in given.value()]
    return out


# --------------------------------------------------------------------------- the sweep
def _check_session(args, overrides: list[str], config_name: str) -> str | None:
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create(config_loader=group_loader())
    try:
        parsed = parser.parse_overrides(overrides)  # with the loader: glob(...) sweeps expand
    except Exception as exc:
        return explain(exc, overrides)
    latest = _latest(parsed, overrides)
    if isinstance(latest, str):
        return latest
    base, hydra_base, sweeps, hydra_sweeps = _split(latest)
    first = base + hydra_base + hydra_sweeps + _firsts(sweeps)
    cfg = _compose(first, config_name, with_hydra=True)
    mode = str(OmegaConf.select(cfg, "hydra.mode", default="") or "")
    multirun = bool(args.multirun) or mode.endswith("MULTIRUN")
    if (sweeps or hydra_sweeps) and not multirun:
        text = next(iter(sweeps.values()))[0] if sweeps else hydra_sweeps[0]
        return _SWEEP_WITHOUT_M.format(text)
    if multirun and _add_sweeper_params(cfg, parser, sweeps):
        _compose(base + _firsts(sweeps), config_name)
    _check_every_value(base, sweeps, parser, config_name)
    return _output_problem(cfg, multirun)


def _output_problem(cfg, multirun: bool) -> str | None:
    """Why the run's (or sweep's) output folder cannot be made, or None; nothing created."""
    from sim.base.cli import folder_problem

    key = "hydra.sweep.dir" if multirun else "hydra.run.dir"
    try:
        where = OmegaConf.select(cfg, key, default=None)
    except Exception:  # an interpolation only Hydra's job can resolve: Hydra will say
        return None
    return folder_problem(where, f"{key}={where}") if where else None


def _latest(parsed, overrides: list[str]) -> dict | str:
    """key -> (text, values or None, is_hydra); a later override of a key wins, as in Hydra's
    basic sweeper. A one-line error instead if a sweep cannot list its values."""
    latest: dict = {}
    for ov, text in zip(parsed, overrides):
        key = text.split("=", 1)[0]
        is_hydra = ov.is_hydra_override() or ov.get_key_element().lstrip("+~").startswith("hydra")
        values = None
        if ov.is_sweep_override():
            try:
                values = list(ov.sweep_string_iterator())
            except Exception as exc:  # e.g. an interval sweep the basic sweeper cannot run
                return (f"{text}: cannot list its values ({_first_line(exc)}); give the "
                        f"values, e.g. {key}=0,0.5,1 or {key}='range(0,5)'")
            if not values:
                return f"{text} sweeps over no values; give at least one"
        latest.pop(key, None)
        latest[key] = (text, values, is_hydra)
    return latest


def _split(latest: dict):
    """(plain overrides, hydra overrides, sweeps {key: (text, values)}, hydra sweeps at their
    first value)."""
    base, hydra_base, sweeps, hydra_sweeps = [], [], {}, []
    for key, (text, values, is_hydra) in latest.items():
        if values is not None and is_hydra:
            hydra_sweeps.append(f"{key}={values[0]}")
        elif values is not None:
            sweeps[key] = (text, values)
        elif is_hydra:
            hydra_base.append(text)
        else:
            base.append(text)
    return base, hydra_base, sweeps, hydra_sweeps


def _firsts(sweeps: dict, but: str | None = None) -> list[str]:
    """Every swept key (except ``but``) at its first value."""
    return [f"{k}={v[0]}" for k, (_, v) in sweeps.items() if k != but]


def _add_sweeper_params(cfg, parser, sweeps: dict) -> bool:
    """Add an experiment file's sweeps; the command line wins. Whether any was added."""
    added = False
    for key, text, values in _sweeper_params(cfg, parser):
        if key not in sweeps:
            sweeps[key] = (text, values)
            added = True
    return added


def _check_every_value(base: list[str], sweeps: dict, parser, config_name: str) -> None:
    """Every value of every swept key, once, the other keys at their first values."""
    job = typed = None
    for key, (_, values) in sweeps.items():
        for v in values[1:]:
            quick = _quick_value(key, v, parser)
            if quick is _SLOW:  # a config group or +/~ override: compose it
                _compose(base + _firsts(sweeps, but=key) + [f"{key}={v}"], config_name)
                continue
            if job is None:  # every swept key at its first value
                job = _compose(base + _firsts(sweeps), config_name)
                typed = OmegaConf.to_object(job)
            _check_update(job, typed, key, quick, f"{key}={v}")


def _quick_value(key: str, text: str, parser):
    """The typed value of ``key=text`` if it can be checked without composing, else _SLOW.

    A plain key (``seed``, ``japan.capacity``) or a dictionary value merged into a node
    (``japan={vessels:2}``) is applied to a composed config with ``OmegaConf.update``, as
    Hydra applies it; a config group option (``scenario=x``) or a ``+``/``~`` override needs
    a composition (about 0.1 s each)."""
    if key[:1] in "+~" or key.startswith("hydra"):
        return _SLOW
    try:
        value = parser.parse_override(f"{key}={text}").value()
    except Exception:
        return _SLOW
    if group_options(key) and not isinstance(value, dict):
        return _SLOW
    return value


def _check_update(job: DictConfig, typed, key: str, value, text: str) -> None:
    """Validate ``job`` with ``key`` set to ``value`` (as Hydra would set it), cheaply.

    ``job`` is the composed config with every swept key at its first value and ``typed`` its
    ``params.Config``; ``job`` is left unchanged."""
    if (isinstance(value, dict) or key.startswith("injects")
            or re.search(r"(^|\.)\d+(\.|$)", key)):
        cfg = job.copy()  # a merge into a node, an inject, a list item: check a full copy
        try:
            OmegaConf.update(cfg, key, value, merge=True)
        except Exception as exc:
            raise params.ConfigError(explain(exc, [text])) from exc
        params.validate(cfg)
        return
    old = OmegaConf.select(job, key, default=None)
    try:
        OmegaConf.update(job, key, value, merge=True)  # type conversion and checks
        new = OmegaConf.select(job, key)
        if isinstance(new, (DictConfig, ListConfig)):
            new = OmegaConf.to_container(new, resolve=True)
    except Exception as exc:
        raise params.ConfigError(explain(exc, [text])) from exc
    finally:
        try:
            OmegaConf.update(job, key, old, merge=False)
        except Exception:  # pragma: no cover - the key did not exist: nothing to restore
            pass
    obj = copy.deepcopy(typed)
    *path, leaf = key.split(".")
    node = obj
    for part in path:
        node = getattr(node, part)
    setattr(node, leaf, new)
    params.validate(obj)


# --------------------------------------------------------------------------- the sweeper
def sweeps_like_basic(target: str) -> bool:
    """Whether a sweeper (its ``_target_``) expands ``hydra.sweeper.params`` and the command
    line into a Cartesian product as Hydra's basic sweeper does: the basic sweeper itself and
    this project's (``hydra_plugins/greyzone_sweeper``), which differs only in when configs are
    composed."""
    target = str(target or "").lower()
    return "basic_sweeper" in target or "greyzone_sweeper" in target


def _sweeper_params(cfg, parser) -> list[tuple[str, str, list[str]]]:
    """(key, text, values) of the sweeps an experiment file sets in hydra.sweeper.params."""
    if not sweeps_like_basic(OmegaConf.select(cfg, "hydra.sweeper._target_", default="")):
        return []
    node = OmegaConf.select(cfg, "hydra.sweeper.params", default=None)
    if not node:
        return []
    out = []
    for k, v in OmegaConf.to_container(node, resolve=True).items():
        text = f"{k}={v}"
        try:
            ov = parser.parse_override(text)
        except Exception as exc:
            raise params.ConfigError(f"hydra.sweeper.params.{k}={v}: {_first_line(exc)}")
        if k.startswith("hydra"):
            continue
        values = list(ov.sweep_string_iterator()) if ov.is_sweep_override() else \
            [ov.get_value_element_as_str()]
        out.append((k, text, values))
    return out
