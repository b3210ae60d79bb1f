"""datafiles and unpwdb against nmap's Lua, both reading /usr/share/nmap's data files."""

from __future__ import annotations

import os
from typing import Any

import pytest
from libref import Raw, compare, needs_nselib

from nse.lib import _host, datadir, datafiles, unpwdb
from nse.lua import ops
from nse.lua.luatable import LuaTable

needs_data = pytest.mark.skipif(
    not os.path.isfile("/usr/share/nmap/nmap-services"), reason="needs nmap's data files"
)


@pytest.mark.nmap
@needs_nselib
@needs_data
def test_common_files_vs_nmap() -> None:
    calls: list[tuple[str, list[object]]] = [
        ("parse_services", ["tcp"]),
        ("parse_services", ["udp"]),
        ("parse_services", ["sctp"]),
        ("parse_protocols", []),
        ("parse_rpc", []),
        ("parse_mac_prefixes", []),
        ("parse_file", ["nmap-rpc"]),
        ("parse_file", ["nmap-services", "udp"]),
        ("parse_file", ["nmap-rpc", "x"]),
        ("parse_file", [""]),
        ("parse_file", ["no-such-file"]),
        ("parse_file", ["no-such-file", {}]),
    ]
    compare("datafiles", datafiles, calls)


@pytest.mark.nmap
@needs_nselib
@needs_data
def test_generic_structures_vs_nmap() -> None:
    fn = Raw(
        "function(l) return l:match('^(%w+)') end",
        lambda: lambda l=None, *_: ops.first(ops.invoke(l, "match", "^(%w+)")),
    )
    calls: list[tuple[str, list[object]]] = [
        ("parse_file", ["nmap-protocols", {}]),
        ("parse_file", ["nmap-protocols", ["^(%w+)%s+(%d+)"]]),
        ("parse_file", ["nmap-protocols", {"^(%w+)": "^%w+%s+(%d+)"}, [fn]]),
        ("parse_file", ["nmap-protocols", {"x": 5}]),
        ("parse_file", ["nmap-protocols", 5]),
        ("parse_file", ["nmap-protocols", [3]]),
        ("parse_lines", [["a 1", "b 2", "#c"], {"^(%a)": "(%d)"}]),
        ("parse_lines", [[], {"x": "y"}]),
        ("parse_lines", [["a"], {}]),
        ("get_array", [["a1", "b", "c3"], "%d"]),
        ("get_assoc_array", [["a1", "b", "c3"], "^(%a)", "(%d)"]),
    ]
    compare("datafiles", datafiles, calls)


@pytest.mark.nmap
@needs_nselib
@needs_data
def test_unpwdb_lists_vs_nmap() -> None:
    prelude = """
M.t_all = function(kind, climit)
  local ok, it = M[kind](nil, climit)
  if not ok then return ok, it end
  local out = {}
  for x in it do out[#out+1] = x end
  it("reset")
  out[#out+1] = it()
  return out
end
"""

    def t_all(kind: Any = None, climit: Any = None, *_: Any) -> Any:
        ok, it = getattr(unpwdb, kind)(None, climit)
        if not ok:
            return ok, it
        out = LuaTable()
        while (x := ops.first(it())) is not None:
            out.append(x)
        it("reset")
        out.append(ops.first(it()))
        return out

    unpwdb.t_all = t_all  # type: ignore[attr-defined]
    unpwdb.__all__.append("t_all")
    try:
        compare(
            "unpwdb",
            unpwdb,
            [
                ("t_all", ["usernames"]),
                ("t_all", ["passwords"]),
                ("t_all", ["passwords", 5]),
                ("timelimit", []),
            ],
            prelude,
        )
    finally:
        unpwdb.__all__.remove("t_all")
        del unpwdb.t_all  # type: ignore[attr-defined]


def test_own_lists_without_nmap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datadir, "_SYSTEM", "/nonexistent")
    monkeypatch.setenv("HOME", "/nonexistent")
    monkeypatch.delenv("NMAPDIR", raising=False)
    monkeypatch.chdir("/")
    assert datadir.fetchfile("nselib/data/usernames.lst") == os.path.join(
        datadir.OWN_DATA, "usernames.lst"
    )
    assert datadir.fetchfile("nmap-services") is None
    fresh = LuaTable()
    monkeypatch.setattr(unpwdb, "_usertable", fresh)
    ok, it = unpwdb.usernames()
    assert ok is True
    assert ops.first(it()) == "root"
    assert all("#!comment:" not in v for v in fresh.values())


def test_iterator_helpers() -> None:
    a = unpwdb.table_iterator(LuaTable.from_list(["a", "b"]))
    b = unpwdb.table_iterator(LuaTable.from_list(["c"]))
    both = unpwdb.concat_iterators(a, b)
    assert [ops.mv(both()) for _ in range(4)] == [("a",), ("b",), ("c",), ()]
    both("reset")
    f = unpwdb.filter_iterator(both, lambda v=None, *_: v != "b")
    assert [f(), f(), f()] == ["a", "c", None]
    lim = unpwdb.limited_iterator(unpwdb.table_iterator(LuaTable.from_list(["x", "y"])), None, 1)
    assert [lim(), lim()] == ["x", ()]


def test_timelimit_by_timing_level(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_host, "timing_level", lambda: 5)
    assert unpwdb.timelimit() == 180
    args = LuaTable.from_dict({"unpwdb.timelimit": "2m"})
    monkeypatch.setattr(_host, "script_args", lambda: args)
    assert unpwdb.timelimit() == 120
