"""The script model and the loader for ``.nse`` (Lua) and ``.py`` scripts.

A script defines ``description``, ``categories``, ``author``, ``license``,
``dependencies``, one or more of ``prerule``/``hostrule``/``portrule``/``postrule`` and
``action``.  Loading checks them as nse_main.lua's ``Script.new`` does, with its messages:

* ``action`` must be a function, ``categories`` and ``dependencies`` tables (both default
  to empty tables): ``x.nse is missing required field: 'action'`` /
  ``x.nse field 'categories' is of improper type 'string', expected type 'table'``;
* each rule is a function or absent, and at least one is present:
  ``x.nse is missing required function: 'rule'``;
* every category and dependency is a string.

Lua scripts
    The transpiler turns the file into a ``chunk(_ENV)`` factory.  As in nmap, the chunk
    is run once at load time (to read the fields) and again for every script thread, each
    time in a fresh environment ``{SCRIPT_PATH, SCRIPT_NAME, SCRIPT_TYPE}`` whose
    ``__index`` is ``_G``: globals a script sets are private to one thread.

Python scripts (see docs/writing-scripts.md)
    A module defining the same names (``categories`` may be a list, rules and ``action``
    plain functions taking ``host``/``port`` LuaTables).  It is imported once; its
    functions are shared by all threads.  A ``.py`` file that defines a top-level
    ``chunk`` function is a transpiled Lua script (``scripts_py/``) and runs as Lua.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from nse.lua.errors import LuaError
from nse.lua.luatable import LuaTable

if TYPE_CHECKING:
    from nse.engine.context import Runtime

__all__ = ["Script", "ScriptLoadError", "RULES", "load_script", "script_id"]

RULES = ("prerule", "hostrule", "portrule", "postrule")


class ScriptLoadError(Exception):
    """A script could not be loaded; the message names the file and the reason."""

    def __init__(self, message: str, *, quiet: bool = False) -> None:
        super().__init__(message)
        #: True for nmap's quiet errors (stdnse.silent_require failures)
        self.quiet = quiet


def script_id(path: str) -> str:
    """The script's id: its file name without ``.nse`` (or another extension)."""
    base = re.split(r"[/\\]", path)[-1]
    m = re.fullmatch(r"(.+)\.nse", base) or re.fullmatch(r"(.+)\.[^.]*", base)
    return m.group(1) if m else base


def _is_function(v: Any) -> bool:
    return callable(v) and not isinstance(v, LuaTable) and not isinstance(v, type)


def _lua_type(v: Any) -> str:
    from nse.lua.errors import typename

    return typename(v)


@dataclass
class Script:
    """A loaded script (nse_main.lua's ``Script`` class)."""

    path: str
    id: str
    kind: str  # "lua" or "python"
    description: str | None
    categories: list[str]
    author: Any
    license: Any
    dependencies: list[str]
    rules: dict[str, Callable[..., Any]]
    action: Callable[..., Any] | None
    #: Lua: the chunk(_ENV) factory, run again for every thread
    factory: Callable[[LuaTable], Any] | None = None
    #: Python: the imported module
    module: ModuleType | None = None
    forced: bool = False
    selected_by_name: bool = False
    runlevel: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def basename(self) -> str:
        """The file name (``banner.nse``)."""
        return os.path.basename(self.path)

    def has_rule(self, rule: str) -> bool:
        """Whether the script defines ``rule``."""
        return rule in self.rules

    def instance(self, rt: Runtime, script_type: str) -> tuple[Callable[..., Any] | None,
                                                               Callable[..., Any]]:
        """``(rule, action)`` for a new thread: for Lua, the chunk is run again in a fresh
        environment (so each thread has its own globals); call this inside the thread."""
        if self.kind == "lua":
            assert self.factory is not None
            env = new_script_env(rt, self, script_type)
            main = self.factory(env)
            main()
            rule = env.rawget(script_type)
            action = env.rawget("action")
            return rule, action
        assert self.action is not None
        return self.rules.get(script_type), self.action


def new_script_env(rt: Runtime, script: Script | None, script_type: str | None,
                   path: str | None = None) -> LuaTable:
    """``{SCRIPT_PATH, SCRIPT_NAME, SCRIPT_TYPE}`` falling back to ``_G``."""
    env = LuaTable()
    p = script.path if script is not None else path or "?"
    env["SCRIPT_PATH"] = p
    env["SCRIPT_NAME"] = script.id if script is not None else script_id(p)
    if script_type is not None:
        env["SCRIPT_TYPE"] = script_type
    env.meta = LuaTable.from_dict({"__index": rt.globals})
    return env


