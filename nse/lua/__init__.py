"""The Lua 5.4 runtime that transpiled code (and Python NSE code) runs on.

This docstring is the *contract* between the runtime, the transpiler and the library
modules.  Change it only together with every side that depends on it.

Values (DESIGN.md "Value mapping")
----------------------------------
* ``nil`` is ``None``; booleans are ``bool``; integers ``int`` (kept in signed 64 bits by the
  operators that can overflow); floats ``float``.
* A Lua string is a Python ``str`` whose every character is below 256 (one char = one byte).
  Source files are read as bytes and decoded latin-1; output is encoded latin-1.
* A table is :class:`nse.lua.luatable.LuaTable`.
* A function is any Python callable.  A coroutine is :class:`nse.lua.coroutine.Coroutine`
  (type ``"thread"``).  Any other Python object is ``"userdata"``.
* **Multiple values**: a Python ``tuple`` *is* a list of values (0, 1 or more).  Nothing that
  is a Lua value is ever a tuple.  A function returning one value may return it bare.
  ``first(v)`` truncates to one value (``()`` -> ``None``); ``mv(v)`` widens to a tuple.
  So a Python library function may simply ``return True, result``.  A library function
  that returns *nothing* in Lua returns ``()`` (``None`` would be one ``nil``).

Functions
---------
* A Lua function is a Python function taking positional arguments only.  Missing arguments
  default to ``None``; extra arguments are swallowed (``def f(a=None, b=None, *_)``);
  vararg functions collect ``*varargs``.
* Calls are direct Python calls.  ``LuaTable.__call__`` dispatches to ``__call``.  Calling
  a non-callable raises ``TypeError`` inside Python; the runtime turns that (and every other
  stray Python exception) into a :class:`LuaError` where Lua code can observe it
  (``pcall``, coroutine resume, top level) via ``errors.from_python_exception``.

Errors
------
* :class:`nse.lua.errors.LuaError` carries ``.value`` (any Lua value, as ``error`` raised it).
  ``str(exc)`` is ``tostring(value)`` for strings/numbers.
* Positions: generated code is compiled with ``co_filename`` = the chunk name as Lua prints
  it (``"foo.nse"``, ``"[string \\"...\\"]"``) and line numbers = Lua lines.  The current
  position is the innermost frame whose code object is Lua code, i.e. not in a module under
  ``nse/lua`` (``errors.where(level)``).  Runtime errors raised by operators therefore read
  ``foo.nse:12: attempt to index a nil value (local 'x')``.

Modules
-------
``luatable``  LuaTable (array part + hash part, metatable in ``.meta``)
``errors``    LuaError, where(), lua_error(), arg checking helpers, from_python_exception()
``numfmt``    number <-> string exactly as Lua 5.4 (``%.14g``, ``-nan``/``inf``, hex, ...)
``ops``       operators and metamethod dispatch: arithmetic, bitwise, comparison, concat,
              length, index/setindex, truthiness, tostring/tonumber, type
``rt``        the names generated code imports (``from nse.lua.rt import *``); ``__all__``
``baselib``   the basic functions and ``new_env()`` which builds a fresh ``_G`` with every
              standard library installed
``coroutine`` coroutines as greenlets (yield across pcall, metamethods, library calls)
``strlib``    the string library; ``lpattern`` Lua patterns; ``strformat`` string.format;
              ``strpack`` string.pack/unpack/packsize
``tablib`` ``mathlib`` ``utf8lib`` ``oslib`` ``iolib``  the other standard libraries
"""
