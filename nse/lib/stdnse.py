"""The ``stdnse`` library: nmap's nselib/stdnse.lua plus the functions nse_main.lua adds
(``new_thread``, ``base``, ``getid``, ``getinfo``, ``gethostport``, ``isworker``,
``silent_require``).

Each function follows the Lua original step by step; string formatting goes through the
runtime's ``string.format``/``string.gsub`` so the results are byte-identical.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import gevent

from nse.engine.context import current_thread, runtime
from nse.lib import nmap as _nmap
from nse.lua.errors import LuaError, lua_error
from nse.lua.luatable import LuaTable

__all__ = [
    "sleep", "debug", "debug1", "debug2", "debug3", "debug4", "debug5", "print_debug",
    "verbose", "verbose1", "verbose2", "verbose3", "verbose4", "verbose5", "print_verbose",
    "make_buffer", "lines", "tobinary", "tooctal", "tohex", "fromhex", "format_mac",
    "string_or_blank", "parse_timespec", "clock_ms", "clock_us", "format_output",
    "get_script_args", "get_hostname", "registry_get", "registry_exists",
    "registry_add_array", "registry_add_table", "module", "seeall", "output_table",
    "pretty_printer", "get_timeout", "new_thread", "base", "gettid", "getid", "getinfo",
    "gethostport", "isworker", "silent_require",
]  # fmt: skip

#: the error value silent_require raises (the engine loads such a script quietly)
REQUIRE_ERROR = LuaTable()


def _fmt(fmt: Any, *args: Any) -> str:
    from nse.lua.strformat import str_format

    return str_format(fmt, *args)


def _gsub(s: str, p: str, repl: Any) -> str:
    from nse.lua.strlib import str_gsub

    r = str_gsub(s, p, repl)
    return r[0] if type(r) is tuple else r


def _first(v: Any) -> Any:
    if type(v) is tuple:
        return v[0] if v else None
    return v


def _tonumber(v: Any) -> int | float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return v
    if isinstance(v, str):
        from nse.lua.numfmt import str2number

        return str2number(v)
    return None


# ------------------------------------------------------------------- threads (nse_main)


def sleep(t: Any = None, *_: Any) -> Any:
    """Sleep ``t`` seconds, letting other scripts run."""
    try:
        secs = float(t)
    except (TypeError, ValueError):
        from nse.lua.errors import type_error

        type_error(1, "sleep", "number", t)
    th = current_thread()
    if th is not None:
        import greenlet

        th.waiting_in = greenlet.getcurrent()
    try:
        gevent.sleep(max(0.0, secs))
    finally:
        if th is not None:
            th.waiting_in = None
    return ()


def new_thread(main: Any = None, *args: Any) -> Any:
    """Start ``main(...)`` as a worker thread; returns ``co, info``."""
    if not callable(main) or isinstance(main, LuaTable):
        lua_error("function expected", 1)
    from nse.engine.scheduler import new_worker

    return new_worker(main, *args)


def base(*_: Any) -> Any:
    """The Lua thread value of the running script thread: the worker's own for a worker
    (nse_main.lua: ``current.co``), the script instance's otherwise; inside the action
    (outside any nested coroutine) it equals ``coroutine.running()``, as in nmap."""
    t = current_thread()
    if t is None:
        return None
    if t.coroutine is None:
        from nse.engine.scheduler import greenlet_coroutine

        t.coroutine = greenlet_coroutine(t.glet)
        if t.glet is not None and not t.glet.dead:
            t.coroutine.status = "running" if t.glet is gevent.getcurrent() else "suspended"
    return t.coroutine


def gettid(*_: Any) -> Any:
    """A string identifying the running thread."""
    t = current_thread()
    return None if t is None else f"thread: 0x{id(t):x}"


def getid(*_: Any) -> Any:
    """The running script's id."""
    t = current_thread()
    return None if t is None else t.id


def getinfo(*_: Any) -> Any:
    """``id M:addr`` for the running thread."""
    t = current_thread()
    return None if t is None else t.info


