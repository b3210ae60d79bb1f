"""``require "lpeg"``: LPeg 1.0 (the C module nmap ships) in Python.

Same design as LPeg itself: a pattern is a tree (userdata ``Pattern`` with LPeg's
operators as metamethods: ``*`` sequence, ``+`` ordered choice, ``-`` difference, unary ``-``
not-predicate, ``#`` and-predicate, ``^n`` repetitions, ``/`` captures), compiled on first
use to instructions for a backtracking virtual machine (``lpvm.c``: Choice, Commit,
PartialCommit, BackCommit, Call/Ret with tail calls turned into jumps, Span for repeated
sets, captures recorded as open/close entries and evaluated after the match, match-time
captures evaluated at once).  So deep grammars and long subjects need no Python recursion.

Implemented: ``P R S V B C Carg Cb Cc Cf Cg Cp Cs Ct Cmt locale match type version
setmaxstack``, grammars (tables of rules, first rule by ``[1]``), ``patt / string``
(``%0``-``%9``), ``patt / number``, ``patt / table``, ``patt / function``; errors LPeg raises
when building patterns (``loop body may accept empty string``, ``rule 'x' undefined in
given grammar``, ``pattern may not have fixed length``,
``rule 'x' may be left recursive``), and ``backtrack stack overflow`` past 200 000 stack
entries (LPeg's own limit is 400 backtrack entries unless raised by ``setmaxstack``).
"""

from __future__ import annotations

from typing import Any

from nse.lib._util import LuaTable, Userdata, lua_error
from nse.lua import ops

__all__ = [
    "P", "R", "S", "V", "B", "C", "Carg", "Cb", "Cc", "Cf", "Cg", "Cp", "Cs", "Ct", "Cmt",
    "locale", "match", "type_", "version", "setmaxstack",
]  # fmt: skip
__lua_names__ = {"type_": "type"}

_ALL = frozenset(range(256))


# ---------------------------------------------------------------------------- tree
class Pattern(Userdata):
    """An LPeg pattern (tree node); compiled lazily."""

    _lua_typename = "lpeg-pattern"
    _lua_methods = ("match",)
    __slots__ = ("op", "a", "b", "x", "_code")

    def __init__(self, op: str, a: Any = None, b: Any = None, x: Any = None) -> None:
        self.op = op  # str set any true false seq choice rep repmax not and behind cap call grammar
        self.a = a
        self.b = b
        self.x = x
        self._code: list[tuple[Any, ...]] | None = None

    @classmethod
    def _extra_meta(cls) -> dict[str, Any]:
        return {
            "__add": lambda a=None, b=None, *_: _choice(_getpatt(a, 1), _getpatt(b, 2)),
            "__mul": lambda a=None, b=None, *_: _seq(_getpatt(a, 1), _getpatt(b, 2)),
            "__sub": lambda a=None, b=None, *_: _diff(_getpatt(a, 1), _getpatt(b, 2)),
            "__unm": lambda a=None, *_: Pattern("not", _getpatt(a, 1)),
            "__len": lambda a=None, *_: Pattern("and", _getpatt(a, 1)),
            "__pow": lambda a=None, n=None, *_: _pow(_getpatt(a, 1), n),
            "__div": lambda a=None, v=None, *_: _divcap(_getpatt(a, 1), v),
            "__name": "lpeg-pattern",
        }

    def match(self, subject: Any = None, init: Any = None, *args: Any) -> Any:
        return match(self, subject, init, *args)


def _cap(kind: str, p: Pattern | None, data: Any = None) -> Pattern:
    """A capture node: ``a`` the sub-pattern (None for empty captures), ``b`` the data,
    ``x`` the kind."""
    return Pattern("cap", p, data, kind)


