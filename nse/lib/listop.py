"""``require "listop"``: functional list operations as nmap's listop.lua."""

from __future__ import annotations

from typing import Any

from nse.lib import _rt
from nse.lib._util import LuaTable
from nse.lua import ops

__all__ = [
    "is_empty", "is_list", "map", "apply", "filter", "car", "cdr", "ncar", "ncdr", "cons",
    "append", "reverse", "flatten",
]  # fmt: skip


def _ipairs(t: Any) -> Any:
    # ipairs goes through __index (Lua 5.4 manual §6.1 ipairs)
    i = 1
    while (v := ops.index(t, i)) is not None:
        yield i, v
        i += 1


def _pack(vals: tuple[Any, ...]) -> LuaTable:
    # a table constructor {...}: positional values 1..n, nils leave holes
    t = LuaTable()
    for i, v in enumerate(vals, 1):
        t[i] = v
    return t


def _push(t: LuaTable, v: Any) -> None:
    # results[#results+1] = v (a nil value adds nothing)
    t[len(t) + 1] = v


def is_empty(l: Any = None, *_: Any) -> bool:
    """``#l == 0``."""
    return bool(ops.eq(ops.length(l), 0))


def is_list(l: Any = None, *_: Any) -> bool:
    """Whether ``l`` is a table."""
    return isinstance(l, LuaTable)


def map(f: Any = None, l: Any = None, *_: Any) -> LuaTable:  # noqa: A001 - nselib name
    """``{f(v) for v in ipairs(l)}`` (nil results leave no trace)."""
    out = LuaTable()
    for _i, v in _ipairs(l):
        _push(out, ops.first(ops.call(f, v)))
    return out


def apply(f: Any = None, l: Any = None, *_: Any) -> Any:
    """``f(table.unpack(l))``."""
    return ops.call(f, *ops.mv(_rt.unpack(l)))


def filter(f: Any = None, l: Any = None, *_: Any) -> LuaTable:  # noqa: A001 - nselib name
    """The values of ``l`` for which ``f`` is true."""
    out = LuaTable()
    for _i, v in _ipairs(l):
        if ops.truth(ops.first(ops.call(f, v))):
            _push(out, v)
    return out


def car(l: Any = None, *_: Any) -> Any:
    """``l[1]``."""
    return ops.index(l, 1)


def cdr(l: Any = None, *_: Any) -> LuaTable:
    """``{table.unpack(l, 2)}``."""
    return _pack(ops.mv(_rt.unpack(l, 2)))


def ncar(l: Any = None, x: Any = None, *_: Any) -> Any:
    """``l[x or 1]``."""
    return ops.index(l, x if ops.truth(x) else 1)


def ncdr(l: Any = None, x: Any = None, *_: Any) -> LuaTable:
    """``{table.unpack(l, x or 2)}``."""
    return _pack(ops.mv(_rt.unpack(l, x if ops.truth(x) else 2)))


def cons(v1: Any = None, v2: Any = None, *_: Any) -> LuaTable:
    """``{v1, v2}`` with table arguments shallow-copied as lists."""
    a = _pack(ops.mv(_rt.unpack(v1))) if is_list(v1) else v1
    b = _pack(ops.mv(_rt.unpack(v2))) if is_list(v2) else v2
    return _pack((a, b))


def append(l1: Any = None, l2: Any = None, *_: Any) -> LuaTable:
    """The elements of ``l1`` then those of ``l2``."""
    out = _pack(ops.mv(_rt.unpack(l1)))
    for _i, v in _ipairs(l2):
        _push(out, v)
    return out


def reverse(l: Any = None, *_: Any) -> LuaTable:
    """The elements of ``l`` in reverse order."""
    out = LuaTable()
    n = ops.length(l)
    for i in range(n, 0, -1):
        _push(out, ops.index(l, i))
    return out


def flatten(l: Any = None, *_: Any) -> LuaTable:
    """All non-table values of nested lists, depth first."""
    out = LuaTable()

    def flat(t: Any) -> None:
        for _i, v in _ipairs(t):
            if isinstance(v, LuaTable):
                flat(v)
            else:
                _rt.insert(out, v)

    flat(l)
    return out
