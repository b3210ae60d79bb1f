"""Lua 5.4 operators and metamethod dispatch (manual §3.4, §2.4).

Every operator has a short fast path for the common operand types (tested with
``type(x) is int``: ``bool`` is a subclass of ``int``, so ``isinstance`` would be wrong as
well as slow) and falls back to a slow path doing coercions, metamethods and Lua's exact
error messages (checked against lua5.4, see tests/lua/test_core_ops.py).

Metatables of values
    tables: ``t.meta``; strings: the string metatable (:func:`set_string_meta`, installed
    by ``baselib.new_env`` with ``__index`` = the string library); Python objects
    ("userdata"): an attribute ``__lua_meta__`` (a LuaTable, usually a class attribute)
    when present.  Other values have none.

Strings in arithmetic (§3.4.3) are converted by the string metamethods of ``lstrlib.c``:
``"10" + 1`` is 11; a failed conversion reads "attempt to add a 'string' with a 'nil'".
Bitwise operators do *not* convert strings in lua5.4 (no string metamethods for them).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
from collections.abc import Iterable
from typing import Any

from nse.lua.errors import LuaError, call_error, op_error, typename
from nse.lua.luatable import LuaTable
from nse.lua.numfmt import fmt_number, str2number, tointeger

__all__ = [
    "first", "mv", "truth",
    "add", "sub", "mul", "div", "mod", "idiv", "pow", "unm",
    "band", "bor", "bxor", "shl", "shr", "bnot",
    "concat", "length", "eq", "ne", "lt", "le", "gt", "ge",
    "index", "setindex", "invoke", "call",
    "tostring", "tonumber", "type_", "getmetatable_raw", "getmetamethod",
    "set_string_meta", "string_meta", "addressof", "numeric_for", "rawequal",
]  # fmt: skip

_MAX = 0x7FFFFFFFFFFFFFFF
_MIN = -0x8000000000000000
_M64 = 0xFFFFFFFFFFFFFFFF


def _wrap(v: int) -> int:
    v &= _M64
    return v - 0x10000000000000000 if v > _MAX else v


# ----------------------------------------------------------------------------- values
def first(v: Any) -> Any:
    """One value of a call result: a tuple gives its first element (or None)."""
    if type(v) is tuple:
        return v[0] if v else None
    return v


def mv(v: Any) -> tuple[Any, ...]:
    """A call result as a tuple of values."""
    return v if type(v) is tuple else (v,)


def truth(v: Any) -> bool:
    """Lua truthiness: everything but nil and false is true."""
    return v is not None and v is not False


def type_(v: Any) -> str:
    """The Lua type name of ``v`` (``type`` without the argument check)."""
    return typename(v)


def rawequal(a: Any, b: Any) -> bool:
    """Primitive equality (§3.4.4 without __eq)."""
    ta = type(a)
    if ta is type(b):
        if ta is LuaTable:
            return a is b
        return bool(a == b) if ta in (int, float, str, bool) else a is b or a == b
    if ta is int:
        return type(b) is float and a == b
    if ta is float:
        return type(b) is int and a == b
    return False


# ----------------------------------------------------------------------------- metatables
_string_meta: LuaTable | None = None


def set_string_meta(t: LuaTable | None) -> None:
    """Install the metatable shared by all strings (its ``__index`` is the string table)."""
    global _string_meta
    _string_meta = t


def string_meta() -> LuaTable | None:
    """The string metatable; opens the string library on first use if none is set."""
    if _string_meta is None:
        try:
            from nse.lua import strlib
        except ImportError:
            return None
        lib = strlib.open_lib(LuaTable())
        if _string_meta is None:
            mt = LuaTable()
            mt["__index"] = lib
            set_string_meta(mt)
    return _string_meta


def getmetatable_raw(v: Any) -> LuaTable | None:
    """The metatable of any value, ignoring ``__metatable``."""
    if type(v) is LuaTable:
        return v._lt_meta
    if type(v) is str:
        return string_meta()
    if v is None or type(v) in (int, float, bool):
        return None
    if isinstance(v, LuaTable):
        return v._lt_meta
    mt = getattr(v, "__lua_meta__", None)
    return mt if isinstance(mt, LuaTable) else None


def getmetamethod(v: Any, event: str) -> Any:
    """``metatable(v)[event]`` (raw) or None."""
    if type(v) is LuaTable:
        mt = v._lt_meta
    else:
        mt = getmetatable_raw(v)
    if mt is None:
        return None
    return mt._lt_hash.get(event)  # (a metatable is a LuaTable; events are strings)


# ----------------------------------------------------------------------------- calls
def call(f: Any, *args: Any) -> Any:
    """Call a Lua value from library code (``__call`` for tables; Lua's error message
    for values that are not functions)."""
    try:
        return f(*args)
    except TypeError:
        if not callable(f):
            call_error(f, 0)
        raise


# ----------------------------------------------------------------------------- arithmetic
_OPNAMES = {
    "__add": "add", "__sub": "sub", "__mul": "mul", "__div": "div", "__mod": "mod",
    "__pow": "pow", "__unm": "unm", "__idiv": "idiv",
}  # fmt: skip
_BITWISE = frozenset(("__band", "__bor", "__bxor", "__shl", "__shr", "__bnot"))

_libm: Any = None


def _cmath(name: str, a: float, b: float) -> float:
    """Call libm directly where Python's math raises instead of returning C's result."""
    global _libm
    if _libm is None:
        _libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
        for fn in ("pow", "fmod"):
            getattr(_libm, fn).restype = ctypes.c_double
            getattr(_libm, fn).argtypes = [ctypes.c_double, ctypes.c_double]
    return float(getattr(_libm, name)(a, b))


def _fdiv(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a != a:
            return a
        if a == 0.0:
            return -math.nan  # x86 default NaN has the sign bit set: Lua prints -nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _fmod(a: float, b: float) -> float:
    # llimits.h luai_nummod: m = fmod(a,b); if ((m > 0) ? b < 0 : (m < 0 && b > 0)) m += b;
    try:
        m = math.fmod(a, b)
    except ValueError:
        m = _cmath("fmod", a, b)
    if (b < 0) if m > 0 else (m < 0 and b > 0):
        m += b
    return m


def _fpow(a: float, b: float) -> float:
    if b == 2.0:
        return a * a
    try:
        return math.pow(a, b)
    except (ValueError, OverflowError):
        return _cmath("pow", a, b)


def _ffloor(q: float) -> float:
    # luai_numidiv is floor(a/b) (not Python's fmod-based float //).
    if q - q != 0.0 or q.is_integer():
        return q  # inf, nan, or already integral (keeps -0.0)
    return float(math.floor(q))


def _arith_num(event: str, a: int | float, b: int | float) -> int | float:
    """luaO_arith on two numbers."""
    if type(a) is int and type(b) is int:
        if event == "__add":
            return _wrap(a + b)
        if event == "__sub":
            return _wrap(a - b)
        if event == "__mul":
            return _wrap(a * b)
        if event == "__idiv":
            if b == 0:
                op_error("attempt to divide by zero")  # lua5.4.4's message for 'n//0'
            return _wrap(a // b)
        if event == "__mod":
            if b == 0:
                op_error("attempt to perform 'n%0'")
            return a % b
        if event == "__unm":
            return _wrap(-a)
    fa = float(a)
    fb = float(b)
    if event == "__add":
        return fa + fb
    if event == "__sub":
        return fa - fb
    if event == "__mul":
        return fa * fb
    if event == "__div":
        return _fdiv(fa, fb)
    if event == "__mod":
        return _fmod(fa, fb)
    if event == "__idiv":
        return _ffloor(_fdiv(fa, fb))
    if event == "__pow":
        return _fpow(fa, fb)
    if event == "__unm":
        return -fa
    raise AssertionError(event)


def _tonum(v: Any) -> int | float | None:
    t = type(v)
    if t is int or t is float:
        return v  # type: ignore[no-any-return]
    if t is str:
        return str2number(v)
    return None


def _str_arith(event: str, a: Any, b: Any) -> Any:
    """lstrlib.c ``arith``/``trymt``: the string metamethods for arithmetic."""
    na = _tonum(a)
    nb = _tonum(b)
    if na is not None and nb is not None:
        if nb == 0 and type(na) is int and type(nb) is int and event in ("__idiv", "__mod"):
            # raised inside the C metamethod (lua_arith): no position
            raise LuaError(
                "attempt to divide by zero" if event == "__idiv" else "attempt to perform 'n%0'"
            )
        return _arith_num(event, na, nb)
    h = None if type(b) is str else getmetamethod(b, event)
    if h is None:
        op_error(f"attempt to {_OPNAMES[event][:]} a '{typename(a)}' with a '{typename(b)}'")
    return first(h(a, b))


def _arith(event: str, a: Any, b: Any) -> Any:
    """Slow path of an arithmetic operator: mixed numbers, strings, metamethods."""
    ta = type(a)
    tb = type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return _arith_num(event, a, b)
    if ta is LuaTable:
        # the first operand's metamethod (objects with __add...): read in place
        mt = a._lt_meta
        if mt is not None:
            h = mt._lt_hash.get(event)
            if h is not None:
                r = h(a, b)
                if type(r) is tuple:
                    return r[0] if r else None
                return r
    # luaT_trybinTM: first operand's metamethod, then the second's
    for v in (a, b):
        if type(v) is str:
            return _str_arith(event, a, b)
        h = getmetamethod(v, event)
        if h is not None:
            return first(h(a, b))
    # luaG_opinterror: blame the first operand that is not a number
    if ta is not int and ta is not float:
        op_error(f"attempt to perform arithmetic on a {_objtypename(a)} value", 0)
    op_error(f"attempt to perform arithmetic on a {_objtypename(b)} value", 1)


def add(a: Any, b: Any) -> Any:
    """``a + b``"""
    if type(a) is int and type(b) is int:
        r = a + b
        if -0x8000000000000000 <= r <= 0x7FFFFFFFFFFFFFFF:
            return r
        return _wrap(r)
    if type(a) is float:
        if type(b) is float or type(b) is int:
            return a + b
    elif type(a) is int and type(b) is float:
        return a + b  # Python converts the int exactly as Lua's cast does
    if type(a) is LuaTable and (m := a._lt_meta) is not None and (
            h := m._lt_hash.get("__add")) is not None:
        r = h(a, b)  # an object's own __add (what _arith does, one call less)
        return (r[0] if r else None) if type(r) is tuple else r
    return _arith("__add", a, b)


def sub(a: Any, b: Any) -> Any:
    """``a - b``"""
    if type(a) is int and type(b) is int:
        r = a - b
        if -0x8000000000000000 <= r <= 0x7FFFFFFFFFFFFFFF:
            return r
        return _wrap(r)
    if type(a) is float:
        if type(b) is float or type(b) is int:
            return a - b
    elif type(a) is int and type(b) is float:
        return a - b  # Python converts the int exactly as Lua's cast does
    if type(a) is LuaTable and (m := a._lt_meta) is not None and (
            h := m._lt_hash.get("__sub")) is not None:
        r = h(a, b)  # an object's own __sub (what _arith does, one call less)
        return (r[0] if r else None) if type(r) is tuple else r
    return _arith("__sub", a, b)


def mul(a: Any, b: Any) -> Any:
    """``a * b``"""
    if type(a) is int and type(b) is int:
        r = a * b
        if -0x8000000000000000 <= r <= 0x7FFFFFFFFFFFFFFF:
            return r
        return _wrap(r)
    if type(a) is float:
        if type(b) is float or type(b) is int:
            return a * b
    elif type(a) is int and type(b) is float:
        return a * b  # Python converts the int exactly as Lua's cast does
    if type(a) is LuaTable and (m := a._lt_meta) is not None and (
            h := m._lt_hash.get("__mul")) is not None:
        r = h(a, b)  # an object's own __mul (what _arith does, one call less)
        return (r[0] if r else None) if type(r) is tuple else r
    return _arith("__mul", a, b)


def div(a: Any, b: Any) -> Any:
    """``a / b`` (always a float, §3.4.1)."""
    ta = type(a)
    tb = type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        if b:
            return float(a) / float(b)
        return _fdiv(float(a), float(b))
    if type(a) is LuaTable and (m := a._lt_meta) is not None and (
            h := m._lt_hash.get("__div")) is not None:
        r = h(a, b)  # an object's own __div (what _arith does, one call less)
        return (r[0] if r else None) if type(r) is tuple else r
    return _arith("__div", a, b)


def mod(a: Any, b: Any) -> Any:
    """``a % b`` (floor modulo; integer when both are integers)."""
    if type(a) is int and type(b) is int and b:
        return a % b
    return _arith("__mod", a, b)


def idiv(a: Any, b: Any) -> Any:
    """``a // b`` (floor division; integer when both are integers)."""
    if type(a) is int and type(b) is int and b:
        r = a // b
        return r if r <= 0x7FFFFFFFFFFFFFFF else _wrap(r)
    return _arith("__idiv", a, b)


