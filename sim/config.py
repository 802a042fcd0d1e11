"""Composing and checking configs: the same path for the command line, notebooks and tests.

``compose`` returns the DictConfig that ``python -m sim`` would resolve for some overrides,
validated the same way. ``preflight`` checks a command line (including every value of a sweep)
before Hydra starts, so that bad input gets one line naming the key, the value and what is
allowed, instead of a traceback, and no job is launched.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from . import params

CONFIG_DIR = Path(__file__).resolve().parents[1] / "configs"
params.register()


def compose(overrides: Sequence[str] = ()) -> DictConfig:
    """The config ``python -m sim OVERRIDES`` would run, validated (raises ConfigError)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    overrides = list(overrides)
    try:
        if GlobalHydra.instance().is_initialized():  # inside a running Hydra app
            cfg = hydra_compose(config_name="config", overrides=overrides)
        else:
            with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
                cfg = hydra_compose(config_name="config", overrides=overrides)
    except Exception as exc:  # Hydra/OmegaConf errors -> one readable line
        raise params.ConfigError(explain(exc, overrides)) from exc
    params.validate(cfg)
    return cfg


def explain(exc: BaseException, overrides: Sequence[str] = ()) -> str:
    """One line from a Hydra/OmegaConf composition error: the key, the value, what is allowed."""
    from omegaconf.errors import ConfigKeyError, ValidationError

    cause = exc
    while cause.__cause__ is not None and not isinstance(cause, (ConfigKeyError, ValidationError)):
        cause = cause.__cause__
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    full_key = getattr(cause, "full_key", None)
    if isinstance(cause, ConfigKeyError) and full_key:
        parent = full_key.rsplit(".", 1)[0] if "." in full_key else ""
        allowed = _allowed_keys(parent)
        hint = f"; allowed keys{' in ' + parent if parent else ''}: {allowed}" if allowed else ""
        return f"unknown config key '{full_key}'{hint}"
    if isinstance(cause, ValidationError) and full_key:
        msg = str(cause).strip().splitlines()[0]
        return f"{full_key}: {msg} (check the type of the value)"
    if text.startswith("Could not override '") or text.startswith("Could not append to config"):
        key = text.split("'")[1] if "'" in text else "?"
        parent = key.rsplit(".", 1)[0] if "." in key else ""
        allowed = _allowed_keys(parent)
        hint = f"; allowed keys{' in ' + parent if parent else ''}: {allowed}" if allowed else ""
        return f"unknown config key '{key}'{hint}"
    found = re.search(r"Could not find '([^']+)'", text)
    if found:  # unknown group option, e.g. scenario=nope: list what exists
        group, _, bad = found.group(1).rpartition("/")
        options = sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml")) if group else []
        if options:
            return f"unknown {group} '{bad}'; available {group} options: {', '.join(options)}"
        return f"unknown config '{found.group(1)}'"
    if "Error parsing override" in text or "mismatched input" in text:
        return f"{text} (write overrides as key=value, e.g. japan.capacity=0.5)"
    return " ".join(str(exc).split())


def _allowed_keys(parent: str) -> str:
    node = OmegaConf.structured(params.Config)
    for part in [p for p in parent.split(".") if p]:
        if part not in node:
            return ""
        node = node[part]
    return ", ".join(node.keys()) if isinstance(node, DictConfig) else ""


def preflight(argv: Sequence[str]) -> str | None:
    """Check a command line before Hydra runs it; return a one-line error or None."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    overrides = [a for a in _overrides_only(argv)]
    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except Exception as exc:
        return explain(exc)
    base, sweeps = [], []
    for ov, text in zip(parsed, overrides):
        if ov.is_hydra_override() or ov.get_key_element().lstrip("+~").startswith("hydra"):
            continue
        if ov.is_sweep_override():
            key = text.split("=", 1)[0]
            sweeps.append((key, list(ov.sweep_string_iterator())))
        else:
            base.append(text)
    try:
        first = base + [f"{k}={vals[0]}" for k, vals in sweeps if vals]
        compose(first)
        for n, (key, vals) in enumerate(sweeps):  # every value of every swept key, once
            others = base + [f"{k}={v[0]}" for m, (k, v) in enumerate(sweeps) if m != n and v]
            for v in vals[1:]:
                compose(others + [f"{key}={v}"])
    except params.ConfigError as exc:
        return str(exc)
    return None


def _overrides_only(argv: Sequence[str]) -> list[str]:
    """Drop Hydra's own flags (and their arguments) from a command line."""
    with_arg = {"--cfg", "-c", "--package", "-p", "--config-path", "-cp", "--config-name",
                "-cn", "--config-dir", "-cd", "--info", "-i", "--experimental-rerun"}
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
            continue
        if a in with_arg:
            skip = a not in {"--info", "-i"} or False
            continue
        if a.startswith("-"):
            continue
        out.append(a)
    return out


def full_error() -> bool:
    return os.environ.get("HYDRA_FULL_ERROR", "") == "1"
