"""``require "tableaux"``: table helpers as nmap's tableaux.lua."""

from __future__ import annotations

from typing import Any

from nse.lib._util import LuaTable, check_table, lua_pairs
from nse.lua import ops

__all__ = ["tcopy", "shallow_tcopy", "invert", "contains", "keys"]


def _pairs(t: Any) -> Any:
    return lua_pairs(t)


def tcopy(t: Any = None, *_: Any) -> LuaTable:
    """Deep copy of the values (keys and metatables are not copied)."""
    tc = LuaTable()
    for k, v in _pairs(t):
        tc[k] = tcopy(v) if isinstance(v, LuaTable) else v
    return tc


def shallow_tcopy(t: Any = None, *_: Any) -> LuaTable:
    """Copy of the raw pairs."""
    check_table(t, 1, "next")
    return LuaTable.from_pairs(t.items())


def invert(t: Any = None, *_: Any) -> LuaTable:
    """Table mapping each value to its key."""
    out = LuaTable()
    for k, v in _pairs(t):
        out[v] = k
    return out


def contains(t: Any = None, item: Any = None, array: Any = None, *_: Any) -> tuple[bool, Any]:
    """``true, key`` of the first value equal to ``item`` (``ipairs`` order when
    ``array``), else ``false, nil``."""
    if array is not None and array is not False:
        i = 1
        while (v := ops.index(t, i)) is not None:
            if ops.eq(v, item):
                return True, i
            i += 1
        return False, None
    for k, v in _pairs(t):
        if ops.eq(v, item):
            return True, k
    return False, None


def keys(t: Any = None, *_: Any) -> LuaTable:
    """The raw keys as an array."""
    check_table(t, 1, "next")
    return LuaTable.from_list(list(t.keys()))
