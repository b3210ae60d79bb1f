"""Lua coroutines (manual §2.6, §6.2) as greenlets.

A :class:`Coroutine` owns a greenlet created on its first resume.  ``resume`` switches
into it with the *resuming* greenlet as its parent (set at every resume), so yields and
returns land back in whoever resumed, also when the resumer is a gevent greenlet running an
NSE script.  Because a greenlet keeps its whole Python stack, yielding across ``pcall``,
metamethods, iterators and library calls needs nothing special.

Values passed back to the resumer are a bare tuple of values for a yield and an
``_End`` for the end of the body (``kind`` "r" with the returned values, "e" with the
LuaError).

Greenlets that are not Lua coroutines (the main greenlet, gevent greenlets running
scripts) are represented by a "main" Coroutine made on demand, so ``coroutine.running()``
returns a stable object for them (NSE libraries key mutexes and condition variables on it);
they cannot be resumed or yielded from.

``close`` of a suspended coroutine throws ``GreenletExit`` into it: Python ``finally``
blocks (which the transpiler uses for to-be-closed variables) run; an error raised while
closing is returned as ``false, err``.  ``pcall`` catches ``Exception`` only, so
``GreenletExit`` (and gevent's ``Timeout``) pass through Lua's protected calls.
"""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable
from typing import Any

import greenlet

from nse.lua.errors import NOARG, LuaError, from_python_exception, lua_error, type_error, where
from nse.lua.luatable import LuaTable

__all__ = [
    "Coroutine",
    "current",
    "create",
    "resume",
    "yield_",
    "status",
    "wrap",
    "isyieldable",
    "running",
    "close",
    "open_lib",
]


class _CoGreenlet(greenlet.greenlet):  # type: ignore[misc]
    """The greenlet of a Lua coroutine (knows its Coroutine)."""

    # slots: read on every yield (a slot is ~3x faster to read than a dict attribute)
    __slots__ = ("lua_co", "ok_frame")
    lua_co: Coroutine
    #: the last frame that called yield_ and passed _check_yieldable
    ok_frame: Any


class Coroutine:
    """A Lua thread value (``type(co) == "thread"``)."""

    __slots__ = ("fn", "glet", "status", "is_main", "error", "pending", "rg", "rc",
                 "__weakref__")

    def __init__(self, fn: Callable[..., Any] | None, is_main: bool = False) -> None:
        self.fn = fn
        self.glet: greenlet.greenlet | None = None
        #: "suspended", "running", "normal" or "dead"
        self.status = "running" if is_main else "suspended"
        self.is_main = is_main
        #: the error value a coroutine died with (returned again by ``close``)
        self.error: Any = None
        #: to-be-closed values left open by the error that killed it (manual 3.3.8:
        #: closed by coroutine.close, or by wrap's caller), innermost first
        self.pending: list[Any] | None = None
        #: the greenlet that resumed it last (its greenlet's parent) and that greenlet's
        #: Coroutine: a resume from the same place needs neither looked up again
        self.rg: Any = None
        self.rc: Coroutine | None = None

    def __repr__(self) -> str:
        return f"<Coroutine {self.status} at 0x{id(self):x}>"


_mains: weakref.WeakKeyDictionary[Any, Coroutine] = weakref.WeakKeyDictionary()


def current() -> Coroutine:
    """The running coroutine (a "main" one for greenlets that are not Lua coroutines)."""
    g = greenlet.getcurrent()
    try:
        co: Coroutine = g.lua_co  # Lua coroutines, and greenlets seen before
        return co
    except AttributeError:
        pass
    co2 = Coroutine(None, is_main=True)
    co2.glet = g
    try:
        g.lua_co = co2  # greenlets (and gevent's) accept attributes
    except AttributeError:
        co2 = _mains.setdefault(g, co2)
    return co2


def _check_co(co: Any, argn: int, fname: str) -> Coroutine:
    if not isinstance(co, Coroutine):
        type_error(argn, fname, "thread", co)
    return co


