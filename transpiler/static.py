"""Local functions whose every use is a direct call: a faster Python shape for them.

A Lua function must accept extra arguments (Lua drops them), so the code generator
gives every function a ``*_va`` parameter -- and CPython 3.11 does not specialise (inline
the frame of) calls to functions with ``*args``.  A ``local function f`` whose variable
is never assigned again and is only ever *called* -- never passed, stored, returned or
compared -- cannot reach any caller but those call sites.  When each of them passes a
fixed number of arguments no larger than ``f``'s parameter count (no ``f(g())`` or
``f(...)``, whose count is known only at run time), ``f`` can be a plain Python function
without ``*_va``: the calls are the same Python calls, now specialised.

:func:`single_valued` tells whether a function always returns exactly one value that is
not a call result (every ``return`` has one expression that is not a call or ``...``,
and the body ends with a ``return``): a call of it needs no truncation to one value
(``first()``), since no Lua value is a tuple.

Both are decided on the syntax tree before code generation (lparser.c has resolved every
name to its variable already).
"""

from __future__ import annotations

from typing import Any

from transpiler import nodes as N

__all__ = ["direct_call_functions", "single_valued"]


def direct_call_functions(main: N.Function) -> dict[N.Var, N.Function]:
    """The local functions of the chunk (``local function f``) that only direct calls
    with at most as many arguments as ``f`` has parameters can reach, by variable."""
    w = _Walker()
    w.function(main)
    return {v: f for v, f in w.decl.items() if v not in w.escaped}


class _Walker:
    def __init__(self) -> None:
        self.decl: dict[N.Var, N.Function] = {}
        self.escaped: set[N.Var] = set()
        self.calls: list[tuple[N.Var, N.Call]] = []

    def function(self, f: N.Function) -> None:
        self.block(f.body)
        # decided once every declaration is known (a call may precede nothing, but a
        # recursive call is seen while the body is walked)
        for v, c in self.calls:
            g = self.decl.get(v)
            if g is None:
                continue
            if len(c.args) > len(g.params) or (c.args and _multi(c.args[-1])):
                self.escaped.add(v)
        self.calls = []

    def block(self, b: N.Block) -> None:
        for st in b.stats:
            self.stat(st)

    def stat(self, st: N.Node) -> None:
        if isinstance(st, N.LocalFunction):
            f = st.func
            if not f.is_vararg and st.var.attrib is None:
                self.decl[st.var] = f
            self.body(f)
        elif isinstance(st, N.Local):
            self.exprs(st.exprs)
        elif isinstance(st, N.Assign):
            for t in st.targets:
                if isinstance(t, N.Name):
                    if t.kind != "global":
                        self.escaped.add(t.var)  # assigned again
                else:
                    self.expr(t)
            self.exprs(st.exprs)
        elif isinstance(st, N.CallStat):
            self.expr(st.call)
        elif isinstance(st, N.Do):
            self.block(st.body)
        elif isinstance(st, N.While | N.Repeat):
            self.expr(st.cond)
            self.block(st.body)
        elif isinstance(st, N.If):
            for cond, blk, _line in st.clauses:
                self.expr(cond)
                self.block(blk)
            if st.orelse is not None:
                self.block(st.orelse)
        elif isinstance(st, N.NumFor):
            self.expr(st.start)
            self.expr(st.stop)
            if st.step is not None:
                self.expr(st.step)
            self.block(st.body)
        elif isinstance(st, N.GenFor):
            self.exprs(st.exprs)
            self.block(st.body)
        elif isinstance(st, N.FunctionStat):
            t = st.target
            if isinstance(t, N.Name):
                if t.kind != "global":
                    self.escaped.add(t.var)  # function f() ... end assigns local f
            else:
                self.expr(t)
            self.body(st.func)
        elif isinstance(st, N.Return):
            self.exprs(st.exprs)
        # Break, Goto, Label: no expressions

    def body(self, f: N.Function) -> None:
        self.block(f.body)

    def exprs(self, es: list[N.Node]) -> None:
        for e in es:
            self.expr(e)

    def expr(self, e: Any) -> None:
        if isinstance(e, N.Name):
            if e.kind != "global":
                self.escaped.add(e.var)  # used as a value
            else:
                self.expr_env(e)
        elif isinstance(e, N.Call):
            fn = e.func
            if isinstance(fn, N.Name) and fn.kind != "global":
                self.calls.append((fn.var, e))
            else:
                self.expr(fn)
            self.exprs(e.args)
        elif isinstance(e, N.MethodCall):
            self.expr(e.obj)
            self.exprs(e.args)
        elif isinstance(e, N.Index):
            self.expr(e.obj)
            self.expr(e.key)
        elif isinstance(e, N.Paren):
            self.expr(e.expr)
        elif isinstance(e, N.BinOp):
            self.expr(e.left)
            self.expr(e.right)
        elif isinstance(e, N.UnOp):
            self.expr(e.operand)
        elif isinstance(e, N.Table):
            for k, v in e.items:
                if k is not None:
                    self.expr(k)
                self.expr(v)
        elif isinstance(e, N.Function):
            self.body(e)
        # literals and ... : nothing

    def expr_env(self, e: N.Name) -> None:
        # a global reads the _ENV variable in scope: a local _ENV used so escapes
        self.escaped.add(e.var)


def _multi(e: N.Node) -> bool:
    return isinstance(e, N.Call | N.MethodCall | N.Vararg)


def single_valued(f: N.Function) -> bool:
    """Does every return of ``f`` give exactly one value that is not a call result, with
    no way to reach the end of the body without a ``return``?"""
    stats = f.body.stats
    if not stats or not isinstance(stats[-1], N.Return):
        return False
    return _returns_single(f.body)


def _returns_single(b: N.Block) -> bool:
    for st in b.stats:
        if isinstance(st, N.Return):
            if len(st.exprs) != 1 or _multi(st.exprs[0]):
                return False
        elif isinstance(st, N.Do | N.While | N.Repeat | N.NumFor | N.GenFor):
            if not _returns_single(st.body):
                return False
        elif isinstance(st, N.If):
            for _cond, blk, _line in st.clauses:
                if not _returns_single(blk):
                    return False
            if st.orelse is not None and not _returns_single(st.orelse):
                return False
        # nested functions' returns are their own
    return True
