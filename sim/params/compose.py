"""Composing and checking configs: the same path for the command line, notebooks and tests.

``compose`` returns the DictConfig that ``python -m sim`` would resolve for some overrides,
validated the same way. ``preflight`` checks a command line (Hydra's flags, every override,
the config files it loads, and every value of a sweep, including an experiment file's
``hydra.sweeper.params``) before Hydra starts, so that bad input gets one line naming the
key, the value and what is allowed, instead of a traceback, and no job (and no output folder)
is started. ``HYDRA_FULL_ERROR=1`` skips the preflight and shows Hydra's own errors.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

from omegaconf import DictConfig, ListConfig, OmegaConf

from sim import params

SIM_DIR = Path(__file__).resolve().parents[1]  # the package (where Hydra's main module is)
CONFIG_DIR = SIM_DIR.parent / "configs"
params.register()

#: Flags after which Hydra runs nothing that reads the config (help, version, completion).
_NO_CHECK = {"--help", "-h", "--hydra-help", "--version", "--info", "-i", "--shell-completion",
             "-sc", "--experimental-rerun"}


def compose(overrides: Sequence[str] = ()) -> DictConfig:
    """The config ``python -m sim OVERRIDES`` would run, validated (raises ConfigError)."""
    return _compose(list(overrides))


def _compose(overrides: list[str], config_name: str = "config",
             with_hydra: bool = False) -> DictConfig:
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    try:
        if GlobalHydra.instance().is_initialized():  # inside a running Hydra app / preflight
            cfg = hydra_compose(config_name=config_name, overrides=overrides,
                                return_hydra_config=with_hydra)
        else:
            with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
                cfg = hydra_compose(config_name=config_name, overrides=overrides,
                                    return_hydra_config=with_hydra)
    except params.ConfigError:
        raise
    except Exception as exc:  # Hydra/OmegaConf/YAML errors -> one readable line
        raise params.ConfigError(explain(exc, overrides)) from exc
    job = cfg
    if with_hydra and "hydra" in cfg:
        from omegaconf import open_dict

        job = cfg.copy()
        with open_dict(job):
            del job["hydra"]
    params.validate(job)
    return cfg


# --------------------------------------------------------------------------- error lines
def explain(exc: BaseException, overrides: Sequence[str] = ()) -> str:
    """One line from a Hydra/OmegaConf/YAML composition error: the key, the value, what is
    allowed."""
    from omegaconf.errors import ConfigKeyError, ValidationError

    chain, seen = [], exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    text = _first_line(exc)
    yaml_err = _yaml_error(chain)
    if yaml_err:
        return yaml_err
    outer_key = None
    m = re.match(r"(?:Could not override|Could not append to config|Could not delete from "
                 r"config|Error merging override) '?([^'\s]+?)(?:=|'|$)", text)
    if m:
        outer_key = m.group(1)
    cause = next((c for c in chain if isinstance(c, (ConfigKeyError, ValidationError))), None)
    full_key = getattr(cause, "full_key", None) if cause is not None else None
    if isinstance(cause, ConfigKeyError) and full_key:
        allowed = _allowed_keys_of(cause) or _allowed_keys(_parent(full_key))
        where = _parent(full_key)
        if outer_key and not full_key.startswith(outer_key.split("[")[0]):
            where = f"an item of {outer_key}"  # e.g. injects=[{kind: rig, foo: 1}]
        return f"unknown config key '{full_key}'" + (f" in {where}" if where and not
                                                      full_key.startswith(where) else "") + (
            f"; allowed keys{' in ' + where if where else ''}: {allowed}" if allowed else "")
    if isinstance(cause, ValidationError) and full_key:
        msg = _first_line(cause)
        return f"{full_key}: {msg} (check the type of the value)"
    if isinstance(cause, ValidationError) and outer_key:
        return f"{outer_key}: {_first_line(cause)} (check the type of the value)"
    if outer_key and (text.startswith("Could not override") or
                      text.startswith("Could not append") or text.startswith("Could not delete")):
        parent = outer_key.rsplit(".", 1)[0] if "." in outer_key else ""
        allowed = _allowed_keys(parent)
        hint = f"; allowed keys{' in ' + parent if parent else ''}: {allowed}" if allowed else ""
        if text.startswith("Could not delete"):
            return f"cannot delete '{outer_key}': it is not in the config{hint}"
        return f"unknown config key '{outer_key}'{hint}"
    found = re.match(r"In '([^']+)': \w+ raised while composing config:\s*(.*)", text)
    if found:  # a config file whose content does not fit the schema
        detail = " ".join(str(exc).split()).split("raised while composing config:", 1)[-1]
        detail = re.sub(r"\s*full_key:.*", "", detail).strip()
        return (f"config file {found.group(1)}.yaml does not fit the schema: {detail} "
                f"(see docs/parameters.md for the keys and their types)")
    found = re.search(r"Could not delete from config\. '([^']+)' does not exist", text)
    if found:
        parent = _parent(found.group(1))
        allowed = _allowed_keys(parent)
        return (f"cannot delete '{found.group(1)}': it is not in the config" +
                (f"; keys{' in ' + parent if parent else ''}: {allowed}" if allowed else ""))
    found = re.search(r"Could not (?:find|load) '([^']+)'", text)
    if found:  # unknown group option, e.g. scenario=nope: list what exists
        group, _, bad = found.group(1).rpartition("/")
        options = _group_options(group) if group else []
        if options:
            return f"unknown {group} '{bad}'; available {group} options: {', '.join(options)}"
        return f"unknown config '{found.group(1)}'"
    found = re.search(r"Cannot find primary config '([^']+)'", text)
    if found:
        return (f"--config-name {found.group(1)}: no such config; the main config is "
                f"'config' ({CONFIG_DIR / 'config.yaml'})")
    if text.startswith("Ambiguous value for argument") or "requires --multirun" in text:
        ov = re.search(r"'([^']+)'", text)
        what = ov.group(1) if ov else "a value"
        return (f"{what} has several values (a sweep); add -m to run a sweep, or write "
                f"key=[a,b] for a list")
    if "Config group override must be a string" in text or "is not iterable" in text:
        bad = _bad_group_override(overrides)
        if bad and bad[0] == "(no key)":
            return (f"'={bad[1]}' has no key; write overrides as key=value, e.g. "
                    f"japan.capacity=0.5")
        if bad:
            key, value = bad
            options = _group_options(key)
            inner = _allowed_keys(key)
            return (f"{key}={value} is not allowed; {key} is a config group: choose one of "
                    f"{', '.join(options)}" + (f", or set one of its keys, e.g. "
                                               f"{key}.{inner.split(', ')[0]}=..."
                                               if inner else ""))
        return f"an override has no key or gives a config group a non-name value: {text}"
    if "Error parsing override" in text or "mismatched input" in text or \
            "no viable alternative" in text or "extraneous input" in text:
        return f"{text} (write overrides as key=value, e.g. japan.capacity=0.5)"
    if "Additional config directory" in text:
        return f"--config-dir: {text}"
    flat = " ".join(str(exc).split())
    flat = re.sub(r"\s*Config search path:.*", "", flat)
    return flat or type(exc).__name__


def _first_line(exc: BaseException) -> str:
    s = str(exc).strip()
    return s.splitlines()[0].strip() if s else type(exc).__name__


def _yaml_error(chain) -> str | None:
    """A YAML syntax error in a config file: file, line, column and the problem."""
    try:
        import yaml
    except ImportError:  # pragma: no cover
        return None
    for c in chain:
        if isinstance(c, yaml.MarkedYAMLError):
            mark = c.problem_mark or c.context_mark
            where = f"{mark.name}, line {mark.line + 1}, column {mark.column + 1}" if mark \
                else "a config file"
            what = "; ".join(x for x in (c.context, c.problem) if x)
            return (f"malformed YAML in {where}: {what} (fix the file's syntax; "
                    f"e.g. check brackets, quotes and indentation)")
        if isinstance(c, yaml.YAMLError):
            return f"malformed YAML in a config file: {' '.join(str(c).split())}"
    return None


def _parent(full_key: str) -> str:
    return full_key.rsplit(".", 1)[0] if "." in full_key else ""


def _allowed_keys_of(cause) -> str:
    import dataclasses

    t = getattr(cause, "object_type", None)
    if t is not None and dataclasses.is_dataclass(t):
        return ", ".join(f.name for f in dataclasses.fields(t))
    return ""


def _allowed_keys(parent: str) -> str:
    node = OmegaConf.structured(params.Config)
    for part in [p for p in re.split(r"[.\[\]]+", parent) if p]:
        if part.isdigit() or part not in node:
            return ""
        node = node[part]
    return ", ".join(node.keys()) if isinstance(node, DictConfig) else ""


def _group_options(group: str) -> list[str]:
    """Options of a config group, from the active search path (user config dirs too)."""
    from hydra.core.global_hydra import GlobalHydra

    if group in _OPTIONS:
        return _OPTIONS[group]
    found: list[str] = []
    try:
        if GlobalHydra.instance().is_initialized():
            found = sorted(set(GlobalHydra.instance().config_loader().get_group_options(group)))
    except Exception:
        found = []
    found = found or sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))
    if _OPTIONS.get(None):  # inside a preflight session: the search path is fixed
        _OPTIONS[group] = found
    return found


#: Options per config group, cached during one preflight (key None marks a session).
_OPTIONS: dict = {}


def _bad_group_override(overrides: Sequence[str]) -> tuple[str, str] | None:
    """The override that gives a config group something other than an option name."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create()
    for text in overrides:
        key, sep, value = str(text).partition("=")
        key = key.lstrip("+~")
        if not key:
            return ("(no key)", value)
        if not sep or not _group_options(key):
            continue
        try:
            typed = parser.parse_override(str(text)).value()
        except Exception:
            return key, value
        items = typed if isinstance(typed, list) else [typed]
        if not all(isinstance(v, str) for v in items):
            return key, value
    return None


