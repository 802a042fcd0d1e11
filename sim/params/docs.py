"""The parameter table (docs/parameters.md), printed from the schema's declarations."""

from __future__ import annotations

import dataclasses
import typing

from .schema import Config


def parameter_table() -> list[dict]:
    """Rows (key, default, unit, range, plausible, meaning, source) for docs/parameters.md."""
    rows: list[dict] = []
    _rows(Config, "", rows)
    return rows


def _rows(cls, prefix: str, rows: list[dict]) -> None:
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.name == "injects":  # scripted events, not parameters (configs/inject/)
            continue
        if dataclasses.is_dataclass(hints[f.name]):
            _rows(hints[f.name], f"{prefix}{f.name}.", rows)
            continue
        m = f.metadata
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        rng = ("{" + ", ".join(map(str, m["choices"])) + "}" if m.get("choices")
               else (f"[{m.get('lo')}, {m.get('hi')}]" if m.get("lo") is not None else ""))
        rows.append(dict(key=prefix + f.name, default=default, unit=m.get("unit", "-"),
                         range=rng, plausible=_plausible(m), meaning=m.get("help", ""),
                         source=m.get("source", "assumption")))


def _plausible(meta: dict) -> str:
    """The plausible range, and scenario discovery's where it is wider."""
    if meta.get("plausible") is None:
        return ""
    text = "[{}, {}]".format(*meta["plausible"])
    return text + ("; discovery [{}, {}]".format(*meta["discovery"]) if meta.get("discovery")
                   else "")


def main() -> None:
    """Print the parameter table as Markdown (used to regenerate docs/parameters.md)."""
    print("# Parameters\n\nGenerated from `sim/params/schema.py` by `python -m sim.params`; "
          "scenario files override the defaults (see `configs/scenario/`).\n")
    print("| key | default | unit | range | plausible | meaning | source |\n"
          "|---|---|---|---|---|---|---|")
    for r in parameter_table():
        cells = [f"`{r['key']}`", r["default"], r["unit"], r["range"], r["plausible"],
                 r["meaning"], r["source"]]
        print("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