def gethostport(*_: Any) -> Any:
    """The host and port tables of the running thread."""
    t = current_thread()
    if t is None:
        return ()
    return t.host, t.port


def isworker(*_: Any) -> Any:
    """Whether the running thread is a worker."""
    t = current_thread()
    return None if t is None else t.worker


def silent_require(*args: Any) -> Any:
    """``require`` that makes the script load fail quietly when the module is missing."""
    rt = runtime()
    try:
        req = rt.globals["require"]
        return req(*args)
    except LuaError as e:
        if rt.options.debugging >= 1:
            rt.log(f"NSE: {e}")
        raise LuaError(REQUIRE_ERROR) from e


# ------------------------------------------------------------------------- logging


def _log(text: str) -> None:
    _nmap_log = runtime().log
    _nmap_log(text)


def debug(level: Any = None, *args: Any) -> Any:
    """debug([level,] fmt, ...): printed at -d level or higher, prefixed with the thread."""
    if not isinstance(level, int | float) or isinstance(level, bool):
        return debug(1, level, *args)
    current = _nmap.debugging()
    if level <= current:
        host, port = _host_port()
        ident = (getinfo() if current >= 2 else getid()) or ""
        prefix = ident + (_hp(host, port) if host is not None else "")
        _write(prefix, _fmt(*args))
    return ()


def _host_port() -> tuple[Any, Any]:
    t = current_thread()
    if t is None:
        return None, None
    return t.host, t.port


def _hp(host: Any, port: Any) -> str:
    from nse.lib._util import lua_tostring

    s = " " + lua_tostring(host["ip"])
    if port is not None:
        s += ":" + lua_tostring(port["number"])
    return s


def _write(prefix: str, text: str) -> None:
    if prefix != "":
        _nmap.log_write("stdout", "[" + prefix + "] " + text)
    else:
        _nmap.log_write("stdout", text)


def debug1(*a: Any) -> Any:
    """debug(1, ...)"""
    return debug(1, *a)


def debug2(*a: Any) -> Any:
    """debug(2, ...)"""
    return debug(2, *a)


def debug3(*a: Any) -> Any:
    """debug(3, ...)"""
    return debug(3, *a)


def debug4(*a: Any) -> Any:
    """debug(4, ...)"""
    return debug(4, *a)


def debug5(*a: Any) -> Any:
    """debug(5, ...)"""
    return debug(5, *a)


def print_debug(level: Any = None, fmt: Any = None, *args: Any) -> Any:
    """Deprecated form of debug: no thread prefix."""
    lv, d = _tonumber(level), _nmap.debugging()
    if lv is not None and lv <= d:
        _nmap.log_write("stdout", _fmt(fmt, *args))
    elif lv is None and 1 <= d:
        _nmap.log_write("stdout", _fmt(level, fmt, *args))
    return ()


def verbose(level: Any = None, *args: Any) -> Any:
    """verbose([level,] fmt, ...): printed at -v level or higher."""
    if not isinstance(level, int | float) or isinstance(level, bool):
        return verbose(1, level, *args)
    current = _nmap.verbosity()
    if level <= current:
        if current >= 2:
            host, port = _host_port()
            prefix = (getid() or "") + (_hp(host, port) if host is not None else "")
        else:
            prefix = getid() or ""
        _write(prefix, _fmt(*args))
    return ()


def verbose1(*a: Any) -> Any:
    """verbose(1, ...)"""
    return verbose(1, *a)


def verbose2(*a: Any) -> Any:
    """verbose(2, ...)"""
    return verbose(2, *a)


def verbose3(*a: Any) -> Any:
    """verbose(3, ...)"""
    return verbose(3, *a)


def verbose4(*a: Any) -> Any:
    """verbose(4, ...)"""
    return verbose(4, *a)


def verbose5(*a: Any) -> Any:
    """verbose(5, ...)"""
    return verbose(5, *a)


