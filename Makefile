# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
# Both create .venv (Python >= 3.12, found via PATH or pyenv) and install the project.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SWEEP ?= outputs/compare_pathways
export SOLARA_TELEMETRY_MIXPANEL_ENABLE := False
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Mesa >= 3.4 needs Python >= 3.12 (STACK.md): find one, or stop with a clear message.
PYTHON_BOOT := $(shell for p in python3.13 python3.12 $(HOME)/.pyenv/versions/3.13*/bin/python3 $(HOME)/.pyenv/versions/3.12*/bin/python3 /usr/bin/python3.13 /usr/bin/python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then command -v $$p; break; fi; done)

.PHONY: chromium slurm run test test-fast mutants baseline report map clean venv docs bench app validate calibrate

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON_BOOT)" ]; then echo "error: Python >= 3.12 not found (Mesa 3.4+ needs it); install python3.12 or pyenv 3.12 and retry" >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[app]'
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -q -e '.[app,test,bench]'
	@touch $@

venv: $(VENV)/.installed

# Debian's Chromium for the browser tests (never a browser download).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

# Debian's SLURM and MUNGE for the real-scheduler test (tests/test_slurm.py starts a private
# single-node cluster on 127.0.0.1 from them; nothing is configured or started here). The
# daemons live in /usr/sbin, which a non-root PATH may lack, hence the explicit fallback.
slurm:
	@PATH="$$PATH:/usr/sbin"; command -v sbatch >/dev/null 2>&1 && command -v slurmctld >/dev/null 2>&1 \
	  && command -v slurmd >/dev/null 2>&1 && command -v munged >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null; fi; }

## make run: the main job -- the pathway comparison sweep at the quick size (4 scenarios x
## 5 capacities x 6 seeds = 120 one-year runs, all local cores; re-running resumes), its
## results.parquet and its report.
run: $(VENV)/.installed
	$(PY) -m sim -m +experiment=compare_pathways_quick
	$(PY) -m sim.report outputs/compare_pathways_quick
	@echo "results table: outputs/compare_pathways_quick/results.parquet"
	@echo "figures and tables: outputs/compare_pathways_quick/report/ (index: report/README.md)"

## make report SWEEP=dir: (re)draw the report of a finished sweep (default outputs/compare_pathways)
report: $(VENV)/.installed
	$(PY) -m sim.report $(SWEEP)

## make test: the whole suite (fast and slow tests; the browser and SLURM tests must run, not skip)
test: $(VENV)/.installed-test chromium slurm
	@GREYZONE_REQUIRE_BROWSER=1 GREYZONE_REQUIRE_SLURM=1 $(PY) -m pytest -q; s=$$?; if [ $$s -eq 5 ]; then echo "pytest: no tests collected"; exit 0; fi; exit $$s

## make test-fast: skip tests marked slow
test-fast: $(VENV)/.installed-test
	$(PY) -m pytest -q -m "not slow"

## make mutants: the mutation score of the fast suite -- plants each semantic mutant of
## tools/mutant_list.py (kernels, actors, parameter defaults) one at a time in a copy, runs the
## fast suite's model tests on it and prints the score and the survivors (JOBS=2 in parallel;
## ONLY=pattern,... for a subset; WRITE=1 writes docs/testing.md). About 15-20 minutes.
## DIGESTS=1 instead runs the behaviour digests on the last run's survivors (equivalent?).
JOBS ?= 2
mutants: $(VENV)/.installed-test
	$(PY) tools/mutants.py -j $(JOBS) $(if $(ONLY),--only '$(ONLY)') $(if $(WRITE),--write) $(if $(DIGESTS),--digests)

## make app: the browser app (Mesa SolaraViz) on http://127.0.0.1:8765 (PORT=N to change)
app: $(VENV)/.installed
	$(PY) -m sim.app --port $(or $(PORT),8765)

## make map: draw every layer of the real sea to outputs/map/sea_map.png
map: $(VENV)/.installed
	$(PY) -m sim.map hydra.run.dir=outputs/map

## make bench: performance benchmarks (a default year, the engine against idiomatic Mesa,
## scaling, sweep throughput); prints the table, writes docs/performance.md and
## docs/img/performance.png (raw numbers in outputs/bench/results.json); then a classroom
## of 1, 10 and 30 browsers against one app (docs/classroom.md). About 15 minutes.
bench: $(VENV)/.installed chromium
	@$(PY) -c "import pyinstrument, playwright" 2>/dev/null || $(PIP) install -q -e '.[bench]'
	$(PY) benchmarks/run.py

## make baseline: regenerate the baseline regression (tests/data/baseline.json: summary figures
## of a short toy-sea and real-sea run) and the behaviour digests, after a deliberate change of
## behaviour; say why in the commit message
baseline: $(VENV)/.installed-test
	$(PY) -m tests.baseline --write
	$(PY) -m tests.behaviour --write

## make validate: the baseline against FACTS.md (docs/validation.md, 30 seeds; exits non-zero
## when a verdict differs from sim/studies/expected_verdicts.yaml), then the
## sensitivity analysis and scenario discovery (docs/sensitivity.md; FULL=1 for the full size)
SEEDS ?= 30
validate: $(VENV)/.installed
	$(PY) -m sim.validate --seeds $(SEEDS) --out docs
	$(PY) -m sim.sensitivity --size $(if $(FULL),full,quick) --out docs

## make calibrate: re-fit the calibrated parameters by rejection ABC (docs/calibration.md)
calibrate: $(VENV)/.installed
	$(PY) -m sim.calibrate --particles $(if $(FULL),128,32) --accept $(if $(FULL),0.2,0.25) --out docs

docs: $(VENV)/.installed
	$(PY) -c "import sim.params; sim.params.main()" > docs/parameters.md

clean:
	rm -rf outputs multirun .pytest_cache
