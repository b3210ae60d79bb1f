"""``require "bits"``: bit helpers as nmap's bits.lua (``reverse``, ``arshift``)."""

from __future__ import annotations

from typing import Any

from nse.lib._util import check_int, lua_error, lua_tostring
from nse.lua.numfmt import wrap_int

__all__ = ["reverse", "arshift"]


def reverse(n: Any = None, size: Any = None, *_: Any) -> int:
    """Reverse the bit order of an 8-bit (default) or 32-bit value."""
    if size is None or size is False or size == 8:
        v = check_int(n, 1, "reverse") & 0xFF
        return int(f"{v:08b}"[::-1], 2)
    if size == 32:
        v = check_int(n, 1, "reverse") & 0xFFFFFFFF
        return int(f"{v:032b}"[::-1], 2)
    # nselib: error("invalid size: "..size) -- concat of a non-string raises differently
    if not isinstance(size, str | int | float) or isinstance(size, bool):
        lua_error(f"attempt to concatenate a {_tn(size)} value (local 'size')")
    return lua_error("invalid size: " + lua_tostring(size))


def _tn(v: Any) -> str:
    from nse.lib._util import typename

    return typename(v)


def arshift(a: Any = None, b: Any = None, *_: Any) -> int:
    """Arithmetic right shift of ``a`` by ``b`` bits, exactly as nselib computes it.

    nselib rounds a negative odd ``a`` up after floor division (``a // 2^b + 1``); that
    is reproduced, quirk included.
    """
    a = check_int(a, 1, "arshift")
    b = check_int(b, 2, "arshift")
    if a < 0:
        d = wrap_int(1 << b) if 0 <= b < 64 else 0
        if d == 0:
            lua_error("attempt to perform 'n//0'")
        q = a // d
        return wrap_int(q if a % 2 == 0 else q + 1)
    if b >= 64 or b <= -64:
        return 0
    return wrap_int(a >> b) if b >= 0 else wrap_int(a << -b)