def _getpatt(v: Any, argn: int) -> Pattern:
    if isinstance(v, Pattern):
        return v
    if isinstance(v, str):
        return Pattern("str", v) if v else Pattern("true")
    if isinstance(v, bool):
        return Pattern("true") if v else Pattern("false")
    if isinstance(v, int | float):
        n = int(v)
        if n >= 0:
            return Pattern("any", n) if n else Pattern("true")
        return Pattern("not", Pattern("any", -n))
    if isinstance(v, LuaTable):
        return _grammar(v)
    if callable(v):
        return _cap("runtime", Pattern("true"), v)
    from nse.lua.errors import type_error

    return type_error(argn, "?", "pattern", v)


def _seq(a: Pattern, b: Pattern) -> Pattern:
    if a.op == "false" or b.op == "true":
        return a
    if a.op == "true":
        return b
    return Pattern("seq", a, b)


def _choice(a: Pattern, b: Pattern) -> Pattern:
    if a.op == "set" and b.op == "set":
        return Pattern("set", a.a | b.a)
    if a.op == "false":
        return b
    return Pattern("choice", a, b)


def _diff(a: Pattern, b: Pattern) -> Pattern:
    if a.op == "set" and b.op == "set":
        return Pattern("set", a.a - b.a)
    return _seq(Pattern("not", b), a)


def _pow(p: Pattern, n: Any) -> Pattern:
    from nse.lib._util import check_int

    k = check_int(n, 2, "__pow")
    if k >= 0:
        if _nullable(p, {}):
            lua_error("loop body may accept empty string")
        return Pattern("rep", p, k)
    return Pattern("repmax", p, -k)


def _divcap(p: Pattern, v: Any) -> Pattern:
    if isinstance(v, str):
        return _cap("string", p, v)
    if isinstance(v, int | float) and not isinstance(v, bool):
        return _cap("num", p, int(v))
    if isinstance(v, LuaTable):
        return _cap("query", p, v)
    if callable(v):
        return _cap("function", p, v)
    return lua_error("invalid replacement value")


def _nullable(p: Pattern, rules: dict[Any, Pattern], seen: frozenset[Any] = frozenset()) -> bool:
    op = p.op
    if op in ("true", "rep", "repmax", "not", "and", "behind"):
        return op != "rep" or p.b == 0 or _nullable(p.a, rules, seen)
    if op in ("false", "set"):
        return False
    if op == "str":
        return p.a == ""
    if op == "any":
        return p.a == 0
    if op == "seq":
        return _nullable(p.a, rules, seen) and _nullable(p.b, rules, seen)
    if op == "choice":
        return _nullable(p.a, rules, seen) or _nullable(p.b, rules, seen)
    if op == "cap":
        return p.a is None or _nullable(p.a, rules, seen)
    if op == "call":
        r = rules.get(p.a)
        if r is None or p.a in seen:
            return False
        return _nullable(r, rules, seen | {p.a})
    if op == "grammar":
        return _nullable(p.a[p.b], p.a, seen)
    return False


def _fixedlen(p: Pattern, rules: dict[Any, Pattern] | None = None, depth: int = 0) -> int | None:
    op = p.op
    if op == "str":
        return len(p.a)
    if op == "set":
        return 1
    if op == "any":
        return p.a
    if op in ("true", "not", "and", "behind", "false"):
        return 0
    if op == "seq":
        x, y = _fixedlen(p.a, rules, depth), _fixedlen(p.b, rules, depth)
        return None if x is None or y is None else x + y
    if op == "choice":
        x, y = _fixedlen(p.a, rules, depth), _fixedlen(p.b, rules, depth)
        return x if x == y else None
    if op == "cap":
        if p.x in ("runtime",):
            return None
        return 0 if p.a is None else _fixedlen(p.a, rules, depth)
    if op == "call" and rules is not None and depth < 50:
        r = rules.get(p.a)
        return None if r is None else _fixedlen(r, rules, depth + 1)
    if op == "grammar":
        return _fixedlen(p.a[p.b], p.a, depth)
    return None


