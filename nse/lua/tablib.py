"""The Lua 5.4 ``table`` library (manual §6.6), exact to ``ltablib.c`` of Lua 5.4.4.

§6.6: "Remember that, whenever an operation needs the length of a table, all caveats
about the length operator apply.  All functions ignore non-numeric keys in the tables
given as arguments."  The 5.4 functions respect metamethods (``lua_geti``/``lua_seti``/
``luaL_len``), so a table with a metatable goes through :mod:`nse.lua.ops`; a table
without one is read and written raw, which is the same thing, only faster.

``table.sort`` is Lua's own quicksort (``auxsort``/``partition``), comparison for
comparison, so ties come out in the order lua5.4 leaves them and a comparator that is not
a strict order is caught ("invalid order function for sorting") where Lua catches it.
Like Lua, the pivot is randomised from the clock only after a very unbalanced partition
of a large range (more than 100 elements); before that, results are deterministic.

Known differences from lua5.4
    * Sorting a plain table works on a copy of its array (stored back at the end, also on
      error), so a comparator that reads the table meanwhile sees the unsorted order.
    * ``unpack``'s "too many results" limit is fixed at 999,962 values; Lua's depends on
      how much of its stack is in use.
    * Lengths of tables with holes are :class:`LuaTable`'s borders, which may be other
      (equally valid) borders than Lua's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from nse.lua import ops
from nse.lua.errors import (
    NOARG,
    arg_error,
    c_boundary,
    check_int,
    check_table,
    lua_error,
    opt_int,
    opt_str,
    type_error,
    typename,
)
from nse.lua.luatable import LuaTable
from nse.lua.numfmt import MAXINT, fmt_number, str2number, tointeger

__all__ = ["open_lib"]

_TAB_R, _TAB_W, _TAB_L = 1, 2, 4
_M64 = 0xFFFFFFFFFFFFFFFF
_RANLIMIT = 100
#: lua_checkstack fails a little before LUAI_MAXSTACK (1,000,000 slots); the exact limit
#: depends on the stack in use (999,962 at a script's top level).
_MAX_UNPACK = 999_962


def _checktab(v: Any, argn: int, what: int, fname: str) -> None:
    """``checktab``: a table, or a value whose metatable has the needed metamethods."""
    if isinstance(v, LuaTable):
        return
    mt = _getmetatable(v)
    if mt is not None and (
        (not what & _TAB_R or mt["__index"] is not None)
        and (not what & _TAB_W or mt["__newindex"] is not None)
        and (not what & _TAB_L or mt["__len"] is not None)
    ):
        return
    check_table(v, argn, fname)  # force the error


def _getmetatable(v: Any) -> LuaTable | None:
    return ops.getmetatable_raw(v)


def _len(t: Any) -> int:
    """``luaL_len``: ``#t`` with ``__len``, which must give an integer."""
    if type(t) is LuaTable and t.meta is None:
        return t.length()
    n = _length(t)
    if type(n) is not int:
        if type(n) is str:
            n = str2number(n)
        n = tointeger(n)
        if n is None:
            lua_error("object length is not an integer")
    return n  # type: ignore[no-any-return]


@c_boundary
def _length(t: Any) -> Any:
    """``lua_len`` from C (``__len`` runs one level below a position-less caller)."""
    return ops.length(t)


@c_boundary
def _lua_lt(a: Any, b: Any) -> bool:
    """``lua_lessthan`` from C (``__lt`` likewise)."""
    return ops.lt(a, b)


def _getn(t: Any, argn: int, what: int, fname: str) -> int:
    """``aux_getn``."""
    _checktab(t, argn, what | _TAB_L, fname)
    return _len(t)


def _accessors(t: Any) -> tuple[Callable[[int], Any], Callable[[int, Any], None]]:
    """(get, set) for ``t[i]``: raw for a plain table, through metamethods otherwise."""
    if type(t) is LuaTable and t.meta is None:
        return t.__getitem__, t.__setitem__
    # lua_geti/lua_seti run metamethods from C: a level without position for error()
    return c_boundary(lambda i: ops.index(t, i)), c_boundary(lambda i, v: ops.setindex(t, i, v))


