"""string.format (manual §6.4) compared with lua5.4 byte for byte: every conversion, flag
combinations, widths and precisions, Lua's own checks and messages, %q, %a."""

from __future__ import annotations

import itertools
import math

import pytest
from test_string_luaref import compare, lua_lines, needs_lua

from nse.lua.errors import LuaError
from nse.lua.strformat import fmt_hexfloat, quote_string, str_format

# ----------------------------------------------------------------------------- literal table
LITERAL = [
    (("%d|%5d|%-5d|%05d|%+d|% d", 42, 42, 42, 42, 42, 42), "42|   42|42   |00042|+42| 42"),
    (("%x|%X|%#x|%o|%#o|%u", 255, 255, 255, 8, 8, -1), "ff|FF|0xff|10|010|18446744073709551615"),
    (("%x", -1), "ffffffffffffffff"),
    (("%05.3d|%.0d|", 5, 0), "  005||"),
    (("%d", 3.0), "3"),
    (("%5.1f|%.3e|%g|%g", 3.14159, 12345.678, 1e20, 0.0001), "  3.1|1.235e+04|1e+20|0.0001"),
    (("%f|%f|%f|%5.1f", math.inf, -math.inf, -math.nan, math.nan), "inf|-inf|-nan|  nan"),
    (("%a|%A|%.3a|%a", 1.0, 0.1, 1 / 3, 5e-324),
     "0x1p+0|0X1.999999999999AP-4|0x1.555p-2|0x0.0000000000001p-1022"),
    (("%.0a|%.1a|%#a", 1.5, 1.97, 1.0), "0x2p+0|0x2.0p+0|0x1.p+0"),
    (("%q", "a\n\0001\1b\xff\"\\"), '"a\\\n\\0001\\1b\xff\\"\\\\"'),
    (("%q|%q|%q|%q", 1 / 3, math.inf, -math.nan, -(2**63)),
     "0x1.5555555555555p-2|1e9999|(0/0)|0x8000000000000000"),
    (("%q|%q|%q", None, True, 7), "nil|true|7"),
    (("%s|%10.3s|%-4s|", 1.5, "abcdef", "x"), "1.5|       abc|x   |"),
    (("%c%c%c", 0x41, 0, 0xFF), "A\0\xff"),
    (("%%|%5%", 1), None),  # '%5%' is not a conversion Lua knows
]


@pytest.mark.parametrize("args,want", LITERAL)
def test_literal_table(args, want):
    if want is None:
        with pytest.raises(LuaError, match="invalid conversion '%5%' to 'format'"):
            str_format(*args)
    else:
        assert str_format(*args) == want


def test_errors_literal():
    cases = [
        (("%d", 1.5), "bad argument #2 to 'format' (number has no integer representation)"),
        (("%d",), "bad argument #2 to 'format' (no value)"),
        (("%10.100d", 1), "invalid conversion specification: '%10.100d'"),
        (("%05s", "x"), "invalid conversion specification: '%05s'"),
        (("%5q", 1), "specifier '%q' cannot have modifiers"),
        (("%0000000000000000000000d", 1), "invalid format (too long)"),
        (("%10s", "a\0b"), "bad argument #2 to 'format' (string contains zeros)"),
        (("%F", 1.0), "invalid conversion '%F' to 'format'"),
        (("%y", 1), "invalid conversion '%y' to 'format'"),
    ]
    for args, msg in cases:
        with pytest.raises(LuaError) as ei:
            str_format(*args)
        assert str(ei.value) == msg


def _with_meta(**fields):
    from nse.lua.luatable import LuaTable

    t = LuaTable()
    mt = LuaTable()
    for k, v in fields.items():
        mt[k] = v
    t.meta = mt
    return t


def test_s_uses_tostring_metamethods():
    obj = _with_meta(__tostring=lambda _: "HELLO")
    assert str_format("%s|%.2s|%-6s|", obj, obj, obj) == "HELLO|HE|HELLO |"
    assert str_format("%s", _with_meta(__name="MyType")).startswith("MyType: 0x")
    zeros = _with_meta(__tostring=lambda _: "OBJ\0x")
    assert str_format("%s", zeros) == "OBJ\0x"  # no modifiers: the whole string
    with pytest.raises(LuaError, match=r"bad argument #3 to 'format' \(string contains zeros\)"):
        str_format("%s|%.2s", zeros, zeros)


def test_pointer():
    assert str_format("%p|%5p", 1, None) == "(null)|(null)"
    assert str_format("%p", "x").startswith("0x")


def test_helpers():
    assert quote_string("\r\n9") == '"\\13\\\n9"'
    assert quote_string("\x019") == '"\\0019"'
    assert fmt_hexfloat(-0.0) == "-0x0p+0"
    assert fmt_hexfloat(1.0, "", 10, 3) == "0x1.000p+0"


