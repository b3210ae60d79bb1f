"""``require "bin"``: nmap 7.93's deprecated bin library (lpack format strings).

nmap 7.93 implements ``bin.pack``/``bin.unpack`` by rewriting the lpack format into a
``string.pack`` format; this module does the same rewrite (documented in bin.lua's
header: ``H`` hex string, ``x`` null byte, ``z`` zero-terminated string, ``p``/``P``/``a``
strings with 1/2/4-byte lengths, ``A`` raw string, ``f d n`` numbers, ``c C s S i I l L``
integers of 1, 2, 4, 8 bytes, ``< > =`` endianness, counts after options) and runs the
runtime's ``string.pack``/``string.unpack``, so results and errors are those of nmap,
including its rough edges: integers are masked to their width before packing (``c`` then
rejects 128..255 as an overflow), ``unpack`` returns only ``1`` when the data is too short,
and an ``x`` in an ``unpack`` format shifts which value an ``H``/``B`` conversion applies to.
"""

from __future__ import annotations

import re
from typing import Any

from nse.lib import _host
from nse.lib._util import LuaTable, lua_error
from nse.lua import ops
from nse.lua.errors import LuaError
from nse.lua.numfmt import str2number, tointeger
from nse.lua.strpack import str_pack, str_unpack

__all__ = ["pack", "unpack"]

_TOKEN = re.compile(r"([A-Za-z=<>])([0-9]*)")
_INT_OPTS = {
    "c": ("b", 0xFF), "C": ("B", 0xFF), "s": ("i2", 0xFFFF), "S": ("I2", 0xFFFF),
    "i": ("i4", 0xFFFFFFFF), "I": ("I4", 0xFFFFFFFF), "l": ("i8", -1), "L": ("I8", -1),
}  # fmt: skip
_STR_OPTS = {"p": "s1", "P": "s2", "a": "s4"}

_host.verbose(0, "DEPRECATION WARNING: bin.lua is deprecated. Please use Lua 5.3 string.pack")


def _tointeger(v: Any) -> Any:
    # math.tointeger (Lua 5.4.4 converts numeric strings too)
    if isinstance(v, str):
        v = str2number(v)
    if isinstance(v, bool) or v is None:
        return None
    return tointeger(v)


def _count(n: str) -> int:
    return 1 if n == "" else int(n)


def _hex_to_bytes(v: Any) -> str:
    s = ops.tostring(v)

    def one(m: re.Match[str]) -> str:
        x = ops.tonumber(m.group(1), 16)
        if x is None:
            lua_error("bad argument #1 to 'char' (number expected, got nil)")
        return (
            chr(x & 0xFF)
            if 0 <= x < 256
            else lua_error("bad argument #1 to 'char' (value out of range)")
        )

    # gsub("%s*(%S%S?)%s*", fromhex)
    return re.sub(r"[ \t\n\v\f\r]*([^ \t\n\v\f\r][^ \t\n\v\f\r]?)[ \t\n\v\f\r]*", one, s)


def pack(format: Any = None, *args: Any) -> str:  # noqa: A002 - nselib name
    """Pack values according to an lpack format string."""
    fmt = "!1=" + ops.tostring(format) if isinstance(format, str | int | float) else None
    if fmt is None:
        lua_error(f"attempt to concatenate a {ops.type_(format)} value (local 'format')")
    vals = list(args)
    i = 0  # 0-based index of the next argument
    endianness = "="

    def arg(j: int) -> Any:
        return vals[j] if j < len(vals) else None

    def setarg(j: int, v: Any) -> None:
        while len(vals) <= j:
            vals.append(None)
        vals[j] = v

    def translate(m: re.Match[str]) -> str:
        nonlocal i, endianness
        o, digits = m.group(1), m.group(2)
        if o in "=<>":
            endianness = o
            return o
        n = _count(digits)
        if o == "H":
            if not n > 0:
                lua_error("n cannot be 0")
            new = "="  # hex strings are packed as raw bytes, native order irrelevant
            for j in range(i, i + n):
                setarg(j, _hex_to_bytes(arg(j)))
                new += "c%d" % len(arg(j))
            i += n
            return new + endianness
        if o == "B":
            return lua_error('pack option "B" is no longer supported')
        if o in _STR_OPTS:
            i += n
            return _STR_OPTS[o] * n
        if o == "A":
            if not n > 0:
                lua_error("n cannot be 0")
            new = ""
            for j in range(i, i + n):
                new += "c%d" % ops.length(arg(j))
            i += n
            return new
        if o in _INT_OPTS:
            code, mask = _INT_OPTS[o]
            for j in range(i, i + n):
                v = _tointeger(arg(j))
                if v is None:
                    lua_error("assertion failed!")
                setarg(j, v & mask if mask != -1 else v)
            i += n
            return code * n
        if o != "x":
            i += n
        return o * n

    fmt = _TOKEN.sub(translate, fmt)
    # table.unpack(args): up to the border of the packed argument table
    t = LuaTable.from_list(vals)
    return str_pack(fmt, *t.to_list())


def unpack(format: Any = None, data: Any = None, init: Any = None, *_: Any) -> tuple[Any, ...]:
    """Unpack ``data`` from position ``init``: the next position, then the values."""
    fmt = "!1=" + ops.tostring(format) if isinstance(format, str | int | float) else None
    if fmt is None:
        lua_error(f"attempt to concatenate a {ops.type_(format)} value (local 'format')")
    if isinstance(init, int | float) and not isinstance(init, bool) and init <= 0:
        init = 1
    endianness = "="
    fixer: list[tuple[str, int]] = []
    i = 0

    def translate(m: re.Match[str]) -> str:
        nonlocal i, endianness
        o, digits = m.group(1), m.group(2)
        n = _count(digits)
        if o in "=<>":
            endianness = o
            return m.group(0)  # nselib's callback returns nothing: gsub keeps the text
        i += 1
        if o in "HB":
            fixer.append((o, i))
            return "=c%d%s" % (n, endianness)
        if o in _STR_OPTS:
            return _STR_OPTS[o] * n
        if o == "A":
            return "c%d" % n
        if o in _INT_OPTS:
            return _INT_OPTS[o][0] * n
        return o * n

    fmt = _TOKEN.sub(translate, fmt)
    try:
        vals = list(str_unpack(fmt, data, init))
    except LuaError:
        return (1,)
    for what, which in fixer:
        v = vals[which - 1] if which - 1 < len(vals) else None
        if not isinstance(v, str):
            lua_error(f"attempt to index a {ops.type_(v)} value (field '?')")
        if what == "H":
            vals[which - 1] = "".join("%02X" % ord(c) for c in v)
        else:
            vals[which - 1] = "".join(f"{ord(c):08b}" for c in v)
    return (vals[-1], *vals[:-1])
