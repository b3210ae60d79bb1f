"""LuaTable: the Python API every module relies on."""

from __future__ import annotations

import math

import pytest

from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable


def test_raw_get_set_and_key_normalisation() -> None:
    t = LuaTable()
    t[1] = "a"
    t[2.0] = "b"
    t[True] = "T"
    t[False] = "F"
    t[0] = "zero"
    t[-0.0] = "negzero"
    t[1.5] = "x"
    assert t[1] == "a" and t[2] == "b" and t[2.0] == "b"
    assert t[True] == "T" and t[False] == "F"
    assert t[0] == "negzero"  # -0.0 is key 0
    assert t[1.5] == "x" and t[1] == "a"
    keys = list(t.keys())
    assert keys == [1, 2, True, False, 0, 1.5]
    assert type(keys[1]) is int and type(keys[4]) is int
    assert t["missing"] is None and t[None] is None and t[math.nan] is None


def test_nil_and_nan_keys_raise() -> None:
    t = LuaTable()
    with pytest.raises(LuaError, match="table index is nil"):
        t[None] = 1
    with pytest.raises(LuaError, match="table index is NaN"):
        t[math.nan] = 1


def test_attribute_access() -> None:
    t = LuaTable()
    t.name = "x"
    assert t["name"] == "x" and t.name == "x"
    assert t.other is None
    mt = LuaTable()
    t.meta = mt
    assert t.meta is mt and t["meta"] is None
    del t.name
    assert t.name is None


def test_from_constructors_and_length() -> None:
    t = LuaTable.from_list([1, None, 3, None, None])
    assert len(t) == 3 and t.length() == 3
    assert t[2] is None and t[3] == 3
    assert list(t.items()) == [(1, 1), (3, 3)]
    d = LuaTable.from_dict({"a": 1, 2.0: "x"})
    assert d["a"] == 1 and d[2] == "x"
    # In a Python dict {1: "x", True: "t"} is ONE key; from_pairs keeps both:
    p = LuaTable.from_pairs([(1, "x"), (True, "t")])
    assert p[1] == "x" and p[True] == "t"
    assert bool(LuaTable()) is True and len(LuaTable()) == 0


def test_border_migration() -> None:
    t = LuaTable()
    t[3] = "c"
    t[2] = "b"
    assert len(t) == 0
    t[1] = "a"
    assert len(t) == 3 and t.to_list() == ["a", "b", "c"]
    t[3] = None
    assert len(t) == 2
    t[1] = None
    assert len(t) == 2 and t[2] == "b"  # 2 is still a border
    t[2] = None
    assert len(t) == 0
    t.append("z")
    assert t.to_list() == ["z"]


def test_next_traversal_with_deletion() -> None:
    t = LuaTable.from_list([1, 2, 3])
    for k in ("a", "b", "c", "d"):
        t[k] = k
    seen = []
    k = None
    while True:
        r = t.next(k)
        if r is None:
            break
        k, v = r
        seen.append(k)
        t[k] = None  # allowed during traversal (Lua 5.4 §6.1 next)
    assert seen == [1, 2, 3, "a", "b", "c", "d"]
    assert t.next() is None
    with pytest.raises(LuaError, match="invalid key to 'next'"):
        t.next("nokey")


def test_next_bool_keys_and_float_keys() -> None:
    t = LuaTable()
    t[True] = 1
    t[2.5] = 2
    r = t.next()
    assert r == (True, 1) and type(r[0]) is bool
    r2 = t.next(True)
    assert r2 == (2.5, 2)
    assert t.next(2.5) is None


def test_call_and_identity() -> None:
    t = LuaTable()
    with pytest.raises(LuaError, match="attempt to call a table value"):
        t()
    mt = LuaTable()
    mt["__call"] = lambda self, a=None, *_: ("called", a)
    t.meta = mt
    assert t(5) == ("called", 5)
    u = LuaTable()
    assert t != u and t == t
    assert {t: 1}[t] == 1
    assert "LuaTable@" in repr(t)


def test_insert() -> None:
    t = LuaTable.from_list(["a", "c"])
    t[4] = "e"
    t.insert(2, "b")
    assert t.to_list() == ["a", "b", "c", "e"]
    assert t.to_dict() == {1: "a", 2: "b", 3: "c", 4: "e"}


def test_items_see_changes_and_dunder_attributes() -> None:
    t = LuaTable.from_pairs([("a", 1), ("b", 2), ("c", 3)])
    out = []
    for k, v in t.items():
        out.append((k, v))
        if k == "a":
            t["b"] = 20
            t["c"] = None
    assert out == [("a", 1), ("b", 20)]
    mt = LuaTable()
    mt.__index = t
    assert mt["__index"] is t and mt.__index is t
    assert not hasattr(LuaTable(), "__deepcopy__")


def test_from_record() -> None:
    t = LuaTable.from_record({"x": 1, "y": None, "z": "s"})
    assert list(t.items()) == [("x", 1), ("z", "s")]
    assert t.y is None and len(t) == 0
    t["w"] = 2
    assert t.next("z") == ("w", 2)


def test_float_keys_outside_int64_stay_floats() -> None:
    t = LuaTable()
    t[1e300] = "big"
    t[2.0**63] = "edge"
    t[-(2.0**63)] = "min"
    keys = list(t.keys())
    assert keys == [1e300, 2.0**63, -(2**63)]
    assert type(keys[0]) is float and type(keys[1]) is float and type(keys[2]) is int
    assert t[1e300] == "big" and t[2.0**63] == "edge" and t[-(2**63)] == "min"
