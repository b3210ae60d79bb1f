"""Lua 5.4 parser: tokens -> :mod:`transpiler.nodes` tree with resolved names.

It follows ``lparser.c`` function by function, so that the accepted language and the
syntax-error messages are those of ``luac5.4 -p`` ("'=' expected near 'x'", "'end'
expected (to close 'function' at line 3) near <eof>", "attempt to assign to const
variable 'x'", "<goto l> at line 4 jumps into the scope of local 'x'", ...).
"""

from __future__ import annotations

from typing import Any

from transpiler import nodes as N
from transpiler.lexer import LexError, tokenize

__all__ = ["parse", "LexError"]

# lparser.c priority[]: (left, right)
_BINPRI = {
    "+": (10, 10), "-": (10, 10), "*": (11, 11), "%": (11, 11), "^": (14, 13),
    "/": (11, 11), "//": (11, 11), "&": (6, 6), "|": (4, 4), "~": (5, 5),
    "<<": (7, 7), ">>": (7, 7), "..": (9, 8), "==": (3, 3), "<": (3, 3), "<=": (3, 3),
    "~=": (3, 3), ">": (3, 3), ">=": (3, 3), "and": (2, 2), "or": (1, 1),
}
_UNARY_PRIORITY = 12
_UNOPS = {"not", "-", "#", "~"}
_BLOCK_FOLLOW = {"else", "elseif", "end", "<eof>"}
# llimits.h LUAI_MAXCCALLS (200) minus the C levels lua.c uses before parsing: nesting
# statements and subexpressions deeper than this is "C stack overflow" for luac5.4 too.
_MAXLEVELS = 198


class FuncState:
    """Per-function parsing state (lparser.c FuncState)."""

    def __init__(self, parent: FuncState | None, is_vararg: bool) -> None:
        self.parent = parent
        self.is_vararg = is_vararg
        self.actvars: list[N.Var] = []
        self.bl: BlockCnt | None = None
        self.upvals: dict[N.Var, bool] = {}  # free variables (ordered)
        self.nonlocals: dict[N.Var, bool] = {}  # upvalues this function assigns
        self.loopdepth = 0
        self.labels: list[tuple[N.Label, int, BlockCnt]] = []  # active labels
        self.pending: list[list[Any]] = []  # [goto node, nactvar, block, line]
        self.loops: list[N.Node] = []


class BlockCnt:
    __slots__ = ("previous", "nactvar", "block")

    def __init__(self, previous: BlockCnt | None, nactvar: int, block: N.Block) -> None:
        self.previous = previous
        self.nactvar = nactvar
        self.block = block


def _near(tok: tuple) -> str:
    kind, _, _, raw = tok
    if kind == "<eof>":
        return "<eof>"
    return f"'{raw}'"


