"""Mutation score of the fast suite: plant each semantic mutant, run the tests, count the kills.

    python tools/mutants.py [-j N] [--only PATTERN,...] [--kind KIND] [--timeout S]
                            [--cold] [--write] [--keep] [--list]
    python tools/mutants.py --write-only          (docs/testing.md from the last results)
    python tools/mutants.py --digests [--write]   (after a run: are the survivors equivalent?)

``make mutants`` runs it with the project's venv. For each mutant of ``tools/mutant_list.py``
(one exact edit of today's code), the runner copies the repository into a worker's slot,
applies the one edit, and runs the test selection (the fast suite, ``-m "not slow"``, minus the files in
``EXCLUDED`` and the tests in ``DESELECTED``) with ``-x -p no:cacheprovider`` and a per-mutant
timeout; a failing test kills the mutant. A mutant whose module no longer imports, or whose
kernel no longer compiles, is *trivially killed* (a crash, not a wrong model).

Results: killed, trivially killed, survived, timeout (counted as killed: the suite does not
finish), error (a stale mutant whose snippet no longer matches exactly once, or a runner
failure: not counted). Score = (killed + trivially killed + timeout) / (mutants - errors).
Before the mutants, every slot runs the selection on the unmutated copy: it must pass (else
every mutant would look killed), and it times the files, which then run fastest first; it
also checks that Python imports ``sim`` from the copy (PYTHONPATH beats the editable install).

Numba caches compiled kernels by source path and stamp (mtime, size), not by what they call,
so each mutant gets a ``NUMBA_CACHE_DIR`` of its own: empty (cold) if the mutated file is
imported by a module with numba kernels (its kernels or constants may be compiled into
another file's cached kernels), otherwise a copy of the slot's warm cache from the baseline
(the mutated file's own kernels recompile, since its stamp changed). ``--cold`` always starts
empty.

``--digests`` takes the survivors of the last run (outputs/mutants/results.json) and runs only
the behaviour digests (tests/test_behaviour.py) on each: a survivor that leaves the pinned
runs' output unchanged may be an equivalent mutant on those configs; one that changes them is
a gap of the suite. The answer is added to results.json (and to docs/testing.md with --write). ``--write`` writes the results into the
mutation section of docs/testing.md (between its markers; the rest of the file is kept).
"""

from __future__ import annotations

import ast
import concurrent.futures as cf
import fnmatch
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from mutant_list import KINDS, MUTANTS, Mutant  # noqa: E402

#: Files of the fast suite left out of the mutation runs, and why (docs/testing.md).
EXCLUDED = {
    "tests/test_app.py": "the browser app (Chromium, Solara): user interface, not behaviour",
    "tests/test_bad_input.py": "one-line errors for bad command lines: the CLI, not behaviour",
    "tests/test_crash.py": "crash safety of sweeps and files: the CLI, not behaviour",
    "tests/test_sweep.py": "Hydra sweeps and gathering results: the CLI, not behaviour",
    "tests/test_report.py": "a sweep's report and its figures: drawing, not behaviour",
    "tests/test_notebooks.py": "the teaching notebooks run end to end: slow, not behaviour",
    "tests/test_plots.py": "figures from tables (no model imports): drawing, not behaviour",
    "tests/test_architecture.py": "the import-layers contract: no mutant changes an import",
    "tests/test_sea.py": "geography (land, zones, radar cover) and the map drawing: built from "
                         "committed data before any mechanism runs; left out for speed",
    "tests/test_reproducibility.py": "seed semantics and cross-process identity: a wrong model "
                                     "is as reproducible as a right one; left out for speed",
    "tests/test_mutants.py": "checks the mutant list against the code: in a mutated copy it "
                             "fails by construction",
    "tests/test_behaviour.py": "the behaviour digests: a change detector that fails on any "
                               "change of output, right or wrong, so it would kill every "
                               "non-equivalent mutant and say nothing about whether the suite "
                               "knows a wrong model (see --digests)",
    "tests/test_baseline.py": "the baseline regression: committed summary figures of two "
                              "runs, a change detector like the digests (any change of output "
                              "moves a figure, right or wrong)",
}
#: Tests of the kept files left out for speed: each spawns a new process or draws a figure.
DESELECTED = {
    "tests/test_config.py::test_map_command_draws_the_sea": "draws the map in a subprocess",
    "tests/test_config.py::test_cli_bad_input_is_one_line_nonzero_and_launches_nothing":
        "the command line in a subprocess",
    "tests/test_config.py::test_cli_bad_value_inside_a_sweep_is_caught_before_launch":
        "the command line in a subprocess",
    "tests/test_config.py::test_cfg_job_prints_the_resolved_config":
        "the command line in a subprocess",
    "tests/test_model.py::test_same_config_and_seed_give_identical_files_in_separate_processes":
        "reproducibility across processes (two subprocess runs)",
}
MARKER = "-m"
SELECTION = "not slow"
SMOKE = """
import sys
import sim
if not sim.__file__.startswith({tree!r}):
    print("sim imported from " + sim.__file__ + ", not the copy", file=sys.stderr)
    sys.exit(99)
"""
COPY_IGNORE = shutil.ignore_patterns(".git", ".hypothesis", "__pycache__", ".pytest_cache",
                                     "outputs", "multirun", ".venv", "*.egg-info", "*.pkl")
