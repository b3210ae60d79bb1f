"""lpeg: the same Lua snippets build patterns with the real LPeg 1.0.2 (lua5.4's lpeg.so)
and with ours (the snippet runs on this project's transpiler and runtime), then match."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from libref import compare

from nse.lib import lpeg, lua_module
from nse.lua import ops

HAVE_LPEG = shutil.which("lua5.4") is not None and (
    subprocess.run(["lua5.4", "-e", "require 'lpeg'"], capture_output=True).returncode == 0
)
needs_lpeg = pytest.mark.skipif(not HAVE_LPEG, reason="needs lua5.4 with lpeg")

HEADER = (
    "local lpeg = require 'lpeg'; local P,R,S,V,C,Cc,Cf,Cg,Cp,Cs,Ct,Cmt,Cb,Carg,B = "
    "lpeg.P,lpeg.R,lpeg.S,lpeg.V,lpeg.C,lpeg.Cc,lpeg.Cf,lpeg.Cg,lpeg.Cp,lpeg.Cs,lpeg.Ct,"
    "lpeg.Cmt,lpeg.Cb,lpeg.Carg,lpeg.B; return "
)
PRELUDE = (
    "M.t = function(src, subj, init, ...) local p = assert(load([==["
    + HEADER
    + "]==] .. src))(); return lpeg.match(p, subj, init, ...) end\nlpeg = M"
)


def _py_env() -> Any:
    from nse.lua.baselib import new_env

    g = new_env()
    mod = lua_module("lpeg")
    g["require"] = lambda name=None, *_: mod
    return g


def t(src: Any = None, subj: Any = None, init: Any = None, *args: Any) -> Any:
    from transpiler import compile_chunk

    g = _py_env()
    p = ops.first(compile_chunk(HEADER + src, "=(load)")(g)())
    return lpeg.match(p, subj, init, *args)


CASES: list[list[object]] = [
    ["P'abc'", "abcd"],
    ["P'abc'", "abd"],
    ["P(3)", "ab"],
    ["P(3)", "abc"],
    ["P(-2)", "a"],
    ["P(-2)", "ab"],
    ["P(true)", ""],
    ["P(false)", "x"],
    ["R('az','09')^1", "ab3!"],
    ["S'xyz'^0 * P(-1)", "xyzzy"],
    ["C(P'a'^1) * C(P'b'^0)", "aaab"],
    ["P'a' + P'b'", "bc"],
    ["(P'a' + P'ab') * P'c'", "abc"],
    ["P'ab' - P'abc'", "abd"],
    ["P'ab' - P'abc'", "abc"],
    ["-P'a' * 1", "b"],
    ["#P'a' * C(1)", "ab"],
    ["P'a'^-2 * P(-1)", "aa"],
    ["P'a'^-2 * P(-1)", "aaa"],
    ["P'a'^2", "a"],
    ["C(P'a'^2)", "aaaa"],
    ["Ct(C(R'az')^0)", "abc1"],
    ["Ct(Cg(C'a', 'k') * C'b')", "ab"],
    ["Cs((P'a'/'A' + 1)^0)", "banana"],
    ["Cs((C'a' * C'n' / '%2%1' + 1)^0)", "banana"],
    ["(C(1) * C(1)) / '%2-%1-%0'", "xy"],
    ["C(1) / '%2'", "x"],
    ["P(1) / '%1'", "x"],
    ["(C(1) * C(1)) / 2", "xy"],
    ["(C(1) * C(1)) / 0", "xy"],
    ["C(1) / {a = 'A'}", "a"],
    ["C(1) / {a = 'A'}", "b"],
    ["C(1)^1 / function(...) return select('#', ...), ... end", "abc"],
    ["Cf(C(1) * (C(1))^0, function(a, b) return a .. '+' .. b end)", "abcd"],
    ["Cp() * P'ab' * Cp()", "xab", 2],
    ["Cc(1, 2) * Cc()", "x"],
    ["Carg(1) * Carg(2)", "", None, "x", "y"],
    ["Carg(3)", "", None, 1],
    ["Cg(C(1), 'x') * Cb('x')", "ab"],
    ["Cg(C(1) * C(1)) * C(1)", "abc"],
    ["Ct(Cg(Cc(1, 2), 'n') * C(1))", "z"],
    ["Cmt(C(1), function(s, i, c) return i + 1, c:upper() end) * C(1)", "abc"],
    ["Cmt(P'a', function() return false end) + P'ab'", "ab"],
    ["Cmt(P'a', function(s, i) return 99 end)", "ab"],
    ["P{ 'S', S = P'(' * V'S'^0 * P')' }", "(()())x"],
    ["P{ P'x' + 1 * V(1) }", "aaaax"],
    ["P{ P'x' + 1 * V(1) }", "a" * 3000 + "x"],
    ["P{ V'a', a = V'b' }", "x"],
    ["P{ V'a' }", "x"],
    ["P'a'^0^0", "a"],
    ["B'a' * P'b'", "ab", 2],
    ["B'a' * P'b'", "cb", 2],
    ["B(P'a'^1)", "a"],
    ["lpeg.locale().digit^1 * lpeg.locale().space", "123 "],
    ["P'x' * lpeg.locale().alpha^1", "xAbc9"],
    ["P'abc'", "abcabc", 4],
    ["P'abc'", "abcabc", -3],
    ["P'abc'", "abc", 10],
    ["P'abc'", "abc", -10],
    ["C(P'a')", "b"],
    ["(P'a' + P'b')^1 * -1", "abba"],
    ["Cs(P'x' * Cp())", "x"],
    ["Cs(P'x' * Ct(P''))", "x"],
    ["C(C(1) * C(1))", "ab"],
    ["Ct(Cc(nil, 2))", "a"],
    ["P(1)^1 / 1", "abc"],
    ["C(1) / 5", "a"],
    ["C(P'a'^0) / tonumber", "aaa"],
    ["(R'09'^1 / tonumber) * ','", "12,"],
    ["Cf(Ct'' * Cg(C(1) * C(1))^0, rawset)", "abcd"],
    ["lpeg.type(P'a')", "x"],
    ["P{V'a', a = V'a' * 'x'}", "x"],
    ["P{V'a', a = P'y'^-1 * V'a'}", "x"],
    ["P{ 'x' * V(1) + 'y' }", "x" * 20000 + "y"],
    ["P{V'a', a = V'b' + 'q', b = V'a'}", "q"],
    ["P{V'a', a = V'b' + 'q', b = V'c', c = #P'z' * V'a'}", "q"],
    ["P{V'a', a = 'x' * V'a' + V'b', b = -P'q' * V'b'}", "q"],
]


@needs_lpeg
def test_vs_real_lpeg() -> None:
    calls = [("t", c) for c in CASES]
    lpeg.t = t  # type: ignore[attr-defined]
    lpeg.__all__.append("t")
    try:
        compare("lpeg", lpeg, calls, PRELUDE)
    finally:
        lpeg.__all__.remove("t")
        del lpeg.t  # type: ignore[attr-defined]


def _run_nselib_module(name: str, lua_only: tuple[str, ...] = ()) -> Any:
    """nmap's nselib/<name>.lua run on this project's transpiler/runtime with our lpeg;
    modules it requires come from nse.lib, else from nmap's nselib (``lua_only`` forces
    nmap's Lua version)."""
    from transpiler import compile_chunk

    g = _py_env()
    loaded: dict[str, Any] = {}

    def load(mod: str) -> Any:
        with open(f"/usr/share/nmap/nselib/{mod}.lua", "rb") as f:
            src = f.read().decode("latin-1")
        return ops.first(compile_chunk(src, f"/usr/share/nmap/nselib/{mod}.lua")(g)(mod))

    def require(mod: Any = None, *_: Any) -> Any:
        if g[mod] is not None:
            return g[mod]
        if mod not in loaded:
            v = None
            if mod not in lua_only:
                try:
                    v = lua_module(mod)
                except ImportError:
                    v = None
            loaded[mod] = v if v is not None else load(mod)
        return loaded[mod]

    g["require"] = require
    return load(name)


