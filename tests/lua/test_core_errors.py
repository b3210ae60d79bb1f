"""errors: checkers' messages (as lua5.4 words them), positions, names, conversions."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from nse.lua import ops
from nse.lua.baselib import pcall
from nse.lua.errors import (
    NOARG,
    LuaError,
    arg_error,
    check_any,
    check_int,
    check_num,
    check_str,
    check_table,
    from_python_exception,
    opt_int,
    opt_str,
    typename,
    where,
)
from nse.lua.luatable import LuaTable


def _msg(f: Any, *args: Any) -> str:
    with pytest.raises(LuaError) as ei:
        f(*args)
    return str(ei.value.value)


def test_checkers() -> None:
    assert check_int(3, 1, "f") == 3
    assert check_int(3.0, 1, "f") == 3 and type(check_int(3.0, 1, "f")) is int
    assert check_int("0x10", 1, "f") == 16 and check_int(" 7 ", 1, "f") == 7
    assert check_int("3.0", 1, "f") == 3
    assert _msg(check_int, 1.5, 2, "rep") == (
        "bad argument #2 to 'rep' (number has no integer representation)"
    )
    assert _msg(check_int, "1.5", 2, "rep") == (
        "bad argument #2 to 'rep' (number has no integer representation)"
    )
    assert (
        _msg(check_int, "z", 2, "rep") == "bad argument #2 to 'rep' (number expected, got string)"
    )
    assert _msg(check_int, None, 1, "f") == "bad argument #1 to 'f' (number expected, got nil)"
    assert (
        _msg(check_int, NOARG, 1, "f") == "bad argument #1 to 'f' (number expected, got no value)"
    )
    assert _msg(check_int, True, 1, "f") == "bad argument #1 to 'f' (number expected, got boolean)"
    assert check_num("1e2", 1, "f") == 100.0 and check_num(5, 1, "f") == 5
    assert (
        _msg(check_num, LuaTable(), 1, "f") == "bad argument #1 to 'f' (number expected, got table)"
    )
    assert check_str(12, 1, "f") == "12" and check_str(1.5, 1, "f") == "1.5"
    assert check_str(-0.0, 1, "f") == "-0.0"
    assert _msg(check_str, True, 1, "f") == "bad argument #1 to 'f' (string expected, got boolean)"
    t = LuaTable()
    assert check_table(t, 1, "f") is t
    named = LuaTable()
    named.meta = LuaTable.from_dict({"__name": "MyType"})
    assert _msg(check_str, named, 1, "f") == "bad argument #1 to 'f' (string expected, got MyType)"
    assert _msg(check_table, "x", 1, "f") == "bad argument #1 to 'f' (table expected, got string)"
    assert _msg(check_any, NOARG, 3, "f") == "bad argument #3 to 'f' (value expected)"
    assert check_any(None, 1, "f") is None
    assert opt_int(None, 1, "f", 7) == 7 and opt_int(NOARG, 1, "f", 7) == 7
    assert opt_str(None, 1, "f", "d") == "d" and opt_str(3, 1, "f", "d") == "3"


def test_typename() -> None:
    from nse.lua.coroutine import create

    values = [None, True, 1, 1.5, "s", LuaTable(), print, create(print), object()]
    assert [typename(v) for v in values] == [
        "nil", "boolean", "number", "number", "string", "table", "function", "thread",
        "userdata",
    ]  # fmt: skip


def test_no_lua_frame_means_no_position() -> None:
    assert where(1) == ""
    assert _msg(arg_error, 1, "f", "x") == "bad argument #1 to 'f' (x)"


def _fake_chunk(src: str, names: dict[tuple[int, int], tuple[Any, ...]]) -> dict[str, Any]:
    g: dict[str, Any] = {"__lua_names__": names, "ops": ops}
    exec(compile(ast.parse(src), "fake.lua", "exec"), g)
    return g


def test_positions_and_names_from_lua_frames() -> None:
    src = "def f(x):\n    return ops.add(x, 1)\n\ndef g(h):\n    return h()\n"
    # the Call node ops.add(...) is at line 2, col 11
    g = _fake_chunk(src, {(2, 11): ("local 'x'", None), (5, 11): ("global 'h'",)})
    assert _msg(g["f"], None) == (
        "fake.lua:2: attempt to perform arithmetic on a nil value (local 'x')"
    )
    with pytest.raises(TypeError) as ei:
        g["g"](None)
    err = from_python_exception(ei.value)
    assert err.value == "fake.lua:5: attempt to call a nil value (global 'h')"
    # pcall converts the same way
    assert pcall(g["g"], None) == (False, "fake.lua:5: attempt to call a nil value (global 'h')")
    assert pcall(g["f"], 1) == (True, 2)


def test_from_python_exception_kinds() -> None:
    assert from_python_exception(RecursionError()).value == "stack overflow"
    assert from_python_exception(MemoryError()).value == "not enough memory"
    assert from_python_exception(ValueError("bad thing")).value == "bad thing"
    assert from_python_exception(KeyError()).value == "KeyError"
    e = LuaError("x")
    assert from_python_exception(e) is e
    assert pcall(None) == (False, "attempt to call a nil value")


def test_luaerror_str() -> None:
    assert str(LuaError("m")) == "m" and str(LuaError(12)) == "12"
    assert str(LuaError(None)) == "(error object is a nil value)"
    t = LuaTable()
    t.meta = LuaTable.from_dict({"__tostring": lambda self: "T"})
    assert str(LuaError(t)) == "T"
