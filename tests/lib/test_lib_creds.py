"""creds: one scenario run through nmap's creds.lua (lua5.4, stub registry) and ours."""

from __future__ import annotations

from typing import Any

from libref import compare, needs_nselib

from nse.lib import _host, creds
from nse.lua import ops
from nse.lua.luatable import LuaTable

PRELUDE = """
local nmap = require "nmap"
local function lpairs(t, f) local o = {} for k, v in pairs(t) do o[#o+1] = f(k, v) end return o end
M.t_scenario = function(state)
  nmap.registry.creds = nil
  local h1 = {ip = "10.0.0.2"}
  local h2 = {ip = "10.0.0.10"}
  local c = M.Credentials:new("s1", h1, {number = 80, service = "http"})
  c:add("admin", "secret", M.State.VALID)
  c:add("root", "", M.State.LOCKED)
  c:add("bob", "pw", M.State.CHANGEPW)
  local c2 = M.Credentials:new({"s2"}, h2, {number = 22, service = "ssh"})
  c2:add("alice", "x", M.State.VALID)
  local c3 = M.Credentials:new("s1", h1, {number = 8080, service = "http-alt"})
  c3:add("zed", "y", M.State.DISABLED)
  local out = {}
  for cr in c:getCredentials(state) do out[#out+1] = tostring(cr.user) .. "|" .. tostring(cr.pass) .. "|" .. tostring(cr.state) end
  local all = M.Credentials:new(M.ALL_DATA)
  local t = all:getTable()
  local lines = lpairs(t, function(h, ht) return h .. "=" .. table.concat(lpairs(ht, function(svc, accts)
      local a = {} for _, acc in ipairs(accts) do a[#a+1] = tostring(acc) end return svc .. ":" .. table.concat(a, ";") end), ",") end)
  local one = M.Credentials:new("s1", h1, {number = 80, service = "http"}):getTable()
  local a = {} for _, acc in ipairs(one) do a[#a+1] = tostring(acc) end
  local none = M.Credentials:new("nothing", h1, {number = 80}):getTable()
  return out, lines, a, none, M.Account:new("u", "", 2) < M.Account:new("v", "p", 1)
end
"""


def _pairs(t: Any) -> list[tuple[Any, Any]]:
    h = t.meta["__pairs"] if t.meta is not None else None
    if h is None:
        return list(t.items())
    it = ops.first(h(t))
    out = []
    while True:
        r = ops.mv(it())
        if not r or r[0] is None:
            return out
        out.append((r[0], r[1]))


def t_scenario(state: Any = None, *_: Any) -> Any:
    _host.registry()["creds"] = None
    C, S = creds.Credentials, creds.State
    h1 = LuaTable.from_dict({"ip": "10.0.0.2"})
    h2 = LuaTable.from_dict({"ip": "10.0.0.10"})
    c = ops.invoke(C, "new", "s1", h1, LuaTable.from_dict({"number": 80, "service": "http"}))
    ops.invoke(c, "add", "admin", "secret", S["VALID"])
    ops.invoke(c, "add", "root", "", S["LOCKED"])
    ops.invoke(c, "add", "bob", "pw", S["CHANGEPW"])
    c2 = ops.invoke(
        C,
        "new",
        LuaTable.from_list(["s2"]),
        h2,
        LuaTable.from_dict({"number": 22, "service": "ssh"}),
    )
    ops.invoke(c2, "add", "alice", "x", S["VALID"])
    c3 = ops.invoke(C, "new", "s1", h1, LuaTable.from_dict({"number": 8080, "service": "http-alt"}))
    ops.invoke(c3, "add", "zed", "y", S["DISABLED"])
    out = LuaTable()
    it = ops.invoke(c, "getCredentials", state)
    while (cr := it()) is not None:
        out.append(
            f"{ops.tostring(cr['user'])}|{ops.tostring(cr['pass'])}|{ops.tostring(cr['state'])}"
        )
    t = ops.invoke(ops.invoke(C, "new", creds.ALL_DATA), "getTable")
    lines = LuaTable.from_list(
        h
        + "="
        + ",".join(
            svc + ":" + ";".join(ops.tostring(a) for a in accts.to_list())
            for svc, accts in _pairs(ht)
        )
        for h, ht in _pairs(t)
    )
    one = ops.invoke(
        ops.invoke(C, "new", "s1", h1, LuaTable.from_dict({"number": 80, "service": "http"})),
        "getTable",
    )
    a = LuaTable.from_list([ops.tostring(x) for x in one.to_list()])
    none = ops.invoke(
        ops.invoke(C, "new", "nothing", h1, LuaTable.from_dict({"number": 80})), "getTable"
    )
    lt = ops.lt(
        ops.invoke(creds.Account, "new", "u", "", 2), ops.invoke(creds.Account, "new", "v", "p", 1)
    )
    return out, lines, a, none, lt


@needs_nselib
def test_scenario_vs_nmap() -> None:
    creds.t_scenario = t_scenario  # type: ignore[attr-defined]
    creds.__all__.append("t_scenario")
    try:
        compare(
            "creds",
            creds,
            [("t_scenario", [None]), ("t_scenario", [2]), ("t_scenario", [16])],
            PRELUDE,
        )
    finally:
        creds.__all__.remove("t_scenario")
        del creds.t_scenario  # type: ignore[attr-defined]


SAVE_PRELUDE = """
local nmap = require "nmap"
M.t_save = function(base, fmt)
  nmap.registry.creds = nil
  local c = M.Credentials:new("s1", {ip = "10.0.0.2"}, {number = 80, service = "http"})
  c:add("admin", "secret", M.State.VALID)
  c:add("root", "", M.State.LOCKED)
  local ok, err = c:saveToFile(base, fmt)
  local f = io.open(base .. (fmt == "csv" and ".csv" or ".txt"), "rb")
  local data = f and f:read("a"); if f then f:close() end
  return ok, err, data
end
"""


def t_save(base: Any = None, fmt: Any = None, *_: Any) -> Any:
    _host.registry()["creds"] = None
    C, S = creds.Credentials, creds.State
    c = ops.invoke(
        C,
        "new",
        "s1",
        LuaTable.from_dict({"ip": "10.0.0.2"}),
        LuaTable.from_dict({"number": 80, "service": "http"}),
    )
    ops.invoke(c, "add", "admin", "secret", S["VALID"])
    ops.invoke(c, "add", "root", "", S["LOCKED"])
    r = ops.mv(ops.invoke(c, "saveToFile", base, fmt)) + (None, None)
    path = base + (".csv" if fmt == "csv" else ".txt")
    try:
        with open(path, "rb") as f:
            data = f.read().decode("latin-1")
    except OSError:
        data = None
    return r[0], r[1], data


@needs_nselib
def test_save_to_file_vs_nmap(tmp_path: Any) -> None:
    creds.t_save = t_save  # type: ignore[attr-defined]
    creds.__all__.append("t_save")
    try:
        calls: list[tuple[str, list[object]]] = [
            ("t_save", [str(tmp_path / "a"), "csv"]),
            ("t_save", [str(tmp_path / "b"), "verbose"]),
            ("t_save", [str(tmp_path / "c"), None]),
            ("t_save", ["/nonexistent/dir/x", None]),
        ]
        compare("creds", creds, calls, SAVE_PRELUDE)
    finally:
        creds.__all__.remove("t_save")
        del creds.t_save  # type: ignore[attr-defined]
