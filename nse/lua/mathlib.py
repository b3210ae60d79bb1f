"""The Lua 5.4 ``math`` library (manual §6.7), exact to ``lmathlib.c``.

Choices
    * Floating functions call Python's :mod:`math` (which wraps the same libm); where
      Python raises instead of returning C's inf/NaN (``log(0)``, ``sqrt(-1)``,
      ``exp(1000)``, ``fmod(1, 0.0)`` ...) we call libm itself through :mod:`ctypes`, so
      the result, including the sign bit of a NaN (Lua prints ``-nan``), is libm's.
    * ``math.random`` is xoshiro256** exactly as ``lmathlib.c``: the same seeding
      (``randomseed(n1, n2)`` -> state ``{n1, 0xff, n2, 0}`` then 16 discarded outputs),
      the same float conversion (top 53 bits) and the same ``project`` for ranges, so a
      seeded sequence is the one lua5.4 prints.  The generator is seeded randomly at start,
      as ``luaopen_math`` does, and is shared by every ``math`` table of the process:
      nmap runs all scripts and nselib in one Lua state, so ``math.randomseed`` in one
      script moves the sequence the others (and library code) see.  Pass ``rng`` to
      :func:`open_lib` for a private generator.
    * The reference lua5.4 (Debian's) is built with LUA_COMPAT_5_3, so ``math`` also has
      the deprecated ``atan2 cosh sinh tanh pow frexp ldexp log10``; they are here too.
    * Functions whose C code looks at the number of arguments (``random``, ``type``,
      ``tointeger``, ``max``, ``min``) take ``*args``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import os
import time
from collections.abc import Callable
from typing import Any

from nse.lua.errors import NOARG, arg_error, c_boundary, check_int, check_num, lua_error, opt_int
from nse.lua.luatable import LuaTable
from nse.lua.numfmt import MAXINT, MININT, str2number, tointeger, wrap_int

__all__ = ["open_lib", "Xoshiro256", "SHARED_RNG"]

_M64 = 0xFFFFFFFFFFFFFFFF

# --------------------------------------------------------------------------- libm fallback

_libm: Any = None


def _cfunc(name: str, nargs: int) -> Callable[..., float]:
    """The libm function ``name`` (double -> double) via ctypes, loaded on first use."""
    global _libm
    if _libm is None:
        _libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
    f = getattr(_libm, name)
    f.restype = ctypes.c_double
    f.argtypes = [ctypes.c_double] * nargs
    return f  # type: ignore[no-any-return]


def _c1(name: str, pyf: Callable[[float], float]) -> Callable[[float], float]:
    """A one-argument C math function: Python's when it answers, else libm's."""

    def f(x: float) -> float:
        try:
            return pyf(x)
        except (ValueError, OverflowError):
            return _cfunc(name, 1)(x)

    return f


_sin = _c1("sin", math.sin)
_cos = _c1("cos", math.cos)
_tan = _c1("tan", math.tan)
_asin = _c1("asin", math.asin)
_acos = _c1("acos", math.acos)
_exp = _c1("exp", math.exp)
_sqrt = _c1("sqrt", math.sqrt)
_log = _c1("log", math.log)
_log2 = _c1("log2", math.log2)
_log10 = _c1("log10", math.log10)
_cosh = _c1("cosh", math.cosh)
_sinh = _c1("sinh", math.sinh)
_tanh = _c1("tanh", math.tanh)


def _pow(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except (ValueError, OverflowError):
        return _cfunc("pow", 2)(a, b)


def _ldexp(x: float, e: int) -> float:
    try:
        return math.ldexp(x, e)
    except OverflowError:
        return math.copysign(math.inf, x)


def _fmod(a: float, b: float) -> float:
    try:
        return math.fmod(a, b)
    except (ValueError, OverflowError):
        return _cfunc("fmod", 2)(a, b)


@c_boundary
def _lt(a: Any, b: Any) -> bool:
    """``lua_compare`` from C: ``__lt`` runs one level below a position-less caller."""
    from nse.lua.ops import lt

    return lt(a, b)


def _pushnumint(d: float) -> int | float:
    """``lmathlib.c`` pushnumint: the float as an integer when it fits, else the float."""
    i = tointeger(d)
    return d if i is None else i


# --------------------------------------------------------------------------- xoshiro256**


class Xoshiro256:
    """The xoshiro256** generator with Lua 5.4's seeding and projections."""

    __slots__ = ("s",)

    def __init__(self) -> None:
        self.s = [0, 0, 0, 0]
        # luaopen_math -> randseed: seeded from time and an address ("random").
        self.seed(wrap_int(time.time_ns()), wrap_int(id(self) ^ os.getpid()))

    def next(self) -> int:
        """The next 64-bit output (unsigned)."""
        s0, s1, s2, s3 = self.s
        s1x5 = (s1 * 5) & _M64
        res = ((((s1x5 << 7) | (s1x5 >> 57)) & _M64) * 9) & _M64
        t = (s1 << 17) & _M64
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = ((s3 << 45) | (s3 >> 19)) & _M64
        self.s = [s0, s1, s2, s3]
        return res

    def seed(self, n1: int, n2: int) -> None:
        """``setseed``: state {n1, 0xff, n2, 0}, then discard 16 values."""
        self.s = [n1 & _M64, 0xFF, n2 & _M64, 0]
        for _ in range(16):
            self.next()

    def project(self, ran: int, n: int) -> int:
        """``project``: a uniform value in [0, n] (n unsigned) from ``ran`` and, when the
        first try falls outside, further outputs."""
        if n & (n + 1) == 0:  # n + 1 is a power of 2
            return ran & n
        lim = n
        for sh in (1, 2, 4, 8, 16, 32):
            lim |= lim >> sh
        ran &= lim
        while ran > n:
            ran = self.next() & lim
        return ran


