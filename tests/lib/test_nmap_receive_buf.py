"""nmap sockets: ``receive_buf``/``receive_lines`` over a buffer that grows by reads.

``receive_buf`` searches a pattern again only where a match can still start since its last
search (nse/lib/nmap.py ``_pattern_extent``).  The reference is nmap's algorithm run by
``lua5.4``: after every read, ``string.find`` over the whole buffer.  Both are fed the same
reads (random splits of the same bytes) and must return the same results, call by call.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from nse.lib import nmap
from nse.lua.errors import LuaError


class Reads:
    """A stand-in for the gevent socket: ``recv`` gives the chunks in order, then EOF."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)
        self.calls = 0

    def recv(self, _n: int) -> bytes:
        self.calls += 1
        return self.chunks.pop(0) if self.chunks else b""

    def settimeout(self, _t: Any) -> None:
        pass

    def close(self) -> None:
        pass


class Endless(Reads):
    """``recv`` gives ``chunk`` for ever."""

    def __init__(self, chunk: bytes) -> None:
        super().__init__([])
        self.chunk = chunk

    def recv(self, _n: int) -> bytes:
        self.calls += 1
        return self.chunk


def sock_with(reader: Reads) -> nmap.NseSocket:
    s = nmap.new_socket()
    s.sock = reader
    s.was_connected = True
    return s


def ours(chunks: list[bytes], pattern: str, keep: bool) -> list[tuple[Any, str]]:
    """Call receive_buf until it fails; every (status, data or error)."""
    s = sock_with(Reads(chunks))
    out = []
    while True:
        r = s.receive_buf(pattern, keep)
        out.append((r[0], r[1]))
        if not r[0]:
            return out


# nmap's receive_buf (nse_nsock.cc): search the whole buffer after each read; at EOF the
# buffered data.  Our rule that an empty buffer is not searched is kept here too.
LUA_REFERENCE = r"""
local function hex(s) return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end)) end
local function run(id, pattern, keep, chunks)
  local buf, i, call = "", 1, 1
  while true do
    local s, e
    if #buf > 0 then s, e = string.find(buf, pattern) end
    if s then
      io.write(id, " ", call, " true ", hex(keep and buf:sub(1, e) or buf:sub(1, s - 1)), "\n")
      buf = buf:sub(e + 1)
      call = call + 1
    elseif chunks[i] then
      buf = buf .. chunks[i]
      i = i + 1
    else
      if #buf > 0 then
        io.write(id, " ", call, " true ", hex(buf), "\n")
        buf = ""
        call = call + 1
      else
        io.write(id, " ", call, " nil EOF\n")
        return
      end
    end
  end
end
local function case(id, pattern, keep, chunks)
  local ok, err = pcall(run, id, pattern, keep, chunks)
  -- the message without the "stdin:7:" position (ours names no Lua line: nmap.py raised)
  if not ok then io.write(id, " 0 error ", hex((err:gsub("^stdin:%d+: ", ""))), "\n") end
end
"""

PATTERNS = [
    "\r?\n", "\r\n\r\n", "\n", "END", "a)b", "%%", "%f[^\n\0]E[NR][DR]O?R?\r\n",
    "^SSH%-", "^..\n", "^x?a", "[\r\n]+", "a.-b", "%d%d ", "()ab()", "b$", "\n$", "x?y",
    "%bab", "%f[%w]%w%w%f[%W]", "[]]x", "[^%]]z", "(a)%1", "[%a]b?[%d]", "%s*\n",
    "x[", "E.D", "^$", "a+b", "ab%f[x]", "%a%f[%d]", "%f[%a]%a%a", "^ab%f[x]",
]
ALPHABET = b"ab\r\nEND x]%z1 9\0"


def _cases() -> Iterator[tuple[int, str, bool, list[bytes]]]:
    rng = random.Random(20261129)
    texts = [b"SSH-2.0-x\r\nline two\nEND\r\nrest", b"a]x\n\nzzab a1b9 12 ab\r\n\r\nEND"]
    texts += [bytes(rng.choice(ALPHABET) for _ in range(rng.randint(1, 120)))
              for _ in range(12)]
    n = 0
    for pattern in PATTERNS:
        for text in texts:
            keep = n % 2 == 0
            cuts = sorted(rng.sample(range(1, len(text)), min(len(text) - 1,
                                                               rng.randint(0, 12))))
            chunks = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
            yield n, pattern, keep, chunks
            n += 1
    # matches that need the byte after the old buffer's end (a final frontier)
    for pattern, chunks in (("^ab%f[x]", [b"ab", b"xyz"]), ("ab%f[x]", [b"zzab", b"x"]),
                            ("\r\n\r\n", [b"a\r\n\r", b"\n"]),
                            ("%f[^\n\0]E[NR][DR]O?R?\r\n", [b"x\nEN", b"D\r", b"\n!"])):
        for keep in (False, True):
            yield n, pattern, keep, chunks
            n += 1