def pow(a: Any, b: Any) -> Any:
    """``a ^ b`` (always a float)."""
    ta = type(a)
    tb = type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return _fpow(float(a), float(b))
    return _arith("__pow", a, b)


def unm(a: Any) -> Any:
    """``-a``"""
    if type(a) is int:
        return -a if a != -0x8000000000000000 else a
    if type(a) is float:
        return -a
    if type(a) is str:
        return _str_arith("__unm", a, a)
    h = getmetamethod(a, "__unm")
    if h is not None:
        return first(h(a, a))
    op_error(f"attempt to perform arithmetic on a {_objtypename(a)} value", 0)


# ----------------------------------------------------------------------------- bitwise
def _toint_bitwise(event: str, a: Any, b: Any) -> tuple[int, int] | None:
    """Both operands as integers, or None when a metamethod must be tried."""
    ia = a if type(a) is int else tointeger(a) if type(a) is float else None
    ib = b if type(b) is int else tointeger(b) if type(b) is float else None
    if ia is not None and ib is not None:
        return ia, ib
    return None


def _bitwise_slow(event: str, a: Any, b: Any) -> Any:
    for v in (a, b):
        h = getmetamethod(v, event)
        if h is not None:
            return first(h(a, b))
    ta = type(a)
    tb = type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        # luaG_tointerror: "number (local 'x') has no integer representation"
        if tointeger(a) is None:
            op_error("number%s has no integer representation" % _desc_or_empty(0))
        op_error("number%s has no integer representation" % _desc_or_empty(1))
    if ta is not int and ta is not float:
        op_error(f"attempt to perform bitwise operation on a {_objtypename(a)} value", 0)
    op_error(f"attempt to perform bitwise operation on a {_objtypename(b)} value", 1)


