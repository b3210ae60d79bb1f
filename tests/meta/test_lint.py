"""The tree stays ruff-clean and mypy-clean where pyproject.toml asks for it.

These run the same commands a developer runs, so CI fails on a lint regression rather than
letting it pile up.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    found = str(exe) if exe.exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def test_ruff_clean() -> None:
    r = subprocess.run([_tool("ruff"), "check", "--no-cache", "."], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_clean_on_runtime_and_transpiler() -> None:
    # pyproject's [tool.mypy] names the packages: nse/lua and transpiler
    r = subprocess.run([_tool("mypy"), "--no-incremental"], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr


def test_generated_twins_in_sync() -> None:
    """scripts_py/ holds exactly what `nse convert` makes of scripts_lua/ (do-not-edit files)."""
    r = subprocess.run([sys.executable, "tools/sync_scripts.py", "--check"], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
