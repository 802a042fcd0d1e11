"""The scenarios: their names, display labels and the order in which everything shows them.

A scenario is a file ``configs/scenario/NAME.yaml`` (``scenario=NAME`` on the command line):
a new YAML file there is a new scenario, shown by the app, the report and the studies after
the four below, in alphabetical order, with a label made from its name.
"""

from __future__ import annotations

from sim.params.compose import CONFIG_DIR

SCENARIO_DIR = CONFIG_DIR / "scenario"

BASELINE = "baseline"
ENHANCED_COOPERATION = "enhanced_cooperation"
STRATEGIC_STABILIZATION = "strategic_stabilization"
#: Both pathways' bundles under one budget (configs/scenario/combined.yaml).
COMBINED = "combined"
#: The two pathways the study compares (the seed paper's), in that order: EC first, so that a
#: difference "EC − SS" below zero means fewer incidents under Enhanced Cooperation.
PATHWAYS = (ENHANCED_COOPERATION, STRATEGIC_STABILIZATION)
#: The canonical order: the status quo, then the pathways, then both under one budget.
ORDER = (BASELINE, *PATHWAYS, COMBINED)
LABELS = {
    BASELINE: "Baseline (status quo)",
    ENHANCED_COOPERATION: "Enhanced Cooperation",
    STRATEGIC_STABILIZATION: "Strategic Stabilization",
    COMBINED: "Combined",
}
SHORT = {BASELINE: "B", ENHANCED_COOPERATION: "EC", STRATEGIC_STABILIZATION: "SS",
         COMBINED: "EC+SS"}


def names() -> list[str]:
    """Every scenario that has a file in configs/scenario/, in the canonical order."""
    return ordered(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def ordered(present) -> list[str]:
    """``present`` (names, repeats allowed) in the canonical order, unknown names after it
    in alphabetical order."""
    present = set(present)
    return [s for s in ORDER if s in present] + sorted(present - set(ORDER))


def short(name: str) -> str:
    """The short name for a figure's legend ("EC"); for a scenario without one, its label."""
    return SHORT.get(name) or label(name)


def comparisons(present) -> list[tuple[str, str]]:
    """The pairs (a, b) a study compares, as differences a − b, among the scenarios
    ``present``: each scenario against the baseline first, then the scenarios against each
    other, in the canonical order (EC − SS, EC − combined, SS − combined, ...). So a
    difference below zero means less of the outcome under ``a``."""
    order = ordered(present)
    others = [s for s in order if s != BASELINE]
    against_baseline = [(s, BASELINE) for s in others] if BASELINE in order else []
    return against_baseline + [(a, b) for i, a in enumerate(others) for b in others[i + 1:]]


def label(name: str) -> str:
    """The display name ("Enhanced Cooperation"); for a scenario without one, its name in
    words ("high_tension" -> "High tension")."""
    return LABELS.get(name) or name.replace("_", " ").capitalize()
