"""``require "datetime"``: date and time formatting as nmap's datetime.lua.

nselib builds on ``os.time``/``os.date``; the two are reproduced here from ``loslib.c``
(Lua 5.4 manual §6.9): ``os.time(t)`` reads integer fields (``hour`` defaults to 12),
normalises them with ``mktime`` and writes the normalised fields back into ``t``;
``os.date("!...")`` uses ``gmtime`` and fails past the years ``gmtime`` can represent.
Number formatting goes through the runtime's ``string.format``.
"""

from __future__ import annotations

import math
import time
from typing import Any

from nse.lib._util import LuaError, LuaTable, lua_error
from nse.lua import ops
from nse.lua.numfmt import tointeger
from nse.lua.strformat import str_format

__all__ = [
    "record_skew",
    "utc_offset",
    "date_to_timestamp",
    "format_timestamp",
    "format_time",
    "format_difftime",
]

_INT_MAX = 2**31 - 1
_INT_MIN = -(2**31)


def _getfield(t: LuaTable, key: str, d: int, delta: int) -> int:
    # loslib.c getfield
    v = ops.index(t, key)
    res = tointeger(v) if not isinstance(v, str) else None
    if isinstance(v, str):
        from nse.lua.numfmt import str2number

        n = str2number(v)
        res = tointeger(n) if n is not None else None
    if res is None:
        if v is not None:
            lua_error(f"field '{key}' is not an integer")
        if d < 0:
            lua_error(f"field '{key}' missing in date table")
        return d
    if not (res - delta <= _INT_MAX if res >= 0 else _INT_MIN + delta <= res):
        lua_error(f"field '{key}' is out-of-bound")
    return res - delta


def _os_time(t: Any) -> int:
    """``os.time(t)`` for a table ``t`` (fields normalised in place, as loslib does)."""
    if not isinstance(t, LuaTable):
        from nse.lua.errors import type_error

        type_error(1, "time", "table", t)
    year = _getfield(t, "year", -1, 1900)
    month = _getfield(t, "month", -1, 1)
    day = _getfield(t, "day", -1, 0)
    hour = _getfield(t, "hour", 12, 0)
    minute = _getfield(t, "min", 0, 0)
    sec = _getfield(t, "sec", 0, 0)
    isdst_v = ops.index(t, "isdst")
    isdst = -1 if isdst_v is None else (1 if ops.truth(isdst_v) else 0)
    try:
        r = time.mktime((year + 1900, month + 1, day, hour, minute, sec, 0, 0, isdst))
    except (OverflowError, OSError, ValueError):
        lua_error("time result cannot be represented in this installation")
    if r == -1:
        lua_error("time result cannot be represented in this installation")
    res = int(r)
    _setallfields(t, time.localtime(res))
    return res


def _setallfields(t: LuaTable, st: time.struct_time) -> None:
    t["year"] = st.tm_year
    t["month"] = st.tm_mon
    t["day"] = st.tm_mday
    t["hour"] = st.tm_hour
    t["min"] = st.tm_min
    t["sec"] = st.tm_sec
    t["yday"] = st.tm_yday
    t["wday"] = (st.tm_wday + 1) % 7 + 1
    if st.tm_isdst >= 0:
        t["isdst"] = bool(st.tm_isdst)


def _gmtime(ts: int) -> time.struct_time:
    try:
        return time.gmtime(ts)
    except (OverflowError, OSError, ValueError):
        return lua_error("date result cannot be represented in this installation")


def _utc_offset_seconds() -> int | float:
    # time(date("*t", 86400)) - time(date("!*t", 86400)), as nselib computes it
    lt = time.localtime(86400)
    gt = time.gmtime(86400)
    a = time.mktime(lt)
    b = time.mktime((gt.tm_year, gt.tm_mon, gt.tm_mday, gt.tm_hour, gt.tm_min, gt.tm_sec, 0, 0, 0))
    return float(int(a) - int(b))  # os.difftime returns a float


_UTC_OFFSET = _utc_offset_seconds()


def utc_offset(*_: Any) -> int | float:
    """Seconds east of UTC of the local time zone (at the epoch + 1 day)."""
    return _UTC_OFFSET


def record_skew(
    host: Any = None, timestamp: Any = None, received: Any = None, *_: Any
) -> tuple[()]:
    """Append ``floor(timestamp) - floor(received) - srtt/2`` to
    ``host.registry.datetime_skew``."""
    reg = ops.index(host, "registry")
    skew = ops.index(reg, "datetime_skew")
    if not ops.truth(skew):
        skew = LuaTable()
    times = ops.index(host, "times")
    srtt = ops.index(times, "srtt") if ops.truth(times) else None
    if not ops.truth(srtt):
        srtt = 0
    adjusted = ops.sub(float(ops.sub(_floor(timestamp), _floor(received))), ops.div(srtt, 2.0))
    ops.setindex(skew, ops.add(ops.length(skew), 1), adjusted)
    ops.setindex(reg, "datetime_skew", skew)
    return ()


def _floor(x: Any) -> Any:
    from nse.lib._rt import MATH

    return MATH["floor"](x)