def print_verbose(level: Any = None, fmt: Any = None, *args: Any) -> Any:
    """Deprecated form of verbose."""
    lv, d = _tonumber(level), _nmap.verbosity()
    if lv is not None and lv <= d:
        _nmap.log_write("stdout", _fmt(fmt, *args))
    elif lv is None and 1 <= d:
        _nmap.log_write("stdout", _fmt(level, fmt, *args))
    return ()


# ------------------------------------------------------------------------- buffers


def _invoke(obj: Any, name: str, *args: Any) -> Any:
    from nse.lua.ops import invoke

    return invoke(obj, name, *args)


def make_buffer(socket: Any = None, sep: Any = None, *_: Any) -> Callable[..., Any]:
    """A function returning the socket's data one ``sep``-separated piece at a time.

    As nselib's: after each ``socket:receive()`` the unused data and the new data are
    searched for ``sep``; a receive error returns what is left, then ``nil, error``.
    The unused data is kept as a list of pieces, and a ``sep`` with a bounded match
    length is searched only where a match can still start (``nmap._pattern_extent``),
    so data without a separator costs linear time, not a copy and a search of all of it
    per read.  Once more than ``nmap.MAX_BUFFER`` bytes are left without a separator,
    that counts as the receive error ``"ERROR"`` (nmap has no such limit).
    """
    from nse.lua.strlib import str_find

    anchored, longest = _nmap._pattern_extent(sep) if isinstance(sep, str) else (False, None)
    # buffer: the text being cut (nil: read first); point: where its unused part starts;
    # left: the unused data when buffer is nil, in pieces (nleft bytes); searched: how
    # many of those bytes have been searched with the pieces as they are now
    st: dict[str, Any] = {"point": 1, "buffer": None, "left": [], "nleft": 0,
                          "searched": 0, "done": False, "msg": None}

    def left_text() -> str:
        text = "".join(st["left"])
        st["left"] = [text] if text else []
        return text

    def first_match(s: str) -> Any:
        # string.find(left .. s, sep): starts before searched - longest were tried when
        # they looked at the same bytes (see _pattern_extent), so only later ones are tried
        if longest is None or anchored or st["searched"] == 0:
            return str_find(left_text() + s, sep)
        start = max(0, st["searched"] - longest)
        # the unused data from the byte before start on (the frontier's), from the last
        # pieces only: joining all of them per read would copy everything each time
        k = st["nleft"] - max(0, start - 1)
        pieces: list[str] = []
        have = 0
        for piece in reversed(st["left"]):
            if have >= k:
                break
            pieces.append(piece)
            have += len(piece)
        tail = "".join(reversed(pieces))[have - k:]
        r = str_find(tail + s, sep, 1 if start == 0 else 2)
        r = r if type(r) is tuple else (r,)
        if r[0] is None:
            return None
        offset = st["nleft"] - k  # where tail starts in left
        return (r[0] + offset, r[1] + offset, *r[2:])

    def self_(*_: Any) -> Any:
        while True:
            if st["done"]:
                return None, st["msg"]
            if st["buffer"] is None:
                r = _invoke(socket, "receive")
                r = r if type(r) is tuple else (r,)
                status, s = (r + (None, None))[:2]
                if status is None or status is False:
                    if st["nleft"] > 0:
                        st["done"], st["msg"] = True, s
                        return left_text()
                    return status, s
                r = first_match(s)
                r = r if type(r) is tuple else (r,)
                if r[0] is None:
                    st["left"].append(s)
                    st["nleft"] += len(s)
                    st["searched"] = st["nleft"]
                    if st["nleft"] > _nmap.MAX_BUFFER:
                        st["done"], st["msg"] = True, "ERROR"
                        return left_text()
                    continue
                st["buffer"] = left_text() + s
                st["left"], st["nleft"] = [], 0
            else:
                r = str_find(st["buffer"], sep, st["point"])
                r = r if type(r) is tuple else (r,)
            if r[0] is not None:
                i, j = r[0], r[1]
                ret = st["buffer"][st["point"] - 1 : i - 1]
                st["point"] = j + 1
                return ret
            rest = st["buffer"][st["point"] - 1 :]
            # a rest that started after a separator was searched with the byte before it
            # in sight (a frontier pattern may care): search it whole once more
            st["left"], st["nleft"], st["searched"] = [rest] if rest else [], len(rest), 0
            st["point"], st["buffer"] = 1, None

    return self_


