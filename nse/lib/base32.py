"""``require "base32"``: RFC 4648 base32 (and the "extended hex" alphabet) as nmap's
base32.lua: ``enc(p, hexExtend)``, ``dec(b32, hexExtend)``.

Unlike base64, ``dec`` does not strip whitespace and is case-sensitive.
"""

from __future__ import annotations

from typing import Any

from nse.lib._util import lua_error, need_str

__all__ = ["enc", "dec"]

_STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_HEX = "0123456789ABCDEFGHIJKLMNOPQRSTUV"
_DSTD = {c: i for i, c in enumerate(_STD)} | {"=": 0}
_DHEX = {c: i for i, c in enumerate(_HEX)} | {"=": 0}
# bytes in the last group -> significant output characters
_KEEP = {1: 2, 2: 4, 3: 5, 4: 7}


def _group(alpha: str, chunk: bytes) -> str:
    n = int.from_bytes(chunk.ljust(5, b"\0"), "big")
    return "".join(alpha[(n >> (35 - 5 * k)) & 0x1F] for k in range(8))


def enc(p: Any = None, hexExtend: Any = None, *_: Any) -> str:
    """Encode to base32; a true ``hexExtend`` selects the base32hex alphabet."""
    s = need_str(p, 1, "enc").encode("latin-1")
    alpha = _HEX if hexExtend is not None and hexExtend is not False else _STD
    out = []
    full = len(s) - len(s) % 5
    for i in range(0, full, 5):
        out.append(_group(alpha, s[i : i + 5]))
    m = len(s) % 5
    if m:
        keep = _KEEP[m]
        out.append(_group(alpha, s[full:])[:keep] + "=" * (8 - keep))
    return "".join(out)


def dec(b32: Any = None, hexExtend: Any = None, *_: Any) -> str:
    """Decode base32; raises ``invalid encoding: ...`` errors as nselib does."""
    s = need_str(b32, 1, "dec")
    table = _DHEX if hexExtend is not None and hexExtend is not False else _DSTD
    if len(s) % 8:
        lua_error("invalid encoding: input is not divisible by 8")
    out = bytearray()
    done = False
    bad = "invalid encoding: invalid character"
    for i in range(0, len(s), 8):
        if done:
            lua_error("invalid encoding: trailing characters")
        grp = s[i : i + 8]
        try:
            a, b, c, d, e, f, g, h = (table[ch] for ch in grp)
        except KeyError:
            lua_error(bad)
        v = ((a << 3) & 0xF8) | ((b >> 2) & 0x07)
        w = ((b << 6) & 0xC0) | ((c << 1) & 0x3E) | ((d >> 4) & 0x01)
        x = ((d << 4) & 0xF0) | ((e >> 1) & 0x0F)
        y = ((e << 7) & 0x80) | ((f << 2) & 0x7C) | ((g >> 3) & 0x03)
        z = ((g << 5) & 0xE0) | (h & 0x1F)
        # the first '=' decides how many bytes the group holds (nselib's checks, in order)
        if grp[2] == "=":
            if grp[3:] != "=====":
                lua_error(bad)
            out.append(v)
            done = True
        elif grp[3] == "=":
            lua_error(bad)
        elif grp[4] == "=":
            if grp[5:] != "===":
                lua_error(bad)
            out += bytes((v, w))
            done = True
        elif grp[5] == "=":
            if grp[6:] != "==":
                lua_error(bad)
            out += bytes((v, w, x))
            done = True
        elif grp[6] == "=":
            lua_error(bad)
        elif grp[7] == "=":
            out += bytes((v, w, x, y))
            done = True
        else:
            out += bytes((v, w, x, y, z))
    return out.decode("latin-1")
