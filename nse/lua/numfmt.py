"""Number <-> string conversions exactly as Lua 5.4 does them.

* :func:`fmt_number` is ``tostring`` for numbers (``lobject.c`` ``tostringbuff``): integers
  with ``%d``; floats with ``%.14g`` plus ``".0"`` when the result looks like an integer;
  ``inf``/``-inf``; NaN prints as glibc prints it, ``nan`` or ``-nan`` by its sign bit (on
  x86 ``0/0`` yields a NaN with the sign bit set, which Lua prints as ``-nan``).
* :func:`str2number` is ``lua_stringtonumber`` (``lobject.c`` ``luaO_str2num``): C
  whitespace around, decimal or hex integers (hex wraps modulo 2^64, decimal integers that
  overflow become floats), decimal and hex floats (``0x1p4``), no ``inf``/``nan``.
* :func:`tointeger` converts a float with an exact integer value (``lua_Number`` ->
  ``lua_Integer`` with mode F2Ieq).
"""

from __future__ import annotations

import math
import re

__all__ = ["fmt_number", "str2number", "tointeger", "wrap_int", "C_SPACE", "MAXINT", "MININT"]

MAXINT = 0x7FFFFFFFFFFFFFFF
MININT = -0x8000000000000000
_TWO64 = 1 << 64
_TWO63 = 1 << 63

#: C ``isspace`` in the "C" locale (Python's ``str.strip()`` strips more than this).
C_SPACE = " \t\n\v\f\r"


def wrap_int(v: int) -> int:
    """Reduce a Python int to signed 64 bits (two's complement wraparound)."""
    if MININT <= v <= MAXINT:
        return v
    v &= 0xFFFFFFFFFFFFFFFF
    return v - _TWO64 if v >= _TWO63 else v


def fmt_number(v: int | float) -> str:
    """Format a Lua number as ``tostring`` does (``LUAI_NUMFFORMAT`` is ``"%.14g"``)."""
    if type(v) is int:
        return str(v)
    if v != v:
        return "-nan" if math.copysign(1.0, v) < 0 else "nan"
    s = "%.14g" % v
    # lobject.c tostringbuff: "looks like an int?" -> add '.0'
    if s.lstrip("-").isdigit():
        s += ".0"
    return s


def tointeger(v: object) -> int | None:
    """Return the integer equal to ``v`` (an int, or a float with an integral value that
    fits in 64 bits), else None.  Booleans and strings are not numbers here."""
    if type(v) is int:
        return v
    if type(v) is float:
        if v.is_integer() and -9.3e18 < v < 9.3e18:
            i = int(v)
            if MININT <= i <= MAXINT:
                return i
    return None


_DEC_INT = re.compile(r"[ \t\n\v\f\r]*([-+]?)([0-9]+)[ \t\n\v\f\r]*\Z")
_HEX_INT = re.compile(r"[ \t\n\v\f\r]*([-+]?)0[xX]([0-9a-fA-F]+)[ \t\n\v\f\r]*\Z")
_DEC_FLT = re.compile(
    r"[ \t\n\v\f\r]*([-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)[ \t\n\v\f\r]*\Z"
)
_HEX_FLT = re.compile(
    r"[ \t\n\v\f\r]*([-+]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))"
    r"(?:[pP]([-+]?[0-9]+))?[ \t\n\v\f\r]*\Z"
)


def _hex_float(sign: str, digits: str, exp: str | None) -> float:
    # strtod semantics for hex floats: mantissa digits, optional binary exponent.
    if "." in digits:
        ipart, fpart = digits.split(".", 1)
    else:
        ipart, fpart = digits, ""
    mant = int((ipart + fpart) or "0", 16)
    e = (int(exp) if exp else 0) - 4 * len(fpart)
    try:
        r = math.ldexp(float(mant), e) if mant.bit_length() <= 1000 else float(mant) * 2.0**e
    except OverflowError:
        r = math.inf
    if mant.bit_length() > 53:
        # Exact rounding for long mantissas: let Python round the rational exactly.
        from fractions import Fraction

        q = Fraction(mant) * (Fraction(2) ** e)
        try:
            r = float(q)
        except OverflowError:
            r = math.inf
    return -r if sign == "-" else r


def str2number(s: str) -> int | float | None:
    """Convert a string to a Lua number as ``lua_stringtonumber``; None if not a numeral."""
    m = _DEC_INT.match(s)
    if m is not None:
        v = int(m.group(2))
        if m.group(1) == "-":
            v = -v
        if MININT <= v <= MAXINT:
            return v
        # l_str2int refuses decimal overflow; l_str2d then reads it as a float.
        return float(v)
    m = _HEX_INT.match(s)
    if m is not None:
        v = int(m.group(2), 16)
        if m.group(1) == "-":
            v = -v
        return wrap_int(v)
    if "n" in s or "N" in s:  # l_str2d rejects 'inf' and 'nan'
        return None
    m = _DEC_FLT.match(s)
    if m is not None:
        return float(m.group(1))
    m = _HEX_FLT.match(s)
    if m is not None:
        return _hex_float(m.group(1), m.group(2), m.group(3))
    return None
