"""Lua programs under tests/transpiler/lua run by ``nse lua`` give lua5.4's exact stdout.

Each program exercises one group of constructs (locals, closures in loops, numeric and
generic for, multiple results, goto, <close>, metatables, error names, hostile
identifiers...).  The expected output is produced by running lua5.4 itself.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

LUA = shutil.which("lua5.4")
HERE = Path(__file__).parent / "lua"
PROGRAMS = sorted(p.name for p in HERE.glob("*.lua"))

pytestmark = pytest.mark.skipif(LUA is None, reason="lua5.4 not installed")


def run_ours(name: str, args: list[str],
             capfdbinary: pytest.CaptureFixture[bytes]) -> tuple[int, bytes]:
    """Run ``nse lua name args`` in this process: (exit status, stdout bytes)."""
    from nse.cli_lua import run_lua_file

    capfdbinary.readouterr()
    rc = run_lua_file(name, args)
    return rc, capfdbinary.readouterr().out


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_matches_lua54(name: str, monkeypatch: pytest.MonkeyPatch,
                               capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    pytest.importorskip("nse.lua.baselib")
    monkeypatch.chdir(HERE)
    ref = subprocess.run([LUA, name], capture_output=True, timeout=60)
    rc, out = run_ours(name, [], capfdbinary)
    assert out.decode("latin-1") == ref.stdout.decode("latin-1")
    assert rc == ref.returncode
