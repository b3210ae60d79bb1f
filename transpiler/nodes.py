"""The Lua syntax tree the parser builds and the code generator consumes.

Names are already resolved (as ``lparser.c`` does while parsing): a :class:`Name` node says
whether it is a local of the current function, an upvalue, or a global (an index of the
visible ``_ENV``).  Every node carries the Lua line number that error messages use.
"""

from __future__ import annotations

from typing import Any


class Var:
    """One Lua local variable (or parameter, or for-loop control variable)."""

    __slots__ = ("name", "attrib", "func", "in_loop", "captured", "const_value",
                 "has_const", "pyname", "cell")

    def __init__(self, name: str, func: Any, attrib: str | None = None) -> None:
        self.name = name
        self.attrib = attrib  # None, "const" or "close"
        self.func = func  # the FuncState that declares it
        self.in_loop = False  # declared inside a loop body of its function
        self.captured = False  # referenced by a nested function
        self.has_const = False  # compile-time constant (manual section 3.3.7)
        self.const_value: Any = None  # the literal node when has_const
        self.pyname = ""  # Python identifier, chosen by the code generator
        self.cell = False  # stored in a one-element list (fresh binding per iteration)

    def __repr__(self) -> str:
        return f"Var({self.name})"


class Node:
    __slots__ = ("line",)
    line: int


# ------------------------------------------------------------------ expressions
class Nil(Node):
    __slots__ = ()


class TrueE(Node):
    __slots__ = ()


class FalseE(Node):
    __slots__ = ()


class Number(Node):
    __slots__ = ("value",)

    def __init__(self, value: int | float) -> None:
        self.value = value


class String(Node):
    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value


class Vararg(Node):
    __slots__ = ()


class Name(Node):
    """A variable reference: ``kind`` is "local", "upval" or "global".

    For a global, ``var`` is the ``_ENV`` variable in scope and ``name`` the key."""

    __slots__ = ("kind", "var", "name")

    def __init__(self, kind: str, var: Var, name: str) -> None:
        self.kind = kind
        self.var = var
        self.name = name


class Index(Node):
    __slots__ = ("obj", "key")

    def __init__(self, obj: Node, key: Node) -> None:
        self.obj = obj
        self.key = key


class Call(Node):
    __slots__ = ("func", "args")

    def __init__(self, func: Node, args: list[Node]) -> None:
        self.func = func
        self.args = args


class MethodCall(Node):
    __slots__ = ("obj", "name", "args")

    def __init__(self, obj: Node, name: str, args: list[Node]) -> None:
        self.obj = obj
        self.name = name
        self.args = args


class Paren(Node):
    """``(e)``: truncates a multi-valued expression to one value."""

    __slots__ = ("expr",)

    def __init__(self, expr: Node) -> None:
        self.expr = expr


class BinOp(Node):
    __slots__ = ("op", "left", "right")

    def __init__(self, op: str, left: Node, right: Node) -> None:
        self.op = op
        self.left = left
        self.right = right


class UnOp(Node):
    __slots__ = ("op", "operand")

    def __init__(self, op: str, operand: Node) -> None:
        self.op = op
        self.operand = operand


class Table(Node):
    """``items``: list of (key or None for positional, value)."""

    __slots__ = ("items",)

    def __init__(self, items: list[tuple[Node | None, Node]]) -> None:
        self.items = items


class Function(Node):
    __slots__ = ("params", "is_vararg", "body", "fs", "name", "endline")

    def __init__(self, params: list[Var], is_vararg: bool, body: Block, fs: Any,
                 name: str) -> None:
        self.params = params
        self.is_vararg = is_vararg
        self.body = body
        self.fs = fs
        self.name = name
        self.endline = 0


# ------------------------------------------------------------------ statements
class Block(Node):
    """A list of statements; ``labels`` are the labels defined directly in it."""

    __slots__ = ("stats", "labels", "is_loop_body", "loop")

    def __init__(self) -> None:
        self.stats: list[Node] = []
        self.labels: list[Label] = []
        self.is_loop_body = False
        self.loop: Node | None = None


class Local(Node):
    __slots__ = ("vars", "exprs")

    def __init__(self, vars: list[Var], exprs: list[Node]) -> None:
        self.vars = vars
        self.exprs = exprs


class Assign(Node):
    __slots__ = ("targets", "exprs")

    def __init__(self, targets: list[Node], exprs: list[Node]) -> None:
        self.targets = targets
        self.exprs = exprs


class CallStat(Node):
    __slots__ = ("call",)

    def __init__(self, call: Node) -> None:
        self.call = call


class Do(Node):
    __slots__ = ("body",)

    def __init__(self, body: Block) -> None:
        self.body = body


class While(Node):
    __slots__ = ("cond", "body")

    def __init__(self, cond: Node, body: Block) -> None:
        self.cond = cond
        self.body = body


class Repeat(Node):
    __slots__ = ("body", "cond")

    def __init__(self, body: Block, cond: Node) -> None:
        self.body = body
        self.cond = cond


class If(Node):
    """``clauses``: list of (condition, block, line); ``orelse`` a block or None."""

    __slots__ = ("clauses", "orelse")

    def __init__(self, clauses: list[tuple[Node, Block, int]], orelse: Block | None) -> None:
        self.clauses = clauses
        self.orelse = orelse


class NumFor(Node):
    __slots__ = ("var", "start", "stop", "step", "body")

    def __init__(self, var: Var, start: Node, stop: Node, step: Node | None,
                 body: Block) -> None:
        self.var = var
        self.start = start
        self.stop = stop
        self.step = step
        self.body = body


class GenFor(Node):
    __slots__ = ("vars", "exprs", "body")

    def __init__(self, vars: list[Var], exprs: list[Node], body: Block) -> None:
        self.vars = vars
        self.exprs = exprs
        self.body = body


class LocalFunction(Node):
    __slots__ = ("var", "func")

    def __init__(self, var: Var, func: Function) -> None:
        self.var = var
        self.func = func


class FunctionStat(Node):
    """``function a.b.c()`` / ``function a.b:m()``: ``target`` is a Name or Index."""

    __slots__ = ("target", "func")

    def __init__(self, target: Node, func: Function) -> None:
        self.target = target
        self.func = func


class Return(Node):
    __slots__ = ("exprs",)

    def __init__(self, exprs: list[Node]) -> None:
        self.exprs = exprs


class Break(Node):
    __slots__ = ("loop",)

    def __init__(self) -> None:
        self.loop: Node | None = None


class Goto(Node):
    __slots__ = ("label", "target")

    def __init__(self, label: str) -> None:
        self.label = label
        self.target: Label | None = None


class Label(Node):
    """``::name::``.  ``block``/``index``: where it is; ``at_end``: only void statements
    follow it in its block; ``used``: some goto jumps to it."""

    __slots__ = ("name", "block", "index", "at_end", "used", "backward")

    def __init__(self, name: str, block: Block, index: int) -> None:
        self.name = name
        self.block = block
        self.index = index
        self.at_end = False
        self.used = False
        self.backward = False