def _desc_or_empty(argi: int) -> str:
    from nse.lua.errors import describe

    return describe(argi)


def band(a: Any, b: Any) -> Any:
    """``a & b``"""
    if type(a) is int and type(b) is int:
        return a & b
    p = _toint_bitwise("__band", a, b)
    return p[0] & p[1] if p is not None else _bitwise_slow("__band", a, b)


def bor(a: Any, b: Any) -> Any:
    """``a | b``"""
    if type(a) is int and type(b) is int:
        return a | b
    p = _toint_bitwise("__bor", a, b)
    return p[0] | p[1] if p is not None else _bitwise_slow("__bor", a, b)


def bxor(a: Any, b: Any) -> Any:
    """``a ~ b``"""
    if type(a) is int and type(b) is int:
        return a ^ b
    p = _toint_bitwise("__bxor", a, b)
    return p[0] ^ p[1] if p is not None else _bitwise_slow("__bxor", a, b)


def _shiftl(x: int, n: int) -> int:
    # lvm.c luaV_shiftl: shifts of 64 or more give 0; negative shifts go the other way
    # and right shifts are logical.
    if n <= -64 or n >= 64:
        return 0
    if n >= 0:
        return _wrap(x << n)
    return _wrap((x & _M64) >> -n)


def shl(a: Any, b: Any) -> Any:
    """``a << b``"""
    if type(a) is int and type(b) is int:
        return _shiftl(a, b)
    p = _toint_bitwise("__shl", a, b)
    return _shiftl(p[0], p[1]) if p is not None else _bitwise_slow("__shl", a, b)