def _grammar(t: LuaTable) -> Pattern:
    start = t[1]
    rules: dict[Any, Pattern] = {}
    for k, v in t.items():
        if k == 1 and isinstance(v, str):
            continue  # the name of the initial rule
        if not isinstance(v, Pattern):  # LPeg takes only pattern values as rules
            lua_error(f"rule '{ops.tostring(k)}' is not a pattern")
        rules[k] = v
    if isinstance(start, str):
        if start not in rules:
            lua_error(f"rule '{start}' is not defined in given grammar")
        first: Any = start
    else:
        if 1 not in rules:
            lua_error("grammar has no initial rule")
        first = 1

    def check(p: Pattern, seen: set[int]) -> None:
        if id(p) in seen:
            return
        seen.add(id(p))
        if p.op == "call" and p.a not in rules:
            lua_error(f"rule '{ops.tostring(p.a)}' undefined in given grammar")
        if p.op in ("rep",) and _nullable(p.a, rules):
            lua_error("loop body may accept empty string")
        if p.op == "behind" and _fixedlen(p.a, rules) is None:
            lua_error("pattern may not have fixed length")
        for c in (p.a, p.b):
            if isinstance(c, Pattern) and p.op != "grammar":
                check(c, seen)

    seen: set[int] = set()
    for r in rules.values():
        check(r, seen)
    for name in rules:
        _check_left_recursion(rules[name], rules, ())
    return Pattern("grammar", rules, first)


def _check_left_recursion(p: Pattern, rules: dict[Any, Pattern], path: tuple[Any, ...]) -> None:
    """LPeg's verifygrammar: a rule reachable from itself without consuming input.

    ``path`` lists the rules entered through calls.  LPeg follows such a cycle until 1000
    rules (MAXRULES) are on its list and then names the last one that repeats; the cycle
    is periodic, so that rule is computed directly."""
    op = p.op
    if op == "call":
        if p.a in path:
            j = path.index(p.a)
            period = len(path) - j
            culprit = path[j + (999 - j) % period]
            lua_error(f"rule '{ops.tostring(culprit)}' may be left recursive")
        _check_left_recursion(rules[p.a], rules, (*path, p.a))
    elif op == "seq":
        _check_left_recursion(p.a, rules, path)
        if _nullable(p.a, rules):
            _check_left_recursion(p.b, rules, path)
    elif op == "choice":
        _check_left_recursion(p.a, rules, path)
        _check_left_recursion(p.b, rules, path)
    elif op in ("rep", "repmax", "not", "and", "behind"):
        _check_left_recursion(p.a, rules, path)
    elif op == "cap" and p.a is not None:
        _check_left_recursion(p.a, rules, path)


# ---------------------------------------------------------------------------- constructors
def P(v: Any = None, *_: Any) -> Pattern:
    """A pattern from a string, number, boolean, table (grammar), function or pattern."""
    return _getpatt(v, 1)


def R(*ranges: Any) -> Pattern:
    """A set of byte ranges given as two-character strings (``"az"``)."""
    s: set[int] = set()
    for i, r in enumerate(ranges, 1):
        if not isinstance(r, str) or len(r) != 2:
            from nse.lua.errors import arg_error

            arg_error(i, "R", "range must have two characters")
        s.update(range(ord(r[0]), ord(r[1]) + 1))
    return Pattern("set", frozenset(s))


def S(chars: Any = None, *_: Any) -> Pattern:
    """A set of the bytes of a string."""
    from nse.lib._util import check_str

    return Pattern("set", frozenset(ord(c) for c in check_str(chars, 1, "S")))


def V(name: Any = None, *_: Any) -> Pattern:
    """A reference to rule ``name`` of the enclosing grammar."""
    if name is None:
        lua_error("bad argument #1 to 'V' (non-nil value expected)")
    if isinstance(name, float) and name.is_integer():
        name = int(name)
    return Pattern("call", name)


