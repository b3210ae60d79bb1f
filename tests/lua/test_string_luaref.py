"""Shared harness of the ``test_string_*`` modules (no tests of its own).

A case is a Lua function name from the string library plus argument values.  The same case
list is turned into ONE Lua script (run by ``lua5.4``) that prints one serialized result per
line, and evaluated in Python through :mod:`nse.lua.strlib`; the tests compare line by line.
Serialization: ``R`` + comma-separated values (``i<int>``, ``f<%.17g>``, ``s<hex bytes>``,
``n``, ``T``/``F``) or ``E`` + hex of the error message without its ``chunk:line:`` prefix.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from nse.lua import strlib as S
from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable
from nse.lua.numfmt import fmt_number

LUA = shutil.which("lua5.4")
needs_lua = pytest.mark.skipif(LUA is None, reason="lua5.4 not installed")


class Named:
    """An argument that is a named Lua value defined in both languages (functions, tables)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


def _tostr(v: Any) -> str:
    return v if type(v) is str else fmt_number(v)


def _py_named() -> dict[str, Any]:
    t = LuaTable()
    t["hello"] = "HI"
    t["a"] = "<A>"
    t[1] = "one"
    t[3] = 3.5
    t["b"] = True
    t["x"] = False
    t["\xff"] = "\0"
    return {
        "F_upper": lambda *a: S.str_upper(a[0]),
        "F_nil": lambda *a: None,
        "F_false": lambda *a: False,
        "F_cat": lambda *a: "[" + "+".join(_tostr(x) for x in a) + "]",
        "F_num": lambda *a: 42,
        "F_float": lambda *a: 1.5,
        "F_table": lambda *a: LuaTable(),
        "F_none": lambda *a: (),
        "T_map": t,
    }


PY_NAMED = _py_named()

LUA_PRELUDE = r"""
local NAMED = {
  F_upper = function(...) return string.upper((...)) end,
  F_nil = function() return nil end,
  F_false = function() return false end,
  F_cat = function(...) local t = table.pack(...)
    for i = 1, t.n do t[i] = tostring(t[i]) end
    return "[" .. table.concat(t, "+", 1, t.n) .. "]" end,
  F_num = function() return 42 end,
  F_float = function() return 1.5 end,
  F_table = function() return {} end,
  F_none = function() end,
  T_map = {hello = "HI", a = "<A>", [1] = "one", [3] = 3.5, b = true, x = false, ["\255"] = "\0"},
}
local function hex(s)
  local out = {}
  for i = 1, #s do out[i] = string.format("%02x", s:byte(i)) end
  return table.concat(out)
end
local function ser(v)
  local t = math.type(v)
  if t == "integer" then return "i" .. tostring(v)
  elseif t == "float" then return "f" .. string.format("%.17g", v)
  elseif type(v) == "string" then return "s" .. hex(v)
  elseif v == nil then return "n"
  elseif v == true then return "T"
  elseif v == false then return "F" end
  return "?" .. type(v)
end
local function line(ok, ...)
  if not ok then
    local m = tostring((...))
    m = m:gsub("^stdin:%d+: ", "")
    return "E" .. hex(m)
  end
  local t = table.pack(...)
  local out = {}
  for i = 1, t.n do out[i] = ser(t[i]) end
  return "R" .. table.concat(out, ",")
end
local function GM(...)
  local it = string.gmatch(...)
  local out = {}
  for _ = 1, 300 do
    local t = table.pack(it())
    if t.n == 0 or t[1] == nil then break end
    for i = 1, t.n do t[i] = ser(t[i]) end
    out[#out + 1] = table.concat(t, ";", 1, t.n)
  end
  local r = table.concat(out, "|")
  return r
end
"""


def lua_lit(v: Any) -> str:
    """A Lua expression for the value ``v``."""
    if isinstance(v, Named):
        return "NAMED." + v.name
    if v is None:
        return "nil"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if type(v) is int:
        if v == -(1 << 63):
            return "math.mininteger"
        return "(%d)" % v
    if type(v) is float:
        if v != v:
            return "(0/0)" if math.copysign(1, v) < 0 else "(-(0/0))"
        if v == math.inf:
            return "(1/0)"
        if v == -math.inf:
            return "(-1/0)"
        return "(%s)" % v.hex()
    if type(v) is str:
        return '"' + "".join("\\x%02x" % ord(c) for c in v) + '"'
    raise TypeError(v)