def _lua_str(b: bytes) -> str:
    return '"' + "".join(f"\\{c}" for c in b) + '"'


@pytest.mark.skipif(shutil.which("lua5.4") is None, reason="needs lua5.4")
def test_same_results_as_whole_buffer_search_in_lua() -> None:
    cases = list(_cases())
    prog = [LUA_REFERENCE]
    for n, pattern, keep, chunks in cases:
        prog.append(f"case({n}, {_lua_str(pattern.encode('latin-1'))}, {str(keep).lower()}, "
                    f"{{{', '.join(map(_lua_str, chunks))}}})")
    res = subprocess.run(["lua5.4", "-"], input="\n".join(prog).encode(), capture_output=True,
                         timeout=60, check=False)
    assert res.returncode == 0, res.stderr
    want: dict[int, list[tuple[Any, str]]] = {}
    for line in res.stdout.decode().splitlines():
        cid, _call, status, rest = (line.split(" ") + [""])[:4]
        want.setdefault(int(cid), []).append(
            (True, bytes.fromhex(rest).decode("latin-1")) if status == "true" else
            ("error", bytes.fromhex(rest).decode("latin-1")) if status == "error" else
            (None, rest))
    errors = 0
    for n, pattern, keep, chunks in cases:
        try:
            got = ours(chunks, pattern, keep)
        except LuaError as e:
            # "x[" is malformed: Lua raises when the matcher reaches the "[" after an "x"
            # (the results before the error are the same: compared up to it)
            got = want[n][:-1] + [("error", str(e))]
            assert want[n][-1] == ("error", "malformed pattern (missing ']')"), want[n]
            errors += 1
        assert got == want[n], (pattern, keep, chunks)
    assert 0 < errors < len(texts := [c for c in cases if c[1] == "x["]) + 1, texts


def test_malformed_pattern_raises_where_lua_does() -> None:
    s = sock_with(Reads([b"ab", b"cx", b"yz"]))
    with pytest.raises(LuaError, match="malformed pattern"):
        s.receive_buf("x[", False)


@pytest.mark.parametrize("pattern, extent", [
    ("\r?\n", (False, 2)), ("\r\n", (False, 2)), ("a)b", (False, 3)), ("^SSH%-", (True, 4)),
    ("%f[^\n\0]E[NR][DR]O?R?\r\n", (False, 7)), ("[]]x", (False, 2)), ("()ab()", (False, 2)),
    ("b$", (False, 1)), ("[\r\n]+", (False, None)), ("a.-b", (False, None)),
    ("%bab", (False, None)), ("(a)%1", (False, None)), ("x[", (False, None)),
    ("a%", (False, None)), ("%f", (False, None)), ("^", (True, 0)), ("$x", (False, 2)),
])
def test_pattern_extent(pattern: str, extent: tuple[bool, int | None]) -> None:
    assert nmap._pattern_extent(pattern) == extent