def B(p: Any = None, *_: Any) -> Pattern:
    """Look-behind: matches if ``p`` (of fixed length) matches just before."""
    pp = _getpatt(p, 1)
    n = _fixedlen(pp)
    if n is None:
        if _has_call(pp):
            return Pattern("behind", pp, None)  # checked when the grammar is built
        from nse.lua.errors import arg_error

        arg_error(1, "B", "pattern may not have fixed length")
    return Pattern("behind", pp, n)


def _has_call(p: Pattern) -> bool:
    return p.op == "call" or any(isinstance(c, Pattern) and _has_call(c) for c in (p.a, p.b))


def C(p: Any = None, *_: Any) -> Pattern:
    """Simple capture: the matched substring, then the values of nested captures."""
    return _cap("simple", _getpatt(p, 1))


def Carg(n: Any = None, *_: Any) -> Pattern:
    """The ``n``-th extra argument given to ``match``."""
    from nse.lib._util import check_int

    k = check_int(n, 1, "Carg")
    if not 1 <= k <= 255:
        from nse.lua.errors import arg_error

        arg_error(1, "Carg", "invalid argument index")
    return _cap("arg", None, k)


def Cb(name: Any = None, *_: Any) -> Pattern:
    """Back capture: the values of the latest group capture named ``name``."""
    return _cap("backref", None, name)


def Cc(*values: Any) -> Pattern:
    """Constant capture."""
    return _cap("const", None, values)


def Cf(p: Any = None, f: Any = None, *_: Any) -> Pattern:
    """Fold capture: ``f(...f(f(c1, c2), c3)..., cn)``."""
    if not callable(f):
        from nse.lua.errors import type_error

        type_error(2, "Cf", "function", f)
    return _cap("fold", _getpatt(p, 1), f)


def Cg(p: Any = None, name: Any = None, *_: Any) -> Pattern:
    """Group capture (named when ``name`` is given)."""
    return _cap("group", _getpatt(p, 1), name)


def Cp(*_: Any) -> Pattern:
    """Position capture."""
    return _cap("position", None)


def Cs(p: Any = None, *_: Any) -> Pattern:
    """Substitution capture."""
    return _cap("subst", _getpatt(p, 1))


def Ct(p: Any = None, *_: Any) -> Pattern:
    """Table capture."""
    return _cap("table", _getpatt(p, 1))


def Cmt(p: Any = None, f: Any = None, *_: Any) -> Pattern:
    """Match-time capture: ``f(subject, position, captures...)`` decides at once."""
    if not callable(f):
        from nse.lua.errors import type_error

        type_error(2, "Cmt", "function", f)
    return _cap("runtime", _getpatt(p, 1), f)


def _class(pred: Any) -> Pattern:
    return Pattern("set", frozenset(c for c in range(256) if pred(chr(c))))


_LOCALE = {
    "alnum": lambda c: c.isascii() and c.isalnum(),
    "alpha": lambda c: c.isascii() and c.isalpha(),
    "cntrl": lambda c: ord(c) < 32 or ord(c) == 127,
    "digit": lambda c: "0" <= c <= "9",
    "graph": lambda c: 33 <= ord(c) <= 126,
    "lower": lambda c: "a" <= c <= "z",
    "print": lambda c: 32 <= ord(c) <= 126,
    "punct": lambda c: 33 <= ord(c) <= 126 and not c.isalnum(),
    "space": lambda c: c in " \t\n\v\f\r",
    "upper": lambda c: "A" <= c <= "Z",
    "xdigit": lambda c: c in "0123456789abcdefABCDEF",
}


def locale(t: Any = None, *_: Any) -> LuaTable:
    """Add the C-locale character classes to ``t`` (a new table by default)."""
    out = t if isinstance(t, LuaTable) else LuaTable()
    for name, pred in _LOCALE.items():
        out[name] = _class(pred)
    return out


def type_(v: Any = None, *_: Any) -> Any:
    """``"pattern"`` for a pattern, else nil."""
    return "pattern" if isinstance(v, Pattern) else None


def version(*_: Any) -> str:
    """The LPeg version emulated."""
    return "1.0.2"


