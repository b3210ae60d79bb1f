"""Reference harness: run nmap's own nselib modules under lua5.4 and compare with ours.

nmap's Lua code is read at test time from /usr/share/nmap/nselib (never copied here).
The nmap C module is replaced by a small stub written here, enough for the pure-Lua
modules under test to load.

A *call spec* is ``(function_name, args)``; args are Python values (str, int, float,
bool, None, list -> array table, dict -> table) or :class:`Raw` for a Lua expression with
its Python twin.  Both sides serialise results in one canonical text form so they can be
compared byte for byte:

    nil  true  false  i<int>  f<%.17g>  s<hex bytes>  {k=v,...}(sorted)  @<json mark>  fn  ud
    a call:  R:<v>;<v>...   or   E:<error message without "file:line: ">
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from nse.lua.luatable import LuaTable

NSELIB = "/usr/share/nmap/nselib"
HAVE_LUA = shutil.which("lua5.4") is not None and os.path.isdir(NSELIB)

needs_nselib = pytest.mark.skipif(not HAVE_LUA, reason="needs lua5.4 and nmap's nselib")

STUB = r"""
package.path = "%(nselib)s/?.lua;" .. package.path
package.preload.nmap = function()
  local reg = {args = {}}
  return {
    socket = {sleep = function() end},
    debugging = function() return 0 end,
    verbosity = function() return 0 end,
    log_write = function() end,
    registry = reg,
    clock = os.clock,
    clock_ms = function() return os.clock() * 1000 end,
    mutex = function() return function() return true end end,
    condvar = function() return function() end end,
    get_random_bytes = function(n) return ("\0"):rep(n) end,
    fetchfile = function(f)
      local p = "/usr/share/nmap/" .. f
      local fh = io.open(p)
      if fh then fh:close(); return p end
    end,
    address_family = function() return "inet" end,
    have_ssl = function() return false end,
    timing_level = function() return 3 end,
  }
