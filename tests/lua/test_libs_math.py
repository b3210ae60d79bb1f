"""math library (nse.lua.mathlib) against lua5.4: same calls, same printed results."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

from nse.lua import mathlib
from nse.lua.luatable import LuaTable

_spec = importlib.util.spec_from_file_location(
    "_libs_harness", Path(__file__).with_name("test_libs_harness.py")
)
assert _spec is not None and _spec.loader is not None
H = importlib.util.module_from_spec(_spec)
sys.modules["_libs_harness"] = H
_spec.loader.exec_module(H)
C, S = H.C, H.Scenario
INT_STR_BUG = "errors.check_int rejects numeric strings holding integers (core bug)"

INF, NAN = math.inf, -math.nan  # -math.nan: the x86 0/0 NaN (sign bit set)
MAXI, MINI = 2**63 - 1, -(2**63)


def _each(fname: str, *argsets: tuple) -> list:
    return [C(fname, *a) for a in argsets]


SCENARIOS = [
    S("floor_ceil", _each("math.floor", (3.7,), (-3.5,), (2.0**63,), (INF,), (NAN,), ("3.7",),
                          ("3",), (-0.0,), (5,), ("x",), (), ({},), (-(2.0**63),), (1e300,))
        + _each("math.ceil", (-0.5,), (2.0**62,), (-(2.0**63),), (-(2.0**63) - 1025,), (INF,),
                (-INF,), (NAN,), (-0.0,), (7,), ("2.1",), (None,))),
    S("abs", _each("math.abs", (MINI,), ("-3",), (-0.0,), (-3,), (-2.5,), (-INF,), ({},), ())),
    S("fmod", _each("math.fmod", (7, 3), (-7, 3), (7, -3), (MINI, -1), (1, 0), (1, 0.0),
                    (INF, 2), (1, INF), (-7.5, 2), ("7", "3"), (7, 3.0), (-6, 3), (6, -3),
                    (-0.0, 1), (5.5, -2), (1,), (MINI, MAXI), (3, MINI), ("a", 1), ("abc", None),
                    (NAN, 1), (1, NAN))),
    S("modf", _each("math.modf", (3.7,), (-3.7,), (INF,), (-INF,), (NAN,), (5,), (2.0**63,),
                    (-0.5,), (-0.0,), ("2.5",), (1e100,), ())),
    S("log_exp", _each("math.log", (0,), (-1,), (8, 2), (100, 10), (27, 3), ("8", 2), (8, None),
                       (1, 1), (0, 10), (-8, 2), (2, 0), (0, 0), (1, "x"), (1e308, 2), (10,),
                       (INF,), (5, 1), (0, 1), (-1, 1))
        + _each("math.exp", (1000,), (0,), (-1000,), (1,), (NAN,), ("1",))),
    S("trig", _each("math.sqrt", (-1,), (2,), (INF,), (4,), (-0.0,))
        + _each("math.sin", (INF,), (1,), (0,)) + _each("math.cos", (0,), (INF,), (2,))
        + _each("math.tan", (1,), (-INF,)) + _each("math.asin", (2,), (0.5,))
        + _each("math.acos", (2,), (0.5,)) + _each("math.atan", (1,), (1, 2), (-0.0, -1),
                                                   (1, None), (INF, INF), (-1, NAN), (NAN, 1),
                                                   (-NAN, -NAN))
        + _each("math.deg", (math.pi,), (1,)) + _each("math.rad", (180,), ("90",))),
    S("types", _each("math.tointeger", (), (None,), ("3",), (3.0,), (3.5,), ("x",), ("3.0",),
                     (2.0**63,), ("0x10",), (-0.0,), (INF,), ({},))
        + _each("math.type", (1,), (1.0,), ("1",), (), (None,))
        + _each("math.ult", (1, -1), (-1, 1), (1.5, 2), (MAXI, MINI))),
    S("maxmin", _each("math.max", (1, 2.0, 2), (2.0, 2), (), (1, "2"), ("1", "2"), (NAN, 1),
                      (1, NAN), (-0.0, 0), (0, -0.0), (MAXI, 2.0**63), ("a",))
        + _each("math.min", (3, 1.0, 1), (1, {}), (MINI, -(2.0**63)), (NAN, 1), (1, NAN),
                (5,))),
    S("random_seeded", [C("math.randomseed", 42)] + _each("math.random", (1, 100), (1, 100),
                                                           (1, 100), (), (0,), (5,), (3.0,))
        + [C("math.randomseed", -1, 5)]
        + _each("math.random", (0,), (), (1, 6), (1 << 62,), (MINI, MAXI), (MAXI,), (-10, -5),
                (0, 0), (7, 7), (MINI, -1), (0, MAXI), (-3, 1 << 40))
        + [C("math.randomseed", MAXI, MINI), C("math.random", 0), C("math.random", 10, 20),
           C("math.random", 1000)]
        + [C("math.randomseed", 0)] + [C("math.random", 1, 10) for _ in range(30)]
        + [C("math.randomseed", 123)] + [C("math.random") for _ in range(10)]),
    S("random_errors", [C("math.randomseed", 1.5), C("math.randomseed", "x"),
                        C("math.random", 2, 1), C("math.random", 1, 2, 3),
                        C("math.random", None), C("math.random", 1.5), C("math.random", "a", 2),
                        C("math.random", 1, 2.5), C("math.random", -1)]),
    S("compat", _each("math.pow", (0, -1), (-8, 1 / 3), (2, 10), ("2", 0.5), (10, 400), (-0.0, -1),
                      (1,), (INF, 0), (NAN, 0), (-2, 0.5))
        + _each("math.frexp", (0,), (-0.0,), (INF,), (NAN,), (8,), (-3.5,), (5e-324,), (),
                (MAXI,))
        + _each("math.ldexp", (1, 2**32 + 1), (1, 2000), (3, -1080), (1, 1.5), (1,), (-1, 5000),
                (0.75, -1), (1, -(2**32)))
        + _each("math.log10", (0,), (1000,), (-1,), (NAN,), ("100",))
        + _each("math.cosh", (1000,), (NAN,), (0,)) + _each("math.sinh", (-1000,), (1,))
        + _each("math.tanh", (INF,), (0.5,)) + _each("math.atan2", (1, 2), (1,), (-0.0, -1))),
    S("int_strings", [C("math.ult", 2, "3"), C("math.randomseed", "7"), C("math.random", 1000),
                      C("math.random", "5", " 6 "), C("math.fmod", "7", 3)], known=INT_STR_BUG),
    S("constants", [H.Raw("show(math.pi, math.huge, -math.huge, math.maxinteger, math.mininteger)",
                          lambda libs, v: [H.show_py(libs["math"]["pi"], libs["math"]["huge"],
                                                     -libs["math"]["huge"],
                                                     libs["math"]["maxinteger"],
                                                     libs["math"]["mininteger"])])]),
]


@pytest.fixture(scope="module")
def lua_out() -> dict[str, list[str]]:
    return H.run_lua(SCENARIOS)


@pytest.fixture
def libs() -> dict[str, LuaTable]:
    return {"math": mathlib.open_lib(LuaTable())}


@H.needs_lua
@pytest.mark.parametrize("sc", SCENARIOS, ids=lambda s: s.name)
def test_same_as_lua(sc: H.Scenario, lua_out: dict[str, list[str]], libs: dict) -> None:
    H.check(sc, libs, lua_out)


def test_seeded_sequence_literal(libs: dict) -> None:
    m = libs["math"]
    assert m["randomseed"](42) == (42, 0)
    assert [m["random"](1, 100) for _ in range(3)] == [50, 76, 86]


def test_math_tables_share_one_generator() -> None:
    # one Lua state in nmap: seeding through one math table moves the others
    a, b = mathlib.open_lib(LuaTable()), mathlib.open_lib(LuaTable())
    a["randomseed"](42)
    assert [b["random"](1, 100), a["random"](1, 100), b["random"](1, 100)] == [50, 76, 86]


def test_private_generator() -> None:
    a = mathlib.open_lib(LuaTable(), mathlib.Xoshiro256())
    b = mathlib.open_lib(LuaTable(), mathlib.Xoshiro256())
    a["randomseed"](7)
    b["randomseed"](7)
    x = a["random"](0)
    a["random"](0)
    assert b["random"](0) == x


def test_unseeded_random_in_range(libs: dict) -> None:
    r = libs["math"]["random"]
    vals = [r(1, 6) for _ in range(200)]
    assert set(vals) == {1, 2, 3, 4, 5, 6}
    assert all(0.0 <= r() < 1.0 for _ in range(100))