def shr(a: Any, b: Any) -> Any:
    """``a >> b`` (logical)."""
    if type(a) is int and type(b) is int:
        return _shiftl(a, -b)
    p = _toint_bitwise("__shr", a, b)
    return _shiftl(p[0], -p[1]) if p is not None else _bitwise_slow("__shr", a, b)


def bnot(a: Any) -> Any:
    """``~a``"""
    if type(a) is int:
        return ~a
    i = tointeger(a) if type(a) is float else None
    if i is not None:
        return ~i
    return _bitwise_slow("__bnot", a, a)


# ----------------------------------------------------------------------------- concat/len
def concat(a: Any, b: Any) -> Any:
    """``a .. b`` (numbers are formatted as ``tostring`` does)."""
    ta = type(a)
    tb = type(b)
    if ta is str and tb is str:
        return a + b
    if (ta is str or ta is int or ta is float) and (tb is str or tb is int or tb is float):
        return (a if ta is str else fmt_number(a)) + (b if tb is str else fmt_number(b))
    for v in (a, b):
        h = getmetamethod(v, "__concat")
        if h is not None:
            return first(h(a, b))
    # luaG_concaterror: blame the first operand that is not a string or number
    if ta is str or ta is int or ta is float:
        op_error(f"attempt to concatenate a {_objtypename(b)} value", 1)
    op_error(f"attempt to concatenate a {_objtypename(a)} value", 0)


