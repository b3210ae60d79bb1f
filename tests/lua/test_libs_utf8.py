"""utf8 library (nse.lua.utf8lib) against lua5.4: same calls, same printed results."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from nse.lua import utf8lib
from nse.lua.errors import LuaError
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

E_ACUTE = "a\xc3\xa9b"  # "aéb" as UTF-8 bytes
SURR = "\xed\xa0\x80"  # U+D800 encoded
BIG = "\xf4\x90\x80\x80"  # U+110000
SIX = "\xfd\xbf\xbf\xbf\xbf\xbf"  # 0x7FFFFFFF
STRINGS = ["", "abc", E_ACUTE, "\xff", SURR, BIG, SIX, "\xc0\x80", "\xc3", "a\x80", "\x80a",
           "\xc3\xa9\xa9x", "h\xc3\xa9llo", "\xe2\x82\xac\xf0\x9f\x98\x80", "\xf8\x88\x80\x80\x80",
           "\xe0\x80\xaf", "\xf0\x80\x80\x80", "x\x00y"]


def _codes(s: str, lax: bool | None) -> H.Raw:
    """Iterate utf8.codes(s, lax) fully, printing each pair or the error."""
    lua = (
        f"do local r = {{}} local ok, e = pcall(function() for p, c in utf8.codes("
        f"{H.lua_lit(s)}, {H.lua_lit(lax)}) do r[#r + 1] = p .. ':' .. c end end) "
        "print(table.concat(r, ' '), ok, ok or (e:gsub('^stdin:%d+: ', ''))) end"
    )

    def py(libs: dict, _v: dict) -> list[str]:
        r = []
        try:
            f, st, c = libs["utf8"]["codes"](s, lax)
            while True:
                x = f(st, c)
                if x == ():
                    break
                c = x[0]
                r.append(f"{x[0]}:{x[1]}")
            ok, e = True, True
        except LuaError as err:
            ok, e = False, err.value
        return [H.show_py(" ".join(r), ok, e)]

    return H.Raw(lua, py)


SCENARIOS = [
    S("len", [C("utf8.len", s) for s in STRINGS]
        + [C("utf8.len", s, 1, -1, True) for s in STRINGS]
        + [C("utf8.len", *a) for a in [("abc", 4), ("abc", 5), ("abc", 0), ("abc", 1, 4),
                                       ("abc", -1), ("abc", 1, -5), ("abc", -10), (123,), (),
                                       (E_ACUTE, 3), (E_ACUTE, 2, 2), ("abc", 2, 1), ({},),
                                       ("abc", 1.5)]]),
    S("int_strings", [C("utf8.len", "abc", "2"), C("utf8.char", "65")], known=INT_STR_BUG),
    S("codepoint", [C("utf8.codepoint", s, 1, -1) for s in STRINGS]
        + [C("utf8.codepoint", s, 1, -1, True) for s in STRINGS]
        + [C("utf8.codepoint", *a) for a in [("abc",), ("abc", 0), ("abc", 1, 4), ("abc", 3, 2),
                                             (E_ACUTE, 3), ("abc", -1), ("abc", -5, 2),
                                             (BIG, 1, 1, True), ("", 1, 0), ()]]),
    S("char", [C("utf8.char", *a) for a in [(72, 0xE9, 0x10FFFF, 0x7FFFFFFF, 0x110000), (),
                                            (0x80000000,), (-1,), ("x",), (65.0,), (0xD800,),
                                            (0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000),
                                            (0x1FFFFF, 0x200000, 0x3FFFFFF, 0x4000000)]]),
    S("offset", [C("utf8.offset", *a) for a in [
        (E_ACUTE, 3), (E_ACUTE, -1), (E_ACUTE, 0, 3), (E_ACUTE, 5), (E_ACUTE, 6), ("abc", -4),
        ("abc", -3), (E_ACUTE, 1, 3), ("abc", 1, 5), ("abc", 1, 4), ("abc", 0, 4), ("", 1),
        ("", -1), ("", 0), (E_ACUTE, 2, -1), (E_ACUTE, -2, -1), ("abc", 0, 0), ("abc", 1, -4),
        ("\x80\x80", 0, 2), ("\x80\x80", -1), ("abc",), (E_ACUTE, 4), (E_ACUTE, -3)]]),
    S("codes", [_codes(s, None) for s in STRINGS] + [_codes(s, True) for s in STRINGS]),
    S("charpattern", [H.Raw("print(utf8.charpattern)",
                            lambda libs, v: [libs["utf8"]["charpattern"]])]),
]


@pytest.fixture(scope="module")
def lua_out() -> dict[str, list[str]]:
    return H.run_lua(SCENARIOS)


@pytest.fixture
def libs() -> dict[str, LuaTable]:
    return {"utf8": utf8lib.open_lib(LuaTable())}


@H.needs_lua
@pytest.mark.parametrize("sc", SCENARIOS, ids=lambda s: s.name)
def test_same_as_lua(sc: H.Scenario, lua_out: dict[str, list[str]], libs: dict) -> None:
    H.check(sc, libs, lua_out)


def test_roundtrip_literal(libs: dict) -> None:
    u = libs["utf8"]
    s = u["char"](0x48, 0x20AC, 0x1F600)
    assert s == "H\xe2\x82\xac\xf0\x9f\x98\x80"
    assert u["codepoint"](s, 1, -1) == (0x48, 0x20AC, 0x1F600)
    assert u["len"](s) == 3
    assert u["len"]("\xff") == (None, 1)