def setmaxstack(*_: Any) -> tuple[()]:
    """Accepted for compatibility (the VM stack here is only bounded by memory)."""
    return ()


# ---------------------------------------------------------------------------- compiler
class _Compiler:
    def __init__(self) -> None:
        self.code: list[list[Any]] = []

    def emit(self, *ins: Any) -> int:
        self.code.append(list(ins))
        return len(self.code) - 1

    def here(self) -> int:
        return len(self.code)

    def comp(self, p: Pattern, rules: dict[Any, int] | None) -> None:
        op = p.op
        e = self.emit
        if op == "true":
            return
        if op == "false":
            e("fail")
        elif op == "str":
            e("str", p.a)
        elif op == "set":
            e("set", p.a)
        elif op == "any":
            e("any", p.a)
        elif op == "seq":
            self.comp(p.a, rules)
            self.comp(p.b, rules)
        elif op == "choice":
            c = e("choice", None)
            self.comp(p.a, rules)
            k = e("commit", None)
            self.code[c][1] = self.here()
            self.comp(p.b, rules)
            self.code[k][1] = self.here()
        elif op == "not":
            c = e("choice", None)
            self.comp(p.a, rules)
            e("failtwice")
            self.code[c][1] = self.here()
        elif op == "and":
            c = e("choice", None)
            self.comp(p.a, rules)
            k = e("backcommit", None)
            self.code[c][1] = self.here()
            e("fail")
            self.code[k][1] = self.here()
        elif op == "rep":
            for _ in range(p.b):
                self.comp(p.a, rules)
            if p.a.op == "set":
                e("span", p.a.a)
            else:
                c = e("choice", None)
                top = self.here()
                self.comp(p.a, rules)
                e("partialcommit", top)
                self.code[c][1] = self.here()
        elif op == "repmax":
            fixups = []
            for _ in range(p.b):
                fixups.append(e("choice", None))
                self.comp(p.a, rules)
                k = e("commit", None)
                self.code[k][1] = self.here()
            for c in fixups:
                self.code[c][1] = self.here()
        elif op == "behind":
            n = p.b if p.b is not None else _fixedlen(p.a, self.grammar_rules)
            if n is None:
                lua_error("pattern may not have fixed length")
            e("behind", n)
            self.comp(p.a, rules)
        elif op == "cap":
            kind = p.x
            if p.a is None:
                e("fullcap", kind, p.b)
            elif kind == "runtime":
                e("opencap", kind, p.b)
                self.comp(p.a, rules)
                e("closeruntime")
            else:
                e("opencap", kind, p.b)
                self.comp(p.a, rules)
                e("closecap")
        elif op == "call":
            if rules is None:
                lua_error(f"rule '{ops.tostring(p.a)}' used outside a grammar")
            e("call", p.a)
        elif op == "grammar":
            saved = getattr(self, "grammar_rules", None)
            self.grammar_rules = p.a
            labels: dict[Any, int] = {}
            c = e("call", p.b)
            j = e("jmp", None)
            for name, r in p.a.items():
                labels[name] = self.here()
                self.comp(r, labels)
                e("ret")
            self.code[j][1] = self.here()
            # resolve calls of this grammar (only those still symbolic, from c on)
            for k in range(c, self.here()):
                ins = self.code[k]
                if ins[0] == "call" and not isinstance(ins[1], _Label):
                    ins[1] = _Label(labels[ins[1]])
            self.grammar_rules = saved
        else:  # pragma: no cover
            raise AssertionError(op)

    grammar_rules: Any = None


class _Label(int):
    """A resolved instruction address (distinguishes resolved calls from rule names)."""


def _compile(p: Pattern) -> list[tuple[Any, ...]]:
    if p._code is None:
        c = _Compiler()
        c.comp(p, None)
        c.emit("end")
        code = c.code
        # tail calls: a call followed (directly or through jumps) by ret becomes a jump
        for k, ins in enumerate(code):
            if ins[0] == "call" and _target_is_ret(code, k + 1):
                ins[0] = "jmp"
        p._code = [tuple(i) for i in code]
    return p._code


