"""Harness for the library tests: the same calls run through lua5.4 and through our
Python libraries, and their printed results must be equal byte for byte.

A *scenario* is a list of steps:

* ``C("math.floor", 3.7)``: call a library function (from a Lua closure under ``pcall``, so
  that Lua names the function as the call site does: ``'floor'``) and print its results
  (``true``/``false`` first, then the values, as ``tostring`` shows them; tables, functions
  and userdata print as their type name so that addresses never differ).
* ``Let("t", LuaTable.from_list([3, 1, 2]))``: bind a global to a literal value.
* ``V("t")`` as an argument stands for such a variable; ``Fn(lua_src, pyfunc)`` is a
  function literal (the Lua source for lua5.4, the Python callable for us).
* ``M("f", "read", "l")``: the method call ``f:read("l")``.
* ``Dump("t")``: print ``t[1] .. t[#t]`` (raw).
* ``Raw(lua_src, pyfunc)``: run a Lua statement in lua5.4 and ``pyfunc(libs, vars)`` here;
  both print whatever lines they like (Python returns them as a list of strings).

The whole module's scenarios run in one lua5.4 process; markers split the output.
"""

from __future__ import annotations

import difflib
import math
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable
from nse.lua.numfmt import fmt_number

LUA = shutil.which("lua5.4")
needs_lua = pytest.mark.skipif(LUA is None, reason="lua5.4 not installed")


@dataclass
class V:
    name: str


@dataclass
class Fn:
    lua: str
    py: Callable[..., Any]


@dataclass
class C:
    fname: str
    args: tuple[Any, ...]

    def __init__(self, fname: str, *args: Any) -> None:
        self.fname = fname
        self.args = args


@dataclass
class M:
    """Method call ``obj:name(args)`` on the object in global ``obj``."""

    obj: str
    name: str
    args: tuple[Any, ...]

    def __init__(self, obj: str, name: str, *args: Any) -> None:
        self.obj = obj
        self.name = name
        self.args = args


@dataclass
class Let:
    name: str
    value: Any


@dataclass
class Dump:
    name: str


@dataclass
class Raw:
    lua: str
    py: Callable[[dict[str, LuaTable], dict[str, Any]], list[str]]


@dataclass
class Scenario:
    name: str
    steps: list[Any] = field(default_factory=list)
    #: known difference (reason); the test xfails while it differs, passes once fixed
    known: str = ""


def check(sc: Scenario, libs: dict[str, LuaTable], lua_out: dict[str, list[str]]) -> None:
    """Assert that the scenario prints the same lines here as in lua5.4."""
    got = run_py(sc, libs)
    want = lua_out[sc.name]
    if sc.known and got != want:
        pytest.xfail(sc.known)
    diff = difflib.unified_diff(want, got, "lua5.4", "python", lineterm="", n=0)
    assert got == want, "\n".join(diff)


def lua_lit(v: Any) -> str:
    """A Lua expression that evaluates to ``v``."""
    if isinstance(v, (dict, list)):
        v = _table(v)
    if v is None:
        return "nil"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, V):
        return v.name
    if isinstance(v, Fn):
        return v.lua
    if type(v) is int:
        return "math.mininteger" if v == -(2**63) else str(v)
    if type(v) is float:
        if v != v:
            return "(0/0)" if math.copysign(1.0, v) < 0 else "(-(0/0))"
        if math.isinf(v):
            return "(1/0)" if v > 0 else "(-1/0)"
        return f"({v.hex()})"
    if type(v) is str:
        ok = " .,:;_-+*/%()[]{}!?=<>#@"
        return '"' + "".join(c if (c.isascii() and c.isalnum()) or c in ok else f"\\{ord(c):03d}" for c in v) + '"'
    if isinstance(v, LuaTable):
        arr = v.to_list()
        parts = [lua_lit(x) for x in arr]
        for k, x in v.items():
            if not (type(k) is int and 1 <= k <= len(arr)):
                parts.append(f"[{lua_lit(k)}]={lua_lit(x)}")
        return "{" + ",".join(parts) + "}"
    raise TypeError(v)


def show_py(*vals: Any) -> str:
    """Python twin of the Lua ``show`` function below."""
    out = []
    for v in vals:
        if v is None:
            out.append("nil")
        elif v is True:
            out.append("true")
        elif v is False:
            out.append("false")
        elif type(v) is int or type(v) is float:
            out.append(fmt_number(v))
        elif type(v) is str:
            out.append(v)
        elif isinstance(v, LuaTable):
            out.append("table")
        elif callable(v):
            out.append("function")
        else:
            out.append("userdata")
    return "\t".join(out)


