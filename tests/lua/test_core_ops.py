"""Operators against lua5.4: every binary operator over a grid of edge values."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from core_luaref import needs_lua, run_lua

from nse.lua import ops
from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable

# (Lua expression, Python value)
VALUES: list[tuple[str, Any]] = [
    ("0", 0), ("1", 1), ("-1", -1), ("3", 3), ("-7", -7), ("64", 64), ("-64", -64),
    ("math.maxinteger", 2**63 - 1), ("math.mininteger", -(2**63)),
    ("9007199254740993", 2**53 + 1), ("0.0", 0.0), ("-0.0", -0.0), ("1.5", 1.5),
    ("-2.5", -2.5), ("3.0", 3.0), ("1e308", 1e308), ("math.huge", math.inf),
    ("-math.huge", -math.inf), ("2^53", 2.0**53), ("2^63", 2.0**63), ("0.1", 0.1),
    ('"10"', "10"), ('"0x10"', "0x10"), ('"1.5"', "1.5"), ('" 3 "', " 3 "), ('"abc"', "abc"),
    ('""', ""), ("nil", None), ("true", True),
]  # fmt: skip

BINOPS = [
    ("+", ops.add), ("-", ops.sub), ("*", ops.mul), ("/", ops.div), ("%", ops.mod),
    ("//", ops.idiv), ("^", ops.pow), ("&", ops.band), ("|", ops.bor), ("~", ops.bxor),
    ("<<", ops.shl), (">>", ops.shr), ("..", ops.concat), ("==", ops.eq), ("~=", ops.ne),
    ("<", ops.lt), ("<=", ops.le), (">", ops.gt), (">=", ops.ge),
]  # fmt: skip
UNOPS = [("-", ops.unm), ("~", ops.bnot), ("#", ops.length)]

LUA_SHOW = r"""
local function show(ok, v)
  if not ok then
    local m = tostring(v):gsub("^[^:]*:%d+: ", ""):gsub(" %(%a+ '[^']*'%)", "")
    return "E:" .. m
  end
  local t = math.type(v)
  if t == "float" then return "f:" .. string.format("%.17g", v)
  elseif t == "integer" then return "i:" .. string.format("%d", v) end
  return type(v) .. ":" .. tostring(v)
