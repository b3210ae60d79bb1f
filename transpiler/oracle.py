"""luaparser as an independent oracle for our Lua parser (tests only).

``nse convert`` parses with :mod:`transpiler.parser` (see docs/design-notes.md, "The Lua
front end").  luaparser 4.x is a separately written Lua 5.4 grammar (ANTLR), so agreeing with
it on the *structure* of a chunk is a cheap, independent check of our precedence climbing,
suffix chains, statement forms and scoping of syntax.  Both trees are reduced to one
normalised form made of nested tuples:

* statements and expressions by kind (``"Assign"``, ``"BinOp"``, ``"MethodCall"`` ...),
  operator names, local attribs, parameter lists and the vararg flag;
* identifier names with their resolution, ``("Name", "x", "local" | "upval" | "global")``:
  luaparser does not resolve names, so :class:`_Theirs` applies the manual's visibility rules
  (3.5) itself, an independent check of ``parser.singlevar``;
* ``a.b`` and ``a["b"]`` are both ``("Index", a, ("String", "b"))`` (our tree does not keep
  the spelling), ``function t:m()`` is a function whose first parameter is ``self``;
* literals by kind; values only where luaparser is known exact (see :data:`KNOWN_DIFFERENCES`),
  elsewhere the luaparser side holds :data:`ANY`, which matches anything.

:func:`compare` parses a source with both and returns the differences as readable lines.
"""

from __future__ import annotations

import re
from typing import Any

from transpiler import nodes as N
from transpiler.parser import parse

__all__ = ["ANY", "KNOWN_DIFFERENCES", "LuaparserError", "compare", "diff", "from_luaparser",
           "from_ours"]

#: Where luaparser 4.2.0 is not a faithful oracle, and what the normalisation does about it.
KNOWN_DIFFERENCES: dict[str, str] = {
    "hex floats": "luaparser converts every numeral containing '.', 'e' or 'p' with float(), "
                  "so valid hex floats ('0x1p4', '0xA.8p0') raise ValueError: such files are "
                  "reported as luaparser failures, not compared",
    "string values": "luaparser decodes escapes into bytes lossily (non-ASCII, \\ddd above 127) "
                     "and keeps the newline that must be skipped after '[[' (manual 3.1): "
                     "a string value is compared only for a quoted literal whose source text "
                     "is printable ASCII without a backslash",
    "number values": "luaparser's Number.n is lossy: '06' becomes the float 6.0 (Lua: "
                     "integer 6), 0xffffffffffffffff a Python int (Lua wraps it to -1), an "
                     "overflowing decimal integer an int (Lua: float); so kind and value are "
                     "taken from the numeral's token text, an integer value is compared only "
                     "below 2^53 and float values are not compared",
    "negative numerals": "our parser folds '-<numeral>' into one constant (lcode.c "
                         "constfolding), luaparser keeps UMinusOp(Number): the luaparser side "
                         "is folded the same way",
    "parentheses": "luaparser marks a parenthesised expression with a 'wrapped' flag, so "
                   "'((e))' is wrapped once; our nested Paren nodes are collapsed to one",
    "adjacent labels": "our parser, like lparser.c labelstat, records '::a:: ::b::' as b then "
                       "a (it skips following no-op statements before creating a label); a run "
                       "of adjacent labels is compared as a sorted set, since all of them name "
                       "the same position",
}


class _Any:
    """Matches any value in :func:`diff` (a literal luaparser cannot give exactly)."""

    _inst: _Any | None = None

    def __new__(cls) -> _Any:
        if cls._inst is None:
            cls._inst = super().__new__(cls)
        return cls._inst

    def __repr__(self) -> str:
        return "ANY"

    def __reduce__(self) -> str:
        return "ANY"


ANY = _Any()


class _Stat(tuple):  # type: ignore[type-arg]
    """A normalised statement; ``line`` (ours only) locates differences, equality ignores it."""

    line: int | None = None


def _stat(line: int | None, *items: Any) -> _Stat:
    s = _Stat(items)
    s.line = line
    return s


_EXACT_INT = 2**53


