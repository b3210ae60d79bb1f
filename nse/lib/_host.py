"""What library modules need from the engine, behind replaceable hooks.

nselib reads script arguments (``nmap.registry.args``), the registry, the timing level and
writes verbose/debug messages through the ``nmap`` and ``stdnse`` modules, which the engine
provides.  Until it wires them (by assigning these attributes), standalone defaults apply:
no script arguments, an empty registry, timing level 3 (-T3), messages dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nse.lua.luatable import LuaTable

__all__ = ["registry", "script_args", "timing_level", "verbose", "debug"]

_registry = LuaTable.from_dict({"args": LuaTable()})

#: () -> the registry table (``nmap.registry``)
registry: Callable[[], LuaTable] = lambda: _registry  # noqa: E731
#: () -> the script-args table (``nmap.registry.args``)
script_args: Callable[[], LuaTable] = lambda: registry()["args"] or LuaTable()  # noqa: E731
#: () -> int, nmap's -T level
timing_level: Callable[[], int] = lambda: 3  # noqa: E731


def _drop(level: int, fmt: str, *args: Any) -> None:
    return None


#: (level, fmt, *args) -> None: stdnse.verbose / stdnse.debug
verbose: Callable[..., None] = _drop
debug: Callable[..., None] = _drop
