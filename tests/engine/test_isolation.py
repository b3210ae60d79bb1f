"""Script instances do not disturb each other: many scripts on many ports in one engine
run each get their own output, and a script reading a flood of data does not starve
another script's socket I/O (nmap: every nsock read is a yield to the engine loop)."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from nse.engine.api import EngineOptions, run_scripts
from nse.engine.datadir import DataDirs
from nse.lua.luatable import LuaTable
from nse.testing import fake_host, fake_port


def opts(**kw: object) -> EngineOptions:
    return EngineOptions(datadirs=DataDirs([]), **kw)  # type: ignore[arg-type]


# -- many scripts x many ports: every output under its own script and port ---------------

#: a script shaped like ntp-info/vnc-info/dns-nsid: a module table, an output_table,
#: socket I/O and a sleep between filling the table and returning it, and (for even
#: ids) a second return value of text built from the table
ECHO_SCRIPT = """
local nmap = require "nmap"
local stdnse = require "stdnse"
local string = require "string"
local table = require "table"
description = "echo"
categories = {"safe"}
portrule = function(host, port) return true end
local ME = SCRIPT_NAME
action = function(host, port)
  local out = stdnse.output_table()
  out.who = ME
  out.port = port.number
  local s = nmap.new_socket()
  s:set_timeout(5000)
  assert(s:connect(host.ip, ECHO_PORT))
  local tag = ("%s@%d"):format(ME, port.number)
  s:send(tag .. "\\n")
  local ok, line = s:receive_buf("\\n", false)
  s:close()
  out.echo = line
  stdnse.sleep(math.random() / 50)
  if TEXT then
    return out, "\\n  " .. table.concat({out.who, tostring(out.port), out.echo}, " ")
  end
  return out
end
"""


@pytest.fixture()
def echo_server() -> Iterator[int]:
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(256)
    stop = False

    def serve(c: socket.socket) -> None:
        with c:
            buf = b""
            while b"\n" not in buf:
                d = c.recv(100)
                if not d:
                    return
                buf += d
            c.sendall(buf)

    def loop() -> None:
        while not stop:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(c,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    try:
        yield srv.getsockname()[1]
    finally:
        stop = True
        srv.close()


def test_many_scripts_many_ports_each_output_its_own(tmp_path: Path, echo_server: int
                                                     ) -> None:
    names = [f"s{i:02d}" for i in range(12)]
    for i, name in enumerate(names):
        src = ECHO_SCRIPT.replace("ECHO_PORT", str(echo_server)).replace(
            "TEXT", "true" if i % 2 == 0 else "false")
        (tmp_path / f"{name}.nse").write_text(src)
    ports = list(range(1001, 1021))
    host = fake_host("127.0.0.1", [fake_port(p) for p in ports])
    r = run_scripts(f"{tmp_path}/", [host], options=opts())
    hs = r.hosts["127.0.0.1"]
    assert sorted(hs.ports) == [("tcp", p) for p in ports]
    for p in ports:
        outs = hs.ports[("tcp", p)]
        assert [o.id for o in outs] == names
        for i, o in enumerate(outs):
            tag = f"{o.id}@{p}"
            if i % 2 == 0:
                assert o.text == f"\n  {o.id} {p} {tag}"
            else:
                assert o.text == f"\n  who: {o.id}\n  port: {p}\n  echo: {tag}"
            assert isinstance(o.raw, LuaTable)
            assert (o.raw["who"], o.raw["port"], o.raw["echo"]) == (o.id, p, tag)


# -- a flood reader does not starve a normal script's I/O --------------------------------

FLOOD_SERVER = textwrap.dedent("""
    import socket, sys
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    print(srv.getsockname()[1], flush=True)
    chunk = b"x" * (1 << 20)
    while True:
        c, _ = srv.accept()
        try:
            while True:
                c.sendall(chunk)
        except OSError:
            c.close()
