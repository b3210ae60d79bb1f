"""string.pack / string.packsize / string.unpack (manual §6.4.2) compared with lua5.4 byte
for byte: every option, endianness, alignment, limits and error messages."""

from __future__ import annotations

import itertools
import math

import pytest
from test_string_luaref import compare, lua_lines, needs_lua

from nse.lua.errors import LuaError
from nse.lua.strpack import str_pack, str_packsize, str_unpack

# ----------------------------------------------------------------------------- literal table
LITERAL_PACK = [
    (("<i4", 1), "\x01\x00\x00\x00"),
    ((">i4", -2), "\xff\xff\xff\xfe"),
    (("<h>h=h", 1, 1, 1), "\x01\x00\x00\x01\x01\x00"),
    (("b B", -1, 255), "\xff\xff"),
    (("<j", -(2**63)), "\x00" * 7 + "\x80"),
    (("<i16", -1), "\xff" * 16),
    (("<I16", -1), "\xff" * 8 + "\x00" * 8),
    ((">i3", 0x123456), "\x12\x34\x56"),
    (("<d", 1.0), "\x00" * 6 + "\xf0\x3f"),
    (("<f", 0.5), "\x00\x00\x00\x3f"),
    (("s1", "ab"), "\x02ab"),
    (("z", "ab"), "ab\x00"),
    (("c5", "ab"), "ab\x00\x00\x00"),
    (("!4 b i4", 1, 2), "\x01\x00\x00\x00\x02\x00\x00\x00"),
    (("!4 b x Xi4 b", 1, 2), "\x01\x00\x00\x00\x02"),
    (("b x Xi4 b", 1, 2), "\x01\x00\x02"),  # default maxalign is 1
    (("<i2\0i8", 1, 2), "\x01\x00"),  # the format ends at the first zero byte
]


@pytest.mark.parametrize("args,want", LITERAL_PACK)
def test_pack_literal(args, want):
    assert str_pack(*args) == want
    fmt = args[0]
    if "s" not in fmt and "z" not in fmt:
        assert str_packsize(fmt) == len(want)
    if "c" not in fmt and "\0" not in fmt:  # c pads, and a zero byte cuts the format
        assert str_unpack(fmt, want) == (*args[1:], len(want) + 1)


def test_unpack_literal():
    assert str_unpack("<i4", "\xff\xff\xff\xff") == (-1, 5)
    assert str_unpack("<I4", "\xff\xff\xff\xff") == (0xFFFFFFFF, 5)
    assert str_unpack("<J", "\xff" * 8) == (-1, 9)
    assert str_unpack("z z", "ab\0cd\0") == ("ab", "cd", 7)
    assert str_unpack("s1", "\x03abcdef") == ("abc", 5)
    assert str_unpack("b", "\x01\x02\x03", -1) == (3, 4)
    assert str_unpack("!8 b d", "\x01" + "\0" * 7 + "\0" * 7 + "\x40")[1] == 2.0


def test_errors_literal():
    cases = [
        (str_pack, ("i17", 1), "integral size (17) out of limits [1,16]"),
        (str_pack, ("i0", 1), "integral size (0) out of limits [1,16]"),
        (str_pack, ("i1", 200), "bad argument #2 to 'pack' (integer overflow)"),
        (str_pack, ("I1", -1), "bad argument #2 to 'pack' (unsigned overflow)"),
        (str_pack, ("!3 i4", 1), "bad argument #1 to 'pack' (format asks for alignment not power of 2)"),
        (str_pack, ("y", 1), "invalid format option 'y'"),
        (str_pack, ("c", "a"), "missing size for format option 'c'"),
        (str_pack, ("X", 1), "bad argument #1 to 'pack' (invalid next option for option 'X')"),
        (str_pack, ("z", "a\0"), "bad argument #2 to 'pack' (string contains zeros)"),
        (str_pack, ("c1", "ab"), "bad argument #2 to 'pack' (string longer than given size)"),
        (str_packsize, ("s",), "bad argument #1 to 'packsize' (variable-length format)"),
        (str_unpack, ("i4", "abc"), "bad argument #2 to 'unpack' (data string too short)"),
        (str_unpack, ("i9", "\0" * 8 + "\1"), "9-byte integer does not fit into Lua Integer"),
        (str_unpack, ("z", "abc"), "bad argument #2 to 'unpack' (unfinished string for format 'z')"),
        (str_unpack, ("b", "a", 3), "bad argument #3 to 'unpack' (initial position out of string)"),
    ]
    for f, args, msg in cases:
        with pytest.raises(LuaError) as ei:
            f(*args)
        assert str(ei.value) == msg, args


# ----------------------------------------------------------------------------- vs lua5.4
INT_VALUES = [0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, -32768, 65535, 65536, 2**31 - 1,
              -(2**31), 2**32 - 1, 2**32, 2**63 - 1, -(2**63), 0x123456789ABCDEF, 3.0, "7", 1.5]
FLOAT_VALUES = [0.0, -0.0, 1.0, -1.5, 0.1, 1e300, -1e300, 1e-300, 5e-324, 3.4e38, 3.5e38,
                1e-45, math.inf, -math.inf, 123456789.125, 2**63 - 1, "2.5"]
STR_VALUES = ["", "a", "abc", "\0", "a\0b", "\xff" * 3, "x" * 300]


