"""Errors raised by a module converted to a .py file (``nse convert``) and run from that
file report the Lua chunk name and Lua lines (``__lua_chunk__``/``__lua_lines__``),
exactly as lua5.4 prints them for the source."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

import transpiler

LUA = shutil.which("lua5.4")

SOURCE = """local t = nil

local function f()
  return t.x
end
print(pcall(f))
print(pcall(function() local a = {} ; return a + 1 end))
print(pcall(function() error("boom") end))
print(pcall(function() local n; n() end))
print(pcall(string.rep))
print(pcall(function() string.rep() end))
print(pcall(function() local x = "a" .. {} end))
"""


@pytest.mark.skipif(LUA is None, reason="lua5.4 not installed")
def test_converted_module_reports_lua_positions(tmp_path: Path,
                                                capfd: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "conv.lua").write_text(SOURCE)
    py = tmp_path / "conv_py.py"
    py.write_text(transpiler.to_python_source(SOURCE, "conv.lua"))
    spec = importlib.util.spec_from_file_location("conv_py", py)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    from nse.lua.baselib import new_env

    capfd.readouterr()
    mod.chunk(new_env())()
    ours = capfd.readouterr().out
    want = subprocess.run([LUA, "conv.lua"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=30).stdout
    assert "conv.lua:4:" in want
    assert ours == want
