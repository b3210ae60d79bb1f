"""brute: a brute-force Lua script of ours (driver over brute.new_socket) against a fake
login server started here prints, under our engine, what it prints under nmap 7.93."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from nse.lib import brute
from nse.lua.luatable import LuaTable

NSE = str(Path(sys.executable).with_name("nse"))

SCRIPT = r"""
local brute = require "brute"
local creds = require "creds"
local nmap = require "nmap"
description = "fake brute"
categories = {"brute"}
portrule = function(host, port) return port.number == tonumber(nmap.registry.args["fb.port"]) end

Driver = {
  new = function(self, host, port, options)
    local o = {host = host, port = port}
    setmetatable(o, self)
    self.__index = self
    return o
  end,
  connect = function(self)
    self.socket = brute.new_socket()
    local status = self.socket:connect(self.host, self.port)
    if not status then return false, brute.Error:new("connect failed") end
    self.socket:receive_buf("\n", false)
    return true
  end,
  login = function(self, username, password)
    self.socket:send(username .. " " .. password .. "\n")
    local status, line = self.socket:receive_buf("\n", false)
    if not status then
      local err = brute.Error:new("receive failed")
      err:setRetry(true)
      return false, err
    end
    if line == "OK" then
      return true, creds.Account:new(username, password, creds.State.VALID)
    elseif line == "LOCKED" then
      local err = brute.Error:new("locked")
      err:setInvalidAccount(username)
      return false, err
    elseif line == "BUSY" then
      local err = brute.Error:new("busy")
      err:setReduce(true)
      return false, err
    elseif line == "ABORT" then
      local err = brute.Error:new("server said abort")
      err:setAbort(true)
      return false, err
    end
    return false, brute.Error:new("Incorrect password")
  end,
  disconnect = function(self) return self.socket:close() end,
}

action = function(host, port)
  local engine = brute.Engine:new(Driver, host, port)
  engine.options.script_name = SCRIPT_NAME
  local title = nmap.registry.args["fb.title"]
  if title then engine.options:setTitle(title) end
  local status, result = engine:start()
  return result
