"""``require "unicode"``: code-point encoders/decoders as nmap's unicode.lua.

Decoders have the shape ``dec(buf, pos, bigendian) -> next_pos, codepoint`` and encoders
``enc(codepoint, bigendian) -> string``; ``decode``/``encode``/``transcode`` drive any pair
(Lua functions too).  nmap's behaviour on bad input is kept: ``utf8_dec`` returns
``nil, message`` (and treats a stray continuation byte as a two-byte lead), ``decode`` then
fails comparing nil with a number, ``utf16_dec`` does not check the low surrogate and fails
with ``data string too short`` on a truncated buffer.  Code page 437 is the standard IBM
table (Python's ``cp437`` codec, which is the table nselib spells out).
"""

from __future__ import annotations

from typing import Any

from nse.lib import _rt
from nse.lib._util import LuaTable, lua_error
from nse.lua import ops
from nse.lua.strpack import str_pack, str_unpack

__all__ = [
    "decode", "encode", "transcode", "chardet", "utf16_enc", "utf16_dec", "utf8_enc",
    "utf8_dec", "cp437_enc", "cp437_dec", "utf16to8", "utf8to16",
]  # fmt: skip

_CP437_DEC = {b: ord(bytes([b]).decode("cp437")) for b in range(0x80, 0x100)}
_CP437_ENC = {cp: b for b, cp in _CP437_DEC.items()}


def _le(a: Any, b: Any) -> bool:
    return ops.le(a, b)


def decode(buf: Any = None, decoder: Any = None, bigendian: Any = None, *_: Any) -> LuaTable:
    """All code points of ``buf`` decoded with ``decoder``."""
    cp = LuaTable()
    pos: Any = 1
    while _le(pos, ops.length(buf)):
        r = ops.mv(ops.call(decoder, buf, pos, bigendian)) + (None, None)
        pos = r[0]
        cp[len(cp) + 1] = r[1]
    return cp


def encode(list_: Any = None, encoder: Any = None, bigendian: Any = None, *_: Any) -> str:
    """The code points of ``list`` encoded with ``encoder`` and concatenated."""
    buf = LuaTable()
    i = 1
    while (c := ops.index(list_, i)) is not None:
        buf[i] = ops.first(ops.call(encoder, c, bigendian))
        i += 1
    return _rt.concat(buf, "")  # type: ignore[no-any-return]


def transcode(
    buf: Any = None,
    decoder: Any = None,
    encoder: Any = None,
    bigendian_dec: Any = None,
    bigendian_enc: Any = None,
    *_: Any,
) -> str:
    """Decode ``buf`` and re-encode every code point."""
    out = LuaTable()
    pos: Any = 1
    while _le(pos, ops.length(buf)):
        r = ops.mv(ops.call(decoder, buf, pos, bigendian_dec)) + (None, None)
        pos = r[0]
        out[len(out) + 1] = ops.first(ops.call(encoder, r[1], bigendian_enc))
    return _rt.concat(out)  # type: ignore[no-any-return]


def chardet(buf: Any = None, len_: Any = None, *_: Any) -> str:
    """Guess ``'utf-16le'``, ``'utf-16be'``, ``'utf-8'``, ``'ascii'`` or ``'other'`` from
    the first ``len`` (100) bytes."""
    n = ops.length(buf)
    limit = len_ if ops.truth(len_) else 100
    if ops.lt(n, limit):
        limit = n
    b = [ord(c) for c in buf]
    if ops.le(2, limit):
        if b[0] == 0xFF and b[1] == 0xFE:
            return "utf-16le"
        if b[0] == 0xFE and b[1] == 0xFF:
            return "utf-16be"
        if ops.le(3, limit) and b[0] == 0xEF and b[1] == 0xBB and b[2] == 0xBF:
            return "utf-8"
    pos = 1
    high = False
    utf8 = True
    while ops.lt(pos, limit):
        c = b[pos - 1]
        if c == 0:
            return "utf-16le" if pos % 2 == 0 else "utf-16be"
        if c > 127:
            high = True
            if utf8:
                p = ops.first(utf8_dec(buf, pos))
                if p is None:
                    utf8 = False
                else:
                    pos = p
            if not utf8:
                pos += 1
        else:
            pos += 1
    if high:
        return "utf-8" if utf8 else "other"
    return "ascii"


def _bad_cp(cp: Any) -> bool:
    # cp % 1.0 ~= 0.0 or cp < 0
    return bool(ops.ne(ops.mod(cp, 1.0), 0.0) or ops.lt(cp, 0))


