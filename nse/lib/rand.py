"""``require "rand"``: random strings as nmap's rand.lua (``math.random`` picks from a
charset; without one, ``openssl.rand_pseudo_bytes``, here ``os.urandom``)."""

from __future__ import annotations

import os
from typing import Any

from nse.lib import _rt
from nse.lib._util import LuaTable, check_int
from nse.lua import ops

__all__ = ["random_string", "charset", "random_alpha"]


def random_string(len_: Any = None, charset_: Any = None, *_: Any) -> str:
    """``len`` random characters from ``charset`` (a string or a table of strings), or
    ``len`` random bytes without a charset."""
    if not ops.truth(charset_):
        n = check_int(len_, 1, "rand_pseudo_bytes")
        return os.urandom(max(n, 0)).decode("latin-1")
    n = ops.length(charset_)
    out: list[Any] = []
    i = 1
    stop = len_
    while ops.le(i, stop):
        r = _rt.random(n)
        if isinstance(charset_, str):
            out.append(charset_[r - 1])
        else:
            out.append(ops.index(charset_, r))
        i += 1
    return _rt.concat(LuaTable.from_list(out))  # type: ignore[no-any-return]


def charset(left_bound: Any = None, right_bound: Any = None, charset_: Any = None, *_: Any) -> Any:
    """Append the characters ``left_bound..right_bound`` (bytes or 1-char strings) to
    ``charset`` (a new table by default) and return it."""
    t = charset_ if ops.truth(charset_) else LuaTable()
    lo = ord(left_bound[0]) if isinstance(left_bound, str) and left_bound else left_bound
    hi = ord(right_bound[0]) if isinstance(right_bound, str) and right_bound else right_bound
    if ops.lt(hi, lo):
        return t
    for i in range(check_int(lo, 1, "char"), check_int(hi, 1, "char") + 1):
        t[ops.length(t) + 1] = chr(check_int(i, 1, "char") & 0xFF)
    return t


_ALPHA = charset("a", "z")


def random_alpha(len_: Any = None, *_: Any) -> str:
    """``len`` random lowercase letters."""
    return random_string(len_, _ALPHA)
