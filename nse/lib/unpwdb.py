"""``require "unpwdb"``: username/password list iterators as nmap's unpwdb.lua.

Lists come from the script arguments ``userdb``/``passdb``, else from
``nselib/data/usernames.lst`` / ``passwords.lst`` in the nmap data directory, else from
the small lists written for this project (``nse/lib/data``).  Lines containing
``#!comment:`` are skipped.  The iterators are Lua-callable closures: ``it()`` gives the
next entry (nil at the end), ``it("reset")`` starts over.  Time limits default by timing
level as in nmap (600 s at -T3 and below, 300 s at -T4, 180 s at -T5; 900/450/270 with
custom lists); script args ``notimelimit``, ``unpwdb.timelimit``, ``unpwdb.userlimit``,
``unpwdb.passlimit`` are honoured.
"""

from __future__ import annotations

import re
import time
from typing import Any

from nse.lib import _host, datadir, datetime
from nse.lib._util import LuaTable, lua_error
from nse.lua import ops
from nse.lua.numfmt import str2number

__all__ = [
    "table_iterator",
    "timelimit",
    "limited_iterator",
    "usernames",
    "passwords",
    "concat_iterators",
    "filter_iterator",
]

_usertable = LuaTable()
_passtable = LuaTable()
_customdata = False


def _args() -> LuaTable:
    return _host.script_args()


def _listfile(arg: str, name: str) -> str | None:
    global _customdata
    v = _args()[arg]
    if ops.truth(v):
        _customdata = True
        return ops.tostring(v)
    return datadir.fetchfile("nselib/data/" + name)


def _filltable(filename: str, table: LuaTable) -> tuple[bool, Any]:
    if len(table) != 0:
        return True, None
    try:
        with open(filename, "rb") as f:
            data = f.read().decode("latin-1")
    except OSError as e:
        return False, f"{filename}: {e.strerror}"
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        if "#!comment:" not in line:
            table.append(line)
    return True, None


def table_iterator(table: Any = None, *_: Any) -> Any:
    """An iterator over ``table[1..]``; ``it("reset")`` rewinds."""
    i = 1

    def it(cmd: Any = None, *_: Any) -> Any:
        nonlocal i
        if cmd == "reset":
            i = 1
            return ()
        elem = ops.index(table, i)
        if ops.truth(elem):
            i += 1
        return elem

    return it


_TIMESPEC_MULT = {"": 1, "s": 1, "m": 60, "h": 3600, "ms": 0.001}


def _parse_timespec(spec: Any) -> tuple[Any, str | None]:
    # stdnse.parse_timespec
    if spec is None:
        return None, "Can't parse nil timespec"
    s = ops.tostring(spec)
    m = re.match(r"([0-9.]+)(.*)\Z", s, re.S)
    if not m:
        return None, f'Can\'t parse time specification "{s}"'
    t = str2number(m.group(1))
    if t is None:
        return None, f'Can\'t parse time specification "{s}" (bad number "{m.group(1)}")'
    mult = _TIMESPEC_MULT.get(m.group(2))
    if mult is None:
        return None, f'Can\'t parse time specification "{s}" (bad unit "{m.group(2)}")'
    return t * mult, None


def timelimit(*_: Any) -> Any:
    """The default time limit in seconds (nil with ``notimelimit``)."""
    args = _args()
    if ops.truth(args["notimelimit"]):
        return None
    spec = args["unpwdb.timelimit"]
    if ops.truth(spec):
        limit, err = _parse_timespec(spec)
        if limit is None:
            lua_error(err)
        return limit
    t = _host.timing_level()
    if t <= 3:
        return 900 if _customdata else 600
    if t == 4:
        return 450 if _customdata else 300
    if t == 5:
        return 270 if _customdata else 180
    return None


def limited_iterator(
    iterator: Any = None,
    time_limit: Any = None,
    count_limit: Any = None,
    label: Any = None,
    *_: Any,
) -> Any:
    """Wrap ``iterator`` to stop after ``time_limit`` seconds or ``count_limit`` entries."""
    tl = time_limit if ops.truth(time_limit) and ops.lt(0, time_limit) else None
    cl = count_limit if ops.truth(count_limit) and ops.lt(0, count_limit) else None
    start = int(time.time())
    count = 0
    name = label if ops.truth(label) else "limited_iterator"

    def it(cmd: Any = None, *_: Any) -> Any:
        nonlocal count
        if cmd == "reset":
            count = 0
        else:
            count += 1
        if cl is not None and ops.lt(cl, count):
            _host.verbose(1, "%s: Count limit %d exceeded.", name, cl)
            return ()
        if tl is not None and ops.le(tl, int(time.time()) - start):
            _host.verbose(1, "%s: Time limit %s exceeded.", name, datetime.format_time(tl))
            return ()
        return ops.call(iterator, cmd)

    return it


def _lists(kind: str) -> tuple[bool, Any]:
    if kind == "user":
        path = _listfile("userdb", "usernames.lst")
        table, what = _usertable, "username"
    else:
        path = _listfile("passdb", "passwords.lst")
        table, what = _passtable, "password"
    if path is None:
        return False, f"Cannot find {what} list"
    ok, err = _filltable(path, table)
    if not ok:
        return False, f"Error parsing {what} list: {err}"
    return True, table_iterator(table)


def _limited_list(kind: str, time_limit: Any, count_limit: Any) -> tuple[bool, Any]:
    # nselib's usernames() and passwords() are the same steps on another list, with
    # another count-limit argument (unpwdb.userlimit / unpwdb.passlimit) and iterator name
    ok, it = _lists(kind)
    if not ok:
        return False, it
    time_limit = time_limit if ops.truth(time_limit) else timelimit()
    lim = _args()[f"unpwdb.{kind}limit"]
    if not ops.truth(count_limit) and ops.truth(lim):
        count_limit = ops.tonumber(lim)
    name = "usernames" if kind == "user" else "passwords"
    return True, limited_iterator(it, time_limit, count_limit, name)


def usernames(time_limit: Any = None, count_limit: Any = None, *_: Any) -> tuple[bool, Any]:
    """``true, iterator`` over the username list; ``false, err``."""
    return _limited_list("user", time_limit, count_limit)


def passwords(time_limit: Any = None, count_limit: Any = None, *_: Any) -> tuple[bool, Any]:
    """``true, iterator`` over the password list; ``false, err``."""
    return _limited_list("pass", time_limit, count_limit)


def concat_iterators(iter1: Any = None, iter2: Any = None, *_: Any) -> Any:
    """An iterator giving ``iter1``'s entries, then ``iter2``'s."""

    def it(command: Any = None, *_: Any) -> Any:
        if command == "reset":
            ops.call(iter1, "reset")
            ops.call(iter2, "reset")
            return ()
        r = ops.mv(ops.call(iter1, command))
        if r and r[0] is not None:
            return r
        r = ops.mv(ops.call(iter2, command))
        return r if r and r[0] is not None else ()

    return it


def filter_iterator(iterator: Any = None, filter_: Any = None, *_: Any) -> Any:
    """An iterator giving only the entries for which ``filter`` is true."""

    def it(command: Any = None, *_: Any) -> Any:
        if command == "reset":
            ops.call(iterator, "reset")
            return ()
        val = ops.first(ops.call(iterator, command))
        while ops.truth(val) and not ops.truth(ops.first(ops.call(filter_, val))):
            val = ops.first(ops.call(iterator, command))
        return val

    return it
