"""Lua syntax tree (:mod:`transpiler.nodes`) -> Python ``ast.Module``.

One method per Lua node type.  The emitted shapes, in short (``x`` is a Lua local)::

    local a, b = f()        a, b = adjust(f(), 2)
    x = t.k                 x = _t if type(t) is LuaTable and (_t := t._lt_hash.get('k'))
                                    is not None else index(t, 'k')
    x = f().k               the same through ``_o := f()`` (field_of_expr)
    local function f(a)     def f(a=None):  when only direct calls reach f
                            (transpiler.static), else def f(a=None, *_va):
    n = select('#', ...)    n = len(varargs) if (_t := <select>) is lua_select else ...
    t[k] = v                setindex(t, k, v)
    f(a, g())               f(a, *mv(g()))
    local y = f()           y = first(f())
    o:m(1)                  index(_o := o, 'm')(_o, 1)
    a .. b .. c             concatn(a, b, c)
    if x then               if x is not None and x is not False:
    a and b   (value)       b if (_t := a) is not None and _t is not False else _t
    for i = 1, n do         for i in forrange(1, n, 1):
    for k, v in pairs(t)    for k, v in forin(2, *mv(pairs(t))):  (+ try: closing value)
    function(a) ... end     def anon(a=None, *_va):  ... (hoisted before the statement)
    return f(x)             return f(x)          (a tuple is a list of values)

Locals are Python locals with unique names per chunk (so shadowing and Python keywords
or builtins are never a problem); upvalues are Python closures (``nonlocal`` when a nested
function assigns them).  A local that is declared inside a loop *and* captured by a
closure needs a fresh variable per iteration (manual section 3.5): it lives in a
one-element list ``x = [v]`` and every function using it receives the list as a
keyword-only default ``def f(*_, x=x)``, bound when the closure is created.

``goto``: a jump to a label at the end of a ``while``/``for`` body is ``continue``; other
labels split their block into segments run by a small state machine::

    _g = 0
    while True:
        if _g <= 0: <segment 0>
        if _g <= 1: <segment 1>      # ::label1::
        break

where ``goto label1`` is ``_g = 1; continue``.  Jumps out of inner Python loops set a flag
and ``break``; the code after each inner loop forwards them.
"""

from __future__ import annotations

import ast
import builtins
import keyword
from typing import Any

from transpiler import nodes as N
from transpiler.errors import ConvertError
from transpiler.static import direct_call_functions, single_valued

__all__ = ["CodeGen", "ConvertError", "RT_NAMES", "RTX_NAMES"]

RT_NAMES = (
    "LuaTable LuaError first mv truth add sub mul div mod idiv pow unm band bor bxor shl "
    "shr bnot concat length eq ne lt le gt ge index setindex invoke tostring tonumber type_ "
    "call numeric_for"
).split()
RTX_NAMES = ["forrange", "forin", "forin_error", "forin_close", "tbc_check", "tbc_close",
             "adjust", "table_mixed", "concatn", "NORET", "lua_select"]

_ARITH = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "//": "idiv",
          "^": "pow", "&": "band", "|": "bor", "~": "bxor", "<<": "shl", ">>": "shr",
          "..": "concat"}