class Parser:
    def __init__(self, src: str) -> None:
        self.toks = tokenize(src, lazy_errors=True)
        self.pos = 0
        self.tok = self.toks[0]
        if self.tok[0] == "<error>":
            raise self.tok[1]
        self.fs: FuncState = FuncState(None, False)
        self.env = N.Var("_ENV", self.fs)
        self.fs.actvars.append(self.env)
        self.level = 0

    # ------------------------------------------------------------ token helpers
    def next(self) -> None:
        self.pos += 1
        self.tok = self.toks[self.pos]
        if self.tok[0] == "<error>":  # a lexical error, reached (see tokenize)
            raise self.tok[1]

    def peek(self) -> tuple:
        t = self.toks[self.pos + 1]
        if t[0] == "<error>":  # luaX_lookahead reads the bad token too
            raise t[1]
        return t

    @property
    def line(self) -> int:
        return self.tok[2]

    def error(self, msg: str) -> LexError:
        return LexError(self.tok[2], f"{msg} near {_near(self.tok)}")

    def semerror(self, msg: str) -> LexError:
        return LexError(self.tok[2], msg)

    def error_expected(self, what: str) -> LexError:
        w = what if what.startswith("<") else f"'{what}'"
        return self.error(f"{w} expected")

    def check(self, kind: str) -> None:
        if self.tok[0] != kind:
            raise self.error_expected(kind)

    def checknext(self, kind: str) -> None:
        self.check(kind)
        self.next()

    def testnext(self, kind: str) -> bool:
        if self.tok[0] == kind:
            self.next()
            return True
        return False

    def check_match(self, what: str, who: str, line: int) -> None:
        if not self.testnext(what):
            if line == self.line:
                raise self.error_expected(what)
            raise self.error(f"'{what}' expected (to close '{who}' at line {line})")

    def str_checkname(self) -> str:
        self.check("<name>")
        v = self.tok[1]
        self.next()
        return v

    def block_follow(self, withuntil: bool) -> bool:
        k = self.tok[0]
        return k in _BLOCK_FOLLOW or (withuntil and k == "until")

    # ------------------------------------------------------------ scopes
    def enterblock(self, block: N.Block) -> BlockCnt:
        fs = self.fs
        bl = BlockCnt(fs.bl, len(fs.actvars), block)
        fs.bl = bl
        return bl

    def leaveblock(self) -> None:
        fs = self.fs
        bl = fs.bl
        assert bl is not None
        # labels of this block stop being visible
        fs.labels = [lab for lab in fs.labels if lab[2] is not bl]
        del fs.actvars[bl.nactvar:]
        fs.bl = bl.previous
        # pending gotos move to the enclosing block, out of this block's locals' scope
        for g in fs.pending:
            if g[2] is bl:
                g[2] = bl.previous
                if g[1] > bl.nactvar:
                    g[1] = bl.nactvar
        if bl.previous is None and fs.pending:
            g = fs.pending[0]
            node = g[0]
            if isinstance(node, N.Break):
                raise self.semerror(f"break outside loop at line {g[3]}")
            raise self.semerror(f"no visible label '{node.label}' for <goto> at line {g[3]}")

    def new_localvar(self, name: str, attrib: str | None = None) -> N.Var:
        v = N.Var(name, self.fs, attrib)
        v.in_loop = self.fs.loopdepth > 0
        return v

    def singlevaraux(self, fs: FuncState | None, name: str) -> tuple[str, N.Var] | None:
        if fs is None:
            return None
        for v in reversed(fs.actvars):
            if v.name == name:
                return ("local", v)
        r = self.singlevaraux(fs.parent, name)
        if r is None:
            return None
        v = r[1]
        if not v.has_const:
            v.captured = True
            fs.upvals[v] = True
        return ("upval", v)

    def singlevar(self, name: str, line: int) -> N.Node:
        r = self.singlevaraux(self.fs, name)
        if r is not None:
            n: N.Node = N.Name(r[0], r[1], name)
        else:
            e = self.singlevaraux(self.fs, "_ENV")
            assert e is not None
            n = N.Name("global", e[1], name)
        n.line = line
        return n

    # ------------------------------------------------------------ chunk
    def mainfunc(self, chunkname: str) -> N.Function:
        fs = FuncState(self.fs, True)
        self.fs = fs
        body = N.Block()
        body.line = 0
        self.enterblock(body)
        self.statlist(body)
        self.check("<eof>")
        self.leaveblock()
        self.fs = fs.parent  # type: ignore[assignment]
        f = N.Function([], True, body, fs, "main chunk")
        f.line = 0
        f.endline = self.line
        return f

    def statlist(self, block: N.Block) -> None:
        while not self.block_follow(True):
            if self.tok[0] == "return":
                self.retstat(block)
                return
            self.statement(block)

    def block(self, block: N.Block | None = None) -> N.Block:
        b = block if block is not None else N.Block()
        b.line = self.line
        self.enterblock(b)
        self.statlist(b)
        self.leaveblock()
        return b

    # ------------------------------------------------------------ statements
    def enterlevel(self) -> None:
        self.level += 1
        if self.level > _MAXLEVELS:
            raise LexError(0, "C stack overflow")  # lua5.4 gives no position here

    def statement(self, block: N.Block) -> None:
        self.enterlevel()
        self._statement(block)
        self.level -= 1

    def _statement(self, block: N.Block) -> None:
        line = self.line
        k = self.tok[0]
        stats = block.stats
        if k == ";":
            self.next()
            return
        if k == "if":
            st: N.Node = self.ifstat(line)
        elif k == "while":
            st = self.whilestat(line)
        elif k == "do":
            self.next()
            st = N.Do(self.block())
            self.check_match("end", "do", line)
        elif k == "for":
            st = self.forstat(line)
        elif k == "repeat":
            st = self.repeatstat(line)
        elif k == "function":
            st = self.funcstat(line)
        elif k == "local":
            self.next()
            if self.testnext("function"):
                st = self.localfunc(line)
            else:
                st = self.localstat(line)
        elif k == "::":
            self.next()
            self.labelstat(block, self.str_checkname(), line)
            return
        elif k == "return":
            self.next()
            st = self.retstat_inner(line)
        elif k == "break":
            self.next()
            st = self.breakstat(line)
        elif k == "goto":
            self.next()
            st = self.gotostat(self.str_checkname(), line)
        else:
            st = self.exprstat(line)
        st.line = line
        stats.append(st)

    def retstat(self, block: N.Block) -> None:
        line = self.line
        self.next()
        st = self.retstat_inner(line)
        st.line = line
        block.stats.append(st)

    def retstat_inner(self, line: int) -> N.Node:
        if self.block_follow(True) or self.tok[0] == ";":
            exprs: list[N.Node] = []
        else:
            exprs = self.explist()
        self.testnext(";")
        return N.Return(exprs)

    def breakstat(self, line: int) -> N.Node:
        b = N.Break()
        fs = self.fs
        if fs.loops:
            b.loop = fs.loops[-1]
        else:
            # resolved (or reported) when the function ends, as lparser.c does
            assert fs.bl is not None
            fs.pending.append([b, len(fs.actvars), fs.bl, line])
        return b

    def gotostat(self, name: str, line: int) -> N.Node:
        g = N.Goto(name)
        g.line = line
        fs = self.fs
        for lab, _nact, _bl in fs.labels:
            if lab.name == name:  # backward jump: label already visible
                g.target = lab
                lab.used = True
                lab.backward = True
                return g
        assert fs.bl is not None
        fs.pending.append([g, len(fs.actvars), fs.bl, line])
        return g

    def labelstat(self, block: N.Block, name: str, line: int) -> None:
        self.checknext("::")
        # skip other no-op statements (lparser.c labelstat)
        while self.tok[0] in (";", "::"):
            self.statement(block)
        fs = self.fs
        for lab, _n, _b in fs.labels:
            if lab.name == name:
                raise self.semerror(f"label '{name}' already defined on line {lab.line}")
        lab = N.Label(name, block, len(block.stats))
        lab.line = line
        last = self.block_follow(False)
        lab.at_end = last
        bl = fs.bl
        assert bl is not None
        nact = bl.nactvar if last else len(fs.actvars)
        fs.labels.append((lab, nact, bl))
        block.labels.append(lab)
        block.stats.append(lab)
        keep = []
        for g in fs.pending:
            node = g[0]
            if g[2] is bl and isinstance(node, N.Goto) and node.label == name:
                if g[1] < nact:
                    vname = fs.actvars[g[1]].name
                    raise self.semerror(
                        f"<goto {name}> at line {g[3]} jumps into the scope of local '{vname}'"
                    )
                node.target = lab
                lab.used = True
            else:
                keep.append(g)
        fs.pending = keep

    def ifstat(self, line: int) -> N.Node:
        clauses = []
        orelse = None
        cl = line
        self.next()
        cond = self.expr()
        self.checknext("then")
        clauses.append((cond, self.block(), cl))
        while self.tok[0] == "elseif":
            cl = self.line
            self.next()
            cond = self.expr()
            self.checknext("then")
            clauses.append((cond, self.block(), cl))
        if self.testnext("else"):
            orelse = self.block()
        self.check_match("end", "if", line)
        return N.If(clauses, orelse)

    def loopblock(self, loop: N.Node) -> N.Block:
        fs = self.fs
        fs.loopdepth += 1
        fs.loops.append(loop)
        b = N.Block()
        b.is_loop_body = True
        b.loop = loop
        self.block(b)
        fs.loops.pop()
        fs.loopdepth -= 1
        return b

    def whilestat(self, line: int) -> N.Node:
        self.next()
        cond = self.expr()
        self.checknext("do")
        st = N.While(cond, None)  # type: ignore[arg-type]
        st.body = self.loopblock(st)
        self.check_match("end", "while", line)
        return st

    def repeatstat(self, line: int) -> N.Node:
        self.next()
        st = N.Repeat(None, None)  # type: ignore[arg-type]
        fs = self.fs
        fs.loopdepth += 1
        fs.loops.append(st)
        b = N.Block()
        b.is_loop_body = True
        b.loop = st
        b.line = self.line
        self.enterblock(b)
        self.statlist(b)
        self.check_match("until", "repeat", line)
        fs.loops.pop()
        cond = self.expr()  # the condition sees the body's locals (manual 3.3.4)
        fs.loopdepth -= 1
        self.leaveblock()
        st.body = b
        st.cond = cond
        return st

    def forstat(self, line: int) -> N.Node:
        self.next()
        n1 = self.str_checkname()
        k = self.tok[0]
        if k == "=":
            return self.fornum(n1, line)
        if k in (",", "in"):
            return self.forlist(n1, line)
        raise self.error("'=' or 'in' expected")

    def fornum(self, name: str, line: int) -> N.Node:
        self.next()
        start = self.expr()
        self.checknext(",")
        stop = self.expr()
        step = self.expr() if self.testnext(",") else None
        self.checknext("do")
        st = N.NumFor(None, start, stop, step, None)  # type: ignore[arg-type]
        self.fs.loopdepth += 1
        outer = N.Block()
        self.enterblock(outer)
        v = self.new_localvar(name)
        self.fs.actvars.append(v)
        st.var = v
        self.fs.loopdepth -= 1
        st.body = self.loopblock(st)
        self.leaveblock()
        self.check_match("end", "for", line)
        return st

    def forlist(self, name: str, line: int) -> N.Node:
        names = [name]
        while self.testnext(","):
            names.append(self.str_checkname())
        self.checknext("in")
        exprs = self.explist()
        self.checknext("do")
        st = N.GenFor([], exprs, None)  # type: ignore[arg-type]
        self.fs.loopdepth += 1
        outer = N.Block()
        self.enterblock(outer)
        for n in names:
            v = self.new_localvar(n)
            self.fs.actvars.append(v)
            st.vars.append(v)
        self.fs.loopdepth -= 1
        st.body = self.loopblock(st)
        self.leaveblock()
        self.check_match("end", "for", line)
        return st

    def funcstat(self, line: int) -> N.Node:
        self.next()
        # funcname: NAME {'.' NAME} [':' NAME]
        nline = self.line
        target = self.singlevar(self.str_checkname(), nline)
        fname = target.name if isinstance(target, N.Name) else "?"
        ismethod = False
        while self.tok[0] in (".", ":"):
            ismethod = self.tok[0] == ":"
            self.next()
            kl = self.line
            key = self.str_checkname()
            fname = key
            kn = N.String(key)
            kn.line = kl
            target = N.Index(target, kn)
            target.line = kl
            if ismethod:
                break
        self.check_assignable(target)
        f = self.body(ismethod, line, fname)
        return N.FunctionStat(target, f)

    def localfunc(self, line: int) -> N.Node:
        name = self.str_checkname()
        v = self.new_localvar(name)
        self.fs.actvars.append(v)  # visible inside its own body (recursion)
        f = self.body(False, line, name)
        return N.LocalFunction(v, f)

    def getlocalattribute(self) -> str | None:
        if self.testnext("<"):
            attr = self.str_checkname()
            self.checknext(">")
            if attr == "const":
                return "const"
            if attr == "close":
                return "close"
            raise self.semerror(f"unknown attribute '{attr}'")
        return None

    def localstat(self, line: int) -> N.Node:
        vars_: list[N.Var] = []
        nclose = 0
        while True:
            name = self.str_checkname()
            attrib = self.getlocalattribute()
            v = self.new_localvar(name, attrib)
            if attrib == "close":
                nclose += 1
                if nclose > 1:
                    raise self.semerror("multiple to-be-closed variables in local list")
            vars_.append(v)
            if not self.testnext(","):
                break
        exprs = self.explist() if self.testnext("=") else []
        last = vars_[-1]
        if (len(vars_) == len(exprs) and last.attrib == "const"
                and isinstance(exprs[-1], N.Nil | N.TrueE | N.FalseE | N.Number | N.String)):
            # compile-time constant (lparser.c localstat / luaK_exp2const)
            last.has_const = True
            last.const_value = exprs[-1]
        self.fs.actvars.extend(vars_)
        return N.Local(vars_, exprs)

    def check_assignable(self, target: N.Node) -> None:
        """lparser.c check_readonly, and note upvalues assigned by nested functions."""
        if isinstance(target, N.Name):
            v = target.var
            if target.kind == "global":
                return  # an index of _ENV: allowed even when _ENV is <const>
            if v.attrib is not None:
                raise self.semerror(f"attempt to assign to const variable '{v.name}'")
            if target.kind == "upval":
                self.fs.nonlocals[v] = True

    def exprstat(self, line: int) -> N.Node:
        e = self.suffixedexp()
        if self.tok[0] in ("=", ","):
            # lparser.c restassign: each target is checked right after it is parsed
            targets = [e]
            while True:
                if not isinstance(e, N.Name | N.Index):
                    raise self.error("syntax error")
                self.check_assignable(e)
                if not self.testnext(","):
                    break
                e = self.suffixedexp()
                targets.append(e)
            self.checknext("=")
            exprs = self.explist()
            return N.Assign(targets, exprs)
        if not isinstance(e, N.Call | N.MethodCall):
            raise self.error("syntax error")
        return N.CallStat(e)

    # ------------------------------------------------------------ functions
    def body(self, ismethod: bool, line: int, name: str) -> N.Function:
        fs = FuncState(self.fs, False)
        self.fs = fs
        params: list[N.Var] = []
        if ismethod:
            params.append(self.new_localvar("self"))
        self.checknext("(")
        if self.tok[0] != ")":
            while True:
                k = self.tok[0]
                if k == "<name>":
                    params.append(self.new_localvar(self.tok[1]))
                    self.next()
                elif k == "...":
                    self.next()
                    fs.is_vararg = True
                else:
                    raise self.error("<name> or '...' expected")
                if fs.is_vararg or not self.testnext(","):
                    break
        fs.actvars.extend(params)
        self.checknext(")")
        b = N.Block()
        b.line = line
        self.enterblock(b)
        self.statlist(b)
        endline = self.line
        self.check_match("end", "function", line)
        self.leaveblock()
        self.fs = fs.parent  # type: ignore[assignment]
        f = N.Function(params, fs.is_vararg, b, fs, name)
        f.line = line
        f.endline = endline
        return f

    # ------------------------------------------------------------ expressions
    def explist(self) -> list[N.Node]:
        exprs = [self.expr()]
        while self.testnext(","):
            exprs.append(self.expr())
        return exprs

    def expr(self) -> N.Node:
        return self.subexpr(0)

    def subexpr(self, limit: int) -> N.Node:
        self.enterlevel()
        e = self._subexpr(limit)
        self.level -= 1
        return e

    def _subexpr(self, limit: int) -> N.Node:
        k = self.tok[0]
        if k in _UNOPS:
            line = self.line
            self.next()
            operand = self.subexpr(_UNARY_PRIORITY)
            e = self.fold_unary(k, operand, line)
        else:
            e = self.simpleexp()
        op = self.tok[0]
        pri = _BINPRI.get(op)
        while pri is not None and pri[0] > limit:
            line = self.line
            self.next()
            e2 = self.subexpr(pri[1])
            e = N.BinOp(op, e, e2)
            e.line = line
            op = self.tok[0]
            pri = _BINPRI.get(op)
        return e

    @staticmethod
    def fold_unary(op: str, operand: N.Node, line: int) -> N.Node:
        # Fold "-<numeral>" so that negative literals are constants (lcode.c constfolding);
        # the result is what the runtime operator would give, integers wrap around.
        if op == "-" and isinstance(operand, N.Number):
            v = operand.value
            if type(v) is int:
                v = -v
                if v >= 2**63:
                    v -= 2**64
            else:
                v = -v
            n: N.Node = N.Number(v)
        else:
            n = N.UnOp(op, operand)
        n.line = line
        return n

    def simpleexp(self) -> N.Node:
        tok = self.tok
        k = tok[0]
        line = tok[2]
        if k == "<number>":
            e: N.Node = N.Number(tok[1])
        elif k == "<string>":
            e = N.String(tok[1])
        elif k == "nil":
            e = N.Nil()
        elif k == "true":
            e = N.TrueE()
        elif k == "false":
            e = N.FalseE()
        elif k == "...":
            if not self.fs.is_vararg:
                raise self.error("cannot use '...' outside a vararg function")
            e = N.Vararg()
        elif k == "{":
            return self.constructor()
        elif k == "function":
            self.next()
            return self.body(False, line, "anonymous")
        else:
            return self.suffixedexp()
        e.line = line
        self.next()
        return e

    def primaryexp(self) -> N.Node:
        k = self.tok[0]
        line = self.line
        if k == "<name>":
            name = self.tok[1]
            self.next()
            return self.singlevar(name, line)
        if k == "(":
            self.next()
            e = self.expr()
            self.check_match(")", "(", line)
            p = N.Paren(e)
            p.line = line
            return p
        raise self.error("unexpected symbol")

    def suffixedexp(self) -> N.Node:
        line = self.line
        e = self.primaryexp()
        while True:
            k = self.tok[0]
            if k == ".":
                self.next()
                kl = self.line
                skey = N.String(self.str_checkname())
                skey.line = kl
                e = N.Index(e, skey)
                e.line = kl
            elif k == "[":
                self.next()
                key = self.expr()
                self.checknext("]")
                e = N.Index(e, key)
                e.line = self.line
            elif k == ":":
                self.next()
                name = self.str_checkname()
                args = self.funcargs(line)
                e = N.MethodCall(e, name, args)
                e.line = line
            elif k in ("(", "<string>", "{"):
                args = self.funcargs(line)
                e = N.Call(e, args)
                e.line = line
            else:
                return e

    def funcargs(self, line: int) -> list[N.Node]:
        k = self.tok[0]
        if k == "(":
            self.next()
            if self.tok[0] == ")":
                args: list[N.Node] = []
            else:
                args = self.explist()
            self.check_match(")", "(", line)
            return args
        if k == "{":
            return [self.constructor()]
        if k == "<string>":
            s = N.String(self.tok[1])
            s.line = self.line
            self.next()
            return [s]
        raise self.error("function arguments expected")

    def constructor(self) -> N.Node:
        line = self.line
        self.checknext("{")
        items: list[tuple[N.Node | None, N.Node]] = []
        while self.tok[0] != "}":
            k = self.tok[0]
            if k == "<name>" and self.peek()[0] == "=":
                key: N.Node | None = N.String(self.tok[1])
                key.line = self.line  # type: ignore[union-attr]
                self.next()
                self.next()
                items.append((key, self.expr()))
            elif k == "[":
                self.next()
                key = self.expr()
                self.checknext("]")
                self.checknext("=")
                items.append((key, self.expr()))
            else:
                items.append((None, self.expr()))
            if not (self.testnext(",") or self.testnext(";")):
                break
        self.check_match("}", "{", line)
        t = N.Table(items)
        t.line = line
        return t


def parse(src: str, chunkname: str = "?") -> tuple[N.Function, N.Var]:
    """Parse a latin-1 decoded Lua chunk; return (main function, the chunk's _ENV var).

    Raises :class:`LexError` (line, message) on a syntax error."""
    p = Parser(src)
    main = p.mainfunc(chunkname)
    return main, p.env
