"""``string.pack``, ``string.packsize`` and ``string.unpack`` (manual §6.4.2) as Lua 5.4.4
on x86-64 Linux (lstrlib.c): native little endian, ``int`` 4 bytes, ``short`` 2, ``long``
/``size_t``/``lua_Integer`` 8, native maximum alignment 8, sizes limited to ``INT_MAX``.

A format string ends at its first ``\\0`` byte, as the C code reads it as a C string.
"""

from __future__ import annotations

import math
import struct
from typing import Any

from nse.lua.errors import NOARG, LuaError, arg_error, check_num, check_str, where
from nse.lua.errors import check_int as _core_check_int
from nse.lua.numfmt import str2number

__all__ = ["str_pack", "str_packsize", "str_unpack"]

_MAXINTSIZE = 16
_SZINT = 8
_MAXSIZE = 0x7FFFFFFF
_MAXALIGN = 8  # offsetof(struct cD, u) on x86-64
_M64 = (1 << 64) - 1

# option kinds
_KINT, _KUINT, _KFLOAT, _KNUMBER, _KDOUBLE, _KCHAR, _KSTRING, _KZSTR = range(8)
_KPADDING, _KPADDALIGN, _KNOP = 8, 9, 10

_FIXED = {
    "b": (1, _KINT),
    "B": (1, _KUINT),
    "h": (2, _KINT),
    "H": (2, _KUINT),
    "l": (8, _KINT),
    "L": (8, _KUINT),
    "j": (8, _KINT),
    "J": (8, _KUINT),
    "T": (8, _KUINT),
    "f": (4, _KFLOAT),
    "n": (8, _KNUMBER),
    "d": (8, _KDOUBLE),
}


def _error(msg: str) -> Any:
    raise LuaError(where(1) + msg)


def check_int(v: Any, argn: int, fname: str) -> int:
    """luaL_checkinteger, also for numeric strings holding an integer (``"3"``), which
    ``errors.check_int`` rejects at the time of writing."""
    if type(v) is str:
        n = str2number(v)
        if type(n) is int:
            return n
    return _core_check_int(v, argn, fname)


def opt_int(v: Any, argn: int, fname: str, default: int) -> int:
    """luaL_optinteger on top of :func:`check_int`."""
    if v is None or v is NOARG:
        return default
    return check_int(v, argn, fname)


