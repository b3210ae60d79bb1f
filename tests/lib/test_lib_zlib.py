"""zlib: the same calls run inside nmap 7.93 itself (its lzlib binding is C code) and here."""

from __future__ import annotations

import gzip
import zlib as pyzlib
from typing import Any

import pytest
from libref import compare, needs_nmap, nmap_calls

from nse.lib import zlib
from nse.lib._util import LuaError
from nse.lua import ops
from nse.lua.luatable import LuaTable

C = pyzlib.compress(b"line one\nline two\nlast").decode("latin-1")
G = gzip.compress(b"gzip data here\nsecond", mtime=0).decode("latin-1")
_raw = pyzlib.compressobj(6, 8, -15)
R = (_raw.compress(b"raw data") + _raw.flush()).decode("latin-1")


@pytest.mark.nmap
@needs_nmap
def test_functions_vs_nmap() -> None:
    calls: list[tuple[str, list[object]]] = [
        ("version", []),
        ("crc32", []),
        ("adler32", []),
        ("crc32", [0, ""]),
        ("crc32", [123, "abc"]),
        ("crc32", [2**32 + 5, "abc"]),
        ("crc32", [-1, "abc"]),
        ("adler32", [1, "hello"]),
        ("adler32", [2**33, "x"]),
        ("crc32", [1.5, "x"]),
        ("crc32", ["7", "x"]),
        ("compress", [""]),
        ("compress", ["abc", 9]),
        ("compress", ["abc", 0]),
        ("compress", ["abc", 1, 8, -15]),
        ("compress", ["abc", 1, 8, 31]),
        ("compress", ["hello " * 100]),
        ("compress", ["abc", 11]),
        ("compress", [None]),
        ("decompress", [C]),
        ("decompress", [G]),
        ("decompress", [R, -15]),
        ("decompress", [C + "trailing"]),
        ("decompress", [C, 15]),
        ("decompress", [G, 31]),
        ("decompress", ["garbage"]),
        ("decompress", [None]),
    ]
    compare("zlib", zlib, calls, runner=nmap_calls)


PRELUDE = """
M.t_read = function(src, how) local s = M.inflate(src); local a = s:read(how); local b = s:read(how); local c = s:read(how); local ok = s:close(); return a, b, c, ok end
M.t_lines = function(src) local s = M.inflate(src); local o = {} for l in s:lines() do o[#o+1] = l end return o end
M.t_obj = function(src) local done = false; local o = {read = function(self) if done then return nil end done = true return src end}; return M.inflate(o):read("*a") end
M.t_def = function(data, level) local out = {}; local s = M.deflate(function(d) out[#out+1] = d end, level); local r1 = s:write(data, data); local r2 = s:flush("sync"); local r3 = s:write("x"); local r4 = s:close(); return table.concat(out), r1, r2, r3, r4 end
M.t_defobj = function(data) local out = {}; local sink = {write = function(self, d) out[#out+1] = d end}; local s = M.deflate(sink); s:write(data); s:flush("finish"); s:close(); return table.concat(out) end
M.t_ad = function() local s = M.deflate(function() end); local a = s:adler(); s:write("abc", "de"); local b = s:adler(); s:flush("finish"); local ok, e = pcall(function() return s:adler() end); return a, b, ok, (tostring(e):gsub("^.-:%d+: ", "")) end
M.t_ai = function(src) local s = M.inflate(src); local a = s:adler(); s:read(3); local b = s:adler(); s:read("*a"); return a, b, s:adler() end
M.t_eof = function(src) local s = M.inflate(src); return s:read(1), s:read(5), s:read(5), s:read("*a"), s:read(0), s:read("*l") end
"""


