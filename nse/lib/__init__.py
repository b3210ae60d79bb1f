"""The NSE library API in Python: one module per nselib module name.

This docstring is the CONTRACT between the library modules, the engine (which makes them
visible to scripts through ``require``) and Python scripts that import them directly.

Module layout
-------------
* ``require "base64"`` is ``nse/lib/base64.py``; a name that is not a valid Python module
  name keeps its spelling where it can (``ipOps`` is ``nse/lib/ipOps.py``).  Modules that
  nmap writes in C (``openssl``, ``zlib``, ``pcre``, ``lfs``) live here too.  Private
  helpers start with an underscore (``_util``, ``_lpat``) and are not nselib names.
* Every library module defines ``__all__``: the names (functions and constants) that make
  up its Lua-visible table.  A Lua name that is a Python keyword, or that would shadow a
  builtin we need, gets a trailing underscore in Python and is listed in the module's
  ``__lua_names__ = {"python_name": "lua_name"}``.
* A module may define ``__lua_init__(table) -> None``: called once after the table is built
  to add fields that are not plain ``__all__`` values (a metatable, aliases).
* :func:`lua_module` builds (once per process, cached) the LuaTable a Lua script gets from
  ``require``.  A Python script may either import the module (``from nse.lib import base64``)
  or use the same table; both see the same function objects.  Per-script module tables are
  the engine's choice later: :func:`lua_module` with ``fresh=True`` builds an uncached copy.

Helpers that are not nselib modules
-----------------------------------
* ``datadir``: where data files are found (``--datadir``, ``$NMAPDIR``, ``~/.nmap``,
  ``/usr/share/nmap``, the current directory, then our own data: ``data/`` with small lists
  written here, the probe file, the scripts).  Naming ``--datadir`` or ``$NMAPDIR`` leaves
  ``/usr/share/nmap`` out (see docs/design-notes.md).  ``nse scan`` calls
  ``datadir.set_datadir(path)``.  It sets
  ``__nselib__ = False``, so :func:`lua_module` refuses it.
* ``_host``: hooks to the engine (``registry()``, ``script_args()``, ``timing_level()``,
  ``verbose(level, fmt, ...)``, ``debug(...)``) with standalone defaults; the engine
  assigns them (``nse/lib/nmap.py`` does).
* ``_util``: argument checks on top of ``nse.lua.errors`` and :class:`_util.Userdata`,
  the base of every userdata here (BIGNUM, PCRE handle, zlib stream, lfs directory, LPeg
  pattern): its metatable (``__index`` with the methods, ``__name``, metamethods) is
  exposed as the ``__lua_meta__`` attribute that ``nse.lua.ops`` reads.  Method argument
  numbers count ``self`` as #1, as C bindings do.
* ``_rt``: private copies of the Lua ``table``/``string``/``math`` libraries, so code
  reproducing nselib uses Lua's exact ``table.sort``, ``string.find``...

Modules present (see each docstring for what is measured against nmap and what differs):
pure-Lua nselib ports ``base32 base64 bin bits creds datafiles datetime ipOps json listop
outlib rand strbuf stringaux tab tableaux unicode unpwdb url``; nmap's C modules
``lfs lpeg openssl pcre zlib`` and ``libssh2`` (on paramiko, optional: without it
the module is missing, as in an nmap built without libssh2); the engine's ``nmap stdnse shortport comm`` (not part of
this first part).  A name with no module here (``http``, ``brute``...) is loaded by the
engine from nmap's own ``nselib/<name>.lua`` through the transpiler.

Values (DESIGN.md "Value mapping", nse/lua/__init__.py)
-------------------------------------------------------
* Every argument and result is a Lua value: ``None`` for nil, ``bool``, ``int`` (signed 64
  bit), ``float``, ``str`` whose characters are all below 256 (one char = one byte; binary
  data is latin-1), :class:`~nse.lua.luatable.LuaTable` for tables.  Never ``bytes``, never a
  Python list or dict across the API.
* Several results are a Python ``tuple`` (``return True, result``); no results is ``()``.
  nselib's convention of ``false, "message"`` on failure is kept exactly.
* Functions take positional arguments with ``None`` defaults and swallow extra arguments
  (``def f(a=None, b=None, *_)``), because Lua callers may omit or add arguments.
* Argument errors read as Lua's (``bad argument #1 to 'enc' (string expected, got nil)``),
  raised as :class:`~nse.lua.errors.LuaError`; errors nselib raises with ``error("msg")``
  are raised with the same message (without nselib's ``file.lua:NN:`` prefix, since the
  code is not there).
* A Lua function passed in (a callback) is called through ``nse.lua.ops.call``-compatible
  plain calls and its result truncated/widened with ``first``/``mv`` as Lua would.
* Userdata (a bignum, a compiled regex, a zlib stream) is a Python object whose methods
  are reached through a metatable-like ``__index`` LuaTable: see ``_util.Userdata``.

Outputs are meant to be byte-for-byte those of nmap 7.93's nselib; the tests in
``tests/lib`` run nmap's own Lua modules under ``lua5.4`` (read at test time from
``/usr/share/nmap/nselib``, never copied) and compare.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from nse.lua.luatable import LuaTable

__all__ = ["lua_module", "module_names", "lua_name_map"]

_cache: dict[str, LuaTable] = {}

#: nselib names whose Python module name differs (none yet; kept for the engine).
_MODULE_ALIASES: dict[str, str] = {}


def _pymodule(name: str) -> ModuleType:
    modname = _MODULE_ALIASES.get(name, name)
    if not modname.replace("_", "").isalnum() or modname.startswith("_"):
        raise ImportError(f"module '{name}' not found")
    return importlib.import_module(f"nse.lib.{modname}")


def lua_name_map(mod: ModuleType) -> dict[str, str]:
    """Python name -> Lua name for every name in ``mod.__all__``."""
    renames: dict[str, str] = getattr(mod, "__lua_names__", {})
    return {py: renames.get(py, py) for py in mod.__all__}


def lua_module(name: str, fresh: bool = False) -> LuaTable:
    """The Lua-visible table of nselib module ``name`` (cached unless ``fresh``).

    Raises ImportError when there is no such Python module.
    """
    if not fresh:
        t = _cache.get(name)
        if t is not None:
            return t
    mod = _pymodule(name)
    if getattr(mod, "__nselib__", True) is False:
        raise ImportError(f"module '{name}' not found")
    t = LuaTable()
    for py, lua in lua_name_map(mod).items():
        v: Any = getattr(mod, py)
        t[lua] = v
    init = getattr(mod, "__lua_init__", None)
    if init is not None:
        init(t)
    if not fresh:
        _cache[name] = t
    return t


def module_names() -> list[str]:
    """Names of the library modules present in this package (for the engine/tests)."""
    import pkgutil

    here = __path__  # noqa: F821 - package attribute
    return sorted(
        m.name
        for m in pkgutil.iter_modules(here)
        if not m.name.startswith("_") and m.name not in _PY_HELPERS
    )


#: Python helpers in this package that are not nselib modules.
_PY_HELPERS = frozenset({"datadir"})
