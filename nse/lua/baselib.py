"""The basic library (manual §6.1) and :func:`new_env`, which builds a fresh ``_G``.

Library convention (for strlib, tablib, mathlib, utf8lib, oslib, iolib, coroutine):
each module defines ``open_lib(env: LuaTable) -> LuaTable`` returning its library table;
``new_env`` installs it in ``_G`` under the library's name and in ``package.loaded``.  A
module that is missing or has no ``open_lib`` is skipped, so ``new_env`` works while a
library is still being written.

Functions whose C code distinguishes "no value" from nil take ``NOARG`` defaults.
``load``/``loadfile``/``dofile`` are made per ``_G`` (their default environment).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from nse.lua import coroutine, ops
from nse.lua.errors import (
    NOARG,
    LuaError,
    arg_error,
    c_boundary,
    check_any,
    check_int,
    check_table,
    from_python_exception,
    is_lua_code,
    lua_error,
    objtypename,
    opt_int,
    register_qualnames,
    traceback_string,
    type_error,
    typename,
    where,
)
from nse.lua.luatable import LuaTable, _unkey
from nse.lua.ops import first, getmetatable_raw, tostring

__all__ = [
    "new_env",
    "chunkid",
    "chunk_text",
    "load_chunk",
    "lua_print",
    "lua_type",
    "lua_tostring",
    "lua_tonumber",
    "select",
    "rawget",
    "rawset",
    "rawequal",
    "rawlen",
    "setmetatable",
    "getmetatable",
    "error",
    "pcall",
    "xpcall",
    "lua_assert",
    "lua_next",
    "pairs",
    "ipairs",
    "ipairs_aux",
    "collectgarbage",
    "pairs_fast",
]


# ----------------------------------------------------------------------------- output
def _write_stdout(s: str) -> None:
    try:
        b = s.encode("latin-1")
    except UnicodeEncodeError:
        b = s.encode("utf-8")  # a Python string that escaped the one-char-one-byte rule
    buf = getattr(sys.stdout, "buffer", None)
    if buf is not None:
        buf.write(b)
    else:
        sys.stdout.write(b.decode("latin-1"))


def lua_print(*args: Any) -> tuple[()]:
    """print(...): tostring of each argument, tab-separated, newline (latin-1 bytes)."""
    _write_stdout("\t".join([tostring(a) for a in args]) + "\n")
    return ()


# ----------------------------------------------------------------------------- basics
def lua_type(v: Any = NOARG, *_: Any) -> str:
    """type(v)"""
    if v is NOARG:
        arg_error(1, "type", "value expected")
    return typename(v)


def lua_tostring(v: Any = NOARG, *_: Any) -> str:
    """tostring(v)"""
    check_any(v, 1, "tostring")
    return tostring(v)


def lua_tonumber(v: Any = NOARG, base: Any = None, *_: Any) -> Any:
    """tonumber(v [, base]) (§6.1; bases 2..36 for strings)."""
    if base is None:
        check_any(v, 1, "tonumber")
        return ops.tonumber(v)
    return ops.tonumber(v, base)


def select(n: Any = NOARG, *args: Any) -> Any:
    """select(n, ...) / select('#', ...)"""
    if n == "#" and type(n) is str:
        return len(args)
    i = check_int(n, 1, "select")
    if i < 0:
        i = len(args) + i
        if i < 0:
            arg_error(1, "select", "index out of range")
        return args[i:]
    if i == 0:
        arg_error(1, "select", "index out of range")
    return args[i - 1 :]


def rawget(t: Any = NOARG, k: Any = NOARG, *_: Any) -> Any:
    """rawget(t, k)"""
    tt = check_table(t, 1, "rawget")
    check_any(k, 2, "rawget")
    return tt[k]


def rawset(t: Any = NOARG, k: Any = NOARG, v: Any = NOARG, *_: Any) -> Any:
    """rawset(t, k, v) -> t"""
    tt = check_table(t, 1, "rawset")
    check_any(k, 2, "rawset")
    check_any(v, 3, "rawset")
    tt[k] = v
    return tt


def rawequal(a: Any = NOARG, b: Any = NOARG, *_: Any) -> bool:
    """rawequal(a, b)"""
    check_any(a, 1, "rawequal")
    check_any(b, 2, "rawequal")
    return ops.rawequal(a, b)


def rawlen(v: Any = NOARG, *_: Any) -> int:
    """rawlen(v) for tables and strings."""
    if isinstance(v, LuaTable):
        return v.length()
    if type(v) is str:
        return len(v)
    type_error(1, "rawlen", "table or string", v)


def setmetatable(t: Any = NOARG, mt: Any = NOARG, *_: Any) -> LuaTable:
    """setmetatable(t, mt) -> t (refuses to change a protected metatable)."""
    if type(t) is LuaTable and type(mt) is LuaTable:
        old = t._lt_meta
        if old is None or old._lt_hash.get("__metatable") is None:
            _set_meta(t, mt)
            return t
    tt = check_table(t, 1, "setmetatable")
    if mt is not None and not isinstance(mt, LuaTable):
        type_error(2, "setmetatable", "nil or table", mt)
    old = tt.meta
    if old is not None and old["__metatable"] is not None:
        lua_error("cannot change a protected metatable")
    tt.meta = mt
    return tt


_set_meta: Any = LuaTable.__dict__["_lt_meta"].__set__  # the slot descriptor: no __setattr__


def getmetatable(v: Any = NOARG, *_: Any) -> Any:
    """getmetatable(v): the ``__metatable`` field when present, else the metatable."""
    check_any(v, 1, "getmetatable")
    mt = getmetatable_raw(v)
    if mt is None:
        return None
    protected = mt["__metatable"]
    return protected if protected is not None else mt


# ----------------------------------------------------------------------------- errors
def error(msg: Any = None, level: Any = None, *_: Any) -> Any:
    """error(msg [, level]): position is added to string messages for level > 0."""
    lvl = opt_int(level, 2, "error", 1)
    if type(msg) is str and lvl > 0:
        msg = where(lvl) + msg
    raise LuaError(msg)


def _not_callable(f: Any) -> bool:
    # pcall calls f from C: "attempt to call a X value" carries no position
    if isinstance(f, LuaTable):
        h = ops.getmetamethod(f, "__call")
        if h is not None and not callable(h):
            raise _NotCallable(h)
        return h is None
    return not callable(f)


class _NotCallable(Exception):
    def __init__(self, v: Any) -> None:
        self.v = v


def _pcall_error(f: Any, e: Exception) -> Any:
    """The error value pcall returns for exception ``e`` raised by calling ``f``."""
    try:
        if _not_callable(f):
            return f"attempt to call a {objtypename(f)} value"
    except _NotCallable as nc:
        return f"attempt to call a {objtypename(nc.v)} value"
    return from_python_exception(e).value


@c_boundary
def pcall(f: Any = NOARG, *args: Any) -> Any:
    """pcall(f, ...) -> true, results... | false, err

    Catches ``Exception`` only: ``GreenletExit``, gevent's ``Timeout``, ``SystemExit``
    pass through (they are not Lua errors)."""
    if f is NOARG:
        arg_error(1, "pcall", "value expected")
    try:
        r = f(*args)
    except Exception as e:  # noqa: BLE001 - every Lua error
        return False, _pcall_error(f, e)
    if type(r) is tuple:
        return (True, *r)
    return True, r


#: The exception whose message handler is running (for ``debug.traceback`` in xpcall).
_handling: list[BaseException] = []


@c_boundary
def xpcall(f: Any = NOARG, msgh: Any = NOARG, *args: Any) -> Any:
    """xpcall(f, msgh, ...): like pcall, the error goes through ``msgh`` first."""
    if not callable(msgh):
        type_error(2, "xpcall", "function", msgh)
    try:
        r = f(*args)
    except Exception as e:  # noqa: BLE001 - every Lua error
        err = _pcall_error(f, e)
        _handling.append(e)
        try:
            return False, first(msgh(err))
        except Exception as e2:  # noqa: BLE001 - error in the handler
            return False, from_python_exception(e2).value
        finally:
            _handling.pop()
    if type(r) is tuple:
        return (True, *r)
    return True, r


def lua_assert(v: Any = NOARG, msg: Any = NOARG, *rest: Any) -> Any:
    """assert(v [, message, ...]) -> all its arguments when v is true."""
    if v is NOARG:
        arg_error(1, "assert", "value expected")
    if v is not None and v is not False:
        if msg is NOARG:
            return v
        return (v, msg, *rest)
    if msg is NOARG:
        msg = "assertion failed!"
    return error(msg)


# ----------------------------------------------------------------------------- iteration
def lua_next(t: Any = NOARG, k: Any = None, *_: Any) -> Any:
    """next(t [, k]) -> k2, v2 | nil"""
    if type(t) is not LuaTable:
        if not isinstance(t, LuaTable):
            # called by a generic for (the transpiler's loop helper): 'for iterator'
            caller = sys._getframe(1)
            in_for = caller.f_globals.get("__name__") == "transpiler.rtx"
            check_table(t, 1, "for iterator" if in_for else "next")
    r = t.next(k)
    if r is None:
        return None
    return r


def pairs(t: Any = NOARG, *_: Any) -> tuple[Any, Any, Any]:
    """pairs(t) -> next, t, nil (or the results of ``__pairs``)."""
    check_any(t, 1, "pairs")
    h = ops.getmetamethod(t, "__pairs")
    if h is not None:
        r = ops.mv(h(t))
        r = (r + (None, None, None))[:3]
        return r[0], r[1], r[2]
    return lua_next, t, None


def ipairs_aux(t: Any, i: Any, *_: Any) -> Any:
    """The iterator of ipairs: i+1, t[i+1] (with __index, as 5.4 does) or nil."""
    i += 1
    if type(t) is LuaTable:
        arr = t._lt_arr
        if 0 < i <= len(arr):
            v = arr[i - 1]
            if v is not None:
                return i, v
    if not isinstance(t, LuaTable) and type(t) is not str and ops.getmetatable_raw(t) is None:
        # lua_geti from C: the error has no position
        raise LuaError(f"attempt to index a {typename(t)} value")
    v = ops.index(t, i)
    if v is None:
        return None
    return i, v


def ipairs(t: Any = NOARG, *_: Any) -> tuple[Any, Any, int]:
    """ipairs(t) -> iterator, t, 0"""
    check_any(t, 1, "ipairs")
    return ipairs_aux, t, 0


def _next_from_for(t: Any, k: Any) -> Any:
    if not isinstance(t, LuaTable):
        type_error(1, "for iterator", "table", t)
    return t.next(k)


def pairs_fast(t: LuaTable) -> Any:
    """A Python iterator of (k, v) equivalent to iterating ``next`` over ``t``.

    For generic ``for`` loops over ``pairs(t)`` on a table without ``__pairs`` (the
    transpiler may use it when the iterator function is :func:`lua_next`).  Assigning
    nil to or changing existing fields during the loop is allowed, as with ``next``."""
    if not isinstance(t, LuaTable):
        # not a table: Lua's generic for calls next, which reports the error
        k = None
        while True:
            r = _next_from_for(t, k)
            if r is None:
                return
            k = r[0]
            yield r
    arr = t._lt_arr
    i = 0
    while i < len(arr):
        v = arr[i]
        i += 1
        if v is not None:
            yield i, v
    h = t._lt_hash
    if h:
        for k in list(h):
            v = h.get(k)
            if v is not None:
                yield _unkey(k), v


# ----------------------------------------------------------------------------- load
_IDSIZE = 60  # luaconf.h LUA_IDSIZE


def chunkid(source: str) -> str:
    """The chunk name as messages print it (``lobject.c`` luaO_chunkid)."""
    if source.startswith("="):
        return source[1:_IDSIZE]
    if source.startswith("@"):
        if len(source) <= _IDSIZE:
            return source[1:]
        return "..." + source[len(source) - (_IDSIZE - 4) :]
    nl = source.find("\n")
    bufflen = _IDSIZE - 15
    if len(source) < bufflen and nl < 0:
        return f'[string "{source}"]'
    n = nl if nl >= 0 else len(source)
    return f'[string "{source[: min(n, bufflen)]}..."]'


def chunk_text(raw: bytes) -> str:
    """The source text of a Lua file as ``luaL_loadfilex`` reads it: latin-1, a UTF-8 BOM
    skipped, a first line starting with '#' (shebang) blanked keeping its newline."""
    data = raw.decode("latin-1")
    if data.startswith("\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith("#"):
        nl = data.find("\n")
        data = "" if nl < 0 else data[nl:]
    return data


def load_chunk(source: str, chunkname: str, env: Any, mode: str = "bt") -> Any:
    """Compile ``source`` (chunkname in Lua's form: ``=name``, ``@file`` or the source)
    and return its main function bound to ``env``; raise LuaError(msg) on failure."""
    if source.startswith("\x1bLua"):
        if "b" not in mode:
            raise LuaError(f"attempt to load a binary chunk (mode is '{mode}')")
        raise LuaError("binary chunks are not supported")
    if "t" not in mode:
        raise LuaError(f"attempt to load a text chunk (mode is '{mode}')")
    import transpiler

    try:
        factory = transpiler.compile_chunk(source, chunkid(chunkname))
    except transpiler.ConvertError as e:
        raise LuaError(str(e)) from None
    return factory(env)


def _make_load(G: LuaTable) -> tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]:
    def load(chunk: Any = NOARG, chunkname: Any = None, mode: Any = None, env: Any = NOARG,
             *_: Any) -> Any:  # fmt: skip
        """load(chunk [, chunkname [, mode [, env]]]) -> function | nil, message"""
        md = "bt" if mode is None else ops.tostring(mode)
        if type(chunk) is str:
            src = chunk
            name = chunk if chunkname is None else ops.tostring(chunkname)
        elif callable(chunk) and chunk is not NOARG:
            pieces = []
            while True:
                try:
                    p = first(chunk())
                except Exception as e:  # noqa: BLE001 - the reader's error is load's result
                    return None, from_python_exception(e).value
                if p is None or p == "":
                    break
                if type(p) is not str:
                    if type(p) is int or type(p) is float:
                        p = ops.tostring(p)
                    else:
                        return None, where(1) + "reader function must return a string"
                pieces.append(p)
            src = "".join(pieces)
            name = "=(load)" if chunkname is None else ops.tostring(chunkname)
        else:
            type_error(1, "load", "function", chunk)
        try:
            return load_chunk(src, name, G if env is NOARG else env, md)
        except LuaError as e:
            return None, e.value

    def _read(fname: Any) -> tuple[str, str]:
        if fname is None:
            return sys.stdin.buffer.read().decode("latin-1"), "=stdin"
        path = ops.tostring(fname)
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
        except OSError as e:
            raise LuaError(f"cannot open {path}: {e.strerror}") from None
        return chunk_text(raw), "@" + path

    def loadfile(fname: Any = None, mode: Any = None, env: Any = NOARG, *_: Any) -> Any:
        """loadfile([filename [, mode [, env]]])"""
        try:
            src, name = _read(fname)
            md = "bt" if mode is None else ops.tostring(mode)
            return load_chunk(src, name, G if env is NOARG else env, md)
        except LuaError as e:
            return None, e.value

    def dofile(fname: Any = None, *_: Any) -> Any:
        """dofile([filename]): run the file, errors propagate."""
        src, name = _read(fname)
        return load_chunk(src, name, G)()

    return load, loadfile, dofile


def _searchpath(name: str, path: str, sep: str = ".", rep: str = "/") -> tuple[Any, ...]:
    """loadlib.c ``searchpath``: the first readable file of ``path``'s templates with
    ``?`` replaced by ``name`` (``sep`` in the name replaced by ``rep`` first), or
    (nil, "no file 'a'\n\tno file 'b'...")."""
    import os

    if sep and sep in name:
        name = name.replace(sep, rep)
    names = path.replace("?", name)
    for fn in names.split(";"):
        # readable(): fopen(fn, "r") succeeds (a directory opens too on Linux)
        if fn and os.access(fn, os.R_OK):
            return (fn,)
    return None, "no file '" + names.replace(";", "'\n\tno file '") + "'"


def _make_require(G: LuaTable, package: LuaTable) -> Callable[..., Any]:
    from nse.lua.errors import check_str, opt_str

    def findfile(name: str, pname: str, dirsep: str) -> tuple[Any, ...]:
        path = package[pname]
        if type(path) is not str:
            lua_error(f"'package.{pname}' must be a string")
        return _searchpath(name, path, ".", dirsep)

    def searcher_preload(name: Any = NOARG, *_: Any) -> Any:
        """package.searchers[1]: package.preload[name]."""
        n = check_str(name, 1, "searcher_preload")
        pre = package["preload"]
        if not isinstance(pre, LuaTable):
            lua_error("'package.preload' must be a table")
        if pre[n] is None:
            return f"no field package.preload['{n}']"
        return pre[n], ":preload:"

    def searcher_lua(name: Any = NOARG, *_: Any) -> Any:
        """package.searchers[2]: a Lua file on package.path."""
        n = check_str(name, 1, "searcher_Lua")
        r = findfile(n, "path", "/")
        if r[0] is None:
            return r[1]
        fn = r[0]
        try:
            with open(fn, "rb") as fh:
                src = fh.read().decode("latin-1")
            loader = load_chunk(src, "@" + fn, G)
        except OSError as e:
            lua_error(f"error loading module '{n}' from file '{fn}':\n\tcannot read {fn}: "
                      f"{e.strerror}")
        except LuaError as e:
            lua_error(f"error loading module '{n}' from file '{fn}':\n\t{e.value}")
        return loader, fn

    def searcher_c(name: Any = NOARG, *_: Any) -> Any:
        """package.searchers[3]: C libraries cannot be loaded here; the search (and its
        message) is lua5.4's, over package.cpath."""
        n = check_str(name, 1, "searcher_C")
        r = findfile(n, "cpath", "/")
        if r[0] is None:
            return r[1]
        lua_error(f"error loading module '{n}' from file '{r[0]}':\n\t"
                  "C modules are not supported")

    def searcher_croot(name: Any = NOARG, *_: Any) -> Any:
        """package.searchers[4]: the root name of a dotted module on package.cpath."""
        n = check_str(name, 1, "searcher_Croot")
        if "." not in n:
            return ()
        r = findfile(n.split(".", 1)[0], "cpath", "/")
        if r[0] is None:
            return r[1]
        return f"no module '{n}' in file '{r[0]}'"

    searchers = LuaTable.from_list([searcher_preload, searcher_lua, searcher_c,
                                    searcher_croot])
    package["searchers"] = searchers

    def searchpath(name: Any = NOARG, path: Any = NOARG, sep: Any = NOARG,
                   rep: Any = NOARG, *_: Any) -> tuple[Any, ...]:
        """package.searchpath(name, path [, sep [, rep]])"""
        return _searchpath(check_str(name, 1, "searchpath"), check_str(path, 2, "searchpath"),
                           opt_str(sep, 3, "searchpath", "."),
                           opt_str(rep, 4, "searchpath", "/"))

    package["searchpath"] = searchpath

    def require(name: Any = NOARG, *_: Any) -> Any:
        """require(modname) as loadlib.c ll_require: package.loaded, then each of
        package.searchers (the NSE engine installs its own require over this one)."""
        n = check_str(name, 1, "require")
        loaded = package["loaded"]
        if isinstance(loaded, LuaTable) and loaded[n] is not None:
            return loaded[n]
        srch = package["searchers"]
        if not isinstance(srch, LuaTable):
            lua_error("'package.searchers' must be a table")
        msg: list[str] = []
        i = 1
        while True:
            searcher = srch[i]
            if searcher is None:
                lua_error(f"module '{n}' not found:" + "".join(msg))
            r = ops.mv(ops.call(searcher, n))
            loader = r[0] if r else None
            extra = r[1] if len(r) > 1 else None
            if callable(loader) and not isinstance(loader, LuaTable):
                break
            if type(loader) is str or type(loader) is int or type(loader) is float:
                msg.append("\n\t" + ops.tostring(loader))
            i += 1
        res = first(loader(n, extra))
        if isinstance(loaded, LuaTable):
            if res is not None:
                loaded[n] = res
            elif loaded[n] is None:
                loaded[n] = True
            return loaded[n], extra
        return res, extra

    return require


# ----------------------------------------------------------------------------- gc
_GC_OPTS = ("collect", "stop", "restart", "count", "step", "isrunning", "incremental",
            "generational", "setpause", "setstepmul")  # fmt: skip
_gc_running = [True]
_gc_mode = ["incremental"]


def collectgarbage(opt: Any = "collect", *args: Any) -> Any:
    """collectgarbage([opt [, ...]]): Python's gc behind Lua's options."""
    import gc

    o = "collect" if opt is None else ops.tostring(opt)
    if o not in _GC_OPTS:
        arg_error(1, "collectgarbage", f"invalid option '{o}'")
    if o == "collect":
        gc.collect()
        return 0
    if o == "count":
        # KB in use: an estimate from the allocator's block count (no exact figure)
        return sys.getallocatedblocks() * 64 / 1024.0
    if o == "step":
        gc.collect(0)
        return False
    if o == "isrunning":
        return _gc_running[0]
    if o == "stop":
        _gc_running[0] = False
        return 0
    if o == "restart":
        _gc_running[0] = True
        return 0
    if o in ("incremental", "generational"):
        prev = _gc_mode[0]
        _gc_mode[0] = o
        return prev
    return 0


# ----------------------------------------------------------------------------- debug (subset)
def _debug_traceback(*args: Any) -> Any:
    """debug.traceback([thread,] [message [, level]]): Lua frames, innermost first."""
    frame = None
    if args and isinstance(args[0], coroutine.Coroutine):
        th = args[0]
        args = args[1:]
        g = th.glet
        frame = getattr(g, "gr_frame", None) if g is not None else None
        if frame is None:
            msg0 = args[0] if args else None
            text0 = None if msg0 is None else ops.tostring(msg0)
            return (text0 + "\n" if text0 else "") + "stack traceback:"
    msg = args[0] if args else None
    if msg is not None and type(msg) is not str and type(msg) not in (int, float):
        return msg  # non-string messages are returned untouched
    text = None if msg is None else ops.tostring(msg)
    if frame is None:
        if _handling:
            # inside xpcall's handler: the stack of the error, not of the handler
            tb = _handling[-1].__traceback__
            while tb is not None:
                frame = tb.tb_frame
                tb = tb.tb_next
        else:
            frame = sys._getframe(1)
    return traceback_string(frame, text)


_registry = LuaTable()


def _frame_what(code: Any) -> str:
    return "main" if code.co_qualname == "chunk.<locals>.main" else "Lua"


def _debug_getinfo(*args: Any) -> Any:
    """debug.getinfo([thread,] f [, what]): for a level, the fields source, short_src,
    what ("main", "Lua" or "C"), currentline, linedefined; for a function, what is known
    about a Python callable."""
    from nse.lua.errors import _boundaries

    if args and isinstance(args[0], coroutine.Coroutine):
        args = args[1:]
    lvl = args[0] if args else NOARG
    t = LuaTable()
    if callable(lvl) and not isinstance(lvl, LuaTable):
        code = getattr(lvl, "__code__", None)
        if code is not None and is_lua_code(code):
            t["what"] = _frame_what(code)
            t["source"] = "@" + code.co_filename
            t["short_src"] = code.co_filename
            t["linedefined"] = code.co_firstlineno
        else:
            t["what"] = "C"
            t["source"] = "=[C]"
            t["short_src"] = "[C]"
            t["linedefined"] = -1
        t["currentline"] = -1
        t["func"] = lvl
        return t
    n = check_int(lvl, 1, "getinfo")
    if n == 0:  # getinfo itself
        t["what"] = "C"
        t["source"] = "=[C]"
        t["short_src"] = "[C]"
        t["currentline"] = -1
        t["name"] = "getinfo"
        return t
    f: FrameType | None = sys._getframe(1)
    while f is not None:
        code = f.f_code
        if is_lua_code(code, f.f_globals):
            n -= 1
            if n == 0:
                t["what"] = _frame_what(code)
                t["source"] = "@" + code.co_filename
                t["short_src"] = code.co_filename
                t["currentline"] = f.f_lineno
                t["linedefined"] = 0 if t["what"] == "main" else code.co_firstlineno
                return t
        elif code in _boundaries:
            n -= 1
            if n == 0:
                t["what"] = "C"
                t["source"] = "=[C]"
                t["short_src"] = "[C]"
                t["currentline"] = -1
                return t
        f = f.f_back
    return None


def _open_debug() -> LuaTable:
    lib = LuaTable()
    lib["traceback"] = _debug_traceback
    lib["getinfo"] = _debug_getinfo
    lib["getmetatable"] = lambda v=None, *_: getmetatable_raw(v)

    def _setmt(v: Any = None, mt: Any = None, *_: Any) -> Any:
        if isinstance(v, LuaTable):
            v.meta = mt
        elif type(v) is str:
            ops.set_string_meta(mt)
        return v

    lib["setmetatable"] = _setmt
    lib["getregistry"] = lambda *_: _registry
    lib["sethook"] = lambda *_: ()
    lib["gethook"] = lambda *_: None
    return lib


# ----------------------------------------------------------------------------- _G
_BASE: dict[str, Callable[..., Any]] = {
    "print": lua_print,
    "type": lua_type,
    "tostring": lua_tostring,
    "tonumber": lua_tonumber,
    "select": select,
    "rawget": rawget,
    "rawset": rawset,
    "rawequal": rawequal,
    "rawlen": rawlen,
    "setmetatable": setmetatable,
    "getmetatable": getmetatable,
    "error": error,
    "pcall": pcall,
    "xpcall": xpcall,
    "assert": lua_assert,
    "next": lua_next,
    "pairs": pairs,
    "ipairs": ipairs,
    "collectgarbage": collectgarbage,
}

_LIBS = (
    ("string", "strlib"),
    ("table", "tablib"),
    ("math", "mathlib"),
    ("utf8", "utf8lib"),
    ("os", "oslib"),
    ("io", "iolib"),
)


#: Python recursion limit the runtime needs: a Lua call is one or two Python frames, and
#: Lua programs recurse deeper than Python's default 1000 allows (lua5.4 manages ~200000
#: Lua levels).  20000 was measured safe for the C stack (8 MB) with recursion through
#: varargs calls, pcall, __index and __call, in the main greenlet and in coroutines;
#: beyond the limit the error is Lua's "stack overflow".
RECURSION_LIMIT = 20000


def new_env() -> LuaTable:
    """A fresh ``_G`` with the basic functions and every standard library installed.

    Also raises Python's recursion limit to :data:`RECURSION_LIMIT` (process-wide)."""
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    G = LuaTable()
    for name, fn in _BASE.items():
        G[name] = fn
    G["_G"] = G
    G["_VERSION"] = "Lua 5.4"
    G["load"], G["loadfile"], G["dofile"] = _make_load(G)
    coroutine.YIELDABLE_CODES.update(
        # (pairs: lbaselib.c calls __pairs with lua_callk, so it may yield)
        (pcall.__code__, xpcall.__code__, G["dofile"].__code__, _pcall_error.__code__,
         pairs.__code__)
    )
    loaded = LuaTable()
    loaded["_G"] = G
    co = coroutine.open_lib(G)
    G["coroutine"] = co
    register_qualnames("coroutine.", co)
    loaded["coroutine"] = co
    for libname, modname in _LIBS:
        try:
            mod = importlib.import_module("nse.lua." + modname)
        except ImportError:
            continue
        opener = getattr(mod, "open_lib", None)
        if opener is None:
            continue
        lib = opener(G)
        G[libname] = lib
        loaded[libname] = lib
        if isinstance(lib, LuaTable):
            register_qualnames(libname + ".", lib)
        if libname == "string" and ops._string_meta is None:
            mt = LuaTable()
            mt["__index"] = lib
            ops.set_string_meta(mt)
    dbg = _open_debug()
    G["debug"] = dbg
    loaded["debug"] = dbg
    package = LuaTable()
    package["loaded"] = loaded
    package["preload"] = LuaTable()
    package["path"] = "./?.lua;./?/init.lua"
    package["cpath"] = ""
    package["config"] = "/\n;\n?\n!\n-\n"
    G["package"] = package
    G["require"] = _make_require(G, package)
    register_qualnames("package.", package)
    loaded["package"] = package
    return G