def _target_is_ret(code: list[list[Any]], k: int) -> bool:
    for _ in range(10):
        ins = code[k]
        if ins[0] == "ret":
            return True
        if ins[0] in ("jmp", "commit") and ins[1] is not None:
            # "commit" to a ret after the call is not a plain continuation; only jmp
            if ins[0] == "commit":
                return False
            k = ins[1]
            continue
        return False
    return False


# ---------------------------------------------------------------------------- VM
#: bound on the VM stack (LPeg's default is 400 backtrack entries, raised with
#: setmaxstack; calls count too).  Large enough for real grammars, small enough that a
#: runaway pattern fails instead of exhausting memory.
_MAXSTACK = 200_000


class _Cap:
    __slots__ = ("kind", "pos", "data", "close", "values")

    def __init__(self, kind: str, pos: int, data: Any, close: int | None = None) -> None:
        self.kind = kind
        self.pos = pos
        self.data = data
        self.close = close  # index of the matching close entry (open captures)
        self.values: tuple[Any, ...] | None = None


def _init_pos(init: Any, n: int) -> int:
    if init is None:
        return 0
    from nse.lib._util import check_int

    i = check_int(init, 3, "match")
    if i > 0:
        return min(i - 1, n)
    if i < 0:
        return max(n + i, 0)
    return 0


def match(p: Any = None, subject: Any = None, init: Any = None, *args: Any) -> Any:
    """Match ``p`` against ``subject`` from ``init``: the captures' values, or the position
    after the match when there are none; nil on failure."""
    from nse.lib._util import check_str

    patt = _getpatt(p, 1)
    s = check_str(subject, 2, "match")
    code = _compile(patt)
    i = _init_pos(init, len(s))
    r = _run(code, s, i, args)
    if r is None:
        return None
    end, caps = r
    vals = _Evaluator(s, caps, args).all()
    if not vals:
        return end + 1
    return tuple(vals)


