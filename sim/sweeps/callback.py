"""The sweep callback: progress while a multirun runs, ``results.parquet`` when it ends.

Registered in ``configs/config.yaml`` under ``hydra.callbacks.sweep_results``. Hydra calls
``on_multirun_start``/``on_multirun_end`` in the parent process; with the joblib or submitit
launchers the runs themselves happen in other processes (``on_job_end`` runs there), so the
parent cannot count job ends directly. Instead a background thread, started in
``on_multirun_start``, polls the sweep folder for the run folders this sweep will write
(their names follow from the sweep's overrides, ``hydra.sweep.subdir`` being the override
dirname) and reports "done/total, elapsed, ETA" on stderr: a tqdm bar on a terminal, a plain
line every ``interval_s`` seconds otherwise (logs, CI, SLURM). ``on_multirun_end`` stops it
and gathers the sweep (``sim.gather``). If the sweep dies of a failed job, an ``atexit`` hook
still gathers the runs that finished.

Options (``hydra.callbacks.sweep_results.<key>=...``): ``progress`` = auto | bar | lines |
off, ``interval_s`` (seconds between plain lines), ``gather`` = true | false.
"""

from __future__ import annotations

import atexit
import sys
import threading
import time
from pathlib import Path

try:
    from hydra.experimental.callback import Callback
except ImportError:  # pragma: no cover - hydra < 1.1
    Callback = object

#: Monitors of the sweeps running in this process (kept outside the callback object, which
#: Hydra pickles and sends to every job).
_ACTIVE: dict[int, "Monitor"] = {}


def fmt_seconds(s: float | None) -> str:
    if s is None or s != s or s == float("inf"):
        return "?"
    s = int(round(s))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}h{m:02d}m{sec:02d}s" if h else f"{m}m{sec:02d}s" if m else f"{sec}s"