def lines(socket: Any = None, *_: Any) -> Any:
    """An iterator over the lines of a socket (``for l in stdnse.lines(s)``)."""
    return make_buffer(socket, "\r?\n"), None, None


# --------------------------------------------------------------------- conversions

_BIN = {
    "0": "0000",
    "1": "0001",
    "2": "0010",
    "3": "0011",
    "4": "0100",
    "5": "0101",
    "6": "0110",
    "7": "0111",
    "8": "1000",
    "9": "1001",
    "a": "1010",
    "b": "1011",
    "c": "1100",
    "d": "1101",
    "e": "1110",
    "f": "1111",
}


def tobinary(n: Any = None, *_: Any) -> Any:
    """Binary digits of ``n`` (``gsub(format("%x", n), "%w", t)``: two results)."""
    from nse.lua.strlib import str_gsub

    return str_gsub(_fmt("%x", n), "%w", LuaTable.from_dict(_BIN))


def tooctal(n: Any = None, *_: Any) -> Any:
    """Octal digits of ``n``."""
    return _fmt("%o", n)


def tohex(s: Any = None, options: Any = None, *_: Any) -> Any:
    """Hex digits of a string or number, optionally grouped with a separator."""
    from nse.lua.ops import type_

    sep = options["separator"] if isinstance(options, LuaTable) else None
    if isinstance(s, int | float) and not isinstance(s, bool):
        hexs = _fmt("%x", s)
    elif isinstance(s, str):
        hexs = "".join(f"{ord(c):02x}" for c in s)
    else:
        lua_error("Type not supported in tohex(): " + type_(s), 2)
    if sep is not None:
        # stdnse.lua 7.93 computes the separated string with gsub but discards the
        # result, so the separator never shows (nmap prints MD5s without spaces); the
        # concatenation still fails for a separator that is not a string or number.
        from nse.lua.ops import concat

        group = options["group"] or 2
        if len(hexs) > int(group):
            concat(hexs[0], sep)
    return hexs


def fromhex(hexs: Any = None, *_: Any) -> Any:
    """The bytes of a hex string (white space ignored) or ``nil, error``."""
    import re

    if not isinstance(hexs, str):
        lua_error(
            "bad argument #1 to 'find' (string expected, got "
            + ("nil" if hexs is None else type(hexs).__name__)
            + ")",
            1,
        )
    m = re.search(r"[^0-9A-Fa-f \t\n\v\f\r]", hexs)
    if m:
        return None, "Invalid hexadecimal digits at position " + str(m.start() + 1)
    h = re.sub(r"[ \t\n\v\f\r]+", "", hexs)
    if len(h) % 2 != 0:
        return None, "Odd number of hexadecimal digits"
    return "".join(chr(int(h[i : i + 2], 16)) for i in range(0, len(h), 2)), len(h) // 2


def format_mac(mac: Any = None, *_: Any) -> Any:
    """``aa:bb:cc:dd:ee:ff``."""
    return tohex(mac, LuaTable.from_dict({"separator": ":"}))


def string_or_blank(string: Any = None, blank: Any = None, *_: Any) -> Any:
    """The string, or ``blank`` (default ``"<blank>"``) when nil or empty."""
    if string is None or string == "":
        return "<blank>" if blank is None else blank
    return string


_TIMESPEC = {"": 1, "s": 1, "m": 60, "h": 3600, "ms": 0.001}