def _run(
    code: list[tuple[Any, ...]], s: str, i: int, args: tuple[Any, ...]
) -> tuple[int, list[_Cap]] | None:
    n = len(s)
    stack: list[list[Any]] = []  # [pos or None (call), return pc, ncaps]
    caps: list[_Cap] = []
    opens: list[int] = []  # indices of open captures not closed yet (for close pairing)
    pc = 0
    while True:
        ins = code[pc]
        op = ins[0]
        fail = False
        if op == "str":
            lit = ins[1]
            if s.startswith(lit, i):
                i += len(lit)
                pc += 1
            else:
                fail = True
        elif op == "set":
            if i < n and ord(s[i]) in ins[1]:
                i += 1
                pc += 1
            else:
                fail = True
        elif op == "any":
            if i + ins[1] <= n:
                i += ins[1]
                pc += 1
            else:
                fail = True
        elif op == "span":
            st = ins[1]
            while i < n and ord(s[i]) in st:
                i += 1
            pc += 1
        elif op == "choice":
            if len(stack) > _MAXSTACK:
                lua_error(f"backtrack stack overflow (current limit is {_MAXSTACK})")
            stack.append([i, ins[1], len(caps), len(opens)])
            pc += 1
        elif op == "commit":
            stack.pop()
            pc = ins[1]
        elif op == "partialcommit":
            top = stack[-1]
            top[0] = i
            top[2] = len(caps)
            top[3] = len(opens)
            pc = ins[1]
        elif op == "backcommit":
            e = stack.pop()
            i = e[0]
            del caps[e[2] :]
            del opens[e[3] :]
            pc = ins[1]
        elif op == "failtwice":
            stack.pop()
            fail = True
        elif op == "fail":
            fail = True
        elif op == "call":
            if len(stack) > _MAXSTACK:
                lua_error(f"backtrack stack overflow (current limit is {_MAXSTACK})")
            stack.append([None, pc + 1, 0, 0])
            pc = ins[1]
        elif op == "jmp":
            pc = ins[1]
        elif op == "ret":
            pc = stack.pop()[1]
        elif op == "end":
            return i, caps
        elif op == "behind":
            if ins[1] > i:
                fail = True
            else:
                i -= ins[1]
                pc += 1
        elif op == "fullcap":
            caps.append(_Cap(ins[1], i, ins[2], close=-1))
            pc += 1
        elif op == "opencap":
            opens.append(len(caps))
            caps.append(_Cap(ins[1], i, ins[2]))
            pc += 1
        elif op == "closecap":
            k = opens.pop()
            caps.append(_Cap("close", i, None))
            caps[k].close = len(caps) - 1
            pc += 1
        elif op == "closeruntime":
            k = opens.pop()
            caps.append(_Cap("close", i, None))
            caps[k].close = len(caps) - 1
            opencap = caps[k]
            vals = _Evaluator(s, caps, args).nested_values(k + 1, len(caps) - 1)
            res = ops.mv(ops.call(opencap.data, s, i + 1, *vals))
            first = res[0] if res else None
            if first is None or first is False:
                fail = True
            else:
                if first is not True:
                    from nse.lua.numfmt import tointeger

                    newpos = tointeger(first) if isinstance(first, int | float) else None
                    if newpos is None or not (i + 1 <= newpos <= n + 1):
                        lua_error("invalid position returned by match-time capture")
                    i = newpos - 1
                del caps[k:]
                if len(res) > 1:
                    c = _Cap("const", i, tuple(res[1:]), close=-1)
                    caps.append(c)
                pc += 1
        else:  # pragma: no cover
            raise AssertionError(op)
        if fail:
            while stack and stack[-1][0] is None:
                stack.pop()
            if not stack:
                return None
            e = stack.pop()
            i, pc = e[0], e[1]
            del caps[e[2] :]
            del opens[e[3] :]