FP = (
    'SF-Port21-TCP:V=7.93%I=7%D=1/1%Time=5F0D3E2A%P=x86_64-pc-linux-gnu%r(NULL,2F,"220\\x20'
    'Welcome\\x20\\(vsFTPd\\)\\r\\n\\\\x\\"q\\"")%r(GenericLines,1A,"500\\x20OOPS\\r\\n")\\n'
    'SF:%r(Help,5,"help\\t");'
)


@needs_lpeg
@pytest.mark.nmap
def test_nmap_lpeg_utility_on_our_lpeg() -> None:
    """lpeg-utility.lua (used by banner.nse and friends) gives the same results on both."""
    mod = _run_nselib_module("lpeg-utility")
    prelude = """
M.t_resp = function(fp, probe) return U.get_response(fp, probe) end
M.t_fp = function(fp) return U.parse_fp(fp) end
M.t_split = function(s, sep) return U.split(s, sep) end
M.t_caseless = function(lit, subj) return U.caseless(lit):match(subj) end
M.t_quote = function(s) return U.escaped_quote():match(s) end
M.t_anywhere = function(lit, subj) return U.anywhere(lit):match(subj) end
M.t_word = function(lit, subj) return U.atwordboundary(lit):match(subj) end
"""
    prelude = 'U = require "lpeg-utility"\n' + prelude

    def py(fn: str, *args: Any) -> Any:
        if fn == "caseless":
            return ops.invoke(ops.first(ops.call(mod["caseless"], args[0])), "match", args[1])
        if fn == "quote":
            return ops.invoke(ops.first(ops.call(mod["escaped_quote"])), "match", args[0])
        if fn in ("anywhere", "atwordboundary"):
            return ops.invoke(ops.first(ops.call(mod[fn], args[0])), "match", args[1])
        return ops.call(mod[fn], *args)

    helpers = {
        "t_resp": lambda fp=None, probe=None, *_: py("get_response", fp, probe),
        "t_fp": lambda fp=None, *_: py("parse_fp", fp),
        "t_split": lambda s=None, sep=None, *_: py("split", s, sep),
        "t_caseless": lambda lit=None, subj=None, *_: py("caseless", lit, subj),
        "t_quote": lambda s=None, *_: py("quote", s),
        "t_anywhere": lambda lit=None, subj=None, *_: py("anywhere", lit, subj),
        "t_word": lambda lit=None, subj=None, *_: py("atwordboundary", lit, subj),
    }
    calls: list[tuple[str, list[object]]] = [
        ("t_resp", [FP, "NULL"]),
        ("t_resp", [FP, "GenericLines"]),
        ("t_resp", [FP, "Help"]),
        ("t_resp", [FP, "Nope"]),
        ("t_fp", [FP]),
        ("t_split", ["a,b,,c", ","]),
        ("t_caseless", ["HeLLo", "hello world"]),
        ("t_caseless", ["abc", "xabc"]),
        ("t_quote", ['"a\\"b" rest']),
        ("t_anywhere", ["needle", "hay needle hay"]),
        ("t_word", ["foo", "xfoo foo"]),
    ]
    for k, v in helpers.items():
        setattr(lpeg, k, v)
        lpeg.__all__.append(k)
    try:
        compare("lpeg", lpeg, calls, prelude)
    finally:
        for k in helpers:
            lpeg.__all__.remove(k)
            delattr(lpeg, k)


@needs_lpeg
@pytest.mark.nmap
def test_nmap_json_lua_on_our_lpeg() -> None:
    """nmap's json.lua (an LPeg grammar with Cf/rawset, Cmt, locale, K) on our lpeg parses
    as it does on the real LPeg."""
    from test_lib_json import DOCS

    mod = _run_nselib_module("json", lua_only=("json",))
    lpeg.t_json = lambda d=None, *_: ops.call(mod["parse"], d)  # type: ignore[attr-defined]
    lpeg.__all__.append("t_json")
    try:
        compare(
            "lpeg",
            lpeg,
            [("t_json", [d]) for d in DOCS],
            'J = require "json"\nM.t_json = function(d) return J.parse(d) end',
        )
    finally:
        lpeg.__all__.remove("t_json")
        del lpeg.t_json  # type: ignore[attr-defined]
