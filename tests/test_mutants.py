"""The mutant list of ``make mutants`` is well-formed (tools/mutant_list.py; docs/testing.md).

No mutant is run here: these checks only read today's code, so that a refactor that moves a
mutated line shows up as a failing test (update the snippet), not as a silently stale mutant.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, mod)
    spec.loader.exec_module(mod)
    return sys.modules[name]


mutant_list = _load("mutant_list")
runner = _load("mutants")
MUTANTS = mutant_list.MUTANTS


def test_at_least_thirty_mutants_with_unique_ids():
    ids = [m.id for m in MUTANTS]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]


@pytest.mark.parametrize("m", MUTANTS, ids=lambda m: m.id)
def test_each_snippet_matches_exactly_once_and_changes_the_code(m):
    assert runner.stale(m) == "", f"{m.id}: {runner.stale(m)}"
    assert m.old != m.new and m.breaks and m.kind in mutant_list.KINDS


@pytest.mark.parametrize("m", MUTANTS, ids=lambda m: m.id)
def test_each_mutant_still_parses(m):
    """A mutant is a semantic change, not a syntax error (that would be a trivial kill)."""
    import ast

    text = (ROOT / m.file).read_text().replace(m.old, m.new, 1)
    ast.parse(text)


def test_every_kind_is_covered():
    kinds = Counter(m.kind for m in MUTANTS)
    assert set(kinds) == set(mutant_list.KINDS), kinds
    assert kinds["default"] >= 5 and kinds["cap"] >= 3


def _in(function: str, kinds=("kernel-sign", "kernel-inert", "cap")):
    return [m for m in MUTANTS if m.kind in kinds
            and runner.enclosing_function(m)[0] == function]


@pytest.mark.parametrize("kernel", ["latent_one", "rung_for", "_exchange", "_pairs_kernel",
                                    "_context_kernel"])
def test_the_kernels_have_mutants_of_their_own(kernel):
    """mutmut skips decorated functions, so the numba kernels need mutants of their own: sign
    reversals or inert terms inside each of these kernels."""
    inside = _in(kernel)
    assert inside, f"no mutant inside {kernel}"
    for m in inside:
        assert runner.enclosing_function(m)[1], f"{m.id}: {kernel} is not an njit kernel"


def test_every_term_of_the_latent_propensity_has_its_sign_reversed():
    signs = {m.id for m in _in("latent_one", ("kernel-sign",))}
    for term in ("roe", "force", "observed", "cbm", "training", "posture"):
        assert f"latent-{term}-sign" in signs


@pytest.mark.parametrize("mechanism", ["japan-", "china-", "fishers-", "moratorium-",
                                       "weather-", "vietnam-", "sensing-", "default-"])
def test_the_actors_mechanisms_are_covered(mechanism):
    """Japan's programme, China's costs, fishers' memory, the moratorium, weather, Vietnam's
    patrols, detection and the parameter defaults each have mutants."""
    assert any(m.id.startswith(mechanism) for m in MUTANTS), mechanism


def test_required_mutants_are_listed():
    ids = {m.id for m in MUTANTS}
    required = {
        "rung-ceiling-ignored", "rung-leak-inert", "exchange-leak-ignored",
        "exchange-collision-inert", "context-four-nos-leak", "context-ceiling-sea-wide",
        "exchange-withdraw-cap-removed", "exchange-push-inert",
        "exchange-miscalculation-inert", "exchange-hotline-talk-inert",
        "pairs-moratorium-boost-inert", "pairs-posture-dropped", "pairs-claim-check-inverted",
        "context-force-ratio-inverted", "context-observed-ignores-radar",
        "japan-capacity-ignored", "china-economic-cost-dropped", "china-publicity-never-decays",
        "fishers-memory-never-updates", "fishers-never-forget", "moratorium-never-on",
        "weather-recall-inert", "vietnam-patrols-ignore-harassment",
        "sensing-detection-ignores-radar",
    }
    assert required <= ids, sorted(required - ids)


def test_default_mutants_edit_the_schema_only():
    for m in MUTANTS:
        if m.kind == "default":
            assert m.file in ("sim/params/states.py", "sim/params/mechanics.py"), m.id


def test_the_selection_exists_and_leaves_out_only_real_files():
    files = runner.selection_files()
    assert "tests/test_ladder.py" in files
    assert "tests/test_mutants.py" not in files  # it would kill every mutant by construction
    for f in runner.EXCLUDED:
        assert (ROOT / f).is_file(), f"{f} is excluded but does not exist"
    for node in runner.DESELECTED:
        path, name = node.split("::")
        assert f"def {name}(" in (ROOT / path).read_text(), node


def test_cache_rule_treats_kernel_dependencies_as_cold():
    cold = runner.jit_imported_files()
    assert {"sim/engine/ladder.py", "sim/engine/fleet.py", "sim/engine/sensing.py"} <= cold
    assert "sim/actors/china.py" not in cold and "sim/params/states.py" not in cold