BEGIN, END = "<!-- mutants:begin -->", "<!-- mutants:end -->"
DOC = ROOT / "docs" / "testing.md"


@dataclass
class Result:
    id: str
    status: str  # killed | trivially killed | survived | timeout | error
    seconds: float = 0.0
    killer: str = ""  # the first failing test
    cache: str = ""  # warm | cold
    digests: str = ""  # with --digests, for survivors: changed | unchanged
    detail: str = ""

    @property
    def counts_as_killed(self) -> bool:
        return self.status in ("killed", "trivially killed", "timeout")


@dataclass
class Baseline:
    seconds: float
    files: list[str]  # the selection's files, fastest first
    file_seconds: dict[str, float] = field(default_factory=dict)
    tests: int = 0
    load: float = -1.0  # the machine's 1-minute load average when the run began
    cores: int = 0


# --------------------------------------------------------------------------- the mutants
def stale(m: Mutant, root: Path = ROOT) -> str:
    """Why mutant ``m`` cannot be applied to the code under ``root`` ('' if it can)."""
    path = root / m.file
    if not path.is_file():
        return f"{m.file} not found"
    n = path.read_text().count(m.old)
    return "" if n == 1 else f"snippet found {n} times in {m.file} (must be once)"


def apply(m: Mutant, tree: Path) -> None:
    path = tree / m.file
    text = path.read_text()
    path.write_text(text.replace(m.old, m.new, 1))


def enclosing_function(m: Mutant, root: Path = ROOT) -> tuple[str, bool]:
    """(name of the innermost function around the mutant's snippet, whether it is a numba
    kernel: decorated with ``njit``); ('', False) at module level."""
    text = (root / m.file).read_text()
    line = text[: text.index(m.old)].count("\n") + 1
    best, best_span, jit = "", None, False
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                node.lineno <= line <= node.end_lineno:
            span = node.end_lineno - node.lineno
            if best_span is None or span < best_span:
                best, best_span = node.name, span
                jit = any("njit" in ast.unparse(d) for d in node.decorator_list)
    return best, jit


def jit_imported_files(root: Path = ROOT) -> set[str]:
    """Files (relative paths) imported by a module that has numba kernels: a mutant there
    needs an empty numba cache, since other files' cached kernels may have compiled it in."""
    out: set[str] = set()
    for path in (root / "sim").rglob("*.py"):
        text = path.read_text()
        if "njit" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            mods = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                mods = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            for mod in mods:
                if not mod.startswith("sim"):
                    continue
                base = root / Path(*mod.split("."))
                for cand in (base.with_suffix(".py"), base / "__init__.py"):
                    if cand.is_file() and cand != path:
                        out.add(str(cand.relative_to(root)))
    return out


# --------------------------------------------------------------------------- running
def selection_files(root: Path = ROOT) -> list[str]:
    return [str(p.relative_to(root)) for p in sorted((root / "tests").glob("test_*.py"))
            if str(p.relative_to(root)) not in EXCLUDED]