def create(f: Any = NOARG, *_: Any) -> Coroutine:
    """coroutine.create(f)"""
    if not callable(f) or isinstance(f, LuaTable):
        type_error(1, "create", "function", f)
    return Coroutine(f)


def _body(co: Coroutine) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        try:
            fn = co.fn
            assert fn is not None
            r = fn(*args)
            return _End("r", r if type(r) is tuple else (r,))
        except greenlet.GreenletExit:
            raise
        except Exception as e:  # noqa: BLE001 - every Lua-visible error
            return _End("e", from_python_exception(e))

    return run


class _End:
    """What a coroutine's greenlet returns to its resumer when its body ends: ``kind``
    "r" (returned ``payload``, a tuple of values) or "e" (died of LuaError ``payload``).
    A yield passes a bare tuple instead, so the resumer tells the two apart with one
    ``type()`` test and a yield allocates nothing but its values."""

    __slots__ = ("kind", "payload")

    def __init__(self, kind: str, payload: Any) -> None:
        self.kind = kind
        self.payload = payload


_RUN_CODE = _body(None).__code__  # type: ignore[arg-type]
#: modules whose frames cannot catch a Lua error on its way out of a coroutine
_TRANSPARENT = frozenset(("transpiler.rtx", "nse.lua.ops", "nse.lua.luatable",
                          "nse.lua.errors"))
_getcurrent = greenlet.getcurrent


def _start(co: Coroutine) -> greenlet.greenlet:
    """The greenlet of ``co``'s first resume."""
    g = _CoGreenlet(_body(co))
    g.lua_co = co
    g.ok_frame = None
    co.glet = g
    return g


def _resumer(co: Coroutine, g: greenlet.greenlet, cur: Any) -> Coroutine:
    """A resume of ``co`` from greenlet ``cur`` other than the last one: make ``cur``
    the parent of ``co``'s greenlet ``g``; the resumer's Coroutine."""
    try:
        prev: Coroutine = cur.lua_co
    except AttributeError:
        prev = current()
    g.parent = cur
    co.rg = cur
    co.rc = prev
    return prev


def _resume(co: Coroutine, args: tuple[Any, ...]) -> tuple[bool, tuple[Any, ...] | Any]:
    """Resume ``co``; (True, values) or (False, error value).

    The hot path of every resume (``resume``, ``wrap``'s function): kept to attribute
    reads and one greenlet switch; :func:`resume` and ``wrapped`` repeat it inline."""
    if co.status != "suspended":
        if co.status == "dead":
            return False, "cannot resume dead coroutine"
        return False, "cannot resume non-suspended coroutine"
    cur = _getcurrent()
    g = co.glet
    if g is None:
        g = _start(co)
    prev = co.rc
    if co.rg is not cur or prev is None:
        prev = _resumer(co, g, cur)
    prev.status = "normal"
    co.status = "running"
    try:
        r = g.switch(*args)
    except BaseException:
        _lost(co, prev)
        raise
    prev.status = "running"
    if type(r) is tuple:  # a yield
        co.status = "suspended"
        return True, r
    return _ended(co, r)


def _lost(co: Coroutine, prev: Coroutine) -> None:
    # not a Lua error (GreenletExit, gevent's Timeout, KeyboardInterrupt...): the
    # coroutine is unusable from now on; the exception goes on
    prev.status = "running"
    co.status = "dead"
    co.glet = None
    co.fn = None
    co.rg = co.rc = None


def _ended(co: Coroutine, r: Any) -> tuple[bool, Any]:
    """The body of ``co`` returned or raised (``r`` is its :class:`_End`)."""
    co.status = "dead"
    co.glet = None
    co.fn = None
    co.rg = co.rc = None
    if type(r) is not _End:
        # the greenlet ended without running _body's handlers (a GreenletExit thrown
        # into it from outside, e.g. gevent.kill): not a Lua outcome, pass it on
        raise r if isinstance(r, BaseException) else greenlet.GreenletExit()
    if r.kind == "r":
        return True, r.payload
    err: LuaError = r.payload
    co.error = err
    return False, err.value


