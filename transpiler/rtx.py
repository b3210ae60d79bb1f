"""Run-time helpers that transpiled code needs beyond ``nse.lua.rt``'s contract.

These implement statement-level Lua rules (numeric and generic ``for``, to-be-closed
variables, value-list adjustment) that have no operator in ``rt``.  They are ordinary
Python (not Lua code for :func:`nse.lua.errors.where`), so errors they raise are positioned
at the transpiled Lua frame that called them.  Candidates to move into ``nse.lua.rt``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any

from greenlet import GreenletExit

from nse.lua.baselib import ipairs_aux, lua_next, pairs_fast
from nse.lua.baselib import select as lua_select
from nse.lua.coroutine import defer_close
from nse.lua.errors import LuaError, op_error, typename
from nse.lua.luatable import LuaTable
from nse.lua.ops import concat, getmetamethod, numeric_for

__all__ = ["forrange", "forin", "forin_error", "forin_close",
           "tbc_check", "tbc_close", "adjust",
           "table_mixed", "concatn", "NORET", "lua_select"]

# lua_select: the standard ``select``, which generated code compares the global
# ``select`` with before reading ``select('#', ...)`` / ``select(i, ...)`` in place

#: What a loop moved into a function of its own returns when it ends without ``return``.
NORET: Any = object()


def _objtypename(v: Any) -> str:
    if isinstance(v, LuaTable) and v.meta is not None:
        n = v.meta["__name"]
        if type(n) is str:
            return n
    return typename(v)


# ``for v = a, b, c``: the runtime's one implementation (lvm.c forprep)
forrange = numeric_for


def forin(n: int, f: Any = None, s: Any = None, ctl: Any = None, closing: Any = None,
          *_: Any) -> Iterator[Any]:
    """The values of ``for v1, ..., vn in explist`` (manual section 3.3.5).

    Yields the first value when ``n == 1``, else an ``n``-tuple.  A closing value is
    closed when the loop ends: the generated code calls :func:`forin_error` when an error
    leaves the loop and :func:`forin_close` in any case."""
    if closing is not None and closing is not False:
        tbc_check(closing, "(for state)")
        return _ClosingLoop(_forin(n, f, s, ctl), closing)
    if not callable(f) or (isinstance(f, LuaTable) and (f.meta is None
                                                        or f.meta["__call"] is None)):
        op_error(f"attempt to call a {typename(f)} value (for iterator 'for iterator')")
    if type(s) is LuaTable:
        # pairs(t) and ipairs(t) on a table: iterate in Python, same order and results
        if f is lua_next and ctl is None and n <= 2:
            return pairs_fast(s) if n == 2 else (k for k, _ in pairs_fast(s))
        if f is ipairs_aux and ctl == 0 and type(ctl) is int and n <= 2:
            return _ipairs(s, n)
    return _forin(n, f, s, ctl)


def _ipairs(t: LuaTable, n: int) -> Iterator[Any]:
    """``ipairs(t)``: t[1], t[2], ... until a nil, with ``__index`` (lbaselib.c ipairsaux)."""
    i = 1
    while True:
        v = t[i]  # a present value is the result whatever the metatable (lua_geti)
        if v is None:
            # through ipairs' own iterator (a C function: an __index run from it cannot
            # yield, lbaselib.c ipairsaux calls lua_geti without a continuation)
            r = ipairs_aux(t, i - 1)
            if r is None:
                return
            v = r[1]
        yield (i, v) if n == 2 else i
        i += 1


def _forin(n: int, f: Any, s: Any, ctl: Any) -> Iterator[Any]:
    if n == 1:
        while True:
            r = f(s, ctl)
            if type(r) is tuple:
                r = r[0] if r else None
            if r is None:
                return
            ctl = r
            yield r
    pad = (None,) * n
    while True:
        r = f(s, ctl)
        if type(r) is tuple:
            if not r:
                return
            ctl = r[0]
            if ctl is None:
                return
            if len(r) != n:
                r = (r + pad)[:n]
        else:
            if r is None:
                return
            ctl = r
            r = (r,) + pad[1:]
        yield r


class _ClosingLoop:
    """Iterator of a generic ``for`` with a closing value."""

    def __init__(self, it: Iterator[Any], closing: Any) -> None:
        self.it = it
        self.closing = closing

    def __iter__(self) -> _ClosingLoop:
        return self

    def __next__(self) -> Any:
        try:
            return next(self.it)
        except StopIteration:
            self.close(None)
            raise

    def close(self, err: BaseException | None) -> None:
        c, self.closing = self.closing, None
        if c is not None:
            tbc_close(c, err)



def forin_error(it: Any, err: BaseException) -> None:
    """An error leaves a generic ``for``: close its closing value with the error."""
    if type(it) is _ClosingLoop:
        it.close(err)


def forin_close(it: Any) -> None:
    """A generic ``for`` ends (normally, ``break``, ``return``): close its closing value."""
    if type(it) is _ClosingLoop:
        it.close(None)


def table_mixed(keyed: tuple[bool, ...], *args: Any) -> LuaTable:
    """A constructor mixing ``[k] = v`` and positional items, with Lua's store order:
    keyed fields at once, positional ones in batches of 50 (lopcodes.h
    LFIELDS_PER_FLUSH) and at the end; a multi-valued last item expands."""
    t = LuaTable()
    pending: list[Any] = []
    n = 0
    i = 0
    for is_key in keyed:
        if is_key:
            t[args[i]] = args[i + 1]
            i += 2
        else:
            pending.append(args[i])
            i += 1
            if len(pending) == 50:
                for v in pending:
                    n += 1
                    t[n] = v
                pending = []
    pending.extend(args[i:])  # values of a multi-valued last item
    for v in pending:
        n += 1
        t[n] = v
    return t


def tbc_check(v: Any, name: str) -> None:
    """``local x <close> = v``: v must be false, nil or have a ``__close`` metamethod."""
    if v is None or v is False:
        return
    if getmetamethod(v, "__close") is None:
        op_error(f"variable '{name}' got a non-closable value")


def tbc_close(v: Any, err: BaseException | None) -> None:
    """Call ``v``'s ``__close(v, errorobject)`` (manual section 3.3.8).

    Leaving a scope normally, or because the coroutine running it is closed
    (``coroutine.close`` kills its greenlet), passes nil as the error object."""
    if v is None or v is False:
        return
    h: Callable[..., Any] = getmetamethod(v, "__close")
    if err is None or isinstance(err, GeneratorExit | GreenletExit):
        h(v, None)
        return
    # an error about to end the running coroutine leaves v open until
    # coroutine.close (manual 3.3.8)
    if defer_close(sys._getframe(1), v, err):
        return
    if isinstance(err, LuaError):
        h(v, err.value)
        return
    from nse.lua.errors import from_python_exception

    h(v, from_python_exception(err).value)


def concatn(*vals: Any) -> Any:
    """``v1 .. v2 .. ... .. vn`` (n >= 3) in one call (lvm.c luaV_concat).

    All strings: one join.  Otherwise pairs are concatenated from the right, numbers
    formatted and ``__concat`` called as Lua does; an error names the operand at its
    position in this call (``__lua_names__`` of the call has one entry per operand)."""
    try:
        return "".join(vals)
    except TypeError:
        pass
    n = len(vals)
    acc = vals[-1]
    for i in range(n - 2, -1, -1):
        x = vals[i]
        tx = type(x)
        ta = type(acc)
        x_ok = tx is str or tx is int or tx is float
        if not (x_ok and (ta is str or ta is int or ta is float)) and \
                getmetamethod(x, "__concat") is None and getmetamethod(acc, "__concat") is None:
            # luaG_concaterror: blame the first operand of the pair that is not a string
            # or number; an intermediate result has no name
            if x_ok:
                op_error(f"attempt to concatenate a {_objtypename(acc)} value",
                         i + 1 if i == n - 2 else None)
            op_error(f"attempt to concatenate a {_objtypename(x)} value", i)
        acc = concat(x, acc)
    return acc


def adjust(v: Any, n: int) -> tuple[Any, ...]:
    """A value list adjusted to exactly ``n`` values (manual section 3.4.12)."""
    if type(v) is not tuple:
        v = (v,)
    if len(v) == n:
        return v  # type: ignore[no-any-return]
    return (v + (None,) * n)[:n]  # type: ignore[no-any-return]