def length(a: Any) -> Any:
    """``#a``"""
    if type(a) is str:
        return len(a)
    if type(a) is LuaTable:
        mt = a._lt_meta
        if mt is None:
            return len(a._lt_arr)
        h = mt["__len"]
        if h is None:
            return len(a._lt_arr)
        return first(h(a))
    h = getmetamethod(a, "__len")
    if h is not None:
        return first(h(a))
    if isinstance(a, LuaTable):
        return len(a)
    op_error(f"attempt to get length of a {_objtypename(a)} value", 0)


# ----------------------------------------------------------------------------- comparison
def eq(a: Any, b: Any) -> bool:
    """``a == b`` (§3.4.4: __eq only for two tables or two userdata)."""
    ta = type(a)
    if ta is type(b):
        if ta is LuaTable:
            if a is b:
                return True
            return _eq_meta(a, b)
        if ta is str or ta is int or ta is float or ta is bool:
            return a == b  # type: ignore[no-any-return]
        if a is b:
            return True
        if a is None:
            return True
        return _eq_meta(a, b)
    if ta is int:
        return type(b) is float and a == b
    if ta is float:
        return type(b) is int and a == b
    return False


def _eq_meta(a: Any, b: Any) -> bool:
    h = getmetamethod(a, "__eq")
    if h is None:
        h = getmetamethod(b, "__eq")
        if h is None:
            return a is b or (not isinstance(a, LuaTable) and bool(a == b))
    r = first(h(a, b))
    return r is not None and r is not False


def ne(a: Any, b: Any) -> bool:
    """``a ~= b``"""
    return not eq(a, b)