class _Reader:
    """The format string being read plus the header state (endianness, max alignment)."""

    __slots__ = ("fmt", "i", "little", "maxalign", "fname")

    def __init__(self, fmt: str, fname: str) -> None:
        k = fmt.find("\0")
        self.fmt = fmt if k < 0 else fmt[:k]
        self.i = 0
        self.little = True
        self.maxalign = 1
        self.fname = fname

    def more(self) -> bool:
        return self.i < len(self.fmt)

    def _getnum(self, df: int) -> int:
        fmt = self.fmt
        i = self.i
        if i >= len(fmt) or not "0" <= fmt[i] <= "9":
            return df
        a = 0
        while True:
            a = a * 10 + ord(fmt[i]) - 48
            i += 1
            if not (i < len(fmt) and "0" <= fmt[i] <= "9" and a <= (_MAXSIZE - 9) // 10):
                break
        self.i = i
        return a

    def _getnumlimit(self, df: int) -> int:
        sz = self._getnum(df)
        if sz > _MAXINTSIZE or sz <= 0:
            _error("integral size (%d) out of limits [1,%d]" % (sz, _MAXINTSIZE))
        return sz

    def getoption(self) -> tuple[int, int]:
        """lstrlib.c ``getoption``: (kind, size) of the next option."""
        opt = self.fmt[self.i]
        self.i += 1
        fx = _FIXED.get(opt)
        if fx is not None:
            return fx[1], fx[0]
        if opt == "i":
            return _KINT, self._getnumlimit(4)
        if opt == "I":
            return _KUINT, self._getnumlimit(4)
        if opt == "s":
            return _KSTRING, self._getnumlimit(8)
        if opt == "c":
            size = self._getnum(-1)
            if size == -1:
                _error("missing size for format option 'c'")
            return _KCHAR, size
        if opt == "z":
            return _KZSTR, 0
        if opt == "x":
            return _KPADDING, 1
        if opt == "X":
            return _KPADDALIGN, 0
        if opt == " ":
            pass
        elif opt == "<" or opt == "=":
            self.little = True
        elif opt == ">":
            self.little = False
        elif opt == "!":
            self.maxalign = self._getnumlimit(_MAXALIGN)
        else:
            _error("invalid format option '%s'" % opt)
        return _KNOP, 0

    def getdetails(self, totalsize: int) -> tuple[int, int, int]:
        """lstrlib.c ``getdetails``: (kind, size, padding needed for alignment)."""
        opt, size = self.getoption()
        align = size
        if opt == _KPADDALIGN:
            if not self.more():
                arg_error(1, self.fname, "invalid next option for option 'X'")
            nopt, align = self.getoption()
            if nopt == _KCHAR or align == 0:
                arg_error(1, self.fname, "invalid next option for option 'X'")
        if align <= 1 or opt == _KCHAR:
            return opt, size, 0
        if align > self.maxalign:
            align = self.maxalign
        if align & (align - 1):
            arg_error(1, self.fname, "format asks for alignment not power of 2")
        return opt, size, (align - (totalsize & (align - 1))) & (align - 1)


def _packint(n: int, little: bool, size: int, neg: bool) -> bytes:
    u = n & _M64
    if neg and size > _SZINT:
        u |= ((1 << (8 * (size - _SZINT))) - 1) << 64  # sign-extend the extra bytes
    b = (u & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
    return b if little else b[::-1]


def _float_bytes(x: float, code: str, little: bool) -> bytes:
    e = "<" if little else ">"
    try:
        return struct.pack(e + code, x)
    except OverflowError:  # (float)x of a huge double is +-inf in C
        return struct.pack(e + code, math.copysign(math.inf, x))


def str_pack(fmt: Any = NOARG, *args: Any) -> str:
    """string.pack (§6.4.2): the values serialised per the format."""
    r = _Reader(check_str(fmt, 1, "pack"), "pack")
    out: list[bytes] = []
    totalsize = 0
    arg = 1
    nargs = len(args)
    while r.more():
        opt, size, ntoalign = r.getdetails(totalsize)
        totalsize += ntoalign + size
        if ntoalign:
            out.append(b"\0" * ntoalign)
        arg += 1
        # str_pack pushes a nil after its arguments: the first missing one is "nil"
        v = args[arg - 2] if arg - 2 < nargs else None
        if opt == _KINT:
            n = check_int(v, arg, "pack")
            if size < _SZINT:
                lim = 1 << (size * 8 - 1)
                if not -lim <= n < lim:
                    arg_error(arg, "pack", "integer overflow")
            out.append(_packint(n, r.little, size, n < 0))
        elif opt == _KUINT:
            n = check_int(v, arg, "pack")
            if size < _SZINT and (n & _M64) >= (1 << (size * 8)):
                arg_error(arg, "pack", "unsigned overflow")
            out.append(_packint(n, r.little, size, False))
        elif opt == _KFLOAT:
            out.append(_float_bytes(float(check_num(v, arg, "pack")), "f", r.little))
        elif opt == _KNUMBER or opt == _KDOUBLE:
            out.append(_float_bytes(float(check_num(v, arg, "pack")), "d", r.little))
        elif opt == _KCHAR:
            s = check_str(v, arg, "pack")
            if len(s) > size:
                arg_error(arg, "pack", "string longer than given size")
            out.append(s.encode("latin-1") + b"\0" * (size - len(s)))
        elif opt == _KSTRING:
            s = check_str(v, arg, "pack")
            if not (size >= 8 or len(s) < (1 << (size * 8))):
                arg_error(arg, "pack", "string length does not fit in given size")
            out.append(_packint(len(s), r.little, size, False))
            out.append(s.encode("latin-1"))
            totalsize += len(s)
        elif opt == _KZSTR:
            s = check_str(v, arg, "pack")
            if "\0" in s:
                arg_error(arg, "pack", "string contains zeros")
            out.append(s.encode("latin-1") + b"\0")
            totalsize += len(s) + 1
        else:
            if opt == _KPADDING:
                out.append(b"\0")
            arg -= 1
    return b"".join(out).decode("latin-1")


def str_packsize(fmt: Any = NOARG, *_: Any) -> int:
    """string.packsize (§6.4.2): the size of a pack result; no variable-length options."""
    r = _Reader(check_str(fmt, 1, "packsize"), "packsize")
    totalsize = 0
    while r.more():
        opt, size, ntoalign = r.getdetails(totalsize)
        if opt == _KSTRING or opt == _KZSTR:
            arg_error(1, "packsize", "variable-length format")
        size += ntoalign
        if totalsize > _MAXSIZE - size:
            arg_error(1, "packsize", "format result too large")
        totalsize += size
    return totalsize


def _unpackint(data: str, pos: int, little: bool, size: int, signed: bool) -> int:
    b = data[pos : pos + size].encode("latin-1")
    if not little:
        b = b[::-1]
    limit = min(size, _SZINT)
    res = int.from_bytes(b[:limit], "little")
    if size < _SZINT:
        if signed:
            mask = 1 << (size * 8 - 1)
            res = ((res ^ mask) - mask) & _M64
    elif size > _SZINT:
        mask = 0 if (not signed or res < (1 << 63)) else 0xFF
        for i in range(limit, size):
            if b[i] != mask:
                _error("%d-byte integer does not fit into Lua Integer" % size)
    return res - (1 << 64) if res >= (1 << 63) else res


def str_unpack(fmt: Any = NOARG, data: Any = NOARG, init: Any = None, *_: Any) -> tuple[Any, ...]:
    """string.unpack (§6.4.2): the values read from ``data`` at ``init``, then the
    position after them."""
    r = _Reader(check_str(fmt, 1, "unpack"), "unpack")
    data = check_str(data, 2, "unpack")
    ld = len(data)
    ipos = opt_int(init, 3, "unpack", 1)
    # posrelatI
    if ipos > 0:
        pos = ipos - 1
    elif ipos == 0 or ipos < -ld:
        pos = 0
    else:
        pos = ld + ipos
    if pos > ld:
        arg_error(3, "unpack", "initial position out of string")
    out: list[Any] = []
    while r.more():
        opt, size, ntoalign = r.getdetails(pos)
        if ntoalign + size > ld - pos:
            arg_error(2, "unpack", "data string too short")
        pos += ntoalign
        if opt == _KINT or opt == _KUINT:
            out.append(_unpackint(data, pos, r.little, size, opt == _KINT))
        elif opt == _KFLOAT:
            out.append(struct.unpack(("<f" if r.little else ">f"), data[pos : pos + 4].encode("latin-1"))[0])
        elif opt == _KNUMBER or opt == _KDOUBLE:
            out.append(struct.unpack(("<d" if r.little else ">d"), data[pos : pos + 8].encode("latin-1"))[0])
        elif opt == _KCHAR:
            out.append(data[pos : pos + size])
        elif opt == _KSTRING:
            ln = _unpackint(data, pos, r.little, size, False) & _M64
            if ln > ld - pos - size:
                arg_error(2, "unpack", "data string too short")
            out.append(data[pos + size : pos + size + ln])
            pos += ln
        elif opt == _KZSTR:
            k = data.find("\0", pos)
            ln = (ld if k < 0 else k) - pos
            if pos + ln >= ld:
                arg_error(2, "unpack", "unfinished string for format 'z'")
            out.append(data[pos : pos + ln])
            pos += ln + 1
        pos += size
    out.append(pos + 1)
    return tuple(out)


# ----------------------------------------------------------------------------- fast path
# A format is parsed once into a plan of steps; a call runs the plan and, at the first
# value that is not of the plain expected type or does not fit (or data too short), redoes
# the whole call on the reference path above, which raises lstrlib.c's exact error (pack
# and unpack have no side effects, so a restart is unobservable).  Formats whose parsing
# fails, or that need alignment padding or odd integer sizes, always take that path.
# Runs of fixed-size numbers become one ``struct.Struct``.

_STRUCT_INT = {1: "b", 2: "h", 4: "i", 8: "q"}
_plans: dict[str, Any] = {}
_NOPLAN = False


def _make_plan(fmt: str) -> Any:
    """The steps of ``fmt`` or ``_NOPLAN``: ("N", Struct, kinds) runs of numbers,
    ("s", size, lenStruct) / ("z",) / ("c", size) / ("x",) for the others."""
    r = _Reader(fmt, "pack")
    steps: list[tuple[Any, ...]] = []
    run: list[str] = []
    kinds: list[tuple[int, int]] = []
    run_little = True

    def flush() -> None:
        if run:
            st = struct.Struct(("<" if run_little else ">") + "".join(run))
            steps.append(("N", st, tuple(kinds)))
            run.clear()
            kinds.clear()

    try:
        while r.more():
            opt, size, ntoalign = r.getdetails(0)
            if opt == _KNOP:
                continue
            if ntoalign or opt == _KPADDALIGN or r.maxalign > 1:
                return _NOPLAN
            if opt in (_KINT, _KUINT, _KFLOAT, _KNUMBER, _KDOUBLE):
                if opt in (_KINT, _KUINT):
                    code = _STRUCT_INT.get(size)
                    if code is None:
                        return _NOPLAN
                    if opt == _KUINT and size < 8:
                        code = code.upper()
                else:
                    code = "f" if opt == _KFLOAT else "d"
                if run and r.little != run_little:
                    flush()
                run_little = r.little
                run.append(code)
                kinds.append((opt, size))
                continue
            flush()
            if opt == _KSTRING:
                code = _STRUCT_INT.get(size)
                if code is None:
                    return _NOPLAN
                steps.append(("s", size, struct.Struct(("<" if r.little else ">")
                                                       + code.upper())))
            elif opt == _KZSTR:
                steps.append(("z",))
            elif opt == _KCHAR:
                steps.append(("c", size))
            elif opt == _KPADDING:
                steps.append(("x",))
            else:
                return _NOPLAN
    except LuaError:
        return _NOPLAN
    flush()
    return tuple(steps)


def _plan(fmt: Any) -> Any:
    if type(fmt) is not str:
        return _NOPLAN
    p = _plans.get(fmt)
    if p is None:
        if len(_plans) > 512:
            _plans.clear()
        p = _plans[fmt] = _make_plan(fmt)
    return p


class _Slow(Exception):
    """Internal: take the reference path."""


def _pack_fast(steps: Any, args: tuple[Any, ...]) -> str:
    out: list[bytes] = []
    i = 0
    nargs = len(args)
    for step in steps:
        tag = step[0]
        if tag == "N":
            kinds = step[2]
            n = len(kinds)
            if i + n > nargs:
                raise _Slow
            vals = args[i : i + n]
            # (an unsigned 8-byte option packs with 'q': a negative Lua integer is the
            # same 8 bytes as its unsigned value, lstrlib.c packint)
            for (opt, _size), v in zip(kinds, vals, strict=True):
                tv = type(v)
                if opt == _KINT or opt == _KUINT:
                    if tv is not int:
                        raise _Slow
                elif tv is not float and tv is not int:
                    raise _Slow
            try:
                out.append(step[1].pack(*vals))
            except (struct.error, OverflowError):
                raise _Slow from None
            i += n
        elif tag == "x":
            out.append(b"\0")
        else:
            if i >= nargs:
                raise _Slow
            s = args[i]
            i += 1
            if type(s) is not str:
                raise _Slow
            if tag == "s":
                size = step[1]
                if size < 8 and len(s) >= (1 << (size * 8)):
                    raise _Slow
                out.append(step[2].pack(len(s)))
                out.append(s.encode("latin-1"))
            elif tag == "z":
                if "\0" in s:
                    raise _Slow
                out.append(s.encode("latin-1") + b"\0")
            else:  # "c"
                size = step[1]
                if len(s) > size:
                    raise _Slow
                out.append(s.encode("latin-1") + b"\0" * (size - len(s)))
    return b"".join(out).decode("latin-1")


def _unpack_fast(steps: Any, data: str, pos: int) -> tuple[Any, ...]:
    out: list[Any] = []
    ld = len(data)
    for step in steps:
        tag = step[0]
        if tag == "N":
            st = step[1]
            end = pos + st.size
            if end > ld:
                raise _Slow
            out.extend(st.unpack(data[pos:end].encode("latin-1")))
            pos = end
        elif tag == "s":
            st = step[2]
            end = pos + st.size
            if end > ld:
                raise _Slow
            ln = st.unpack(data[pos:end].encode("latin-1"))[0]
            if ln > ld - end:
                raise _Slow
            out.append(data[end : end + ln])
            pos = end + ln
        elif tag == "z":
            k = data.find("\0", pos)
            if k < 0:
                raise _Slow
            out.append(data[pos:k])
            pos = k + 1
        elif tag == "c":
            end = pos + step[1]
            if end > ld:
                raise _Slow
            out.append(data[pos:end])
            pos = end
        else:  # "x"
            if pos + 1 > ld:
                raise _Slow
            pos += 1
    out.append(pos + 1)
    return tuple(out)


_pack_ref = str_pack
_unpack_ref = str_unpack


def str_pack(fmt: Any = NOARG, *args: Any) -> str:  # type: ignore[no-redef]  # noqa: F811 - the fast front
    """string.pack (§6.4.2): the values serialised per the format."""
    steps = _plan(fmt)
    if steps is not _NOPLAN:
        try:
            return _pack_fast(steps, args)
        except _Slow:
            pass
    return _pack_ref(fmt, *args)


def str_unpack(fmt: Any = NOARG, data: Any = NOARG, init: Any = None,  # type: ignore[no-redef]  # noqa: F811
               *_: Any) -> tuple[Any, ...]:
    """string.unpack (§6.4.2): the values read from ``data`` at ``init``, then the
    position after them."""
    steps = _plan(fmt)
    if steps is not _NOPLAN and type(data) is str:
        if init is None:
            pos = 0
        elif type(init) is int and 0 < init <= len(data) + 1:
            pos = init - 1
        else:
            return _unpack_ref(fmt, data, init)
        try:
            return _unpack_fast(steps, data, pos)
        except _Slow:
            pass
    return _unpack_ref(fmt, data, init)