LUA_PRELUDE = r"""
local function show(...)
  local n = select('#', ...)
  local t = {}
  for i = 1, n do
    local v = select(i, ...)
    local ty = type(v)
    if ty == "table" or ty == "function" or ty == "userdata" then t[i] = ty
    else t[i] = tostring(v) end
  end
  print(table.concat(t, "\t", 1, n))
end
-- errors raised in the calling closure carry "stdin:N: "; Python has no Lua frame here
local function strip(ok, ...)
  if ok then return ok, ... end
  local e = ...
  if type(e) == "string" then e = e:gsub("^stdin:%d+: ", "") end
  return ok, e
end
"""


def lua_program(scenarios: list[Scenario]) -> str:
    lines = [LUA_PRELUDE]
    for sc in scenarios:
        lines.append(f'print("@@ {sc.name}")')
        for st in sc.steps:
            if isinstance(st, C):
                args = ", ".join(lua_lit(a) for a in st.args)
                lines.append(f"show(strip(pcall(function() return {st.fname}({args}) end)))")
            elif isinstance(st, M):
                args = ", ".join(lua_lit(a) for a in st.args)
                lines.append(
                    f"show(strip(pcall(function() return {st.obj}:{st.name}({args}) end)))"
                )
            elif isinstance(st, Let):
                lines.append(f"{st.name} = {lua_lit(st.value)}")
            elif isinstance(st, Dump):
                lines.append(f"show(pcall(function() local t = {st.name} local r = {{}} for i = 1, rawlen(t) do r[i] = rawget(t, i) end return table.unpack(r, 1, rawlen(t)) end))")
            elif isinstance(st, Raw):
                lines.append(st.lua)
    return "\n".join(lines) + "\n"


def run_lua(
    scenarios: list[Scenario], cwd: str | None = None, env: dict[str, str] | None = None
) -> dict[str, list[str]]:
    """Run all scenarios in one lua5.4 process; output lines per scenario."""
    assert LUA is not None
    p = subprocess.run(
        [LUA, "-"], input=lua_program(scenarios).encode("latin-1"), capture_output=True,
        timeout=60, cwd=cwd, env=env,
    )
    assert p.returncode == 0, p.stderr.decode("latin-1")
    out: dict[str, list[str]] = {}
    cur: list[str] = []
    for line in p.stdout.decode("latin-1").split("\n")[:-1]:
        if line.startswith("@@ "):
            cur = out.setdefault(line[3:], [])
        else:
            cur.append(line)
    return out


def _table(v: dict[Any, Any] | list[Any]) -> LuaTable:
    """Python dict/list literal -> LuaTable (nested ones too)."""
    if isinstance(v, dict):
        return LuaTable.from_pairs((k, _copy(x)) for k, x in v.items())
    return LuaTable.from_list([_copy(x) for x in v])


def _copy(v: Any) -> Any:
    if isinstance(v, (dict, list)):
        return _table(v)
    if isinstance(v, LuaTable):
        return LuaTable.from_pairs((k, _copy(x)) for k, x in v.items())
    return v


def run_py(sc: Scenario, libs: dict[str, LuaTable]) -> list[str]:
    """Run one scenario through our libraries; the lines it prints."""
    vars_: dict[str, Any] = {}
    out: list[str] = []

    def resolve(a: Any) -> Any:
        if isinstance(a, V):
            return vars_.get(a.name)
        if isinstance(a, Fn):
            return a.py
        return _copy(a)

    for st in sc.steps:
        if isinstance(st, C):
            lib, _, name = st.fname.partition(".")
            f = libs[lib][name] if name else vars_[lib]
            try:
                r = f(*[resolve(a) for a in st.args])
                vals = (True, *r) if type(r) is tuple else (True, r)
            except LuaError as e:
                vals = (False, e.value)
            out.append(show_py(*vals))
        elif isinstance(st, M):
            from nse.lua import ops

            o = vars_.get(st.obj)
            try:
                r = ops.invoke(o, st.name, *[resolve(a) for a in st.args])
                vals = (True, *r) if type(r) is tuple else (True, r)
            except LuaError as e:
                vals = (False, e.value)
            out.append(show_py(*vals))
        elif isinstance(st, Let):
            vars_[st.name] = _copy(st.value)
        elif isinstance(st, Dump):
            t = vars_[st.name]
            out.append(show_py(True, *[t[i] for i in range(1, t.length() + 1)]))
        elif isinstance(st, Raw):
            out.extend(st.py(libs, vars_))
    return [line for chunk in out for line in chunk.split("\n")]
