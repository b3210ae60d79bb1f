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


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_via_python_text(name: str, monkeypatch: pytest.MonkeyPatch,
                                 capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    """The same programs through the text ``nse convert`` writes (ast.unparse, then
    compiled as a .py file): same stdout as lua5.4, apart from the positions in error
    messages (Python line numbers of the .py file, not Lua lines) and variable names
    where two calls start at one position of the text (``f(x)()``: no name there)."""
    pytest.importorskip("nse.lua.baselib")
    import re
    import sys
    import warnings

    import transpiler
    from nse.lua.baselib import new_env

    monkeypatch.chdir(HERE)
    ref = subprocess.run([LUA, name], capture_output=True, timeout=60).stdout
    text = transpiler.to_python_source((HERE / name).read_bytes().decode("latin-1"), name)
    g: dict[str, object] = {"__name__": "converted"}
    with warnings.catch_warnings():  # Lua's `1 == true` is Python's `1 is True`
        warnings.simplefilter("ignore", SyntaxWarning)
        code = compile(text, name[:-4] + ".py", "exec")
    exec(code, g)
    capfdbinary.readouterr()
    try:
        g["chunk"](new_env())()  # type: ignore[operator]
    except Exception:  # noqa: BLE001 - programs ending in an error compare their output
        pass
    sys.stdout.flush()
    out = capfdbinary.readouterr().out
    pos = re.compile(rb"[\w.]+\.(lua|py):\d+:")
    name = re.compile(rb" \((local|global|upvalue|field|method|constant) '[^']*'\)")
    out, ref = pos.sub(b"POS:", out), pos.sub(b"POS:", ref)
    assert name.sub(b"", out) == name.sub(b"", ref)
    # names are never wrong: each one the text gives is the one lua5.4 gives
    assert {m.group(0) for m in name.finditer(out)} <= {m.group(0) for m in name.finditer(ref)}
