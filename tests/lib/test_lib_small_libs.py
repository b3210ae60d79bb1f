"""strbuf, stringaux, tableaux, listop, outlib, rand: against nmap's Lua under lua5.4.

Where the nselib function needs Lua code around it (metamethods, callbacks), a small
helper is defined on both sides: in Lua through the prelude, in Python with nse.lua.ops.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from libref import Raw, compare, needs_nselib

from nse.lib import listop, outlib, rand, strbuf, stringaux, tableaux
from nse.lib._util import LuaError
from nse.lua import ops
from nse.lua.luatable import LuaTable


def _with_helpers(mod: ModuleType, helpers: dict[str, Any]) -> Any:
    class _Ctx:
        def __enter__(self) -> None:
            for k, f in helpers.items():
                setattr(mod, k, f)
                mod.__all__.append(k)

        def __exit__(self, *exc: object) -> None:
            for k in helpers:
                mod.__all__.remove(k)
                delattr(mod, k)

    return _Ctx()


@needs_nselib
def test_stringaux_vs_nmap() -> None:
    calls: list[tuple[str, list[object]]] = []
    for pat, text in [
        (",", "a,b,,c"),
        (",", ""),
        (",", "abc"),
        ("%s+", " a  b "),
        ("[,;]", "x;y,z"),
        ("ab", "xabyabz"),
        (".", "abc"),
        ("", "x"),
        ("%d", "a1b22c"),
    ]:
        calls.append(("strsplit", [pat, text]))
    for d, l in [(", ", ["a", "b", 3]), ("", []), (None, ["a"]), (1, ["a"]), ("-", ["a", {}])]:
        calls.append(("strjoin", [d, l]))
    for s in [".", "..", "...", "a/b c.txt", "\x00\xff", "ok-_.9", 12, ""]:
        calls.append(("filename_escape", [s]))
    for p in ["abc", "a%db", "[abc]x", "%a+", "[^a]b", "%", "x%", "HeLLo World", "a]b[c]d", 5]:
        calls.append(("ipattern", [p]))
    compare("stringaux", stringaux, calls)


def test_strsplit_empty_match_raises() -> None:
    with pytest.raises(LuaError, match="empty string"):
        stringaux.strsplit("x*", "abc")


@needs_nselib
def test_tableaux_vs_nmap() -> None:
    t = {"a": 1, "b": {"c": [1, 2, {"d": 3}]}, 1: "x", 2: "y"}
    calls: list[tuple[str, list[object]]] = [
        ("tcopy", [t]),
        ("shallow_tcopy", [t]),
        ("invert", [{"a": "b", 1: 2}]),
        ("keys", [[5, 6, 7]]),
        ("keys", [{}]),
        ("contains", [[1, 2, 3], 2]),
        ("contains", [[1, 2, 3], 4]),
        ("contains", [{"k": "v"}, "v"]),
        ("contains", [{"k": "v", 1: "w"}, "v", True]),
        ("contains", [[1, 2], 2, True]),
        ("contains", [[1.0, 2], 1]),
        ("tcopy", [None]),
    ]
    compare("tableaux", tableaux, calls)


def _lf(lua: str, py: Any) -> Raw:
    return Raw(lua, lambda: py)


DOUBLE = _lf("function(x) return x * 2 end", lambda x=None, *_: ops.mul(x, 2))
ODD = _lf("function(x) return x % 2 == 1 end", lambda x=None, *_: ops.eq(ops.mod(x, 2), 1))
NILF = _lf("function(x) if x > 1 then return x end end", lambda x=None, *_: x if x > 1 else None)
SUM3 = _lf("function(a, b, c) return a + b, c end", lambda a=None, b=None, c=None, *_: (a + b, c))


@needs_nselib
def test_listop_vs_nmap() -> None:
    l = [1, 2, 3, 4]
    calls: list[tuple[str, list[object]]] = [
        ("is_empty", [[]]),
        ("is_empty", [l]),
        ("is_empty", [{"a": 1}]),
        ("is_list", [l]),
        ("is_list", ["x"]),
        ("map", [DOUBLE, l]),
        ("map", [NILF, l]),
        ("apply", [SUM3, l]),
        ("filter", [ODD, l]),
        ("car", [l]),
        ("car", [[]]),
        ("cdr", [l]),
        ("cdr", [[]]),
        ("ncar", [l, 3]),
        ("ncar", [l]),
        ("ncdr", [l, 3]),
        ("ncdr", [l]),
        ("cons", [1, 2]),
        ("cons", [[1, 2], [3]]),
        ("cons", [None, [3]]),
        ("append", [[1, 2], [3, 4]]),
        ("append", [[], []]),
        ("reverse", [l]),
        ("reverse", [[]]),
        ("flatten", [[1, [2, [3, [4]]], {"x": 5}, 6]]),
    ]
    compare("listop", listop, calls)


@needs_nselib
def test_strbuf_vs_nmap() -> None:
    prelude = """
