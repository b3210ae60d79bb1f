"""``stdnse.script_arg``: the single-value script-argument reader of the Python library
modules, and every module that reads an argument through it, run through the engine with
``--script-args`` (nse.testing.run_script).

Each case runs once with the argument and once without, so a module that took
``get_script_args``' result tuple for the value (the bug of commit 982a1e1) fails: the
tuple is never equal to the value, and never equal to the default either.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from nse.testing import fake_host, fake_port, run_script

HEAD = 'description = "t"\ncategories = {"safe"}\n'


def lua_script(tmp_path: Path, name: str, body: str) -> str:
    p = tmp_path / f"{name}.nse"
    p.write_text(HEAD + body)
    return str(p)


def run_lua(tmp_path: Path, body: str, args: str | None, port: int = 9) -> str:
    """Run a port script (rule: always) against 127.0.0.1:port; its output text."""
    path = lua_script(tmp_path, "probe", "portrule = function() return true end\n" + body)
    host = fake_host("127.0.0.1", [fake_port(port, service="unknown")],
                     targetname="target.example")
    r = run_script(path, host, args=args)
    errors = [o for o in r.outputs() if o.state == "error"]
    assert not errors, r.log
    return r.port_text(port)


@contextmanager
def recording_server(dialog: Callable[[socket.socket, list[bytes]], None]) -> Iterator[
        tuple[int, list[bytes]]]:
    """A loopback TCP server running ``dialog(conn, seen)`` per connection."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    seen: list[bytes] = []

    def loop() -> None:
        while True:
            try:
                c, _ = srv.accept()
            except OSError:
                return
            with c:
                c.settimeout(10)
                try:
                    dialog(c, seen)
                except OSError:
                    pass

    threading.Thread(target=loop, daemon=True).start()
    try:
        yield srv.getsockname()[1], seen
    finally:
        srv.close()


def readline(c: socket.socket) -> bytes:
    line = b""
    while not line.endswith(b"\n"):
        ch = c.recv(1)
        if not ch:
            break
        line += ch
    return line


# ------------------------------------------------------------------ the helper itself

def test_script_arg_values(tmp_path: Path) -> None:
    # a Python prerule script: the helper and get_script_args on the same arguments
    p = tmp_path / "pyprobe.py"
    p.write_text('description = "t"\ncategories = ["safe"]\n'
                 "from nse.lib import stdnse\n"
                 "def prerule(): return True\n"
                 "def action():\n"
                 "    a = stdnse.script_arg\n"
                 "    t = stdnse.output_table()\n"
                 "    t['full'] = a('pyprobe.name')\n"
                 "    t['short'] = a('other.word')\n"  # falls back to 'word'
                 "    t['flag'] = a('x.flag')\n"  # bare flag: 1
                 "    t['table'] = a('list')\n"
                 "    t['alt'] = a(('none.here', 'pyprobe.second', 'pyprobe.name'))\n"
                 "    t['missing'] = a('none.here')\n"
                 "    t['default'] = a('none.here', 'dflt')\n"
                 "    t['set_beats_default'] = a('pyprobe.name', 'dflt')\n"
                 "    t['same'] = a('pyprobe.name') == stdnse.get_script_args("
                 "'pyprobe.name')[0]\n"
                 "    return t\n")
    r = run_script(str(p), args="pyprobe.name=v1,word=w,flag,list={a,b},pyprobe.second=s2")
    assert r.text() == ("| pyprobe: \n|   full: v1\n|   short: w\n|   flag: 1\n"
                        "|   table: \n|     a\n|     b\n|   alt: s2\n|   default: dflt\n"
                        "|   set_beats_default: v1\n|_  same: true")


def test_script_arg_is_not_visible_to_lua(tmp_path: Path) -> None:
    # nselib has no such function: Lua scripts see stdnse as nmap's
    out = run_lua(tmp_path, 'local stdnse = require "stdnse"\n'
                  "action = function() return tostring(stdnse.script_arg) .. ' ' .. "
                  "tostring(stdnse.get_script_args('a')) end\n", "a=x")
    assert out == "|_probe: nil x"


# ------------------------------------------------------------------------------ http