# --------------------------------------------------------------------------- preflight
class _ArgError(Exception):
    pass


def _parse_args(argv: Sequence[str]):
    from hydra._internal.utils import get_args_parser

    parser = get_args_parser()

    def error(message: str):
        raise _ArgError(message)

    parser.error = error  # one line instead of argparse's usage block
    return parser.parse_args(list(argv))


@contextmanager
def _session(args):
    """A global Hydra set up like ``python -m sim`` would be (config path, --config-dir)."""
    from hydra import version
    from hydra._internal.hydra import Hydra
    from hydra._internal.utils import create_config_search_path
    from hydra.core.config_search_path import SearchPathQuery
    from hydra.core.global_hydra import GlobalHydra

    primary = CONFIG_DIR
    if args.config_path is not None:
        primary = (SIM_DIR / args.config_path).resolve()
        if not primary.is_dir():
            raise params.ConfigError(f"--config-path {args.config_path}: no such folder "
                                     f"({primary}); the default is {CONFIG_DIR}")
    search = create_config_search_path(str(primary))
    if args.config_dir is not None:
        extra = os.path.abspath(args.config_dir)
        if not os.path.isdir(extra):
            raise params.ConfigError(
                f"--config-dir {args.config_dir}: no such folder ({extra}); pass a folder of "
                f"config groups, e.g. one holding scenario/my_scenario.yaml")
        search.prepend(provider="command-line", path=f"file://{extra}",
                       anchor=SearchPathQuery(provider="schema"))
    version.setbase("1.3")
    was = GlobalHydra.instance().is_initialized()
    if not was:
        Hydra.create_main_hydra2(task_name="sim", config_search_path=search)
    _OPTIONS.clear()
    _OPTIONS[None] = True
    try:
        yield args.config_name or "config"
    finally:
        _OPTIONS.clear()
        if not was:
            GlobalHydra.instance().clear()


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


