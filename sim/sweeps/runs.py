"""The run folders of a sweep and what one of them holds: its overrides (typed as Hydra
parses them) and the scalars of its ``summary.json``, as one row of ``results.parquet``."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

# --------------------------------------------------------------------------- finding runs
def find_runs(sweep_dir: Path) -> list[Path]:
    """Run folders below ``sweep_dir``: those holding ``.hydra/overrides.yaml``."""
    runs = []
    for root, dirs, _files in os.walk(sweep_dir):
        here = Path(root)
        if here != sweep_dir and (here / ".hydra" / "overrides.yaml").is_file():
            runs.append(here)
            dirs[:] = []  # a run folder holds no further runs
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not
                         (here == sweep_dir and d == "report"))
    return sorted(runs)


# --------------------------------------------------------------------------- one run
def overrides_parser():
    from hydra.core.override_parser.overrides_parser import OverridesParser

    return OverridesParser.create()


def parse_overrides(lines: list[str], parser=None) -> dict:
    """Override lines -> {key: typed value}; dictionaries flattened to ``key.sub``."""
    import yaml

    parser = parser or overrides_parser()
    out: dict = {}
    for line in lines:
        line = str(line)
        try:
            ov = parser.parse_override(line)
            if ov.is_hydra_override() or ov.is_delete():
                continue
            key, value = ov.key_or_group, ov.value()
        except Exception:  # not Hydra grammar: take the text apart by hand
            key, _, text = line.partition("=")
            key = key.lstrip("+~")
            try:
                value = yaml.safe_load(text)
            except yaml.YAMLError:
                value = text
        if key.startswith("hydra.") or key == "hydra":
            continue
        _flatten(out, key, value)
    return out


def _flatten(out: dict, key: str, value) -> None:
    if isinstance(value, dict) and value:
        for k, v in value.items():
            _flatten(out, f"{key}.{k}", v)
    elif isinstance(value, dict):  # japan={}: nothing overridden (a reference run)
        return
    elif isinstance(value, (list, tuple)):
        out[key] = json.dumps(list(value))
    else:
        out[key] = value


def _schema_types(row: dict, config_file: Path) -> None:
    """Give override values the type of the resolved config (japan.capacity=0 -> 0.0)."""
    try:
        cfg = read_yaml(config_file)
    except (OSError, ValueError):
        return
    for key, value in row.items():
        node = cfg
        for part in key.split("."):
            node = node.get(part, _MISSING) if isinstance(node, dict) else _MISSING
        if node is _MISSING or isinstance(node, (dict, list)):
            continue
        if isinstance(node, float) and isinstance(value, int) and not isinstance(value, bool):
            row[key] = float(value)
        elif value is None or type(node) is type(value):
            row[key] = node


_MISSING = object()


def read_yaml(path: Path, tries: int = 20, pause_s: float = 0.05):
    """A YAML file that Hydra writes in place (``.hydra/*.yaml``: truncated, then written),
    read again while it is empty or unparseable: another launcher starting this run
    rewrites it (with the same content) while this one reads. ValueError if it stays so."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    problem = "empty"
    for attempt in range(tries):
        text = path.read_text()
        if text.strip():
            try:
                return yaml.load(text, Loader=loader)
            except yaml.YAMLError as exc:
                problem = " ".join(str(exc).split())[:120]
        time.sleep(pause_s)
    raise ValueError(f"{path} is {problem}")


def read_run(run_dir: Path, sweep_dir: Path, parser=None) -> tuple[dict, list[str]]:
    """(row, override keys) for a finished run; raises if unfinished or corrupt."""
    from sim.record import run as record

    summary = record.check_run(run_dir)  # raises CorruptRun if unfinished or corrupt
    lines = read_yaml(run_dir / ".hydra" / "overrides.yaml")
    if not isinstance(lines, list):
        raise ValueError(".hydra/overrides.yaml is not a list")
    row = parse_overrides(lines, parser)
    keys = list(row)
    _schema_types(row, run_dir / ".hydra" / "config.yaml")
    scalars: dict = {}
    for key, value in summary.items():
        _flatten(scalars, str(key), value)
    for key, value in scalars.items():
        row.setdefault(key, value)  # an override of the same name wins (same value)
    row["run_dir"] = run_dir.relative_to(sweep_dir).as_posix()
    return row, keys