# ---------------------------------------------------------------------------- captures
class _Evaluator:
    """Turns the flat capture list into values (lpcap.c)."""

    def __init__(self, s: str, caps: list[_Cap], args: tuple[Any, ...]) -> None:
        self.s = s
        self.caps = caps
        self.args = args

    def _end(self, k: int) -> int:
        """Index after capture k (and its nested entries)."""
        c = self.caps[k]
        if c.close is None or c.close == -1:
            return k + 1
        return c.close + 1

    def _text(self, k: int) -> str:
        c = self.caps[k]
        if c.close is None or c.close == -1:
            return ""
        return self.s[c.pos : self.caps[c.close].pos]

    def all(self) -> list[Any]:
        return self.nested_values(0, len(self.caps))

    def nested_values(self, a: int, b: int) -> list[Any]:
        out: list[Any] = []
        k = a
        while k < b:
            out.extend(self.push(k))
            k = self._end(k)
        return out

    def _inner(self, k: int) -> tuple[int, int]:
        c = self.caps[k]
        if c.close is None or c.close == -1:
            return k + 1, k + 1
        return k + 1, c.close

    def nested_or_match(self, k: int) -> list[Any]:
        a, b = self._inner(k)
        vals = self.nested_values(a, b)
        return vals if vals else [self._text(k)]

    def one_nested(self, k: int) -> Any:
        return self.nested_or_match(k)[0]

    def push(self, k: int) -> list[Any]:
        c = self.caps[k]
        kind = c.kind
        if kind == "position":
            return [c.pos + 1]
        if kind == "const":
            return list(c.data)
        if kind == "arg":
            if c.data > len(self.args):
                lua_error(f"reference to absent extra argument #{c.data}")
            return [self.args[c.data - 1]]
        if kind == "simple":
            a, b = self._inner(k)
            return [self._text(k), *self.nested_values(a, b)]
        if kind == "group":
            if c.data is not None:
                return []
            a, b = self._inner(k)
            return self.nested_values(a, b)
        if kind == "backref":
            g = self._find_group(k, c.data)
            a, b = self._inner(g)
            return self.nested_values(a, b)
        if kind == "table":
            t = LuaTable()
            a, b = self._inner(k)
            j = a
            n = 1
            while j < b:
                cj = self.caps[j]
                if cj.kind == "group" and cj.data is not None:
                    t[cj.data] = self.one_nested(j)
                else:
                    for v in self.push(j):
                        t[n] = v
                        n += 1
                j = self._end(j)
            return [t]
        if kind == "subst":
            return [self._subst(k)]
        if kind == "string":
            return [self._stringcap(k)]
        if kind == "num":
            if c.data == 0:
                return []
            vals = self.nested_or_match(k)
            if c.data > len(vals):
                lua_error(f"no capture '{c.data}'")
            return [vals[c.data - 1]]
        if kind == "query":
            key = self.one_nested(k)
            v = ops.index(c.data, key)
            return [] if v is None else [v]
        if kind == "function":
            return list(ops.mv(ops.call(c.data, *self.nested_or_match(k))))
        if kind == "fold":
            a, b = self._inner(k)
            if a >= b:
                lua_error("no initial value for fold capture")
            first = self.push(a)
            if not first:
                lua_error("no initial value for fold capture")
            acc = first[0]
            j = self._end(a)
            while j < b:
                acc = ops.first(ops.call(c.data, acc, *self.push(j)))
                j = self._end(j)
            return [acc]
        if kind == "runtime":  # pragma: no cover - replaced at match time
            return []
        raise AssertionError(kind)  # pragma: no cover

    def _find_group(self, k: int, name: Any) -> int:
        # the latest complete, outermost group with that name before k
        j = 0
        found = -1
        while j < k:
            c = self.caps[j]
            end = self._end(j)
            if c.kind == "group" and ops.eq(c.data, name) and end <= k:
                found = j
                j = end
                continue
            if end > k:  # k is nested inside j: look inside
                j += 1
                continue
            j = end
        if found < 0:
            lua_error(f"back reference '{ops.tostring(name)}' not found")
        return found

    def _onestring(self, k: int, what: str) -> str | None:
        vals = self.push(k)
        if not vals:
            return None
        v = vals[0]
        if isinstance(v, str):
            return v
        if isinstance(v, int | float) and not isinstance(v, bool):
            return ops.tostring(v)
        return lua_error(f"invalid {what} value (a {ops.type_(v)})")

    def _subst(self, k: int) -> str:
        c = self.caps[k]
        a, b = self._inner(k)
        if a >= b:
            return self._text(k)
        out = []
        curr = c.pos
        j = a
        while j < b:
            cj = self.caps[j]
            out.append(self.s[curr : cj.pos])
            v = self._onestring(j, "replacement")
            if v is not None:
                out.append(v)
                curr = self.caps[cj.close].pos if cj.close not in (None, -1) else cj.pos
            else:
                curr = cj.pos
            j = self._end(j)
        out.append(self.s[curr : self.caps[c.close].pos])  # type: ignore[index]
        return "".join(out)

    def _stringcap(self, k: int) -> str:
        fmt = self.caps[k].data
        a, b = self._inner(k)
        items = []
        j = a
        while j < b:
            items.append(j)
            j = self._end(j)
        out = []
        i = 0
        while i < len(fmt):
            ch = fmt[i]
            if ch != "%":
                out.append(ch)
                i += 1
                continue
            i += 1
            d = fmt[i] if i < len(fmt) else ""
            i += 1
            if not d.isdigit():
                if d == "%":
                    out.append("%")
                    continue
                lua_error("invalid use of '%' in replacement string")
            idx = int(d)
            if idx == 0:
                out.append(self._text(k))
            elif idx > len(items):
                lua_error(f"invalid capture index ({idx})")
            else:
                v = self._onestring(items[idx - 1], "capture")
                out.append(v if v is not None else self._text(items[idx - 1]))
        return "".join(out)