# --------------------------------------------------------------------------- the job list
def expected_run_dirs(config) -> list[Path] | None:
    """The run folders the sweep will write, or None if they cannot be predicted.

    Mirrors Hydra's BasicSweeper: ``hydra.sweeper.params`` then the command line, expanded
    as a Cartesian product; each folder is named by ``hydra.job.override_dirname``.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from omegaconf import OmegaConf

    from sim.params.hydra_private import BasicSweeper, get_overrides_dirname
    from sim.params.preflight import sweeps_like_basic

    hc = config.hydra
    if not sweeps_like_basic(OmegaConf.select(hc, "sweeper._target_", default="")):
        return None
    subdir = str(OmegaConf.to_container(hc.sweep, resolve=False).get("subdir", ""))
    if subdir.replace(" ", "") not in ("${hydra:job.override_dirname}",
                                       "${hydra.job.override_dirname}"):
        return None
    params = OmegaConf.to_container(hc.sweeper, resolve=True).get("params") or {}
    lines = [f"{k}={v}" for k, v in params.items()]
    lines += list(OmegaConf.to_container(hc.overrides.task, resolve=False))
    parser = OverridesParser.create()
    batches = BasicSweeper.split_arguments(parser.parse_overrides(lines), None)
    od = hc.job.config.override_dirname
    exclude = list(od.exclude_keys)
    sweep_dir = Path(str(hc.sweep.dir))
    dirs = []
    for batch in batches:
        for job in batch:
            name = get_overrides_dirname(parser.parse_overrides(job), exclude, od.item_sep,
                                         od.kv_sep)
            dirs.append(sweep_dir / name)
    return dirs


# --------------------------------------------------------------------------- progress
def _terminal_width(stream) -> int:
    """Columns of the terminal behind ``stream``; 0 if it is not a (usable) terminal."""
    import os

    try:
        return os.get_terminal_size(stream.fileno()).columns if stream.isatty() else 0
    except (AttributeError, OSError, ValueError):
        return 0


class Monitor:
    """Polls the sweep folder in a daemon thread and reports progress on stderr."""

    def __init__(self, sweep_dir: Path, run_dirs: list[Path] | None, mode: str = "auto",
                 interval_s: float = 10.0, poll_s: float = 1.0, stream=None):
        self.sweep_dir = Path(sweep_dir)
        self.run_dirs = run_dirs
        self.stream = stream or sys.stderr
        if mode == "auto":
            mode = "bar" if _terminal_width(self.stream) > 0 else "lines"
        self.mode = mode
        self.interval_s, self.poll_s = float(interval_s), float(poll_s)
        self._done: set[Path] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._bar = None
        self.total = len(run_dirs) if run_dirs is not None else None
        self.initial = self._count()  # finished before this sweep started: skipped
        self.t0 = time.monotonic()
        self._first: tuple[float, int] | None = None  # (time, done) of the first new finish

    def _candidates(self) -> list[Path]:
        if self.run_dirs is not None:
            return self.run_dirs
        if not self.sweep_dir.is_dir():
            return []
        return [p.parent for p in self.sweep_dir.glob("*/summary.json")]

    def _count(self) -> int:
        from sim.record.run import is_finished

        for d in self._candidates():
            if d not in self._done and (d / "summary.json").is_file() and is_finished(d):
                self._done.add(d)
        return len(self._done)

    def line(self, done: int) -> str:
        now = time.monotonic()
        elapsed = now - self.t0
        total = self.total
        if self._first is None and done > self.initial:
            self._first = (now, done)
        eta = None  # from the pace since the first run finished (start-up excluded)
        if total is not None and done >= total:
            eta = 0.0
        elif total is not None and self._first and done > self._first[1]:
            eta = (now - self._first[0]) / (done - self._first[1]) * (total - done)
        of = f"{done}/{total}" if total is not None else f"{done}"
        skipped = f" ({self.initial} already finished)" if self.initial else ""
        pct = f" {100 * done / total:.0f}%" if total else ""
        return (f"sweep: {of} runs done{pct}{skipped}, elapsed {fmt_seconds(elapsed)}, "
                f"ETA {fmt_seconds(eta) if total is not None else '?'}")

    def start(self) -> "Monitor":
        if self.mode == "off":
            return self
        if self.mode == "bar":
            from tqdm import tqdm

            cols = _terminal_width(self.stream) or 100
            self._bar = tqdm(total=self.total, initial=self.initial, desc="sweep", unit="run",
                             file=self.stream, ncols=min(cols, 120), smoothing=0.1)
        else:
            print(self.line(self.initial), file=self.stream, flush=True)
        self._thread = threading.Thread(target=self._loop, name="sweep-progress", daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        last_print, last_done = time.monotonic(), self.initial
        while not self._stop.wait(self.poll_s):
            try:
                done = self._count()
            except Exception:  # a folder vanished mid-scan: try again next time
                continue
            text = self.line(done)
            if self._bar is not None:
                self._bar.update(done - self._bar.n)
            elif done != last_done and time.monotonic() - last_print >= self.interval_s:
                print(text, file=self.stream, flush=True)
                last_print, last_done = time.monotonic(), done

    def stop(self) -> int:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        done = self._count()
        if self._bar is not None:
            self._bar.update(done - self._bar.n)
            self._bar.close()
        elif self.mode != "off":
            print(self.line(done), file=self.stream, flush=True)
        return done


# --------------------------------------------------------------------------- the callback
class SweepResults(Callback):
    """Hydra callback: progress during a multirun, ``results.parquet`` at its end."""

    def __init__(self, progress: str = "auto", interval_s: float = 10.0, gather: bool = True):
        self.progress = str(progress)
        self.interval_s = float(interval_s)
        self.gather = bool(gather)

    def __getstate__(self):  # sent to every job: only the options, never the thread
        return {"progress": self.progress, "interval_s": self.interval_s, "gather": self.gather}

    def __setstate__(self, state):
        self.__dict__.update(state)

    def on_multirun_start(self, config, **kwargs) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir))
        try:
            run_dirs = expected_run_dirs(config)
        except Exception:  # an unusual sweeper or grammar: count folders instead
            run_dirs = None
        mon = Monitor(sweep_dir, run_dirs, mode=self.progress, interval_s=self.interval_s)
        _ACTIVE[id(self)] = mon.start()
        atexit.register(self._finish, sweep_dir, True)

    def on_multirun_end(self, config, **kwargs) -> None:
        self._finish(Path(str(config.hydra.sweep.dir)), False)

    def _finish(self, sweep_dir: Path, at_exit: bool) -> None:
        mon = _ACTIVE.pop(id(self), None)
        if mon is None:  # already finished (on_multirun_end ran before exit)
            return
        mon.stop()
        if not self.gather:
            return
        from sim.sweeps.gather import GatherError, gather

        try:
            res = gather(sweep_dir)
        except GatherError as exc:
            print(f"warning: no results.parquet written: {exc}", file=sys.stderr)
            return
        note = " (the sweep stopped early; re-run the same command to finish it)" \
            if at_exit else ""
        runs = f"{res.runs} finished run{'s' if res.runs != 1 else ''}"
        print(f"results: {res.path} ({runs}){note}", flush=True)