def _preflight(args) -> str | None:
    from hydra.core.override_parser.overrides_parser import OverridesParser

    overrides = [str(a) for a in args.overrides]
    try:
        OverridesParser.create().parse_overrides(overrides)  # grammar first: no config needed
    except Exception as exc:
        return explain(exc, overrides)
    with _session(args) as config_name:
        return _check_session(args, overrides, config_name)


def _check_session(args, overrides: list[str], config_name: str) -> str | None:
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create(config_loader=GlobalHydra.instance().config_loader())
    try:
        parsed = parser.parse_overrides(overrides)  # with the loader: glob(...) sweeps expand
    except Exception as exc:
        return explain(exc, overrides)
    latest: dict = {}  # key -> (text, values or None, is_hydra); a later override wins,
    for ov, text in zip(parsed, overrides):  # as in Hydra's basic sweeper
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
    first = base + hydra_base + hydra_sweeps + [f"{k}={v[0]}" for k, (_, v) in sweeps.items()]
    cfg = _compose(first, config_name, with_hydra=True)
    mode = str(OmegaConf.select(cfg, "hydra.mode", default="") or "")
    multirun = bool(args.multirun) or mode.endswith("MULTIRUN")
    if (sweeps or hydra_sweeps) and not multirun:
        text = next(iter(sweeps.values()))[0] if sweeps else hydra_sweeps[0]
        return (f"{text} has several values (a sweep); add -m to run a sweep, or write "
                f"key=[a,b] for a list")
    if multirun:
        added = False
        for key, text, values in _sweeper_params(cfg, parser):
            if key not in sweeps:  # the command line wins over the experiment file
                sweeps[key] = (text, values)
                added = True
        if added:
            _compose(base + [f"{k}={v[0]}" for k, (_, v) in sweeps.items()], config_name)
    job = typed = None
    for key, (_, values) in sweeps.items():  # every value of every swept key, once
        others = base + [f"{k}={v[0]}" for k, (_, v) in sweeps.items() if k != key]
        for v in values[1:]:
            quick = _quick_value(key, v, parser)
            if quick is _SLOW:  # a config group or +/~ override: compose it
                _compose(others + [f"{key}={v}"], config_name)
                continue
            if job is None:  # every swept key at its first value
                job = _compose(base + [f"{k}={v[0]}" for k, (_, v) in sweeps.items()],
                               config_name)
                typed = OmegaConf.to_object(job)
            _check_update(job, typed, key, quick, f"{key}={v}")
    return None


_SLOW = object()


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
    if _group_options(key) and not isinstance(value, dict):
        return _SLOW
    return value


def _check_update(job: DictConfig, typed, key: str, value, text: str) -> None:
    """Validate ``job`` with ``key`` set to ``value`` (as Hydra would set it), cheaply.

    ``job`` is the composed config with every swept key at its first value and ``typed`` its
    ``params.Config``; ``job`` is left unchanged."""
    import copy

    if isinstance(value, dict) or re.search(r"(^|\.)\d+(\.|$)", key):
        cfg = job.copy()  # a merge into a node, or a list item: check a full copy
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


def full_error() -> bool:
    return os.environ.get("HYDRA_FULL_ERROR", "") == "1"