# ----------------------------------------------------------------------------- vs lua5.4
INTS = [0, 1, -1, 7, 42, -42, 255, 65535, 2**31, -(2**31), 2**63 - 1, -(2**63), 1234567890123]
FLOATS = [0.0, -0.0, 0.5, 1.0, -1.5, 2.5, 0.1, 1 / 3, 123456.789, 1e15, 1e16, 1e20, 1e-5, 1e-300,
          1e300, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 1e-310, 2.0**53,
          0.000123456, 999999.5, 9.5, 0.05, math.inf, -math.inf, math.nan, -math.nan, 1.96875,
          1.97, 255.99609375]
STRS = ["", "a", "abc", "hello world", "\0", "a\0b", "\xff\xfe", "x" * 150, "\n\r\t\x7f\x1b",
        "1\x012\x0234", '"\\', "\x00123", "\x80\x81\x9f"]

INT_CONVS = "dixXou"
FLOAT_CONVS = "eEfgGaA"
FLAGS = ["", "-", "+", " ", "#", "0", "-0", "+0", " 0", "#0", "-#", "+ ", "-+ #0"]
WIDTHS = ["", "1", "8", "25", "99"]
PRECS = ["", ".", ".0", ".1", ".3", ".10", ".20", ".99"]


def _cases():
    cases = []
    for conv in INT_CONVS:
        for fl, w, pr in itertools.product(FLAGS, WIDTHS[:4], PRECS[:6]):
            form = "%" + fl + w + pr + conv
            for v in (0, 42, -42, 2**63 - 1, -(2**63)):
                cases.append(("format", (form, v)))
        for v in INTS + [3.0, -0.0, 2.0**62, 1.5, "10", "0x10", "1e2", "x", None, True]:
            cases.append(("format", ("%" + conv, v)))
    for conv in FLOAT_CONVS:
        for fl, w, pr in itertools.product(FLAGS, WIDTHS[:4], PRECS[:6]):
            form = "%" + fl + w + pr + conv
            for v in (0.0, -1.5, 1 / 3, 1e20, math.inf, -math.nan):
                cases.append(("format", (form, v)))
        for pr in PRECS:
            for v in FLOATS + [7, -(2**63), "2.5", "0x1p4"]:
                cases.append(("format", ("%" + pr + conv, v)))
        for v in (None, "x", True):
            cases.append(("format", ("%" + conv, v)))
    for v in FLOATS:
        cases.append(("format", ("%.99f", v)))
        cases.append(("format", ("%99.99e|%-99.50g", v, v)))
    for fl, w, pr in itertools.product(["", "-", "+", "#", "0", " "], WIDTHS, PRECS[:5]):
        form = "%" + fl + w + pr + "s"
        for v in ("abc", "\xff\x00"[:1], 12, 1.5, True, None):
            cases.append(("format", (form, v)))
        form = "%" + fl + w + pr + "c"
        for v in (65, 0, 255, 256, -1):
            cases.append(("format", (form, v)))
    for v in STRS + INTS + FLOATS + [None, True, False]:
        cases.append(("format", ("%q", v)))
        cases.append(("format", ("%s", v)))
        cases.append(("format", ("[%10s]", v)))
        cases.append(("format", ("[%.2s]", v)))
    for form in ["%", "%5", "%-", "%.", "%5.", "%1.1.1d", "%123d", "%.123d", "%0-5d", "%-05d",
                 "%ld", "%lld", "%hd", "%n", "%p", "%5p", "%-5p", "%.3p", "%i%", "%%%d", "%q%",
                 "%#c", "%+s", "%#s", "% s", "%+c", "%#d", "%+u", "% x", "%+x", "%#u", "%5.3q",
                 "%-q", "%00d", "%-0000000000000000000000d", "%--------------------d", "%.s",
                 "%.c", "%1$d", "%*d", "%b", "%B", "%F", "%k"]:
        cases.append(("format", (form, 5)))
        if "p" not in form:  # %p of a string prints its address: not comparable
            cases.append(("format", (form, "x")))
    cases.append(("format", ("%d %d", 1)))
    cases.append(("format", ("no conversions", 1, 2)))
    cases.append(("format", ()))
    cases.append(("format", (None,)))
    cases.append(("format", (12, 3)))
    cases.append(("format", ("%s %s %s", "\0", "\xff", 2**63 - 1)))
    cases.append(("format", ("%5.2s|%-5s|%q", "abc", "x", "a\n\0001\1b\xff")))
    cases.append(("format", ("%q", {} if False else "\r\n\0" * 3)))
    cases.append(("format", ("%99d|%-99d|%099d", 1, -1, -1)))
    cases.append(("format", ("%.99d|%99.99x", -5, 255)))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def reference():
    return lua_lines(CASES)


@needs_lua
def test_format_vs_lua(reference):
    bad = compare(CASES, reference)
    assert not bad, f"{len(bad)} mismatches:\n" + "\n".join(bad[:40])


def test_case_count():
    assert len(CASES) > 3000
