"""Lua errors: the exception type, error positions, argument checking, conversion of
stray Python exceptions.

Lua code versus runtime code
    A frame runs *Lua code* when its code object's ``co_filename`` is a Lua chunk name
    (the transpiler compiles with ``co_filename`` = ``"foo.nse"``, ``[string "..."]``, ...),
    i.e. it does not end in ``.py`` and does not start with ``<`` (Python's own
    ``<string>``, ``<frozen ...>``).  A transpiled module imported from a ``.py`` file counts
    as Lua code when its globals define ``__lua_names__`` or ``__lua_chunk__``.
    :func:`where` counts Lua frames only, so ``where(1)`` is the innermost Lua frame (the
    caller of the library function that raises), ``where(2)`` the one that called it...

Variable names in messages (rt.py "Error names")
    :func:`describe` finds the innermost Lua frame's current instruction (the ``CALL`` of
    the operator helper), takes its ``(lineno, col_offset)`` from ``co_positions()`` and
    looks it up in the chunk's ``__lua_names__`` dict.
"""

from __future__ import annotations

import dis
import sys
from collections.abc import Iterator
from itertools import islice
from types import CodeType, FrameType, TracebackType
from typing import Any, NoReturn

from nse.lua.luatable import LuaTable
from nse.lua.numfmt import fmt_number, str2number, tointeger

__all__ = [
    "LuaError",
    "NOARG",
    "typename",
    "is_lua_code",
    "lua_pos",
    "lua_frames",
    "where",
    "c_boundary",
    "register_qualnames",
    "describe",
    "lua_error",
    "op_error",
    "call_error",
    "objtypename",
    "arg_error",
    "type_error",
    "check_int",
    "check_num",
    "check_str",
    "check_table",
    "check_any",
    "opt_int",
    "opt_num",
    "opt_str",
    "from_python_exception",
    "traceback_string",
    "tb_string",
    "PRE_ADJUSTED_MODULES",
    "VM_MODULES",
    "vm_error",
]


