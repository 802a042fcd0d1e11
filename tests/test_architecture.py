"""The package's layers (ARCHITECTURE.md) import one way: the import-linter contract in
pyproject.toml holds, and it would catch a back-edge hidden inside a function."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(cwd))
    return subprocess.run([str(LINT), "--config", str(cwd / "pyproject.toml"), "--no-cache"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_layers_contract_is_kept():
    r = _lint(ROOT)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "1 kept, 0 broken" in r.stdout


def test_a_function_level_back_edge_breaks_the_contract(tmp_path):
    shutil.copytree(ROOT / "sim", tmp_path / "sim",
                    ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    grid = tmp_path / "sim" / "sea" / "grid.py"
    grid.write_text(grid.read_text() + "\n\ndef _planted():\n    from sim.world import model"
                    "\n    return model\n")
    r = _lint(tmp_path)
    assert r.returncode != 0
    assert "sim.sea.grid -> sim.world.model" in r.stdout


#: "No module much over 300 lines" (ARCHITECTURE.md): a module past this is split by concern.
MAX_LINES = 330


def test_no_module_much_over_300_lines():
    sizes = {p.relative_to(ROOT).as_posix(): len(p.read_text().splitlines())
             for p in (ROOT / "sim").rglob("*.py")}
    assert sizes, "no modules found"
    big = {k: v for k, v in sizes.items() if v > MAX_LINES}
    assert not big, f"split these by concern: {big}"