_DEC_INT = re.compile(r"[0-9]+")
_HEX_INT = re.compile(r"0[xX][0-9a-fA-F]+")
_DEC_FLOAT = re.compile(r"([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _num(node: Any) -> tuple[str, Any, Any]:
    """A luaparser Number, judged from its token text (``n`` is lossy, see
    KNOWN_DIFFERENCES).  Manual 3.1: a numeral with a radix point or an exponent is a
    float, otherwise an integer if it fits (decimal) or always, wrapping (hexadecimal)."""
    tok = getattr(node, "first_token", None)
    text = getattr(tok, "text", None)
    if not isinstance(text, str):
        return ("Number", ANY, ANY)
    if _DEC_INT.fullmatch(text):
        value = int(text)
        return ("Number", "int", value) if value < _EXACT_INT else ("Number", ANY, ANY)
    if _HEX_INT.fullmatch(text):
        value = int(text, 16)
        return ("Number", "int", value if value < _EXACT_INT else ANY)
    if _DEC_FLOAT.fullmatch(text):
        return ("Number", "float", ANY)
    return ("Number", ANY, ANY)


def _ours_num(value: int | float) -> tuple[str, Any, Any]:
    if type(value) is int:
        if -_EXACT_INT < value < _EXACT_INT:
            return ("Number", "int", value)
        return ("Number", "int", ANY)
    return ("Number", "float", ANY)


def _labels_sorted(stats: list[Any]) -> list[Any]:
    """Sort each run of adjacent Label statements by name (see KNOWN_DIFFERENCES)."""
    out: list[Any] = []
    run: list[Any] = []
    for s in stats:
        if s[0] == "Label":
            run.append(s)
            continue
        out.extend(sorted(run, key=lambda t: t[1]))
        run = []
        out.append(s)
    out.extend(sorted(run, key=lambda t: t[1]))
    return out


# ------------------------------------------------------------------ our tree
class _Ours:
    def block(self, b: N.Block) -> tuple:
        return ("Block", *_labels_sorted([self.stat(s) for s in b.stats]))

    def function(self, f: N.Function) -> tuple:
        return ("Function", tuple(v.name for v in f.params), f.is_vararg, self.block(f.body))

    def stat(self, s: N.Node) -> _Stat:
        line = getattr(s, "line", None)
        e = self.expr
        el = self.exprs
        if isinstance(s, N.Local):
            return _stat(line, "Local", tuple((v.name, v.attrib) for v in s.vars), el(s.exprs))
        if isinstance(s, N.Assign):
            return _stat(line, "Assign", el(s.targets), el(s.exprs))
        if isinstance(s, N.CallStat):
            return _stat(line, "CallStat", e(s.call))
        if isinstance(s, N.Do):
            return _stat(line, "Do", self.block(s.body))
        if isinstance(s, N.While):
            return _stat(line, "While", e(s.cond), self.block(s.body))
        if isinstance(s, N.Repeat):
            return _stat(line, "Repeat", self.block(s.body), e(s.cond))
        if isinstance(s, N.If):
            clauses = tuple((e(c), self.block(b)) for c, b, _ in s.clauses)
            orelse = None if s.orelse is None else self.block(s.orelse)
            return _stat(line, "If", clauses, orelse)
        if isinstance(s, N.NumFor):
            step = None if s.step is None else e(s.step)
            return _stat(line, "NumFor", s.var.name, e(s.start), e(s.stop), step,
                         self.block(s.body))
        if isinstance(s, N.GenFor):
            return _stat(line, "GenFor", tuple(v.name for v in s.vars), el(s.exprs),
                         self.block(s.body))
        if isinstance(s, N.LocalFunction):
            return _stat(line, "LocalFunction", s.var.name, self.function(s.func))
        if isinstance(s, N.FunctionStat):
            return _stat(line, "FunctionStat", e(s.target), self.function(s.func))
        if isinstance(s, N.Return):
            return _stat(line, "Return", el(s.exprs))
        if isinstance(s, N.Break):
            return _stat(line, "Break")
        if isinstance(s, N.Goto):
            return _stat(line, "Goto", s.label)
        if isinstance(s, N.Label):
            return _stat(line, "Label", s.name)
        raise TypeError(f"unknown statement node {type(s).__name__}")

    def exprs(self, es: list[N.Node]) -> tuple:
        return tuple(self.expr(x) for x in es)

    def expr(self, x: N.Node) -> Any:
        e = self.expr
        if isinstance(x, N.Name):
            return ("Name", x.name, x.kind)
        if isinstance(x, N.Index):
            return ("Index", e(x.obj), e(x.key))
        if isinstance(x, N.Call):
            return ("Call", e(x.func), self.exprs(x.args))
        if isinstance(x, N.MethodCall):
            return ("MethodCall", e(x.obj), x.name, self.exprs(x.args))
        if isinstance(x, N.BinOp):
            return ("BinOp", x.op, e(x.left), e(x.right))
        if isinstance(x, N.UnOp):
            return ("UnOp", x.op, e(x.operand))
        if isinstance(x, N.Paren):
            inner = x.expr
            while isinstance(inner, N.Paren):  # '((e))': see KNOWN_DIFFERENCES
                inner = inner.expr
            return ("Paren", e(inner))
        if isinstance(x, N.Number):
            return _ours_num(x.value)
        if isinstance(x, N.String):
            return ("String", x.value)
        if isinstance(x, N.Nil):
            return ("Nil",)
        if isinstance(x, N.TrueE):
            return ("True",)
        if isinstance(x, N.FalseE):
            return ("False",)
        if isinstance(x, N.Vararg):
            return ("Vararg",)
        if isinstance(x, N.Table):
            return ("Table", tuple((None if k is None else e(k), e(v)) for k, v in x.items))
        if isinstance(x, N.Function):
            return self.function(x)
        raise TypeError(f"unknown expression node {type(x).__name__}")


def from_ours(main: N.Function) -> tuple:
    """Normalise our parse tree (the main function :func:`transpiler.parser.parse` returns)."""
    return ("Chunk", _Ours().block(main.body))


# ------------------------------------------------------------------ luaparser's tree
_BINOPS = {
    "AddOp": "+", "SubOp": "-", "MultOp": "*", "FloatDivOp": "/", "FloorDivOp": "//",
    "ModOp": "%", "ExpoOp": "^", "BAndOp": "&", "BOrOp": "|", "BXorOp": "~",
    "BShiftROp": ">>", "BShiftLOp": "<<", "LessThanOp": "<", "GreaterThanOp": ">",
    "LessOrEqThanOp": "<=", "GreaterOrEqThanOp": ">=", "EqToOp": "==", "NotEqToOp": "~=",
    "AndLoOp": "and", "OrLoOp": "or", "Concat": "..",
}
_UNOPS = {"UMinusOp": "-", "UBNotOp": "~", "ULNotOp": "not", "ULengthOP": "#"}
_PRINTABLE = frozenset(chr(c) for c in range(0x20, 0x7F))


class _Theirs:
    """Normalises luaparser's tree and resolves names itself (luaparser does not).

    Manual 3.5: a local's scope begins at the statement after its declaration and lasts
    to the end of the innermost block; a name declared in an enclosing *function* is an
    upvalue; any other name is a global (a field of ``_ENV``).  As in lparser.c, ``_ENV``
    itself is a local of a function enclosing the main chunk, so it is an upvalue there.
    """

    def __init__(self) -> None:
        # functions, each a list of blocks, each a list of names (innermost last)
        self.funcs: list[list[list[str]]] = [[["_ENV"]]]

    def resolve(self, name: str) -> str:
        for depth, blocks in enumerate(reversed(self.funcs)):
            for names in reversed(blocks):
                if name in names:
                    return "local" if depth == 0 else "upval"
        return "global"

    def declare(self, *names: str) -> None:
        self.funcs[-1][-1].extend(names)

    def block(self, b: Any, cond: Any = None) -> tuple:
        """A block in a new scope; ``cond`` (repeat-until) is read inside that scope."""
        self.funcs[-1].append([])
        stats = [self.stat(s) for s in b.body if type(s).__name__ not in ("SemiColon", "Comment")]
        result: tuple = ("Block", *_labels_sorted(stats))
        if cond is not None:  # manual 3.3.4: the condition can refer to the body's locals
            result = (result, self.expr(cond))
        self.funcs[-1].pop()
        return result

    def params(self, args: list[Any]) -> tuple[tuple[str, ...], bool]:
        names = tuple(a.id for a in args if type(a).__name__ == "Name")
        vararg = any(type(a).__name__ in ("Varargs", "Dots") for a in args)
        return names, vararg

    def function(self, args: list[Any], body: Any, method: bool = False) -> tuple:
        names, vararg = self.params(args)
        if method:  # manual 3.4.11: 'function t:m(...)' is 'function t.m(self, ...)'
            names = ("self", *names)
        self.funcs.append([list(names)])
        block = self.block(body)
        self.funcs.pop()
        return ("Function", names, vararg, block)

    def stat(self, s: Any) -> _Stat:
        k = type(s).__name__
        e = self.expr
        el = self.exprs
        if k == "LocalAssign":
            targets = tuple((t.id, t.attribute.name.id if t.attribute is not None else None)
                            for t in s.targets)
            values = el(s.values or [])
            self.declare(*(t[0] for t in targets))
            return _stat(None, "Local", targets, values)
        if k == "Assign":
            return _stat(None, "Assign", el(s.targets), el(s.values))
        if k in ("Call", "Invoke"):
            return _stat(None, "CallStat", e(s))
        if k == "Do":
            return _stat(None, "Do", self.block(s.body))
        if k == "While":
            return _stat(None, "While", e(s.test), self.block(s.body))
        if k == "Repeat":
            body, cond = self.block(s.body, s.test)
            return _stat(None, "Repeat", body, cond)
        if k == "If":
            clauses = [(e(s.test), self.block(s.body))]
            orelse = s.orelse
            while type(orelse).__name__ == "ElseIf":
                clauses.append((e(orelse.test), self.block(orelse.body)))
                orelse = orelse.orelse
            return _stat(None, "If", tuple(clauses),
                         None if orelse is None else self.block(orelse))
        if k == "Fornum":
            # luaparser stores the Python int 1 (not a node) when the step is absent
            step = None if not hasattr(s.step, "wrapped") else e(s.step)
            start, stop = e(s.start), e(s.stop)
            self.funcs[-1].append([s.target.id])  # the control variable's scope: the body
            body = self.block(s.body)
            self.funcs[-1].pop()
            return _stat(None, "NumFor", s.target.id, start, stop, step, body)
        if k == "Forin":
            names = tuple(t.id for t in s.targets)
            exprs = el(s.iter)
            self.funcs[-1].append(list(names))
            body = self.block(s.body)
            self.funcs[-1].pop()
            return _stat(None, "GenFor", names, exprs, body)
        if k == "LocalFunction":
            self.declare(s.name.id)  # visible in its own body (manual 3.4.11)
            return _stat(None, "LocalFunction", s.name.id, self.function(s.args, s.body))
        if k == "Function":
            return _stat(None, "FunctionStat", self.funcname(s.name),
                         self.function(s.args, s.body))
        if k == "Method":
            target = ("Index", self.funcname(s.source), ("String", s.name.id))
            return _stat(None, "FunctionStat", target, self.function(s.args, s.body, True))
        if k == "Return":
            rvalues: Any = s.values
            if rvalues is None:
                rvalues = []
            elif not isinstance(rvalues, list):
                rvalues = [rvalues]
            return _stat(None, "Return", el(rvalues))
        if k == "Break":
            return _stat(None, "Break")
        if k == "Goto":
            return _stat(None, "Goto", s.label.id)
        if k == "Label":
            return _stat(None, "Label", s.id.id)
        raise TypeError(f"unknown luaparser statement {k}")

    def funcname(self, n: Any) -> tuple:
        # funcname: Name {'.' Name}; luaparser's Index keeps the key in 'idx', the object
        # in 'value'
        if type(n).__name__ == "Name":
            return ("Name", n.id, self.resolve(n.id))
        return ("Index", self.funcname(n.value), ("String", n.idx.id))

    def exprs(self, es: list[Any]) -> tuple:
        return tuple(self.expr(x) for x in es)

    def expr(self, x: Any) -> Any:
        r = self._expr(x)
        if getattr(x, "wrapped", False):
            r = ("Paren", r)
        return r

    def _expr(self, x: Any) -> Any:
        k = type(x).__name__
        e = self.expr
        if k == "Name":
            return ("Name", x.id, self.resolve(x.id))
        if k == "Index":
            if x.notation.name == "DOT":
                return ("Index", e(x.value), ("String", x.idx.id))
            return ("Index", e(x.value), e(x.idx))
        if k == "Call":
            return ("Call", e(x.func), self.exprs(x.args))
        if k == "Invoke":
            return ("MethodCall", e(x.source), x.func.id, self.exprs(x.args))
        if k in _BINOPS:
            return ("BinOp", _BINOPS[k], e(x.left), e(x.right))
        if k in _UNOPS:
            operand = e(x.operand)
            if k == "UMinusOp" and operand[0] == "Number":
                # fold '-<numeral>' as our parser does (KNOWN_DIFFERENCES)
                _, kind, value = operand
                return ("Number", kind, -value if type(value) is int else value)
            return ("UnOp", _UNOPS[k], operand)
        if k == "Number":
            return _num(x)
        if k == "String":
            raw = x.raw
            exact = (x.delimiter.name != "DOUBLE_SQUARE" and "\\" not in raw
                     and all(c in _PRINTABLE for c in raw))
            return ("String", raw if exact else ANY)
        if k == "Nil":
            return ("Nil",)
        if k == "TrueExpr":
            return ("True",)
        if k == "FalseExpr":
            return ("False",)
        if k in ("Varargs", "Dots"):
            return ("Vararg",)
        if k == "Table":
            items = []
            for f in x.fields:
                if f.key is None:
                    key = None
                elif not f.between_brackets and type(f.key).__name__ == "Name":
                    key = ("String", f.key.id)
                else:
                    key = e(f.key)
                items.append((key, e(f.value)))
            return ("Table", tuple(items))
        if k == "AnonymousFunction":
            return self.function(x.args, x.body)
        raise TypeError(f"unknown luaparser expression {k}")


def from_luaparser(chunk: Any) -> tuple:
    """Normalise a luaparser ``Chunk`` (from ``luaparser.ast.parse``)."""
    t = _Theirs()
    t.funcs.append([])  # the main chunk: a function inside the one declaring _ENV
    return ("Chunk", t.block(chunk.body))


# ------------------------------------------------------------------ comparison
def _short(x: Any, limit: int = 120) -> str:
    s = repr(x)
    return s if len(s) <= limit else s[: limit - 3] + "..."


def diff(theirs: Any, ours: Any, path: str = "", out: list[str] | None = None,
         limit: int = 50) -> list[str]:
    """Differences between two normalised trees (``theirs`` may hold :data:`ANY`)."""
    if out is None:
        out = []
    if len(out) >= limit or theirs is ANY or ours is ANY:
        return out
    line = getattr(ours, "line", None)
    if line is not None:
        path = f"{path}@{line}"
    if isinstance(theirs, tuple) and isinstance(ours, tuple):
        head_t = theirs[0] if theirs and isinstance(theirs[0], str) else None
        head_o = ours[0] if ours and isinstance(ours[0], str) else None
        if head_t != head_o or len(theirs) != len(ours):
            out.append(f"{path}: luaparser {_short(theirs)} != ours {_short(ours)}")
            return out
        here = f"{path}/{head_o}" if head_o else path
        for i, (a, b) in enumerate(zip(theirs, ours, strict=True)):
            diff(a, b, f"{here}[{i}]", out, limit)
        return out
    if theirs != ours or type(theirs) is not type(ours):
        out.append(f"{path}: luaparser {_short(theirs)} != ours {_short(ours)}")
    return out


class LuaparserError(Exception):
    """luaparser could not parse a chunk our parser accepts (see KNOWN_DIFFERENCES)."""


def compare(source: str) -> list[str]:
    """Parse ``source`` (latin-1 decoded Lua) with both parsers; return the differences.

    Raises :class:`transpiler.lexer.LexError` if our parser rejects the chunk and
    :class:`LuaparserError` (with luaparser's exception text) if luaparser does."""
    from luaparser import ast as lp_ast  # test-time dependency only

    main, _env = parse(source)
    ours = from_ours(main)
    try:
        chunk = lp_ast.parse(source)
    except Exception as exc:  # luaparser raises assorted types (ValueError, SyntaxException)
        raise LuaparserError(f"{type(exc).__name__}: {exc}"[:300]) from exc
    return diff(from_luaparser(chunk), ours)