def _pivot_seed() -> int:
    """``l_randomizePivot``: the clock and the time mixed into an unsigned int."""
    c = int(time.process_time() * 1_000_000)
    t = int(time.time())
    return (c + (c >> 32) + t + (t >> 32)) & 0xFFFFFFFF


def open_lib(env: LuaTable) -> LuaTable:
    """Build the ``table`` table (``luaopen_table``)."""
    T = LuaTable()

    def t_concat(t: Any = NOARG, sep: Any = NOARG, i: Any = NOARG, j: Any = NOARG, *_: Any) -> str:
        """§6.6: "Given a list where all elements are strings or numbers, returns the
        string list[i]..sep..list[i+1] ··· sep..list[j]."
        """
        last = _getn(t, 1, _TAB_R, "concat")
        s = opt_str(sep, 2, "concat", "")
        k = opt_int(i, 3, "concat", 1)
        last = opt_int(j, 4, "concat", last)
        if type(t) is LuaTable and t.meta is None and 1 <= k <= last <= t.length():
            try:  # all strings: one C-level join over the array part
                return s.join(t.to_list()[k - 1 : last])
            except TypeError:
                pass  # numbers to format, or an invalid value to report: the loop below
        get = _accessors(t)[0]
        parts = []
        while k <= last:
            v = get(k)
            if type(v) is not str:
                if type(v) is int or type(v) is float:
                    v = fmt_number(v)
                else:
                    lua_error(f"invalid value ({typename(v)}) at index {k} in table for 'concat'")
            parts.append(v)
            k += 1
        return s.join(parts)

    def t_insert(*args: Any) -> Any:
        """§6.6: "Inserts element value at position pos in list, shifting up the elements
        list[pos], list[pos+1], ···, list[#list]." (the argument count matters: *args)"""
        t = args[0] if args else NOARG
        e = _getn(t, 1, _TAB_RW, "insert") + 1  # first empty element
        n = len(args)
        if n == 2:
            v = args[1]
            if type(t) is LuaTable and t.meta is None:
                t[e] = v
            else:
                _accessors(t)[1](e, v)
            return ()
        if n != 3:
            lua_error("wrong number of arguments to 'insert'")
        pos = check_int(args[1], 2, "insert")
        v = args[2]
        # check whether 'pos' is in [1, e]
        if not (pos - 1) & _M64 < e & _M64:
            arg_error(2, "insert", "position out of bounds")
        if type(t) is LuaTable and t.meta is None and e == t.length() + 1:
            t.insert(pos, v)
            return ()
        get, set_ = _accessors(t)
        for k in range(e, pos, -1):  # move up elements
            set_(k, get(k - 1))
        set_(pos, v)
        return ()

    def t_remove(t: Any = NOARG, pos: Any = NOARG, *_: Any) -> Any:
        """§6.6: "Removes from list the element at position pos, returning the value of the
        removed element.  When pos is an integer between 1 and #list, it shifts down the
        elements ...; The index pos can also be 0 when #list is 0, or #list + 1."
        """
        if type(t) is LuaTable and t._lt_meta is None:
            # Plain table: #t is len(_lt_arr) (luatable invariant), so shifting
            # t[p+1..size] down and clearing t[size] is one list pop (then drop the
            # holes left at the end, as t[size] = nil does).
            arr = t._lt_arr
            size = len(arr)
            p = size if pos is NOARG or pos is None else pos
            if type(p) is int and 1 <= p <= size:
                r = arr.pop(p - 1)
                while arr and arr[-1] is None:
                    arr.pop()
                return r
        size = _getn(t, 1, _TAB_RW, "remove")
        p = opt_int(pos, 2, "remove", size)
        if p != size and not (p - 1) & _M64 <= size & _M64:
            # ltablib.c reports this one as argument #1
            arg_error(1, "remove", "position out of bounds")
        get, set_ = _accessors(t)
        r = get(p)
        while p < size:
            set_(p, get(p + 1))
            p += 1
        set_(p, None)
        return r

    def t_move(
        a1: Any = NOARG, f: Any = NOARG, e: Any = NOARG, t: Any = NOARG, a2: Any = NOARG, *_: Any
    ) -> Any:
        """§6.6: "Moves elements from table a1 to table a2, performing the equivalent to the
        following multiple assignment: a2[t],··· = a1[f],···,a1[e].  The default for a2 is
        a1.  The destination range can overlap with the source range."
        """
        fi = check_int(f, 2, "move")
        ei = check_int(e, 3, "move")
        ti = check_int(t, 4, "move")
        dest_is_a1 = a2 is None or a2 is NOARG
        dest = a1 if dest_is_a1 else a2
        _checktab(a1, 1, _TAB_R, "move")
        _checktab(dest, 1 if dest_is_a1 else 5, _TAB_W, "move")
        if ei >= fi:
            if not (fi > 0 or ei < MAXINT + fi):
                arg_error(3, "move", "too many elements to move")
            n = ei - fi + 1  # number of elements to move
            if not ti <= MAXINT - n + 1:
                arg_error(4, "move", "destination wrap around")
            get = _accessors(a1)[0]
            set_ = _accessors(dest)[1]
            if ti > ei or ti <= fi or (not dest_is_a1 and not ops.eq(a1, dest)):
                for k in range(n):
                    set_(ti + k, get(fi + k))
            else:
                for k in range(n - 1, -1, -1):
                    set_(ti + k, get(fi + k))
        return dest

    def t_pack(*args: Any) -> LuaTable:
        """§6.6: "Returns a new table with all arguments stored into keys 1, 2, etc. and with
        a field "n" with the total number of arguments."
        """
        r = LuaTable.from_list(args)
        r["n"] = len(args)
        return r

    def t_unpack(t: Any = NOARG, i: Any = NOARG, j: Any = NOARG, *_: Any) -> Any:
        """§6.6: "Returns the elements from the given list ... By default, i is 1 and j is #list." """
        if t is NOARG:
            t = None  # lua_geti/luaL_len see a nil
        lo = opt_int(i, 2, "unpack", 1)
        hi = _len(t) if j is None or j is NOARG else check_int(j, 3, "unpack")
        if lo > hi:
            return ()
        if hi - lo >= _MAX_UNPACK:
            lua_error("too many results to unpack")
        if type(t) is LuaTable and t.meta is None:
            if lo == 1 and hi == t.length():
                return tuple(t.to_list())
            return tuple([t[k] for k in range(lo, hi + 1)])
        get = _accessors(t)[0]
        return tuple([get(k) for k in range(lo, hi + 1)])

    def t_sort(t: Any = NOARG, comp: Any = NOARG, *_: Any) -> Any:
        """§6.6: "Sorts the list elements in a given order, in-place ... The sort algorithm is
        not stable."  Lua's own algorithm, see :func:`_auxsort`."""
        n = _getn(t, 1, _TAB_RW, "sort")
        if n > 1:
            if n >= 0x7FFFFFFF:
                arg_error(1, "sort", "array too big")
            if comp is not None and comp is not NOARG:
                if isinstance(comp, LuaTable) or not callable(comp):
                    type_error(2, "sort", "function", comp)
                f = comp
                if type(t) is LuaTable and t.meta is None and t.length() == n:
                    # plain table: as below, with the comparator called in place
                    a = [None, *t.to_list()]
                    invalid = False
                    try:
                        _sort_comp(a, f, n)
                    except _InvalidOrder:
                        invalid = True
                    finally:
                        for i in range(1, n + 1):
                            t[i] = a[i]
                    if invalid:
                        _invalid_order()
                    return ()

                @c_boundary  # sort calls the comparator as C does: a level without position
                def lt(a: Any, b: Any) -> bool:
                    r = f(a, b)
                    if type(r) is tuple:
                        r = r[0] if r else None
                    return r is not None and r is not False

            else:
                if type(t) is LuaTable and t.meta is None and _sort_plain(t, n):
                    return ()
                lt = _lua_lt
            if type(t) is LuaTable and t.meta is None and t.length() == n:
                # Plain table: sort a Python list (2.5x faster element access), then store
                # the result -- also when the comparator raises, leaving the partial order
                # Lua leaves.  (A comparator that reads the table meanwhile sees it unsorted.)
                a = [None, *t.to_list()]
                try:
                    _auxsort_list(a, lt, 1, n, 0)
                finally:
                    for i in range(1, n + 1):
                        t[i] = a[i]
                return ()
            get, set_ = _accessors(t)
            _auxsort(get, set_, lt, 1, n, 0)
        return ()

    T["concat"] = t_concat
    T["insert"] = t_insert
    T["move"] = t_move
    T["pack"] = t_pack
    T["unpack"] = t_unpack
    T["remove"] = t_remove
    T["sort"] = t_sort
    return T


