"""json: parse and generate compared with nmap's json.lua (LPeg grammar) under lua5.4."""

from __future__ import annotations

from libref import Raw, compare, needs_nselib

from nse.lib import json
from nse.lua.luatable import LuaTable

DOCS = [
    "",
    " ",
    "1",
    "-1",
    "- 1",
    "-0",
    "-0.0",
    "1.5",
    "1.",
    ".5",
    "1e5",
    "1E+5",
    "1e-5",
    "2.5e3",
    "0x1F",
    "0X1F",
    "-0x10",
    "007",
    "1e",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999",
    "123456789012345678901234567890.5",
    "true",
    "false",
    "null",
    "truex",
    "true_",
    "true ",
    " null\n",
    "nul",
    '""',
    '"abc"',
    '"a\\"b"',
    '"a\\\\b"',
    '"\\b\\f\\n\\r\\t\\/"',
    '"\\x"',
    '"\\u0041"',
    '"\\u00e9"',
    '"\\u20AC"',
    '"\\uD83D\\uDE00"',
    '"\\uDE00"',
    '"\\uD83D"',
    '"\\uD83Dx"',
    '"\\uD83D\\u0041"',
    '"\\u12"',
    '"\\u12G4"',
    '"raw\x01\x7f\xff"',
    '"unterminated',
    '"a\\"',
    "[]",
    "[ ]",
    "[1,2,3]",
    "[1 , 2 ,3 ]",
    "[1,]",
    "[,1]",
    '[1,"a",[true,[null]],{}]',
    "{}",
    "{ }",
    '{"a":1}',
    '{ "a" : [1,2] }',
    '{"a":1,}',
    '{"a" 1}',
    "{a:1}",
    '{"a":1,"a":2}',
    '{"a":{"b":{"c":null}}}',
    "[1] x",
    "[- 5]",
    "[1, - 5, 3]",
    '{"x": - 5}',
    "[1 2]",
    '["\\uDE00"',
    "[nan]",
    "[1e400]",
    "[\t1\v,\f2\r]",
    '{"":0}',
    "12 34",
    "[[[[[[[[]]]]]]]]",
]


@needs_nselib
def test_parse_vs_nmap() -> None:
    compare("json", json, [("parse", [d]) for d in DOCS] + [("parse", [12]), ("parse", [None])])


def _arr(*items: object) -> Raw:
    lua = "M.make_array({" + ", ".join(map(repr_lua, items)) + "})"
    return Raw(lua, lambda: json.make_array(LuaTable.from_list(items)))


def repr_lua(v: object) -> str:
    from libref import lua_literal

    return lua_literal(v)


@needs_nselib
def test_generate_vs_nmap() -> None:
    vals: list[object] = [
        1,
        -1,
        0,
        1.5,
        1.0,
        -0.0,
        1e100,
        2**63 - 1,
        float("inf"),
        float("-inf"),
        1 / 3,
        "",
        "abc",
        '"\\/\b\f\n\r\t',
        "\x00\x01\x1f\x7f\xff",
        True,
        False,
        [],
        [1, 2, 3],
        ["a", [True, False], []],
        {"k": "v"},
        {"k": [1, {"z": None}]},
        {1: "a", 2: "b"},
        {1.5: "x"},
        {3: "x"},
        Raw("M.NULL", json.NULL),
        Raw("{M.NULL, 1}", lambda: LuaTable.from_list([json.NULL, 1])),
        _arr(),
        _arr(1, 2),
        Raw("M.make_object({1, 2})", lambda: json.make_object(LuaTable.from_list([1, 2]))),
        Raw("M.make_object({})", lambda: json.make_object(LuaTable())),
        None,
        Raw("print", lambda: print),
        Raw("{[true]=1}", lambda: LuaTable.from_pairs([(True, 1)])),
    ]
    calls = [("generate", [v]) for v in vals] + [("typeof", [v]) for v in vals]
    compare("json", json, calls)


@needs_nselib
def test_roundtrip_vs_nmap() -> None:
    # generate(parse(doc)) for documents whose objects have at most one key
    ok = [d for d in DOCS if json.parse(d)[0]]
    prelude = (
        "local P, G = M.parse, M.generate\nM.rt = function(d) local s, v = P(d); return G(v) end"
    )
    calls = [("rt", [d]) for d in ok]
    json.rt = lambda d, *_: json.generate(json.parse(d)[1])  # type: ignore[attr-defined]
    json.__all__.append("rt")
    try:
        compare("json", json, calls, prelude)
    finally:
        json.__all__.remove("rt")
        del json.rt  # type: ignore[attr-defined]


def test_literals() -> None:
    ok, v = json.parse('{"a": [1, 2.5, "x\\u00e9", null, true]}')
    assert ok is True
    assert v.meta["json"] == "object"
    a = v["a"]
    assert a.meta["json"] == "array"
    assert a.to_list() == [1, 2.5, "x\xc3\xa9", json.NULL, True]
    assert json.generate(v) == '{"a": [1, 2.5, "x\xc3\xa9", null, true]}'
    assert json.parse("[1,") == (False, "syntax error")
    assert json.parse('"\\uDC00"') == (False, "Not a Unicode character: U+DC00")
    assert json.generate(LuaTable.from_pairs([("a", 1), ("b", 2)])) == '{"a": 1, "b": 2}'


@needs_nselib
def test_generate_sorted_proxy_vs_nmap() -> None:
    """Objects through outlib.sorted_by_key (a __pairs proxy): deterministic key order,
    so multi-key objects compare byte for byte."""
    from nse.lib import outlib

    prelude = 'local outlib = require "outlib"\nM.t_sorted = function(t) return M.generate(outlib.sorted_by_key(t)) end'
    json.t_sorted = lambda t=None, *_: json.generate(outlib.sorted_by_key(t))  # type: ignore[attr-defined]
    json.__all__.append("t_sorted")
    try:
        compare(
            "json",
            json,
            [("t_sorted", [{"b": 1, "a": [1, 2], "c": {"z": "y"}, "d": "\n"}]), ("t_sorted", [{}])],
            prelude,
        )
    finally:
        json.__all__.remove("t_sorted")
        del json.t_sorted  # type: ignore[attr-defined]