def resume(co: Any = NOARG, *args: Any) -> tuple[Any, ...]:
    """coroutine.resume(co, ...) -> true, values... | false, err"""
    # _resume inline for a suspended coroutine (a Python call less per resume)
    if type(co) is Coroutine and co.status == "suspended":
        cur = _getcurrent()
        g = co.glet
        if g is None:
            g = _start(co)
        prev = co.rc
        if co.rg is not cur or prev is None:
            prev = _resumer(co, g, cur)
        prev.status = "normal"
        co.status = "running"
        try:
            r = g.switch(*args)
        except BaseException:
            _lost(co, prev)
            raise
        prev.status = "running"
        if type(r) is tuple:
            co.status = "suspended"
            return (True, *r)
        ok, r = _ended(co, r)
    else:
        c = _check_co(co, 1, "resume")
        ok, r = _resume(c, args)
    if ok:
        return (True, *r)
    return (False, r)


#: Standard library modules: their functions are C functions in lua5.4, and a Lua
#: function they call cannot yield (lua_call without continuation): table.sort's
#: comparator, gsub's replacement function ...  ``pcall``/``xpcall``/``dofile`` use
#: continuations in lua5.4 and are allowed (``YIELDABLE_CODES``).
C_LIB_MODULES = frozenset(
    "nse.lua." + m
    for m in ("baselib", "strlib", "lpattern", "strformat", "strpack", "tablib", "mathlib",
              "utf8lib", "oslib", "iolib")
)  # fmt: skip
YIELDABLE_CODES: set[Any] = set()


_in_c_lib: dict[Any, bool] = {}  # code object -> defined in a C_LIB_MODULES module


def _check_yieldable(frame: Any) -> None:
    f = frame
    cache = _in_c_lib
    while f is not None:
        code = f.f_code
        c = cache.get(code)
        if c is None:
            if len(cache) > 100_000:  # code objects of discarded chunks
                cache.clear()
            c = cache[code] = f.f_globals.get("__name__") in C_LIB_MODULES
        if c and code not in YIELDABLE_CODES:
            lua_error("attempt to yield across a C-call boundary", 0)
        f = f.f_back


def yield_(*args: Any) -> Any:
    """coroutine.yield(...) -> the values passed to the next resume."""
    g = _getcurrent()
    if type(g) is not _CoGreenlet:
        lua_error("attempt to yield from outside a coroutine", 0)
    f = sys._getframe(1)
    if f is not g.ok_frame:
        # The frames under a live frame never change, so a coroutine yielding again
        # from the same activation (a generator's loop) need not walk them again; the
        # reference held keeps the frame object (and its identity) alive.
        _check_yieldable(f)
        g.ok_frame = f
    # a bare tuple tells the resumer "yield" (the body's end is an _End)
    return g.parent.switch(args)


def status(co: Any = NOARG, *_: Any) -> str:
    """coroutine.status(co)"""
    c = _check_co(co, 1, "status")
    return c.status


def isyieldable(co: Any = None, *_: Any) -> bool:
    """coroutine.isyieldable([co]): false in the main coroutine, and (for the running
    coroutine) inside a callback of a library function that could not let it yield
    (sort's comparator, gsub's function, __tostring under tostring, load's reader), the
    frames :func:`yield_` would refuse."""
    c = current() if co is None else _check_co(co, 1, "isyieldable")
    if c.is_main:
        return False
    if c.status == "running":
        try:
            _check_yieldable(sys._getframe(1))
        except LuaError:
            return False
    return True


def running(*_: Any) -> tuple[Coroutine, bool]:
    """coroutine.running() -> co, ismain"""
    c = current()
    return c, c.is_main