end
"""

VALID = {("admin", "secret"), ("root", "root"), ("guest", "Guest"), ("", "hunter2"),
         ("carol", "123456")}  # fmt: skip
#: users answered "BUSY" (a protocol error: Error:setReduce) once each; tests re-arm it
BUSY_ONCE: set[str] = set()


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    """Line protocol: banner "LOGIN", then "user pass" -> OK / FAIL / LOCKED / ABORT."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)

    def handle(c: socket.socket) -> None:
        with c:
            try:
                c.sendall(b"LOGIN\n")
                for raw in c.makefile("rb"):
                    u, _, p = raw.decode("latin-1").rstrip("\n").partition(" ")
                    if u in BUSY_ONCE:
                        BUSY_ONCE.discard(u)
                        c.sendall(b"BUSY\n")
                        continue
                    reply = (b"LOCKED\n" if u == "bob" else b"ABORT\n" if u == "stop"
                             else b"OK\n" if (u, p) in VALID else b"FAIL\n")  # fmt: skip
                    c.sendall(reply)
            except OSError:
                return

    def serve() -> None:
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(c,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield srv.getsockname()[1]
    srv.close()


def _run(cmd: list[str], script: Path, port: int, args: str) -> str:
    p = subprocess.run(
        [*cmd, "-n", "-Pn", "-p", str(port), "--script", str(script), "--script-args",
         f"fb.port={port},{args}", "127.0.0.1"],
        capture_output=True, timeout=120, cwd=script.parent,
    )  # fmt: skip
    lines = [ln for ln in p.stdout.decode("latin-1").split("\n") if ln.startswith("|")]
    # seconds and guesses per second depend on the clock
    return re.sub(r"in \d+ seconds, average tps: [\d.]+", "in S seconds, average tps: T",
                  "\n".join(lines))  # fmt: skip


ONE = "brute.threads=1,brute.start=1,userdb=users.txt,passdb=pass.txt"


@pytest.mark.nmap
@pytest.mark.skipif(shutil.which("nmap") is None, reason="needs the nmap binary")
@pytest.mark.parametrize(
    "args",
    [
        ONE,
        ONE + ",brute.firstonly=1",
        ONE + ",brute.useraspass=0,fb.title=Creds",
        ONE + ",brute.guesses=2",
        ONE + ",brute.mode=user",
        ONE + ",brute.emptypass=1",
        "brute.threads=1,brute.start=1,userdb=users2.txt,passdb=pass.txt",  # abort
        "brute.threads=1,brute.start=1,userdb=users3.txt,passdb=pass.txt",  # none found
        "brute.threads=1,brute.start=1,passdb=pass.txt,brute.passonly=1",
        "brute.threads=1,brute.start=1,brute.credfile=creds.txt",
        "brute.threads=1,brute.start=1,brute.credfile=creds.txt,userdb=users.txt",
        "brute.threads=1,brute.start=1,brute.mode=creds",  # no credfile given
        "brute.threads=1,brute.start=1,brute.mode=bogus",
    ],
)
def test_engine_output_equals_nmap(tmp_path: Path, server: int, args: str) -> None:
    script = tmp_path / "fb.nse"
    script.write_text(SCRIPT)
    (tmp_path / "users.txt").write_text("admin\nroot\nguest\nbob\n")
    (tmp_path / "users2.txt").write_text("admin\nstop\nroot\n")
    (tmp_path / "users3.txt").write_text("nobody\n")
    (tmp_path / "creds.txt").write_text(
        "#!comment: test\nadmin/nope\n  root/root  \nguest/Guest\nbad line\nx/y/z\n"
    )
    (tmp_path / "pass.txt").write_text("secret\n123456\nGuest\nhunter2\n")
    want = _run(["nmap"], script, server, args)
    assert want.startswith("| fb: ") or want.startswith("|_fb: ")
    assert _run([NSE, "scan"], script, server, args) == want


@pytest.mark.nmap
@pytest.mark.skipif(shutil.which("nmap") is None, reason="needs the nmap binary")
def test_parallel_threads_find_the_same_accounts(tmp_path: Path, server: int) -> None:
    # Several threads: the order of discovery (and the guess count) races, in nmap too.
    script = tmp_path / "fb.nse"
    script.write_text(SCRIPT)
    (tmp_path / "users.txt").write_text("admin\nroot\nguest\nbob\n")
    (tmp_path / "pass.txt").write_text("secret\n123456\nGuest\nhunter2\n")
    args = "userdb=users.txt,passdb=pass.txt"
    ours = _run([NSE, "scan"], script, server, args).split("\n")
    want = _run(["nmap"], script, server, args).split("\n")
    acc = [ln for ln in want if "Valid credentials" in ln]
    assert sorted(ln for ln in ours if "Valid credentials" in ln) == sorted(acc)
    assert len(acc) == 3


@pytest.mark.nmap
@pytest.mark.skipif(shutil.which("nmap") is None, reason="needs the nmap binary")
def test_protocol_error_reduces_and_retries(tmp_path: Path, server: int) -> None:
    # "BUSY" for carol: the guess goes back to the retry list, one thread is killed, and
    # carol/123456 is still found, by nmap and by us
    script = tmp_path / "fb.nse"
    script.write_text(SCRIPT)
    (tmp_path / "users.txt").write_text("admin\ncarol\nroot\n")
    (tmp_path / "pass.txt").write_text("secret\n123456\nGuest\n")
    args = "userdb=users.txt,passdb=pass.txt"
    res = []
    for cmd in (["nmap"], [NSE, "scan"]):
        BUSY_ONCE.clear()
        BUSY_ONCE.update({"carol", "admin"})
        out = _run(cmd, script, server, args).split("\n")
        assert not BUSY_ONCE  # both BUSY answers were given
        res.append(sorted(ln for ln in out if "Valid credentials" in ln))
    assert res[0] == res[1] and len(res[0]) == 3


API_SCRIPT = r"""
local brute = require "brute"
local unpwdb = require "unpwdb"
description = "t"
categories = {"safe"}
prerule = function() return true end
action = function()
  local out = {}
  local it = brute.Iterators.credential_iterator(io.open("cf.txt"))
  for i = 1, 5 do local u, p = it(); out[#out+1] = tostring(u) .. "=" .. tostring(p) end
  local u = unpwdb.table_iterator({"a", "B"})
  local it2 = brute.Iterators.pw_ucase_iterator(u, {"x", "y"}, "user")
  for i = 1, 5 do local a, b = it2(); out[#out+1] = tostring(a) .. "=" .. tostring(b) end
  local e = brute.Error:new("m")
  out[#out+1] = tostring(e:isRetry()) .. tostring(e:isAbort()) .. tostring(e:isDone()) .. tostring(e:isReduce())
  local o = brute.Options:new()
  out[#out+1] = tostring(o:setMode("creds")) .. o.mode .. tostring(o.delay) .. tostring(o.killstagnated)
  local b = brute.Batch:new()
  out[#out+1] = b:getLimit() .. tostring(b:add(1)) .. tostring(b:isFull()) .. b:getSize()
  return table.concat(out, " ")
end
"""


@pytest.mark.nmap
@pytest.mark.skipif(shutil.which("nmap") is None, reason="needs the nmap binary")
def test_iterators_and_classes_from_lua_equal_nmap(tmp_path: Path) -> None:
    # credential_iterator over an io.open file, pw_ucase_iterator, Error/Options/Batch
    (tmp_path / "cf.txt").write_text("#!comment: c\nadmin/x\n  bob/ y \nnoslash\n")
    (tmp_path / "it.nse").write_text(API_SCRIPT)

    def run(cmd: list[str]) -> str:
        p = subprocess.run([*cmd, "-sn", "-Pn", "-n", "--script", "./it.nse", "127.0.0.1"],
                           capture_output=True, timeout=120, cwd=tmp_path)  # fmt: skip
        return "\n".join(ln for ln in p.stdout.decode("latin-1").split("\n") if ln[:1] == "|")

    want = run(["nmap"])
    assert "admin=x bob= y nil=nil" in want
    assert run([NSE, "scan"]) == want


def _collect(it: object) -> list[tuple[object, object]]:
    out = []
    while True:
        u, p = it()  # type: ignore[operator]
        if u is None:
            return out
        out.append((u, p))


def test_iterators() -> None:
    users = LuaTable.from_list(["a", "B"])
    pw = LuaTable.from_list(["1", "2"])
    it = brute.Iterators["account_iterator"]
    assert _collect(it(users, pw, "user")) == [("a", "1"), ("a", "2"), ("B", "1"), ("B", "2")]
    assert _collect(it(users, pw, "pass")) == [("a", "1"), ("B", "1"), ("a", "2"), ("B", "2")]
    from nse.lib import unpwdb

    same = brute.Iterators["pw_same_as_user_iterator"](unpwdb.table_iterator(users), "lower")
    assert _collect(same) == [("a", "a"), ("B", "b")]


def test_error_and_options_classes() -> None:
    e = brute.Error["new"](brute.Error, "boom")
    assert brute.Error["getMessage"](e) == "boom"
    assert brute.Error["isRetry"](e) is False  # class default, as nmap's Error.retry
    brute.Error["setRetry"](e, True)
    assert brute.Error["isRetry"](e) is True and brute.Error["isReduce"](e) is False
    o = brute.Options["new"](brute.Options)
    assert (o["useraspass"], o["emptypass"], o["max_retries"]) == (True, False, 2)
    assert brute.Options["setMode"](o, "bogus") == (False, "Unsupported mode")


@pytest.fixture(scope="module")
def ftp_server() -> Iterator[int]:
    """USER/PASS/QUIT: 230 for admin/secret and root/root, 530 otherwise."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    ok = {("admin", "secret"), ("root", "root")}

    def handle(c: socket.socket) -> None:
        with c:
            try:
                c.sendall(b"220 fake ftp\r\n")
                user = None
                for raw in c.makefile("rb"):
                    cmd, _, arg = raw.decode("latin-1").rstrip("\r\n").partition(" ")
                    if cmd == "USER":
                        user = arg
                        c.sendall(b"331 Password required\r\n")
                    elif cmd == "PASS":
                        good = (user, arg) in ok
                        c.sendall(b"230 Logged in\r\n" if good else b"530 Login incorrect\r\n")
                    elif cmd == "QUIT":
                        c.sendall(b"221 Bye\r\n")
                        return
                    else:
                        c.sendall(b"500 ?\r\n")
            except OSError:
                return

    def serve() -> None:
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(c,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield srv.getsockname()[1]
    srv.close()


@pytest.mark.nmap
@pytest.mark.skipif(shutil.which("nmap") is None, reason="needs the nmap binary")
def test_nmap_ftp_brute_equals_nmap(tmp_path: Path, ftp_server: int) -> None:
    # nmap's own ftp-brute: its driver hands a BruteSocket to the (Python) ftp library
    (tmp_path / "users.txt").write_text("admin\nroot\nguest\nbob\n")
    (tmp_path / "pass.txt").write_text("secret\n123456\nGuest\nhunter2\n")

    def run(cmd: list[str]) -> str:
        p = subprocess.run(
            [*cmd, "-n", "-Pn", "-p", str(ftp_server), "--script", "+ftp-brute",
             "--script-args", ONE, "127.0.0.1"],
            capture_output=True, timeout=120, cwd=tmp_path,
        )  # fmt: skip
        lines = [ln for ln in p.stdout.decode("latin-1").split("\n") if ln.startswith("|")]
        return re.sub(r"in \d+ seconds, average tps: [\d.]+", "", "\n".join(lines))

    want = run(["nmap"])
    assert "root:root - Valid credentials" in want
    assert run([NSE, "scan"]) == want
