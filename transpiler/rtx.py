"""Run-time helpers that transpiled code needs beyond ``nse.lua.rt``'s contract.

These implement statement-level Lua rules (numeric and generic ``for``, to-be-closed
variables, value-list adjustment) that have no operator in ``rt``.  They are ordinary
Python (not Lua code for :func:`nse.lua.errors.where`), so errors they raise are positioned
at the transpiled Lua frame that called them.  Candidates to move into ``nse.lua.rt``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from nse.lua.errors import LuaError, op_error, typename
from nse.lua.luatable import LuaTable
from nse.lua.numfmt import str2number

__all__ = ["forrange", "forin", "tbc_check", "tbc_close", "adjust"]

_MAXI = 2**63 - 1
_MINI = -(2**63)


def _num(v: Any, what: str) -> int | float:
    t = type(v)
    if t is int or t is float:
        return v  # type: ignore[no-any-return]
    if t is str:
        n = str2number(v)
        if n is not None:
            return n
    op_error(f"bad 'for' {what} (number expected, got {_objtypename(v)})")


def _objtypename(v: Any) -> str:
    if isinstance(v, LuaTable) and v.meta is not None:
        n = v.meta["__name"]
        if type(n) is str:
            return n
    return typename(v)


def forrange(init: Any, limit: Any, step: Any = 1) -> Any:
    """The values of ``for v = init, limit, step`` (manual section 3.3.5, lvm.c forprep).

    Integer loops (integer init and step) are a ``range`` over a precomputed count, so
    they cannot overflow; otherwise the loop runs on floats."""
    if type(init) is int and type(step) is int:
        if step == 0:
            op_error("'for' step is zero")
        if type(limit) is not int:
            lim = _num(limit, "limit")
            if type(lim) is float:
                # lvm.c forlimit: floor (ceil for a decreasing loop), clipped to the
                # integer range; a NaN limit means the loop does not run.
                if lim != lim:
                    return ()
                if lim in (math.inf, -math.inf):
                    ilim: int | float = lim
                else:
                    ilim = math.ceil(lim) if step < 0 else math.floor(lim)
                if ilim > _MAXI:
                    if step < 0:
                        return ()
                    ilim = _MAXI
                elif ilim < _MINI:
                    if step > 0:
                        return ()
                    ilim = _MINI
                lim = ilim
            limit = lim
        if step > 0:
            return range(init, limit + 1, step)
        return range(init, limit - 1, step)
    lim = _num(limit, "limit")  # lvm.c forprep checks limit, step, init in this order
    st = _num(step, "step")
    i = _num(init, "initial value")
    if st == 0:
        op_error("'for' step is zero")
    return _floatloop(float(i), float(lim), float(st))


def _floatloop(i: float, lim: float, st: float) -> Iterator[float]:
    if st > 0:
        while i <= lim:
            yield i
            i += st
    else:
        while i >= lim:
            yield i
            i += st


def forin(n: int, f: Any = None, s: Any = None, ctl: Any = None, closing: Any = None,
          *_: Any) -> Iterator[Any]:
    """The values of ``for v1, ..., vn in explist`` (manual section 3.3.5).

    Yields the first value when ``n == 1``, else an ``n``-tuple.  The closing value is
    closed when the loop ends, whether normally, by ``break`` or by an error."""
    if closing is not None and closing is not False:
        tbc_check(closing, "(for state)")
        return _forin_closing(n, f, s, ctl, closing)
    return _forin(n, f, s, ctl)


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


def _forin_closing(n: int, f: Any, s: Any, ctl: Any, closing: Any) -> Iterator[Any]:
    err: BaseException | None = None
    try:
        yield from _forin(n, f, s, ctl)
    except BaseException as e:  # noqa: B036 - the closing value sees every error
        err = e
        raise
    finally:
        tbc_close(closing, err)


def tbc_check(v: Any, name: str) -> None:
    """``local x <close> = v``: v must be false, nil or have a ``__close`` metamethod."""
    if v is None or v is False:
        return
    mt = v.meta if isinstance(v, LuaTable) else None
    if mt is None or mt["__close"] is None:
        op_error(f"variable '{name}' got a non-closable value")


def tbc_close(v: Any, err: BaseException | None) -> None:
    """Call ``v``'s ``__close(v, errorobject)`` (manual section 3.3.8)."""
    if v is None or v is False:
        return
    mt: LuaTable = v.meta
    h: Callable[..., Any] = mt["__close"]
    if err is None:
        h(v, None)
        return
    if isinstance(err, LuaError):
        h(v, err.value)
        return
    from nse.lua.errors import from_python_exception

    h(v, from_python_exception(err).value)


def adjust(v: Any, n: int) -> tuple[Any, ...]:
    """A value list adjusted to exactly ``n`` values (manual section 3.4.12)."""
    if type(v) is not tuple:
        v = (v,)
    if len(v) == n:
        return v  # type: ignore[no-any-return]
    return (v + (None,) * n)[:n]  # type: ignore[no-any-return]