def _http_dialog(c: socket.socket, seen: list[bytes]) -> None:
    req = b""
    while b"\r\n\r\n" not in req:
        d = c.recv(4096)
        if not d:
            return
        req += d
    seen.append(req)
    body = b"0123456789" * 3
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
              % (len(body), body))


HTTP_BODY = ('local http = require "http"\n'
             "action = function(host, port)\n"
             "  local r = http.get(host, port, '/', {no_cache = true})\n"
             "  return ('%s %s %s'):format(r.status, tostring(r.truncated), #(r.body or ''))\n"
             "end\n")


def test_http_useragent_host_and_body_size(tmp_path: Path) -> None:
    with recording_server(_http_dialog) as (port, seen):
        out = run_lua(tmp_path, HTTP_BODY, "http.useragent=UA-test/1.0,http.host=vhost.example,"
                      "http.max-body-size=12,http.truncated-ok=true", port)
        assert out == "|_probe: 200 true 12"
        assert b"\r\nUser-Agent: UA-test/1.0\r\n" in seen[0], seen[0]
        assert b"\r\nHost: vhost.example\r\n" in seen[0], seen[0]
        # defaults: nmap's user agent, the target name, the whole body
        out = run_lua(tmp_path, HTTP_BODY, None, port)
        assert out == "|_probe: 200 nil 30"
        assert (b"\r\nUser-Agent: Mozilla/5.0 (compatible; Nmap Scripting Engine; "
                b"https://nmap.org/book/nse.html)\r\n") in seen[1], seen[1]
        assert b"\r\nHost: target.example:%d\r\n" % port in seen[1], seen[1]


# ----------------------------------------------------------------------- tls, sslcert

def test_tls_servername(tmp_path: Path) -> None:
    body = ('local tls = require "tls"\n'
            "action = function(host) return tls.servername(host) end\n")
    assert run_lua(tmp_path, body, "tls.servername=sni.example") == "|_probe: sni.example"
    assert run_lua(tmp_path, body, None) == "|_probe: target.example"


def _smtp_no_starttls(c: socket.socket, seen: list[bytes]) -> None:
    c.sendall(b"220 mx ESMTP\r\n")
    line = readline(c)
    seen.append(line)
    c.sendall(b"250-mx\r\n250 SIZE 1000\r\n")
    readline(c)  # STARTTLS
    c.sendall(b"454 TLS not available\r\n")
    readline(c)


def test_sslcert_smtp_domain_in_ehlo(tmp_path: Path) -> None:
    body = ('local sslcert = require "sslcert"\n'
            "action = function(host, port)\n"
            "  port.service = 'smtp'\n"
            "  local ok, err = sslcert.getCertificate(host, port)\n"
            "  return tostring(ok) .. ' ' .. tostring(err)\n"
            "end\n")
    with recording_server(_smtp_no_starttls) as (port, seen):
        out = run_lua(tmp_path, body, "smtp.domain=ehlo.example", port)
        assert out.startswith("|_probe: false"), out
        out = run_lua(tmp_path, body, None, port)
        assert out.startswith("|_probe: false"), out
    # (after the refused STARTTLS, sslcert also tries TLS directly: those lines are not EHLO)
    assert [x for x in seen if x.startswith(b"EHLO")] == [b"EHLO ehlo.example\r\n",
                                                          b"EHLO target.example\r\n"]


# ------------------------------------------------------------------------------ smtp

def _smtp_commands(c: socket.socket, seen: list[bytes]) -> None:
    c.sendall(b"220 mx ESMTP\r\n")
    seen.append(readline(c))
    c.sendall(b"250 mx\r\n")
    readline(c)


def test_smtp_domain(tmp_path: Path) -> None:
    body = ('local smtp = require "smtp"\n'
            "action = function(host, port)\n"
            "  local d = smtp.get_domain(host)\n"
            "  local s = smtp.connect(host, port, {recv_before = true})\n"
            "  local ok = smtp.ehlo(s, d)\n"
            "  smtp.quit(s)\n"
            "  return d .. ' ' .. tostring(ok)\n"
            "end\n")
    with recording_server(_smtp_commands) as (port, seen):
        assert run_lua(tmp_path, body, "smtp.domain=dom.example", port) == \
            "|_probe: dom.example true"
        assert run_lua(tmp_path, body, None, port) == "|_probe: target.example true"
    assert seen == [b"EHLO dom.example\r\n", b"EHLO target.example\r\n"]


