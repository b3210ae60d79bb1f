"""http: responses read off a socket compared with nmap's http.lua under lua5.4.

Both sides get the same canned server bytes through a fake socket (nmap's C socket is
stubbed in Lua; ``nmap.new_socket`` is replaced in Python), run ``generic_request`` and
return the whole response table plus the request lines that were sent (sorted, since
nselib's header order is Lua's hash order)."""

from __future__ import annotations

import types
from typing import Any

import pytest
from libref import compare, needs_nselib

from nse.lib import http, nmap
from nse.lua.luatable import LuaTable

PRELUDE = r"""
local nmap = require "nmap"
local CANNED, SENT = {}, {}
nmap.new_socket = function()
  local i = 0
  local s = {}
  function s:set_timeout() end
  function s:connect() return true end
  function s:send(d) SENT[#SENT + 1] = d; return true end
  function s:receive()
    i = i + 1
    if CANNED[i] then return true, CANNED[i] end
    return nil, "EOF"
  end
  function s:close() return true end
  function s:get_info() return true end
  return s
end
M.t_req = function(chunks, method, path, opts)
  CANNED, SENT = chunks, {}
  local host = {ip = "127.0.0.1", name = "", targetname = "www.example.com"}
  local port = {number = 80, protocol = "tcp", service = "http", state = "open",
                version = {name_confidence = 8}}
  local r = M.generic_request(host, port, method, path, opts)
  local lines = {}
  for l in table.concat(SENT):gmatch("[^\r\n]+") do lines[#lines + 1] = l end
  table.sort(lines)
  return r, lines
end
"""


class _FakeSocket:
    canned: list[str] = []
    sent: list[str] = []

    def __init__(self) -> None:
        self.i = 0

    def set_timeout(self, *_: Any) -> Any:
        return ()

    def connect(self, *_: Any) -> Any:
        return True

    def send(self, d: str, *_: Any) -> Any:
        _FakeSocket.sent.append(d)
        return True

    def receive(self, *_: Any) -> Any:
        self.i += 1
        if self.i <= len(_FakeSocket.canned):
            return True, _FakeSocket.canned[self.i - 1]
        return None, "EOF"

    def close(self, *_: Any) -> Any:
        return True

    def get_info(self, *_: Any) -> Any:
        return True


def _t_req(chunks: Any, method: Any, path: Any, opts: Any = None) -> Any:
    _FakeSocket.canned = chunks.to_list()
    _FakeSocket.sent = []
    host = LuaTable.from_dict({"ip": "127.0.0.1", "name": "", "targetname": "www.example.com"})
    port = LuaTable.from_dict(
        {
            "number": 80,
            "protocol": "tcp",
            "service": "http",
            "state": "open",
            "version": LuaTable.from_dict({"name_confidence": 8}),
        }
    )
    r = http.generic_request(host, port, method, path, opts)
    import re

    lines = sorted(re.findall(r"[^\r\n]+", "".join(_FakeSocket.sent)))
    return r, LuaTable.from_list(lines)


PY = types.SimpleNamespace(__all__=["t_req"], t_req=_t_req)

