"""``string.format`` exactly as Lua 5.4.4 (manual §6.4, lstrlib.c ``str_format``) with
glibc's ``printf`` behind it.

Lua checks every conversion specification itself (flags allowed per conversion, at most two
digits of width and of precision, no width starting with ``0``) and then hands it to C's
``sprintf`` with ``long long``/``double`` arguments.  Here each conversion is produced in
Python: integers by :func:`_fmt_int` (C semantics of precision, ``#``, ``0`` and sign
flags, two's complement for ``%x``/``%o``/``%u``), finite floats by Python's ``%``
operator (whose ``e``/``f``/``g`` are C's, correctly rounded like glibc), ``inf``/``nan``
spelt as glibc spells them (``-nan`` when the sign bit is set), ``%a`` by
:func:`_fmt_hexfloat` which reproduces glibc's ``__printf_fphex`` (normalised ``0x1.``
mantissa, subnormals as ``0x0.…p-1022``, round-half-even at the given precision, a carry
shows as ``0x2``).
"""

from __future__ import annotations

import math
from typing import Any

from nse.lua.errors import NOARG, LuaError, arg_error, check_num, where
from nse.lua.numfmt import MININT, fmt_number
from nse.lua.strpack import check_int

__all__ = ["str_format", "quote_string", "fmt_hexfloat"]

_FLAGS_F = "-+#0 "  # a A e E f g G
_FLAGS_X = "-#0"  # o x X
_FLAGS_I = "-+0 "  # d i
_FLAGS_U = "-0"  # u
_FLAGS_C = "-"  # c p s
_MAX_FORMAT = 32
_M64 = (1 << 64) - 1


def _error(msg: str) -> Any:
    raise LuaError(where(1) + msg)


def _tolstring(v: Any) -> str:
    """luaL_tolstring (``__tostring``, ``__name``)."""
    if type(v) is str:
        return v
    if type(v) is int or type(v) is float:
        return fmt_number(v)
    from nse.lua.ops import tostring

    return str(tostring(v))


def _checkformat(form: str, flags: str, precision: bool) -> None:
    """lstrlib.c ``checkformat``: flags from ``flags``, width of at most 2 digits not
    starting with 0, ``.`` and at most 2 digits of precision if allowed, then a letter."""
    i = 1
    n = len(form)
    while i < n and form[i] in flags:
        i += 1
    if form[i : i + 1] != "0":
        for _ in range(2):
            if i < n and form[i].isdigit():
                i += 1
        if precision and form[i : i + 1] == ".":
            i += 1
            for _ in range(2):
                if i < n and form[i].isdigit():
                    i += 1
    c = form[i : i + 1]
    if not (("a" <= c <= "z") or ("A" <= c <= "Z")):
        # (no position here: the message is kept with the compiled format and raised
        # with the position of the call that processes the item, see _check_msg)
        raise LuaError("invalid conversion specification: '%s'" % form)


def _parse(form: str) -> tuple[str, int, int]:
    """Split an already checked ``%[flags][width][.prec]c`` into (flags, width, precision);
    precision -1 when absent."""
    i = 1
    while form[i] in "-+ #0":
        i += 1
    flags = form[1:i]
    j = i
    while form[j].isdigit():
        j += 1
    width = int(form[i:j]) if j > i else 0
    prec = -1
    if form[j] == ".":
        k = j + 1
        while form[k].isdigit():
            k += 1
        prec = int(form[j + 1 : k]) if k > j + 1 else 0
    return flags, width, prec


def _pad(body: str, sign: str, prefix: str, flags: str, width: int, zero_ok: bool) -> str:
    total = len(sign) + len(prefix) + len(body)
    if total >= width:
        return sign + prefix + body
    if "-" in flags:
        return sign + prefix + body + " " * (width - total)
    if "0" in flags and zero_ok:
        return sign + prefix + "0" * (width - total) + body
    return " " * (width - total) + sign + prefix + body


def _fmt_int(form: str, conv: str, n: int) -> str:
    """C ``printf`` of a ``long long`` with conversion d i u o x X."""
    flags, width, prec = _parse(form)
    sign = ""
    if conv in "di":
        if n < 0:
            sign = "-"
            n = -n
        elif "+" in flags:
            sign = "+"
        elif " " in flags:
            sign = " "
    else:
        n &= _M64
    if conv == "o":
        digits = "%o" % n
    elif conv == "x":
        digits = "%x" % n
    elif conv == "X":
        digits = "%X" % n
    else:
        digits = str(n)
    if prec == 0 and n == 0:
        digits = ""
    elif prec > len(digits):
        digits = "0" * (prec - len(digits)) + digits
    prefix = ""
    if "#" in flags:
        if conv == "o" and not digits.startswith("0"):
            digits = "0" + digits
        elif conv in "xX" and n != 0:
            prefix = "0x" if conv == "x" else "0X"
    return _pad(digits, sign, prefix, flags, width, prec < 0)