def _py_helpers() -> dict[str, Any]:
    def t_read(src: Any = None, how: Any = None, *_: Any) -> Any:
        s = zlib.inflate(src)
        a, b, c = (ops.first(ops.invoke(s, "read", how)) for _ in range(3))
        return a, b, c, ops.first(ops.invoke(s, "close"))

    def t_lines(src: Any = None, *_: Any) -> Any:
        it = ops.invoke(zlib.inflate(src), "lines")
        out = LuaTable()
        while (line := ops.first(it())) is not None:
            out.append(line)
        return out

    def t_obj(src: Any = None, *_: Any) -> Any:
        state = {"done": False}

        def read(self: Any = None, *_: Any) -> Any:
            if state["done"]:
                return None
            state["done"] = True
            return src

        return ops.invoke(zlib.inflate(LuaTable.from_dict({"read": read})), "read", "*a")

    def t_def(data: Any = None, level: Any = None, *_: Any) -> Any:
        out: list[str] = []
        s = zlib.deflate(lambda d=None, *_: out.append(d), level)
        r1 = ops.invoke(s, "write", data, data)
        r2 = ops.invoke(s, "flush", "sync")
        r3 = ops.invoke(s, "write", "x")
        r4 = ops.invoke(s, "close")
        return "".join(out), r1, r2, r3, r4

    def t_defobj(data: Any = None, *_: Any) -> Any:
        out: list[str] = []
        sink = LuaTable.from_dict({"write": lambda self=None, d=None, *_: out.append(d)})
        s = zlib.deflate(sink)
        ops.invoke(s, "write", data)
        ops.invoke(s, "flush", "finish")
        ops.invoke(s, "close")
        return "".join(out)

    def t_ad(*_: Any) -> Any:
        s = zlib.deflate(lambda *_: ())
        a = ops.invoke(s, "adler")
        ops.invoke(s, "write", "abc", "de")
        b = ops.invoke(s, "adler")
        ops.invoke(s, "flush", "finish")
        try:
            return a, b, True, ops.invoke(s, "adler")
        except LuaError as e:
            return a, b, False, e.value

    def t_ai(src: Any = None, *_: Any) -> Any:
        s = zlib.inflate(src)
        a = ops.invoke(s, "adler")
        ops.invoke(s, "read", 3)
        b = ops.invoke(s, "adler")
        ops.invoke(s, "read", "*a")
        return a, b, ops.invoke(s, "adler")

    def t_eof(src: Any = None, *_: Any) -> Any:
        s = zlib.inflate(src)
        return tuple(ops.first(ops.invoke(s, "read", h)) for h in (1, 5, 5, "*a", 0, "*l"))

    return {k: v for k, v in locals().items() if k.startswith("t_")}


@pytest.mark.nmap
@needs_nmap
def test_streams_vs_nmap() -> None:
    calls: list[tuple[str, list[object]]] = [
        ("t_read", [C, "*a"]),
        ("t_read", [C, "*l"]),
        ("t_read", [C, 5]),
        ("t_read", [G, "*a"]),
        ("t_read", [G, "*l"]),
        ("t_read", ["garbage", "*a"]),
        ("t_read", ["", "*a"]),
        ("t_read", [C, 0]),
        ("t_read", [C, "*n"]),
        ("t_read", [R, "*a"]),
        ("t_lines", [C]),
        ("t_lines", [G]),
        ("t_obj", [C]),
        ("t_def", ["hello", None]),
        ("t_def", ["hello", 9]),
        ("t_def", ["abc" * 1000, 1]),
        ("t_defobj", ["abcabc"]),
        ("t_ad", []),
        ("t_ai", [C]),
        ("t_ai", [G]),
        ("t_eof", [pyzlib.compress(b"ab").decode("latin-1")]),
    ]
    helpers = _py_helpers()
    for k, v in helpers.items():
        setattr(zlib, k, v)
        zlib.__all__.append(k)
    try:
        compare("zlib", zlib, calls, PRELUDE, runner=nmap_calls)
    finally:
        for k in helpers:
            zlib.__all__.remove(k)
            delattr(zlib, k)


def test_literals() -> None:
    assert zlib.crc32(0, "abc") == 891568578.0
    assert zlib.decompress(zlib.compress("hello")[0]) == "hello"
    with pytest.raises(LuaError, match="failed to process zlib stream"):
        zlib.decompress("x")  # nmap itself never returns here
    s = zlib.inflate(C)
    assert ops.invoke(s, "read", "*a") == "line one\nline two\nlast"
    assert ops.type_(s) == "userdata"
    assert ops.tostring(s).startswith("zlib inflate stream (0x")
    ops.invoke(s, "close")
    with pytest.raises(LuaError, match="invalid zlib stream"):
        ops.invoke(s, "read", "*a")