_TAB_RW = _TAB_R | _TAB_W


def _sort_plain(t: LuaTable, n: int) -> bool:
    """Sort with Python's sort when nothing can tell the difference: no comparator, no
    metatable, and all integers, all strings or all non-zero non-NaN floats (equal elements
    are then identical, and '<' on them calls no metamethod).  False when the fast path does not apply."""
    arr = t.to_list()
    if len(arr) != n:
        return False
    t0 = type(arr[0])
    if t0 is float:
        # equal floats are identical too, except 0.0 and -0.0; NaN breaks the order
        for v in arr:
            if type(v) is not float or v != v or v == 0.0:
                return False
    elif t0 is int or t0 is str:
        for v in arr:
            if type(v) is not t0:
                return False
    else:
        return False
    arr.sort()
    for i, v in enumerate(arr, 1):
        t[i] = v
    return True


def _invalid_order() -> None:
    lua_error("invalid order function for sorting")


def _auxsort(
    get: Callable[[int], Any],
    set_: Callable[[int, Any], None],
    lt: Callable[[Any, Any], Any],
    lo: int,
    up: int,
    rnd: int,
) -> None:
    """``auxsort`` of ltablib.c, reading and writing the table in the same order."""
    while lo < up:  # loop for tail recursion
        # sort elements 'lo', 'p', and 'up'
        a_lo = get(lo)
        a_up = get(up)
        if lt(a_up, a_lo):  # a[up] < a[lo]?
            set_(lo, a_up)
            set_(up, a_lo)
        if up - lo == 1:  # only 2 elements?
            break
        if up - lo < _RANLIMIT or rnd == 0:
            p = (lo + up) // 2
        else:  # choosePivot
            r4 = (up - lo) // 4
            p = rnd % (r4 * 2) + (lo + r4)
        a_p = get(p)
        a_lo = get(lo)
        if lt(a_p, a_lo):  # a[p] < a[lo]?
            set_(p, a_lo)
            set_(lo, a_p)
        else:
            a_up = get(up)
            if lt(a_up, a_p):  # a[up] < a[p]?
                set_(p, a_up)
                set_(up, a_p)
        if up - lo == 2:  # only 3 elements?
            break
        pivot = get(p)  # get median (Pivot)
        a_up1 = get(up - 1)
        set_(p, a_up1)  # a[p] = a[up - 1]; a[up - 1] = a[p]
        set_(up - 1, pivot)
        p = _partition(get, set_, lt, lo, up, pivot)
        # a[lo .. p - 1] <= a[p] == P <= a[p + 1 .. up]
        if p - lo < up - p:  # lower interval is shorter?
            _auxsort(get, set_, lt, lo, p - 1, rnd)
            n = p - lo
            lo = p + 1
        else:
            _auxsort(get, set_, lt, p + 1, up, rnd)
            n = up - p
            up = p - 1
        if (up - lo) // 128 > n:  # partition too imbalanced?
            rnd = _pivot_seed()