def _nonfinite(x: float, flags: str, width: int, upper: bool) -> str:
    neg = math.copysign(1.0, x) < 0
    body = "inf" if x == x else "nan"
    if upper:
        body = body.upper()
    sign = "-" if neg else "+" if "+" in flags else " " if " " in flags else ""
    return _pad(body, sign, "", flags, width, False)


def _fmt_float(form: str, conv: str, x: float) -> str:
    """C ``printf`` of a double with conversion e E f g G."""
    flags, width, prec = _parse(form)
    if x != x or x in (math.inf, -math.inf):
        return _nonfinite(x, flags, width, conv in "EG")
    return form % x  # Python's %-formatting of finite floats is C's (correctly rounded)


def fmt_hexfloat(x: float, flags: str = "", width: int = 0, prec: int = -1, upper: bool = False) -> str:
    """glibc ``printf("%a")`` of a double (``%A`` with ``upper``)."""
    if x != x or x in (math.inf, -math.inf):
        return _nonfinite(x, flags, width, upper)
    neg = math.copysign(1.0, x) < 0
    x = abs(x)
    if x == 0:
        lead, frac, exp = 0, 0, 0
    else:
        m, e = math.frexp(x)  # x = m * 2**e, 0.5 <= m < 1
        if e < -1021:  # subnormal: glibc prints 0x0.<52 bits>p-1022
            lead = 0
            frac = int(math.ldexp(x, 1074))  # exact 52-bit fraction
            exp = -1022
        else:
            mant = int(math.ldexp(m, 53))  # 53 bits, top bit set
            lead = 1
            frac = mant & ((1 << 52) - 1)
            exp = e - 1
    digits = "%013x" % frac
    if prec < 0:
        digits = digits.rstrip("0")
    elif prec < 13:
        # round half to even on the dropped bits (glibc round_away, FE_TONEAREST)
        drop = 4 * (13 - prec)
        keep = frac >> drop
        rem = frac & ((1 << drop) - 1)
        half = 1 << (drop - 1)
        last_odd = (keep & 1) if prec > 0 else (lead & 1)
        if rem > half or (rem == half and last_odd):
            keep += 1
            if keep >> (4 * prec):  # carry into the leading digit
                keep &= (1 << (4 * prec)) - 1
                lead += 1
        digits = ("%0*x" % (prec, keep)) if prec > 0 else ""
    else:
        digits = digits + "0" * (prec - 13)
    body = "%x" % lead
    if digits or "#" in flags:
        body += "." + digits
    body += "p%+d" % exp
    sign = "-" if neg else "+" if "+" in flags else " " if " " in flags else ""
    r = _pad(body, sign, "0x", flags, width, True)
    return r.upper() if upper else r


