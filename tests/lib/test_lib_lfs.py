"""lfs: the same calls inside nmap 7.93 and here, on a scratch directory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from libref import compare, needs_nmap, nmap_calls

from nse.lib import lfs
from nse.lib._util import LuaError
from nse.lua import ops
from nse.lua.luatable import LuaTable

PRELUDE = """
M.t_dir = function(p) local o = {} for f in M.dir(p) do o[#o+1] = f end table.sort(o) return o end
M.t_mk = function(p) local r = table.pack(M.mkdir(p)); local r2 = table.pack(M.mkdir(p)); local r3 = table.pack(M.rmdir(p)); local r4 = table.pack(M.rmdir(p)); return r, r2, r3, r4 end
M.t_link = function(a, b, sym) local r = table.pack(M.link(a, b, sym)); if a ~= b then os.remove(b) end; return r end
M.t_closed = function(p) local it, obj = M.dir(p); obj:close(); return pcall(it, obj) end
"""


def _helpers() -> dict[str, Any]:
    def pack(*v: Any) -> LuaTable:
        t = LuaTable.from_list(v)
        t["n"] = len(v)
        return t

    def t_dir(p: Any = None, *_: Any) -> Any:
        it, obj = lfs.dir(p)
        names = []
        while (f := it(obj)) is not None:
            names.append(f)
        return LuaTable.from_list(sorted(names))

    def t_mk(p: Any = None, *_: Any) -> Any:
        return tuple(pack(*ops.mv(f(p))) for f in (lfs.mkdir, lfs.mkdir, lfs.rmdir, lfs.rmdir))

    def t_link(a: Any = None, b: Any = None, sym: Any = None, *_: Any) -> Any:
        r = pack(*ops.mv(lfs.link(a, b, sym)))
        if a != b and os.path.lexists(b):
            os.remove(b)
        return r

    def t_closed(p: Any = None, *_: Any) -> Any:
        it, obj = lfs.dir(p)
        ops.invoke(obj, "close")
        try:
            return True, it(obj)
        except LuaError as e:
            return False, e.value

    return {k: v for k, v in locals().items() if k.startswith("t_")}


@pytest.mark.nmap
@needs_nmap
def test_vs_nmap(tmp_path: Path) -> None:
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text("x")
    os.symlink("a.txt", d / "lnk")
    s = str(d)
    calls: list[tuple[str, list[object]]] = [
        ("t_dir", [s]),
        ("t_dir", [s + "/sub"]),
        ("t_dir", ["/nonexistent"]),
        ("t_closed", [s]),
        ("t_mk", [s + "/newdir"]),
        ("t_mk", ["/nonexistent/x"]),
        ("rmdir", [s + "/sub2"]),
        ("rmdir", [s]),
        ("t_link", [s + "/a.txt", s + "/l2", True]),
        ("t_link", [s + "/a.txt", s + "/l3"]),
        ("t_link", [s + "/a.txt", s + "/a.txt"]),
        ("t_link", ["/nonexistent", s + "/l4"]),
        ("get_path_separator", []),
        ("mkdir", [None]),
        ("dir", [None]),
    ]
    helpers = _helpers()
    for k, v in helpers.items():
        setattr(lfs, k, v)
        lfs.__all__.append(k)
    try:
        compare("lfs", lfs, calls, PRELUDE, runner=nmap_calls)
    finally:
        for k in helpers:
            lfs.__all__.remove(k)
            delattr(lfs, k)


def test_dir_object(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    it, obj = lfs.dir(str(tmp_path))
    assert ops.type_(obj) == "userdata"
    assert ops.tostring(obj).startswith("directory metatable: 0x")
    names = {ops.invoke(obj, "next") for _ in range(3)}
    assert names == {".", "..", "f"}
    assert ops.invoke(obj, "next") is None
