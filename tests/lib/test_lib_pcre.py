"""pcre: the same calls run inside nmap 7.93 (PCRE 8.39) and here (Python re via the
PCRE translation)."""

from __future__ import annotations

from typing import Any

import pytest
from libref import compare, needs_nmap, nmap_calls

from nse.lib import pcre
from nse.lib._util import LuaError
from nse.lua import ops
from nse.lua.luatable import LuaTable

PRELUDE = """
M.t_m = function(p, fl, s, st, ef) local r = M.new(p, fl, "C"); return r:match(s, st, ef) end
M.t_e = function(p, fl, s, st, ef) local r = M.new(p, fl, "C"); return r:exec(s, st, ef) end
M.t_g = function(p, fl, s, n, stop) local r = M.new(p, fl, "C"); local out = {}; local c = r:gmatch(s, function(m, t) out[#out+1] = {m, t}; return stop end, n); return c, out end
M.t_new = function(p, fl) local ok, r = pcall(M.new, p, fl, "C"); if ok then return type(r), (tostring(r):gsub("0x%x+","")) end return ok, r end
"""


def _helpers() -> dict[str, Any]:
    def t_m(
        p: Any = None, fl: Any = None, s: Any = None, st: Any = None, ef: Any = None, *_: Any
    ) -> Any:
        return ops.invoke(pcre.new(p, fl, "C"), "match", s, st, ef)

    def t_e(
        p: Any = None, fl: Any = None, s: Any = None, st: Any = None, ef: Any = None, *_: Any
    ) -> Any:
        return ops.invoke(pcre.new(p, fl, "C"), "exec", s, st, ef)

    def t_g(
        p: Any = None, fl: Any = None, s: Any = None, n: Any = None, stop: Any = None, *_: Any
    ) -> Any:
        out = LuaTable()

        def f(m: Any = None, t: Any = None, *_: Any) -> Any:
            out.append(LuaTable.from_list([m, t]))
            return stop

        return ops.invoke(pcre.new(p, fl, "C"), "gmatch", s, f, n), out

    def t_new(p: Any = None, fl: Any = None, *_: Any) -> Any:
        try:
            r = pcre.new(p, fl, "C")
        except LuaError as e:
            return False, e.value
        import re

        return ops.type_(r), re.sub(r"0x[0-9a-f]+", "", ops.tostring(r))

    return {k: v for k, v in locals().items() if k.startswith("t_")}


M_CASES: list[list[object]] = [
    ["b(c)", "0", "abcd"],
    ["x", 0, "abcd"],
    ["(a)|(z)", 0, "abc"],
    ["(?<n>b)(c)?", 0, "abd"],
    ["(?<n>z)?b", 0, "abd"],
    ["b", 0, "abcb", 3],
    ["b", 0, "abcb", -1],
    ["b", 0, "abcb", -2],
    ["b", 0, "abcb", 0],
    ["b", 0, "abcb", 1],
    ["b", 0, "abcb", 10],
    ["b", 0, "abcb", -10],
    ["b", 0, "abcb", 5],
    ["", 0, "abc", 4],
    ["B", 1, "abc"],
    ["^b", 2, "a\nb"],
    ["a.b", 4, "a\nb"],
    ["a.b", 0, "a\nb"],
    ["", 0, "abc"],
    ["(a)(b)?", 0, "ac"],
    ["^b", 0, "ab", 2],
    ["a", 0, "bab", None, 128],
    ["^a", 0, "ab", None, 128],
    ["^b", 2, "a\nb", None, 128],
    ["a$", 0, "a", None, 256],
    ["a$", 0, "a\n"],
    ["a$", 32, "a\n"],
    ["a\\Z", 0, "a\n"],
    ["a\\z", 0, "a\n"],
    ["b", 16, "ab"],
    ["b", 0, "ab", None, 16],
    ["a b # comment\n c", 8, "abc"],
    ["[a b]+", 8, "a b"],
    ["a+?", 0, "aaa"],
    ["a+", 512, "aaa"],
    ["a+?", 512, "aaa"],
    ["(a)(?:b)(c)", 4096, "abc"],
    ["(?i)AB", 0, "ab"],
    ["a(?i)b|C", 0, "xc"],
    ["a(?i)b|C", 0, "aB"],
    ["(a(?i)b)c", 0, "aBC"],
    ["(?i:a)b", 0, "AB"],
    ["(?s).", 0, "\n"],
    ["(?m)^b", 0, "a\nb"],
    ["\\d+\\s\\w+", 0, "x 12 ab_9"],
    ["\\x41\\x{42}\\101\\e", 0, "AB A\x1b ABA\x1b"],
    ["\\Qa.b\\E.", 0, "axb a.bc"],
    ["[[:alpha:]]+", 0, "12ab3"],
    ["[[:^digit:]]", 0, "1a"],
    ["[^[:space:]]+", 0, "  ab  "],
    ["a{,3}", 0, "a{,3}"],
    ["a{2}", 0, "aaa"],
    ["a{2,}+", 0, "aaaa"],
    ["(?>a+)b", 0, "aab"],
    ["a*+a", 0, "aaa"],
    ["(a)\\1", 0, "xaa"],
    ["(?<q>.)\\k<q>", 0, "xyy"],
    ["(?P<q>.)(?P=q)", 0, "xyy"],
    ["(.)\\g{1}", 0, "zz"],
    ["(.)\\g1", 0, "zz"],
    ["\\y", 0, "y"],
    ["[\\w-]+", 0, "a-b c"],
    ["[a-c-e]+", 0, "e-a"],
    ["[]a]+", 0, "]a]"],
    ["\\bfoo\\b", 0, "a foo b"],
    ["(?=a)a", 0, "ba"],
    ["(?<!a)b", 0, "abcb"],
    ["\\h+", 0, "a \t b"],
    ["\\N+", 0, "ab\ncd"],
    ["[\\d\\s]+", 0, "a1 2b"],
    ["(a)?(?(1)b|c)", 0, "c"],
    ["\xe9+", 1, "\xc9\xe9"],
    ["[\\x00-\\x1f]+", 0, "a\x01\x02b"],
    ["a|", 0, "b"],
    ["&&~~", 0, "&&~~"],
    ["[&&]", 0, "&"],
    ["\\cA", 0, "\x01"],
    ["\\\\", 0, "\\"],
    ["a\\.b", 0, "a.b"],
    ["[.]", 0, "x.y"],
    ["\\0", 0, "\x00"],
]


