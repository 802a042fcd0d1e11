"""``python -m sim [overrides]``: one run; ``python -m sim -m [sweep]``: a sweep (Hydra app).

Flow: command line -> preflight (one-line errors, no job launched) -> Hydra composes ->
typed params -> ``simulate`` -> the run's files, written atomically into Hydra's output folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from .config import CONFIG_DIR, full_error, preflight
from .params import ConfigError


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def app(cfg: DictConfig) -> float | None:
    from . import record
    from .model import simulate
    from .params import to_params

    out = Path(HydraConfig.get().runtime.output_dir)
    multirun = HydraConfig.get().mode.name == "MULTIRUN"
    if record.is_finished(out):
        print(f"skip (finished): {out}")
        return record.load_summary(out).get("incidents_per_month")
    try:
        params = to_params(cfg)
    except ConfigError as exc:
        if full_error():
            raise
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    result = simulate(params, progress=None if not multirun else False)
    result.save(out)
    if not multirun:
        print(result.describe())
        print(f"files: {out}")
    return result.summary["incidents_per_month"]


def main() -> None:
    argv = sys.argv[1:]
    if not full_error() and not {"--help", "-h", "--hydra-help", "--info", "-i"} & set(argv):
        problem = preflight(argv)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            sys.exit(2)
    app()


if __name__ == "__main__":
    main()
