"""``require "strbuf"``: string buffers as nmap's strbuf.lua.

A buffer is a table of strings whose metatable (shared by all buffers) has ``__concat``
(append a string or another buffer), ``__eq``, ``__tostring`` (lines joined by ``"\\n"``)
and ``__index`` = the module table, so ``buf:dump()`` works.
"""

from __future__ import annotations

from typing import Any

from nse.lib import _rt
from nse.lib._util import LuaTable
from nse.lua import errors, ops

__all__ = ["dump", "concatbuf", "eqbuf", "clear", "tostring", "new"]

_mt: LuaTable | None = None


def _meta() -> LuaTable:
    global _mt
    if _mt is None:
        from nse.lib import lua_module

        _mt = LuaTable.from_dict(
            {
                "__concat": concatbuf,
                "__tostring": tostring,
                "__eq": eqbuf,
                "__index": lua_module("strbuf"),
            }
        )
    return _mt


def dump(sbuf: Any = None, sep: Any = None, i: Any = None, j: Any = None, *_: Any) -> str:
    """``table.concat`` of the buffer (optionally with a separator)."""
    return _rt.concat(sbuf, *(a for a in (sep, i, j)))  # type: ignore[no-any-return]


def concatbuf(sbuf: Any = None, s: Any = None, *_: Any) -> Any:
    """Append a string or the strings of another buffer; returns ``sbuf``."""
    if isinstance(s, str):
        sbuf[ops.length(sbuf) + 1] = s
    elif ops.getmetatable_raw(s) is ops.getmetatable_raw(sbuf):
        i = 1
        while (v := ops.index(s, i)) is not None:
            sbuf[ops.length(sbuf) + 1] = v
            i += 1
    else:
        errors.lua_error("bad #2 operand to strbuf concat operation", 1)
    return sbuf


def eqbuf(sbuf1: Any = None, sbuf2: Any = None, *_: Any) -> bool:
    """Element-wise equality of two buffers."""
    if ops.getmetatable_raw(sbuf1) is not ops.getmetatable_raw(sbuf2):
        errors.lua_error("one or more operands is not a string buffer", 1)
    n = ops.length(sbuf1)
    if n != ops.length(sbuf2):
        return False
    return all(ops.eq(sbuf1[i], sbuf2[i]) for i in range(1, n + 1))


def clear(sbuf: Any = None, *_: Any) -> tuple[()]:
    """Remove every element."""
    for k in list(sbuf.keys()):
        sbuf[k] = None
    return ()


def tostring(sbuf: Any = None, *_: Any) -> str:
    """The buffer's strings joined with newlines."""
    return _rt.concat(sbuf, "\n")  # type: ignore[no-any-return]


def new(*args: Any) -> LuaTable:
    """A new buffer holding the given strings."""
    t = LuaTable.from_list(args)
    t.meta = _meta()
    return t
