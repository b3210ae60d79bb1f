"""The five libraries exercised from Lua code: programs transpiled and run on our runtime,
their stdout compared byte for byte with lua5.4's (same cwd, TZ=Europe/Berlin).

The environment is ``nse.lua.baselib.new_env()`` when the basic library exists; until then
a minimal stand-in (print, pcall, error, select, type, tostring, setmetatable, ipairs,
pairs, assert and the libraries) defined in RUNNER below.

Programs in KNOWN differ from lua5.4 for reasons outside these libraries; they xfail while
they differ and pass once fixed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LUA = shutil.which("lua5.4")
ROOT = Path(__file__).resolve().parents[2]

PROGRAMS = {
    "remove_fast_path": r"""
local t = {1, nil, 3, nil, 5}
print(table.remove(t, 4), #t, table.remove(t, 1), #t, t[1], t[2], t[3])
local u = {1, 2, nil, 4}
print(table.remove(u, 4), #u, u[3], table.remove(u), #u)
local w = {}
print(table.remove(w), table.remove(w, 0), #w, pcall(table.remove, w, 2))
local v = {10, 20, 30}
print(table.remove(v, 1), table.remove(v, 2), v[1], v[2], #v, table.remove(v, #v + 1))
local h = {1, 2, 3, [5] = 5}
print(table.remove(h, 1), #h, h[3], h[4], h[5], table.remove(h, 2.0), #h)
""",
    "output_order": r"""
io.write("a", 1, " ", 2.5, " ", 1.0, " ", -0.0, "\n")
print("b", 1.0, -0.0)
io.write("c") print("d") io.stdout:write("e", "\n")
print(io.write("x") == io.stdout, io.stdout:write("y") == io.stdout)
print(select("#", io.write()))
io.stderr:write("to stderr\n")
print(tostring(io.stdout):match("^file %(0x%x+%)$") ~= nil, io.type(io.stdout), io.type(42))
print(pcall(function() return io.write({}) end))
print(pcall(function() io.write("ok", nil) end))
""",
    "tables": r"""
local t = {}
for i = 1, 10 do table.insert(t, i * i) end
table.insert(t, 1, 0)
print(#t, table.concat(t, ","), table.remove(t), table.remove(t, 1), #t)
print(table.unpack(t, 3, 5))
print(pcall(function() return table.insert(t, 20, 1) end))
print(pcall(function() table.insert(t, 1, 2, 3) end))
local store = {}
local proxy = setmetatable({}, {
  __index = function(_, k) return store[k] end,
  __newindex = function(_, k, v) print("set", k, v) store[k] = v end,
  __len = function() return #store end,
})
table.insert(proxy, "a") table.insert(proxy, "b") table.insert(proxy, 1, "c")
print(table.concat(proxy, "-"), table.remove(proxy, 1), table.concat(store, "-"))
table.move({1, 2, 3}, 1, 3, 2, proxy)
print(table.concat(store, " "))
local recs = {}
for i = 1, 30 do recs[i] = {name = "n" .. (i % 4), id = i} end
table.sort(recs, function(a, b) return a.name < b.name end)
local ids = {} for i, r in ipairs(recs) do ids[i] = r.id end
print(table.concat(ids, " "))
local words = {"pear", "Apple", "fig", "apple", "\xffz", "", "a\0b"}
table.sort(words) print(#words, table.concat(words, "|"))
print(pcall(function() return table.sort({3, 2, 1}, function(a, b) error("cmp failed") end) end))
print(pcall(function() return table.sort({5, 4, 3, 2, 1, 0}, function() return true end) end))
local p = table.pack(1, nil, 3)
print(p.n, p[1], p[2], p[3])
print(select("#", table.unpack({1, nil, 3})), select("#", table.unpack({1, nil, 3}, 1, 5)))
print(pcall(function() return table.concat({1, {}, 3}) end))
print(pcall(function() return table.unpack({}, 1, 1e8) end))
""",
    "numbers": r"""
math.randomseed(2024)
local r = {} for i = 1, 10 do r[i] = math.random(6) end print(table.concat(r, " "))
print(math.random(), math.random(0), math.random(-5, 5), math.random(math.mininteger, math.maxinteger))
print(math.randomseed(7, 8))
print(math.floor(3.7), math.type(math.floor(3.7)), math.floor(-0.0), math.ceil(1e300), math.floor(2^62))
print(math.fmod(-7, 3), math.fmod(7, -3.0), pcall(function() return math.fmod(1, 0) end))
print(math.modf(-3.25), math.modf(math.huge), math.abs(math.mininteger), math.abs(-2.5))
print(math.max(3, 9.5, -1), math.min(3, 9.5, -1), pcall(function() return math.max() end))
print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger("8"), math.type(1), math.type(1.0), math.type("1"))
print(math.ult(1, -1), math.log(1024, 2), math.log(1000, 10), math.log(8, 4), math.exp(0), math.sqrt(-1))
print(math.sin(0), math.cos(math.pi), math.tan(0.5), math.atan(1, -1), math.deg(1), math.rad(1))
print(math.pi, math.huge, -math.huge, math.maxinteger + 1 == math.mininteger)
print(pcall(function() return math.floor("abc") end))
print(pcall(function() return math.random(1, 2, 3) end))
print(pcall(function() return math.random(3, 1) end))
""",
    "utf8s": r"""
local s = "h\xc3\xa9llo w\xc3\xb6rld \xe2\x82\xac \xf0\x9f\x98\x80"
print(utf8.len(s), #s, utf8.char(72, 233, 8364, 128512))
for p, c in utf8.codes(s) do io.write(p, ":", c, " ") end print()
print(utf8.codepoint(s, 1, -1))
print(utf8.offset(s, 3), utf8.offset(s, -1), utf8.offset(s, 0, 3))
for ch in s:gmatch(utf8.charpattern) do io.write("[", ch, "]") end print()
print(utf8.len("\xff"), utf8.len(s, 3))
print(pcall(function() for p, c in utf8.codes("ab\xff") do io.write(p, " ") end end))
print(pcall(function() return utf8.codepoint("\xff") end))
print(pcall(function() return utf8.offset(s, 1, 3) end))
print(pcall(function() return utf8.char(-1) end))
""",
    "files": r"""
local tn = os.tmpname()
print(tn:match("^/tmp/lua_") ~= nil, io.type(io.open(tn)), os.remove(tn))
local name = "lt_test.tmp"
local f = assert(io.open(name, "w"))
print(f:write("first line\n", 42, " ", 3.5, "\n", "\0\255 bytes\n", "last") == f)
print(f:seek("cur"), f:seek("set", 0), f:seek("end"))
f:close()
print(io.type(f), tostring(f), pcall(function() return f.read(f) end))
local it = io.lines(name) for l in it do io.write("<", l, ">") end print()
local it2 = io.lines(name, 5, "n") for a, b in it2 do io.write("<", tostring(a), "|", tostring(b), ">") end print()
local g = io.open(name, "r")
print(g:read("L"), g:read("n", "n"), g:read(1), g:read("l"), g:read("a"), g:read("a"), g:read("l"))
g:close()
print(pcall(function() local it = io.lines(name, "?") for l in it do end end))
print(pcall(function() return io.lines(name .. ".missing") end))
print(io.open(name .. ".missing"))
print(pcall(function() return io.open(name, "rw+") end))
local h = io.open(name, "a+") h:write("\nappended") h:seek("set") print(#h:read("a")) h:close()
io.output(name) io.write("via default output\n") io.close() io.output(io.stdout)
io.input(name) print(io.read("L")) io.input():close()
print(pcall(function() return io.read() end))
io.input(io.stdin)
print(os.rename(name, name .. ".2"), os.remove(name .. ".2"), os.remove(name .. ".2"))
local d = io.open("/tmp") print(d:read("a")) d:close()
print(io.stdout:close())
""",
    "dates": r"""
print(os.date("!%Y-%m-%d %H:%M:%S", 1234567890), os.date("!%c", 0), os.date("!%x %X %p", 86399))
local t = os.date("!*t", 1234567890)
print(t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, t.isdst)
local n = {year = 2021, month = 14, day = -3, hour = 30}
local ts = os.time(n)
print(n.year, n.month, n.day, n.hour, n.min, n.sec, n.wday, n.yday)
print(os.date("%Y-%m-%d %H:%M", ts))
print(pcall(function() return os.time({year = 2021}) end))
print(pcall(function() return os.date("%Q") end))
print(pcall(function() return os.date("%Ez") end))
print(os.difftime(10, 4), math.type(os.time()), type(os.clock()))
print(os.getenv("HOME") ~= nil, os.getenv("NO_SUCH_VAR_XYZ"))
print(os.setlocale(), os.setlocale("C"), os.setlocale("fr_FR"))
""",
    "in_c_errors": r"""
-- errors raised by operators inside library functions carry no position in Lua
print(pcall(function() table.sort({1, "x", 2}) end))
print(pcall(function() local n = 5 return table.unpack(n) end))
print(pcall(function() local a = {} return math.max(1, a) end))
""",
    "direct_pcall": r"""
-- library functions called by pcall itself: no position, global name
print(pcall(math.floor, "x"))
print(pcall(table.insert, {}, 5, 1))
print(pcall(io.open, "x", "bad"))
print(pcall(utf8.char, -1))
print(pcall(os.date, "%Q"))
""",
    "lines_for": r"""
local name = os.tmpname()
local f = io.open(name, "w") f:write("a\nb\n") f:close()
for l in io.lines(name) do io.write("<", l, ">") end print()
for a, b in io.lines(name, 1, 1) do io.write("<", a, b, ">") end print()
do local g <close> = io.open(name) print(g:read("a")) end
os.remove(name)
""",
    "c_levels": r"""
-- functions called by library code are called "from C": error(msg, 2) has no position
print(pcall(table.sort, {3, 1, 2}, function(a, b) error("lvl2", 2) end))
print(pcall(function() table.sort({3, 1, 2}, function(a, b) error("lvl2", 2) end) end))
print(pcall(function() table.sort({3, 1, 2}, function(a, b) error("lvl1") end) end))
print(pcall(function() table.sort({"a", "b", "c"}, string.rep) end))
local mt = {__lt = function(a, b) error("lt2", 2) end}
local x, y = setmetatable({}, mt), setmetatable({}, mt)
print(pcall(function() return math.max(x, y) end))
print(pcall(function() table.sort({x, y, x}) end))
local p = setmetatable({}, {__index = function(t, k) error("idx" .. k, 2) end,
                            __len = function() return 2 end})
print(pcall(function() return table.concat(p, ",") end))
print(pcall(function() return table.unpack(p) end))
local q = setmetatable({}, {__len = function() error("len", 2) end})
print(pcall(function() return table.insert(q, 1) end))
print(pcall(math.floor, "x"))
print(pcall(table.insert, {}, 5, 1))
print(pcall(io.open, "x", "bad"))
print(pcall(utf8.char, -1))
print(pcall(os.date, "%Q"))
local r = setmetatable({}, {__index = function(t, k) if k == "day" then error("noday", 2) end
                                                    return ({year = 2020, month = 1})[k] end})
print(pcall(function() return os.time(r) end))
local w = setmetatable({year = 2020, month = 1, day = 1}, {__newindex = function() error("ro", 2) end})
print(pcall(function() return os.time(w) end))
local s = setmetatable({}, {__newindex = function() error("nw", 2) end, __len = function() return 0 end})
print(pcall(function() return table.insert(s, 1) end))
""",
    "stdin_read": r"""
print(io.read("n", "n", "l"))
print(io.read("L"))
print(io.stdin:read(3), io.read(0))
for l in io.stdin:lines() do io.write("[", l, "]") end print()
print(io.read("a"), io.read("l"), io.read(0))
print(io.type(io.stdin), io.input() == io.stdin)
""",
}

#: what each program reads on stdin (default: nothing)
STDIN = {"stdin_read": b"  42 -0x10 rest of line\nsecond\nabcdef\nl1\nl2\r\n\nl4"}

KNOWN = {
    "in_c_errors": "an operator error raised inside a library function gets the calling "
    "Lua line (and a variable name) from ops.op_error; Lua adds none (the running function "
    "is C)",
}

RUNNER = r"""
import sys
from transpiler import compile_chunk
from nse.lua import ops, mathlib, tablib, utf8lib, oslib, iolib, strlib
from nse.lua.errors import LuaError, from_python_exception, where
from nse.lua.luatable import LuaTable

def mini_env():
    G = LuaTable()
    def lprint(*a):
        sys.stdout.buffer.write(("\t".join(ops.tostring(x) for x in a) + "\n").encode("latin-1"))
        return ()
    def pcall(f, *a):
        try:
            r = ops.call(f, *a)
            return (True, *(r if type(r) is tuple else (r,)))
        except LuaError as e:
            return (False, e.value)
        except Exception as e:
            return (False, from_python_exception(e).value)
    def lerror(v=None, level=1, *_):
        if type(v) is str and level:
            v = where(level) + v
        raise LuaError(v)
    def select(n, *a):
        return len(a) if n == "#" else (a[n - 1:] if n > 0 else a[n:])
    def setmetatable(t, m):
        t.meta = m
        return t
    def ipairs(t):
        def it(t, i):
            v = ops.index(t, i + 1)
            return () if v is None else (i + 1, v)
        return it, t, 0
    def lnext(t, k=None):
        return t.next(k)
    def lassert(v=None, m="assertion failed!", *r):
        if v is None or v is False:
            lerror(m, 0)
        return (v, m, *r)
    G["print"] = lprint
    G["pcall"] = pcall
    G["error"] = lerror
    G["select"] = select
    G["tostring"] = lambda v=None, *_: ops.tostring(v)
    G["type"] = lambda v=None, *_: ops.type_(v)
    G["setmetatable"] = setmetatable
    G["ipairs"] = ipairs
    G["next"] = lnext
    G["pairs"] = lambda t, *_: (lnext, t, None)
    G["assert"] = lassert
    for n, m in (("math", mathlib), ("table", tablib), ("utf8", utf8lib), ("os", oslib),
                 ("io", iolib), ("string", strlib)):
        G[n] = m.open_lib(G)
    G["_G"] = G
    return G

try:
    from nse.lua.baselib import new_env
except ImportError:
    new_env = mini_env

src = open(sys.argv[1], "rb").read().decode("latin-1")
main = compile_chunk(src, sys.argv[1])(new_env())
try:
    main()
except LuaError as e:
    sys.stdout.flush()
    sys.stderr.write("lua: %s\n" % e)
    sys.exit(1)
"""


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("lualevel")
    (d / "runner.py").write_text(RUNNER)
    for name, src in PROGRAMS.items():
        (d / f"{name}.lua").write_bytes(src.encode("latin-1"))
    return d


def _run(cmd: list[str], cwd: Path, stdin: bytes) -> bytes:
    env = dict(os.environ, TZ="Europe/Berlin", PYTHONPATH=str(ROOT))
    p = subprocess.run(cmd, cwd=cwd, env=env, input=stdin, capture_output=True, timeout=60)
    return p.stdout + (b"exit %d\n" % p.returncode if p.returncode else b"")


@pytest.mark.skipif(LUA is None, reason="lua5.4 not installed")
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_program_same_as_lua(name: str, workdir: Path) -> None:
    stdin = STDIN.get(name, b"")
    want = _run([str(LUA), f"{name}.lua"], workdir, stdin)
    got = _run([sys.executable, "runner.py", f"{name}.lua"], workdir, stdin)
    if name in KNOWN and got != want:
        pytest.xfail(KNOWN[name])
    assert got.decode("latin-1") == want.decode("latin-1")
