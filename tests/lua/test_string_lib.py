"""The rest of the string library (manual §6.4): byte char len lower upper rep reverse sub,
argument rules and messages, compared with lua5.4; the library table and open_lib."""

from __future__ import annotations

import itertools

import pytest
from test_string_luaref import compare, lua_lines, needs_lua

from nse.lua import strlib as S
from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable

LITERAL = [
    ("sub", ("hello", 2, 4), "ell"),
    ("sub", ("hello", -3), "llo"),
    ("sub", ("hello", 0), "hello"),
    ("sub", ("hello", 4, 2), ""),
    ("sub", ("\xff\x00\xfe", 2, 2), "\x00"),
    ("upper", ("abc\xe9\xff",), "ABC\xe9\xff"),  # C locale: only ASCII letters change
    ("lower", ("ABC\xc9",), "abc\xc9"),
    ("rep", ("ab", 3, ","), "ab,ab,ab"),
    ("rep", ("ab", 0), ""),
    ("reverse", ("a\x00\xff",), "\xff\x00a"),
    ("byte", ("A\xff",), 65),
    ("byte", ("A\xff", 1, -1), (65, 255)),
    ("byte", ("abc", 3, 1), ()),
    ("char", (72, 105, 0, 255), "Hi\x00\xff"),
    ("char", (), ""),
    ("len", ("\x00\x00",), 2),
]


@pytest.mark.parametrize("fname,args,want", LITERAL)
def test_literal_table(fname, args, want):
    assert getattr(S, "str_" + fname)(*args) == want


def test_errors_literal():
    cases = [
        (S.str_sub, ("x",), "bad argument #2 to 'sub' (number expected, got no value)"),
        (S.str_sub, ("x", None), "bad argument #2 to 'sub' (number expected, got nil)"),
        (S.str_sub, ("x", 1.5), "bad argument #2 to 'sub' (number has no integer representation)"),
        (S.str_char, (256,), "bad argument #1 to 'char' (value out of range)"),
        (S.str_char, (1, -1), "bad argument #2 to 'char' (value out of range)"),
        (S.str_rep, ("x", 2**40), "resulting string too large"),
        (S.str_len, (), "bad argument #1 to 'len' (string expected, got no value)"),
        (S.str_upper, (LuaTable(),), "bad argument #1 to 'upper' (string expected, got table)"),
        (S.str_dump, (print,), "unable to dump given function"),
        (S.str_dump, (1,), "bad argument #1 to 'dump' (function expected, got number)"),
    ]
    for f, args, msg in cases:
        with pytest.raises(LuaError) as ei:
            f(*args)
        assert str(ei.value) == msg


def test_library_table():
    t = S.open_lib(LuaTable())
    assert t is S.string_table()
    names = sorted(k for k, _ in t.items())
    assert names == sorted(["byte", "char", "dump", "find", "format", "gmatch", "gsub", "len", "lower",
                            "match", "rep", "reverse", "sub", "upper", "pack", "packsize",
                            "unpack"])
    assert t["upper"]("x") == "X"


def test_gmatch_iterator_protocol():
    it = S.str_gmatch("k1=v1, k2=v2", "(%w+)=(%w+)")
    assert it() == ("k1", "v1")
    assert it() == ("k2", "v2")
    assert it() == ()
    assert it() == ()


def test_gsub_reentrant_same_pattern():
    # a replacement function may use the same (backtracking) pattern again
    def f(m):
        return S.str_gsub(m, "%b()", "<>")[0]

    assert S.str_gsub("(a(b))x(c)", "%b()", f) == ("<>x<>", 2)


# ----------------------------------------------------------------------------- vs lua5.4
STRS = ["", "a", "hello", "\x00\xff\x80", "Hello World 123 \xe9\xc9", "x" * 40]
POS = [None, -100, -6, -5, -1, 0, 1, 2, 5, 6, 100, 2.0, "3", -(2**63), 2**63 - 1, 1.5, "x"]


def _cases():
    cases = []
    for s in STRS:
        for i, j in itertools.product(POS, POS[:12]):
            cases.append(("sub", (s, i, j)))
        for i, j in itertools.product(POS[:12], POS[:12] + [None]):
            cases.append(("byte", (s, i, j)))
        for fn in ("len", "lower", "upper", "reverse"):
            cases.append((fn, (s,)))
        for n in (-1, 0, 1, 3, 2.0, "2", 1.5):
            cases.append(("rep", (s, n)))
            cases.append(("rep", (s, n, ", ")))
            cases.append(("rep", (s, n, "\x00")))
    cases.append(("upper", ("".join(chr(c) for c in range(256)),)))
    cases.append(("lower", ("".join(chr(c) for c in range(256)),)))
    cases.append(("reverse", ("".join(chr(c) for c in range(256)),)))
    cases.append(("char", tuple(range(128))))
    cases.append(("char", tuple(range(128, 256))))
    for bad in [(256,), (-1,), (65, 1.5), (65, "66"), (65, "x"), (None,), (2**63 - 1,), (65.0,)]:
        cases.append(("char", bad))
    for fn in ("len", "lower", "upper", "reverse", "sub", "byte", "rep"):
        cases.append((fn, ()))
        cases.append((fn, (None,)))
        cases.append((fn, (True,)))
        cases.append((fn, (12,)))
        cases.append((fn, (1.5,)))
        cases.append((fn, (-0.0,)))
        cases.append((fn, (2**63 - 1, 1)))
    cases.append(("rep", ("x", 2**31)))
    cases.append(("rep", ("", 2**20)))  # lua loops n times even for ""
    cases.append(("rep", ("x", 2**40, "")))
    cases.append(("rep", ("ab", 4, 12)))
    cases.append(("sub", ("hello", "2", "4")))
    cases.append(("sub", ("hello", "0x2", "1e1")))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def reference():
    return lua_lines(CASES)


@needs_lua
def test_lib_vs_lua(reference):
    bad = compare(CASES, reference)
    assert not bad, f"{len(bad)} mismatches:\n" + "\n".join(bad[:40])


def test_case_count():
    assert len(CASES) > 1000