def _check_fields(path: str, get: Callable[[str], Any], *, lua: bool) -> dict[str, Any]:
    """nse_main.lua's checks; ``get`` reads a raw field.  Returns the normalised fields."""
    fields: dict[str, Any] = {}
    for name, want in (("action", "function"), ("categories", "table"),
                       ("dependencies", "table")):
        v = get(name)
        if v is None:
            if name == "action":
                raise ScriptLoadError(f"{path} is missing required field: '{name}'")
            v = LuaTable() if lua else []
        if want == "function":
            ok = _is_function(v)
        else:
            ok = isinstance(v, LuaTable) or (not lua and isinstance(v, list | tuple))
        if not ok:
            raise ScriptLoadError(f"{path} field '{name}' is of improper type "
                                  f"'{_lua_type(v)}', expected type '{want}'")
        fields[name] = v
    rules: dict[str, Any] = {}
    for rule in RULES:
        v = get(rule)
        if v is None:
            continue
        if not _is_function(v):
            raise ScriptLoadError(f"{path}: {rule} must be a function!")
        rules[rule] = v
    if not rules:
        raise ScriptLoadError(f"{path} is missing required function: 'rule'")
    for name in ("categories", "dependencies"):
        v = fields[name]
        items = [x for _, x in _ipairs(v)] if isinstance(v, LuaTable) else list(v)
        for x in items:
            if not isinstance(x, str):
                raise ScriptLoadError(
                    f"{path} has non-string entries in the '{name}' array")
        fields[name] = items
    fields["rules"] = rules
    return fields


def _ipairs(t: LuaTable) -> list[tuple[int, Any]]:
    out = []
    i = 1
    while (v := t.rawget(i)) is not None:
        out.append((i, v))
        i += 1
    return out


def _load_lua(path: str, factory: Callable[[LuaTable], Any], rt: Runtime) -> Script:
    env = new_script_env(rt, None, None, path)
    env["categories"] = LuaTable()
    env["dependencies"] = LuaTable()
    try:
        factory(env)()
    except LuaError as e:
        quiet = getattr(e, "value", None) is _silent_require_error()
        if quiet and isinstance(e.__cause__, LuaError):
            # stdnse.silent_require: say which module is missing
            raise ScriptLoadError(f"Failed to load {path}:\nsilent_require: "
                                  f"{_errtext(e.__cause__)}", quiet=True) from e
        raise ScriptLoadError(f"Failed to load {path}:\n{_errtext(e)}", quiet=quiet) from e
    except Exception as e:  # a stray Python error in converted code is a Lua error
        from nse.lua.errors import from_python_exception

        raise ScriptLoadError(f"Failed to load {path}:\n{_errtext(from_python_exception(e))}") \
            from e
    f = _check_fields(path, env.rawget, lua=True)
    return Script(path=path, id=script_id(path), kind="lua",
                  description=_str_or_none(env.rawget("description")),
                  categories=f["categories"], author=env.rawget("author"),
                  license=env.rawget("license"), dependencies=f["dependencies"],
                  rules=f["rules"], action=f["action"], factory=factory)


def _errtext(e: LuaError) -> str:
    v = getattr(e, "value", None)
    return v if isinstance(v, str) else str(e)


def _str_or_none(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _silent_require_error() -> Any:
    try:
        from nse.lib import stdnse

        return stdnse.REQUIRE_ERROR
    except (ImportError, AttributeError):
        return None


def _import_python(path: str) -> ModuleType:
    digest = hashlib.sha1(os.path.abspath(path).encode()).hexdigest()[:12]
    modname = f"nse_script_{re.sub(r'[^0-9A-Za-z_]', '_', script_id(path))}_{digest}"
    spec = importlib.util.spec_from_file_location(modname, path)
    if spec is None or spec.loader is None:
        raise ScriptLoadError(f"Failed to load {path}: not a Python module")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[modname] = mod
    try:
        spec.loader.exec_module(mod)
    except Exception as e:
        sys.modules.pop(modname, None)
        raise ScriptLoadError(f"Failed to load {path}:\n{type(e).__name__}: {e}") from e
    return mod


def load_script(path: str, rt: Runtime) -> Script:
    """Load and check the script at ``path`` (``.nse`` or ``.py``)."""
    if path.endswith(".py"):
        mod = _import_python(path)
        chunk = getattr(mod, "chunk", None)
        if callable(chunk) and not hasattr(mod, "action"):
            return _load_lua(path, chunk, rt)
        f = _check_fields(path, lambda n: getattr(mod, n, None), lua=False)
        desc = getattr(mod, "description", None)
        return Script(path=path, id=script_id(path), kind="python",
                      description=desc if isinstance(desc, str) else None,
                      categories=f["categories"], author=getattr(mod, "author", None),
                      license=getattr(mod, "license", None), dependencies=f["dependencies"],
                      rules=f["rules"], action=f["action"], module=mod)
    from nse.engine.luaenv import load_lua_file

    try:
        factory = load_lua_file(path)
    except LuaError:
        raise
    except Exception as e:  # the transpiler's ConvertError (file:line) or a read error
        raise ScriptLoadError(f"Failed to load {path}:\n{e}") from e
    return _load_lua(path, factory, rt)
