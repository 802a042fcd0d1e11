"""``python -m sim [overrides]``: one run; ``python -m sim -m [sweep]``: a sweep (Hydra app).

Flow: command line -> preflight (one-line errors, no job launched) -> Hydra composes ->
typed params -> skip if the folder holds this run finished (same config; files complete and
readable) -> claim the run folder (``sim.base.claims``: skip it if another live launcher holds
it, take over a dead one's claim) -> look again (finished meanwhile?), else ``simulate`` -> the
run's files, written atomically into Hydra's output folder (``summary.json`` last, with the
config's fingerprint and the code's version) -> release the claim.
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
    from sim.params import to_params, validate
    from sim.sweeps import replicates

    out = Path(HydraConfig.get().runtime.output_dir)
    multirun = HydraConfig.get().mode.name == "MULTIRUN"
    try:
        validate(cfg)  # unknown keys too (to_params alone drops them silently)
        to_params(cfg)
    except ConfigError as exc:
        if full_error():
            raise
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    value = _run_one(cfg, out, multirun)
    # Replicates batched into this job by the sweeper (sim/sweeps/replicates.py): each in the
    # folder Hydra would have given its own job.
    for seed in replicates.other_seeds() if multirun else ():
        cfg.seed = seed
        _run_one(cfg, _replicate_folder(out, seed), multirun)
    return value


def _replicate_folder(first: Path, seed: int) -> Path:
    """Make the folder of a replicate batched into this job: its ``.hydra/`` files as Hydra
    writes them for a job of its own (the job's, with the seed, the folder's name and path)."""
    from omegaconf import OmegaConf

    from sim.base.atomic import write_atomic
    from sim.sweeps import replicates

    hc = HydraConfig.get()
    task = replicates.with_seed(hc.overrides.task, seed)
    out = Path(str(hc.sweep.dir)) / replicates.dirname(task, hc.job.config.override_dirname)
    sub = hc.output_subdir or ".hydra"
    hydra_yaml = OmegaConf.load(first / sub / "hydra.yaml")
    hydra_yaml.hydra.overrides.task = task
    hydra_yaml.hydra.job.override_dirname = out.name
    hydra_yaml.hydra.runtime.output_dir = str(out.resolve())
    job_cfg = OmegaConf.load(first / sub / "config.yaml")
    job_cfg.seed = seed
    meta = out / sub
    meta.mkdir(parents=True, exist_ok=True)
    for name, node in (("config.yaml", job_cfg), ("hydra.yaml", hydra_yaml),
                       ("overrides.yaml", OmegaConf.create(task))):
        # (not fsynced, as Hydra writes them: summary.json, written last, marks a finished run)
        write_atomic(meta / name, lambda tmp, node=node: OmegaConf.save(node, tmp), fsync=False)
    return out


def _run_one(cfg: DictConfig, out: Path, multirun: bool) -> float | None:
    """One run into ``out``: skip it if finished, claim it, simulate, save, release."""
    from sim.base import claims
    from sim.base.atomic import remove_stale_temporaries
    from sim.record import run as record
    from sim.world.simulate import simulate
    from sim.params import to_params

    params = to_params(cfg)
    fingerprint = config_fingerprint(cfg)
    state, value = _state(out, fingerprint)
    if state == "finished":
        print(f"skip (finished): {out}", flush=True)
        _tidy_claim(out)
        return value
    try:  # one process per run: another launcher on this folder skips it (and waits at the end)
        claim = claims.acquire(out)
    except claims.Claimed as held:
        if multirun:
            print(f"skip (claimed by {held.holder.label}): {out}", flush=True)
            return None
        print(f"error: {out} is being written by {held.holder.label} (its claim "
              f"{out / claims.CLAIM}); wait for it or choose another hydra.run.dir",
              file=sys.stderr)
        sys.exit(1)
    with claim:
        if claim.previous is not None:
            print(f"take over (stale claim of {claim.previous.label}: {claim.why}): {out}",
                  flush=True)
            # its half-written files, if it died while saving (an expired lease: presumed dead)
            remove_stale_temporaries(out, record.FILES, presumed_dead=[claim.previous.tag])
        state, value = _state(out, fingerprint)  # finished by another launcher meanwhile?
        if state == "finished":
            print(f"skip (finished): {out}", flush=True)
            return value
        if state == "changed":
            print(f"redo (the config changed since it ran): {out}", flush=True)
        elif state == "incomplete":
            print(f"redo (incomplete or corrupt files): {out}", flush=True)
        elif multirun:  # one line per run simulated: "run", or "redo (why)"
            print(f"run: {out}", flush=True)
        result = simulate(params, progress=None if not multirun else False)
        result.summary.update(_provenance(), config_sha256=fingerprint)
        try:
            claim.check()  # taken over while it ran (its lease ran out): the other one saves
        except claims.ClaimLost as lost:
            print(f"skip (claim lost: {lost}): {out}", flush=True)
            return None
        result.save(out)
    if not multirun:
        print(result.describe())
        print(f"files: {out}")
    return result.summary["incidents_per_month"]


def _state(out: Path, fingerprint: str) -> tuple[str, float | None]:
    """What the folder holds: ("finished", headline figure) for this run finished with this
    config; "changed" (finished with another config), "incomplete" (some files) or "new"."""
    from sim.record import run as record

    if record.is_finished(out):
        summary = record.load_summary(out)
        if summary.get("config_sha256") in (None, fingerprint):
            return "finished", summary.get("incidents_per_month")
        return "changed", None
    if any((out / f).exists() for f in record.FILES):
        return "incomplete", None
    return "new", None


def _tidy_claim(out: Path) -> None:
    """Remove a stale claim left beside a finished run (its owner killed after saving)."""
    from sim.base import claims

    holder = claims.read(out)
    if holder is not None and holder.stale() is not None:
        try:
            claims.acquire(out, refresh_s=0).release()
        except (claims.Claimed, OSError):
            pass


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