def _cases():
    cases = []
    endians = ["", "<", ">", "="]
    for e in endians:
        for opt in ["b", "B", "h", "H", "i", "I", "l", "L", "j", "J", "T", "i1", "i2", "i3", "i5",
                    "i7", "i8", "i9", "i12", "i16", "I1", "I3", "I7", "I9", "I16"]:
            fmt = e + opt
            for v in INT_VALUES:
                cases.append(("pack", (fmt, v)))
            cases.append(("packsize", (fmt,)))
            for data in ["\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11",
                         "\xff" * 17, "\x80" + "\0" * 16, "\0" * 8 + "\x01" + "\0" * 8,
                         "\xff" * 8 + "\x7f" + "\xff" * 8, "\x7f" + "\xff" * 16, "\x01\x02"]:
                cases.append(("unpack", (fmt, data)))
                cases.append(("unpack", (fmt, data, 2)))
        for opt in ["f", "d", "n"]:
            for v in FLOAT_VALUES:
                cases.append(("pack", (e + opt, v)))
            for data in ["\x00\x00\x80\x3f\x00\x00\xf0\x3f", "\xff" * 8, "\x00\x00\x80\x7f" * 2,
                         "\x01\x00\x00\x00\x00\x00\x00\x00"]:
                cases.append(("unpack", (e + opt, data)))
        for opt in ["s", "s1", "s2", "s4", "z", "c0", "c1", "c3", "c10"]:
            for v in STR_VALUES:
                cases.append(("pack", (e + opt, v)))
            for data in ["\x03\x00\x00\x00\x00\x00\x00\x00abcdef", "\x03abc\0", "abc", "", "\0",
                         "\xff" * 10]:
                cases.append(("unpack", (e + opt, data)))
            cases.append(("packsize", (e + opt,)))
    # alignment
    for ma in ["", "!", "!1", "!2", "!4", "!8", "!16", "!3", "!17"]:
        for seq in ["b i4", "b h b i8", "b d", "b f", "b j b", "b Xi4 b", "b Xh", "bXb", "b Xd b",
                    "i3 b", "b i3", "b X", "b Xc1", "b Xi3", "b x x i2", "b s4", "b !4 i4",
                    "b c3 i4", "b Xz", "b Xs2 b", "b T b", "b i16", "b i12"]:
            fmt = ma + seq
            cases.append(("packsize", (fmt,)))
            cases.append(("pack", (fmt, 1, 2, 3)))
            cases.append(("unpack", (fmt, "\x01\x02\x03\x04\x05\x06\x07\x08" * 5)))
            cases.append(("unpack", (fmt, "\x01\x02\x03\x04\x05\x06\x07\x08" * 5, 3)))
    # multi-value formats
    for fmt, vals in [
        ("<i4 s1 z", (100, "ab", "cd")), (">I2 c3 d", (65535, "xyz", 2.5)),
        ("i4 i4", (1,)), ("z", ()), ("  ", ()), ("", ()), ("<>=!", ()), ("b" * 20, tuple(range(20))),
        ("xXi8", ()), ("c2147483647", ()), ("i4 c2 c2147483647", (1, "ab", "x")),
        ("c99999999999", ()), ("i", (1, 2, 3)), ("!", ()), ("<!4 i3", (1,)),
        # cached-plan fast path and its fall-backs (mixed endianness, bool, overflow)
        ("<I2 >I2 <J", (1, 2, -1)), (">J b", (-5, True)), ("<I2", (70000,)), ("<B", (-1,)),
        ("<f d", (1e300, 2)), ("s1 x z", ("a" * 300, "b")), ("s1 x z", ("ab", "b\0")),
        (">i2 I4 s1 z c2", (-3, 2**32 - 1, "q", "zz", "c")), ("j J", (2.0, "7")),
    ]:
        cases.append(("pack", (fmt, *vals)))
        cases.append(("packsize", (fmt,)))
        cases.append(("unpack", (fmt, "ab\0cd\0\x01\x02\x03\x04\x05\x06\x07\x08" * 2)))
    # init positions
    for init in [-100, -9, -8, -1, 0, 1, 2, 8, 9, 10, 100, 2.0, 1.5, "3", "x"]:
        cases.append(("unpack", ("b", "\x01\x02\x03\x04\x05\x06\x07\x08", init)))
        cases.append(("unpack", ("", "\x01\x02\x03\x04\x05\x06\x07\x08", init)))
        cases.append(("unpack", ("i2 z", "\x01\x02ab\0cd", init)))
    # errors
    for fmt in ["i0", "i17", "i99999999999", "!0", "!17", "I0", "s0", "s17", "y", "%", "c", "X",
                "Xc2", "X!", "X<", "Xz", "Xs4", "Xx"]:
        cases.append(("pack", (fmt, 1)))
        cases.append(("packsize", (fmt,)))
        cases.append(("unpack", (fmt, "\0" * 20)))
    for args in [(), (None,), (1, 2), ("i4",), ("i4", None), ("i4", "x"), ("s1", 1), ("z", 12),
                 ("c3", 1.5), ("d", "x"), ("f", None)]:
        cases.append(("pack", args))
    cases += [("unpack", ()), ("unpack", ("i4",)), ("unpack", ("i4", 1234)), ("packsize", ()),
              ("packsize", (5,)), ("unpack", (None, "x"))]
    # round trips through lua's own pack for many values
    for a, b in itertools.product([0, 1, -1, 300, -70000], ["<", ">"]):
        cases.append(("unpack", (b + "i4 i2 b", str_pack(b + "i4 i2 b", a, a & 0x7FFF, a & 0x7F))))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def reference():
    return lua_lines(CASES)


@needs_lua
def test_pack_vs_lua(reference):
    bad = compare(CASES, reference)
    assert not bad, f"{len(bad)} mismatches:\n" + "\n".join(bad[:40])


def test_case_count():
    assert len(CASES) > 1000
