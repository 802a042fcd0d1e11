"""Hydra's, OmegaConf's and YAML's errors, translated into one line: the key, the value and
what is allowed (``explain``), instead of a traceback."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from omegaconf import DictConfig, OmegaConf

from sim.params.compose import CONFIG_DIR, group_options
from sim.params.schema import Config, InjectConfig

_GRAMMAR = "(write overrides as key=value, e.g. japan.capacity=0.5)"


def explain(exc: BaseException, overrides: Sequence[str] = ()) -> str:
    """One line from a Hydra/OmegaConf/YAML composition error: the key, the value, what is
    allowed."""
    chain, seen = [], exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    text = _first_line(exc)
    for translate in (_yaml_error, _schema_error, _file_error, _group_error, _usage_error):
        line = translate(exc, text, chain, overrides)
        if line:
            return line
    flat = " ".join(str(exc).split())
    flat = re.sub(r"\s*Config search path:.*", "", flat)
    return flat or type(exc).__name__


def _first_line(exc: BaseException) -> str:
    s = str(exc).strip()
    return s.splitlines()[0].strip() if s else type(exc).__name__


# --------------------------------------------------------------------------- translators
def _yaml_error(exc, text, chain, overrides) -> str | None:
    """A YAML syntax error in a config file: file, line, column and the problem."""
    import yaml

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


def _schema_error(exc, text, chain, overrides) -> str | None:
    """An override or file that sets a key the schema lacks, or a value of the wrong type."""
    from omegaconf.errors import ConfigKeyError, ValidationError

    m = re.match(r"(?:Could not override|Could not append to config|Could not delete from "
                 r"config|Error merging override) '?([^'\s]+?)(?:=|'|$)", text)
    outer_key = m.group(1) if m else None
    cause = next((c for c in chain if isinstance(c, (ConfigKeyError, ValidationError))), None)
    full_key = getattr(cause, "full_key", None) if cause is not None else None
    if isinstance(cause, ConfigKeyError) and full_key:
        return _unknown_key(cause, full_key, outer_key)
    if isinstance(cause, ValidationError) and (full_key or outer_key):
        return f"{full_key or outer_key}: {_first_line(cause)} (check the type of the value)"
    if outer_key and text.startswith(("Could not override", "Could not append",
                                      "Could not delete")):
        parent = _parent(outer_key)
        allowed = _allowed_keys(parent)
        hint = f"; allowed keys{' in ' + parent if parent else ''}: {allowed}" if allowed else ""
        if text.startswith("Could not delete"):
            return f"cannot delete '{outer_key}': it is not in the config{hint}"
        return f"unknown config key '{outer_key}'{hint}"
    return None


def _unknown_key(cause, full_key: str, outer_key: str | None) -> str:
    allowed = _allowed_keys_of(cause) or _allowed_keys(_parent(full_key))
    where = _parent(full_key)
    if outer_key and not full_key.startswith(outer_key.split("[")[0]):
        where = f"an item of {outer_key}"  # e.g. a key inside a list of mappings
    return f"unknown config key '{full_key}'" + (f" in {where}" if where and not
                                                  full_key.startswith(where) else "") + (
        f"; allowed keys{' in ' + where if where else ''}: {allowed}" if allowed else "")


def _file_error(exc, text, chain, overrides) -> str | None:
    """A config file whose content does not fit the schema, or a deletion of a missing key."""
    found = re.match(r"In '([^']+)': \w+ raised while composing config:\s*(.*)", text)
    if found:
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
    return None


def _group_error(exc, text, chain, overrides) -> str | None:
    """An unknown config group option (scenario=nope) or primary config: list what exists."""
    found = re.search(r"Could not (?:find|load) '([^']+)'", text)
    if found:
        group, _, bad = found.group(1).rpartition("/")
        options = group_options(group) if group else []
        if options:
            return f"unknown {group} '{bad}'; available {group} options: {', '.join(options)}"
        return f"unknown config '{found.group(1)}'"
    found = re.search(r"Cannot find primary config '([^']+)'", text)
    if found:
        return (f"--config-name {found.group(1)}: no such config; the main config is "
                f"'config' ({CONFIG_DIR / 'config.yaml'})")
    return None


def _usage_error(exc, text, chain, overrides) -> str | None:
    """A sweep without -m, a config group given a value, an override Hydra cannot parse."""
    if text.startswith("Ambiguous value for argument") or "requires --multirun" in text:
        ov = re.search(r"'([^']+)'", text)
        what = ov.group(1) if ov else "a value"
        return (f"{what} has several values (a sweep); add -m to run a sweep, or write "
                f"key=[a,b] for a list")
    if "Config group override must be a string" in text or "is not iterable" in text:
        return _group_given_a_value(overrides) or (
            f"an override has no key or gives a config group a non-name value: {text}")
    if "Error parsing override" in text or "mismatched input" in text or \
            "no viable alternative" in text or "extraneous input" in text:
        return f"{text} {_GRAMMAR}"
    if text.startswith("Error merging override injects="):
        return (f"{text.split(' ', 3)[-1]}: a list cannot replace the named injects of the "
                f"inject files; add one by name, e.g. +injects.mine={{kind: rig, day: 5}}")
    if "Additional config directory" in text:
        return f"--config-dir: {text}"
    return None


def _group_given_a_value(overrides: Sequence[str]) -> str | None:
    bad = _bad_group_override(overrides)
    if bad is None:
        return None
    key, value = bad
    if key == "(no key)":
        return f"'={value}' has no key; {_GRAMMAR[1:-1]}"
    inner = _allowed_keys(key)
    return (f"{key}={value} is not allowed; {key} is a config group: choose one of "
            f"{', '.join(group_options(key))}"
            + (f", or set one of its keys, e.g. {key}.{inner.split(', ')[0]}=..." if inner
               else ""))


def _bad_group_override(overrides: Sequence[str]) -> tuple[str, str] | None:
    """The override that gives a config group something other than an option name."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create()
    for text in overrides:
        key, sep, value = str(text).partition("=")
        key = key.lstrip("+~")
        if not key:
            return ("(no key)", value)
        if not sep or not group_options(key):
            continue
        try:
            typed = parser.parse_override(str(text)).value()
        except Exception:
            return key, value
        items = typed if isinstance(typed, list) else [typed]
        if not all(isinstance(v, str) for v in items):
            return key, value
    return None


# --------------------------------------------------------------------------- the keys there are
def _parent(full_key: str) -> str:
    return full_key.rsplit(".", 1)[0] if "." in full_key else ""


def _allowed_keys_of(cause) -> str:
    t = getattr(cause, "object_type", None)
    if t is not None and dataclasses.is_dataclass(t):
        return ", ".join(f.name for f in dataclasses.fields(t))
    return ""


def _allowed_keys(parent: str) -> str:
    if re.fullmatch(r"injects(\.[^.\[\]]+|\[\d+\])", parent):  # one inject (untyped node)
        return ", ".join(f.name for f in dataclasses.fields(InjectConfig))
    node = OmegaConf.structured(Config)
    for part in [p for p in re.split(r"[.\[\]]+", parent) if p]:
        if part.isdigit() or not isinstance(node, DictConfig) or part not in node:
            return ""
        node = node[part]
    return ", ".join(node.keys()) if isinstance(node, DictConfig) else ""
