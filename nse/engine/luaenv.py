"""The Lua global environment scripts run in: ``_G``, ``require`` and nselib conversion.

* ``_G`` is ``nse.lua.baselib.new_env()`` made *strict* as nse_main.lua does with
  nselib's ``strict.lua``: reading a global that was never assigned raises
  ``variable 'x' is not declared`` (a script's own environment falls back to ``_G``).
* ``require(name)`` looks, in order, in ``package.loaded``, ``package.preload``, the Python
  library (``nse/lib/<name>.py`` through :func:`nse.lib.lua_module`) and ``nselib/<name>.lua``
  in every nmap data directory; a Lua module is converted by the transpiler and cached by
  content hash.  A module found nowhere raises an error listing every place looked at,
  in the shape Lua 5.4's ``require`` uses (manual §6.3 ``require``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable

if TYPE_CHECKING:
    from nse.engine.context import Runtime

__all__ = ["make_globals", "load_lua_file", "RequireError"]


class RequireError(LuaError):
    """A module could not be found (``module 'x' not found: ...``)."""


def load_lua_file(path: str) -> Any:
    """The ``chunk(_ENV)`` factory of a Lua source file, converted (and cached by content
    hash) by the transpiler.  Raises whatever the transpiler raises for a file it cannot
    convert (``ConvertError`` with file:line)."""
    from transpiler import cache

    return cache.load_cached(path)


def _first(v: Any) -> Any:
    if type(v) is tuple:
        return v[0] if v else None
    return v


def _make_strict(g: LuaTable) -> None:
    # nselib/strict.lua on _G: undeclared reads raise, naming the variable.
    declared: set[Any] = set()
    mt = g.meta if g.meta is not None else LuaTable()

    def index(t: Any, n: Any = None, *_: Any) -> Any:
        if n in declared:
            return None
        from nse.lua.errors import lua_error

        lua_error(f"variable '{n}' is not declared", 1)

    def newindex(t: Any, n: Any = None, v: Any = None, *_: Any) -> Any:
        declared.add(n)
        t.rawset(n, v)
        return ()

    mt["__index"] = index
    mt["__newindex"] = newindex
    g.meta = mt


def _in_main_chunk() -> bool:
    """Whether the innermost running Lua function is a chunk's main function (what
    ``debug.getinfo(level, "S").what == "main"`` tells strict.lua)."""
    from nse.lua.errors import lua_frames

    for f in lua_frames():
        return f.f_code.co_name == "main"
    return True  # no Lua frame: called from Python (Lua's "C")


def _strict(env: Any = None, *_: Any) -> Any:
    """nselib/strict.lua's ``strict(env)``: a global must be assigned in the main chunk
    before functions may assign or read it (``assign to undeclared variable 'x'`` /
    ``variable 'x' is not declared``).  Built in Python because strict.lua decides with
    ``debug.getinfo``, which converted code does not reproduce."""
    from nse.lua import ops
    from nse.lua.errors import lua_error

    mt = env.meta
    if mt is None:
        mt = LuaTable()
        env.meta = mt
    old_newindex, old_index = mt["__newindex"], mt["__index"]
    declared: set[Any] = set()

    def newindex(t: Any, n: Any = None, v: Any = None, *_: Any) -> Any:
        if callable(old_newindex) and not isinstance(old_newindex, LuaTable):
            old_newindex(t, n, v)
        if n not in declared:
            if not _in_main_chunk():
                lua_error(f"assign to undeclared variable '{n}'", 1)
            declared.add(n)
        t.rawset(n, v)
        return ()

    def index(t: Any, n: Any = None, *_: Any) -> Any:
        if callable(old_index) and not isinstance(old_index, LuaTable):
            v = _first(old_index(t, n))
            if v is not None:
                return v
        elif old_index is not None:
            v = ops.index(old_index, n)
            if v is not None:
                return v
        if n not in declared:
            lua_error(f"variable '{n}' is not declared", 1)
        return t.rawget(n)

    mt["__newindex"] = newindex
    mt["__index"] = index
    return env


def make_globals(rt: Runtime) -> LuaTable:
    """Build the NSE ``_G`` for runtime ``rt``."""
    from nse.lua import baselib

    g: LuaTable = baselib.new_env()
    package = g.rawget("package")
    if not isinstance(package, LuaTable):
        package = LuaTable()
        g["package"] = package
    loaded = package.rawget("loaded")
    if not isinstance(loaded, LuaTable):
        loaded = rt.loaded
        package["loaded"] = loaded
    else:
        rt.loaded = loaded
    preload = package.rawget("preload")
    if not isinstance(preload, LuaTable):
        preload = LuaTable()
        package["preload"] = preload
    loaded["_G"] = g
    preload["strict"] = lambda *_: _strict

    def require(name: Any = None, *_: Any) -> Any:
        if not isinstance(name, str):
            from nse.lua.errors import type_error

            type_error(1, "require", "string", name)
        v = loaded.rawget(name)
        if v is not None:
            return v
        tried: list[str] = []
        loader: Any = preload.rawget(name)
        extra: Any = ":preload:"
        if loader is None:
            tried.append(f"no field package.preload['{name}']")
            try:
                from nse.lib import lua_module

                v = lua_module(name)
            except ImportError:
                tried.append(f"no Python module 'nse.lib.{name}'")
            else:
                loaded[name] = v
                return v, f"nse.lib.{name}"
            rel = os.path.join("nselib", name.replace(".", "/") + ".lua")
            for d in rt.options.datadirs.nselib_paths():
                path = os.path.join(d, name.replace(".", "/") + ".lua")
                if os.path.isfile(path):
                    factory = load_lua_file(path)
                    loader, extra = factory(g), path
                    break
            else:
                tried.append(f"NSE failed to find {rel} in search paths "
                             f"({', '.join(rt.options.datadirs.dirs) or 'no nmap data directory'})")
        if loader is None:
            raise RequireError(f"module '{name}' not found:\n\t" + "\n\t".join(tried))
        r = _first(loader(name, extra))
        if r is not None:
            loaded[name] = r
        elif loaded.rawget(name) is None:
            loaded[name] = True
        return loaded.rawget(name), extra

    g["require"] = require
    # nse_main.cc opens its C libraries with luaL_requiref(..., glb=1): they are globals
    # (scripts may use `nmap` without requiring it) and already in package.loaded.
    for name in _GLOBAL_LIBS:
        try:
            from nse.lib import lua_module

            mod = lua_module(name)
        except ImportError:
            continue
        g[name] = mod
        loaded[name] = mod
    _make_strict(g)
    return g


_GLOBAL_LIBS = ("nmap", "pcre", "lfs", "lpeg", "openssl", "libssh2", "zlib")