def utf16_enc(cp: Any = None, bigendian: Any = None, *_: Any) -> Any:
    """UTF-16 (little endian unless ``bigendian``) of a code point; nil if invalid."""
    fmt = ">I2" if ops.truth(bigendian) else "<I2"
    if _bad_cp(cp):
        return None
    if ops.le(cp, 0xFFFF):
        return str_pack(fmt, cp)
    if ops.le(cp, 0x10FFFF):
        c = ops.sub(cp, 0x10000)
        return str_pack(
            fmt + fmt, ops.add(0xD800, ops.shr(c, 10)), ops.add(0xDC00, ops.band(c, 0x3FF))
        )
    return None


def utf16_dec(buf: Any = None, pos: Any = None, bigendian: Any = None, *_: Any) -> tuple[Any, Any]:
    """``next_pos, codepoint`` of the UTF-16 unit(s) at ``pos``."""
    fmt = ">I2" if ops.truth(bigendian) else "<I2"
    cp, pos = str_unpack(fmt, buf, pos)
    if 0xD800 <= cp <= 0xDFFF:
        high = (cp - 0xD800) << 10
        cp, pos = str_unpack(fmt, buf, pos)
        cp = 0x10000 + high + cp - 0xDC00
    return pos, cp


def utf8_enc(cp: Any = None, *_: Any) -> Any:
    """UTF-8 of a code point (surrogates not excluded); nil if invalid."""
    if _bad_cp(cp):
        return None
    if ops.le(cp, 0x7F):
        return _rt.STRING["char"](cp)
    if ops.le(cp, 0x7FF):
        n, mask = 2, 0xC0
    elif ops.le(cp, 0xFFFF):
        n, mask = 3, 0xE0
    elif ops.le(cp, 0x10FFFF):
        n, mask = 4, 0xF0
    else:
        return None
    v = ops.band(cp, -1)  # an integer from here on (float cp with integral value)
    out = [""] * n
    for k in range(n - 1, 0, -1):
        out[k] = chr(0x80 + (v & 0x3F))
        v >>= 6
    out[0] = chr(mask + v)
    return "".join(out)


def utf8_dec(buf: Any = None, pos: Any = None, *_: Any) -> tuple[Any, Any]:
    """``next_pos, codepoint`` of the UTF-8 sequence at ``pos``, or ``nil, message``."""
    pos = pos if ops.truth(pos) else 1
    bv = ops.first(_rt.STRING["byte"](buf, pos))
    if ops.le(bv, 0x7F):
        return ops.add(pos, 1), bv
    if bv <= 0xDF:
        n, mask = 1, 0xC0
    elif bv <= 0xEF:
        n, mask = 2, 0xE0
    elif bv <= 0xF7:
        n, mask = 3, 0xF0
    else:
        return None, "Invalid UTF-8 byte at %s" % ops.tostring(_intfmt(pos))
    cp = bv - mask
    if ops.lt(ops.length(buf), ops.add(pos, n)):
        return None, "Incomplete UTF-8 sequence at %s" % ops.tostring(_intfmt(pos))
    for i in range(1, n + 1):
        b = ord(buf[int(pos) + i - 1])
        if b < 0x80 or b > 0xBF:
            return None, "Invalid UTF-8 sequence at %s" % ops.tostring(_intfmt(ops.add(pos, i)))
        cp = (cp << 6) + (b & 0x3F)
    return ops.add(ops.add(pos, 1), n), cp


def _intfmt(v: Any) -> Any:
    # string.format("%d", v): integral floats print as integers
    from nse.lua.numfmt import tointeger

    i = tointeger(v)
    if i is None:
        lua_error("bad argument #2 to 'format' (number has no integer representation)")
    return i


def cp437_enc(cp: Any = None, *_: Any) -> Any:
    """The code page 437 byte of a code point (nil if it has none)."""
    if ops.lt(cp, 0x80):
        return _rt.STRING["char"](cp)
    b = _CP437_ENC.get(cp) if not isinstance(cp, bool) else None
    if isinstance(cp, float) and cp.is_integer():
        b = _CP437_ENC.get(int(cp))
    return None if b is None else chr(b)


def cp437_dec(buf: Any = None, pos: Any = None, *_: Any) -> tuple[Any, Any]:
    """``next_pos, codepoint`` of the code page 437 byte at ``pos``."""
    pos = pos if ops.truth(pos) else 1
    bv = ops.first(_rt.STRING["byte"](buf, pos))
    if ops.lt(bv, 0x80):
        return ops.add(pos, 1), bv
    return ops.add(pos, 1), _CP437_DEC.get(bv)


def utf16to8(from_: Any = None, *_: Any) -> str:
    """UTF-16LE to UTF-8."""
    return transcode(from_, utf16_dec, utf8_enc, False, None)


def utf8to16(from_: Any = None, *_: Any) -> str:
    """UTF-8 to UTF-16LE."""
    return transcode(from_, utf8_dec, utf16_enc, None, False)