end
"""


def py_show(f: Any, *args: Any) -> str:
    try:
        v = f(*args)
    except LuaError as e:
        return "E:" + str(e.value)
    if type(v) is float:
        if v != v:
            return "f:" + ("-nan" if math.copysign(1, v) < 0 else "nan")
        return "f:" + ("%.17g" % v)
    if type(v) is int:
        return f"i:{v}"
    return f"{ops.type_(v)}:{ops.tostring(v)}"


@needs_lua
@pytest.mark.parametrize("op,func", BINOPS, ids=[o for o, _ in BINOPS])
def test_binary_operator_grid(op: str, func: Any) -> None:
    lines = [LUA_SHOW, "local V = {}"]
    for i, (lexpr, _) in enumerate(VALUES):
        lines.append(f"V[{i}] = {lexpr}")
    n = len(VALUES)
    lines.append(
        f"for i = 0, {n - 1} do for j = 0, {n - 1} do "
        f"print(show(pcall(function(a, b) return a {op} b end, V[i], V[j]))) end end"
    )
    expected = run_lua("\n".join(lines)).splitlines()
    got = [py_show(func, a, b) for _, a in VALUES for _, b in VALUES]
    bad = [
        (VALUES[k // n][0], VALUES[k % n][0], e, g)
        for k, (e, g) in enumerate(zip(expected, got, strict=True))
        if e != g
    ]
    assert not bad, bad[:10]


@needs_lua
@pytest.mark.parametrize("op,func", UNOPS, ids=[o for o, _ in UNOPS])
def test_unary_operator_grid(op: str, func: Any) -> None:
    lines = [LUA_SHOW]
    for lexpr, _ in VALUES:
        lines.append(f"print(show(pcall(function(a) return {op}a end, {lexpr})))")
    expected = run_lua("\n".join(lines)).splitlines()
    got = [py_show(func, a) for _, a in VALUES]
    bad = [
        (VALUES[k][0], e, g) for k, (e, g) in enumerate(zip(expected, got, strict=True)) if e != g
    ]
    assert not bad, bad[:10]


def _mt(**events: Any) -> LuaTable:
    return LuaTable.from_dict(events)


def test_metamethods() -> None:
    log: list[Any] = []
    mt = _mt(
        __add=lambda a, b: f"add {a is t} {b is t}",
        __concat=lambda a, b: "cat",
        __len=lambda a: 42,
        __eq=lambda a, b: True,
        __lt=lambda a, b: True,
        __unm=lambda a, b: "neg",
        __band=lambda a, b: "band",
        __index=lambda o, k: "idx " + k,
        __newindex=lambda o, k, v: log.append((k, v)),
        __call=lambda self, *a: a,
        __tostring=lambda a: "T!",
    )
    t = LuaTable()
    t.meta = mt
    u = LuaTable()
    u.meta = mt
    assert ops.add(t, 1) == "add True False"
    assert ops.add(1, t) == "add False True"
    assert ops.add("10", t) == "add False True"  # string arith falls back to the __add
    assert ops.concat(t, "x") == "cat" and ops.concat(3, t) == "cat"
    assert ops.length(t) == 42
    assert ops.eq(t, u) is True and ops.eq(t, 1) is False
    assert ops.lt(t, u) is True and ops.le(t, u) is False  # __le falls back to not (u < t)
    assert ops.unm(t) == "neg" and ops.band(t, 1) == "band"
    assert ops.index(t, "k") == "idx k"
    ops.setindex(t, "k", 5)
    assert log == [("k", 5)] and t["k"] is None
    assert ops.tostring(t) == "T!"
    assert ops.call(t, 1, 2) == (1, 2)


def test_index_chains() -> None:
    base = LuaTable.from_dict({"x": 1})
    mid = LuaTable()
    mid.meta = LuaTable.from_dict({"__index": base})
    top = LuaTable()
    top.meta = LuaTable.from_dict({"__index": mid})
    assert ops.index(top, "x") == 1 and ops.index(top, "y") is None
    loop = LuaTable()
    loop.meta = LuaTable.from_dict({"__index": loop})
    loop.meta.meta = loop.meta
    loop2 = LuaTable()
    lm = LuaTable()
    lm["__index"] = loop2
    loop2.meta = lm
    with pytest.raises(LuaError, match="'__index' chain too long; possible loop"):
        ops.index(loop2, "x")
    nt = LuaTable()
    store = LuaTable()
    nt.meta = LuaTable.from_dict({"__newindex": store})
    ops.setindex(nt, "a", 1)
    assert nt["a"] is None and store["a"] == 1
    with pytest.raises(LuaError, match="attempt to index a nil value"):
        ops.index(None, "x")
    with pytest.raises(LuaError, match="attempt to index a number value"):
        ops.setindex(5, "x", 1)


def test_call_errors_and_tostring_shapes() -> None:
    with pytest.raises(LuaError, match="attempt to call a nil value"):
        ops.call(None)
    with pytest.raises(LuaError, match=r"attempt to call a nil value \(method 'nope'\)"):
        ops.invoke(LuaTable(), "nope")
    assert re.fullmatch(r"table: 0x[0-9a-f]{8,16}", ops.tostring(LuaTable()))
    assert re.fullmatch(r"function: 0x[0-9a-f]{8,16}", ops.tostring(print))
    named = LuaTable()
    named.meta = LuaTable.from_dict({"__name": "MyType"})
    assert ops.tostring(named).startswith("MyType: 0x")
    assert ops.tostring(-0.0) == "-0.0" and ops.tostring(True) == "true"


@needs_lua
def test_tonumber_bases() -> None:
    cases = [
        ("10", 16), ("ff", 16), (" -ff ", 16), ("zz", 36), ("8", 8), ("1.5", 10), ("", 10),
        ("7fffffffffffffff", 16), ("ffffffffffffffff", 16), ("10000000000000000", 16),
        ("-", 10), ("1 1", 10), ("Z", 36), ("101", 2), ("2", 2),
    ]  # fmt: skip
    src = LUA_SHOW + "".join(f'print(show(pcall(tonumber, "{s}", {b})))\n' for s, b in cases)
    expected = run_lua(src).splitlines()
    got = [py_show(ops.tonumber, s, b) for s, b in cases]
    assert got == expected


def test_numeric_for() -> None:
    assert list(ops.numeric_for(1, 3)) == [1, 2, 3]
    assert list(ops.numeric_for(3, 1, -1)) == [3, 2, 1]
    assert list(ops.numeric_for(1, 2.5)) == [1, 2]
    assert list(ops.numeric_for(1.0, 2)) == [1.0, 2.0]
    assert list(ops.numeric_for(1, 0.5, 1)) == []
    n = 2**63 - 1
    assert list(ops.numeric_for(n - 1, math.inf)) == [n - 1, n]
    with pytest.raises(LuaError, match="'for' step is zero"):
        ops.numeric_for(1, 2, 0)
    assert list(ops.numeric_for(1, "2")) == [1, 2]
    with pytest.raises(LuaError, match=r"bad 'for' initial value \(number expected, got table\)"):
        ops.numeric_for(LuaTable(), 2, 1)
    with pytest.raises(LuaError, match=r"bad 'for' limit \(number expected, got string\)"):
        ops.numeric_for(1, "x")


def test_rt_exports_everything_in_its_all() -> None:
    from nse.lua import rt

    for name in rt.__all__:
        assert getattr(rt, name) is not None, name
    for name in ("add", "index", "setindex", "invoke", "concat", "eq", "lt", "first", "mv"):
        assert name in rt.__all__
