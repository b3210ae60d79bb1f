"""Syntax errors: our ConvertError message equals ``luac5.4 -p``'s, byte for byte."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import transpiler

LUAC = shutil.which("luac5.4")

# Each snippet is a whole file; the error names the line and the offending token.
SNIPPETS = [
    "x = = 1",
    "local x <const> = 1\nx = 2",
    "for i=1 do end",
    "f(\n",
    'if x then\n\nlocal s = "abc\n',
    "function f()\nif x then\nend",
    "goto foo",
    "x = 3x",
    'x = "\\q"',
    'x = "\\xZZ"',
    'x = "\\u{110000000}"',
    'x = "\\400"',
    "x = [==[ abc",
    "x = 1 --[[ abc",
    "local x <foo> = 1",
    "break",
    "return 1; x = 2",
    "::a:: ::a::",
    "x = 0x",
    "x = 1e",
    "f() = 1",
    "local function t.x() end",
    "x = }",
    "a.b:c = 1",
    'x = "abc',
    "x = 'abc\\",
    "for a.b = 1, 2 do end",
    "goto continue; local x = 1; ::continue:: print(x)",
    "x = ~= 1",
    "x = @",
    "x = y z",
    "local x <close>, y <close> = 1",
    "local x <const> = 1\nfunction g() x = 3 end",
    "(a) = 1",
    "a, (b) = 1, 2",
    "a, f() = 1, 2",
    "function f() return ... end",
    "t = {1, 2\nx = 1",
    "repeat local x = 1 until x == 1 y",
    "while true do\n\nbreak\n\nx = 1",
    "local 1 = 2",
    "x = a..b..",
    "function (a) end",
    "function f(a, 1) end",
    "return return",
    "if x then else elseif y then end",
    "x = [=",
    'x = "a\\z\n  b\\',
    "repeat goto l; local x; ::l:: until x",
    "x = 1\n\n\n   y = = 2",
    "local t = {a = 1, [2] = }",
    "x = \x01",
    "local function f() end end",
    "x = 'a\\u{41'",
    "x = '\\u123'",
    "f(a,)",
    "x = a.1",
    "x = 0x1p",
    "x = 3..4",
    "::1::",
    "--[==[ ok ]==] x = [[\nline",
    "x = " + "(" * 197 + "1" + ")" * 197,
    "do " * 199 + "end " * 199,
    "x = 1" + " .. 1" * 197,
]

VALID = [
    "do goto l; local x; ::l:: end",
    "while x do goto l; local y = 1; ::l:: ; ; end",
    "x = 1 .. 2",
    "local a <const>, b <close> = 1, nil",
    "return",
    "return;",
    "f{}'x'[[y]]:m()",
    "#!/usr/bin/lua\nprint(1)",
    "\xef\xbb\xbf-- BOM\nprint(1)",
    "x = 0x1p4 + 0x.1p4 + 1e-3 + .5 + 3. + 0xA.8p0",
    "a.b.c, d[1], e = 1, 2, 3",
    "local function f(...) return ... end",
    "goto done; do end ::done::",
    "x = ...",
    'f{}"x"[1] = 1',
    "x = " + "(" * 196 + "1" + ")" * 196,
    "do " * 198 + "end " * 198,
    "do local x <close> = 1; goto l; ::l:: end",
]


def _luac(tmp_path: Path, src: str) -> str:
    f = tmp_path / "e.lua"
    f.write_bytes(src.encode("latin-1"))
    r = subprocess.run([LUAC, "-p", "e.lua"], cwd=tmp_path, capture_output=True)
    return r.stderr.decode("latin-1").split(": ", 1)[-1].rstrip("\n")


def _ours(src: str) -> str:
    """Our message for ``src`` read as a file (luac reads files: BOM and '#' line skipped)."""
    from nse.lua.baselib import chunk_text

    try:
        transpiler.to_python_source(chunk_text(src.encode("latin-1")), "e.lua")
    except transpiler.ConvertError as e:
        return str(e)
    return ""


@pytest.mark.skipif(LUAC is None, reason="luac5.4 not installed")
@pytest.mark.parametrize("src", SNIPPETS)
def test_syntax_error_matches_luac(tmp_path: Path, src: str) -> None:
    expected = _luac(tmp_path, src)
    assert expected, "snippet should be invalid"
    assert _ours(src) == expected


@pytest.mark.skipif(LUAC is None, reason="luac5.4 not installed")
@pytest.mark.parametrize("src", VALID)
def test_valid_chunks_are_accepted(tmp_path: Path, src: str) -> None:
    assert _luac(tmp_path, src) == ""
    assert _ours(src) == ""


def test_deep_loop_limit_is_a_convert_error() -> None:
    # Loops deeper than CPython's 20 static blocks run in functions of their own; a goto
    # out of such a function to an outer label is the one form not supported: it must be
    # a ConvertError with the goto's line, not a crash.
    inner = "for i = 1, 2 do " * 17 + "goto next_a " + "end " * 17
    src = f"for a = 1, 2 do\n{inner}\n::next_a::\nend\n"
    with pytest.raises(transpiler.ConvertError) as ei:
        transpiler.compile_chunk(src, "deep.lua")
    assert str(ei.value) == ("deep.lua:2: goto 'next_a' out of a loop nested more than 16 "
                             "deep is not supported")


def test_string_chunk_with_hash_line_is_an_error() -> None:
    # load() of a string does not skip a '#' line or a BOM (only files do)
    with pytest.raises(transpiler.ConvertError) as ei:
        transpiler.compile_chunk("#!x\nreturn 1", '[string "#!x..."]')
    assert str(ei.value) == "[string \"#!x...\"]:1: unexpected symbol near '#'"


def test_convert_error_has_position() -> None:
    with pytest.raises(transpiler.ConvertError) as ei:
        transpiler.compile_chunk("local x = 1\nx = = 2\n", "foo.nse")
    assert str(ei.value) == "foo.nse:2: unexpected symbol near '='"
    assert ei.value.line == 2