def parse_timespec(timespec: Any = None, *_: Any) -> Any:
    """Seconds from ``"10"``, ``"2.5m"``, ``"300ms"``... or ``nil, error``."""
    import re

    if timespec is None:
        return None, "Can't parse nil timespec"
    m = re.match(r"^([0-9.]+)(.*)$", str(timespec), re.S)
    if not m:
        return None, f'Can\'t parse time specification "{timespec}"'
    n, unit = m.group(1), m.group(2)
    t = _tonumber(n)
    if t is None:
        return None, f'Can\'t parse time specification "{timespec}" (bad number "{n}")'
    mult = _TIMESPEC.get(unit)
    if mult is None:
        return None, f'Can\'t parse time specification "{timespec}" (bad unit "{unit}")'
    from nse.lua.ops import mul

    return mul(t, mult)


def clock_ms(*_: Any) -> float:
    """Milliseconds since the epoch (a float, as nmap.clock() * 1000)."""
    return _nmap.clock() * 1000


def clock_us(*_: Any) -> float:
    """Microseconds since the epoch."""
    return _nmap.clock() * 1000000


# ---------------------------------------------------------------- format_output (old)


def _format_output_sub(status: Any, data: Any, indent: Any) -> Any:
    from nse.lua.ops import length

    if isinstance(data, LuaTable) and length(data) == 0:
        return ""
    prefix = ""
    output: list[str] = []
    if not indent:
        output.append("\n")
    if status is None or status is False:
        if _nmap.debugging() < 1:
            return None
        prefix = "ERROR: "
    if isinstance(data, str):
        data = LuaTable.from_list([data])
    indent = indent or []
    ind = "  " * len(indent)
    if data["name"]:
        if data["warning"] and _nmap.debugging() > 0:
            output.append(
                _fmt("%s%s%s (WARNING: %s)\n", ind, prefix, data["name"], data["warning"])
            )
        else:
            output.append(_fmt("%s%s%s\n", ind, prefix, data["name"]))
    elif data["warning"] and _nmap.debugging() > 0:
        output.append(_fmt("%s%s(WARNING: %s)\n", ind, prefix, data["warning"]))
    n = length(data)
    i = 1
    while (value := data[i]) is not None:
        if isinstance(value, LuaTable):
            new_indent = list(indent) + [i == n]
            r = _format_output_sub(status, value, new_indent)
            if r is not None:
                output.append(r)
            else:
                lua_error(
                    "invalid value (nil) at index "
                    + str(len(output) + 1)
                    + " in table for 'concat'",
                    1,
                )
        elif isinstance(value, str):
            if value[-1:] != "\n":
                value = value + "\n"
            from nse.lua.strlib import str_gmatch

            it = str_gmatch(value, "([^\r\n]-)\n")
            while (line := _first(it())) is not None:
                output.append(_fmt("%s  %s%s\n", ind, prefix, line))
        i += 1
    return "".join(output)


def format_output(status: Any = None, data: Any = None, indent: Any = None, *_: Any) -> Any:
    """The old nested-list output formatter (kept for scripts that still use it)."""
    if data is None or data is False:
        lua_error("No data was passed to format_output()", 1)
    from nse.lua.ops import length

    if length(data) == 0:
        return None
    result = _format_output_sub(status, data, indent)
    if result is None or result == "\n":
        return None
    return result


# ------------------------------------------------------------------ script args


def _registry_args() -> Any:
    return runtime().registry["args"]


def _arg_value(argname: str) -> Any:
    import re

    args = _registry_args()
    if not isinstance(args, LuaTable):
        return None
    v = args[argname]
    if v is not None and v is not False:
        return v
    for _i, x in _ipairs(args):
        if x == argname:
            return 1
    m = re.search(r"\.([^.]*)$", argname, re.S)
    if m:
        short = m.group(1)
        v = args[short]
        if v is not None and v is not False:
            return v
        for _i, x in _ipairs(args):
            if x == short:
                return 1
    return None


def _ipairs(t: LuaTable) -> Iterator[tuple[int, Any]]:
    i = 1
    while (v := t[i]) is not None:
        yield i, v
        i += 1


