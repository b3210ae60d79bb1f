"""Whole Lua programs using the string library the way NSE scripts do (method calls on
strings, gmatch loops, gsub with closures, pack/unpack of protocol headers, errors caught by
pcall with their positions), transpiled and run in-process, compared with lua5.4's output."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from test_string_luaref import LUA, needs_lua

from nse.lua.errors import LuaError

try:
    from transpiler import compile_chunk
except ImportError:  # the transpiler is built by another part of the project
    compile_chunk = None

PROGRAMS = {
    "http_parse": r"""
local s = "GET /index.html?a=1&b=%41 HTTP/1.1\r\nHost: example.com\r\nX-A: 1\r\n\r\nbody\255\0"
local method, path, ver = s:match("^(%u+) (%S+) HTTP/(%d%.%d)\r\n")
print(method, path, ver)
for k, v in s:gmatch("([%w-]+): ([^\r\n]*)") do print(k, v) end
local q = path:match("%?(.*)$")
for k, v in q:gmatch("([^&=]+)=([^&=]*)") do
  print(k, (v:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end)))
end
local head, body = s:match("^(.-)\r\n\r\n(.*)$")
print(#head, #body, body:byte(-2, -1))
print(s:find("\r\n\r\n", 1, true), s:find("Host:%s*(%S+)"))
""",
    "hex_and_format": r"""
local function tohex(s, sep)
  return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) .. (sep or "") end))
end
print(tohex("\0\1\127\128\255"), tohex("AB", ":"))
print(("%5.2f|%-6d|%+.3e|%g|%g|%g"):format(math.pi, 42, -1234.5, 1e20, 0.1, 2^53))
print(string.format("%q", "line1\nline2\t\0end\"q\"\\"))
print(string.format("%q|%q|%q", 1/3, math.mininteger, 2^63))
print(string.format("%s %s %s %s", 1, 1.0, -0.0, 1e100), string.format("%10.4s|", "abcdefgh"))
print(string.format("%x %X %o %c%c", 255, 48879, 8, 72, 105), ("x"):rep(3, "-"))
print(("abc"):upper():lower():reverse():len(), #"\255\0\1")
""",
    "patterns": r"""
local text = "THE (quick) (brown (fox)) jumps; over the lazy dog 192.168.0.1:8080"
print(text:match("%b()"), select(2, text:gsub("%b()", "")))
for w in text:gmatch("%f[%a]%a+%f[%A]") do io.write(w, ",") end print()
print(text:match("(%d+)%.(%d+)%.(%d+)%.(%d+):(%d+)"))
print(text:find("()o()", 20))
print(("key = value # comment"):match("^%s*([%w_]+)%s*=%s*(.-)%s*#"))
print(("aaa"):gsub("a*", "-"), ("abc"):gsub("", "/"), ("hello"):gsub("l+", {ll = "LL"}))
print(("x=1, y=2"):gsub("(%w+)=(%w+)", "%2=%1"), ("abc"):gsub("%w", "%0%0", 2))
local t = {}
for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do t[#t + 1] = k .. v end
print(table.concat(t, ";"), ("one two  three"):gsub("%s+", " "))
print(pcall(function() local r = ("abc"):find("%") return r end))
print(pcall(function() local r = ("abc"):gsub("(", "x") return r end))
print(pcall(function() local r = ("abc"):gsub("b", "%2") return r end))
print(pcall(function() local r = string.gsub("abc", "b", {b = {}}) return r end))
print(pcall(function() local r = string.rep() return r end))
print(pcall(function() local r = string.char(65, 256) return r end))
""",
    "pack_headers": r"""
local hdr = string.pack(">I2 I2 I2 I2 I2 I2", 0x1234, 0x0100, 1, 0, 0, 0)
print(#hdr, (hdr:gsub(".", function(c) return ("%02x"):format(c:byte()) end)))
local id, flags, qd, an, ns, ar, pos = string.unpack(">I2 I2 I2 I2 I2 I2", hdr)
print(id, flags, qd, an, ns, ar, pos)
local rec = string.pack("<s1 z i4 d", "name", "zstr", -2, 1.5)
print(#rec, string.unpack("<s1 z i4 d", rec))
print(string.packsize("!8 b i8 d"), string.packsize("i3 h"))
print(pcall(function() local r = string.unpack(">I4", "ab") return r end))
print(pcall(function() local r = string.pack("i1", 300) return r end))
print(string.unpack("B", "\255\1", 2), string.unpack("b", "\255"))
""",
    "coercions": r"""
print(("10"):rep(2) + 1, "3" * "4", 10 .. 20, ("%d"):format("7"))
print(string.len(12345), string.sub(123456, 2, -2), string.upper(1.5))
print(string.find(12345, 34), string.byte(9), string.format("%s", 1e15), 2^63 .. "")
print(pcall(function() local r = string.sub("abc", "x") return r end))
print(pcall(function() local r = string.format("%d", 1.5) return r end))
""",
}


def _run_ours(src: str, name: str) -> str:
    """Transpile and run ``src`` with a minimal env; its output as a string."""
    from nse.lua import iolib, mathlib, ops, strlib, tablib
    from nse.lua.luatable import LuaTable

    out: list[str] = []

    def lprint(*a: Any) -> tuple[()]:
        out.append("\t".join(ops.tostring(x) for x in a) + "\n")
        return ()

    def write(*a: Any) -> tuple[()]:
        out.append("".join(x if type(x) is str else ops.tostring(x) for x in a))
        return ()

    def pcall(f: Any, *a: Any) -> Any:
        from nse.lua.errors import from_python_exception

        try:
            r = ops.call(f, *a)
            return (True, *(r if type(r) is tuple else (r,)))
        except LuaError as e:
            return (False, e.value)
        except Exception as e:  # noqa: BLE001 - what pcall does with any error
            return (False, from_python_exception(e).value)

    def select(n: Any, *a: Any) -> Any:
        return len(a) if n == "#" else a[n - 1 :]

    G = LuaTable()
    G["print"] = lprint
    G["pcall"] = pcall
    G["select"] = select
    G["tostring"] = lambda v=None, *_: ops.tostring(v)
    G["tonumber"] = lambda v=None, b=None, *_: ops.tonumber(v, b)
    for n, m in (("math", mathlib), ("table", tablib), ("string", strlib), ("io", iolib)):
        G[n] = m.open_lib(G)
    io = LuaTable()
    io["write"] = write
    G["io"] = io
    compile_chunk(src, name)(G)()
    return "".join(out)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    d = tmp_path_factory.mktemp("strprog")
    want = {}
    for name, src in PROGRAMS.items():
        (d / f"{name}.lua").write_bytes(src.encode("latin-1"))
        r = subprocess.run([LUA, f"{name}.lua"], cwd=d, capture_output=True, timeout=30)
        assert r.returncode == 0, r.stderr
        want[name] = r.stdout.decode("latin-1")
    return want


@needs_lua
@pytest.mark.skipif(compile_chunk is None, reason="transpiler not available")
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_program_same_as_lua(name: str, reference: dict[str, str]) -> None:
    got = _run_ours(PROGRAMS[name], f"{name}.lua")
    assert got == reference[name]


if __name__ == "__main__":
    print(_run_ours(PROGRAMS[sys.argv[1]], sys.argv[1] + ".lua"), end="")
