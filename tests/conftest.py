"""Shared fixtures: configs composed through the same path as the command line, shrunk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")


def toy(*overrides: str, days: int = 30):
    """A composed toy-sea config for ``days`` days (plus any overrides)."""
    return sim.compose(["sea=toy", f"run.days={days}", "run.progress=off", *overrides])


@pytest.fixture(scope="session")
def toy_run():
    """One 60-day baseline run on the toy sea, shared by the schema tests."""
    return sim.run(toy(days=60))


def run_cli(*args: str, cwd=ROOT, timeout=600) -> subprocess.CompletedProcess:
    """``python -m sim ARGS`` in a subprocess, as a user would run it."""
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)