def get_script_args(*names: Any) -> Any:
    """Values of script arguments (``name`` or ``script.name``; a bare flag gives 1).

    Each argument is a name or a table of alternative names; returns one value per
    argument (nil for missing)."""
    out: list[Any] = [None] * len(names)
    for i, s in enumerate(names):
        alts = (
            [s]
            if isinstance(s, str)
            else [v for _k, v in _ipairs(s)]
            if isinstance(s, LuaTable)
            else []
        )
        for test in alts:
            v = _arg_value(test) if isinstance(test, str) else None
            if v is not None and v is not False:
                out[i] = v
                break
    return tuple(out)


def script_arg(name: str | LuaTable | Sequence[str], default: Any = None) -> Any:
    """The value of one script argument, for library code written in Python.

    Not part of nselib (not in ``__all__``, so Lua scripts do not see it): it exists
    because :func:`get_script_args` follows Lua and returns one value *per name* (a
    tuple, even for one name), which Python callers had to unwrap by hand and twice got
    wrong (commit 982a1e1).

    ``name`` is looked up as ``get_script_args`` does (the full name, then the part after
    the last dot; a bare flag in ``--script-args`` gives ``1``).  A LuaTable or a Python
    sequence of names gives alternatives: the first one set wins, as a table argument of
    ``get_script_args`` does.  The result is the Lua value itself: a string (``str``, one
    character per byte), ``1`` for a bare flag, or a LuaTable for ``{a,b}``; ``default``
    when the argument is not set.
    """
    if isinstance(name, str | LuaTable):
        value = get_script_args(name)[0]
    else:
        value = get_script_args(LuaTable.from_list(list(name)))[0]
    return default if value is None else value


def get_hostname(host: Any = None, *_: Any) -> Any:
    """targetname, else a non-empty reverse name, else the ip (or the string given)."""
    if isinstance(host, LuaTable):
        tn = host["targetname"]
        if tn is not None and tn is not False:
            return tn
        name = host["name"]
        if name != "" and name is not None and name is not False:
            return name
        return host["ip"]
    return host


# ------------------------------------------------------------------------ registry


def registry_get(subkeys: Any = None, *_: Any) -> Any:
    """nmap.registry[k1][k2]..., or nil when a level is missing."""
    reg: Any = runtime().registry
    i = 1
    while subkeys[i] is not None:
        nxt = reg[subkeys[i]]
        if nxt is None or nxt is False:
            return None
        reg = nxt
        i += 1
    return reg


def registry_exists(subkeys: Any = None, key: Any = None, value: Any = None, *_: Any) -> bool:
    """Whether ``value`` is in the registry table at ``subkeys`` (under ``key``)."""
    sub = registry_get(subkeys)
    if sub is None or sub is False:
        return False
    from nse.engine.output import lua_pairs
    from nse.lua.ops import eq

    for k, v in lua_pairs(sub):
        if (key is None or eq(key, k)) and eq(v, value):
            return True
    return False


def _descend(subkeys: Any) -> Any:
    reg: Any = runtime().registry
    i = 1
    while subkeys[i] is not None:
        nxt = reg[subkeys[i]]
        if nxt is None or nxt is False:
            nxt = LuaTable()
            reg[subkeys[i]] = nxt
        reg = nxt
        i += 1
    return reg


def registry_add_array(
    subkeys: Any = None, value: Any = None, allow_duplicates: Any = None, *_: Any
) -> Any:
    """Append ``value`` to the registry array at ``subkeys`` (unless already there)."""
    if allow_duplicates is not True and registry_exists(subkeys, None, value):
        return ()
    reg = _descend(subkeys)
    from nse.engine.output import lua_pairs
    from nse.lua.ops import eq

    for _k, v in lua_pairs(reg):
        if eq(v, value):
            return ()
    reg.append(value)
    return ()


def registry_add_table(
    subkeys: Any = None, key: Any = None, value: Any = None, allow_duplicates: Any = None, *_: Any
) -> Any:
    """Set ``registry[subkeys...][key] = value``."""
    if allow_duplicates is not True and registry_exists(subkeys, key, value):
        return ()
    reg = _descend(subkeys)
    reg[key] = value
    return ()