""")

FLOOD_SCRIPT = """
local nmap = require "nmap"
local stdnse = require "stdnse"
description = "reads %d bytes of a flood"
categories = {"safe"}
prerule = function() return true end
action = function()
  local s = nmap.new_socket()
  assert(s:connect("127.0.0.1", %d))
  local n = 0
  while n < %d do
    local ok, data = s:receive()
    if not ok then return "error " .. data end
    n = n + #data
    -- some work per chunk: the reader is slower than the writer, so data always waits
    local x = 0
    for i = 1, 3000 do x = x + i end
  end
  s:close()
  local order = nmap.registry.order
  order[#order + 1] = "flood"
  return "read " .. n
end
"""

NORMAL_SCRIPT = """
local nmap = require "nmap"
description = "a short exchange with a healthy server"
categories = {"safe"}
prerule = function() return true end
action = function()
  nmap.registry.order = nmap.registry.order or {}
  local s = nmap.new_socket()
  assert(s:connect("127.0.0.1", %d))
  s:send("ping\\n")
  local ok, line = s:receive_buf("\\n", false)
  s:close()
  local order = nmap.registry.order
  order[#order + 1] = "normal"
  return line
end
"""


@pytest.fixture()
def flood_port() -> Iterator[int]:
    # a separate process, so the flood never waits for this process's GIL
    proc = subprocess.Popen([sys.executable, "-c", FLOOD_SERVER], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout is not None
        yield int(proc.stdout.readline())
    finally:
        proc.kill()
        proc.wait(10)


def test_flood_reader_does_not_starve_another_script(tmp_path: Path, flood_port: int,
                                                     echo_server: int) -> None:
    size = 32 << 20
    # "a_normal" sorts (and starts) first: it sets up the registry list
    (tmp_path / "a_normal.nse").write_text(NORMAL_SCRIPT % echo_server)
    (tmp_path / "b_flood.nse").write_text(FLOOD_SCRIPT % (size, flood_port, size))
    r = run_scripts(f"{tmp_path}/", [], options=opts(script_timeout=60.0))
    got = {o.id: (o.text, o.state) for o in r.pre}
    assert got["a_normal"] == ("ping", "ok")
    assert got["b_flood"][1] == "ok" and got["b_flood"][0].startswith("read ")
    # the normal script's few reads finished while the flood was still being read
    # (without a yield per read the flood reader runs to its end first)
    assert _registry_order() == ["normal", "flood"]


def _registry_order() -> list[str]:
    """The ``nmap.registry.order`` list the scripts of the last run filled."""
    import nse.lib.nmap as nmaplib

    t = nmaplib.registry["order"]
    out: list[str] = []
    while t is not None and t[len(out) + 1] is not None:
        out.append(t[len(out) + 1])
    return out


# -- an output table's metatable is its own (nmap makes one per stdnse.output_table) ----

def test_changing_one_output_tables_metatable_leaves_the_others(tmp_path: Path) -> None:
    # "a" gives its own output table a __tostring; "b" runs after it (a dependency) and
    # returns a plain output table, which must print as a table, not as "a"'s text
    (tmp_path / "a.nse").write_text(textwrap.dedent("""
        local stdnse = require "stdnse"
        description = "a"
        categories = {"safe"}
        prerule = function() return true end
        action = function()
          local out = stdnse.output_table()
          out.x = 1
          getmetatable(out).__tostring = function() return "a's own text" end
          return out
        end
    """))
    (tmp_path / "b.nse").write_text(textwrap.dedent("""
        local stdnse = require "stdnse"
        description = "b"
        categories = {"safe"}
        dependencies = {"a"}
        prerule = function() return true end
        action = function()
          local out = stdnse.output_table()
          out.y = 2
          return out
        end
    """))
    r = run_scripts(f"{tmp_path}/", [], options=opts())
    assert [(o.id, o.text) for o in r.pre] == [("a", "a's own text"), ("b", "\n  y: 2")]
