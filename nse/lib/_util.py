"""Small helpers shared by the library modules: argument checks, errors, conversions.

Argument checks follow lauxlib (Lua 5.4 manual §4.6 / §5): ``luaL_checklstring`` accepts a
number and converts it to a string; ``luaL_checkinteger`` accepts a float with an exact
integer value and a string convertible to a number; the message is
``bad argument #N to 'fname' (T expected, got U)``.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from nse.lua.errors import (
    LuaError,
    arg_error,
    check_num,
    check_table,
    opt_int,
    opt_str,
    type_error,
    typename,
)
from nse.lua.errors import (
    check_int as _check_int,
)
from nse.lua.errors import (
    check_str as _check_str,
)
from nse.lua.luatable import LuaTable
from nse.lua.numfmt import fmt_number

__all__ = [
    "LuaError",
    "LuaTable",
    "lua_error",
    "argerror",
    "typename",
    "tostr",
    "check_str",
    "opt_str",
    "need_str",
    "check_int",
    "opt_int",
    "check_num",
    "check_table",
    "first",
    "results",
    "debug",
    "to_bytes",
    "from_bytes",
    "call",
    "lua_tostring",
    "Userdata",
    "lua_pairs",
    "lua_str",
]


def lua_error(msg: Any) -> NoReturn:
    """Raise a Lua error with value ``msg`` (as nselib's ``error(msg)``, minus the position
    of the nselib source line, which does not exist here)."""
    raise LuaError(msg)


def tostr(v: Any) -> str | None:
    """lua_tolstring: a string, a number converted, else None."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int | float):
        return fmt_number(v)
    return None


_WIDE = re.compile("[^\x00-\xff]")


def lua_str(s: str) -> str:
    """A Python string as a Lua string: characters above 255 (text from Python code)
    are UTF-8-encoded into bytes held as latin-1 (DESIGN.md "Value mapping")."""
    if _WIDE.search(s):
        return s.encode("utf-8", "surrogatepass").decode("latin-1")
    return s


def check_str(v: Any, n: int, fname: str) -> str:
    """luaL_checklstring (numbers convert; wide Python text is UTF-8-encoded)."""
    if type(v) is str:
        return lua_str(v)
    return _check_str(v, n, fname)


def check_int(v: Any, n: int, fname: str) -> int:
    """luaL_checkinteger (a numeric string converts, as in Lua: "7" is 7)."""
    if type(v) is str:
        from nse.lua.numfmt import str2number

        x = str2number(v)
        if x is not None:
            v = x
    return _check_int(v, n, fname)


def argerror(n: int, fname: str, extramsg: str) -> NoReturn:
    """Raise ``bad argument #n to 'fname' (extramsg)`` (luaL_argerror)."""
    arg_error(n, fname, extramsg)


def need_str(v: Any, n: int, fname: str) -> str:
    """A string argument of a function nselib writes in Lua: there a number is not
    silently converted (``#p`` fails on it), so only ``str`` is accepted."""
    if not isinstance(v, str):
        type_error(n, fname, "string", v)
    return lua_str(v)


def first(v: Any) -> Any:
    """One value of a call result (a tuple is a list of results)."""
    if type(v) is tuple:
        return v[0] if v else None
    return v


def results(r: Any) -> tuple[Any, ...]:
    """A call result as a tuple of at least one value: no results reads as one nil, as a
    Lua assignment ``local a, b = f()`` sees it."""
    r = r if type(r) is tuple else (r,)
    return r or (None,)


def debug(level: int, fmt: str, *args: Any) -> None:
    """``stdnse.debug(level, fmt, ...)`` (imported when called: stdnse imports the modules
    that use this)."""
    from nse.lib import stdnse

    stdnse.debug(level, fmt, *args)


def to_bytes(s: str) -> bytes:
    """A Lua string (one character per byte) as the bytes it holds."""
    return s.encode("latin-1")


def from_bytes(b: bytes) -> str:
    """Bytes as a Lua string (one character per byte)."""
    return b.decode("latin-1")


def call(f: Any, *args: Any) -> Any:
    """Call a Lua function value (a Python callable or a table with ``__call``)."""
    from nse.lua.ops import call as ops_call

    return ops_call(f, *args)


def lua_tostring(v: Any) -> str:
    """Lua ``tostring`` for the values library code formats (numbers, strings, booleans,
    nil); tables and functions go through the runtime's ``tostring`` when present."""
    if v is None:
        return "nil"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int | float):
        return fmt_number(v)
    if isinstance(v, str):
        return v
    from nse.lua.ops import tostring

    return tostring(v)


def lua_pairs(t: Any, fname: str = "for iterator") -> Any:
    """Iterate ``pairs(t)`` as Lua 5.4 does: through ``__pairs`` when the metatable has
    it (manual §6.1 pairs), else the raw pairs of a table."""
    from nse.lua import ops

    h = ops.getmetamethod(t, "__pairs")
    if h is not None:
        r = ops.mv(ops.call(h, t)) + (None, None, None)
        f, st, c = r[0], r[1], r[2]
        while True:
            r = ops.mv(ops.call(f, st, c))
            if not r or r[0] is None:
                return
            c = r[0]
            yield r[0], (r[1] if len(r) > 1 else None)
    if not isinstance(t, LuaTable):
        type_error(1, fname, "table", t)
    yield from t.items()


class Userdata:
    """Base for Python objects that Lua sees as userdata with methods.

    Subclasses list their Lua-callable method names in ``_lua_methods`` (a trailing
    underscore is dropped for the Lua name); :meth:`lua_metatable` builds one metatable per
    class whose ``__index`` table maps those names to the methods (so ``obj:method(x)``
    works from Lua through ``nse.lua.ops.index``, which reads ``__lua_meta__``).
    ``__name`` is the type name Lua error messages use.  Subclasses may add metamethods by
    overriding :meth:`_extra_meta`.
    """

    _lua_methods: tuple[str, ...] = ()
    _lua_typename: str = "userdata"
    _meta_cache: LuaTable | None = None

    @classmethod
    def lua_metatable(cls) -> LuaTable:
        """The metatable shared by every instance of this class."""
        mt = cls.__dict__.get("_meta_cache")
        if mt is None:
            idx = LuaTable()
            for name in cls._lua_methods:
                idx[name.rstrip("_")] = getattr(cls, name)
            mt = LuaTable.from_dict({"__index": idx, "__name": cls._lua_typename})
            for k, v in cls._extra_meta().items():
                mt[k] = v
            cls._meta_cache = mt
        return mt

    @classmethod
    def _extra_meta(cls) -> dict[str, Any]:
        return {}

    @property
    def __lua_meta__(self) -> LuaTable:
        """The metatable the runtime uses (``ops.getmetatable_raw``)."""
        return type(self).lua_metatable()
