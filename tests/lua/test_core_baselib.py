"""The basic library through transpiled Lua, stdout compared with lua5.4."""

from __future__ import annotations

from pathlib import Path

import pytest
from core_luaref import needs_lua, run_ours, run_ref

SNIPPETS = {
    "print_tostring": r"""
print(1, 1.5, -0.0, 1e100, 2^63, math.mininteger, nil, true, false, "s\0x")
print(tostring(nil), tostring(12), tostring(0/0), tostring(-(0/0)), 1/0, -1/0)
print(pcall(tostring))
local t = setmetatable({}, {__tostring = function() return "OBJ" end})
print(t, tostring(t))
print(tostring(setmetatable({}, {__name = "MyType"})):match("^MyType: "))
print(type(print), type(nil), type({}), type("x"), type(2), type(true), type(coroutine.create(print)))
print(pcall(type))
""",
    "tonumber": r"""
print(tonumber("  10  "), tonumber("10", 16), tonumber("ff", 16), tonumber(" -ff ", 16))
print(tonumber("zz", 36), tonumber("8", 8), tonumber("1e1"), tonumber("0x"), tonumber(""))
print(tonumber("1 2"), tonumber(nil), tonumber("0x1p4"), tonumber("inf"), tonumber(" 0x10 "))
print(pcall(tonumber))
print(pcall(tonumber, "10", 99))
print(pcall(tonumber, {}, 10))
print(tonumber("7fffffffffffffff", 16), tonumber("ffffffffffffffff", 16), tonumber("1.5", 10))
print(tonumber(10, 16), tonumber(3.5))
""",
    "select": r"""
print(select("#"), select("#", nil, nil), select(2, "a", "b", "c"), select(-1, 1, 2, 3))
print(pcall(select, 0, 1))
print(pcall(select, -5, 1))
print(pcall(select, "x"))
print(select(5, 1, 2))
""",
    "raw": r"""
local t = setmetatable({}, {__index = function() return "meta" end, __newindex = function() end,
  __len = function() return 99 end, __eq = function() return true end})
print(t.x, rawget(t, "x"), #t, rawlen(t), rawlen("abc"))
rawset(t, "x", 1) t.y = 2
print(t.x, t.y, rawget(t, "y"))
print(rawequal(t, t), rawequal(t, {}), t == setmetatable({}, getmetatable(t)), rawequal("a", "a"))
print(pcall(rawlen, 5))
print(pcall(rawset, {}, nil, 1))
print(pcall(rawget, 1))
""",
    "metatables": r"""
local t = setmetatable({}, {__metatable = "locked"})
print(getmetatable(t), pcall(setmetatable, t, {}))
print(getmetatable("abc").__index == string, getmetatable(1))
print(pcall(setmetatable, 1, {}))
print(pcall(setmetatable, {}, 1))
print(pcall(setmetatable, {}))
local mt = {} local u = setmetatable({}, mt) print(getmetatable(u) == mt, setmetatable(u, nil) == u, getmetatable(u))
""",
    "error_pcall": r"""
print(pcall(error))
print(pcall(error, nil))
print(pcall(error, "msg"))
print(pcall(error, "msg", 0))
local function f() error("lvl1") end
local function g() error("lvl2", 2) end
local function h() g() end
print(pcall(f))
print(pcall(h))
print(pcall(error, {code = 1}))
print(select("#", pcall(error)))
print(pcall(function() local x = nil; return x.y end))
print(pcall(function() return undefinedglobal.y end))
print(pcall(function() undefinedfunc() end))
print(pcall(function() local t = {} t.m() end))
print(pcall(function() local s = "x" return s:nomethod() end))
print(pcall(function() return 1 + {} end))
print(pcall(function() return #nil end))
print(pcall(pcall))
print(pcall(nil))
print(pcall(function(...) return ... end, 1, nil, 3))
print(pcall({}))
print(pcall(setmetatable({}, {__call = function(self, a) return a end}), 5))
print(xpcall({}, function(m) return "H:" .. m end))
print(pcall(error, setmetatable({}, {__tostring = function() return "E!" end})))
""",
    "xpcall_assert": r"""
print(xpcall(function() error("x") end, function(m) return "H:" .. m end))
print(xpcall(function(a, b) return a + b end, print, 1, 2))
print(xpcall(function() error({}) end, function(m) return type(m) end))
print(xpcall(function() local x; x() end, function(m) return "H:" .. m end))
print(pcall(xpcall, print))
print(assert(1, 2, 3))
print(pcall(assert, false))
print(pcall(assert, nil, "boom"))
print(pcall(assert, false, 42))
print(pcall(assert))
print(pcall(function() assert(false) end))
print(pcall(function() assert(nil, "m") end))
print(select("#", assert(true)))
""",
    "next_pairs_ipairs": r"""
local t = {10, 20, 30, x = 1, y = 2, [3.0] = 33, [true] = "t"}
local n = 0 for k, v in pairs(t) do n = n + 1 end print(n)
for i, v in ipairs(t) do io.write(i, "=", tostring(v), " ") end print()
print(next({}), next({5}), pcall(next, {}, "nokey"))
local keys = {} for k in pairs({a = 1, b = 2, c = 3}) do keys[#keys + 1] = k end
table.sort(keys) print(table.concat(keys, ","))
local d = {a = 1, b = 2, c = 3, d = 4} for k in pairs(d) do d[k] = nil end print(next(d))
local p = setmetatable({}, {__pairs = function(t) return function(_, k) if not k then return 1, "one" end end, t, nil end})
for k, v in pairs(p) do print(k, v) end
local ip = setmetatable({}, {__index = function(t, i) if i <= 3 then return i * 2 end end})
for i, v in ipairs(ip) do io.write(i, ":", v, " ") end print()
print(pcall(pairs))
print(pcall(pairs, nil))
print(pcall(ipairs))
print(pcall(function() for k, v in pairs(5) do end end))
local holes = {1, 2, nil, 4} local c = 0 for _ in ipairs(holes) do c = c + 1 end print(c)
""",
    "load": r"""
print(load("return 1 + 1")())
print(load("x="))
print(load("x=", "=name"))
print(load("x=", "@file.lua"))
print(load("syntax error here"))
print(load("\n\nx="))
print(load("x=", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"))
print(pcall(load("error('in chunk')")))
print(pcall(load("error('named')", "=mychunk")))
local e = {y = 5} print(load("return y", "c", "t", e)())
print(load("return ...", "c")(1, 2))
local parts = {"return ", "4", "2"} local i = 0
print(load(function() i = i + 1 return parts[i] end)())
print(load(function() return {} end))
print(load("return 1", "x", "b"))
print(load("\27Lua", "x", "t"))
print(pcall(load, nil))
print(load("return _ENV")() == _G)
G_X = 7 print(load("return G_X")())
""",
    "runtime_errors": r"""
local function e(f, ...) print(select(2, pcall(f, ...))) end
local up = nil
local t = {}
e(function() local x; return x + 1 end)
e(function() return up + 1 end)
e(function() return t.a.b end)
e(function() return t.a + 1 end)
e(function() return glob.x end)
e(function() glob() end)
e(function() t.m() end)
e(function() t:m() end)
e(function() ("x"):nomethod() end)
e(function() return #up end)
e(function() return -up end)
e(function() return up .. "x" end)
e(function() return "x" .. t end)
e(function() return 1 < up end)
e(function() return {} < {} end)
e(function() return 1.5 | 1 end)
e(function() local x = 1.5 return x // 0 end)
e(function() local x = 1 return x // 0 end)
e(function() local x = 1 return x % 0 end)
e(function() return t[nil] end)
e(function() t[nil] = 1 end)
e(function() t[0/0] = 1 end)
e(function() local a = "abc" return a + 1 end)
e(function() local a = "10" return a + 1 end)
e(function() return math.floor("x") end)
e(function() return ("x"):rep(1e10) end)
e(function() local function f() return f() + 1 end return f() end)
e(function() error("lvl2", 2) end)
e(function() error() end)
e(function() error(nil) end)
e(function() error(42) end)
e(function() error(42, 2) end)
e(function() local a <const> = 5; return a.x end)
e(function() return t.x.y.z end)
e(function() return string.nofunc() end)
e(function() return up() end)
e(function() return (up)() end)
e(function() return setmetatable({}, {__index = function(t, k) error("idx " .. k) end}).foo end)
e(function() return tostring(setmetatable({}, {__tostring = function() return {} end})) end)
e(function() for i = 1, "x" do end end)
e(function() for i = 1, 10, 0 do end end)
e(function() for k in pairs(nil) do end end)
e(function() for i, v in ipairs(nil) do end end)
e(function() return select(0) end)
e(function() return ("x"):sub({}) end)
e(function() return math.max() end)
e(function() return #t.nothing end)
e(function() return ("x"):rep() end)
e(function() local s = "x" return s.rep() end)
e(function() local s = "x" return s:rep({}) end)
e(function() local s = "x" return s.rep(s, {}) end)
""",
    "debug_subset": r"""
local function what() local d = debug.getinfo(3, "S") return d and d.what or "C" end
local mt = {}
mt.__newindex = function(t, n, v) print("newindex", n, what()) rawset(t, n, v) end
local env = setmetatable({}, mt)
env.x = 1
local function f() env.y = 2 end
f()
print(debug.getinfo(1).currentline, debug.getinfo(1).what, debug.getinfo(1).short_src)
local function g() return debug.getinfo(2, "l").currentline end
print(g())
print(debug.getinfo(print).what)
print(xpcall(function() error("E") end, function(m) return (debug.traceback(m):gsub("\n.*", "")) end))
print(select("#", debug.traceback("m")), (debug.traceback("m"):match("^m\nstack traceback:")))
print(type(debug.getregistry()))
""",
    "c_levels": r"""
local function check(x) if type(x) ~= "number" then error("expected number", 2) end return x end
local function tail() return check("s") end
local function notail() local r = check("s") return r end
print(pcall(tail))
print(pcall(notail))
print(pcall(table.sort, {1, "x", 2}))
print(pcall(function() table.sort({1, "x", 2}) end))
print(pcall(function() return math.max(1, "x") end))
print(pcall(function() return "10" // "0" end))
print(pcall(function() return "10" + {} end))
print(pcall(rawset, {}, nil, 1))
print(pcall(function() rawset({}, nil, 1) end))
print(pcall(function() local t = {} t[nil] = 1 end))
print(pcall(setmetatable({}, {__call = 5})))
print(pcall(function() return setmetatable({}, {__call = 5})() end))
local co = coroutine.create(function() table.sort({3, 1, 2}, function(a, b) coroutine.yield() return a < b end) end)
print(coroutine.resume(co))
co = coroutine.create(function() return pcall(function() coroutine.yield("ok") return 1 end) end)
print(coroutine.resume(co)) print(coroutine.resume(co))
""",
    "keys_numbers_loops": r"""
local t = {}
t[1] = "a"; t[1.0] = "b"; t[2^53] = "c"; t["1"] = "d"; t[true] = "e"; t[-0.0] = "z"
print(t[1], t["1"], t[2^53], t[math.tointeger(2^53)], t[true], t[0], t[0.0])
local n = 0 for k, v in pairs(t) do n = n + 1 end print(n)
print(math.type(next({[3.0] = 1})), next({[2.5] = 1}), next({[1e300] = 1}))
print(#"a\0b", "a\0b" < "a\0c", "\255" > "a", "Z" < "a", "" < "a", "abc" < "abd", "ab" < "abc")
print(1 == 1.0, "1" == 1, 0.1 + 0.2 == 0.3, math.maxinteger + 1.0 == 2^63, -0.0 == 0.0)
print(1e15, 1e16, 123456789012345678, 0.1, -1e-7, 2^-1074, 1/3)
print(10 .. "", 1.5 .. "|", -0.0 .. "", (2^63) .. "", math.mininteger .. "")
print(8 // 3, -8 // 3, 8 % -3, -8 % 3, 8.5 // 2, 7 // 0.5, 2^2, 10 / 2)
print(math.maxinteger * 2, math.mininteger - 1, -math.mininteger, math.mininteger // -1)
print(5 >> 1, -5 >> 1, 1 << 64, 1 << 63, ~0 >> 60, 0xFF & 0x0F, 0xF0 | 0x0F, 0xFF ~ 0x0F)
local s = 0 for i = 10, 1, -3 do s = s + i end print(s)
for i = 1, 3 do local x = i * 2 io.write(x, " ") end print()
for x = 0.5, 2, 0.5 do io.write(x, " ") end print()
for i = math.maxinteger - 2, math.maxinteger do io.write(i, " ") end print()
local big = {} for i = 1, 100 do big[i] = i end for i = 1, 50 do big[i] = nil end print(#big == 100 or #big == 0, big[100])
local t2 = {10, 20, 30, nil, 50} print(#t2 == 5 or #t2 == 3)
local t3 = {n = 1, [1] = "x", [2] = "y"} print(#t3, t3.n)
print(select("#", table.unpack({1, nil, 3})))
print(rawequal(0, -0), rawequal(0, 0.0), rawequal("a", "a"), rawequal({}, {}))
print(tostring(nil) .. tostring(false) .. tostring(12) .. tostring(1.25))
""",
    "misc": r"""
print(_VERSION, _G._G == _G, _G.print == print)
print(type(collectgarbage("count")), collectgarbage(), collectgarbage("step"), collectgarbage("isrunning"))
print(pcall(collectgarbage, "bogus"))
print(string.format("%5.1f", 3), ("x"):rep(3), #"abc")
print(unpack, loadstring, setfenv, type(table.unpack), type(require))
""",
}


@needs_lua
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_baselib_snippet(name: str) -> None:
    src = SNIPPETS[name]
    assert run_ours(src) == run_ref(src)


def test_deep_recursion_and_stack_overflow() -> None:
    src = r"""
local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end
print(pcall(f, 5000))
local function h() return 1 + h() end
print(pcall(h))
local co = coroutine.wrap(function() return pcall(h) end)
print(co())
"""
    assert run_ours(src) == (
        "true\t5000\nfalse\tinput:4: stack overflow\nfalse\tinput:4: stack overflow\n"
    )


@needs_lua
def test_loadfile_dofile_skip_bom_and_shebang(tmp_path: Path) -> None:
    path = f"{tmp_path}/bom.lua"
    with open(path, "wb") as fh:
        fh.write(b"\xef\xbb\xbf#!/usr/bin/lua\nreturn debug.getinfo(1).currentline, ...\n")
    src = (
        f'print(dofile("{path}")) print(loadfile("{path}")(5))\n'
        'print(loadfile("/nonexistent/x.lua"))\n'
        'print(pcall(dofile, "/nonexistent/x.lua"))\n'
    )
    assert run_ours(src) == run_ref(src)
