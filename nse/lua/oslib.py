"""The Lua 5.4 ``os`` library (manual §6.9), exact to ``loslib.c`` of Lua 5.4.4.

Dates go through the C library itself (``localtime_r``/``gmtime_r``/``mktime``/
``strftime`` via :mod:`ctypes`), as Lua's do, so normalisation of out-of-range fields,
time zones, DST and every strftime conversion print what lua5.4 prints in the "C" locale.
The conversions ``os.date`` accepts are Lua's list for C99/POSIX (``LUA_STRFTIMEOPTIONS``).

``os.setlocale`` only knows the "C" locale (the runtime never changes locale): queries
answer "C", setting "C"/"POSIX"/"" answers "C", anything else fails (nil).
``os.exit`` raises :class:`SystemExit`; flushing output is the runner's business.
``os.execute`` runs ``/bin/sh -c`` like ``system()``, after flushing our stdout/stderr so
that earlier output comes first.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import secrets
import string
import sys
import time
from typing import Any

from nse.lua import ops
from nse.lua.errors import (
    NOARG,
    arg_error,
    c_boundary,
    check_int,
    check_str,
    check_table,
    lua_error,
    opt_int,
    opt_str,
)
from nse.lua.luatable import LuaTable
from nse.lua.numfmt import str2number, tointeger

__all__ = ["open_lib", "fileresult", "execresult", "system", "to_bytes", "cstr"]

_INT_MAX = 0x7FFFFFFF
_INT_MIN = -0x80000000

#: loslib.c L_STRFTIMEC99: one-char options, then "||" and the two-char options
_OPTS1 = frozenset("aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%")
_OPTS2 = frozenset(["Ec", "EC", "Ex", "EX", "Ey", "EY"] + ["O" + c for c in "deHImMSuUVwWy"])
_SIZETIMEFMT = 250


class _Tm(ctypes.Structure):
    """glibc ``struct tm``."""

    _fields_ = [
        ("tm_sec", ctypes.c_int),
        ("tm_min", ctypes.c_int),
        ("tm_hour", ctypes.c_int),
        ("tm_mday", ctypes.c_int),
        ("tm_mon", ctypes.c_int),
        ("tm_year", ctypes.c_int),
        ("tm_wday", ctypes.c_int),
        ("tm_yday", ctypes.c_int),
        ("tm_isdst", ctypes.c_int),
        ("tm_gmtoff", ctypes.c_long),
        ("tm_zone", ctypes.c_char_p),
    ]


_libc: Any = None


def _c() -> Any:
    """libc with the prototypes used here, loaded on first use."""
    global _libc
    if _libc is None:
        lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        tp = ctypes.POINTER(_Tm)
        pt = ctypes.POINTER(ctypes.c_int64)
        lib.localtime_r.argtypes = [pt, tp]
        lib.localtime_r.restype = tp
        lib.gmtime_r.argtypes = [pt, tp]
        lib.gmtime_r.restype = tp
        lib.mktime.argtypes = [tp]
        lib.mktime.restype = ctypes.c_int64
        lib.strftime.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, tp]
        lib.strftime.restype = ctypes.c_size_t
        _libc = lib
    return _libc


def _breakdown(t: int, utc: bool) -> _Tm | None:
    """``l_gmtime``/``l_localtime``: the broken-down time, or None if out of range."""
    tm = _Tm()
    tt = ctypes.c_int64(t)
    lib = _c()
    r = (lib.gmtime_r if utc else lib.localtime_r)(ctypes.byref(tt), ctypes.byref(tm))
    return tm if r else None


def cstr(s: str) -> str:
    """What C sees of a Lua string passed as ``const char *``: up to the first NUL."""
    i = s.find("\0")
    return s if i < 0 else s[:i]


def to_bytes(s: str) -> bytes:
    """A Lua string as bytes (latin-1); a stray Python string with characters above 255
    is UTF-8-encoded, the rule where Python text enters the Lua world (DESIGN.md)."""
    try:
        return s.encode("latin-1")
    except UnicodeEncodeError:
        return s.encode("utf-8")


def fileresult(ok: bool, fname: str | None, err: OSError | None = None) -> Any:
    """``luaL_fileresult``: true, or fail, "fname: strerror", errno."""
    if ok:
        return True
    en = (err.errno if err is not None else None) or 0
    msg = os.strerror(en)
    if fname is not None:
        msg = f"{fname}: {msg}"
    return None, msg, en


def execresult(returncode: int) -> Any:
    """``luaL_execresult`` for a finished child: true/fail, "exit"/"signal", code."""
    if returncode < 0:
        return None, "signal", -returncode
    return (True if returncode == 0 else None), "exit", returncode


def system(cmd: str) -> Any:
    """``system(cmd)`` as ``os.execute`` reports it (``/bin/sh -c cmd``)."""
    import subprocess

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()  # keep our earlier output before the child's
        except (OSError, ValueError):
            pass
    try:
        rc = subprocess.call(["/bin/sh", "-c", to_bytes(cmd)])
    except OSError as e:
        return fileresult(False, None, e)
    return execresult(rc)


@c_boundary
def _getfield_raw(t: Any, key: str) -> Any:
    """``lua_getfield`` from C (``__index`` runs one level below a position-less caller)."""
    return ops.index(t, key)


@c_boundary
def _setfield_c(t: Any, key: str, v: Any) -> None:
    """``lua_setfield`` from C."""
    ops.setindex(t, key, v)


def _setallfields(t: Any, tm: _Tm, meta: bool) -> None:
    """``setallfields``: write the fields of ``tm`` into ``t`` (through ``__newindex``
    when ``meta``)."""
    fields = (
        ("year", tm.tm_year + 1900),
        ("month", tm.tm_mon + 1),
        ("day", tm.tm_mday),
        ("hour", tm.tm_hour),
        ("min", tm.tm_min),
        ("sec", tm.tm_sec),
        ("yday", tm.tm_yday + 1),
        ("wday", tm.tm_wday + 1),
    )
    put = (lambda k, v: _setfield_c(t, k, v)) if meta else t.__setitem__
    for k, v in fields:
        put(k, v)
    if tm.tm_isdst >= 0:  # undefined: does not set the field
        put("isdst", bool(tm.tm_isdst))


def _getfield(t: LuaTable, key: str, d: int, delta: int) -> int:
    """``getfield`` of loslib.c."""
    v = _getfield_raw(t, key)
    res: Any = v if type(v) is int else None
    if res is None:
        if type(v) is float:
            res = tointeger(v)
        elif type(v) is str:
            n = str2number(v)
            res = n if type(n) is int else tointeger(n)
    if res is None:
        if v is not None:
            lua_error(f"field '{key}' is not an integer")
        if d < 0:
            lua_error(f"field '{key}' missing in date table")
        return d
    if not (res - delta <= _INT_MAX if res >= 0 else _INT_MIN + delta <= res):
        lua_error(f"field '{key}' is out-of-bound")
    return int(res - delta)


def _checkoption(s: str, i: int) -> str:
    """``checkoption``: the conversion at ``s[i:]`` (after '%'), or Lua's error."""
    if s[i : i + 1] in _OPTS1:
        return s[i]
    if s[i : i + 2] in _OPTS2:
        return s[i : i + 2]
    arg_error(1, "date", f"invalid conversion specifier '%{s[i:]}'")