_CMP = {"==": "eq", "~=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
_UNARY = {"-": "unm", "#": "length", "~": "bnot"}

# CPython refuses more than 20 statically nested blocks (CO_MAXBLOCKS); a loop that would
# open Python blocks beyond this depth is moved into a function of its own.
_MAX_DEPTH = 16
_LOOP_COST = {"While": 1, "Repeat": 1, "NumFor": 1, "GenFor": 3}  # for + try/except/finally

_RESERVED = (
    set(keyword.kwlist) | set(keyword.softkwlist) | set(dir(builtins)) | set(RT_NAMES)
    | set(RTX_NAMES) | {"chunk", "main", "varargs", "_ENV", "_t", "_o", "_va", "NORET", "_n", "_k", "_v"}
    | {f"_{c}{d}" for c in "ab" for d in range(64)}
)
_MAX_OPDEPTH = 64  # operand temporaries _a0.._a63, _b0.._b63 (see CodeGen.operands)
_INT_MIN, _INT_MAX = -0x8000000000000000, 0x7FFFFFFFFFFFFFFF
_PYOP: dict[str, type[ast.operator]] = {"+": ast.Add, "-": ast.Sub, "*": ast.Mult,
                                        "%": ast.Mod, "//": ast.FloorDiv, "&": ast.BitAnd,
                                        "|": ast.BitOr, "~": ast.BitXor}
_PYCMP: dict[str, type[ast.cmpop]] = {"<": ast.Lt, "<=": ast.LtE, ">": ast.Gt, ">=": ast.GtE}


class _Names:
    """Unique Python identifiers for one chunk."""

    def __init__(self) -> None:
        self.used: set[str] = set(_RESERVED)
        self.counters: dict[str, int] = {}

    def fresh(self, base: str) -> str:
        if base not in self.used and not (base.startswith("__")):
            self.used.add(base)
            return base
        if base.startswith("__"):
            base = "L" + base
        k = self.counters.get(base, 0)
        while True:
            k += 1
            cand = f"{base}_{k}"
            if cand not in self.used:
                self.counters[base] = k
                self.used.add(cand)
                return cand


class _Loop:
    """A Python loop being generated: a Lua loop (``kind="lua"``) or a goto state
    machine (``kind="sm"``)."""

    __slots__ = ("kind", "node", "flags", "checks", "labels", "gvar")

    def __init__(self, kind: str, node: Any) -> None:
        self.kind = kind
        self.node = node
        self.flags: dict[str, str] = {}  # action -> flag variable
        self.checks: list[tuple[_Loop, str]] = []  # jumps to forward after this loop
        self.labels: dict[N.Label, int] = {}
        self.gvar = ""


class _Func:
    """Per-Python-function generation state."""

    def __init__(self, fs: Any) -> None:
        self.fs = fs
        self.loops: list[_Loop] = []
        self.goto_loop = 0  # > 0 inside code a backward goto can run again
        self.depth = 0  # Python blocks (loops, try) open at this point
        # a loop moved into a function of its own (see CodeGen.extract): the variables
        # it declares, and the outer ones it assigns (nonlocal there)
        self.region = False
        self.declared: set[N.Var] = set()
        self.assigned_outer: dict[str, bool] = {}


def _load(name: str) -> ast.Name:
    return ast.Name(id=name, ctx=ast.Load())


def _store(name: str) -> ast.Name:
    return ast.Name(id=name, ctx=ast.Store())


def _const(v: Any) -> ast.Constant:
    return ast.Constant(value=v)


def _lit(n: N.Node) -> Any:
    """The Python value of a literal node (or raise KeyError)."""
    if isinstance(n, N.Nil):
        return None
    if isinstance(n, N.TrueE):
        return True
    if isinstance(n, N.FalseE):
        return False
    if isinstance(n, N.Number | N.String):
        return n.value
    raise KeyError


def _is_literal(n: N.Node) -> bool:
    return isinstance(n, N.Nil | N.TrueE | N.FalseE | N.Number | N.String)


def _is_multi(n: N.Node) -> bool:
    return isinstance(n, N.Call | N.MethodCall | N.Vararg)


class CodeGen:
    """Generate the Python module for one parsed chunk."""

    def __init__(self, chunkname: str) -> None:
        self.chunkname = chunkname
        self.names = _Names()
        self.named_calls: list[tuple[ast.Call, tuple[str | None, ...]]] = []
        self.pre: list[ast.stmt] = []
        self.fn: _Func = _Func(None)
        self.tmp_names: list[str] = []
        self.opdepth = 0  # nesting of inlined operators (their operand temporaries)
        # local functions only direct calls reach (transpiler.static): no *_va
        self.direct: dict[N.Var, N.Function] = {}
        self.single: dict[N.Function, bool] = {}

    def error(self, line: int, msg: str) -> ConvertError:
        return ConvertError(self.chunkname, line, msg)

    # ------------------------------------------------------------------ module
    def module(self, main: N.Function, env: N.Var) -> tuple[ast.Module, dict[Any, Any]]:
        """Return (module, __lua_names__) for the chunk."""
        env.pyname = "_ENV"
        self.names.used.add("_ENV")
        self.direct = direct_call_functions(main)
        mainfn = self.function_def(main, "main")
        chunk = ast.FunctionDef(
            name="chunk",
            args=ast.arguments(posonlyargs=[], args=[ast.arg(arg="_ENV")], vararg=None,
                               kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
            body=[mainfn, ast.Return(value=_load("main"))],
            decorator_list=[], returns=None, type_comment=None,
        )
        chunk.lineno = 1
        imports: list[ast.stmt] = [
            ast.ImportFrom(module="nse.lua.rt", names=[ast.alias(name="*")], level=0),
            ast.ImportFrom(module="transpiler.rtx",
                           names=[ast.alias(name=n) for n in RTX_NAMES], level=0),
            ast.Assign(targets=[_store("__lua_chunk__")], value=_const(self.chunkname)),
        ]
        for s in imports:
            s.lineno = 1
        mod = ast.Module(body=imports + [chunk], type_ignores=[])
        _fix_positions(mod)
        names: dict[Any, Any] = {}
        for call, descs in self.named_calls:
            col = getattr(call, "col_offset", None)
            if col is not None:  # None: the call was dropped for a faster shape
                names[(call.lineno, col)] = descs
        return mod, names

    # ------------------------------------------------------------------ helpers
    def call(self, fname: str, args: list[ast.expr], line: int,
             descs: tuple[str | None, ...] | None = None) -> ast.Call:
        c = ast.Call(func=_load(fname), args=args, keywords=[])
        c.lineno = line
        if descs is not None and any(descs):
            self.named_calls.append((c, descs))
        return c

    def tmp(self, i: int) -> str:
        """Statement temporary number ``i`` (shared by all functions: lives one statement)."""
        while len(self.tmp_names) <= i:
            self.tmp_names.append(self.names.fresh(f"_r{len(self.tmp_names)}"))
        return self.tmp_names[i]

    def describe(self, e: N.Node) -> str | None:
        """How lua5.4 names the value of ``e`` in error messages (ldebug.c getobjname)."""
        if isinstance(e, N.Name):
            if e.kind == "global":
                return f"global '{e.name}'"
            if e.var.has_const:
                c = e.var.const_value
                return f"constant '{c.value}'" if isinstance(c, N.String) else None
            return f"{'local' if e.kind == 'local' else 'upvalue'} '{e.name}'"
        if isinstance(e, N.Index):
            k = e.key
            if isinstance(k, N.String):
                if isinstance(e.obj, N.Name) and e.obj.name == "_ENV" and e.obj.kind != "global":
                    return f"global '{k.value}'"
                return f"field '{k.value}'"
            if isinstance(k, N.Number) and type(k.value) is int and 0 <= k.value <= 255:
                return "field 'integer index'"
            return "field '?'"
        if isinstance(e, N.String):
            return f"constant '{e.value}'"
        if isinstance(e, N.Paren) and not _is_multi(e.expr):
            return self.describe(e.expr)
        return None

    # ------------------------------------------------------------------ variables
    def declare(self, v: N.Var) -> str:
        v.pyname = self.names.fresh(v.name)
        v.cell = v.captured and (v.in_loop or self.fn.goto_loop > 0)
        if self.fn.region:
            self.fn.declared.add(v)
        return v.pyname

    def var_load(self, v: N.Var, line: int) -> ast.expr:
        if v.has_const:
            return _const(_lit(v.const_value))
        n = _load(v.pyname)
        n.lineno = line
        if v.cell:
            s = ast.Subscript(value=n, slice=_const(0), ctx=ast.Load())
            s.lineno = line
            return s
        return n

    def var_init(self, v: N.Var, value: ast.expr, line: int) -> ast.stmt:
        """Bind a newly declared variable (a fresh cell for a captured loop local)."""
        if v.cell:
            value = ast.List(elts=[value], ctx=ast.Load())
        s = ast.Assign(targets=[_store(v.pyname)], value=value)
        s.lineno = line
        return s

    def var_store(self, v: N.Var, value: ast.expr, line: int) -> ast.stmt:
        if self.fn.region and not v.cell and v not in self.fn.declared:
            self.fn.assigned_outer[v.pyname] = True
        if v.cell:
            t: ast.expr = ast.Subscript(value=_load(v.pyname), slice=_const(0),
                                        ctx=ast.Store())
        else:
            t = _store(v.pyname)
        s = ast.Assign(targets=[t], value=value)
        s.lineno = line
        return s

    # ------------------------------------------------------------------ functions
    def function_def(self, f: N.Function, pyname: str, exact: bool = False) -> ast.FunctionDef:
        outer_fn, outer_pre = self.fn, self.pre
        self.fn = _Func(f.fs)
        self.pre = []
        params = [ast.arg(arg=self.declare(p)) for p in f.params]
        body: list[ast.stmt] = []
        for p in f.params:
            if p.cell:  # a parameter is never in a loop, but keep the rule total
                body.append(self.var_init(p, _load(p.pyname), f.line))
        vararg: ast.arg | None
        if f.is_vararg:
            vararg = ast.arg(arg="varargs")
        elif exact:
            vararg = None  # only direct calls with few enough arguments reach it
        else:
            vararg = ast.arg(arg="_va")  # extra arguments are ignored
        # free variables: cells come in as keyword-only defaults, assigned ones nonlocal
        kwonly = []
        kwdefaults: list[ast.expr | None] = []
        nonlocals = []
        for v in f.fs.upvals:
            if v.cell:
                kwonly.append(ast.arg(arg=v.pyname))
                kwdefaults.append(_load(v.pyname))
            elif v in f.fs.nonlocals:
                nonlocals.append(v.pyname)
        if nonlocals:
            body.insert(0, ast.Nonlocal(names=nonlocals))
        body.extend(self.block(f.body))
        if not body or not isinstance(body[-1], ast.Return):
            r = ast.Return(value=ast.Tuple(elts=[], ctx=ast.Load()))
            r.lineno = f.endline or f.line
            body.append(r)
        fd = ast.FunctionDef(
            name=pyname,
            args=ast.arguments(posonlyargs=[], args=params, vararg=vararg, kwonlyargs=kwonly,
                               kw_defaults=kwdefaults, kwarg=None,
                               defaults=[_const(None) for _ in params]),
            body=body, decorator_list=[], returns=None, type_comment=None,
        )
        fd.lineno = f.line or 1
        self.fn, self.pre = outer_fn, outer_pre
        return fd

    def function_expr(self, f: N.Function) -> ast.expr:
        """Hoist the def before the current statement; the expression is its name."""
        base = f.name if f.name.isidentifier() and f.name != "anonymous" else "anon"
        name = self.names.fresh(base)
        self.pre.append(self.function_def(f, name))
        n = _load(name)
        n.lineno = f.line
        return n

    # ------------------------------------------------------------------ blocks
    def block(self, b: N.Block) -> list[ast.stmt]:
        sm_labels = [lab for lab in b.labels if lab.used and not self.is_continue_label(lab)]
        if not sm_labels:
            return self.stats(b.stats, 0)
        return self.state_machine(b, sm_labels)

    @staticmethod
    def is_continue_label(lab: N.Label) -> bool:
        b = lab.block
        return (b.is_loop_body and lab.at_end
                and isinstance(b.loop, N.While | N.NumFor | N.GenFor))

    def stats(self, stats: list[N.Node], start: int, stop: int | None = None) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        end = len(stats) if stop is None else stop
        i = start
        while i < end:
            st = stats[i]
            if isinstance(st, N.Local) and any(v.attrib == "close" for v in st.vars):
                out.extend(self.local_close(st, stats, i + 1, end))
                return out
            out.extend(self.stat(st))
            i += 1
        return out

    def stat(self, st: N.Node) -> list[ast.stmt]:
        kind = type(st).__name__
        cost = _LOOP_COST.get(kind)
        if cost is not None and self.fn.depth + cost > _MAX_DEPTH:
            return self.extract(st)
        self.pre = []
        r = getattr(self, "s_" + kind)(st)
        out = self.pre + r
        self.pre = []
        return out

    def extract(self, st: N.Node) -> list[ast.stmt]:
        """A loop nested too deeply for CPython runs in a function of its own::

            def _loop():
                nonlocal <outer locals it assigns>
                <the loop>
                return NORET
            _rv = _loop()
            if _rv is not NORET:     # a `return` inside the loop
                return _rv
        """
        outer = self.fn
        region = _Func(outer.fs)
        region.region = True
        region.goto_loop = outer.goto_loop
        self.fn = region
        self.pre = []
        body = self.pre + getattr(self, "s_" + type(st).__name__)(st)
        self.pre = []
        self.fn = outer
        line = st.line
        has_return = any(isinstance(n, ast.Return) for n in _walk_no_defs(body))
        if region.assigned_outer:
            body.insert(0, ast.Nonlocal(names=list(region.assigned_outer)))
        body.append(ast.Return(value=_load("NORET")))
        name = self.names.fresh("_loop")
        fd = ast.FunctionDef(
            name=name, args=ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[],
                                          kw_defaults=[], kwarg=None, defaults=[]),
            body=body, decorator_list=[], returns=None, type_comment=None)
        fd.lineno = line
        call = self.call(name, [], line)
        if not has_return:
            e = ast.Expr(value=call)
            e.lineno = line
            return [fd, e]
        rv = self.names.fresh("_rv")
        test = ast.Compare(left=_load(rv), ops=[ast.IsNot()], comparators=[_load("NORET")])
        i = ast.If(test=test, body=[ast.Return(value=_load(rv))], orelse=[])
        i.lineno = line
        return [fd, self.assign_py(rv, call, line), i]

    def state_machine(self, b: N.Block, labels: list[N.Label]) -> list[ast.stmt]:
        for st in b.stats:
            if (isinstance(st, N.Local) and any(v.attrib == "close" for v in st.vars)
                    and not all(lab.at_end for lab in labels)):
                raise self.error(st.line, "goto in a block with a to-be-closed variable "
                                 "is not supported")
        lp = _Loop("sm", b)
        lp.gvar = self.names.fresh("_g")
        self.fn.depth += 1
        bounds = [0] + [lab.index for lab in labels] + [len(b.stats)]
        for k, lab in enumerate(labels):
            lp.labels[lab] = k + 1
        self.fn.loops.append(lp)
        body: list[ast.stmt] = []
        backward = False
        for k in range(len(bounds) - 1):
            if k > 0 and labels[k - 1].backward and not backward:
                # locals from here on may be declared again by a backward goto
                backward = True
                self.fn.goto_loop += 1
            seg = self.stats(b.stats, bounds[k], bounds[k + 1]) or [ast.Pass()]
            test = ast.Compare(left=_load(lp.gvar), ops=[ast.LtE()], comparators=[_const(k)])
            body.append(ast.If(test=test, body=seg, orelse=[]))
        if backward:
            self.fn.goto_loop -= 1
        self.fn.depth -= 1
        self.fn.loops.pop()
        body.append(ast.Break())
        line = b.stats[0].line if b.stats else b.line
        init = ast.Assign(targets=[_store(lp.gvar)], value=_const(0))
        init.lineno = line
        loop = ast.While(test=_const(True), body=body, orelse=[])
        loop.lineno = line
        return [init, loop] + self.after_loop(lp)

    def jump(self, target: _Loop, action: str, line: int, idx: int = 0) -> list[ast.stmt]:
        """Leave the Python loops inside ``target`` and break/continue/goto it."""
        loops = self.fn.loops
        pos = len(loops) - 1
        while loops[pos] is not target:
            pos -= 1
        inner = loops[pos + 1:]
        if not inner:
            if action == "break":
                out: list[ast.stmt] = [ast.Break()]
            elif action == "continue":
                out = [ast.Continue()]
            else:
                out = [ast.Assign(targets=[_store(target.gvar)], value=_const(idx)),
                       ast.Continue()]
        else:
            if action == "goto":
                flag_set: ast.stmt = ast.Assign(targets=[_store(target.gvar)],
                                                value=_const(~idx))
            else:
                flag = target.flags.get(action)
                if flag is None:
                    flag = target.flags[action] = self.names.fresh(f"_{action[0]}")
                flag_set = ast.Assign(targets=[_store(flag)], value=_const(True))
            out = [flag_set, ast.Break()]
            for lp in inner:
                if (target, action) not in lp.checks:
                    lp.checks.append((target, action))
        for s in out:
            s.lineno = line
        return out

    def after_loop(self, lp: _Loop) -> list[ast.stmt]:
        """Forward pending jumps after the Python loop ``lp`` ends."""
        out: list[ast.stmt] = []
        loops = self.fn.loops
        enclosing = loops[-1] if loops else None
        for target, action in lp.checks:
            if action == "goto":
                test: ast.expr = ast.Compare(left=_load(target.gvar), ops=[ast.Lt()],
                                             comparators=[_const(0)])
            else:
                test = _load(target.flags[action])
            if enclosing is target:
                if action == "break":
                    body: list[ast.stmt] = [ast.Break()]
                elif action == "continue":
                    body = [ast.Assign(targets=[_store(target.flags[action])],
                                       value=_const(False)), ast.Continue()]
                else:
                    body = [ast.Assign(targets=[_store(target.gvar)],
                                       value=ast.UnaryOp(op=ast.Invert(),
                                                         operand=_load(target.gvar))),
                            ast.Continue()]
            else:
                body = [ast.Break()]
            out.append(ast.If(test=test, body=body, orelse=[]))
        return out

    def loop_stmt(self, lua_loop: N.Node, make: Any) -> list[ast.stmt]:
        """Generate a Lua loop: ``make(lp)`` returns the Python loop statement."""
        lp = _Loop("lua", lua_loop)
        self.fn.loops.append(lp)
        outer_pre = self.pre
        cost = _LOOP_COST[type(lua_loop).__name__]
        self.fn.depth += cost
        loop = make(lp)
        self.fn.depth -= cost
        self.pre = outer_pre
        self.fn.loops.pop()
        inits: list[ast.stmt] = []
        for flag in lp.flags.values():
            a = ast.Assign(targets=[_store(flag)], value=_const(False))
            a.lineno = lua_loop.line
            inits.append(a)
        return inits + [loop] + self.after_loop(lp)

    def find_loop(self, node: Any, jump: N.Node) -> _Loop:
        """The Python loop generated for Lua loop ``node``, target of ``jump``."""
        for lp in reversed(self.fn.loops):
            if lp.node is node:
                return lp
        # only a loop moved into a function of its own (extract) hides its targets
        what = f"goto '{jump.label}'" if isinstance(jump, N.Goto) else "break"
        raise self.error(jump.line, f"{what} out of a loop nested more than {_MAX_DEPTH} "
                         "deep is not supported")

    # ------------------------------------------------------------------ statements
    def s_Local(self, st: N.Local) -> list[ast.stmt]:
        vars_ = st.vars
        line = st.line
        exprs = st.exprs
        if vars_ and vars_[-1].has_const and len(exprs) == len(vars_):
            # a compile-time constant has no variable; its literal has no side effects
            vars_[-1].pyname = vars_[-1].name
            vars_ = vars_[:-1]
            exprs = exprs[:-1]
            if not vars_:
                return []
        values = self.adjusted(exprs, len(vars_), line)
        for v in vars_:
            self.declare(v)
        out: list[ast.stmt] = []
        if len(vars_) == 1:
            out.append(self.var_init(vars_[0], values, line))
        else:
            tgt = ast.Tuple(elts=[_store(v.pyname) for v in vars_], ctx=ast.Store())
            a = ast.Assign(targets=[tgt], value=values)
            a.lineno = line
            out.append(a)
            for v in vars_:
                if v.cell:
                    out.append(self.var_init(v, _load(v.pyname), line))
        return out

    def local_close(self, st: N.Local, stats: list[N.Node], start: int,
                    end: int) -> list[ast.stmt]:
        """``local x <close> = v``: the rest of the block runs in try/finally and closes x
        on any exit (manual section 3.3.8)."""
        out = self.stat(st)
        v = next(v for v in st.vars if v.attrib == "close")
        line = st.line
        chk = ast.Expr(value=self.call("tbc_check", [self.var_load(v, line),
                                                     _const(v.name)], line))
        chk.lineno = line
        out.append(chk)
        err = self.names.fresh("_err")
        exc = self.names.fresh("_e")
        self.fn.depth += 2  # try/except/finally
        rest = self.stats(stats, start, end) or [ast.Pass()]
        self.fn.depth -= 2
        handler = ast.ExceptHandler(
            type=_load("BaseException"), name=exc,
            body=[ast.Assign(targets=[_store(err)], value=_load(exc)), ast.Raise()])
        close = ast.Expr(value=self.call("tbc_close", [self.var_load(v, line), _load(err)],
                                         line))
        init = ast.Assign(targets=[_store(err)], value=_const(None))
        init.lineno = line
        tr = ast.Try(body=rest, handlers=[handler], orelse=[], finalbody=[close])
        tr.lineno = line
        return out + [init, tr]

    def s_Assign(self, st: N.Assign) -> list[ast.stmt]:
        line = st.line
        targets = st.targets
        if len(targets) == 1 and len(st.exprs) == 1:
            t = targets[0]
            if (isinstance(t, N.Index) and isinstance(t.obj, N.Name)
                    and t.obj.kind != "global" and not t.obj.var.has_const):
                fast = self.setindex_inline(t, st.exprs[0], line)
                if fast is not None:
                    return fast
            return [self.assign_to(t, self.expr(st.exprs[0]), line)]
        # Lua evaluates the target prefixes, then all values, then assigns (manual 3.3.3);
        # lua5.4 assigns from right to left.
        out: list[ast.stmt] = []
        ntmp = 0
        prepared: list[Any] = []
        # a variable assigned here and used as a table or key of another target is read
        # before any assignment (lparser.c check_conflict copies it)
        assigned = {t.var for t in targets if isinstance(t, N.Name) and t.kind != "global"}

        def stable(e: N.Node) -> bool:
            return _is_literal(e) or (isinstance(e, N.Name) and e.var not in assigned
                                      and e.kind != "global")
        for t in targets:
            if isinstance(t, N.Index):
                o = self.expr(t.obj)
                k = self.expr(t.key)
                if not stable(t.obj):
                    name = self.tmp(ntmp)
                    ntmp += 1
                    out.append(self.assign_py(name, o, line))
                    o = _load(name)
                if not stable(t.key):
                    name = self.tmp(ntmp)
                    ntmp += 1
                    out.append(self.assign_py(name, k, line))
                    k = _load(name)
                prepared.append((t, o, k))
            else:
                prepared.append((t, None, None))
        values = self.adjusted(st.exprs, len(targets), line)
        vnames = [self.tmp(ntmp + i) for i in range(len(targets))]
        if len(targets) == 1:
            out.append(self.assign_py(vnames[0], values, line))
        else:
            a = ast.Assign(targets=[ast.Tuple(elts=[_store(n) for n in vnames],
                                              ctx=ast.Store())], value=values)
            a.lineno = line
            out.append(a)
        for (t, o, k), vn in reversed(list(zip(prepared, vnames, strict=True))):
            if o is None:
                out.append(self.assign_to(t, _load(vn), line))
            else:
                out.append(self.setindex_stmt(t, o, k, _load(vn), line))
        return out

    def setindex_inline(self, t: N.Index, value: N.Node, line: int) -> list[ast.stmt] | None:
        """``t[k] = v`` for a local table ``t``, stored in place when ``t`` is a table
        whose metatable (if any) has no ``__newindex`` and ``v`` is not nil (then the
        assignment is raw, manual 2.4), ``setindex`` otherwise::

            _v = v
            if type(t) is LuaTable and ((_t := t._lt_meta) is None
                                        or '__newindex' not in _t._lt_hash) and _v is not None:
                if type(k) is int and 0 < k <= len(t._lt_arr): t._lt_arr[k - 1] = _v
                elif k == len(t._lt_arr) + 1 and not t._lt_hash: t._lt_arr.append(_v)
                else: setindex(t, k, _v)
            else: setindex(t, k, _v)

        A string key goes to ``t._lt_hash`` when no ``next`` traversal snapshot is live
        (nse.lua.luatable keeps every string key there).  The key is evaluated before the
        value, as in setindex(t, k, v); the table variable is read after both, as the
        Lua VM reads its register."""
        key = t.key
        out: list[ast.stmt] = []
        if isinstance(key, N.Number) and not (type(key.value) is int and key.value > 0):
            return None
        keyed = not isinstance(key, N.String | N.Number)  # any other key: in _k
        if keyed:
            out.append(self.assign_py("_k", self.expr(key), line))
            k: Any = lambda: _load("_k")  # noqa: E731
        else:
            k = lambda: self.expr(key)  # noqa: E731
        out.append(self.assign_py("_v", self.expr(value), line))

        def obj() -> ast.expr:
            return self.expr(t.obj)

        def attr(name: str) -> ast.expr:
            return ast.Attribute(value=obj(), attr=name, ctx=ast.Load())

        def slow() -> list[ast.stmt]:
            e = ast.Expr(value=self.call("setindex", [obj(), k(), _load("_v")], line,
                                         (self.describe(t.obj), None, None)))
            e.lineno = line
            return [e]

        raw_ok = ast.BoolOp(op=ast.And(), values=[
            self._type_is(obj(), "LuaTable"),
            ast.BoolOp(op=ast.Or(), values=[
                ast.Compare(left=ast.NamedExpr(target=_store("_t"), value=attr("_lt_meta")),
                            ops=[ast.Is()], comparators=[_const(None)]),
                ast.Compare(left=_const("__newindex"), ops=[ast.NotIn()],
                            comparators=[ast.Attribute(value=_load("_t"), attr="_lt_hash",
                                                       ctx=ast.Load())])]),
            ast.Compare(left=_load("_v"), ops=[ast.IsNot()], comparators=[_const(None)])])
        if isinstance(key, N.String):
            store = ast.Assign(targets=[ast.Subscript(value=attr("_lt_hash"), slice=k(),
                                                      ctx=ast.Store())], value=_load("_v"))
            inner: list[ast.stmt] = [ast.If(
                test=ast.Compare(left=attr("_lt_snap"), ops=[ast.Is()],
                                 comparators=[_const(None)]),
                body=[store], orelse=slow())]
        else:
            length = ast.Call(func=_load("len"), args=[attr("_lt_arr")], keywords=[])
            in_arr: ast.expr = ast.Compare(left=_const(0), ops=[ast.Lt(), ast.LtE()],
                                 comparators=[k(), length])
            if keyed:
                in_arr = ast.BoolOp(op=ast.And(), values=[self._type_is(k(), "int"), in_arr])
            put = ast.Assign(targets=[ast.Subscript(
                value=attr("_lt_arr"),
                slice=ast.BinOp(left=k(), op=ast.Sub(), right=_const(1)), ctx=ast.Store())],
                value=_load("_v"))
            append = ast.Expr(value=ast.Call(func=ast.Attribute(
                value=attr("_lt_arr"), attr="append", ctx=ast.Load()),
                args=[_load("_v")], keywords=[]))
            at_end = ast.BoolOp(op=ast.And(), values=[
                ast.Compare(left=k(), ops=[ast.Eq()], comparators=[ast.BinOp(
                    left=ast.Call(func=_load("len"), args=[attr("_lt_arr")], keywords=[]),
                    op=ast.Add(), right=_const(1))]),
                ast.UnaryOp(op=ast.Not(), operand=attr("_lt_hash"))])
            if keyed:
                at_end.values.insert(0, self._type_is(k(), "int"))
            orelse: list[ast.stmt] = slow()
            if keyed:
                # a string key: the hash part (every string key lives there) unless a
                # next() traversal snapshot is live
                put_str = ast.Assign(targets=[ast.Subscript(
                    value=attr("_lt_hash"), slice=k(), ctx=ast.Store())], value=_load("_v"))
                orelse = [ast.If(test=ast.BoolOp(op=ast.And(), values=[
                    self._type_is(k(), "str"),
                    ast.Compare(left=attr("_lt_snap"), ops=[ast.Is()],
                                comparators=[_const(None)])]),
                    body=[put_str], orelse=slow())]
            inner = [ast.If(test=in_arr, body=[put], orelse=[
                ast.If(test=at_end, body=[append], orelse=orelse)])]
        out.append(ast.If(test=raw_ok, body=inner, orelse=slow()))
        for s in out:
            s.lineno = line
        return out

    def assign_py(self, name: str, value: ast.expr, line: int) -> ast.stmt:
        a = ast.Assign(targets=[_store(name)], value=value)
        a.lineno = line
        return a

    def assign_to(self, t: N.Node, value: ast.expr, line: int) -> ast.stmt:
        if isinstance(t, N.Name):
            if t.kind == "global":
                e = ast.Expr(value=self.call("setindex", [self.var_load(t.var, line),
                                                          _const(t.name), value], line))
                e.lineno = line
                return e
            return self.var_store(t.var, value, line)
        assert isinstance(t, N.Index)
        return self.setindex_stmt(t, self.expr(t.obj), self.expr(t.key), value, line)

    def setindex_stmt(self, t: N.Index, o: ast.expr, k: ast.expr, v: ast.expr,
                      line: int) -> ast.stmt:
        e = ast.Expr(value=self.call("setindex", [o, k, v], line,
                                     (self.describe(t.obj), None, None)))
        e.lineno = line
        return e

    def s_CallStat(self, st: N.CallStat) -> list[ast.stmt]:
        e = ast.Expr(value=self.call_expr(st.call))
        e.lineno = st.line
        return [e]

    def s_Do(self, st: N.Do) -> list[ast.stmt]:
        return self.block(st.body)

    def s_While(self, st: N.While) -> list[ast.stmt]:
        def make(lp: _Loop) -> ast.stmt:
            self.pre = []
            test = self.test(st.cond)
            pre = self.pre
            body = self.block(st.body) or [ast.Pass()]
            if pre:  # the condition defines functions: evaluate it inside the loop
                brk = ast.If(test=ast.UnaryOp(op=ast.Not(), operand=test), body=[ast.Break()],
                             orelse=[])
                body = pre + [brk] + body
                test = _const(True)
            w = ast.While(test=test, body=body, orelse=[])
            w.lineno = st.line
            return w
        return self.loop_stmt(st, make)

    def s_Repeat(self, st: N.Repeat) -> list[ast.stmt]:
        def make(lp: _Loop) -> ast.stmt:
            body = self.block(st.body)
            self.pre = []
            test = self.test(st.cond)
            brk = ast.If(test=test, body=[ast.Break()], orelse=[])
            brk.lineno = st.cond.line
            w = ast.While(test=_const(True), body=body + self.pre + [brk], orelse=[])
            w.lineno = st.line
            return w
        return self.loop_stmt(st, make)

    def s_If(self, st: N.If) -> list[ast.stmt]:
        return self.if_chain(st.clauses, st.orelse)

    def if_chain(self, clauses: list[tuple[N.Node, N.Block, int]],
                 orelse: N.Block | None) -> list[ast.stmt]:
        # built from the last clause backwards: long elseif chains need no recursion
        saved = self.pre
        parts = []
        for cond, blk, line in clauses:
            self.pre = []
            test = self.test(cond)
            parts.append((self.pre, test, self.block(blk) or [ast.Pass()], line))
        self.pre = saved
        els: list[ast.stmt] = self.block(orelse) if orelse is not None else []
        for pre, test, body, line in reversed(parts):
            i = ast.If(test=test, body=body, orelse=els)
            i.lineno = line
            els = pre + [i]
        return els

    def s_NumFor(self, st: N.NumFor) -> list[ast.stmt]:
        line = st.line
        start = self.expr(st.start)
        stop = self.expr(st.stop)
        step = self.expr(st.step) if st.step is not None else _const(1)
        lits = (st.start, st.stop, st.step or N.Number(1))
        if all(isinstance(x, N.Number) and type(x.value) is int for x in lits):
            a, b, c = (x.value for x in lits)  # type: ignore[attr-defined]
            if c == 0:
                it: ast.expr = self.call("forrange", [start, stop, step], line)
            else:
                it = self.call("range", [_const(a), _const(b + 1 if c > 0 else b - 1),
                                         _const(c)], line)
        else:
            it = self.call("forrange", [start, stop, step], line)
        v = st.var

        def make(lp: _Loop) -> ast.stmt:
            self.declare(v)
            body: list[ast.stmt] = []
            if v.cell:
                tname = self.names.fresh("_i")
                target = _store(tname)
                body.append(self.var_init(v, _load(tname), line))
            else:
                target = _store(v.pyname)
            body += self.block(st.body)
            f = ast.For(target=target, iter=it, body=body or [ast.Pass()], orelse=[])
            f.lineno = line
            return f
        return self.loop_stmt(st, make)

    def s_GenFor(self, st: N.GenFor) -> list[ast.stmt]:
        line = st.line
        args = [_const(len(st.vars))] + self.args(st.exprs)
        it = self.call("forin", args, line)

        def make(lp: _Loop) -> ast.stmt:
            body: list[ast.stmt] = []
            for v in st.vars:
                self.declare(v)
            targets: list[ast.expr] = []
            for v in st.vars:
                if v.cell:
                    tname = self.names.fresh("_i")
                    targets.append(_store(tname))
                    body.append(self.var_init(v, _load(tname), line))
                else:
                    targets.append(_store(v.pyname))
            target: ast.expr = (targets[0] if len(targets) == 1
                                else ast.Tuple(elts=targets, ctx=ast.Store()))
            body += self.block(st.body)
            f = ast.For(target=target, iter=_load(itname), body=body or [ast.Pass()],
                        orelse=[])
            f.lineno = line
            # an error leaving the loop reaches the closing value's __close (3.3.5)
            handler = ast.ExceptHandler(
                type=_load("BaseException"), name=exc,
                body=[ast.Expr(value=self.call("forin_error", [_load(itname), _load(exc)],
                                               line)), ast.Raise()])
            done = ast.Expr(value=self.call("forin_close", [_load(itname)], line))
            tr = ast.Try(body=[f], handlers=[handler], orelse=[], finalbody=[done])
            tr.lineno = line
            return tr
        itname = self.names.fresh("_it")
        exc = self.names.fresh("_e")
        init = self.assign_py(itname, it, line)
        return [init] + self.loop_stmt(st, make)

    def s_LocalFunction(self, st: N.LocalFunction) -> list[ast.stmt]:
        v = st.var
        self.declare(v)
        if not v.cell:
            return [self.function_def(st.func, v.pyname, exact=v in self.direct)]
        self.direct.pop(v, None)
        # a captured local function declared in a loop: its cell exists before the body
        init = ast.Assign(targets=[_store(v.pyname)],
                          value=ast.List(elts=[_const(None)], ctx=ast.Load()))
        init.lineno = st.line
        fname = self.names.fresh(v.name)
        fd = self.function_def(st.func, fname)
        return [init, fd, self.var_store(v, _load(fname), st.line)]

    def s_FunctionStat(self, st: N.FunctionStat) -> list[ast.stmt]:
        t = st.target
        base = st.func.name if st.func.name.isidentifier() else "fn"
        fname = self.names.fresh(base)
        fd = self.function_def(st.func, fname)
        return [fd, self.assign_to(t, _load(fname), st.line)]

    def s_Return(self, st: N.Return) -> list[ast.stmt]:
        r = ast.Return(value=self.values(st.exprs, st.line))
        r.lineno = st.line
        return [r]

    def s_Break(self, st: N.Break) -> list[ast.stmt]:
        return self.jump(self.find_loop(st.loop, st), "break", st.line)

    def s_Goto(self, st: N.Goto) -> list[ast.stmt]:
        lab = st.target
        assert lab is not None
        if self.is_continue_label(lab):
            return self.jump(self.find_loop(lab.block.loop, st), "continue", st.line)
        for lp in reversed(self.fn.loops):
            if lp.kind == "sm" and lab in lp.labels:
                return self.jump(lp, "goto", st.line, lp.labels[lab])
        raise self.error(st.line, f"goto '{st.label}' out of a loop nested more than "
                         f"{_MAX_DEPTH} deep is not supported")

    def s_Label(self, st: N.Label) -> list[ast.stmt]:
        return []

    # ------------------------------------------------------------------ value lists
    def args(self, exprs: list[N.Node]) -> list[ast.expr]:
        """Call arguments: the last expression expands to all its values."""
        out = [self.expr(e) for e in exprs[:-1]]
        if exprs:
            last = exprs[-1]
            if _is_multi(last):
                out.append(ast.Starred(value=self.multi(last), ctx=ast.Load()))
            else:
                out.append(self.expr(last))
        return out

    def multi(self, e: N.Node) -> ast.expr:
        """A multi-valued expression as a tuple."""
        if isinstance(e, N.Vararg):
            n = _load("varargs")
            n.lineno = e.line
            return n
        return self.call("mv", [self.call_expr(e)], e.line)

    def values(self, exprs: list[N.Node], line: int) -> ast.expr:
        """A value list for ``return``: a single value, a call result as is, or a tuple."""
        if len(exprs) == 1:
            e = exprs[0]
            if isinstance(e, N.Call | N.MethodCall):
                return self.call_expr(e)
            if isinstance(e, N.Vararg):
                return _load("varargs")
            return self.expr(e)
        t = ast.Tuple(elts=self.args(exprs), ctx=ast.Load())
        t.lineno = line
        return t

    def adjusted(self, exprs: list[N.Node], n: int, line: int) -> ast.expr:
        """The value list ``exprs`` adjusted to ``n`` values (n == 1: a single value,
        else a tuple expression)."""
        m = len(exprs)
        if n == 1:
            if m == 0:
                return _const(None)
            if m == 1:
                return self.expr(exprs[0])
            t = ast.Tuple(elts=[self.expr(e) for e in exprs], ctx=ast.Load())
            return ast.Subscript(value=t, slice=_const(0), ctx=ast.Load())
        if m == 0:
            return ast.Tuple(elts=[_const(None)] * n, ctx=ast.Load())
        last = exprs[-1]
        if m == 1 and _is_multi(last):
            # adjust() takes a bare value or a tuple: no mv() needed
            v = _load("varargs") if isinstance(last, N.Vararg) else self.call_expr(last)
            return self.call("adjust", [v, _const(n)], line)
        if m <= n and _is_multi(last):
            elts = [self.expr(e) for e in exprs[:-1]]
            elts.append(ast.Starred(value=self.multi(last), ctx=ast.Load()))
            elts += [_const(None)] * (n - m + 1)
            t = ast.Tuple(elts=elts, ctx=ast.Load())
            return ast.Subscript(value=t, slice=ast.Slice(upper=_const(n)), ctx=ast.Load())
        elts = [self.expr(e) for e in exprs]
        if m < n:
            elts += [_const(None)] * (n - m)
            return ast.Tuple(elts=elts, ctx=ast.Load())
        t = ast.Tuple(elts=elts, ctx=ast.Load())
        if m == n:
            return t
        return ast.Subscript(value=t, slice=ast.Slice(upper=_const(n)), ctx=ast.Load())

    # ------------------------------------------------------------------ expressions
    def expr(self, e: N.Node) -> ast.expr:
        """A single-valued expression."""
        r = getattr(self, "e_" + type(e).__name__)(e)
        if getattr(r, "lineno", None) is None:
            r.lineno = e.line
        return r  # type: ignore[no-any-return]

    def e_Nil(self, e: N.Node) -> ast.expr:
        return _const(None)

    def e_TrueE(self, e: N.Node) -> ast.expr:
        return _const(True)

    def e_FalseE(self, e: N.Node) -> ast.expr:
        return _const(False)

    def e_Number(self, e: N.Number) -> ast.expr:
        v = e.value
        if type(v) is float and v != v:  # pragma: no cover - no NaN literal in Lua
            return self.call("float", [_const("nan")], e.line)
        return _const(v)

    def e_String(self, e: N.String) -> ast.expr:
        return _const(e.value)

    def e_Vararg(self, e: N.Vararg) -> ast.expr:
        return self.call("first", [_load("varargs")], e.line)

    def e_Function(self, e: N.Function) -> ast.expr:
        return self.function_expr(e)

    def e_Paren(self, e: N.Paren) -> ast.expr:
        return self.expr(e.expr)

    def e_Name(self, e: N.Name) -> ast.expr:
        if e.kind == "global":
            call = self.call("index", [self.var_load(e.var, e.line), _const(e.name)], e.line)
            if e.var.has_const:
                return call
            return self.fast_field(lambda: self.var_load(e.var, e.line), e.name, call, e.line)
        return self.var_load(e.var, e.line)

    def e_Index(self, e: N.Index) -> ast.expr:
        if isinstance(e.key, N.String) and not (
                isinstance(e.obj, N.Name) and e.obj.kind != "global"
                and not e.obj.var.has_const):
            return self.field_of_expr(e)
        call = self.call("index", [self.expr(e.obj), self.expr(e.key)], e.line,
                         (self.describe(e.obj), None))
        if (isinstance(e.key, N.String) and isinstance(e.obj, N.Name)
                and e.obj.kind != "global" and not e.obj.var.has_const):
            return self.fast_field(lambda: self.expr(e.obj), e.key.value, call, e.line)
        if (isinstance(e.obj, N.Name) and e.obj.kind != "global" and not e.obj.var.has_const
                and ((isinstance(e.key, N.Name) and e.key.kind != "global")
                     or (isinstance(e.key, N.Number) and type(e.key.value) is int
                         and e.key.value > 0))):
            return self.fast_item(e, call)
        return call

    def field_of_expr(self, e: N.Index) -> ast.expr:
        """``E.k`` where ``E`` is not a local variable (``coroutine.yield``,
        ``self.pos.x``, ``f().k``): ``E`` is evaluated once into ``_o``, then read as
        :meth:`fast_field` does::

            _t if type(_o := E) is LuaTable and (_t := _o._lt_hash.get('k')) is not None
            else index(_o, 'k')

        ``_o`` is read only right after it is assigned (an ``E`` using ``_o`` itself is
        evaluated completely before), so nesting (``a.b.c``) and method calls (which
        also use ``_o``) cannot see each other's value."""
        assert isinstance(e.key, N.String)
        obj = self.expr(e.obj)  # generated once: it may hoist function definitions
        key = e.key.value
        call = self.call("index", [_load("_o"), _const(key)], e.line,
                         (self.describe(e.obj), None))
        get = ast.Call(func=ast.Attribute(
            value=ast.Attribute(value=_load("_o"), attr="_lt_hash", ctx=ast.Load()),
            attr="get", ctx=ast.Load()), args=[_const(key)], keywords=[])
        test = ast.BoolOp(op=ast.And(), values=[
            self._type_is(ast.NamedExpr(target=_store("_o"), value=obj), "LuaTable"),
            ast.Compare(left=ast.NamedExpr(target=_store("_t"), value=get),
                        ops=[ast.IsNot()], comparators=[_const(None)])])
        return ast.IfExp(test=test, body=_load("_t"), orelse=call)

    def fast_item(self, e: N.Index, call: ast.expr) -> ast.expr:
        """``t[i]`` for a local table and a local or positive literal integer key: the
        array slot read in place, ``index()`` when it is not there (hash part, hole,
        __index, errors)::

            _t if type(t) is LuaTable and type(i) is int and 0 < i <= len(t._lt_arr)
                and (_t := t._lt_arr[i - 1]) is not None else index(t, i)"""
        def arr() -> ast.expr:
            return ast.Attribute(value=self.expr(e.obj), attr="_lt_arr", ctx=ast.Load())
        tests: list[ast.expr] = [self._type_is(self.expr(e.obj), "LuaTable")]
        if isinstance(e.key, N.Name):
            tests.append(self._type_is(self.expr(e.key), "int"))
        tests.append(ast.Compare(left=_const(0), ops=[ast.Lt(), ast.LtE()], comparators=[
            self.expr(e.key), ast.Call(func=_load("len"), args=[arr()], keywords=[])]))
        item = ast.Subscript(value=arr(), slice=ast.BinOp(
            left=self.expr(e.key), op=ast.Sub(), right=_const(1)), ctx=ast.Load())
        tests.append(ast.Compare(left=ast.NamedExpr(target=_store("_t"), value=item),
                                 ops=[ast.IsNot()], comparators=[_const(None)]))
        if isinstance(e.key, N.Name):
            # a string key (t[name]): the hash part read in place, as fast_field does
            #   type(t) is LuaTable and (<the int tests> or type(k) is str
            #                            and (_t := t._lt_hash.get(k)) is not None)
            get = ast.Call(func=ast.Attribute(value=ast.Attribute(
                value=self.expr(e.obj), attr="_lt_hash", ctx=ast.Load()), attr="get",
                ctx=ast.Load()), args=[self.expr(e.key)], keywords=[])
            as_str = ast.BoolOp(op=ast.And(), values=[
                self._type_is(self.expr(e.key), "str"),
                ast.Compare(left=ast.NamedExpr(target=_store("_t"), value=get),
                            ops=[ast.IsNot()], comparators=[_const(None)])])
            tests = [tests[0], ast.BoolOp(op=ast.Or(), values=[
                ast.BoolOp(op=ast.And(), values=tests[1:]), as_str])]
        return ast.IfExp(test=ast.BoolOp(op=ast.And(), values=tests), body=_load("_t"),
                         orelse=call)

    def fast_field(self, obj: Any, key: str, call: ast.expr, line: int) -> ast.expr:
        """``t.k`` where ``t`` is a variable (``obj()`` loads it): read a plain table's
        string key in place and call ``index()`` (metamethods, errors) only when that
        finds nothing::

            _t if type(t) is LuaTable and (_t := t._lt_hash.get('k')) is not None
            else index(t, 'k')

        LuaTable keeps every string key in ``_lt_hash`` (nse.lua.luatable), which is
        what index() itself reads first; this saves a Python call per field read."""
        get = ast.Call(func=ast.Attribute(
            value=ast.Attribute(value=obj(), attr="_lt_hash", ctx=ast.Load()),
            attr="get", ctx=ast.Load()), args=[_const(key)], keywords=[])
        test = ast.BoolOp(op=ast.And(), values=[
            ast.Compare(left=self.call("type", [obj()], line),
                        ops=[ast.Is()], comparators=[_load("LuaTable")]),
            ast.Compare(left=ast.NamedExpr(target=_store("_t"), value=get),
                        ops=[ast.IsNot()], comparators=[_const(None)])])
        return ast.IfExp(test=test, body=_load("_t"), orelse=call)

    def e_Call(self, e: N.Call) -> ast.expr:
        sel = self.select_inline(e)
        if sel is not None:
            return sel
        if isinstance(e, N.Call) and isinstance(e.func, N.Name) and e.func.kind != "global":
            f = self.direct.get(e.func.var)
            if f is not None:
                one = self.single.get(f)
                if one is None:
                    one = self.single[f] = single_valued(f)
                if one:
                    # a local function returning one plain value: no first() needed
                    return self.call_expr(e)
        # first(f(...)) without the helper call (most functions return one bare value):
        #   (_t[0] if _t else None) if type(_t := f(...)) is tuple else _t
        # (_t is read right after the call returns: nothing runs in between)
        test = ast.Compare(
            left=ast.Call(func=_load("type"), args=[ast.NamedExpr(
                target=_store("_t"), value=self.call_expr(e))], keywords=[]),
            ops=[ast.Is()], comparators=[_load("tuple")])
        head = ast.IfExp(test=_load("_t"), body=ast.Subscript(
            value=_load("_t"), slice=_const(0), ctx=ast.Load()), orelse=_const(None))
        return ast.IfExp(test=test, body=head, orelse=_load("_t"))

    e_MethodCall = e_Call

    def select_inline(self, e: N.Node) -> ast.expr | None:
        """``select('#', ...)`` and ``select(i, ...)`` (one value) for the standard
        ``select`` and a local or positive literal ``i``, read from ``varargs`` in
        place; the global is looked up first, as the call would, and anything else
        (another ``select``, ``i`` not a positive integer) makes the call::

            len(varargs) if (_t := select) is lua_select else _t('#', *varargs)
            ((varargs[i - 1] if i <= len(varargs) else None)
             if (_t := select) is lua_select and type(i) is int and 0 < i
             else first(_t(i, *varargs)))"""
        if not (isinstance(e, N.Call) and isinstance(e.func, N.Name)
                and e.func.kind == "global" and e.func.name == "select"
                and len(e.args) == 2 and isinstance(e.args[1], N.Vararg)):
            return None
        a0 = e.args[0]
        count = isinstance(a0, N.String) and a0.value == "#"
        if not count and not (
                (isinstance(a0, N.Name) and a0.kind != "global" and not a0.var.has_const)
                or (isinstance(a0, N.Number) and type(a0.value) is int and a0.value > 0)):
            return None
        line = e.line

        def va() -> ast.expr:
            return _load("varargs")

        c = ast.Call(func=_load("_t"), args=[self.expr(a0), ast.Starred(value=va(),
                                                                         ctx=ast.Load())],
                     keywords=[])
        c.lineno = line
        d = self.describe(e.func)
        if d is not None:
            self.named_calls.append((c, (d,)))
        tests: list[ast.expr] = [ast.Compare(
            left=ast.NamedExpr(target=_store("_t"), value=self.expr(e.func)),
            ops=[ast.Is()], comparators=[_load("lua_select")])]
        length = ast.Call(func=_load("len"), args=[va()], keywords=[])
        if count:
            return ast.IfExp(test=tests[0], body=length, orelse=c)
        if isinstance(a0, N.Name):
            tests.append(self._type_is(self.expr(a0), "int"))
            tests.append(ast.Compare(left=_const(0), ops=[ast.Lt()],
                                     comparators=[self.expr(a0)]))
        item = ast.IfExp(
            test=ast.Compare(left=self.expr(a0), ops=[ast.LtE()], comparators=[length]),
            body=ast.Subscript(value=va(), slice=ast.BinOp(
                left=self.expr(a0), op=ast.Sub(), right=_const(1)), ctx=ast.Load()),
            orelse=_const(None))
        trunc = ast.IfExp(
            test=ast.Compare(left=ast.Call(func=_load("type"), args=[ast.NamedExpr(
                target=_store("_t"), value=c)], keywords=[]),
                ops=[ast.Is()], comparators=[_load("tuple")]),
            body=ast.IfExp(test=_load("_t"), body=ast.Subscript(
                value=_load("_t"), slice=_const(0), ctx=ast.Load()), orelse=_const(None)),
            orelse=_load("_t"))
        test = tests[0] if len(tests) == 1 else ast.BoolOp(op=ast.And(), values=tests)
        return ast.IfExp(test=test, body=item, orelse=trunc)

    def call_expr(self, e: N.Node) -> ast.Call:
        """A call, all its results (a bare value or a tuple)."""
        if isinstance(e, N.MethodCall):
            # o:m(args) -> index(_o := o, 'm')(_o, args): the receiver is evaluated once,
            # before the arguments (lvm.c OP_SELF), with one call less than invoke().
            recv = ast.NamedExpr(target=_store("_o"), value=self.expr(e.obj))
            meth = self.call("index", [_load("_o"), _const(e.name)], e.line,
                             (self.describe(e.obj), None))
            # The method found in place in the object or in its metatable's __index table
            # (a class), index() for everything else (chains, functions, strings, errors):
            #   (_t if type(_o := o) is LuaTable and ((_t := _o._lt_hash.get('m'))
            #       is not None or ((_t := _o._lt_meta) is not None
            #       and type(_t := _t._lt_hash.get('__index')) is LuaTable
            #       and (_t := _t._lt_hash.get('m')) is not None)) else index(_o, 'm'))
            def hget(obj: ast.expr, key: str) -> ast.expr:
                return ast.Call(func=ast.Attribute(value=ast.Attribute(
                    value=obj, attr="_lt_hash", ctx=ast.Load()), attr="get", ctx=ast.Load()),
                    args=[_const(key)], keywords=[])

            def walrus(v: ast.expr) -> ast.expr:
                return ast.NamedExpr(target=_store("_t"), value=v)

            def notnone(v: ast.expr) -> ast.expr:
                return ast.Compare(left=v, ops=[ast.IsNot()], comparators=[_const(None)])

            via_meta = ast.BoolOp(op=ast.And(), values=[
                notnone(walrus(ast.Attribute(value=_load("_o"), attr="_lt_meta",
                                             ctx=ast.Load()))),
                self._type_is(walrus(hget(_load("_t"), "__index")), "LuaTable"),
                notnone(walrus(hget(_load("_t"), e.name)))])
            test = ast.BoolOp(op=ast.And(), values=[
                self._type_is(recv, "LuaTable"),
                ast.BoolOp(op=ast.Or(), values=[
                    notnone(walrus(hget(_load("_o"), e.name))), via_meta])])
            lookup = ast.IfExp(test=test, body=_load("_t"), orelse=meth)
            c = ast.Call(func=lookup, args=[_load("_o")] + self.args(e.args), keywords=[])
            c.lineno = e.line
            self.named_calls.append((c, (f"method '{e.name}'",)))
            return c
        assert isinstance(e, N.Call)
        f = self.expr(e.func)
        c = ast.Call(func=f, args=self.args(e.args), keywords=[])
        c.lineno = e.line
        d = self.describe(e.func)
        if d is not None:
            self.named_calls.append((c, (d,)))
        return c

    def e_Table(self, e: N.Table) -> ast.expr:
        items = e.items
        line = e.line
        if not items:
            return self.call("LuaTable", [], line)
        if all(k is None for k, _ in items):
            elts = self.args([v for _, v in items])
            lst = ast.List(elts=elts, ctx=ast.Load())
            return ast.Call(func=ast.Attribute(value=_load("LuaTable"), attr="from_list",
                                               ctx=ast.Load()), args=[lst], keywords=[])
        if not all(k is None or (isinstance(k, N.String)) for k, _ in items):
            return self.table_mixed(e)
        if all(k is not None for k, _ in items):
            # {x = a, y = b}: a dict display (keys and values evaluated in order, a later
            # duplicate key wins as the later assignment does); from_record drops nils
            d = ast.Dict(keys=[], values=[])
            for k, v in items:
                d.keys.append(self.expr(k))  # type: ignore[arg-type]  # keys checked above
                d.values.append(self.expr(v))
            return ast.Call(func=ast.Attribute(value=_load("LuaTable"), attr="from_record",
                                               ctx=ast.Load()), args=[d], keywords=[])
        pairs: list[ast.expr] = []
        npos = 0
        for i, (k, v) in enumerate(items):
            if k is None:
                npos += 1
                if i == len(items) - 1 and _is_multi(v):
                    en = ast.Call(func=_load("enumerate"),
                                  args=[self.multi(v), _const(npos)], keywords=[])
                    pairs.append(ast.Starred(value=en, ctx=ast.Load()))
                else:
                    pairs.append(ast.Tuple(elts=[_const(npos), self.expr(v)], ctx=ast.Load()))
            else:
                pairs.append(ast.Tuple(elts=[self.expr(k), self.expr(v)], ctx=ast.Load()))
        lst = ast.List(elts=pairs, ctx=ast.Load())
        return ast.Call(func=ast.Attribute(value=_load("LuaTable"), attr="from_pairs",
                                           ctx=ast.Load()), args=[lst], keywords=[])

    def table_mixed(self, e: N.Table) -> ast.expr:
        """``{[k] = v, x, ...}``: keyed fields are stored as they come, positional ones at
        the end (lparser.c constructor / SETLIST), so ``{[1] = "a", "b"}[1]`` is "b"."""
        keyed = []
        args: list[ast.expr] = []
        for i, (k, v) in enumerate(e.items):
            if k is None:
                keyed.append(False)
                if i == len(e.items) - 1 and _is_multi(v):
                    args.append(ast.Starred(value=self.multi(v), ctx=ast.Load()))
                else:
                    args.append(self.expr(v))
            else:
                keyed.append(True)
                args.append(self.expr(k))
                args.append(self.expr(v))
        return self.call("table_mixed", [_const(tuple(keyed))] + args, e.line)

    def e_UnOp(self, e: N.UnOp) -> ast.expr:
        if e.op == "not":
            return ast.UnaryOp(op=ast.Not(), operand=self.test(e.operand))
        if e.op == "#" and isinstance(e.operand, N.Name) and e.operand.kind != "global" \
                and not e.operand.var.has_const:
            # #t of a table without metatable is len(_lt_arr), a border (luatable keeps
            # key n+1 out of the hash); a string's length is its byte count:
            #   len(t._lt_arr) if type(t) is LuaTable and t._lt_meta is None else length(t)
            t = e.operand
            call = self.call("length", [self.expr(t)], e.line, (self.describe(t),))
            plain = ast.BoolOp(op=ast.And(), values=[
                self._type_is(self.expr(t), "LuaTable"),
                ast.Compare(left=ast.Attribute(value=self.expr(t), attr="_lt_meta",
                                               ctx=ast.Load()),
                            ops=[ast.Is()], comparators=[_const(None)])])
            return ast.IfExp(test=plain, body=ast.Call(func=_load("len"), args=[
                ast.Attribute(value=self.expr(t), attr="_lt_arr", ctx=ast.Load())],
                keywords=[]), orelse=call)
        return self.call(_UNARY[e.op], [self.expr(e.operand)], e.line,
                         (self.describe(e.operand),))

    def e_BinOp(self, e: N.BinOp) -> ast.expr:
        op = e.op
        if op == "and" or op == "or":
            return self.andor(e)
        if op in _CMP:
            return self.compare(e)
        if op == "..":
            return self.concat(e)
        if op in _PYOP:
            fast = self.arith_inline(e)
            if fast is not None:
                return fast
        return self.call(_ARITH[op], [self.expr(e.left), self.expr(e.right)], e.line,
                         (self.describe(e.left), self.describe(e.right)))

    # ------------------------------------------------------------------ inlined operators
    def operands(self, e: N.BinOp) -> tuple[list[ast.expr], Any, Any] | None:
        """Evaluate both operands of ``e`` once, left to right, for an inlined operator.

        Returns (first uses, later use of a, later use of b): a local variable or literal
        is simply loaded again; anything else is bound at its first use to the operand
        temporary ``_aD``/``_bD`` of this nesting depth D (an inner operator, evaluated
        while an outer one's ``_aD`` is live, uses depth D+1).  None when too deep."""
        if self.opdepth >= _MAX_OPDEPTH:
            return None
        d = self.opdepth
        self.opdepth += 1
        try:
            firsts: list[ast.expr] = []
            laters: list[Any] = []
            # a local on the left is bound too when the right operand runs code (which
            # might assign it): its value is the one read before, as add(a, f()) reads it
            stable = self.is_pure(e.right) and not isinstance(e.right, N.Vararg)
            for side, sub in (("a", e.left), ("b", e.right)):
                if _is_literal(sub) or (self.is_pure(sub) and not isinstance(sub, N.Vararg)
                                        and (stable or side == "b")):
                    firsts.append(self.expr(sub))
                    laters.append(lambda sub=sub: self.expr(sub))
                else:
                    name = f"_{side}{d}"
                    firsts.append(ast.NamedExpr(target=_store(name), value=self.expr(sub)))
                    laters.append(lambda name=name: _load(name))
        finally:
            self.opdepth -= 1
        return firsts, laters[0], laters[1]

    @staticmethod
    def _type_is(x: ast.expr, *types: str) -> ast.expr:
        """``type(x) is T1 is T2 ...`` (a chain evaluates ``x`` once)."""
        return ast.Compare(left=ast.Call(func=_load("type"), args=[x], keywords=[]),
                           ops=[ast.Is() for _ in types],
                           comparators=[_load(t) for t in types])

    def arith_inline(self, e: N.BinOp) -> ast.expr | None:
        """``a + b`` etc. computed in place when both operands are integers (the common
        case), the helper call (floats, strings, metamethods, errors) otherwise::

            _n if type(a) is type(b) is int and MIN <= (_n := a + b) <= MAX else add(a, b)

        Lua integers wrap around on overflow (manual 3.4.1); a result outside 64 bits is
        simply recomputed by ``add``, which wraps.  ``%`` and ``//`` are Python's floored
        operators, which are Lua's for integers (3.4.1), when the divisor is not zero
        (then ``mod``/``idiv`` raise Lua's error); ``//`` by -1 can overflow (MIN // -1).
        ``& | ~`` of two 64-bit integers stay in 64 bits.  With a float literal operand
        ``+ - *`` also run in place for a float other operand (IEEE, as Lua)."""
        op = e.op
        lit_l = isinstance(e.left, N.Number)
        lit_r = isinstance(e.right, N.Number)
        if lit_l and lit_r:
            return None  # constant folding is not worth a second arithmetic here
        lit = e.right if lit_r else e.left if lit_l else None
        litv: Any = lit.value if lit is not None else None  # type: ignore[attr-defined]
        # decide before generating the operands (generating twice would hoist twice)
        if type(litv) is float and op not in ("+", "-", "*"):
            return None
        if op in ("%", "//") and lit is not None and not (lit_r and litv > 0):
            return None
        ops = self.operands(e)
        if ops is None:
            return None
        (fa, fb), la, lb = ops
        pyop = _PYOP[op]
        fallback = self.call(_ARITH[op], [la(), lb()], e.line,
                             (self.describe(e.left), self.describe(e.right)))
        if type(litv) is float:
            other = fa if lit_r else fb
            # float op float literal: plain IEEE arithmetic
            test: ast.expr = self._type_is(other, "float")
            return ast.IfExp(test=test, body=ast.BinOp(left=la(), op=pyop(), right=lb()),
                             orelse=fallback)
        if op in ("%", "//"):
            if lit is not None:  # a positive integer literal divisor
                test = self._type_is(fa, "int")
            else:
                # b != 0 (and b > 0 for //: MIN // -1 overflows)
                # (the chain evaluates both operands whatever their types: the fallback
                # reads both temporaries)
                cmp = ast.Gt() if op == "//" else ast.NotEq()
                test = ast.BoolOp(op=ast.And(), values=[
                    ast.Compare(left=ast.Call(func=_load("type"), args=[fa], keywords=[]),
                                ops=[ast.Is(), ast.Is()],
                                comparators=[ast.Call(func=_load("type"), args=[fb],
                                                      keywords=[]), _load("int")]),
                    ast.Compare(left=lb(), ops=[cmp], comparators=[_const(0)])])
            return ast.IfExp(test=test, body=ast.BinOp(left=la(), op=pyop(), right=lb()),
                             orelse=fallback)
        if lit is not None:
            test = self._type_is(fb if lit_l else fa, "int")
        else:
            # type(a) is type(b) is int: evaluates a, then b, once each
            test = ast.Compare(
                left=ast.Call(func=_load("type"), args=[fa], keywords=[]),
                ops=[ast.Is(), ast.Is()],
                comparators=[ast.Call(func=_load("type"), args=[fb], keywords=[]),
                             _load("int")])
        if op in ("&", "|", "~"):
            return ast.IfExp(test=test, body=ast.BinOp(left=la(), op=pyop(), right=lb()),
                             orelse=fallback)
        res = ast.NamedExpr(target=_store("_n"), value=ast.BinOp(left=la(), op=pyop(),
                                                                 right=lb()))
        if lit is not None and op in ("+", "-") and not (lit_l and op == "-"):
            # one bound can be crossed: a + c (c >= 0) only upwards, etc.
            up = (litv >= 0) == (op == "+")
            rng = ast.Compare(left=res, ops=[ast.LtE()],
                              comparators=[_const(_INT_MAX)]) if up else \
                ast.Compare(left=res, ops=[ast.GtE()], comparators=[_const(_INT_MIN)])
        else:
            rng = ast.Compare(left=_const(_INT_MIN), ops=[ast.LtE(), ast.LtE()],
                              comparators=[res, _const(_INT_MAX)])
        return ast.IfExp(test=ast.BoolOp(op=ast.And(), values=[test, rng]),
                         body=_load("_n"), orelse=fallback)

    def compare_inline(self, e: N.BinOp, fname: str, swap: bool) -> ast.expr | None:
        """``a < b`` (and ``<= > >=``) compared in place for two integers (or an integer
        or float against a number literal: Python compares int and float exactly, as
        lvm.c LTnum does), the helper otherwise (floats, strings, __lt/__le, errors)::

            a < b if type(a) is type(b) is int else lt(a, b)"""
        lit_l = isinstance(e.left, N.Number)
        lit_r = isinstance(e.right, N.Number)
        if lit_l and lit_r:
            return None
        ops = self.operands(e)
        if ops is None:
            return None
        (fa, fb), la, lb = ops
        args = [lb(), la()] if swap else [la(), lb()]
        fallback = self.call(fname, args, e.line)
        if lit_l or lit_r:
            other, lo = (fb, lb) if lit_l else (fa, la)
            test: ast.expr = ast.BoolOp(op=ast.Or(), values=[
                self._type_is(other, "int"), self._type_is(lo(), "float")])
        else:
            test = ast.Compare(
                left=ast.Call(func=_load("type"), args=[fa], keywords=[]),
                ops=[ast.Is(), ast.Is()],
                comparators=[ast.Call(func=_load("type"), args=[fb], keywords=[]),
                             _load("int")])
        cmp = ast.Compare(left=la(), ops=[_PYCMP[e.op]()], comparators=[lb()])
        return ast.IfExp(test=test, body=cmp, orelse=fallback)

    def concat(self, e: N.BinOp) -> ast.expr:
        """``a .. b .. c``: one ``concatn`` call for a chain (right associative, so the
        operands are collected down the right spine), ``concat`` for two operands, and
        in place ``a + b`` when both are variables or literals holding strings."""
        ops = [e.left]
        r = e.right
        # lcode.c merges a chain into the CONCAT of its last operator: errors report
        # that operator's line
        line = e.line
        while isinstance(r, N.BinOp) and r.op == "..":
            ops.append(r.left)
            line = r.line
            r = r.right
        ops.append(r)
        descs = tuple(self.describe(o) for o in ops)
        if len(ops) > 2:
            return self.call("concatn", [self.expr(o) for o in ops], line, descs)
        a, b = ops
        if (isinstance(a, N.String) != isinstance(b, N.String)
                and not (self.is_pure(a) and self.is_pure(b))):
            lit = self.concat_literal(e, line, descs)
            if lit is not None:
                return lit
        call = self.call("concat", [self.expr(a), self.expr(b)], line, descs)
        if not (self.is_pure(a) and self.is_pure(b)) or isinstance(a, N.Vararg) \
                or isinstance(b, N.Vararg):
            return call
        checks: list[ast.expr] = [
            ast.Compare(left=self.call("type", [self.expr(o)], e.line), ops=[ast.Is()],
                              comparators=[_load("str")])
                  for o in (a, b) if not isinstance(o, N.String)]
        if not checks:
            return _const(a.value + b.value)  # type: ignore[attr-defined]
        if any(_is_literal(o) and not isinstance(o, N.String) for o in (a, b)):
            return call
        test = checks[0] if len(checks) == 1 else ast.BoolOp(op=ast.And(), values=checks)
        add = ast.BinOp(left=self.expr(a), op=ast.Add(), right=self.expr(b))
        return ast.IfExp(test=test, body=add, orelse=call)

    def concat_literal(self, e: N.BinOp, line: int,
                       descs: tuple[str | None, ...]) -> ast.expr | None:
        """``'k' .. x`` / ``x .. 'k'`` with any ``x``: joined in place when ``x`` is a
        string, or an integer (which Lua writes as ``%d``, Python's ``str``), ``concat``
        for everything else (floats, metamethods, errors)::

            'k' + _b0 if type(_b0 := x) is str
            else 'k' + str(_b0) if type(_b0) is int else concat('k', _b0)"""
        r = self.operands(e)
        if r is None:
            return None
        firsts, la, lb = r
        lit_left = isinstance(e.left, N.String)
        first_x = firsts[1] if lit_left else firsts[0]
        later_x = lb if lit_left else la

        def join(x: ast.expr) -> ast.expr:
            if lit_left:
                return ast.BinOp(left=la(), op=ast.Add(), right=x)
            return ast.BinOp(left=x, op=ast.Add(), right=lb())

        call = self.call("concat", [la(), lb()], line, descs)
        as_int = ast.IfExp(
            test=self._type_is(later_x(), "int"),
            body=join(ast.Call(func=_load("str"), args=[later_x()], keywords=[])),
            orelse=call)
        return ast.IfExp(test=self._type_is(first_x, "str"), body=join(later_x()),
                         orelse=as_int)

    def compare(self, e: N.BinOp) -> ast.expr:
        op = e.op
        if op in ("==", "~="):
            # Python's == agrees with Lua's for a literal string, for nil/booleans (by
            # identity) and for numbers other than 0 and 1 (True == 1 in Python).
            for a, b in ((e.left, e.right), (e.right, e.left)):
                if isinstance(b, N.Nil | N.TrueE | N.FalseE):
                    pyop: ast.cmpop = ast.Is() if op == "==" else ast.IsNot()
                    return ast.Compare(left=self.expr(a), ops=[pyop],
                                       comparators=[self.expr(b)])
                if isinstance(b, N.String) or (isinstance(b, N.Number)
                                               and b.value not in (0, 1)):
                    pyop = ast.Eq() if op == "==" else ast.NotEq()
                    return ast.Compare(left=self.expr(a), ops=[pyop],
                                       comparators=[self.expr(b)])
        if op in _PYCMP:
            swap = op in (">", ">=")
            # a > b is b < a (lvm.c swaps the operands too, so messages agree)
            fast = self.compare_inline(e, ("lt" if op == ">" else "le") if swap else _CMP[op],
                                       swap)
            if fast is not None:
                return fast
        if op in (">", ">=") and self.is_pure(e.left) and self.is_pure(e.right):
            return self.call("lt" if op == ">" else "le",
                             [self.expr(e.right), self.expr(e.left)], e.line)
        return self.call(_CMP[op], [self.expr(e.left), self.expr(e.right)], e.line)

    @staticmethod
    def is_pure(e: N.Node) -> bool:
        """Evaluating ``e`` has no side effects (so evaluation order does not matter)."""
        return _is_literal(e) or isinstance(e, N.Vararg) or (
            isinstance(e, N.Name) and e.kind != "global")

    def andor(self, e: N.BinOp) -> ast.expr:
        left, right = e.left, e.right
        if _is_literal(left):
            truthy = not isinstance(left, N.Nil | N.FalseE)
            if e.op == "and":
                return self.expr(right) if truthy else self.expr(left)
            return self.expr(left) if truthy else self.expr(right)
        if self.is_bool(left):
            cls = ast.And if e.op == "and" else ast.Or
            return ast.BoolOp(op=cls(), values=[self.expr(left), self.expr(right)])
        a = self.expr(left)
        if isinstance(left, N.Name) and left.kind != "global":
            test = self.truthy(a, self.expr(left))
            val = self.expr(left)
        else:
            t = ast.NamedExpr(target=_store("_t"), value=a)
            test = self.truthy(t, _load("_t"))
            val = _load("_t")
        b = self.expr(right)
        if e.op == "and":
            return ast.IfExp(test=test, body=b, orelse=val)
        return ast.IfExp(test=test, body=val, orelse=b)

    @staticmethod
    def truthy(first_use: ast.expr, second_use: ast.expr) -> ast.expr:
        """``v is not None and v is not False`` (Lua truthiness, manual 3.3.4)."""
        return ast.BoolOp(op=ast.And(), values=[
            ast.Compare(left=first_use, ops=[ast.IsNot()], comparators=[_const(None)]),
            ast.Compare(left=second_use, ops=[ast.IsNot()], comparators=[_const(False)]),
        ])

    def is_bool(self, e: N.Node) -> bool:
        """True when ``e``'s value is always a Python bool."""
        if isinstance(e, N.TrueE | N.FalseE):
            return True
        if isinstance(e, N.BinOp):
            if e.op in _CMP:
                return True
            if e.op in ("and", "or"):
                return self.is_bool(e.left) and self.is_bool(e.right)
        if isinstance(e, N.UnOp) and e.op == "not":
            return True
        if isinstance(e, N.Paren):
            return self.is_bool(e.expr)
        return False

    def test(self, e: N.Node) -> ast.expr:
        """A Python expression whose Python truth is ``e``'s Lua truth."""
        if isinstance(e, N.Paren):
            return self.test(e.expr)
        if isinstance(e, N.BinOp) and e.op in ("and", "or"):
            cls = ast.And if e.op == "and" else ast.Or
            bo = ast.BoolOp(op=cls(), values=[self.test(e.left), self.test(e.right)])
            bo.lineno = e.line
            return bo
        if isinstance(e, N.UnOp) and e.op == "not":
            u = ast.UnaryOp(op=ast.Not(), operand=self.test(e.operand))
            u.lineno = e.line
            return u
        if _is_literal(e):
            return _const(not isinstance(e, N.Nil | N.FalseE))
        if self.is_bool(e):
            return self.expr(e)
        if isinstance(e, N.Name) and e.kind != "global":
            return self.truthy(self.expr(e), self.expr(e))
        t = ast.NamedExpr(target=_store("_t"), value=self.expr(e))
        return self.truthy(t, _load("_t"))


def _walk_no_defs(stmts: list[ast.stmt]) -> Any:
    """The nodes of ``stmts`` without descending into nested function definitions."""
    stack: list[ast.AST] = list(stmts)
    while stack:
        n = stack.pop()
        yield n
        stack.extend(c for c in ast.iter_child_nodes(n) if not isinstance(c, ast.FunctionDef))


def _fix_positions(mod: ast.Module) -> None:
    """Give every node a position: its Lua line (inherited from the parent when unset)
    and a column unique on that line, so that ``(lineno, col_offset)`` identifies a call
    for ``__lua_names__``."""
    cols: dict[int, int] = {}
    stack: list[tuple[ast.AST, int]] = [(mod, 1)]
    while stack:
        node, line = stack.pop()
        if "lineno" in node._attributes:
            ln = getattr(node, "lineno", None)
            if not ln:
                ln = line
            node.lineno = ln  # type: ignore[attr-defined]
            node.end_lineno = ln  # type: ignore[attr-defined]
            c = cols.get(ln, 0)
            cols[ln] = c + 1
            node.col_offset = c  # type: ignore[attr-defined]
            node.end_col_offset = c + 1  # type: ignore[attr-defined]
            line = ln
        for child in reversed(list(ast.iter_child_nodes(node))):
            stack.append((child, line))
