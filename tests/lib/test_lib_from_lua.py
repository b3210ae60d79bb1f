"""The library modules used from Lua code running on this project's transpiler/runtime
(``require`` returning ``nse.lib.lua_module`` tables), compared with the same program
under lua5.4 + nmap's nselib where the module is pure Lua there."""

from __future__ import annotations

import subprocess
from typing import Any

from libref import NSELIB, STUB, needs_nselib

from nse.lib import lua_module

PROGRAM = r"""
local base64 = require "base64"
local json = require "json"
local ipOps = require "ipOps"
local url = require "url"
local stringaux = require "stringaux"
local tab = require "tab"
local unicode = require "unicode"
local out = {}
local function emit(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end out[#out+1] = table.concat(t, " ") end
emit(base64.enc("hello"), base64.dec("aGVsbG8="))
local ok, v = json.parse('{"a": [1, 2, {"b": null}], "c": "\\u00e9"}')
emit(ok, #v.a, v.a[3].b == json.NULL, v.c, json.generate(v.a))
emit(json.generate(json.make_array({})), json.generate({}), json.typeof(json.NULL))
emit(ipOps.isPrivate("10.1.2.3"))
emit(ipOps.get_ips_from_range("192.168.0.0/30"))
emit(ipOps.compare_ip("1.2.3.4", "lt", "1.2.3.10"))
local p = url.parse("http://u:p@host:81/x/y.php?q=1#f")
emit(p.host, p.port, p.path, p.extension, p.query, url.absolute("http://a/b/c", "../d"))
emit(table.concat(stringaux.strsplit(",%s*", "a, b,c"), "|"))
local t = tab.new(); tab.addrow(t, "PORT", "STATE"); tab.addrow(t, "22/tcp", "open")
emit(tab.dump(t))
emit(unicode.utf8to16("h\195\169") == "h\0\xe9\0", #unicode.decode("h\195\169llo", unicode.utf8_dec))
local pcall_ok, err = pcall(base64.dec, "a")
emit(pcall_ok, (tostring(err):gsub("^.-:%d+: ", "")))
print(table.concat(out, "\n"))
"""


def _run_ours(src: str) -> str:
    import io
    from contextlib import redirect_stdout

    from nse.lua import ops
    from nse.lua.baselib import new_env
    from transpiler import compile_chunk

    g = new_env()

    def require(name: Any = None, *_: Any) -> Any:
        if g[name] is not None:
            return g[name]
        return lua_module(name)

    g["require"] = require
    buf = io.StringIO()
    with redirect_stdout(buf):
        ops.call(compile_chunk(src, "=prog")(g))
    return buf.getvalue()


@needs_nselib
def test_program_same_output_as_nmap_nselib() -> None:
    want = subprocess.run(
        ["lua5.4", "-"], input=(STUB + PROGRAM).encode("latin-1"), capture_output=True, timeout=60
    )
    assert want.returncode == 0, want.stderr
    got = _run_ours(PROGRAM)
    assert got.encode("latin-1") == want.stdout.replace(b"\r\n", b"\n")
    assert NSELIB


def test_userdata_methods_from_lua() -> None:
    src = r"""
local pcre = require "pcre"
local openssl = require "openssl"
local zlib = require "zlib"
local lpeg = require "lpeg"
local r = pcre.new("(\\d+)-(?<x>\\w+)", 0, "C")
local s, e, t = r:match("id 42-abc")
local bn = openssl.bignum_dec2bn("255")
local z = zlib.inflate((zlib.compress("data data")))
local digits = lpeg.C(lpeg.R("09")^1) * "-"
print(s, e, t[1], t.x, bn:tohex(), tostring(bn), z:read("*a"), digits:match("12-"), #lpeg.P("ab") ~= nil)
local ok, err = pcall(function() return r:match(nil) end)
print(ok, (tostring(err):gsub("^.-:%d+: ", "")))
"""
    out = _run_ours(src)
    lines = out.splitlines()
    assert lines[0] == "4\t9\t42\tabc\tFF\tFF\tdata data\t12\ttrue"
    assert lines[1] == "false\tbad argument #1 to 'match' (string expected, got nil)"
