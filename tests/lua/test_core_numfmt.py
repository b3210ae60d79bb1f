"""numfmt against lua5.4: tostring of numbers, lua_stringtonumber."""

from __future__ import annotations

import math

from core_luaref import lua_quote, needs_lua, run_lua

from nse.lua.numfmt import fmt_number, str2number, tointeger, wrap_int

FLOAT_EXPRS = [
    "0.0",
    "-0.0",
    "1.0",
    "-1.5",
    "0.1",
    "1/3",
    "1e14",
    "1e15",
    "1e16",
    "2^53",
    "2^63",
    "-2^63",
    "2^24",
    "123456789012345.0",
    "1e100",
    "1e-5",
    "123e-310",
    "5e-324",
    "1/0",
    "-1/0",
    "0/0",
    "-(0/0)",
    "math.pi",
    "-math.pi",
    "1e300*1e10",
    "100.0",
    "3.14159265358979",
    "0.30000000000000004",
    "1e-300",
    "2^-1074",
    "99999999999999.9",
    "999999999999999.9",
]
INT_EXPRS = ["0", "-1", "math.maxinteger", "math.mininteger", "1 << 62", "12345"]


_SPECIAL = {
    "1/0": math.inf,
    "-1/0": -math.inf,
    "0/0": -math.nan,
    "-(0/0)": math.nan,
    "1e300*1e10": math.inf,
}


def _pyval(expr: str) -> float:
    # x86 0/0 is the default NaN with the sign bit set; '-(0/0)' clears it.
    if expr in _SPECIAL:
        return _SPECIAL[expr]
    return float(eval(expr.replace("^", "**"), {"math": math}))


@needs_lua
def test_fmt_number_matches_lua() -> None:
    src = "".join(f"print(tostring({e}))\n" for e in FLOAT_EXPRS + INT_EXPRS)
    expected = run_lua(src).splitlines()
    got = []
    for e in FLOAT_EXPRS:
        got.append(fmt_number(_pyval(e)))
    for e in INT_EXPRS:
        got.append(
            fmt_number(
                eval(
                    e.replace("math.maxinteger", str(2**63 - 1)).replace(
                        "math.mininteger", str(-(2**63))
                    )
                )
            )
        )
    assert got == expected


NUMERALS = [
    "10",
    "  10  ",
    "\t-7\n",
    "+5",
    "0x10",
    "0XfF",
    "-0x10",
    "0x",
    "0x.8",
    "0x1p4",
    "0x1P-2",
    "0x1.8",
    "0xffffffffffffffff",
    "0x10000000000000000",
    "0x7fffffffffffffff",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "1e1",
    "1E+2",
    ".5",
    "5.",
    ".",
    "",
    " ",
    "1e",
    "e1",
    "inf",
    "nan",
    "-inf",
    "1 2",
    "1_000",
    "0b101",
    "1e400",
    "-1e400",
    "0x1p99999",
    "12abc",
    "\v3\f",
    "\x0b1",
    "\xa01",
    "1\x00",
    "00012",
    "0x0.1p4",
    "3.0",
    "-0",
    "-0.0",
    "0x-1",
    "123456789012345678901234567890",
    "0x123456789abcdef0123",
    "1.5e-3",
    "  0x1e  ",
]


@needs_lua
def test_str2number_matches_lua() -> None:
    src = "".join(
        f"local v = tonumber({lua_quote(s)}) "
        "if v == nil then print('nil') elseif math.type(v) == 'integer' then "
        "print('i', v) else print('f', string.format('%a', v)) end\n"
        for s in NUMERALS
    )
    expected = run_lua(src).splitlines()
    got = []
    for s in NUMERALS:
        v = str2number(s)
        if v is None:
            got.append("nil")
        elif type(v) is int:
            got.append(f"i\t{v}")
        else:
            got.append("f\t" + (("-" if v < 0 else "") + "inf" if math.isinf(v) else v.hex()))
    # Lua's %a and Python's float.hex differ in spelling; compare the values instead.
    for s, e, g in zip(NUMERALS, expected, got, strict=True):
        if e.startswith("f\t") and g.startswith("f\t"):
            ev, gv = e[2:], g[2:]
            assert (float.fromhex(ev) if "inf" not in ev else float(ev)) == (
                float.fromhex(gv) if "inf" not in gv else float(gv)
            ), s
        else:
            assert g == e, s


def test_tointeger_and_wrap() -> None:
    assert tointeger(3.0) == 3 and type(tointeger(3.0)) is int
    assert tointeger(3.5) is None
    assert tointeger(2.0**63) is None
    assert tointeger(-(2.0**63)) == -(2**63)
    assert tointeger(math.inf) is None and tointeger(math.nan) is None
    assert tointeger(True) is None and tointeger("3") is None
    assert wrap_int(2**63) == -(2**63)
    assert wrap_int(2**64 + 5) == 5
    assert wrap_int(-(2**63) - 1) == 2**63 - 1