def wrap(f: Any = NOARG, *_: Any) -> Callable[..., Any]:
    """coroutine.wrap(f): a function resuming a new coroutine; errors propagate (a string
    error gets the caller's position prepended, as auxwrap does)."""
    co = create(f)

    def wrapped(*args: Any) -> Any:
        if co.status == "suspended":  # _resume inline, as in resume()
            cur = _getcurrent()
            g = co.glet
            if g is None:
                g = _start(co)
            prev = co.rc
            if co.rg is not cur or prev is None:
                prev = _resumer(co, g, cur)
            prev.status = "normal"
            co.status = "running"
            try:
                r = g.switch(*args)
            except BaseException:
                _lost(co, prev)
                raise
            prev.status = "running"
            if type(r) is tuple:
                co.status = "suspended"
                return r
            ok, r = _ended(co, r)
        else:
            ok, r = _resume(co, args)
        if ok:
            return r
        co.error = None  # auxwrap closes the dead coroutine (lua_closethread)
        if co.pending:
            r = _close_pending(co, r)
        if type(r) is str:
            r = where(1) + r
        raise LuaError(r)

    return wrapped


def defer_close(frame: Any, v: Any, err: Any) -> bool:
    """Called by the transpiler's ``tbc_close`` while an error unwinds a ``<close>``
    scope: when nothing but Lua code lies between ``frame`` and the base of the running
    coroutine (no pcall or library function that could catch), the error will end the
    coroutine, which in Lua 5.4 does not unwind its stack (manual 3.3.8): keep ``v``
    to be closed by coroutine.close and return True.  False: close it now."""
    from nse.lua.errors import is_lua_code

    g = greenlet.getcurrent()
    if type(g) is not _CoGreenlet:
        return False
    f = frame
    while f is not None:
        code = f.f_code
        if code is _RUN_CODE:
            co = g.lua_co
            if co.status != "running":  # coroutine.close unwinding it: close now
                return False
            if co.pending is None:
                co.pending = []
            co.pending.append(v)
            return True
        if not (is_lua_code(code, f.f_globals)
                or f.f_globals.get("__name__") in _TRANSPARENT):
            return False
        f = f.f_back
    return False


def _close_pending(c: Coroutine, err: Any) -> Any:
    """lua_closethread of a coroutine dead by error: its pending ``__close`` handlers,
    innermost first, each with the current error (one raised by a handler replaces
    it); the final error value."""
    from nse.lua.ops import getmetamethod

    pend, c.pending = c.pending, None
    for v in pend or ():
        try:
            h = getmetamethod(v, "__close")
            if h is not None:
                h(v, err)
        except Exception as e:  # noqa: BLE001 - the new error object
            err = from_python_exception(e).value
    return err


def close(co: Any = NOARG, *_: Any) -> Any:
    """coroutine.close(co) -> true | false, err"""
    c = _check_co(co, 1, "close")
    st = c.status
    if st == "running" or st == "normal":
        lua_error(f"cannot close a {st} coroutine")
    if st == "dead":
        if c.error is not None:
            err, c.error = c.error, None
            return False, _close_pending(c, err.value)
        return True
    # suspended: unwind its stack so pending finally/__close handlers run
    g = c.glet
    c.status = "dead"
    c.fn = None
    c.glet = None
    if g is None or not g:
        return True
    g.parent = greenlet.getcurrent()
    c.rg = c.rc = None
    try:
        r = g.throw(greenlet.GreenletExit)
    except Exception as e:  # noqa: BLE001 - an error in a __close handler
        return False, from_python_exception(e).value
    if type(r) is _End and r.kind == "e":
        return False, r.payload.value  # _body caught an error raised while unwinding
    return True


def open_lib(env: LuaTable) -> LuaTable:
    """The ``coroutine`` library table."""
    lib = LuaTable()
    for name, fn in (
        ("create", create),
        ("resume", resume),
        ("yield", yield_),
        ("status", status),
        ("wrap", wrap),
        ("isyieldable", isyieldable),
        ("running", running),
        ("close", close),
    ):
        lib[name] = fn
    return lib
