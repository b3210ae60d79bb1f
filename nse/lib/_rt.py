"""The Lua standard library functions library modules reuse (one private copy each of
``table``, ``string`` and ``math``, opened once), so nselib code reproduced here gets Lua's
exact ``table.sort``/``table.concat``/``table.unpack``/``string.find`` behaviour."""

from __future__ import annotations

from typing import Any

from nse.lua import mathlib, strlib, tablib
from nse.lua.luatable import LuaTable

__all__ = ["TABLE", "STRING", "MATH", "concat", "sort", "unpack", "insert", "random"]

TABLE: LuaTable = tablib.open_lib(LuaTable())
STRING: LuaTable = strlib.open_lib(LuaTable())
MATH: LuaTable = mathlib.open_lib(LuaTable())

concat: Any = TABLE["concat"]
sort: Any = TABLE["sort"]
unpack: Any = TABLE["unpack"]
insert: Any = TABLE["insert"]
random: Any = MATH["random"]