class _NoArg:
    """Marks an argument that was not passed at all (Lua's "no value", unlike nil)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOARG"


#: Default for library parameters where Lua distinguishes "no value" from nil.
NOARG: Any = _NoArg()


class LuaError(Exception):
    """A Lua error carrying any Lua value (``error(value)``)."""

    def __init__(self, value: Any = None, lua_traceback: str | None = None) -> None:
        super().__init__(value)
        self.value = value
        self._lua_tb = lua_traceback

    @property
    def lua_traceback(self) -> str:
        """``stack traceback:`` of the Lua frames the error went through (computed on
        first access from the Python traceback, so pcall stays cheap)."""
        if self._lua_tb is None:
            exc: BaseException = self
            if self.__cause__ is not None and self.__traceback__ is None:
                exc = self.__cause__
            self._lua_tb = tb_string(exc.__traceback__)
        return self._lua_tb

    @lua_traceback.setter
    def lua_traceback(self, text: str | None) -> None:
        self._lua_tb = text

    def __str__(self) -> str:
        v = self.value
        if type(v) is str:
            return v
        if type(v) is int or type(v) is float:
            return fmt_number(v)
        mt = v.meta if isinstance(v, LuaTable) else None
        if mt is not None and mt["__tostring"] is not None:
            from nse.lua.ops import tostring

            return str(tostring(v))
        return f"(error object is a {typename(v)} value)"


def typename(v: Any) -> str:
    """The Lua type name of a value."""
    t = type(v)
    if v is None:
        return "nil"
    if t is str:
        return "string"
    if t is int or t is float:
        return "number"
    if t is LuaTable:
        return "table"
    if t is bool:
        return "boolean"
    if v is NOARG:
        return "no value"
    if isinstance(v, LuaTable):
        return "table"
    from nse.lua.coroutine import Coroutine

    if isinstance(v, Coroutine):
        return "thread"
    if callable(v):
        return "function"
    return "userdata"


# ---------------------------------------------------------------------------- frames
_lua_code_cache: dict[CodeType, bool] = {}


def is_lua_code(code: CodeType, f_globals: dict[str, Any] | None = None) -> bool:
    """True when ``code`` is transpiled Lua code (see module docstring)."""
    r = _lua_code_cache.get(code)
    if r is None:
        fn = code.co_filename
        if fn.endswith(".py") or fn.startswith("<"):
            r = f_globals is not None and (
                "__lua_names__" in f_globals or "__lua_chunk__" in f_globals
            )
        else:
            r = True
        if len(_lua_code_cache) > 10000:
            _lua_code_cache.clear()
        _lua_code_cache[code] = r
    return r


def lua_pos(code: CodeType, f_globals: dict[str, Any], line: int) -> str:
    """``"chunk:line"`` of a Lua code position.  Code compiled by the transpiler carries
    the chunk name and Lua lines itself; a module converted to a ``.py`` file (``nse
    convert``) is run from the .py text, so its ``__lua_chunk__`` and ``__lua_lines__``
    (Lua line of each line of the text) translate the position back to the Lua file."""
    lines = f_globals.get("__lua_lines__")
    if lines is not None and code.co_filename.endswith(".py"):
        chunk = f_globals.get("__lua_chunk__")
        if type(chunk) is str and type(lines) is tuple and 0 < line < len(lines) \
                and lines[line]:
            return f"{chunk}:{lines[line]}"
    return f"{code.co_filename}:{line}"


def lua_frames(frame: FrameType | None = None) -> Iterator[FrameType]:
    """The Lua frames of the current stack, innermost first."""
    f: FrameType | None = frame if frame is not None else sys._getframe(1)
    while f is not None:
        if is_lua_code(f.f_code, f.f_globals):
            yield f
        f = f.f_back


#: Code objects of runtime functions that call Lua functions the way C functions do
#: (pcall, xpcall, sort's comparator, gsub's replacement...): each counts as one level
#: for :func:`where`, and as in Lua that level has no position ("[C]").
_boundaries: set[CodeType] = set()
#: Qualified names ("string.format") of library functions, by code object: luaL_argerror
#: names a function called from C (e.g. directly by pcall) by its global name.
_qualnames: dict[CodeType, str] = {}


def c_boundary(fn: Any) -> Any:
    """Mark a Python function as a C-level caller of Lua values (decorator)."""
    code = getattr(fn, "__code__", None)
    if code is not None:
        _boundaries.add(code)
    return fn


def register_qualnames(prefix: str, lib: LuaTable) -> None:
    """Remember ``prefix + name`` for the Python functions of a library table."""
    for k, v in lib.items():
        code = getattr(v, "__code__", None)
        if type(k) is str and code is not None:
            _qualnames.setdefault(code, prefix + k)


#: Modules whose functions are C functions of lua5.4's standard library (a level of
#: their own, without position, when Lua code calls one: lua_getstack counts them).
_C_LIBS = frozenset(
    "nse.lua." + m
    for m in ("baselib", "strlib", "lpattern", "strformat", "strpack", "tablib", "mathlib",
              "utf8lib", "oslib", "iolib", "coroutine")
)  # fmt: skip
_OPS_MODULE = "nse.lua.ops"


def _locate(level: int, frame: FrameType | None) -> tuple[str, FrameType | None]:
    """(position of the function at ``level``, the frame called by a C boundary when
    that level is one).

    Levels are counted as lua_getstack does: each Lua function, each C boundary
    (pcall, sort's comparator call...), and each library ("C") function that Lua code
    called once a level is being looked for above it (the library function raising
    the error is level 0 itself).  A Lua function that tail-called the level just
    counted has no level of its own; a Lua function reaching the next one through an
    operator helper (``return t + 1`` running __add) did not tail-call it."""
    inner: FrameType | None = None
    f = frame
    after_lua = False  # the level just counted is a Lua function (or a C function)
    seen = False  # a level has been counted: library functions count from now on
    c_level = False  # the level just counted is a C boundary (the C function itself)
    while f is not None:
        code = f.f_code
        g = f.f_globals
        if is_lua_code(code, g):
            # a Lua function that tail-called the one just counted has no level of its
            # own in Lua (its frame was reused): skip it
            if not (after_lua and _in_tail_call(code, f.f_lasti)):
                level -= 1
                if level == 0:
                    return f"{lua_pos(code, g, f.f_lineno)}: ", None
            after_lua = True
            seen = True
            c_level = False
        elif code in _boundaries:
            level -= 1
            if level == 0:
                return "", inner
            after_lua = False
            seen = True
            c_level = True
        else:
            mod = g.get("__name__")
            if mod == _OPS_MODULE:
                after_lua = False
            elif (seen and not c_level and mod in _C_LIBS and f.f_back is not None
                  and is_lua_code(f.f_back.f_code, f.f_back.f_globals)):
                # a library function called by Lua code, above the level counted
                level -= 1
                if level == 0:
                    return "", inner
                after_lua = True  # "return string.gsub(...)" is a tail call of it
                c_level = True
        inner = f
        f = f.f_back
    return "", None


_CALL = dis.opmap["CALL"]
_CACHE = dis.opmap["CACHE"]
_RETURN = dis.opmap["RETURN_VALUE"]
_tail_cache: dict[tuple[CodeType, int], bool] = {}


def _in_tail_call(code: CodeType, lasti: int) -> bool:
    """Is the instruction at ``lasti`` a call whose result is returned directly?
    (``return f(x)``: a Lua tail call, CALL followed by RETURN_VALUE)."""
    key = (code, lasti)
    r = _tail_cache.get(key)
    if r is None:
        co = code.co_code
        r = False
        # during a call, f_lasti points at the last inline CACHE entry of the CALL
        j = lasti
        while j > 0 and j < len(co) and co[j] == _CACHE:
            j -= 2
        if 0 <= j < len(co) and co[j] == _CALL:
            i = lasti + 2
            while i < len(co) and co[i] == _CACHE:
                i += 2
            r = i < len(co) and co[i] == _RETURN
        if len(_tail_cache) > 10000:
            _tail_cache.clear()
        _tail_cache[key] = r
    return r


def where(level: int = 1) -> str:
    """``"chunk:line: "`` of the Lua function at ``level`` (1 = the innermost Lua
    function, or ``""`` when that level is a C-like caller such as pcall)."""
    if level <= 0:
        return ""
    return _locate(level, sys._getframe(1))[0]


def _names_at(code: CodeType, f_globals: dict[str, Any], lasti: int) -> tuple[Any, ...] | None:
    names = f_globals.get("__lua_names__")
    if not names or lasti < 0:
        return None
    pos = next(islice(code.co_positions(), lasti // 2, None), None)
    if pos is None:
        return None
    r = names.get((pos[0], pos[2]))
    return r if isinstance(r, tuple) else None


def describe(argi: int, frame: FrameType | None = None, lasti: int | None = None) -> str:
    """`` (local 'x')`` for argument ``argi`` of the operator call being executed by the
    innermost Lua frame (or by ``frame`` at ``lasti``), or ``""`` when unknown."""
    if frame is None:
        frame = _vm_frame(sys._getframe(1))
        if frame is None:
            return ""
    names = _names_at(frame.f_code, frame.f_globals, frame.f_lasti if lasti is None else lasti)
    if names is None or argi >= len(names) or not names[argi]:
        return ""
    return f" ({names[argi]})"


# ---------------------------------------------------------------------------- raising
def lua_error(msg: str, level: int = 1) -> NoReturn:
    """Raise ``LuaError(where(level) + msg)`` (luaL_error)."""
    raise LuaError(where(level) + msg)


#: Modules that play the part of Lua's virtual machine (operators, tables, the
#: transpiler's statement helpers).  Every other Python frame between an error and the
#: Lua code is a "C function" (a library function), and like lua5.4 (luaG_runerror only
#: adds a position when the running function is Lua) the error then has no position:
#: ``table.sort({1, "x"})`` reads "attempt to compare number with string".
VM_MODULES: set[str] = {"nse.lua.ops", "nse.lua.errors", "nse.lua.luatable", "transpiler.rtx"}


def _vm_frame(frame: FrameType | None) -> FrameType | None:
    """The Lua frame executing the current VM operation, or None when a library (C)
    function stands between (or there is no Lua code at all)."""
    f = frame
    while f is not None:
        g = f.f_globals
        if is_lua_code(f.f_code, g):
            return f
        if g.get("__name__") not in VM_MODULES:
            return None
        f = f.f_back
    return None


def op_error(msg: str, argi: int | None = None) -> NoReturn:
    """Raise a runtime error of an operator (luaG_runerror): position + msg + variable
    description when Lua code is running the operation, the bare message when a library
    function is."""
    frame = _vm_frame(sys._getframe(1))
    if frame is None:
        raise LuaError(msg)
    pos = f"{lua_pos(frame.f_code, frame.f_globals, frame.f_lineno)}: "
    desc = describe(argi, frame) if argi is not None else ""
    raise LuaError(pos + msg + desc)


def vm_error(msg: str) -> NoReturn:
    """luaG_runerror without a variable name (e.g. "table index is nil")."""
    frame = _vm_frame(sys._getframe(1))
    if frame is None:
        raise LuaError(msg)
    raise LuaError(f"{lua_pos(frame.f_code, frame.f_globals, frame.f_lineno)}: {msg}")


def objtypename(v: Any) -> str:
    """luaT_objtypename: a table's (or userdata's) metatable ``__name`` when it is a
    string, else the type name; what "attempt to call a X value" names."""
    mt = v._lt_meta if isinstance(v, LuaTable) else getattr(v, "__lua_meta__", None)
    if isinstance(mt, LuaTable):
        n = mt["__name"]
        if type(n) is str:
            return n
    return typename(v)


def call_error(v: Any, argi: int = 0) -> NoReturn:
    """Raise "attempt to call a X value (global 'f')" for calling a non-function."""
    op_error(f"attempt to call a {objtypename(v)} value", argi)


#: Library modules whose method functions number their arguments without ``self``
#: already (written before arg_error learnt to do it); transitional: such a module should
#: pass the C code's argument positions (self = 1), as lua5.4's sources do.
PRE_ADJUSTED_MODULES: set[str] = {"nse.lua.iolib"}


def _callsite(frame: FrameType | None) -> str | None:
    """How the Lua code calling the library function raising an error names the callee
    (``"local 'ins'"``, ``"method 'rep'"``: the transpiler's ``__lua_names__`` entry of
    the call, as ldebug.c getfuncname finds it); ``"method"`` when it was called by
    ``ops.invoke``; None for a C-like caller or when unknown."""
    from nse.lua import ops

    code = ops.invoke.__code__
    f = frame
    adjusted = False  # passed a module numbering method arguments itself (iolib)
    while f is not None:
        c = f.f_code
        if c is code:
            return None if adjusted else "method"
        if c in _boundaries:
            return None
        if f.f_globals.get("__name__") in PRE_ADJUSTED_MODULES:
            adjusted = True
        elif is_lua_code(c, f.f_globals):
            names = _names_at(c, f.f_globals, f.f_lasti)
            d = names[0] if names else None
            if type(d) is not str or (adjusted and d.startswith("method")):
                return None
            return d
        f = f.f_back
    return None


def _called_as_method(frame: FrameType | None) -> bool:
    """True when the library function raising the error was called by ``ops.invoke``
    (a method call ``o:name(...)``) rather than by Lua code or a C-like caller."""
    d = _callsite(frame)
    # the transpiler describes the callee of ``o:name(...)`` as "method 'name'"
    return d is not None and d.startswith("method")


def arg_error(argn: int, fname: str, extramsg: str) -> NoReturn:
    """Raise "bad argument #argn to 'fname' (extramsg)" (luaL_argerror).

    As in Lua, a library function called directly by pcall (a C caller) gets no position
    and is named by its qualified global name ("string.rep"); for a method call
    (``s:sub({})``) the self argument is not counted ("calling 'sub' on bad self")."""
    frame = sys._getframe(1)
    pos, inner = _locate(1, frame)
    if inner is not None:
        fname = _qualnames.get(inner.f_code, fname)
    else:
        # lauxlib.c luaL_argerror: ar.name from getinfo "n" is the name the call site
        # used ("local 'ins'" -> 'ins'); only without one the global name is searched
        d = _callsite(frame)
        if d is not None:
            q = d.find("'")
            if q > 0 and d.endswith("'") and d[:q] in ("global ", "local ", "upvalue ",
                                                       "field ", "method ", "constant "):
                fname = d[q + 1 : -1]
            if d.startswith("method"):
                argn -= 1
                if argn == 0:
                    raise LuaError(f"{pos}calling '{fname}' on bad self ({extramsg})")
    raise LuaError(f"{pos}bad argument #{argn} to '{fname}' ({extramsg})")


def type_error(argn: int, fname: str, expected: str, got: Any) -> NoReturn:
    """Raise "bad argument #n to 'f' (expected expected, got T)" (luaL_typeerror)."""
    mt = got.meta if isinstance(got, LuaTable) else None
    tn = mt["__name"] if mt is not None else None
    if type(tn) is not str:
        tn = typename(got)
    arg_error(argn, fname, f"{expected} expected, got {tn}")


# ---------------------------------------------------------------------------- checkers
def check_int(v: Any, argn: int, fname: str) -> int:
    """luaL_checkinteger: ints, floats with an integral value, numeric strings."""
    if type(v) is int:
        return v
    if type(v) is str:
        n = str2number(v)
        if n is None:
            type_error(argn, fname, "number", v)
        if type(n) is int:
            return n
        v = n
    if type(v) is float:
        i = tointeger(v)
        if i is None:
            arg_error(argn, fname, "number has no integer representation")
        return i
    type_error(argn, fname, "number", v)


def check_num(v: Any, argn: int, fname: str) -> int | float:
    """luaL_checknumber: numbers and numeric strings (the number keeps its subtype)."""
    if type(v) is int or type(v) is float:
        return v
    if type(v) is str:
        n = str2number(v)
        if n is not None:
            return n
    type_error(argn, fname, "number", v)


def check_str(v: Any, argn: int, fname: str) -> str:
    """luaL_checklstring: strings; numbers are converted as ``tostring`` does."""
    if type(v) is str:
        return v
    if type(v) is int or type(v) is float:
        return fmt_number(v)
    type_error(argn, fname, "string", v)


def check_table(v: Any, argn: int, fname: str) -> LuaTable:
    """luaL_checktype(LUA_TTABLE)."""
    if isinstance(v, LuaTable):
        return v
    type_error(argn, fname, "table", v)


def check_any(v: Any, argn: int, fname: str) -> Any:
    """luaL_checkany: raise "value expected" when the argument is absent (``NOARG``)."""
    if v is NOARG:
        arg_error(argn, fname, "value expected")
    return v


def opt_int(v: Any, argn: int, fname: str, default: int) -> int:
    """luaL_optinteger: ``default`` for nil/absent, else :func:`check_int`."""
    if v is None or v is NOARG:
        return default
    return check_int(v, argn, fname)


def opt_num(v: Any, argn: int, fname: str, default: int | float) -> int | float:
    """luaL_optnumber."""
    if v is None or v is NOARG:
        return default
    return check_num(v, argn, fname)


def opt_str(v: Any, argn: int, fname: str, default: str) -> str:
    """luaL_optlstring."""
    if v is None or v is NOARG:
        return default
    return check_str(v, argn, fname)


# ---------------------------------------------------------------------------- conversion
_PY_TYPENAMES = {
    "NoneType": "nil",
    "bool": "boolean",
    "int": "number",
    "float": "number",
    "str": "string",
    "LuaTable": "table",
    "Coroutine": "thread",
}


def _innermost_lua_tb(tb: TracebackType | None) -> tuple[TracebackType | None, bool]:
    """(innermost traceback entry running Lua code, whether it is the innermost of all)."""
    found = None
    last = None
    while tb is not None:
        if is_lua_code(tb.tb_frame.f_code, tb.tb_frame.f_globals):
            found = tb
        last = tb
        tb = tb.tb_next
    return found, (found is not None and found is last)


def traceback_string(frame: FrameType | None = None, msg: str | None = None) -> str:
    """A Lua-style ``stack traceback:`` of the Lua frames from ``frame`` outwards."""
    lines = [] if msg is None else [msg]
    lines.append("stack traceback:")
    for f in lua_frames(frame if frame is not None else sys._getframe(1)):
        lines.append(f"\t{lua_pos(f.f_code, f.f_globals, f.f_lineno)}: in {_what(f.f_code)}")
    return "\n".join(lines)


def _what(code: CodeType) -> str:
    # the transpiler's chunk body is chunk.<locals>.main; other functions are shown as
    # Lua shows functions it has no name for: function <file:line>
    if code.co_qualname == "chunk.<locals>.main":
        return "main chunk"
    return f"function <{code.co_filename}:{code.co_firstlineno}>"


def tb_string(tb: TracebackType | None) -> str:
    """A Lua-style traceback of the Lua frames in a Python traceback, innermost first."""
    entries = []
    while tb is not None:
        f = tb.tb_frame
        if is_lua_code(f.f_code, f.f_globals):
            entries.append((f.f_code, lua_pos(f.f_code, f.f_globals, tb.tb_lineno)))
        tb = tb.tb_next
    lines = ["stack traceback:"]
    for code, line in reversed(entries):
        lines.append(f"\t{line}: in {_what(code)}")
    return "\n".join(lines)


def from_python_exception(exc: BaseException) -> LuaError:
    """Convert any exception raised while running Lua code into a :class:`LuaError`.

    * LuaError: returned as is.
    * TypeError "'X' object is not callable" raised directly by a Lua frame:
      "attempt to call a nil value (global 'f')" (name from ``__lua_names__``, arg 0).
    * RecursionError: "stack overflow"; MemoryError: "not enough memory".
    * others: the exception's message (or its class name), positioned at the innermost
      Lua frame of the traceback.  The original is kept as ``__cause__``.
    """
    if isinstance(exc, LuaError):
        return exc
    tb, direct = _innermost_lua_tb(exc.__traceback__)
    pos = ""
    if tb is not None:
        pos = f"{lua_pos(tb.tb_frame.f_code, tb.tb_frame.f_globals, tb.tb_lineno)}: "
    msg: str
    if isinstance(exc, RecursionError):
        msg = "stack overflow"
    elif isinstance(exc, MemoryError):
        msg = "not enough memory"
    elif isinstance(exc, TypeError) and direct and str(exc).endswith("object is not callable"):
        s = str(exc)
        pyname = s[1 : s.find("'", 1)] if s.startswith("'") else ""
        msg = f"attempt to call a {_PY_TYPENAMES.get(pyname, 'userdata')} value"
        if tb is not None:
            f = tb.tb_frame
            msg += describe(0, f, tb.tb_lasti)
    else:
        msg = str(exc) or type(exc).__name__
    err = LuaError(pos + msg)
    err.__cause__ = exc
    err.__traceback__ = exc.__traceback__
    return err
