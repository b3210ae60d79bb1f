"""Names that transpiled code imports: ``from nse.lua.rt import *``.

CONTRACT between the transpiler (emits calls to these) and the runtime (implements them).
Every name below must exist with exactly this meaning.  The implementations live in
``ops``, ``luatable``, ``errors``, ``baselib``; this module only re-exports them.

Values and multiple results
    LuaTable                 the table type; ``LuaTable()``, ``LuaTable.from_list(seq)``
                             (keys 1..n, a None in seq leaves a hole),
                             ``LuaTable.from_pairs(pairs)`` for constructors with keys
    LuaError                 the exception type of Lua errors (``.value``)
    first(v)                 one value of a call result: tuple -> v[0] or None; else v
    mv(v)                    call result as a tuple: tuple -> v; else (v,)
    truth(v)                 Lua truthiness: ``v is not None and v is not False``

Operators (operands already evaluated, left to right, by the generated code)
    add sub mul div mod idiv pow          arithmetic (+ - * / % // ^) with int/float
                                          subtypes, 64-bit wraparound, string coercion,
                                          metamethods __add ... __idiv __pow
    unm(a)                                unary minus (__unm)
    band bor bxor shl shr, bnot(a)        bitwise (__band ... __shr, __bnot)
    concat(a, b)                          ``..`` (__concat); numbers format as Lua does
    length(a)                             ``#`` (__len; border for tables; bytes of strings)
    eq ne lt le gt ge                     comparisons; ``gt(a, b)`` is ``lt(b, a)`` and
                                          ``ge(a, b)`` is ``le(b, a)`` (for __lt/__le)
    index(o, k)                           ``o[k]`` with __index chains (strings index the
                                          string library)
    setindex(o, k, v)                     ``o[k] = v`` with __newindex chains
    invoke(o, name, *args)                method call ``o:name(args)``; o evaluated once
    tostring(v), tonumber(v, base=None), type_(v)  as the Lua functions (type_ returns
                                          the Lua type name)

Error names (zero runtime cost)
    A chunk's Python globals may hold ``__lua_names__``: a dict keyed by
    ``(lineno, col_offset)`` of an emitted ``ast.Call`` node (the call to an operator helper
    above, or a direct call of a Lua value) whose value is a tuple of descriptions, one per
    argument, e.g. ``("local 'x'", None)``; for a direct call, index 0 describes the callee
    (``"global 'foo'"``).  When an operator raises its error, ``errors`` looks up the
    innermost Lua frame's current instruction position (``co_positions()`` at ``f_lasti``)
    in that dict and appends `` (local 'x')`` to the message, as Lua 5.4 does.  Missing
    entries simply give the message without a name.

Chunks
    A chunk compiles to a Python function ``chunk(_ENV)`` that returns the chunk's main
    function (a vararg Lua function).  ``_ENV`` is the globals table (a LuaTable); global
    ``x`` is ``index(_ENV, "x")``.  ``baselib.new_env()`` makes a fresh ``_G``.
"""

from __future__ import annotations

from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable
from nse.lua.ops import (
    add,
    band,
    bnot,
    bor,
    bxor,
    call,
    concat,
    div,
    eq,
    first,
    ge,
    gt,
    idiv,
    index,
    invoke,
    le,
    length,
    lt,
    mod,
    mul,
    mv,
    ne,
    numeric_for,
    pow,
    setindex,
    shl,
    shr,
    sub,
    tonumber,
    tostring,
    truth,
    type_,
    unm,
)

# Beyond the contract above (additions, never changes):
#   call(f, *args)            call a Lua value from runtime code with Lua's error message
#   numeric_for(a, b, c=1)    the values of ``for v = a, b, c`` (§3.3.5): a ``range`` for
#                             integer loops (fast), Lua's float loop otherwise; raises
#                             "'for' initial value must be a number" etc.
__all__ = [
    "LuaTable", "LuaError", "first", "mv", "truth",
    "add", "sub", "mul", "div", "mod", "idiv", "pow", "unm",
    "band", "bor", "bxor", "shl", "shr", "bnot",
    "concat", "length", "eq", "ne", "lt", "le", "gt", "ge",
    "index", "setindex", "invoke", "tostring", "tonumber", "type_",
    "call", "numeric_for",
]  # fmt: skip