def strftime(fmt: str, tm: _Tm) -> str:
    """The body of ``os_date`` for a format string (Lua checks each conversion)."""
    lib = _c()
    buf = ctypes.create_string_buffer(_SIZETIMEFMT)
    out = []
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c != "%":
            out.append(c)
            i += 1
            continue
        conv = _checkoption(fmt, i + 1)
        i += 1 + len(conv)
        k = lib.strftime(buf, _SIZETIMEFMT, ("%" + conv).encode("ascii"), ctypes.byref(tm))
        out.append(buf.raw[:k].decode("latin-1"))
    return "".join(out)


def open_lib(env: LuaTable) -> LuaTable:
    """Build the ``os`` table (``luaopen_os``)."""
    O = LuaTable()

    def os_clock(*_: Any) -> float:
        return time.process_time()

    def os_time(t: Any = NOARG, *_: Any) -> int:
        """§6.9: "Returns the current time when called without arguments, or a time
        representing the local date and time specified by the given table ... When the
        function is called, the values in these fields do not need to be inside their valid
        ranges ... these fields are updated to their normalised values."
        """
        if t is None or t is NOARG:
            return int(time.time())
        check_table(t, 1, "time")
        tm = _Tm()
        tm.tm_year = _getfield(t, "year", -1, 1900)
        tm.tm_mon = _getfield(t, "month", -1, 1)
        tm.tm_mday = _getfield(t, "day", -1, 0)
        tm.tm_hour = _getfield(t, "hour", 12, 0)
        tm.tm_min = _getfield(t, "min", 0, 0)
        tm.tm_sec = _getfield(t, "sec", 0, 0)
        dst = _getfield_raw(t, "isdst")
        tm.tm_isdst = -1 if dst is None else int(dst is not False)
        r = _c().mktime(ctypes.byref(tm))
        _setallfields(t, tm, True)  # update fields with normalized values
        if r == -1:
            lua_error("time result cannot be represented in this installation")
        return int(r)

    def os_date(fmt: Any = NOARG, t: Any = NOARG, *_: Any) -> Any:
        """§6.9: "If format starts with '!', then the date is formatted in Coordinated
        Universal Time ... If format is the string "*t", then date returns a table ...
        Otherwise, ... formatted according to the same rules as the ISO C function strftime."
        """
        s = opt_str(fmt, 1, "date", "%c")
        tt = int(time.time()) if t is None or t is NOARG else check_int(t, 2, "date")
        utc = s.startswith("!")
        if utc:
            s = s[1:]
        tm = _breakdown(tt, utc)
        if tm is None:
            lua_error("date result cannot be represented in this installation")
        if s.split("\0", 1)[0] == "*t":  # strcmp(s, "*t")
            r = LuaTable()
            _setallfields(r, tm, False)
            return r
        return strftime(s, tm)

    def os_difftime(t1: Any = NOARG, t2: Any = NOARG, *_: Any) -> float:
        a = check_int(t1, 1, "difftime")
        b = check_int(t2, 2, "difftime")
        return float(a - b)

    def os_getenv(name: Any = NOARG, *_: Any) -> Any:
        n = cstr(check_str(name, 1, "getenv"))
        v = os.environb.get(to_bytes(n))
        return None if v is None else v.decode("latin-1")

    def os_remove(name: Any = NOARG, *_: Any) -> Any:
        fn = cstr(check_str(name, 1, "remove"))
        path = to_bytes(fn)
        try:
            try:
                os.unlink(path)
            except IsADirectoryError:
                os.rmdir(path)  # glibc remove(): unlink, then rmdir on EISDIR
        except OSError as e:
            return fileresult(False, fn, e)
        return True

    def os_rename(a: Any = NOARG, b: Any = NOARG, *_: Any) -> Any:
        src = cstr(check_str(a, 1, "rename"))
        dst = cstr(check_str(b, 2, "rename"))
        try:
            os.rename(to_bytes(src), to_bytes(dst))
        except OSError as e:
            return fileresult(False, None, e)
        return True

    def os_tmpname(*_: Any) -> str:
        # lua_tmpnam: mkstemp("/tmp/lua_XXXXXX"), then close the file
        alphabet = string.ascii_letters + string.digits
        for _i in range(100):
            name = "/tmp/lua_" + "".join(secrets.choice(alphabet) for _ in range(6))
            try:
                fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            except OSError:
                break
            os.close(fd)
            return name
        lua_error("unable to generate a unique filename")

    def os_execute(cmd: Any = NOARG, *_: Any) -> Any:
        if cmd is None or cmd is NOARG:
            return os.path.exists("/bin/sh")  # is there a shell?
        return system(cstr(check_str(cmd, 1, "execute")))

    def os_exit(code: Any = NOARG, close: Any = NOARG, *_: Any) -> Any:
        if code is True or code is False:
            status = 0 if code else 1
        else:
            status = ctypes.c_int(opt_int(code, 1, "exit", 0)).value
        raise SystemExit(status)

    _catnames = ("all", "collate", "ctype", "monetary", "numeric", "time")

    def os_setlocale(loc: Any = NOARG, cat: Any = NOARG, *_: Any) -> Any:
        lname = None if loc is None or loc is NOARG else check_str(loc, 1, "setlocale")
        c = opt_str(cat, 2, "setlocale", "all")
        if c not in _catnames:
            arg_error(2, "setlocale", f"invalid option '{c}'")
        if lname is None or lname in ("C", "POSIX", ""):
            return "C"
        return None

    for name, f in (
        ("clock", os_clock), ("date", os_date), ("difftime", os_difftime),
        ("execute", os_execute), ("exit", os_exit), ("getenv", os_getenv), ("remove", os_remove),
        ("rename", os_rename), ("setlocale", os_setlocale), ("time", os_time),
        ("tmpname", os_tmpname),
    ):  # fmt: skip
        O[name] = f
    return O