def quote_string(s: str) -> str:
    """``%q`` of a string (lstrlib.c ``addquoted``): ``"``, ``\\`` and newline escaped
    with a backslash, other control bytes as ``\\ddd`` (3 digits only when a digit
    follows), everything else (including bytes >= 128) as is."""
    out = ['"']
    n = len(s)
    for i, c in enumerate(s):
        if c == '"' or c == "\\" or c == "\n":
            out.append("\\" + c)
        elif c < " " or c == "\x7f":
            if i + 1 < n and "0" <= s[i + 1] <= "9":
                out.append("\\%03d" % ord(c))
            else:
                out.append("\\%d" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _addliteral(v: Any, arg: int) -> str:
    t = type(v)
    if t is str:
        return quote_string(v)
    if t is int:
        return "0x8000000000000000" if v == MININT else str(v)
    if t is float:
        if v == math.inf:
            return "1e9999"
        if v == -math.inf:
            return "-1e9999"
        if v != v:
            return "(0/0)"
        return fmt_hexfloat(v)
    if v is None or t is bool:
        return "nil" if v is None else ("true" if v else "false")
    arg_error(arg, "format", "value has no literal form")


def _pointer(v: Any) -> str:
    if v is None or type(v) in (bool, int, float) or v is NOARG:
        return "(null)"
    return "0x%012x" % id(v)


_PY_INT = frozenset(("Id", "Ii", "Iu", "Io", "Ix", "IX"))
_INT_FLAGS = {"d": _FLAGS_I, "i": _FLAGS_I, "u": _FLAGS_U, "o": _FLAGS_X, "x": _FLAGS_X,
              "X": _FLAGS_X}


def _check_msg(form: str, flags: str, precision: bool) -> str | None:
    try:
        _checkformat(form, flags, precision)
    except LuaError as e:  # keep Lua's order: raised when the item is processed
        return str(e)
    return None


def _compile(fmt: str) -> list[Any]:
    """Split a format string into literal strings and conversion items
    ``(conv, form, error-or-None)``; ``conv`` is "" for "invalid format (too long)"."""
    items: list[Any] = []
    i = 0
    n = len(fmt)
    while i < n:
        k = fmt.find("%", i)
        if k < 0:
            items.append(fmt[i:])
            break
        if k > i:
            items.append(fmt[i:k])
        i = k + 1
        if fmt[i : i + 1] == "%":
            items.append("%")
            i += 1
            continue
        j = i
        while j < n and fmt[j] in "-+#0 123456789.":
            j += 1
        ln = j - i + 1  # flags, width, precision and the conversion char
        if ln >= _MAX_FORMAT - 10:
            items.append(("", "", "invalid format (too long)"))
            break  # raised when reached: nothing after it matters
        conv = fmt[j : j + 1]
        form = "%" + fmt[i : j + 1]
        i = j + 1
        err: str | None = None
        if conv == "c" or conv == "p":
            err = _check_msg(form, _FLAGS_C, False)
        elif conv in _INT_FLAGS:
            err = _check_msg(form, _INT_FLAGS[conv], True)
            if err is None and "." not in form and "#" not in form:
                # without precision or '#', Python's % is C's printf for integers
                conv = "I" + conv
                form = form[:-1] + ("d" if conv == "Iu" else conv[1])
        elif conv in ("a", "A", "f", "e", "E", "g", "G"):
            err = _check_msg(form, _FLAGS_F, True)
        elif conv == "s":
            err = _check_msg(form, _FLAGS_C, True) if len(form) > 2 else None
        elif conv == "q":
            err = "specifier '%q' cannot have modifiers" if len(form) > 2 else None
        else:
            err = "invalid conversion '%s' to 'format'" % form
            conv = "?"
        items.append((conv, form, err))
    return items


_compiled: dict[str, list[Any]] = {}


def str_format(fmt: Any = NOARG, *args: Any) -> str:
    """string.format (§6.4): C ``printf``-like formatting with Lua's checks and the extra
    conversions ``%q`` (a Lua literal) and ``%s`` of any value (``tostring``)."""
    if type(fmt) is not str:
        from nse.lua.errors import check_str

        fmt = check_str(fmt, 1, "format")
    items = _compiled.get(fmt)
    if items is None:
        items = _compile(fmt)
        if len(_compiled) > 4096:
            _compiled.clear()
        _compiled[fmt] = items
    top = len(args) + 1
    out: list[str] = []
    arg = 1
    for it in items:
        if type(it) is str:
            out.append(it)
            continue
        conv, form, err = it
        arg += 1
        if arg > top:
            arg_error(arg, "format", "no value")
        v = args[arg - 2]
        # each branch checks in lstrlib.c's order (argument first or format first)
        if conv == "s":
            sv = v if type(v) is str else _tolstring(v)
            if len(form) == 2:
                out.append(sv)
            else:
                if "\0" in sv:
                    arg_error(arg, "format", "string contains zeros")
                if err:
                    _error(err)
                if "." not in form and len(sv) >= 100:
                    out.append(sv)  # no precision and too long to be formatted: as is
                else:
                    out.append(form % sv)
        elif conv == "d" or conv == "i":
            iv = v if type(v) is int else check_int(v, arg, "format")
            if err:
                _error(err)
            out.append(str(iv) if len(form) == 2 else _fmt_int(form, conv, iv))
        elif conv in _PY_INT:
            iv = v if type(v) is int else check_int(v, arg, "format")
            if iv < 0 and conv != "Id" and conv != "Ii":
                iv &= _M64  # %u %o %x %X print the two's complement
            out.append(form % iv)
        elif conv in _INT_FLAGS:
            iv = v if type(v) is int else check_int(v, arg, "format")
            if err:
                _error(err)
            out.append(_fmt_int(form, conv, iv))
        elif conv == "c":
            if err:
                _error(err)
            c = check_int(v, arg, "format") & 0xFF
            flags, width, _ = _parse(form)
            out.append(_pad(chr(c), "", "", flags, width, False))
        elif conv == "a" or conv == "A":
            if err:
                _error(err)
            x = float(check_num(v, arg, "format"))
            flags, width, prec = _parse(form)
            out.append(fmt_hexfloat(x, flags, width, prec, conv == "A"))
        elif conv in ("f", "e", "E", "g", "G"):
            x = float(v) if type(v) is float or type(v) is int else float(check_num(v, arg, "format"))
            if err:
                _error(err)
            out.append(_fmt_float(form, conv, x))
        elif conv == "p":
            if err:
                _error(err)
            flags, width, _ = _parse(form)
            out.append(_pad(_pointer(v), "", "", flags, width, False))
        elif conv == "q":
            if err:
                _error(err)
            out.append(_addliteral(v, arg))
        else:
            _error(err or "invalid conversion")
    return "".join(out)
