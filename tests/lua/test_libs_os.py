"""os library (nse.lua.oslib) against lua5.4: same calls, same printed results.

Local-time cases run with TZ=Europe/Berlin in both processes; file cases run in a fresh
directory each (lua5.4's and ours), so messages carrying file names are comparable.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from nse.lua import oslib
from nse.lua.luatable import LuaTable

_spec = importlib.util.spec_from_file_location(
    "_libs_harness", Path(__file__).with_name("test_libs_harness.py")
)
assert _spec is not None and _spec.loader is not None
H = importlib.util.module_from_spec(_spec)
sys.modules["_libs_harness"] = H
_spec.loader.exec_module(H)
C, S, V, Let, Raw = H.C, H.Scenario, H.V, H.Let, H.Raw
INT_STR_BUG = "errors.check_int rejects numeric strings holding integers (core bug)"

TZ = "Europe/Berlin"
ALL1 = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%"
ALL2 = ["Ec", "EC", "Ex", "EX", "Ey", "EY"] + ["O" + c for c in "deHImMSuUVwWy"]
FMT = "|".join("%" + c for c in ALL1) + "|" + "|".join("%" + c for c in ALL2)
TIMES = [0, 1700000000, -1, 2**31, 951782400, 1711846800, 1729990800, -2208988800, 253402300799]
FIELDS = ("year", "month", "day", "hour", "min", "sec", "yday", "wday", "isdst")


def _fields(expr_lua: str, name: str) -> Raw:
    """Print the date fields of the table in global ``name`` (after ``expr_lua`` ran)."""
    lua = f"{expr_lua} show({', '.join(f'{name}.{k}' for k in FIELDS)})"

    def py(libs: dict, vars_: dict) -> list[str]:
        t = vars_[name]
        return [H.show_py(*[t[k] for k in FIELDS])]

    return Raw(lua, py)


def _date_t(fmt: str, t: int) -> list[Any]:
    def py(libs: dict, vars_: dict) -> list[str]:
        vars_["d"] = libs["os"]["date"](fmt, t)
        return []

    return [Raw(f"d = os.date({H.lua_lit(fmt)}, {t})", py), _fields("", "d")]


def _time_norm(fields: dict[str, Any]) -> list[Any]:
    return [Let("tt", fields), C("os.time", V("tt")), _fields("", "tt")]


def _write_file(name: str) -> Raw:
    return Raw(
        f'do local f = assert(io.open("{name}", "w")) f:write("x") f:close() end',
        lambda libs, v: [Path(name).write_text("x") and ""][:0],
    )


def _exists(name: str) -> Raw:
    return Raw(
        f'do local f = io.open("{name}") print(f ~= nil) if f then f:close() end end',
        lambda libs, v: ["true" if Path(name).exists() else "false"],
    )


SCENARIOS = [
    S("date_utc", [C("os.date", "!" + FMT, t) for t in TIMES]
        + [C("os.date", "!%c", t) for t in (-(2**40), 2**40)]),
    S("date_local", [C("os.date", FMT, t) for t in TIMES]),
    S("date_misc", [C("os.date", *a) for a in [
        ("%Ez abc", 0), ("abc %", 0), ("%E", 0), ("%Oz", 0), ("%Q", 0), ("%", 0), ("", 0),
        ("x\x00y", 0), (5, 0), ("!%H", 3600.0), ("%c", 2**60), ("%c", 1.5), ("%c", {}),
        ({}, 0), ("!%%%a%%", 0), ("!!%H", 0), ("*t\x00junk", 0), ("!%Y%", 0)]]),
    S("date_tables", [x for t in TIMES for x in _date_t("!*t", t) + _date_t("*t", t)]),
    S("time_norm", _time_norm({"year": 2024, "month": 13, "day": 40, "hour": 25, "min": 61,
                               "sec": 61})
        + _time_norm({"year": 2024, "month": 3, "day": 31, "hour": 2, "min": 30})
        + _time_norm({"year": 2024, "month": 3, "day": 0})
        + _time_norm({"year": 2000, "month": 1, "day": 1, "isdst": True})
        + _time_norm({"year": 2000, "month": 1, "day": 1, "isdst": False})
        + _time_norm({"year": 2000, "month": -30, "day": -400, "sec": -1})
        + _time_norm({"year": 1970, "month": 1, "day": 1, "hour": 0})
        + _time_norm({"year": 2024, "month": 1.0, "day": "2"})
        + _time_norm({"year": 2**31 + 1899, "month": 1, "day": 1})),
    S("time_errors", [C("os.time", t) for t in [
        {"year": 2024}, {"year": 2024, "month": 1}, {"year": 2024, "month": "x", "day": 1},
        {"year": 2024, "month": 1.5, "day": 1}, {"year": 2.0**40, "month": 1, "day": 1},
        {"year": -(2.0**31), "month": 1, "day": 1}, {"year": 2**31 + 1900, "month": 1, "day": 1},
        {"month": 1, "day": 1}, {"year": 1, "month": 1, "day": 1, "hour": {}},
        {"year": 2024, "month": 1, "day": 2**31}, 5, "x"]]),
    S("misc", [C("os.difftime", *a) for a in [(5,), (5, 2), (5, 1.5), (2**62, -(2**62)),
                                              ("x", 1), ()]]
        + [C("os.getenv", *a) for a in [("NSE_LIBTEST",), ("NSE_NOPE_ZZ",), (), (1,),
                                        ("NSE_LIBTEST\x00zz",)]]
        + [C("os.setlocale", *a) for a in [(), ("C",), (None, "time"), ("xx_YY",),
                                           ("C", "bad"), ("POSIX",), ("C", "numeric"),
                                           ({},)]]
        + [C("os.exit", "x")]
        + [Raw("show(type(os.clock()), math.type(os.time()), math.type(os.difftime(1, 1)))",
               lambda libs, v: [H.show_py("number", "integer",
                                          "float" if type(libs["os"]["difftime"](1, 1)) is
                                          float else "?")])]),
    S("files", [C("os.remove", "nope.txt"), C("os.rename", "nope.txt", "b.txt"),
                _write_file("a.txt"), C("os.rename", "a.txt", "b.txt"), _exists("a.txt"),
                _exists("b.txt"), C("os.remove", "b.txt"), _exists("b.txt"),
                Raw('assert(os.execute("mkdir d && touch d/f"))',
                    lambda libs, v: [os.makedirs("d"), Path("d/f").touch()][:0]),
                C("os.remove", "d"), C("os.remove", "d/f"), C("os.remove", "d"), _exists("d"),
                C("os.rename", "zz", "qq/zz"), C("os.remove", ""), C("os.remove"),
                C("os.remove", "nope\x00zz"), C("os.rename", "a\x00b", "c"),
                C("os.execute", "exit 3\x00 ignored"),
                C("os.rename", "x")]),
    S("execute", [C("os.execute"), C("os.execute", "exit 3"), C("os.execute", "true"),
                  C("os.execute", "kill -9 $$"), C("os.execute", "exit 300"),
                  C("os.execute", {})]),
    S("int_strings", [C("os.date", "!%H", "3600"), C("os.exit", "x")], known=INT_STR_BUG),
]


@pytest.fixture(scope="module")
def lua_out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    env = dict(os.environ, TZ=TZ, NSE_LIBTEST="val=1")
    return H.run_lua(SCENARIOS, cwd=str(tmp_path_factory.mktemp("lua")), env=env)


@pytest.fixture
def libs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NSE_LIBTEST", "val=1")
    monkeypatch.setenv("TZ", TZ)
    time.tzset()
    yield {"os": oslib.open_lib(LuaTable())}
    monkeypatch.undo()
    time.tzset()


@H.needs_lua
@pytest.mark.parametrize("sc", SCENARIOS, ids=lambda s: s.name)
def test_same_as_lua(sc: H.Scenario, lua_out: dict[str, list[str]], libs: dict) -> None:
    H.check(sc, libs, lua_out)


def test_date_literal(libs: dict) -> None:
    d = libs["os"]["date"]
    assert d("!%Y-%m-%d %H:%M:%S", 1700000000) == "2023-11-14 22:13:20"
    assert d("%H:%M %Z", 0) == "01:00 CET"


def test_exit_raises_systemexit(libs: dict) -> None:
    for arg, code in ((None, 0), (True, 0), (False, 1), (3, 3), (2**32 + 5, 5)):
        with pytest.raises(SystemExit) as ei:
            libs["os"]["exit"](arg)
        assert ei.value.code == code


def test_tmpname_creates_file(libs: dict) -> None:
    name = libs["os"]["tmpname"]()
    try:
        assert name.startswith("/tmp/lua_") and len(name) == len("/tmp/lua_XXXXXX")
        assert os.path.isfile(name)
    finally:
        os.unlink(name)