@pytest.mark.nmap
@needs_nmap
def test_vs_nmap() -> None:
    calls: list[tuple[str, list[object]]] = [("t_m", c) for c in M_CASES]
    calls += [("t_e", c) for c in M_CASES[:20]]
    calls += [
        ("t_g", ["a(.)", 0, "a1a2a3", None, None]),
        ("t_g", ["a(.)", 0, "a1a2a3", 2, None]),
        ("t_g", ["a(.)", 0, "a1a2a3", None, True]),
        ("t_g", ["(?<k>a)(z)?", 0, "aa", None, None]),
        ("t_g", ["a", 0, "aaa", 0, None]),
        ("t_g", ["a", 0, "aaa", -1, None]),
        ("t_g", ["\\d+", 0, "1 22 333", None, None]),
        ("t_g", ["^.", 2, "ab\ncd\nef", None, None]),
        ("t_new", ["(", 0]),
        ("t_new", ["a", 0]),
        ("t_new", ["a", None]),
        ("t_new", ["a{2", 0]),
        ("t_new", ["[z-a]", 0]),
        ("t_new", [None, 0]),
        ("t_new", ["\\", 0]),
        ("t_new", ["a)", 0]),
        ("t_new", ["(?<n>a)(?<n>b)", 0]),
        ("t_new", ["[a", 0]),
        ("t_new", ["*a", 0]),
        ("version", []),
        ("flags", []),
    ]
    helpers = _helpers()
    for k, v in helpers.items():
        setattr(pcre, k, v)
        pcre.__all__.append(k)
    try:
        compare("pcre", pcre, calls, PRELUDE, runner=nmap_calls)
    finally:
        for k in helpers:
            pcre.__all__.remove(k)
            delattr(pcre, k)


@pytest.mark.parametrize(
    "pattern", ["(?R)", "(a)(?1)", "a\\Kb", "\\p{L}", "(*FAIL)", "(?|a|b)", "\\X", "(?J)a", "\\G"]
)
def test_unsupported_rejected(pattern: str) -> None:
    with pytest.raises(LuaError, match="unsupported by this PCRE emulation"):
        pcre.new(pattern, 0, "C")


def test_unsupported_flags_and_locale() -> None:
    with pytest.raises(LuaError, match="unsupported by this PCRE emulation: flags UTF8"):
        pcre.new("a", 2048)
    with pytest.raises(LuaError, match="unsupported by this PCRE emulation"):
        ops.invoke(pcre.new("a"), "match", "a", None, 1024)
    with pytest.raises(LuaError, match="cannot set locale"):
        pcre.new("a", 0, "xx_XX")
    r = pcre.new("(?<word>\\w+)")  # no locale: accepted, as documented
    i, j, t = ops.invoke(r, "match", "  hi!")
    assert (i, j, t[1], t["word"]) == (3, 4, "hi", "hi")