end
-- SERIALIZER
local function hex(s) return (s:gsub(".", function(c) return ("%%02x"):format(c:byte()) end)) end
local seen
local function ser(v)
  local t = type(v)
  if v == nil then return "nil"
  elseif t == "boolean" then return tostring(v)
  elseif math.type(v) == "integer" then return "i" .. v
  elseif t == "number" then
    if v ~= v then return "fnan" elseif v == math.huge then return "finf"
    elseif v == -math.huge then return "f-inf" end
    return "f" .. ("%%.17g"):format(v)
  elseif t == "string" then
    -- messages nselib raises carry its own file:line; ours cannot, so drop it
    return "s" .. hex((v:gsub("^/usr/share/nmap/nselib/[%%w_]+%%.lua:%%d+: ", "")))
  elseif t == "table" then
    if seen[v] then return "<cycle>" end
    seen[v] = true
    local parts = {}
    for k, x in pairs(v) do parts[#parts + 1] = ser(k) .. "=" .. ser(x) end
    table.sort(parts)
    seen[v] = nil
    local mt = getmetatable(v)
    local mark = type(mt) == "table" and rawget(mt, "json") or nil
    return "{" .. table.concat(parts, ",") .. "}" .. (mark and ("@" .. mark) or "")
  elseif t == "function" then return "fn"
  else return "ud" end
end
__ser_results = function(ok, ...)
  seen = {}
  if not ok then
    local msg = tostring((...)):gsub("^[^\n]-:%%d+: ", "")
    return "E:" .. msg
  end
  local n = select("#", ...)
  local parts = {}
  for i = 1, n do parts[i] = ser((select(i, ...))) end
  return "R:" .. table.concat(parts, ";")
end
""" % {"nselib": NSELIB}


@dataclass
class Raw:
    """An argument given as Lua source, with the Python value it stands for (a callable
    ``py`` is a factory called once per use: pass ``lambda: f`` for a function value)."""

    lua: str
    py: Any


def lua_literal(v: Any) -> str:
    """Lua source for a Python value (strings byte-exact with \\ddd escapes)."""
    if isinstance(v, Raw):
        return v.lua
    if v is None:
        return "nil"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        if v == -(2**63):
            return "math.mininteger"
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            # on x86 0/0 is a NaN with the sign bit set (prints "-nan")
            return "(0/0)" if math.copysign(1.0, v) < 0 else "(-(0/0))"
        if math.isinf(v):
            return "math.huge" if v > 0 else "-math.huge"
        return f"({v.hex()})"
    if isinstance(v, str):
        return '"' + "".join(f"\\{ord(c)}" for c in v) + '"'
    if isinstance(v, list | tuple):
        return "{" + ", ".join(lua_literal(x) for x in v) + "}"
    if isinstance(v, dict):
        return "{" + ", ".join(f"[{lua_literal(k)}] = {lua_literal(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"no Lua literal for {v!r}")


def to_py(v: Any) -> Any:
    """The Python (Lua-value) twin of an argument."""
    if isinstance(v, Raw):
        return v.py() if callable(v.py) and not isinstance(v.py, LuaTable) else v.py
    if isinstance(v, list | tuple):
        return LuaTable.from_list(to_py(x) for x in v)
    if isinstance(v, dict):
        return LuaTable.from_pairs((to_py(k), to_py(x)) for k, x in v.items())
    return v


def ser(v: Any, seen: set[int] | None = None) -> str:
    """Serialise a Python-side Lua value exactly as the Lua ``ser`` above."""
    seen = seen if seen is not None else set()
    if v is None:
        return "nil"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return f"i{v}"
    if isinstance(v, float):
        if math.isnan(v):
            return "fnan"
        if math.isinf(v):
            return "finf" if v > 0 else "f-inf"
        return "f%.17g" % v
    if isinstance(v, str):
        # as the Lua side: a message carrying nmap's nselib file:line loses it
        v = re.sub(r"^/usr/share/nmap/nselib/[A-Za-z0-9_]+\.lua:\d+: ", "", v)
        return "s" + v.encode("latin-1").hex()
    if isinstance(v, LuaTable):
        if id(v) in seen:
            return "<cycle>"
        seen.add(id(v))
        parts = sorted(ser(k, seen) + "=" + ser(x, seen) for k, x in v.items())
        seen.discard(id(v))
        mt = v.meta
        mark = mt["json"] if isinstance(mt, LuaTable) else None
        return "{" + ",".join(parts) + "}" + (f"@{mark}" if mark is not None else "")
    if callable(v):
        return "fn"
    return "ud"


def _strip_pos(msg: str) -> str:
    import re

    return re.sub(r"^[^\n]*?:\d+: ", "", msg, count=1)


def py_call(f: Callable[..., Any], args: Sequence[Any]) -> str:
    """Call ``f`` with converted args; serialise as ``R:``/``E:``."""
    from nse.lib._util import LuaError

    try:
        r = f(*[to_py(a) for a in args])
    except LuaError as e:
        return "E:" + _strip_pos(str(e.value) if isinstance(e.value, str) else str(e))
    if not isinstance(r, tuple):
        r = (r,)
    return "R:" + ";".join(ser(x) for x in r)


HAVE_NMAP = shutil.which("nmap") is not None and os.path.isdir(NSELIB)
needs_nmap = pytest.mark.skipif(not HAVE_NMAP, reason="needs the nmap binary")


def _call_lines(calls: Sequence[tuple[str, Sequence[Any]]], emit: str) -> list[str]:
    lines = []
    for fname, args in calls:
        arglist = "".join(", " + lua_literal(a) for a in args)
        lines.append(f"{emit}((__ser_results(pcall(M[{lua_literal(fname)}]{arglist}))))")
    return lines


def nmap_calls(
    module: str, calls: Sequence[tuple[str, Sequence[Any]]], prelude: str = ""
) -> list[str]:
    """Run every call inside nmap itself (a prerule script, no targets, no packets), for
    the modules nmap implements in C."""
    import tempfile

    serializer = STUB[STUB.index("-- SERIALIZER") :]
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out.txt")
        body = [
            'description = "reference probe"',
            'categories = {"safe"}',
            "prerule = function() return true end",
            "action = function()",
            serializer,
            f'local M = require "{module}"',
            prelude,
            f"local __f = assert(io.open({lua_literal(out)}, 'wb'))",
            "local function __emit(s) __f:write(s, '\\n') end",
            *_call_lines(calls, "__emit"),
            "__f:close()",
            "end",
        ]
        script = os.path.join(d, "probe.nse")
        with open(script, "wb") as f:
            f.write("\n".join(body).encode("latin-1"))
        proc = subprocess.run(
            ["nmap", "-n", "--script", script], capture_output=True, timeout=120, cwd=d
        )
        if not os.path.exists(out):
            raise RuntimeError(proc.stdout.decode("latin-1") + proc.stderr.decode("latin-1"))
        with open(out, "rb") as f:
            res = f.read().decode("latin-1").split("\n")
    assert len(res) == len(calls) + 1, (res[-3:], proc.stdout[-500:])
    return res[:-1]


def lua_calls(
    module: str, calls: Sequence[tuple[str, Sequence[Any]]], prelude: str = ""
) -> list[str]:
    """Run every call against nmap's ``module`` in one lua5.4 process."""
    lines = [STUB, f'local M = require "{module}"', prelude, *_call_lines(calls, "print")]
    src = "\n".join(lines)
    proc = subprocess.run(
        ["lua5.4", "-"], input=src.encode("latin-1"), capture_output=True, timeout=60
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.decode("latin-1"))
    out = proc.stdout.decode("latin-1").split("\n")
    assert len(out) == len(calls) + 1, (out[-5:], proc.stderr)
    return out[:-1]


def compare(
    module: str,
    pymod: Any,
    calls: Sequence[tuple[str, Sequence[Any]]],
    prelude: str = "",
    runner: Callable[..., list[str]] | None = None,
) -> None:
    """Assert that every call gives the same serialised result on both sides
    (``runner=nmap_calls`` runs the reference inside nmap instead of lua5.4)."""
    from nse.lib import lua_name_map

    names = {lua: py for py, lua in lua_name_map(pymod).items()}
    expect = (runner or lua_calls)(module, calls, prelude)
    mismatches = []
    for (fname, args), want in zip(calls, expect, strict=True):
        got = py_call(getattr(pymod, names[fname]), args)
        if got != want:
            mismatches.append(f"{fname}{tuple(args)!r}:\n  lua: {want}\n  py:  {got}")
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches[:15])