def test_receive_buf_flood_without_delimiter_is_bounded(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.setattr(nmap, "MAX_BUFFER", 10_000)
    for delimiter in ("\r?\n", "^.-\n", lambda buf: None):
        reader = Endless(b"x" * 1000)
        s = sock_with(reader)
        assert s.receive_buf(delimiter, False) == (None, "ERROR")
        # it stopped reading just past the limit; what it read is still there
        assert reader.calls == 11
        assert s.receive() == (True, "x" * 11_000)


def test_receive_lines_flood_without_newline_is_bounded(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.setattr(nmap, "MAX_BUFFER", 10_000)
    reader = Endless(b"x" * 1000)
    s = sock_with(reader)
    assert s.receive_lines(1) == (None, "ERROR")
    assert reader.calls == 11
    # under the limit nothing changes: lines, and the data after them, are returned
    s = sock_with(Reads([b"x" * 9000, b"ab\ncd"]))
    assert s.receive_lines(1) == (True, "x" * 9000 + "ab\ncd")


def test_delimiter_found_in_the_read_that_crosses_the_limit(monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.setattr(nmap, "MAX_BUFFER", 10_000)
    s = sock_with(Reads([b"x" * 9999, b"yy\r\nz"]))
    assert s.receive_buf("\r?\n", True) == (True, "x" * 9999 + "yy\r\n")
    assert s.receive_buf("\r?\n", True) == (True, "z")  # EOF: the rest
    assert s.receive_buf("\r?\n", True) == (None, "EOF")


def test_function_delimiter_gets_the_whole_buffer_after_each_read() -> None:
    seen: list[str] = []

    def delim(buf: str) -> Any:
        seen.append(buf)
        i = buf.find("!")
        return (i + 1, i + 1) if i >= 0 else None

    s = sock_with(Reads([b"ab", b"cd", b"e!f", b"g!"]))
    assert s.receive_buf(delim, False) == (True, "abcde")
    assert s.receive_buf(delim, True) == (True, "fg!")
    assert seen == ["ab", "abcd", "abcde!f", "f", "fg!"]
    # a function result that is not two numbers is "not found", as nmap's lua_isnumber
    s = sock_with(Reads([b"abc"]))
    assert s.receive_buf(lambda b: (1,), False) == (True, "abc")  # read on, EOF: all


def test_keeppattern_and_leftover_across_calls() -> None:
    s = sock_with(Reads([b"one\r", b"\ntwo\nthr", b"ee\r\n"]))
    assert s.receive_buf("\r?\n", False) == (True, "one")
    assert s.receive_buf("\r?\n", True) == (True, "two\n")
    assert s.receive_lines(1) == (True, "three\r\n")
    assert s.receive_bytes(1) == (None, "EOF")


# ------------------------------------------------------------------ stdnse.make_buffer

MAKE_BUFFER_HARNESS = r"""
local stdnse = require "stdnse"
local function hex(s) return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end)) end
local function case(id, pattern, chunks)
  local i = 0
  local sock = {receive = function()
    i = i + 1
    if chunks[i] then return true, chunks[i] end
    return nil, "EOF"
  end}
  local ok, err = pcall(function()
    local b = stdnse.make_buffer(sock, pattern)
    for call = 1, 1000 do
      local piece, msg = b()
      if piece == nil then io.write(id, " ", call, " nil ", tostring(msg), "\n") return end
      io.write(id, " ", call, " str ", hex(piece), "\n")
    end
  end)
  if not ok then io.write(id, " 0 error ", hex((err:gsub("^[^:]*:%d+: ", ""))), "\n") end
end
"""


def ours_make_buffer(chunks: list[bytes], pattern: str) -> list[tuple[Any, str]]:
    from nse.lib import stdnse

    b = stdnse.make_buffer(sock_with(Reads(chunks)), pattern)
    out: list[tuple[Any, str]] = []
    try:
        while True:
            r = b()
            if isinstance(r, str):
                out.append(("str", r))
            else:
                out.append(("nil", str(r[1])))
                return out
    except LuaError as e:
        return out + [("error", str(e))]


@pytest.mark.skipif(shutil.which("lua5.4") is None, reason="needs lua5.4")
def test_make_buffer_same_pieces_as_nselib_in_lua() -> None:
    from tests.lib.libref import HAVE_LUA, STUB

    if not HAVE_LUA:
        pytest.skip("needs nmap's nselib")
    cases = [(n, pattern, chunks) for n, pattern, _keep, chunks in _cases()]
    prog = [STUB, MAKE_BUFFER_HARNESS]
    for n, pattern, chunks in cases:
        prog.append(f"case({n}, {_lua_str(pattern.encode('latin-1'))}, "
                    f"{{{', '.join(map(_lua_str, chunks))}}})")
    res = subprocess.run(["lua5.4", "-"], input="\n".join(prog).encode(), capture_output=True,
                         timeout=60, check=False)
    assert res.returncode == 0, res.stderr
    want: dict[int, list[tuple[Any, str]]] = {}
    for line in res.stdout.decode().splitlines():
        cid, _call, kind, rest = (line.split(" ") + [""])[:4]
        want.setdefault(int(cid), []).append(
            (kind, rest if kind == "nil" else bytes.fromhex(rest).decode("latin-1")))
    for n, pattern, chunks in cases:
        assert ours_make_buffer(chunks, pattern) == want[n], (pattern, chunks)


def test_make_buffer_flood_without_separator_is_bounded(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    from nse.lib import stdnse

    monkeypatch.setattr(nmap, "MAX_BUFFER", 10_000)
    for sep in ("\r?\n", "^.-\n"):
        reader = Endless(b"x" * 1000)
        b = stdnse.make_buffer(sock_with(reader), sep)
        # past the limit: what is left, then the error, as after a failed receive
        assert b() == "x" * 11_000
        assert b() == (None, "ERROR")
        assert reader.calls == 11