def _objtypename(v: Any) -> str:
    # luaT_objtypename: __name from the metatable when it is a string
    mt = getmetatable_raw(v) if type(v) is not str else None
    if mt is not None:
        n = mt["__name"]
        if type(n) is str:
            return n
    return typename(v)


def _order_slow(a: Any, b: Any, event: str) -> bool:
    h = getmetamethod(a, event)
    if h is None:
        h = getmetamethod(b, event)
    if h is not None:
        r = first(h(a, b))
        return r is not None and r is not False
    if event == "__le":
        # LUA_COMPAT_LT_LE (on in lua5.4 5.4.4 builds): a <= b  is  not (b < a)
        h = getmetamethod(b, "__lt") or getmetamethod(a, "__lt")
        if h is not None:
            r = first(h(b, a))
            return r is None or r is False
    t1 = _objtypename(a)
    t2 = _objtypename(b)
    if t1 == t2:
        op_error(f"attempt to compare two {t1} values")
    op_error(f"attempt to compare {t1} with {t2}")


def lt(a: Any, b: Any) -> bool:
    """``a < b``"""
    ta = type(a)
    tb = type(b)
    if ta is tb:
        if ta is int or ta is float or ta is str:
            return a < b  # type: ignore[no-any-return]
    elif (ta is int or ta is float) and (tb is int or tb is float):
        return a < b  # type: ignore[no-any-return]  # Python compares int/float exactly
    return _order_slow(a, b, "__lt")


def le(a: Any, b: Any) -> bool:
    """``a <= b``"""
    ta = type(a)
    tb = type(b)
    if ta is tb:
        if ta is int or ta is float or ta is str:
            return a <= b  # type: ignore[no-any-return]
    elif (ta is int or ta is float) and (tb is int or tb is float):
        return a <= b  # type: ignore[no-any-return]
    return _order_slow(a, b, "__le")


def gt(a: Any, b: Any) -> bool:
    """``a > b`` is ``b < a``."""
    return lt(b, a)


def ge(a: Any, b: Any) -> bool:
    """``a >= b`` is ``b <= a``."""
    return le(b, a)


# ----------------------------------------------------------------------------- indexing
_MAXTAGLOOP = 2000  # ltm.h: limit for __index/__newindex chains


def index(o: Any, k: Any) -> Any:
    """``o[k]`` with __index chains (§2.4)."""
    if type(o) is LuaTable:
        if type(k) is str:
            v = o._lt_hash.get(k)
        elif type(k) is int:
            arr = o._lt_arr
            # (no try/except IndexError: sparse integer keys such as port numbers would
            # pay for an exception on every read)
            v = arr[k - 1] if 0 < k <= len(arr) else o._lt_hash.get(k)
        else:
            v = o[k]
        if v is not None:
            return v
        mt = o._lt_meta
        if mt is None:
            return None
        # common case: __index is a table holding the key (methods of a class), or
        # one of up to three such tables chained through their own metatables'
        # __index (class hierarchies).  Deeper chains, and everything else, are
        # walked from the start by _index_meta, which counts lvm.c's MAXTAGLOOP.
        h = mt._lt_hash.get("__index")
        if type(h) is LuaTable and type(k) is str:
            v = h._lt_hash.get(k)
            if v is not None:
                return v
            m2 = h._lt_meta
            if m2 is None:
                return None
            h = m2._lt_hash.get("__index")
            if type(h) is LuaTable:
                v = h._lt_hash.get(k)
                if v is not None:
                    return v
                m2 = h._lt_meta
                if m2 is None:
                    return None
                h = m2._lt_hash.get("__index")
                if type(h) is LuaTable:
                    v = h._lt_hash.get(k)
                    if v is not None:
                        return v
                    if h._lt_meta is None:
                        return None
            elif h is None:
                return None
        return _index_meta(o, k, mt)
    if type(o) is str:
        # method lookup on a string: the string library table
        smt = _string_meta
        if smt is not None and type(k) is str:
            h = smt._lt_hash.get("__index")
            if type(h) is LuaTable:
                v = h._lt_hash.get(k)
                if v is not None:
                    return v
    return _index_slow(o, k)