# --------------------------------------------------------------------- modules


def module(name: Any = None, *mods: Any) -> Any:
    """stdnse.module(name, ...): a module environment ``{_NAME, _PACKAGE, _M}``."""
    import re

    env = LuaTable()
    env["_NAME"] = name
    m = re.match(r"^(.+)\.[^.]+$", name, re.S) if isinstance(name, str) else None
    env["_PACKAGE"] = m.group(1) if m else None
    env["_M"] = env
    for f in mods:
        f(env)
    return env


def seeall(env: Any = None, *_: Any) -> Any:
    """Make ``env`` fall back to the NSE globals (package.seeall)."""
    m = env.meta if env.meta is not None else LuaTable()
    m["__index"] = runtime().globals
    env.meta = m
    return ()


def _ot_len(t: Any, *_: Any) -> int:
    return sum(1 for _ in t.keys())


def _ot_call(t: Any, *_: Any) -> bool:
    return next(iter(t.keys()), None) is not None


#: output_table's metatable.  nmap's version is an empty proxy with __newindex/__index/
#: __pairs keeping an order list; a LuaTable already iterates its keys in insertion order
#: (a deleted key set again goes to the end, as nmap documents), so the data lives in the
#: table itself and only nmap's __len (number of keys) and __call ("not empty?") remain.
#: Python scripts can therefore use plain ``t["key"] = value``.
#: Every output table gets its own copy (as nmap's, whose metatable is made per call):
#: scripts and libraries change it (``getmetatable(out).__tostring = ...``,
#: ``outlib.list_sep(out)``), and a shared one made such a change print one script's
#: text under every other script's output table.
_OUTPUT_TABLE_META = LuaTable.from_dict({"__len": _ot_len, "__call": _ot_call})


def output_table(*_: Any) -> LuaTable:
    """A table that keeps its keys in insertion order (for script output)."""
    t = LuaTable()
    t.meta = LuaTable.from_record({"__len": _ot_len, "__call": _ot_call})
    return t


def pretty_printer(obj: Any = None, printer: Any = None, *_: Any) -> Any:
    """Print a Lua value as nested ``{ [k] = v, }`` through ``printer``."""
    from nse.engine.output import lua_pairs
    from nse.lib._util import lua_tostring

    if printer is None:
        printer = runtime().globals["print"]

    def aux(o: Any, spacing: str) -> None:
        if isinstance(o, LuaTable):
            printer("{\n")
            for k, v in lua_pairs(o):
                sp = spacing + "\t"
                printer(sp)
                printer("[")
                aux(k, sp)
                printer("] = ")
                aux(v, sp)
                printer(",\n")
            printer(spacing + "}")
        elif isinstance(o, str):
            printer(_fmt("%q", o))
        else:
            printer(lua_tostring(o))

    aux(obj, "")
    return ()


def get_timeout(host: Any = None, max_timeout: Any = None, min_timeout: Any = None, *_: Any) -> Any:
    """A timeout in ms scaled from ``host.times.timeout`` (see stdnse.lua)."""
    from nse.lua.ops import add, div, lt, mul

    if max_timeout is None:
        max_timeout = 8000
    t = None
    if isinstance(host, LuaTable) and isinstance(host["times"], LuaTable):
        t = host["times"]["timeout"]
    if t is None or t is False:
        return max_timeout
    t = div(mul(t, add(max_timeout, 6000)), 7)
    if min_timeout is None:
        min_timeout = 1000
    if lt(t, min_timeout):
        return min_timeout
    if lt(max_timeout, t):
        return max_timeout
    return t


def _wire_library_hooks() -> None:
    # nse.lib._host: verbose/debug of library modules written in Python
    try:
        from nse.lib import _host
    except ImportError:  # pragma: no cover
        return
    _host.verbose = verbose
    _host.debug = debug


_wire_library_hooks()
