"""``require "tab"``: aligned text tables as nmap's tab.lua.

``t = tab.new()``; ``tab.add(t, column, string)``; ``tab.addrow(t, ...)``;
``tab.nextrow(t)``; ``tab.dump(t)`` (also ``tostring(t)``) pads every column but a row's
last to the widest cell of that column and joins cells with two spaces, one line per
row, each ending in ``"\\n"``.
"""

from __future__ import annotations

from typing import Any

from nse.lib._util import LuaTable, lua_error
from nse.lua import ops

__all__ = ["new", "add", "addrow", "nextrow", "dump"]


def _assert(v: Any) -> None:
    if v is None or v is False:
        lua_error("assertion failed!")


def new(*_: Any) -> LuaTable:
    """A new, empty table (``tostring`` dumps it)."""
    t = LuaTable()
    t["current_row"] = 1
    t.meta = LuaTable.from_dict({"__tostring": dump})
    return t


def add(t: Any = None, c: Any = None, v: Any = None, *_: Any) -> bool:
    """Set column ``c`` of the current row to string ``v``."""
    _assert(t)
    _assert(isinstance(v, str))
    row = ops.index(t, ops.index(t, "current_row"))
    if not ops.truth(row):
        row = LuaTable()
        ops.setindex(t, ops.index(t, "current_row"), row)
    ops.setindex(row, c, v)
    return True


def addrow(t: Any = None, *values: Any) -> tuple[()]:
    """Add a whole row (values converted with ``tostring``) and move to the next."""
    for i, v in enumerate(values, 1):
        add(t, i, ops.tostring(v))
    nextrow(t)
    return ()


def nextrow(t: Any = None, *_: Any) -> tuple[()]:
    """Move to the next row (an empty row stays empty)."""
    _assert(t)
    cur = ops.index(t, "current_row")
    _assert(cur)
    if not ops.truth(ops.index(t, cur)):
        ops.setindex(t, cur, LuaTable())
    ops.setindex(t, "current_row", ops.add(cur, 1))
    return ()


def dump(t: Any = None, *_: Any) -> str:
    """The table as text."""
    _assert(t)
    rows = []
    i = 1
    while (row := ops.index(t, i)) is not None:
        rows.append(row)
        i += 1
    width: dict[Any, int] = {}
    ncols = []
    for row in rows:
        n = 0
        for x, elem in row.items():
            w = ops.length(elem)
            if x not in width or w > width[x]:
                width[x] = w
            if ops.lt(n, x):
                n = x
        ncols.append(n)
    lines = []
    for row, n in zip(rows, ncols, strict=True):
        cells = []
        for x in range(1, n + 1):
            elem = row[x]
            elem = elem if ops.truth(elem) else ""
            if x < n:
                if x not in width:
                    lua_error("attempt to perform arithmetic on a nil value (field '?')")
                cells.append(elem + " " * max(width[x] - len(elem), 0))
            else:
                cells.append(elem)
        lines.append("  ".join(cells) + "\n")
    return "".join(lines)
