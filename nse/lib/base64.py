"""``require "base64"``: RFC 4648 base64 as nmap's base64.lua.

``dec`` strips whitespace (Lua ``%s``), then requires a length divisible by 4; a ``=`` is
decoded as the value 0 except where it ends the input, which is how nselib behaves.
"""

from __future__ import annotations

import binascii
import re
from typing import Any

from nse.lib._util import lua_error, need_str

__all__ = ["enc", "dec"]

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_DEC = {c: i for i, c in enumerate(_ALPHABET)}
_DEC["="] = 0
# Lua's %s is C isspace: space, \t \n \v \f \r
_SPACE = re.compile(r"[ \t\n\v\f\r]+")
# groups of 4 alphabet characters, padding only at the very end
_CANONICAL = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def enc(p: Any = None, *_: Any) -> str:
    """Encode a string to base64 (padding with ``=``)."""
    s = need_str(p, 1, "enc")
    return binascii.b2a_base64(s.encode("latin-1"), newline=False).decode("ascii")


def dec(e: Any = None, *_: Any) -> str:
    """Decode a base64 string; raises ``invalid encoding: ...`` errors as nselib does."""
    s = need_str(e, 1, "dec")
    s = _SPACE.sub("", s)
    if len(s) % 4:
        lua_error("invalid encoding: input is not divisible by 4")
    if _CANONICAL.fullmatch(s):
        # the common, well-formed case: same result as the loop below, at C speed
        return binascii.a2b_base64(s.encode("ascii")).decode("latin-1")
    out = bytearray()
    done = False
    for i in range(0, len(s), 4):
        if done:
            lua_error("invalid encoding: trailing characters")
        try:
            a, b, c, d = (_DEC[ch] for ch in s[i : i + 4])
        except KeyError:
            lua_error("invalid encoding: invalid character")
        x = ((a << 2) & 0xFC) | ((b >> 4) & 0x03)
        y = ((b << 4) & 0xF0) | ((c >> 2) & 0x0F)
        z = ((c << 6) & 0xC0) | (d & 0x3F)
        if s[i + 2] == "=":
            if s[i + 3] != "=":
                lua_error("invalid encoding: invalid character")
            out.append(x)
            done = True
        elif s[i + 3] == "=":
            out += bytes((x, y))
            done = True
        else:
            out += bytes((x, y, z))
    return out.decode("latin-1")