class _InvalidOrder(Exception):
    """Raised by :func:`_sort_comp` for "invalid order function for sorting"; t_sort
    raises the Lua error itself, from a frame that is not a C boundary (the error's
    position is then lua5.4's: the caller of table.sort)."""


@c_boundary  # the comparator's caller, as ltablib.c's sort_comp (a level without position)
def _sort_comp(a: list[Any], f: Any, n: int) -> None:
    """:func:`_auxsort_list` for a comparator ``f`` on ``a[1..n]``: the same
    comparisons, reads and writes in the same order, with ``f`` called in place (no
    wrapper function per comparison) and auxsort's recursion turned into a loop over a
    stack of pending upper parts, so that this one frame is the only one between the
    comparator and table.sort (error levels count it once, as lua5.4 counts sort)."""
    stack: list[tuple[int, int, int, int]] = []
    lo, up, rnd = 1, n, 0
    while True:
        while lo < up:  # loop for tail recursion
            # sort elements 'lo', 'p', and 'up'
            a_lo = a[lo]
            a_up = a[up]
            r = f(a_up, a_lo)  # a[up] < a[lo]?
            if type(r) is tuple:
                r = r[0] if r else None
            if r is not None and r is not False:
                a[lo] = a_up
                a[up] = a_lo
            if up - lo == 1:  # only 2 elements?
                break
            if up - lo < _RANLIMIT or rnd == 0:
                p = (lo + up) // 2
            else:  # choosePivot
                r4 = (up - lo) // 4
                p = rnd % (r4 * 2) + (lo + r4)
            a_p = a[p]
            a_lo = a[lo]
            r = f(a_p, a_lo)  # a[p] < a[lo]?
            if type(r) is tuple:
                r = r[0] if r else None
            if r is not None and r is not False:
                a[p] = a_lo
                a[lo] = a_p
            else:
                a_up = a[up]
                r = f(a_up, a_p)  # a[up] < a[p]?
                if type(r) is tuple:
                    r = r[0] if r else None
                if r is not None and r is not False:
                    a[p] = a_up
                    a[up] = a_p
            if up - lo == 2:  # only 3 elements?
                break
            pivot = a[p]  # get median (Pivot)
            a[p] = a[up - 1]  # a[p] = a[up - 1]; a[up - 1] = a[p]
            a[up - 1] = pivot
            # partition: loop invariant a[lo .. i] <= P <= a[j .. up], a[up - 1] == P
            i = lo
            j = up - 1
            while True:
                i += 1  # repeat ++i while a[i] < P
                a_i = a[i]
                while True:
                    r = f(a_i, pivot)
                    if type(r) is tuple:
                        r = r[0] if r else None
                    if r is None or r is False:
                        break
                    if i == up - 1:  # a[i] < P but a[up - 1] == P ??
                        raise _InvalidOrder
                    i += 1
                    a_i = a[i]
                j -= 1  # repeat --j while P < a[j]
                a_j = a[j]
                while True:
                    r = f(pivot, a_j)
                    if type(r) is tuple:
                        r = r[0] if r else None
                    if r is None or r is False:
                        break
                    if j < i:  # j < i but a[j] > P ??
                        raise _InvalidOrder
                    j -= 1
                    a_j = a[j]
                if j < i:  # no elements to be exchanged?
                    a[up - 1] = a_i  # swap pivot (a[up - 1]) with a[i]
                    a[i] = pivot
                    break
                a[i] = a_j  # swap a[i] - a[j] and repeat
                a[j] = a_i
            p = i
            # a[lo .. p - 1] <= a[p] == P <= a[p + 1 .. up]; sort the smaller part
            # first ("recursively": its caller's state waits on the stack)
            if p - lo < up - p:
                stack.append((p + 1, up, rnd, p - lo))
                up = p - 1
            else:
                stack.append((lo, p - 1, rnd, up - p))
                lo = p + 1
        if not stack:
            return
        # back in the caller of the part just sorted
        lo, up, rnd, n_sorted = stack.pop()
        if (up - lo) // 128 > n_sorted:  # partition too imbalanced?
            rnd = _pivot_seed()