def _index_meta(o: Any, k: Any, mt: LuaTable | None) -> Any:
    for _ in range(_MAXTAGLOOP):
        if mt is None:
            return None
        h = mt["__index"]
        if h is None:
            return None
        if type(h) is LuaTable:
            v = h[k]
            if v is not None:
                return v
            o = h
            mt = h._lt_meta
            continue
        if callable(h) and not isinstance(h, LuaTable):
            return first(h(o, k))
        # __index is some other value: index it (strings, userdata...)
        o = h
        if type(o) is str:
            mt = string_meta()
        else:
            mt = getmetatable_raw(o)
            if mt is None:
                if isinstance(o, LuaTable):
                    v = o[k]
                    return v
                op_error(f"attempt to index a {_objtypename(o)} value")
    op_error("'__index' chain too long; possible loop")


def _index_slow(o: Any, k: Any) -> Any:
    if type(o) is str:
        mt = string_meta()
    elif isinstance(o, LuaTable):
        v = o[k]
        if v is not None:
            return v
        mt = o._lt_meta
    else:
        mt = getmetatable_raw(o)
    if mt is None or mt["__index"] is None:
        if isinstance(o, LuaTable):
            return None
        op_error(f"attempt to index a {_objtypename(o)} value", 0)
    return _index_meta(o, k, mt)


def setindex(o: Any, k: Any, v: Any) -> None:
    """``o[k] = v`` with __newindex chains (§2.4)."""
    if type(o) is LuaTable:
        mt = o._lt_meta
        if mt is None or "__newindex" not in mt._lt_hash:
            if v is not None:
                if type(k) is str:
                    if o._lt_snap is None:
                        o._lt_hash[k] = v
                        return
                elif type(k) is int and k > 0:
                    arr = o._lt_arr
                    n = len(arr)
                    if k <= n:
                        arr[k - 1] = v
                        return
                    if k == n + 1 and not o._lt_hash:
                        arr.append(v)
                        return
            o[k] = v
            return
        _setindex_meta(o, k, v, mt)
        return
    _setindex_meta(o, k, v, getmetatable_raw(o))


def _setindex_meta(o: Any, k: Any, v: Any, mt: LuaTable | None) -> None:
    for loop in range(_MAXTAGLOOP):
        if isinstance(o, LuaTable):
            if mt is None or o[k] is not None:
                o[k] = v
                return
            h = mt["__newindex"]
            if h is None:
                o[k] = v
                return
        else:
            h = mt["__newindex"] if mt is not None else None
            if h is None:
                if loop == 0:
                    op_error(f"attempt to index a {_objtypename(o)} value", 0)
                op_error(f"attempt to index a {_objtypename(o)} value")
        if type(h) is LuaTable:
            o = h
            mt = h._lt_meta
            continue
        if callable(h):
            h(o, k, v)
            return
        o = h
        mt = getmetatable_raw(h)
    op_error("'__newindex' chain too long; possible loop")


def invoke(o: Any, name: str, *args: Any) -> Any:
    """Method call ``o:name(...)``."""
    f = index(o, name)
    try:
        return f(o, *args)
    except TypeError:
        if not callable(f):
            op_error(f"attempt to call a {_objtypename(f)} value (method '{name}')")
        raise


# ----------------------------------------------------------------------------- tostring
def addressof(v: Any) -> str:
    """A stable pseudo address for ``%p`` and ``tostring`` ("0x55d0c1a2b3c0")."""
    return f"0x{id(v):x}"


