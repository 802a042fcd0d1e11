"""``python -m sim [overrides]``: one run; ``python -m sim -m [sweep]``: a sweep (Hydra app).

Flow: command line -> preflight (one-line errors, no job launched) -> Hydra composes ->
typed params -> skip if the folder holds this run finished (same config; files complete and
readable), else ``simulate`` -> the run's files, written atomically into Hydra's output folder
(``summary.json`` last, with the config's fingerprint and the code's version).
"""

from __future__ import annotations

import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from sim.params.compose import CONFIG_DIR
from sim.params.preflight import full_error, preflight
from sim.params import ConfigError


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def app(cfg: DictConfig) -> float | None:
    from sim.record import run as record
    from sim.world.simulate import simulate
    from sim.params import to_params, validate

    out = Path(HydraConfig.get().runtime.output_dir)
    multirun = HydraConfig.get().mode.name == "MULTIRUN"
    try:
        validate(cfg)  # unknown keys too (to_params alone drops them silently)
        params = to_params(cfg)
    except ConfigError as exc:
        if full_error():
            raise
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    fingerprint = config_fingerprint(cfg)
    if record.is_finished(out):
        made_by = record.load_summary(out).get("config_sha256")
        if made_by in (None, fingerprint):
            print(f"skip (finished): {out}")
            return record.load_summary(out).get("incidents_per_month")
        print(f"redo (the config changed since it ran): {out}")
    elif any((out / f).exists() for f in record.FILES):
        print(f"redo (incomplete or corrupt files): {out}")
    result = simulate(params, progress=None if not multirun else False)
    result.summary.update(_provenance(), config_sha256=fingerprint)
    result.save(out)
    if not multirun:
        print(result.describe())
        print(f"files: {out}")
    return result.summary["incidents_per_month"]


def config_fingerprint(cfg: DictConfig) -> str:
    """A short hash of the resolved run config, display-only keys left out: a re-run skips a
    finished run only if it was made with the same config (Hydra has already rewritten the
    folder's .hydra/config.yaml by then, so the run's summary.json keeps this)."""
    import hashlib
    import json

    from omegaconf import OmegaConf

    c = OmegaConf.to_container(cfg, resolve=True)
    c.pop("hydra", None)
    c.get("run", {}).pop("progress", None)  # display only
    c.get("scenario", {}).pop("description", None)  # a label
    text = json.dumps(c, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _provenance() -> dict:
    """The code that made the run (copied per run into results.parquet by sim.gather)."""
    from sim.sweeps.provenance import git_state, package_version

    commit, dirty = git_state()
    return {"package_version": package_version(), "git_commit": commit, "git_dirty": dirty}


def main() -> None:
    argv = sys.argv[1:]
    if not full_error():
        problem = preflight(argv)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            sys.exit(2)
    app()


if __name__ == "__main__":
    main()