# --------------------------------------------------------------------------- the library


#: The process-wide generator (one Lua state in nmap, one generator).
SHARED_RNG = Xoshiro256()


def open_lib(env: LuaTable, rng: Xoshiro256 | None = None) -> LuaTable:
    """Build the ``math`` table (``luaopen_math``); ``rng`` defaults to :data:`SHARED_RNG`."""
    if rng is None:
        rng = SHARED_RNG
    M = LuaTable()

    def m_abs(x: Any = NOARG, *_: Any) -> Any:
        if type(x) is int:
            return wrap_int(-x) if x < 0 else x  # abs(mininteger) wraps to itself
        return abs(float(check_num(x, 1, "abs")))

    def m_ceil(x: Any = NOARG, *_: Any) -> Any:
        if type(x) is int:
            return x
        d = check_num(x, 1, "ceil")
        return _pushnumint(d if math.isinf(d) or d != d else float(math.ceil(d)))

    def m_floor(x: Any = NOARG, *_: Any) -> Any:
        """§6.7: "Returns the largest integral value less than or equal to x" (an integer
        when it fits, ``pushnumint``)."""
        if type(x) is int:
            return x
        d = check_num(x, 1, "floor")
        return _pushnumint(d if math.isinf(d) or d != d else float(math.floor(d)))

    def m_fmod(a: Any = NOARG, b: Any = NOARG, *_: Any) -> Any:
        """§6.7: "Returns the remainder of the division of x by y that rounds the quotient
        towards zero (integer/float)."
        """
        if type(a) is int and type(b) is int:
            if b == 0:
                arg_error(2, "fmod", "zero")
            if b == -1:
                return 0  # avoid overflow with mininteger / -1
            r = abs(a) % abs(b)  # C '%': truncating, sign of the dividend
            return -r if a < 0 else r
        # gcc evaluates the two luaL_checknumber calls right to left: #2 is checked first
        fb = float(check_num(b, 2, "fmod"))
        return _fmod(float(check_num(a, 1, "fmod")), fb)

    def m_modf(x: Any = NOARG, *_: Any) -> Any:
        """§6.7: "Returns the integral part of x and the fractional part of x.  Its second
        result is always a float."
        """
        if type(x) is int:
            return x, 0.0
        n = float(check_num(x, 1, "modf"))
        if math.isinf(n) or n != n:
            ip = n
        else:
            ip = float(math.ceil(n)) if n < 0 else float(math.floor(n))
        # "fractional part (test needed for inf/-inf)"
        return _pushnumint(ip), (0.0 if n == ip else n - ip)

    def m_sqrt(x: Any = NOARG, *_: Any) -> float:
        return _sqrt(float(check_num(x, 1, "sqrt")))

    def m_sin(x: Any = NOARG, *_: Any) -> float:
        return _sin(float(check_num(x, 1, "sin")))

    def m_cos(x: Any = NOARG, *_: Any) -> float:
        return _cos(float(check_num(x, 1, "cos")))

    def m_tan(x: Any = NOARG, *_: Any) -> float:
        return _tan(float(check_num(x, 1, "tan")))

    def m_asin(x: Any = NOARG, *_: Any) -> float:
        return _asin(float(check_num(x, 1, "asin")))

    def m_acos(x: Any = NOARG, *_: Any) -> float:
        return _acos(float(check_num(x, 1, "acos")))

    def m_atan(y: Any = NOARG, x: Any = NOARG, *_: Any) -> float:
        fy = float(check_num(y, 1, "atan"))
        fx = 1.0 if x is None or x is NOARG else float(check_num(x, 2, "atan"))
        if fy != fy or fx != fx:
            return _cfunc("atan2", 2)(fy, fx)  # Python drops the NaN's sign
        return math.atan2(fy, fx)

    def m_exp(x: Any = NOARG, *_: Any) -> float:
        return _exp(float(check_num(x, 1, "exp")))

    def m_log(x: Any = NOARG, base: Any = NOARG, *_: Any) -> float:
        fx = float(check_num(x, 1, "log"))
        if base is None or base is NOARG:
            return _log(fx)
        b = float(check_num(base, 2, "log"))
        # lmathlib.c math_log: bases 2 and 10 use log2/log10 for exact results.
        if b == 2.0:
            return _log2(fx)
        if b == 10.0:
            return _log10(fx)
        num, den = _log(fx), _log(b)
        try:
            return num / den
        except ZeroDivisionError:
            if num != num:
                return num
            if num == 0.0:
                return -math.nan  # 0/0 on x86 gives the NaN with the sign bit set
            return math.copysign(math.inf, num) * math.copysign(1.0, den)

    def m_deg(x: Any = NOARG, *_: Any) -> float:
        return float(check_num(x, 1, "deg")) * (180.0 / math.pi)

    def m_rad(x: Any = NOARG, *_: Any) -> float:
        return float(check_num(x, 1, "rad")) * (math.pi / 180.0)

    def m_tointeger(*args: Any) -> Any:
        if not args:
            arg_error(1, "tointeger", "value expected")
        v = args[0]
        if type(v) is str:  # lua_tointegerx converts numeric strings (5.4.4)
            v = str2number(v)
        return tointeger(v)

    def m_type(*args: Any) -> Any:
        if not args:
            arg_error(1, "type", "value expected")
        v = args[0]
        if type(v) is int:
            return "integer"
        if type(v) is float:
            return "float"
        return None

    def m_ult(a: Any = NOARG, b: Any = NOARG, *_: Any) -> bool:
        x = check_int(a, 1, "ult")
        y = check_int(b, 2, "ult")
        return (x & _M64) < (y & _M64)

    def m_max(*args: Any) -> Any:
        if not args:
            arg_error(1, "max", "value expected")
        best = args[0]
        for v in args[1:]:
            if _lt(best, v):
                best = v
        return best

    def m_min(*args: Any) -> Any:
        if not args:
            arg_error(1, "min", "value expected")
        best = args[0]
        for v in args[1:]:
            if _lt(v, best):
                best = v
        return best

    def m_random(*args: Any) -> Any:
        """§6.7: "When called without arguments, returns a pseudo-random float with uniform
        distribution in the range [0,1).  When called with two integers m and n, ... in the
        range [m, n].  The call math.random(0) produces an integer with all bits
        (pseudo)random."
        """
        rv = rng.next()
        n = len(args)
        if n == 0:
            return (rv >> 11) * (0.5**53)  # I2d: top 53 bits as a float in [0, 1)
        if n == 1:
            low = 1
            up = check_int(args[0], 1, "random")
            if up == 0:  # single 0: a full random integer
                return wrap_int(rv)
        elif n == 2:
            low = check_int(args[0], 1, "random")
            up = check_int(args[1], 2, "random")
        else:
            lua_error("wrong number of arguments")
        if low > up:
            arg_error(1, "random", "interval is empty")
        p = rng.project(rv, (up - low) & _M64)
        return wrap_int(p + low)

    def m_randomseed(*args: Any) -> Any:
        """§6.7: "When called with at least one argument, the integer parameter x is joined
        with the optional integer n ... equal seeds produce equal sequences of numbers."
        Returns the two seed components, as 5.4.4 does."""
        if not args:
            n1, n2 = wrap_int(time.time_ns()), wrap_int(id(rng) ^ os.getpid())
        else:
            n1 = check_int(args[0], 1, "randomseed")
            n2 = opt_int(args[1] if len(args) > 1 else None, 2, "randomseed", 0)
        rng.seed(n1, n2)
        return n1, n2

    # LUA_COMPAT_MATHLIB (lua5.4 as Debian builds it has LUA_COMPAT_5_3): the functions
    # 5.3 deprecated.  lmathlib.c "Deprecated functions (for compatibility only)".
    def m_cosh(x: Any = NOARG, *_: Any) -> float:
        return _cosh(float(check_num(x, 1, "cosh")))

    def m_sinh(x: Any = NOARG, *_: Any) -> float:
        return _sinh(float(check_num(x, 1, "sinh")))

    def m_tanh(x: Any = NOARG, *_: Any) -> float:
        return _tanh(float(check_num(x, 1, "tanh")))

    def m_pow(x: Any = NOARG, y: Any = NOARG, *_: Any) -> float:
        fx = float(check_num(x, 1, "pow"))
        return _pow(fx, float(check_num(y, 2, "pow")))

    def m_frexp(x: Any = NOARG, *_: Any) -> tuple[float, int]:
        m, e = math.frexp(float(check_num(x, 1, "frexp")))
        return m, e

    def m_ldexp(x: Any = NOARG, e: Any = NOARG, *_: Any) -> float:
        fx = float(check_num(x, 1, "ldexp"))
        ep = ctypes.c_int(check_int(e, 2, "ldexp")).value  # (int)luaL_checkinteger
        return _ldexp(fx, ep)

    def m_log10(x: Any = NOARG, *_: Any) -> float:
        return _log10(float(check_num(x, 1, "log10")))

    for name, f in (
        ("abs", m_abs),
        ("ceil", m_ceil),
        ("floor", m_floor),
        ("fmod", m_fmod),
        ("modf", m_modf),
        ("sqrt", m_sqrt),
        ("sin", m_sin),
        ("cos", m_cos),
        ("tan", m_tan),
        ("asin", m_asin),
        ("acos", m_acos),
        ("atan", m_atan),
        ("exp", m_exp),
        ("log", m_log),
        ("deg", m_deg),
        ("rad", m_rad),
        ("tointeger", m_tointeger),
        ("type", m_type),
        ("ult", m_ult),
        ("max", m_max),
        ("min", m_min),
        ("random", m_random),
        ("randomseed", m_randomseed),
        ("cosh", m_cosh),
        ("sinh", m_sinh),
        ("tanh", m_tanh),
        ("pow", m_pow),
        ("frexp", m_frexp),
        ("ldexp", m_ldexp),
        ("log10", m_log10),
        ("atan2", m_atan),
    ):
        M[name] = f
    M["pi"] = math.pi
    M["huge"] = math.inf
    M["maxinteger"] = MAXINT
    M["mininteger"] = MININT
    return M