def _auxsort_list(a: list[Any], lt: Callable[[Any, Any], Any], lo: int, up: int,
                  rnd: int) -> None:
    """:func:`_auxsort` on a Python list (``a[i]`` is ``t[i]``; ``a[0]`` unused): the
    same reads, writes and comparisons in the same order, without a call per element
    access."""
    while lo < up:  # loop for tail recursion
        a_lo = a[lo]
        a_up = a[up]
        if lt(a_up, a_lo):  # a[up] < a[lo]?
            a[lo] = a_up
            a[up] = a_lo
        if up - lo == 1:  # only 2 elements?
            break
        if up - lo < _RANLIMIT or rnd == 0:
            p = (lo + up) // 2
        else:  # choosePivot
            r4 = (up - lo) // 4
            p = rnd % (r4 * 2) + (lo + r4)
        a_p = a[p]
        a_lo = a[lo]
        if lt(a_p, a_lo):  # a[p] < a[lo]?
            a[p] = a_lo
            a[lo] = a_p
        else:
            a_up = a[up]
            if lt(a_up, a_p):  # a[up] < a[p]?
                a[p] = a_up
                a[up] = a_p
        if up - lo == 2:  # only 3 elements?
            break
        pivot = a[p]  # get median (Pivot)
        a[p] = a[up - 1]  # a[p] = a[up - 1]; a[up - 1] = a[p]
        a[up - 1] = pivot
        # partition: loop invariant a[lo .. i] <= P <= a[j .. up], a[up - 1] == P
        i = lo
        j = up - 1
        while True:
            i += 1  # repeat ++i while a[i] < P
            a_i = a[i]
            while lt(a_i, pivot):
                if i == up - 1:  # a[i] < P but a[up - 1] == P ??
                    _invalid_order()
                i += 1
                a_i = a[i]
            j -= 1  # repeat --j while P < a[j]
            a_j = a[j]
            while lt(pivot, a_j):
                if j < i:  # j < i but a[j] > P ??
                    _invalid_order()
                j -= 1
                a_j = a[j]
            if j < i:  # no elements to be exchanged?
                a[up - 1] = a_i  # swap pivot (a[up - 1]) with a[i]
                a[i] = pivot
                break
            a[i] = a_j  # swap a[i] - a[j] and repeat
            a[j] = a_i
        p = i
        # a[lo .. p - 1] <= a[p] == P <= a[p + 1 .. up]
        if p - lo < up - p:  # lower interval is shorter?
            _auxsort_list(a, lt, lo, p - 1, rnd)
            n = p - lo
            lo = p + 1
        else:
            _auxsort_list(a, lt, p + 1, up, rnd)
            n = up - p
            up = p - 1
        if (up - lo) // 128 > n:  # partition too imbalanced?
            rnd = _pivot_seed()


def _partition(
    get: Callable[[int], Any],
    set_: Callable[[int, Any], None],
    lt: Callable[[Any, Any], Any],
    lo: int,
    up: int,
    pivot: Any,
) -> int:
    """``partition``: loop invariant a[lo .. i] <= P <= a[j .. up], a[up - 1] == P."""
    i = lo
    j = up - 1
    while True:
        # repeat ++i while a[i] < P
        i += 1
        a_i = get(i)
        while lt(a_i, pivot):
            if i == up - 1:  # a[i] < P but a[up - 1] == P ??
                _invalid_order()
            i += 1
            a_i = get(i)
        # repeat --j while P < a[j]
        j -= 1
        a_j = get(j)
        while lt(pivot, a_j):
            if j < i:  # j < i but a[j] > P ??
                _invalid_order()
            j -= 1
            a_j = get(j)
        if j < i:  # no elements to be exchanged?
            # swap pivot (a[up - 1]) with a[i]
            set_(up - 1, a_i)
            set_(i, pivot)
            return i
        set_(i, a_j)  # swap a[i] - a[j] and repeat
        set_(j, a_i)