def date_to_timestamp(date_t: Any = None, offset: Any = None, *_: Any) -> Any:
    """``os.time(date_t)`` interpreted as UTC minus ``offset`` seconds; nil if invalid."""
    try:
        tm = _os_time(date_t)
    except LuaError:
        return None
    return ops.sub(ops.add(tm, utc_offset()), offset if ops.truth(offset) else 0)


def _format_tz(offset: Any) -> str:
    if not ops.truth(offset):
        return ""
    if ops.lt(offset, 0):
        sign = "-"
        offset = ops.unm(offset)
    else:
        sign = "+"
    offset = _floor(ops.div(offset, 60))
    hh = _floor(ops.div(offset, 60))
    mm = _floor(math.fmod(offset, 60))
    return str_format("%s%02d:%02d", sign, hh, mm)


def format_timestamp(t: Any = None, offset: Any = None, *_: Any) -> str:
    """RFC 3339 ``YYYY-MM-DDTHH:MM:SS`` for a date table, or for a POSIX time plus
    ``offset`` seconds with a ``+HH:MM`` suffix when an offset is given."""
    if isinstance(t, LuaTable):
        return str_format(
            "%d-%02d-%02dT%02d:%02d:%02d",
            ops.index(t, "year"), ops.index(t, "month"), ops.index(t, "day"),
            ops.index(t, "hour"), ops.index(t, "min"), ops.index(t, "sec"),
        )  # fmt: skip
    tz_string = _format_tz(offset)
    offset = offset if ops.truth(offset) else 0
    tmp = _floor(ops.add(t, offset))
    result: str | None = None
    try:
        ts = tointeger(tmp)
        if ts is None:
            lua_error("bad argument #2 to 'date' (number has no integer representation)")
        st = _gmtime(ts)
        result = "%d-%02d-%02dT%02d:%02d:%02d" % (
            st.tm_year, st.tm_mon, st.tm_mday, st.tm_hour, st.tm_min, st.tm_sec,
        )  # fmt: skip
    except LuaError:
        # nselib's fallback for times gmtime cannot represent: shift by whole "years"
        seconds_in_year = 31556926
        extra_years = None
        if ops.lt(0xFFFFFFFF, tmp):
            extra_years = ops.add(ops.idiv(ops.sub(tmp, 0xFFFFFFFF), seconds_in_year), 1)
        elif ops.lt(tmp, ops.unm(utc_offset())):
            extra_years = ops.idiv(tmp, seconds_in_year)
        if extra_years is not None:
            tmp2 = ops.sub(tmp, ops.mul(extra_years, seconds_in_year))
            try:
                ts = tointeger(tmp2)
                if ts is None:
                    lua_error("number has no integer representation")
                st = _gmtime(ts)
                result = str_format(
                    "%d-%02d-%02d?", ops.add(st.tm_year, extra_years), st.tm_mon, st.tm_mday
                )
            except LuaError:
                result = None
    if result is None:
        return str_format("Invalid timestamp: %s", t)
    return result + tz_string


def format_time(interval: Any = None, unit: Any = None, *_: Any) -> str:
    """A time interval as ``1d02h03m04s`` (leading zero fields dropped); ``unit`` is the
    number of interval units in a second (1000 for milliseconds, giving 3 decimals)."""
    from nse.lib._rt import MATH

    sign = ""
    if ops.lt(interval, 0):
        sign = "-"
        interval = MATH["abs"](interval)
    unit = unit if ops.truth(unit) else 1
    precision = _floor(MATH["log"](unit, 10))
    sec = ops.div(ops.mod(interval, ops.mul(60, unit)), unit)
    interval = ops.idiv(interval, ops.mul(60, unit))
    mins = ops.mod(interval, 60)
    interval = ops.idiv(interval, 60)
    hr = ops.mod(interval, 24)
    interval = ops.idiv(interval, 24)
    fmt = ops.concat(ops.concat("%.0fd%02.0fh%02.0fm%02.", precision), "fs")
    s = str_format(fmt, interval, hr, mins, sec)
    for i, c in enumerate(s):
        if "1" <= c <= "9":
            return sign + s[i:]
    return sign + str_format(ops.concat(ops.concat("%0.", precision), "fs"), 0)


def format_difftime(t2: Any = None, t1: Any = None, *_: Any) -> str:
    """The difference of two date tables as ``+1y2d03h...`` (tables are normalised in
    place by ``os.time``, as in nselib)."""
    d: Any = float(_os_time(t2) - _os_time(t1))
    if d > 0:
        sign = "+"
    elif d < 0:
        sign = "-"
        t2, t1 = t1, t2
        d = -d
    else:
        sign = ""
    y2, y1 = ops.index(t2, "year"), ops.index(t1, "year")
    if ops.lt(y1, y2):
        tmpyear = y1
        ops.setindex(t1, "year", y2)
        d = float(_os_time(t2) - _os_time(t1))
        if d < 0:
            ops.setindex(t1, "year", ops.sub(ops.index(t2, "year"), 1))
            d = float(_os_time(t2) - _os_time(t1))
        yeardiff = ops.sub(ops.index(t1, "year"), tmpyear)
        ops.setindex(t1, "year", tmpyear)
    else:
        yeardiff = 0
    s = format_time(d)
    if yeardiff == 0:
        return sign + s
    return sign + str_format("%dy", yeardiff) + s
