"""``require "outlib"``: output helpers as nmap's outlib.lua (sorted_by_key, list_sep)."""

from __future__ import annotations

from typing import Any

from nse.lib import _rt
from nse.lib._util import LuaTable
from nse.lua import ops

__all__ = ["sorted_by_key", "list_sep"]


def sorted_by_key(t: Any = None, *_: Any) -> LuaTable:
    """A proxy whose ``pairs`` yields ``t``'s pairs in sorted key order."""
    out = LuaTable()

    def __pairs(_self: Any = None, *_: Any) -> Any:
        order = LuaTable.from_list(list(t.keys()))
        _rt.sort(order)
        keys = order.to_list()
        pos = 0

        def it(*_: Any) -> Any:
            nonlocal pos
            if pos >= len(keys):
                return ()
            k = keys[pos]
            pos += 1
            return k, t[k]

        return it

    out.meta = LuaTable.from_dict({"__pairs": __pairs})
    return out


def _commasep_tostring(t: Any = None, *_: Any) -> str:
    return _rt.concat(t, ", ")  # type: ignore[no-any-return]


_COMMASEP = LuaTable.from_dict({"__tostring": _commasep_tostring})


def list_sep(t: Any = None, sep: Any = None, *_: Any) -> tuple[()]:
    """Make ``tostring(t)`` join the list with ``sep`` (``", "`` by default)."""
    if ops.truth(sep):

        def tostr(tt: Any = None, *_: Any) -> str:
            return _rt.concat(tt, sep)  # type: ignore[no-any-return]

        newmt = LuaTable.from_dict({"__tostring": tostr})
    else:
        newmt = _COMMASEP
    oldmt = t.meta if isinstance(t, LuaTable) else ops.getmetatable_raw(t)
    if oldmt is not None and oldmt is not _COMMASEP:
        ops.setindex(oldmt, "__tostring", newmt["__tostring"])
    else:
        t.meta = newmt
    return ()