def tostring(v: Any) -> str:
    """``tostring(v)`` (luaL_tolstring: __tostring, __name)."""
    t = type(v)
    if t is str:
        return v  # type: ignore[no-any-return]
    if t is int:
        return str(v)
    if t is float:
        return fmt_number(v)
    if v is None:
        return "nil"
    if v is True:
        return "true"
    if v is False:
        return "false"
    mt = getmetatable_raw(v)
    if mt is not None:
        h = mt["__tostring"]
        if h is not None:
            r = first(h(v))
            if type(r) is str:
                return r  # type: ignore[no-any-return]
            if type(r) is int or type(r) is float:
                return fmt_number(r)
            from nse.lua.errors import lua_error

            lua_error("'__tostring' must return a string")
        n = mt["__name"]
        if type(n) is str:
            return f"{n}: {addressof(v)}"
    return f"{typename(v)}: {addressof(v)}"


def tonumber(v: Any, base: Any = None) -> Any:
    """``tonumber(v [, base])`` without argument-count checks (see baselib)."""
    if base is None:
        t = type(v)
        if t is int or t is float:
            return v
        if t is str:
            return str2number(v)
        return None
    from nse.lua.errors import arg_error, check_int, type_error

    b = check_int(base, 2, "tonumber")
    if type(v) is not str:
        type_error(1, "tonumber", "string", v)  # luaL_checktype: numbers are refused
    if not 2 <= b <= 36:
        arg_error(2, "tonumber", "base out of range")
    s = v.strip(" \t\n\v\f\r")
    # lbaselib.c l_str2int: one optional sign, '-' or '+'
    neg = s.startswith("-")
    if neg or s.startswith("+"):
        s = s[1:]
    if not s:
        return None
    n = 0
    for c in s.lower():
        d = ord(c) - 48 if "0" <= c <= "9" else ord(c) - 87 if "a" <= c <= "z" else 99
        if d >= b:
            return None
        n = (n * b + d) & _M64
    return _wrap(-n if neg else n)


# ----------------------------------------------------------------------------- for loops
def numeric_for(init: Any, limit: Any, step: Any = 1) -> Any:
    """The values of ``for v = init, limit, step`` (manual §3.3.5, lvm.c forprep); the
    one implementation, also the transpiler's ``rtx.forrange``.

    Integer loops (integer init and step) are a ``range`` over a precomputed count, so
    they cannot overflow; otherwise the loop runs on floats."""
    if type(init) is int and type(step) is int:
        if step == 0:
            op_error("'for' step is zero")
        if type(limit) is not int:
            lim = _fornum(limit, "limit")
            if type(lim) is float:
                # lvm.c forlimit: floor (ceil for a decreasing loop), clipped to the
                # integer range; a NaN limit means the loop does not run.
                if lim != lim:
                    return ()
                if lim in (math.inf, -math.inf):
                    ilim: int | float = lim
                else:
                    ilim = math.ceil(lim) if step < 0 else math.floor(lim)
                if ilim > _MAX:
                    if step < 0:
                        return ()
                    ilim = _MAX
                elif ilim < _MIN:
                    if step > 0:
                        return ()
                    ilim = _MIN
                lim = ilim
            limit = lim
        if step > 0:
            return range(init, limit + 1, step)
        return range(init, limit - 1, step)
    lim = _fornum(limit, "limit")  # lvm.c forprep checks limit, step, init in this order
    st = _fornum(step, "step")
    i = _fornum(init, "initial value")
    if st == 0:
        op_error("'for' step is zero")
    return _float_for(float(i), float(lim), float(st))


def _fornum(v: Any, what: str) -> int | float:
    # lvm.c forprep: strings convert (luaV_tonumber_); anything else is an error
    t = type(v)
    if t is int or t is float:
        return v  # type: ignore[no-any-return]
    if t is str:
        n = str2number(v)
        if n is not None:
            return n
    op_error(f"bad 'for' {what} (number expected, got {_objtypename(v)})")


def _float_for(i: float, lim: float, st: float) -> Iterable[float]:
    if st > 0:
        while i <= lim:
            yield i
            i += st
    else:
        while i >= lim:
            yield i
            i += st
