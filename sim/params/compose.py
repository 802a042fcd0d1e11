"""Composing configs as ``python -m sim`` does: one path for the command line, notebooks, tests.

``compose`` returns the DictConfig that ``python -m sim`` would resolve for some overrides,
validated the same way (a bad value raises ``ConfigError``, one line). ``hydra_session`` sets
up a global Hydra as ``python -m sim`` does, for the preflight (``sim.params.preflight``), and
``group_options`` lists what a config group offers on the search path in use.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from omegaconf import DictConfig, open_dict

from sim import params

SIM_DIR = Path(__file__).resolve().parents[1]  # the package (where Hydra's main module is)
CONFIG_DIR = SIM_DIR.parent / "configs"
params.register()

#: The preflight's Hydra session, or None: the overrides that put --config-dir on the search
#: path, and the options of each config group (cached: the search path is fixed meanwhile).
_session: dict | None = None


def compose(overrides: Sequence[str] = ()) -> DictConfig:
    """The config ``python -m sim OVERRIDES`` would run, validated (raises ConfigError)."""
    return _compose(list(overrides))


def _compose(overrides: list[str], config_name: str = "config",
             with_hydra: bool = False) -> DictConfig:
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    search = _session["overrides"] if _session else []
    try:
        if GlobalHydra.instance().is_initialized():  # inside a running Hydra app / preflight
            cfg = hydra_compose(config_name=config_name, overrides=search + overrides,
                                return_hydra_config=with_hydra)
        else:
            with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
                cfg = hydra_compose(config_name=config_name, overrides=overrides,
                                    return_hydra_config=with_hydra)
    except params.ConfigError:
        raise
    except Exception as exc:  # Hydra/OmegaConf/YAML errors -> one readable line
        from sim.params.errors import explain  # (errors reads CONFIG_DIR from this module)

        raise params.ConfigError(explain(exc, overrides)) from exc
    job = cfg
    if with_hydra and "hydra" in cfg:
        job = cfg.copy()
        with open_dict(job):
            del job["hydra"]
    params.validate(job)
    return cfg


@contextlib.contextmanager
def hydra_session(primary: Path, searchpath: Sequence[str] = ()):
    """A global Hydra set up as ``python -m sim`` sets it up: the primary config folder and
    extra search-path entries (``--config-dir``), given to Hydra as ``hydra.searchpath``,
    which puts them where ``--config-dir`` goes: after the primary folder, before the schema."""
    global _session
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    quoted = ["'" + p.replace("\\", "\\\\").replace("'", "\\'") + "'" for p in searchpath]
    extra = [f"hydra.searchpath=[{','.join(quoted)}]"] if quoted else []
    hydra = (contextlib.nullcontext() if GlobalHydra.instance().is_initialized()
             else initialize_config_dir(config_dir=str(primary), job_name="sim",
                                        version_base="1.3"))
    with hydra:
        _session = {"overrides": extra, "options": {}}
        try:
            yield
        finally:
            _session = None


def group_options(group: str) -> list[str]:
    """Options of a config group on the search path in use (user config folders too)."""
    from hydra.core.global_hydra import GlobalHydra

    cache = _session["options"] if _session else {}
    if group not in cache:
        found: list[str] = []
        try:
            if GlobalHydra.instance().is_initialized():
                loader = GlobalHydra.instance().config_loader()
                found = sorted(set(loader.get_group_options(
                    group, overrides=_session["overrides"] if _session else None)))
        except Exception:  # e.g. a broken user folder: the message names what exists here
            found = []
        cache[group] = found or sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))
    return cache[group]


def group_loader():
    """What Hydra's override parser needs to expand ``glob(...)`` over a config group."""
    from types import SimpleNamespace

    return SimpleNamespace(get_group_options=lambda group, **_: group_options(group))


def inject_file(name: str) -> tuple:
    """The injects (InjectConfig) the file configs/inject/NAME.yaml adds (``+inject=NAME``),
    keys and types checked; e.g. the app's preset buttons."""
    from omegaconf import OmegaConf

    from sim.params.checks import injects

    node = OmegaConf.load(CONFIG_DIR / "inject" / f"{name}.yaml")
    return tuple(inj for _, inj in injects(OmegaConf.to_container(node).get("injects")))