M.t_cat = function(a, b, c) local x = M.new(a) .. b; x = x .. M.new(c, c); return tostring(x), #x end
M.t_eq = function(a, b) return M.new(a) == M.new(b), M.new(a, b) == M.new(a, b) end
M.t_dump = function(a, b) local x = M.new(a, b); return x:dump(), x:dump("+") end
M.t_clear = function(a) local x = M.new(a, a); x:clear(); return #x, tostring(x) end
M.t_bad = function(a) return M.new("x") .. {} end
"""

    def t_cat(a: Any = None, b: Any = None, c: Any = None, *_: Any) -> Any:
        x = ops.concat(strbuf.new(a), b)
        x = ops.concat(x, strbuf.new(c, c))
        return ops.tostring(x), ops.length(x)

    def t_eq(a: Any = None, b: Any = None, *_: Any) -> Any:
        return ops.eq(strbuf.new(a), strbuf.new(b)), ops.eq(strbuf.new(a, b), strbuf.new(a, b))

    def t_dump(a: Any = None, b: Any = None, *_: Any) -> Any:
        x = strbuf.new(a, b)
        return ops.invoke(x, "dump"), ops.invoke(x, "dump", "+")

    def t_clear(a: Any = None, *_: Any) -> Any:
        x = strbuf.new(a, a)
        ops.invoke(x, "clear")
        return ops.length(x), ops.tostring(x)

    def t_bad(a: Any = None, *_: Any) -> Any:
        return ops.concat(strbuf.new("x"), LuaTable())

    helpers = {"t_cat": t_cat, "t_eq": t_eq, "t_dump": t_dump, "t_clear": t_clear, "t_bad": t_bad}
    calls: list[tuple[str, list[object]]] = [
        ("t_cat", ["a", "b", "c"]),
        ("t_eq", ["a", "a"]),
        ("t_eq", ["a", "b"]),
        ("t_dump", ["p", "q"]),
        ("t_clear", ["z"]),
        ("t_bad", [None]),
    ]
    with _with_helpers(strbuf, helpers):
        compare("strbuf", strbuf, calls, prelude)


@needs_nselib
def test_outlib_vs_nmap() -> None:
    prelude = """
M.t_sorted = function(t) local o = {} for k, v in pairs(M.sorted_by_key(t)) do o[#o+1] = k; o[#o+1] = v end return o end
M.t_sep = function(t, sep) M.list_sep(t, sep); local a = tostring(t); M.list_sep(t); return a, tostring(t) end
"""

    def t_sorted(t: Any = None, *_: Any) -> Any:
        o = LuaTable()
        proxy = outlib.sorted_by_key(t)
        it = ops.first(ops.call(proxy.meta["__pairs"], proxy))
        while True:
            r = ops.mv(it())
            if not r or r[0] is None:
                return o
            o.append(r[0])
            o.append(r[1])

    def t_sep(t: Any = None, sep: Any = None, *_: Any) -> Any:
        outlib.list_sep(t, sep)
        a = ops.tostring(t)
        outlib.list_sep(t)
        return a, ops.tostring(t)

    calls: list[tuple[str, list[object]]] = [
        ("t_sorted", [{"b": 2, "a": 1, "c": 3}]),
        ("t_sorted", [{3: "x", 1: "y", 2: "z"}]),
        ("t_sorted", [{1: "a", "b": 2}]),
        ("t_sep", [["a", "b", 3], None]),
        ("t_sep", [["a", "b"], "|"]),
        ("t_sep", [[], "|"]),
    ]
    with _with_helpers(outlib, {"t_sorted": t_sorted, "t_sep": t_sep}):
        compare("outlib", outlib, calls, prelude)


@needs_nselib
def test_rand_charset_vs_nmap() -> None:
    calls: list[tuple[str, list[object]]] = [
        ("charset", ["a", "e"]),
        ("charset", [48, 57]),
        ("charset", ["z", "a"]),
        ("charset", ["a", "c", ["x"]]),
        ("charset", [250, 255]),
    ]
    compare("rand", rand, calls)


def test_rand_strings() -> None:
    s = rand.random_string(64, "ab")
    assert len(s) == 64 and set(s) <= {"a", "b"}
    assert len(rand.random_string(16)) == 16
    a = rand.random_alpha(200)
    assert len(a) == 200 and set(a) <= set("abcdefghijklmnopqrstuvwxyz") and len(set(a)) > 5
    t = rand.random_string(10, LuaTable.from_list(["xy", "z"]))
    assert len(t.replace("xy", "")) + 2 * t.count("xy") == 10 - t.count("xy") + 2 * t.count("xy")


def test_literals() -> None:
    t = LuaTable.from_pairs([("a", 1), (1, "x")])
    assert sorted(map(str, tableaux.keys(t).to_list())) == ["1", "a"]
    # a runtime error inside a library function has no variable name (nmap: "(local 'l')")
    with pytest.raises(LuaError, match="attempt to index a nil value"):
        listop.car(None)