def py_val(v: Any) -> Any:
    return PY_NAMED[v.name] if isinstance(v, Named) else v


def ser(v: Any) -> str:
    if type(v) is int:
        return "i%d" % v
    if type(v) is float:
        if v != v:
            return "f-nan" if math.copysign(1, v) < 0 else "fnan"
        if v in (math.inf, -math.inf):
            return "finf" if v > 0 else "f-inf"
        return "f" + "%.17g" % v
    if type(v) is str:
        return "s" + v.encode("latin-1").hex()
    if v is None:
        return "n"
    if v is True:
        return "T"
    if v is False:
        return "F"
    return "?" + type(v).__name__


def _line_ok(res: Any) -> str:
    if type(res) is not tuple:
        res = (res,)
    return "R" + ",".join(ser(x) for x in res)


def _line_err(e: LuaError) -> str:
    return "E" + str(e).encode("latin-1").hex()


def _gm(*args: Any) -> str:
    it = S.str_gmatch(*args)
    out = []
    for _ in range(300):
        r = it()
        if type(r) is not tuple:
            r = (r,)
        if not r or r[0] is None:
            break
        out.append(";".join(ser(x) for x in r))
    return "|".join(out)


PY_FUNCS: dict[str, Callable[..., Any]] = {
    "GM": _gm,
    **{name: getattr(S, "str_" + name) for name in (
        "byte", "char", "find", "format", "gsub", "len", "lower", "match", "rep",
        "reverse", "sub", "upper", "pack", "packsize", "unpack",
    )},
}


Case = tuple[str, Sequence[Any]]


def lua_script(cases: Sequence[Case]) -> str:
    lines = [LUA_PRELUDE]
    for fname, args in cases:
        f = "GM" if fname == "GM" else "string." + fname
        a = ", ".join(lua_lit(x) for x in args)
        # not a tail call, so errors name the function as 'find', not 'string.find'
        lines.append(
            "print(line(pcall(function() local r = table.pack(%s(%s)) "
            "return table.unpack(r, 1, r.n) end)))" % (f, a)
        )
    return "\n".join(lines) + "\n"


def lua_lines(cases: Sequence[Case]) -> list[str]:
    """The reference result lines of ``cases`` from one lua5.4 run."""
    assert LUA is not None
    r = subprocess.run(
        [LUA, "-"], input=lua_script(cases).encode("latin-1"), capture_output=True, timeout=60
    )
    assert r.returncode == 0, r.stderr.decode("latin-1")
    out = r.stdout.decode("latin-1").split("\n")
    assert out[-1] == ""
    return out[:-1]


def py_line(fname: str, args: Sequence[Any]) -> str:
    """The result line of one case evaluated by nse.lua."""
    try:
        return _line_ok(PY_FUNCS[fname](*[py_val(a) for a in args]))
    except LuaError as e:
        return _line_err(e)


def decode(line: str) -> str:
    """A readable form of a result line for assertion messages."""
    if line.startswith("E"):
        return "error: " + bytes.fromhex(line[1:]).decode("latin-1")
    parts = []
    for x in line[1:].split(",") if line[1:] else []:
        parts.append(repr(bytes.fromhex(x[1:]).decode("latin-1")) if x[:1] == "s" else x)
    return "(" + ", ".join(parts) + ")"


def compare(cases: Sequence[Case], expected: Sequence[str]) -> list[str]:
    """Mismatches between nse.lua and the reference lines, as readable strings."""
    assert len(expected) == len(cases)
    bad = []
    for (fname, args), exp in zip(cases, expected, strict=True):
        got = py_line(fname, args)
        if got != exp:
            bad.append(f"{fname}{tuple(args)!r}: lua {decode(exp)} != ours {decode(got)}")
    return bad