def pytest_command(files: list[str], junit: Path | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", MARKER,
           SELECTION, "-rfE", *[f"--deselect={t}" for t in DESELECTED], *files]
    if junit is not None:
        cmd += [f"--junitxml={junit}"]
    return cmd


def env_for(tree: Path, numba_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(PYTHONPATH=str(tree), NUMBA_CACHE_DIR=str(numba_dir), MPLBACKEND="Agg",
               SOLARA_TELEMETRY_MIXPANEL_ENABLE="False", OMP_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", NUMBA_NUM_THREADS="1",
               COLUMNS="400")  # pytest's summary lines untruncated (the failure reason)
    env.pop("HYPOTHESIS_PROFILE", None)  # the suite's default (derandomised) profile
    return env


def run(cmd: list[str], cwd: Path, env: dict, timeout: float) -> tuple[int | None, str]:
    """Run ``cmd`` in a process group of its own; (exit code or None on timeout, output)."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the group we started: pytest and its children
        out, _ = proc.communicate()
        return None, out


def first_failure(out: str) -> str:
    for line in out.splitlines():
        m = re.match(r"(FAILED|ERROR) (\S+)", line)
        if m:
            return m.group(2)
    return ""


def failure_reason(out: str) -> str:
    """The short reason pytest gives on its FAILED/ERROR line (exception type and message)."""
    for line in out.splitlines():
        m = re.match(r"(FAILED|ERROR) \S+ - (.*)", line)
        if m:
            return m.group(2)[:160]
    return ""


CRASH = re.compile(r"TypingError|LoweringError|NumbaError|SyntaxError|ImportError|NameError")


def import_crash(m: Mutant, slot: Slot, out: str) -> bool:
    """Whether the mutated code does not even build: the mutated module fails to import, or a
    kernel fails to compile (numba typing), or Python cannot parse or resolve a name. Such a
    mutant is *trivially killed*: a crash, not a wrong model."""
    if CRASH.search(failure_reason(out)):
        return True
    module = m.file[:-3].replace("/", ".")
    rc, _ = run([sys.executable, "-c", f"import {module}"], slot.tree,
                env_for(slot.tree, slot.numba), 120)
    return rc != 0


def last_error_line(out: str) -> str:
    lines = [ln.strip() for ln in out.splitlines() if ln.strip()]
    errs = [ln for ln in lines if re.match(r"^[A-Za-z_.]*(Error|Exception)\b", ln)]
    return (errs or lines or ["(no output)"])[-1][:160]


class Slot:
    """A worker's place: the copy of the repository (always at the same path, so that the
    warm numba cache of its baseline stays valid for unmutated files) and its caches."""

    def __init__(self, base: Path, k: int):
        self.dir = base / f"slot{k}"
        self.tree = self.dir / "tree"
        self.warm = self.dir / "numba-warm"
        self.numba = self.dir / "numba"

    def fresh_tree(self) -> None:
        if self.tree.exists():
            shutil.rmtree(self.tree)
        shutil.copytree(ROOT, self.tree, ignore=COPY_IGNORE)

    def fresh_cache(self, warm: bool) -> None:
        if self.numba.exists():
            shutil.rmtree(self.numba)
        if warm and self.warm.is_dir():
            shutil.copytree(self.warm, self.numba)
        else:
            self.numba.mkdir(parents=True)

    def smoke(self, timeout: float) -> tuple[int | None, str]:
        return run([sys.executable, "-c", SMOKE.format(tree=str(self.tree))], self.tree,
                   env_for(self.tree, self.numba), timeout)

    def pytest(self, files: list[str], timeout: float, junit: Path | None = None):
        return run(pytest_command(files, junit), self.tree, env_for(self.tree, self.numba),
                   timeout)


def baseline(slot: Slot, files: list[str], timeout: float) -> Baseline:
    """The unmutated copy passes the selection; times its files; leaves the warm cache."""
    slot.fresh_tree()
    slot.fresh_cache(warm=False)
    t0 = time.monotonic()
    rc, out = slot.smoke(timeout)
    if rc != 0:
        raise SystemExit(f"the copy in {slot.dir} is not what Python imports (rc {rc}): "
                         f"{last_error_line(out)}")
    junit = slot.dir / "baseline.xml"
    rc, out = slot.pytest(files, timeout, junit)
    seconds = time.monotonic() - t0
    if rc != 0:
        raise SystemExit(f"the selection fails on today's code (rc {rc}; first failure "
                         f"{first_failure(out) or last_error_line(out)}): fix the suite first, "
                         "a mutation score on a failing suite means nothing")
    per_file: dict[str, float] = {}
    tests = 0
    for case in ET.parse(junit).getroot().iter("testcase"):
        cls = case.get("classname", "")
        name = next((f for f in files if cls == f[:-3].replace("/", ".")
                     or cls.startswith(f[:-3].replace("/", ".") + ".")), cls)
        per_file[name] = per_file.get(name, 0.0) + float(case.get("time", 0) or 0)
        tests += case.find("skipped") is None
    ordered = sorted(files, key=lambda f: per_file.get(f, 0.0))
    if slot.warm.exists():
        shutil.rmtree(slot.warm)
    shutil.copytree(slot.numba, slot.warm)
    return Baseline(seconds=seconds, files=ordered, file_seconds=per_file, tests=tests)


def run_mutant(m: Mutant, slot: Slot, files: list[str], timeout: float, cold_files: set[str],
               cold: bool) -> Result:
    why = stale(m)
    if why:
        return Result(m.id, "error", detail=f"stale mutant: {why}")
    t0 = time.monotonic()
    slot.fresh_tree()
    apply(m, slot.tree)
    warm = not cold and m.file not in cold_files
    slot.fresh_cache(warm)
    res = Result(m.id, "", cache="warm" if warm else "cold")
    rc, out = slot.pytest(files, timeout)
    if rc is None:
        res.status = "timeout"
    elif rc == 0:
        res.status = "survived"
    elif rc in (1, 2):  # tests failed / collection interrupted by an error
        res.killer, res.detail = first_failure(out), failure_reason(out)
        res.status = "trivially killed" if import_crash(m, slot, out) else "killed"
        if not res.killer:
            res.killer = last_error_line(out)
    else:
        res.status, res.detail = "error", f"pytest exit {rc}: {last_error_line(out)}"
    res.seconds = time.monotonic() - t0
    return res


# --------------------------------------------------------------------------- reporting
def score(results: list[Result]) -> tuple[int, int, float]:
    valid = [r for r in results if r.status != "error"]
    killed = sum(r.counts_as_killed for r in valid)
    return killed, len(valid), (100.0 * killed / len(valid) if valid else 0.0)


def table(results: list[Result]) -> str:
    by_id = {m.id: m for m in MUTANTS}
    w = max(len(r.id) for r in results)
    lines = [f"{'mutant':<{w}}  {'kind':<12}  {'result':<16}  {'s':>5}  killed by"]
    for r in results:
        extra = r.killer or r.detail or (f"digests {r.digests}" if r.digests else "")
        lines.append(f"{r.id:<{w}}  {by_id[r.id].kind:<12}  {r.status:<16}  "
                     f"{r.seconds:5.0f}  {extra}")
    return "\n".join(lines)


def markdown(results: list[Result], base: Baseline, wall: float, jobs: int,
             timeout: float) -> str:
    killed, valid, pct = score(results)
    ran = {r.id for r in results}
    by_id = {m.id: m for m in MUTANTS}
    survivors = [r for r in results if r.status == "survived"]
    per = [r.seconds for r in results if r.status != "error"]
    kinds = {k: [r for r in results if by_id[r.id].kind == k] for k in KINDS}
    errors = [r for r in results if r.status == "error"]
    out = [BEGIN, "## Mutation score", "",
           "Generated by `make mutants WRITE=1` (`tools/mutants.py --write`); do not edit "
           "between the markers.", "",
           "**How it works.** `tools/mutant_list.py` lists semantic mutants: each one exact "
           "edit of today's code (`old` snippet found exactly once in its file, else the "
           "mutant is reported *stale*, an error, not a kill) that makes the model wrong in a "
           "way the ODD names. mutmut does not mutate decorated functions, so the numba "
           "kernels have mutants of their own in the list. For each mutant the runner copies "
           "the repository into a worker slot, applies the edit, gives it a numba cache of its "
           "own and runs the test selection with `-x` and a timeout. A mutant whose module "
           "no longer imports or whose kernel no longer compiles is *trivially killed* (a "
           "crash rather than a wrong model). A timeout counts as killed. "
           "`tests/test_mutants.py` keeps the list well-formed (each snippet matches once, "
           "every required kind and mechanism is covered) without running any mutant.", "",
           "**Run it.** `make mutants` (all mutants, 2 in parallel; `JOBS=N`, "
           "`ONLY='latent-*,china-*'` for a subset, `WRITE=1` to rewrite this section), then "
           "optionally `make mutants DIGESTS=1 WRITE=1` to check the survivors against the "
           "behaviour digests. Raw results: `outputs/mutants/results.json`.", "",
           "**The suite.** The fast suite (`pytest -m \"not slow\"`, what `make test-fast` runs) "
           "without the files and tests below, which test the command line, the app, drawing, "
           "geography, seed semantics or the import contract rather than the mechanisms, or "
           "spawn processes (left out for speed), or (the digests) would kill every mutant "
           "without knowing a right model from a wrong one. New test files are picked up by "
           "themselves.", "",
           "| left out | why |", "|---|---|",
           *[f"| `{f}` | {why} |" for f, why in EXCLUDED.items()],
           *[f"| `{t}` | {why} |" for t, why in DESELECTED.items()], "",
           "Command, per mutant: `python -m pytest -x -q -p no:cacheprovider -m \"not slow\" "
           "-rfE --deselect=<each test above> <the other test files, fastest first>` with "
           "`PYTHONPATH=<the copy>` and `NUMBA_CACHE_DIR=<its own>`. The slow suite "
           "(`-m slow`: the statistical and long tests) is not counted.", "",
           f"**Time budget.** The unmutated selection ({base.tests} tests in "
           f"{len(base.files)} files) takes {base.seconds:.0f} s in one slot with a cold "
           f"numba cache; the per-mutant timeout is {timeout:.0f} s. This run: "
           f"{len(results)} mutants, {jobs} parallel jobs, {wall / 60:.1f} min wall clock "
           f"(baseline included)"
           + (f" on {base.cores} cores shared with other work (load average "
              f"{base.load:.1f} at the start)" if base.cores else "")
           + f"; per mutant {min(per, default=0):.0f}–{max(per, default=0):.0f} s, "
           f"mean {sum(per) / max(1, len(per)):.0f} s (a survivor runs the whole selection).",
           "",
           f"**Score: {killed} / {valid} killed ({pct:.0f} %)**"
           f" ({sum(r.status == 'trivially killed' for r in results)} trivially, "
           f"{sum(r.status == 'timeout' for r in results)} by timeout; "
           f"{len(errors)} errors not counted)"
           + ("" if len(ran) == len(MUTANTS) else
              f" — a subset: {len(ran)} of the {len(MUTANTS)} mutants ran") + ".", "",
           "| kind | mutants | killed |", "|---|---|---|",
           *[f"| {k} | {len(v)} | {sum(r.counts_as_killed for r in v)} |"
             for k, v in kinds.items() if v], "",
           "### Survivors", "",
           "Each survivor is a wrong model the suite passes: a test to write. Where checked "
           "(`--digests`), *pinned output changed* means the behaviour digests notice the "
           "mutant (it is not equivalent on the pinned runs), *unchanged* that it may be "
           "equivalent there.", ""]
    if survivors:
        out += [f"- `{r.id}` ({by_id[r.id].file}): {by_id[r.id].breaks}"
                + (f" (pinned output {r.digests})" if r.digests else "")
                for r in survivors]
    else:
        out += ["None."]
    if errors:
        out += ["", "### Errors (not counted)", "",
                *[f"- `{r.id}`: {r.detail}" for r in errors]]
    out += ["", "### Every mutant", "",
            "| mutant | kind | file | what it breaks | result | killed by | s |",
            "|---|---|---|---|---|---|---|"]
    for r in results:
        m = by_id[r.id]
        who = f"`{r.killer}`" if r.killer else ""
        if r.detail:
            reason = r.detail if len(r.detail) <= 70 else r.detail[:67] + "..."
            who += (": " if who else "") + reason.replace("|", "\\|").replace("`", "'")
        if r.status == "survived" and r.digests:
            who = f"(pinned output {r.digests})"
        out.append(f"| `{m.id}` | {m.kind} | `{m.file}` | {m.breaks} | {r.status} | {who} | "
                   f"{r.seconds:.0f} |")
    out += ["", END]
    return "\n".join(out)


def write_doc(section: str, path: Path = DOC) -> None:
    text = path.read_text() if path.is_file() else "# Testing\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


# --------------------------------------------------------------------------- main
def chosen(args) -> list[Mutant]:
    ms = list(MUTANTS)
    if args.only:
        pats = [p.strip() for p in args.only.split(",") if p.strip()]
        ms = [m for m in ms if any(fnmatch.fnmatch(m.id, p) for p in pats)]
    if args.kind:
        ms = [m for m in ms if m.kind == args.kind]
    return ms


RESULTS = ROOT / "outputs" / "mutants" / "results.json"


def save(results: list[Result], base: Baseline, wall: float, jobs: int, timeout: float) -> None:
    killed, valid, pct = score(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(
        dict(score=pct, killed=killed, valid=valid, wall_seconds=wall, jobs=jobs,
             timeout=timeout, baseline=asdict(base), results=[asdict(r) for r in results]),
        indent=1) + "\n")


def load() -> tuple[list[Result], Baseline, float, int, float]:
    d = json.loads(RESULTS.read_text())
    return ([Result(**r) for r in d["results"]], Baseline(**d["baseline"]), d["wall_seconds"],
            d["jobs"], d["timeout"])


def run_all(mutants: list[Mutant], files: list[str], args, digests: bool):
    """Baseline in every slot, then the mutants; (results in list order, baseline, timeout)."""
    jobs = max(1, min(args.jobs, len(mutants)))
    work = args.workdir or Path(tempfile.mkdtemp(prefix="greyzone-mutants-"))
    work.mkdir(parents=True, exist_ok=True)
    slots = [Slot(work, k) for k in range(jobs)]
    cold_files = jit_imported_files()
    load_at_start = os.getloadavg()[0]
    print(f"{len(mutants)} mutants, {jobs} jobs, work dir {work}", flush=True)
    print(f"baseline: {len(files)} test files on the unmutated copy in each slot", flush=True)
    try:
        with cf.ThreadPoolExecutor(jobs) as ex:
            bases = list(ex.map(lambda s: baseline(s, files, args.timeout or 1800), slots))
        base = bases[0]
        base.seconds = max(b.seconds for b in bases)
        base.load, base.cores = load_at_start, os.cpu_count() or 0
        timeout = args.timeout or 3 * base.seconds + 60
        print(f"baseline passes: {base.tests} tests, {base.seconds:.0f} s; timeout "
              f"{timeout:.0f} s per mutant", flush=True)
        free: queue.Queue[Slot] = queue.Queue()
        for s in slots:
            free.put(s)

        def job(m: Mutant) -> Result:
            slot = free.get()
            try:
                return run_mutant(m, slot, base.files, timeout, cold_files, args.cold)
            except Exception as exc:  # a runner failure is an error, never a kill
                return Result(m.id, "error", detail=f"runner: {exc!r}"[:200])
            finally:
                free.put(slot)

        results: dict[str, Result] = {}
        with cf.ThreadPoolExecutor(jobs) as ex:
            for fut in cf.as_completed([ex.submit(job, m) for m in mutants]):
                r = fut.result()
                results[r.id] = r
                what = r.status
                if digests:
                    what = {"killed": "digests changed", "survived": "digests unchanged"}.get(
                        r.status, r.status)
                print(f"[{len(results):>2}/{len(mutants)}] {r.id:<44} {what:<17} "
                      f"{r.seconds:5.0f} s  {r.killer or r.detail}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return [results[m.id] for m in mutants], base, timeout, jobs


def main(argv: list[str] | None = None) -> int:
    from sim.base.cli import OneLineParser, float_in, int_in

    ap = OneLineParser(prog="python tools/mutants.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("-j", "--jobs", type=int_in(1), default=2, help="parallel mutants (default 2)")
    ap.add_argument("--only", help="comma-separated ids or glob patterns (e.g. 'latent-*')")
    ap.add_argument("--kind", choices=KINDS)
    ap.add_argument("--timeout", type=float_in(0, low_open=True), default=None,
                    help="seconds per mutant (default: 3 x the baseline + 60)")
    ap.add_argument("--digests", action="store_true",
                    help="run the behaviour digests on the last run's survivors")
    ap.add_argument("--cold", action="store_true", help="every mutant starts with an empty "
                    "numba cache (slower; the default reuses the baseline's where safe)")
    ap.add_argument("--write", action="store_true", help="write docs/testing.md's section")
    ap.add_argument("--write-only", action="store_true", help="rewrite docs/testing.md's "
                    "section from the last results (outputs/mutants/results.json); run nothing")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--workdir", type=Path, help="where the slots go (default: a temp dir)")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    args = ap.parse_args(argv)

    mutants = chosen(args)
    if args.list:
        for m in mutants:
            fn, jit = enclosing_function(m) if not stale(m) else ("?", False)
            print(f"{m.id:<44} {m.kind:<12} {m.file}:{fn}{' [njit]' if jit else ''}")
        return 0
    t0 = time.monotonic()
    if args.write_only:
        if not RESULTS.is_file():
            print(f"error: --write-only needs a previous run ({RESULTS.relative_to(ROOT)}); "
                  f"run make mutants first",
                  file=sys.stderr)
            return 2
        write_doc(markdown(*load()))
        print(f"wrote {DOC.relative_to(ROOT)}")
        return 0
    if args.digests:
        if not RESULTS.is_file():
            print(f"error: --digests needs a previous run ({RESULTS.relative_to(ROOT)}); "
                  f"run make mutants first",
                  file=sys.stderr)
            return 2
        previous, base, wall, jobs, timeout = load()
        ids = {m.id for m in mutants}
        mutants = [m for m in MUTANTS
                   if any(r.id == m.id and r.status == "survived" for r in previous)
                   and m.id in ids]
        if not mutants:
            print("no survivor to check")
            return 0
        found, *_ = run_all(mutants, ["tests/test_behaviour.py"], args, digests=True)
        seen = {r.id: r for r in found}
        for r in previous:
            if r.id in seen:
                r.digests = {"killed": "changed", "survived": "unchanged"}.get(
                    seen[r.id].status, f"error: {seen[r.id].detail}")
        ordered = previous
        print(f"digests on {len(found)} survivors in {(time.monotonic() - t0) / 60:.1f} min: "
              f"{sum(r.digests == 'changed' for r in ordered)} change the pinned output, "
              f"{sum(r.digests == 'unchanged' for r in ordered)} leave it unchanged")
    else:
        if not mutants:
            print(f"error: no mutant matches --only {args.only!r}"
                  f"{f' --kind {args.kind}' if args.kind else ''}; python tools/mutants.py "
                  f"--list shows the ids", file=sys.stderr)
            return 2
        ordered, base, timeout, jobs = run_all(mutants, selection_files(), args, digests=False)
        wall = time.monotonic() - t0
        killed, valid, pct = score(ordered)
        print()
        print(table(ordered))
        print()
        surv = [r.id for r in ordered if r.status == "survived"]
        print(f"survivors ({len(surv)}): {', '.join(surv) if surv else 'none'}")
        print(f"mutation score: {killed}/{valid} killed ({pct:.0f} %) in {wall / 60:.1f} min; "
              f"suite: fast suite minus {len(EXCLUDED)} files and {len(DESELECTED)} tests "
              f"(docs/testing.md)")
    save(ordered, base, wall, jobs, timeout)
    if args.write:
        write_doc(markdown(ordered, base, wall, jobs, timeout))
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
