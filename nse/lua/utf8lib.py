"""The Lua 5.4 ``utf8`` library (manual §6.5), exact to ``lutf8lib.c`` of Lua 5.4.4.

A Lua string is a Python ``str`` of byte values (chars < 256), so UTF-8 is decoded here
from those bytes, with Lua's own decoder: it accepts sequences of up to 6 bytes (code
points up to 2^31 - 1) and, unless the ``lax`` flag is given, rejects code points above
U+10FFFF and surrogates.  C strings end with a NUL byte that the C code may read; reading
past the end of the Python string yields that 0 here.
"""

from __future__ import annotations

from typing import Any

from nse.lua.errors import NOARG, arg_error, check_int, check_str, lua_error, opt_int
from nse.lua.luatable import LuaTable
from nse.lua.numfmt import tointeger

__all__ = ["open_lib", "decode", "encode"]

MAXUNICODE = 0x10FFFF
MAXUTF = 0x7FFFFFFF
_LIMITS = (0xFFFFFFFF, 0x80, 0x800, 0x10000, 0x200000, 0x4000000)
_MSG_INVALID = "invalid UTF-8 code"

#: "[\0-\x7F\xC2-\xFD][\x80-\xBF]*" (§6.5 utf8.charpattern)
CHARPATTERN = "[\x00-\x7f\xc2-\xfd][\x80-\xbf]*"


def _byte(s: str, i: int) -> int:
    """Byte ``i`` (0-based) of ``s``; the C terminator 0 past the end."""
    return ord(s[i]) if i < len(s) else 0


def _iscont(s: str, i: int) -> bool:
    return (_byte(s, i) & 0xC0) == 0x80


def decode(s: str, i: int, strict: bool) -> tuple[int, int] | None:
    """``utf8_decode`` at 0-based offset ``i``: (code point, offset after it) or None."""
    c = _byte(s, i)
    if c < 0x80:
        res = c
    else:
        res = 0
        count = 0
        while c & 0x40:  # while it needs continuation bytes...
            count += 1
            cc = _byte(s, i + count)
            if (cc & 0xC0) != 0x80:
                return None
            res = ((res << 6) | (cc & 0x3F)) & 0xFFFFFFFF
            c <<= 1
        res |= ((c & 0x7F) << (count * 5)) & 0xFFFFFFFF
        if count > 5 or res > MAXUTF or res < _LIMITS[count]:
            return None
        i += count
    if strict and (res > MAXUNICODE or 0xD800 <= res <= 0xDFFF):
        return None
    return res, i + 1


def encode(x: int) -> str:
    """``luaO_utf8esc``: the (extended) UTF-8 bytes of ``x`` <= 0x7FFFFFFF."""
    if x < 0x80:
        return chr(x)
    out = []
    mfb = 0x3F  # maximum that fits in the first byte
    while True:
        out.append(chr(0x80 | (x & 0x3F)))
        x >>= 6
        mfb >>= 1
        if x <= mfb:
            break
    out.append(chr(((~mfb << 1) | x) & 0xFF))
    return "".join(reversed(out))


def _truth(v: Any) -> bool:
    return v is not None and v is not False and v is not NOARG


def _strict_text(s: str) -> str | None:
    """The whole string decoded when it is valid UTF-8 under Lua's strict rules, else None.

    Python's decoder rejects exactly what strict ``utf8_decode`` rejects here: overlong
    forms, surrogates, code points above U+10FFFF (so all 5- and 6-byte forms) and
    truncated sequences; it is the fast path, Lua's decoder the fallback."""
    try:
        return s.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return None


def _posrelat(pos: int, n: int) -> int:
    """``u_posrelat``: negative positions count from the end; too negative gives 0."""
    if pos >= 0:
        return pos
    if -pos > n:
        return 0
    return n + pos + 1


