"""``require "stringaux"``: string helpers as nmap's stringaux.lua (strjoin, strsplit,
filename_escape, ipattern).  Patterns are Lua patterns (nse.lua's engine)."""

from __future__ import annotations

import re
from typing import Any

from nse.lib import _rt
from nse.lib._util import LuaTable, lua_error
from nse.lua import strlib

__all__ = ["strjoin", "strsplit", "filename_escape", "ipattern"]


def strjoin(delimiter: Any = None, list_: Any = None, *_: Any) -> str:
    """``table.concat(list, delimiter)``; the delimiter must be a string."""
    if not isinstance(delimiter, str):
        lua_error("delimiter is of the wrong type! (did you get the parameters backward?)")
    return _rt.concat(list_, delimiter)  # type: ignore[no-any-return]


def strsplit(pattern: Any = None, text: Any = None, *_: Any) -> LuaTable:
    """Split ``text`` at every match of Lua pattern ``pattern``.

    nmap loops forever when the pattern matches the empty string somewhere; this raises
    an error instead.
    """
    if pattern == "":
        lua_error("delimiter matches empty string!")
    out: list[str] = []
    pos = 1
    while True:
        r = strlib.str_find(text, pattern, pos)
        first = r[0] if isinstance(r, tuple) else r
        if first is not None:
            last = r[1]
            out.append(strlib.str_sub(text, pos, first - 1))
            if last + 1 <= pos and last < first:
                lua_error("strsplit: pattern matched the empty string (nmap would loop forever)")
            pos = last + 1
        else:
            out.append(strlib.str_sub(text, pos))
            break
    return LuaTable.from_list(out)


_UNSAFE = re.compile(r"[^a-zA-Z0-9._-]")


def filename_escape(s: Any = None, *_: Any) -> str:
    """Escape a string for use as a file name (``%xx`` lowercase; ``.``/``..`` too)."""
    if s == ".":
        return "%2e"
    if s == "..":
        return "%2e%2e"
    s = strlib.str_gsub(s, "", "")[0]  # argument checking (and number -> string) as gsub
    return _UNSAFE.sub(lambda m: "%%%02x" % ord(m.group()), s)


def ipattern(pattern: Any = None, *_: Any) -> str:
    """Make a Lua pattern case-insensitive: each letter outside ``[...]`` becomes ``[xX]``."""
    p = strlib.str_gsub(pattern, "", "")[0]
    out: list[str] = []
    in_brackets = False
    i = 0
    n = len(p)
    while i < n:
        c = p[i]
        if c == "%" and i + 1 < n:
            out.append(p[i : i + 2])
            i += 2
            continue
        if not ("a" <= c <= "z" or "A" <= c <= "Z"):
            if c == "[":
                in_brackets = True
            elif c == "]":
                in_brackets = False
            out.append(c)
        elif not in_brackets:
            out.append("[" + c.lower() + c.upper() + "]")
        else:
            out.append(c)
        i += 1
    return "".join(out)