CASES: list[tuple[list[str], str, str, Any]] = [
    (["HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhelloEXTRA"], "GET", "/", None),
    (
        [
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhe",
            "llo\r\n",
            "1",
            "0; ext=1\r\n world and more\r\n0\r\n\r\n",
        ],
        "GET",
        "/a?b=c",
        None,
    ),
    (["HTTP/1.0 200 OK\r\nX: 1\r\n\r\nbody ", "until close"], "GET", "/", None),
    (
        ["HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"],
        "POST",
        "/form",
        {"content": "a=1"},
    ),
    (["HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n"], "HEAD", "/", None),
    (
        ["HTTP/1.1 204 No Content\r\nConnection: keep-alive, close\r\n\r\nleftover"],
        "GET",
        "/",
        None,
    ),
    (["HTTP/1.0 304 Not Modified\r\n\r\nx"], "GET", "/", None),
    (
        [
            "HTTP/1.1 200 OK\r\nX-Long: a\r\n  b\r\n\tc\r\nSet-Cookie: a=1; Path=/; HttpOnly\r\n",
            'set-cookie: b="2"; path = /x ;secure\r\nX-Long: d\r\nBad Header\r\n',
            'WWW-Authenticate: Basic realm="W"\r\nX\x1e\xe9: ctl\r\n',
            "Content-Length: 0\r\n\r\n",
        ],
        "GET",
        "/",
        None,
    ),
    (["HTTP/1.1 200 OK\nContent-Length: 3\n\nabc"], "GET", "/", None),
    (["HTTP/1.1 20 OK\r\n\r\n"], "GET", "/", None),
    (["garbage\r\n\r\n"], "GET", "/", None),
    (
        ["HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "x" * 100],
        "GET",
        "/",
        {"max_body_size": 10},
    ),
    (
        ["HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "x" * 100],
        "GET",
        "/",
        {"max_body_size": 10, "truncated_ok": True},
    ),
    (
        [
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n"
        ],
        "GET",
        "/",
        {"max_body_size": 12, "truncated_ok": True},
    ),
    (
        ["HTTP/1.0 200 OK\r\n\r\n" + "y" * 30],
        "GET",
        "/",
        {"max_body_size": 7, "truncated_ok": True},
    ),
    (["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"], "GET", "/", None),
    (
        ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcdeXX0\r\n\r\n"],
        "GET",
        "/",
        None,
    ),
    (["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"], "GET", "/", None),
    (["HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"], "GET", "/", None),
    (["HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nabc"], "GET", "/", None),
    (["HTTP/1.1 200 OK\r\nContent-Length: 0x3\r\n\r\nabcdef"], "GET", "/", None),
    (
        ["HTTP/1.1 200 OK\r\nContent-Encoding: identity\r\nContent-Length: 2\r\n\r\nhi"],
        "GET",
        "/",
        None,
    ),
    (
        ["HTTP/1.1 200 OK\r\nContent-Encoding: br, identity\r\nContent-Length: 2\r\n\r\nhi"],
        "GET",
        "/",
        None,
    ),
    (["HTTP/1.1 200 OK\r\n"], "GET", "/", None),
    ([], "GET", "/", None),
    (
        ["HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nx"],
        "DELETE",
        "/x",
        {
            "header": {"X-Test": "1", "Connection": "keep-alive"},
            "cookies": "c=1",
            "auth": {"username": "u", "password": "p"},
        },
    ),
    (
        ["HTTP/1.1 200 OK\r\n\r\n"],
        "GET",
        "/d/x",
        {
            "cookies": [
                {"name": "a", "value": "1", "path": "/d"},
                {"name": "b", "value": "2", "path": "/e"},
                {"name": "c", "value": "3"},
            ]
        },
    ),
    (["HTTP/1.1 200 OK\r\n\r\n"], "GET", "/", {"timeout": "soon"}),
    (["HTTP/1.1 200 OK\r\n\r\n"], "POST", "/", None),
    (
        [
            "HTTP/1.1 200 OK\r\nX-A: a\rb  c \r\nX-E:\r\nNoColon value\r\nName : v\r\n"
            "X-B:tight\r\nH\xe9\xff: hi\r\nX-F:\r\n \r\n\tfold\r\nX-N: a\n b\r\n"
            "Content-Length: 0\r\n\r\n"
        ],
        "GET",
        "/",
        None,
    ),
    (["HTTP/1.1 200 OK\r\n\r\n"], "PUT", "/", {"content": {"k y": "v&1"}}),
]


@needs_nselib
def test_responses_vs_nmap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nmap, "new_socket", lambda *a: _FakeSocket())
    calls = [("t_req", [chunks, method, path, opts]) for chunks, method, path, opts in CASES]
    compare("http", PY, calls, PRELUDE)


def test_gzip_body(monkeypatch: pytest.MonkeyPatch) -> None:
    import gzip

    monkeypatch.setattr(nmap, "new_socket", lambda *a: _FakeSocket())
    z = gzip.compress(b"hello gzip world").decode("latin-1")
    head = f"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {len(z)}\r\n\r\n"
    r, _ = _t_req(LuaTable.from_list([head + z]), "GET", "/")
    assert r["body"] == "hello gzip world" and r["rawbody"] == z
    assert r["header"]["content-length"] == "16" and r["header"]["content-encoding"] is None
    assert r["decoded"].to_list() == ["gzip"] and len(r["undecoded"]) == 0
    # a small compressed body over the limit once decoded: cut at the limit
    big = gzip.compress(b"a" * 1000).decode("latin-1")
    bighead = f"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {len(big)}\r\n\r\n"
    opts = LuaTable.from_dict({"max_body_size": 100, "truncated_ok": True})
    r, _ = _t_req(LuaTable.from_list([bighead + big]), "GET", "/", opts)
    assert r["body"] == "a" * 100 and r["truncated"] is True and r["rawbody"] == big
    r, _ = _t_req(
        LuaTable.from_list([bighead + big]), "GET", "/", LuaTable.from_dict({"max_body_size": 100})
    )
    assert r["status-line"] == "Error in next_response function; Decoded response body too large"
    r, _ = _t_req(LuaTable.from_list([head.replace(str(len(z)), "4") + "abcd"]), "GET", "/")
    assert r["status"] is None and r["status-line"] == (
        "Error in next_response function; Corrupted Content-Encoding: gzip"
    )