# ------------------------------------------------------------------------------ snmp

SNMP_BODY = ('local snmp = require "snmp"\n'
             "action = function(host, port)\n"
             "  local pkt = snmp.buildPacket(snmp.buildGetRequest({}, '1.3.6.1.2.1.1.1.0'))\n"
             "  local h = snmp.Helper:new(host, port, 'public')\n"
             "  return pkt[1] .. ' ' .. h.options.version\n"
             "end\n")


@pytest.mark.parametrize("args, version", [("snmp.version=v2c", 1), ("snmp.version=v1", 0),
                                           (None, 0)])
def test_snmp_version(tmp_path: Path, args: str | None, version: int) -> None:
    assert run_lua(tmp_path, SNMP_BODY, args) == f"|_probe: {version} {version}"


# ----------------------------------------------------------------------------- brute

BRUTE_BODY = ('local brute = require "brute"\n'
              "action = function(host, port)\n"
              "  local o = brute.Options:new()\n"
              "  local e = brute.Engine:new({}, host, port)\n"
              "  return ('%s %s %s %s %s %s %s %s %s'):format(o.emptypass, o.useraspass,\n"
              "    o.firstonly, o.passonly, o.max_retries, o.delay, o.max_guesses,\n"
              "    e.max_threads, e.start_threads)\n"
              "end\n")


def test_brute_options_and_threads(tmp_path: Path) -> None:
    args = ("brute.emptypass=true,brute.useraspass=false,brute.firstonly=1,brute.passonly,"
            "brute.retries=7,brute.delay=2,brute.guesses=9,brute.threads=3,brute.start=2")
    assert run_lua(tmp_path, BRUTE_BODY, args) == "|_probe: true false true true 7 2 9 3 2"
    # nmap's defaults
    assert run_lua(tmp_path, BRUTE_BODY, None) == \
        "|_probe: false true false false 2 0 0 20 5"


def test_brute_mode_from_args(tmp_path: Path) -> None:
    # Engine:start reads brute.mode; an unsupported mode is reported by name
    body = ('local brute = require "brute"\n'
            "local Driver = {new = function(self) return setmetatable({}, {__index = self}) end,\n"
            "  connect = function() return true end, disconnect = function() return true end,\n"
            "  login = function() return false, brute.Error:new('no') end}\n"
            "action = function(host, port)\n"
            "  local e = brute.Engine:new(Driver, host, port)\n"
            "  e.options.script_name = SCRIPT_NAME\n"
            "  local ok, err = e:start()\n"
            "  return tostring(ok) .. ' ' .. tostring(err)\n"
            "end\n")
    assert run_lua(tmp_path, body, "brute.mode=bogus") == \
        "|_probe: false Unsupported mode: bogus"
    # brute.credfile with userdb is refused before any file is read
    assert run_lua(tmp_path, body, "brute.credfile=/nonexistent/c,userdb=/nonexistent/u") == (
        "| probe: false \n|_  ERROR: brute.credfile can't be used in combination with "
        "userdb/passdb")


# ----------------------------------------------------------------------------- vulns

VULNS_BODY = ('local vulns = require "vulns"\n'
              "action = function(host, port)\n"
              "  local r = vulns.Report:new(SCRIPT_NAME, host, port)\n"
              "  return r:make_output({title = 'Checked', state = vulns.STATE.NOT_VULN,\n"
              "    IDS = {CVE = 'CVE-2000-0001'}},\n"
              "    {title = 'Found', state = vulns.STATE.VULN, IDS = {CVE = 'CVE-2000-0002'}})\n"
              "end\n")


def test_vulns_showall_and_short(tmp_path: Path) -> None:
    plain = run_lua(tmp_path, VULNS_BODY, None)
    assert "Found" in plain and "Checked" not in plain, plain
    for alias in ("vulns.showall", "vuln.showall", "vulns.show-all", "vuln.show-all"):
        out = run_lua(tmp_path, VULNS_BODY, alias)
        assert "Checked" in out and "NOT VULNERABLE" in out, (alias, out)
    short = run_lua(tmp_path, VULNS_BODY, "vulns.short")
    assert short == "| probe: \n|_  target.example VULNERABLE CVE-2000-0002", short
