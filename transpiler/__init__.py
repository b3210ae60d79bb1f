"""Lua 5.4 source -> Python module (see DESIGN.md "Transpiler shape").

Pipeline: :mod:`transpiler.lexer` (literals decoded from the raw text, byte-exact) ->
:mod:`transpiler.parser` (``lparser.c``'s grammar, scopes and syntax-error messages) ->
:mod:`transpiler.codegen` (Python ``ast`` nodes carrying Lua line numbers, compiled
directly with ``co_filename`` = the chunk name).  Generated code imports ``nse.lua.rt``
(the runtime contract) and :mod:`transpiler.rtx` (statement-level helpers: numeric and
generic ``for``, ``<close>``, constructors, concatenation chains).
:mod:`transpiler.cache` converts files in parallel and caches by content.

Why a hand-written parser and not luaparser: on the nmap corpus (736 files, 8 MB)
luaparser needs about 5 s per MB, crashes on hex floats (``0x1p4``), decodes strings
lossily and reports syntax errors without luac's wording; this parser reads the whole
corpus in under 2 s and reproduces luac's messages.

Known limits (each a :class:`ConvertError` with file:line, never wrong code):
  * Loops nested deeper than CPython's 20 static blocks run in functions of their own; a
    ``goto`` from inside such a function to a label outside it is not supported.
  * ``goto`` to a label followed by statements, in a block holding a ``<close>`` local.
Known differences of the ``.py`` text path (``nse convert``) from the direct path: error
positions are lines of the .py file unless the runtime reads ``__lua_lines__``, and a
variable name is left out where two calls start at one position of the text.

Public API
    compile_chunk(source, chunkname)   -> ``chunk(_ENV)`` factory (rt.py "Chunks")
    to_python_source(source, chunkname) -> the module as Python text (``nse convert``)
    ConvertError                        -> ``"file:line: message"``
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import sys
import warnings
from collections.abc import Callable
from typing import Any

from transpiler.errors import ConvertError

# (the lexer, parser and code generator are imported by generate(): a chunk loaded from
# the cache needs none of them, which saves their import at start-up)

__all__ = ["compile_chunk", "to_python_source", "ConvertError", "VERSION", "generate",
           "compile_module", "exec_code", "source_hash"]

#: Bumped whenever the generated code changes; part of every cache key.
VERSION = "10"

_RECURSION = 20000


def _deep() -> Any:
    """Deeply nested Lua expressions recurse deeply in the parser and in Python's compiler."""
    old = sys.getrecursionlimit()
    if old < _RECURSION:
        sys.setrecursionlimit(_RECURSION)
    return old


def generate(source: str, chunkname: str) -> tuple[ast.Module, dict[Any, Any]]:
    """Parse and generate: (Python module AST, ``__lua_names__`` dict for it)."""
    from transpiler.codegen import CodeGen
    from transpiler.lexer import LexError
    from transpiler.parser import parse

    old = _deep()
    try:
        try:
            main, env = parse(source, chunkname)
        except LexError as e:
            raise ConvertError(chunkname, e.line, e.msg) from None
        except RecursionError:
            raise ConvertError(chunkname, 1, "chunk has too many syntax levels") from None
        return CodeGen(chunkname).module(main, env)
    finally:
        sys.setrecursionlimit(old)


def compile_chunk(source: str, chunkname: str) -> Callable[[Any], Callable[..., Any]]:
    """Compile Lua ``source`` to its ``chunk(_ENV)`` factory.

    ``chunkname`` is the name as Lua prints it in messages (``"foo.nse"``,
    ``'[string "x = 1"]'``); it becomes the code's ``co_filename``.  Raises
    :class:`ConvertError` for a syntax error."""
    mod, names = generate(source, chunkname)
    return exec_code(compile_module(mod, chunkname), names, chunkname)


def compile_module(mod: ast.Module, chunkname: str) -> Any:
    """Python's compile() of a generated module: deep recursion allowed, and no
    SyntaxWarning for the constant comparisons Lua code may contain (``1 == true``)."""
    old = _deep()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            return compile(mod, chunkname, "exec", dont_inherit=True)
    except SyntaxError as e:
        # Python's own limits, e.g. "too many statically nested blocks" (20 loops)
        raise ConvertError(chunkname, e.lineno or 1, f"cannot convert: {e.msg}") from None
    except RecursionError:
        raise ConvertError(chunkname, 1, "cannot convert: nested too deeply") from None
    finally:
        sys.setrecursionlimit(old)


def exec_code(code: Any, names: dict[Any, Any], chunkname: str) -> Callable[[Any], Any]:
    """Run a compiled chunk module; return its ``chunk`` factory."""
    g: dict[str, Any] = {"__name__": "lua_chunk", "__builtins__": builtins,
                         "__lua_names__": names}
    exec(code, g)
    return g["chunk"]  # type: ignore[no-any-return]


def source_hash(source: str) -> str:
    """sha256 of the source bytes (latin-1), hex."""
    return hashlib.sha256(source.encode("latin-1", "surrogateescape")).hexdigest()


def to_python_source(source: str, chunkname: str) -> str:
    """The Python module text for a Lua chunk, as ``nse convert`` writes it.

    The text carries a do-not-edit header naming the source and its sha256, its own
    ``__lua_names__`` keyed by positions in this text, and ``__lua_lines__`` (Lua line of
    each line of the text) for runtimes that translate positions back to the Lua file."""
    mod, names = generate(source, chunkname)
    header = (
        f"# Generated by `nse convert` from {chunkname} "
        f"(sha256 {source_hash(source)}, transpiler {VERSION}).\n"
        "# DO NOT EDIT: edit the Lua source and convert again.\n"
        "# ruff: noqa\n"
    )
    old = _deep()
    try:
        text = header + ast.unparse(mod)
        reparsed = ast.parse(text)
        # Re-key the names by the calls' positions in the final text.
        orig = [n for n in ast.walk(mod) if isinstance(n, ast.Call)]
        new = [n for n in ast.walk(reparsed) if isinstance(n, ast.Call)]
        orig_st = [n for n in ast.walk(mod) if isinstance(n, ast.stmt)]
        new_st = [n for n in ast.walk(reparsed) if isinstance(n, ast.stmt)]
    finally:
        sys.setrecursionlimit(old)
    remapped: dict[Any, Any] = {}
    if len(orig) == len(new):
        ambiguous = set()
        for a, b in zip(orig, new, strict=True):
            key = (b.lineno, b.col_offset)
            if key in remapped or key in ambiguous:
                # f(x)() puts two calls at one start position in real source: a wrong
                # name would be worse than none
                ambiguous.add(key)
                remapped.pop(key, None)
                continue
            d = names.get((a.lineno, a.col_offset))
            if d is not None:
                remapped[key] = d
    # __lua_lines__[n] is the Lua line of line n of this text (0: none), so that a
    # runtime reading it can report "foo.nse:12:" for code run from the .py file.
    nlines = text.count("\n") + 2
    lines = [0] * nlines
    if len(orig_st) == len(new_st):
        # outer statements first (ast.walk is breadth first): inner ones overwrite them
        for sa, sb in zip(orig_st, new_st, strict=True):
            for ln in range(sb.lineno, min((sb.end_lineno or sb.lineno) + 1, nlines)):
                lines[ln] = sa.lineno
    items = ",\n    ".join(f"{k!r}: {v!r}" for k, v in sorted(remapped.items()))
    tail = f"\n__lua_names__ = {{\n    {items}\n}}\n" if items else "\n__lua_names__ = {}\n"
    tail += f"__lua_lines__ = {tuple(lines)!r}\n"
    return text + "\n" + tail