def open_lib(env: LuaTable) -> LuaTable:
    """Build the ``utf8`` table (``luaopen_utf8``)."""
    U = LuaTable()

    def u_char(*args: Any) -> str:
        """§6.5: "Receives zero or more integers, converts each one to its corresponding
        UTF-8 byte sequence and returns a string with the concatenation of all these
        sequences."
        """
        parts = []
        for i, v in enumerate(args, 1):
            code = check_int(v, i, "char") & 0xFFFFFFFFFFFFFFFF
            if code > MAXUTF:
                arg_error(i, "char", "value out of range")
            parts.append(encode(code))
        return "".join(parts)

    def u_codepoint(
        s: Any = NOARG, i: Any = NOARG, j: Any = NOARG, lax: Any = NOARG, *_: Any
    ) -> Any:
        """§6.5: "Returns the code points (as integers) from all characters in s that start
        between byte position i and j (both included)."
        """
        s = check_str(s, 1, "codepoint")
        n = len(s)
        posi = _posrelat(opt_int(i, 2, "codepoint", 1), n)
        pose = _posrelat(opt_int(j, 3, "codepoint", posi), n)
        if posi < 1:
            arg_error(2, "codepoint", "out of bounds")
        if pose > n:
            arg_error(3, "codepoint", "out of bounds")
        if posi > pose:
            return ()
        if pose - posi >= 0x7FFFFFFF:
            lua_error("string slice too long")
        strict = not _truth(lax)
        if strict and posi == 1 and pose == n:
            text = _strict_text(s)
            if text is not None:
                return tuple(map(ord, text))
        out = []
        p = posi - 1
        while p < pose:
            r = decode(s, p, strict)
            if r is None:
                lua_error(_MSG_INVALID)
            code, p = r  # type: ignore[misc]
            out.append(code)
        return tuple(out)

    def u_len(s: Any = NOARG, i: Any = NOARG, j: Any = NOARG, lax: Any = NOARG, *_: Any) -> Any:
        """§6.5: "Returns the number of UTF-8 characters in string s that start between
        positions i and j (both inclusive) ... If it finds any invalid byte sequence, returns
        fail plus the position of the first invalid byte."
        """
        s = check_str(s, 1, "len")
        n = len(s)
        posi = _posrelat(opt_int(i, 2, "len", 1), n)
        posj = _posrelat(opt_int(j, 3, "len", -1), n)
        if not (1 <= posi and posi - 1 <= n):
            arg_error(2, "len", "initial position out of bounds")
        posi -= 1
        posj -= 1
        if not posj < n:
            arg_error(3, "len", "final position out of bounds")
        strict = not _truth(lax)
        if strict and posi == 0 and posj == n - 1:
            text = _strict_text(s)
            if text is not None:
                return len(text)
        count = 0
        while posi <= posj:
            r = decode(s, posi, strict)
            if r is None:
                return None, posi + 1  # fail and the position of the bad byte
            posi = r[1]
            count += 1
        return count

    def u_offset(s: Any = NOARG, n: Any = NOARG, i: Any = NOARG, *_: Any) -> Any:
        """§6.5: "Returns the position (in bytes) where the encoding of the n-th character of
        s (counting from position i) starts."
        """
        s = check_str(s, 1, "offset")
        ln = len(s)
        k = check_int(n, 2, "offset")
        posi = _posrelat(opt_int(i, 3, "offset", 1 if k >= 0 else ln + 1), ln)
        if not (1 <= posi and posi - 1 <= ln):
            arg_error(3, "offset", "position out of bounds")
        posi -= 1
        if k == 0:
            # find the beginning of the current byte sequence
            while posi > 0 and _iscont(s, posi):
                posi -= 1
        else:
            if _iscont(s, posi):
                lua_error("initial position is a continuation byte")
            if k < 0:
                while k < 0 and posi > 0:  # move back
                    posi -= 1
                    while posi > 0 and _iscont(s, posi):
                        posi -= 1
                    k += 1
            else:
                k -= 1  # do not move for the first character
                while k > 0 and posi < ln:
                    posi += 1
                    while _iscont(s, posi):  # cannot pass the final '\0'
                        posi += 1
                    k -= 1
        if k == 0:
            return posi + 1
        return None

    def _iter(strict: bool) -> Any:
        def iter_aux(s: Any = NOARG, ctl: Any = NOARG, *_: Any) -> Any:
            s = check_str(s, 1, "for iterator")
            ln = len(s)
            c = ctl if type(ctl) is int else (tointeger(ctl) or 0)  # lua_tointeger
            # lua_Unsigned n: a negative control value is huge, so the loop ends
            p = c if c >= 0 else ln
            if p < ln:
                while _iscont(s, p):  # skip continuation bytes
                    p += 1
            if p >= ln:
                return ()
            r = decode(s, p, strict)
            if r is None:
                lua_error(_MSG_INVALID)
            return p + 1, r[0]  # type: ignore[index]

        return iter_aux

    iter_strict = _iter(True)
    iter_lax = _iter(False)

    def u_codes(s: Any = NOARG, lax: Any = NOARG, *_: Any) -> Any:
        """§6.5: "Returns values so that the construction for p, c in utf8.codes(s) do body
        end will iterate over all UTF-8 characters in string s."
        """
        s = check_str(s, 1, "codes")
        return (iter_lax if _truth(lax) else iter_strict), s, 0

    U["char"] = u_char
    U["charpattern"] = CHARPATTERN
    U["codepoint"] = u_codepoint
    U["len"] = u_len
    U["offset"] = u_offset
    U["codes"] = u_codes
    return U
