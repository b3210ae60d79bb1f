"""Our -oX next to nmap's own XML of the same scan: ndiff sees no difference in hosts,
ports, states and services, the <host> blocks are byte-identical but for timings, and
script output is escaped byte for byte as nmap escapes it.

Only 127.0.0.1 is scanned, only on ports this test opened (listening) or bound without
listening (so that they are closed and no one else can take them).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import socket
import socketserver
import subprocess
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest

from nse.engine.output import ScriptOutput, XmlNode
from nse.output.writers import OutputSpec, open_writers, scaninfo_from_plan
from nse.output.xml import format_script

NMAP = shutil.which("nmap")
NDIFF = shutil.which("ndiff")
pytestmark = [pytest.mark.nmap, pytest.mark.skipif(NMAP is None, reason="needs nmap")]


def _table_unknown_port() -> socket.socket | None:
    """A socket bound (not listening) to a free port that nmap-services names
    "unknown": nmap reports such a port with <service name="unknown">, unlike a port
    the table does not have."""
    from nse.scan.services import load_services

    table = load_services()
    for (port, proto), (name, _) in sorted(table.entries.items()):
        if proto == "tcp" and name == "unknown" and 32768 <= port < 61000:
            s = socket.socket()
            try:
                s.bind(("127.0.0.1", port))
                return s
            except OSError:
                s.close()
    return None


@pytest.fixture(scope="module")
def ports() -> Iterator[list[int]]:
    socks = []
    try:
        for listen in (True, True, False):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            if listen:
                s.listen(8)
            socks.append(s)
        extra = _table_unknown_port()
        if extra is not None:
            socks.append(extra)
        yield [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _ours(args: list[str], path: str) -> None:
    from nse.scan.options import parse_args
    from nse.scan.runner import resolve_plan, run_scan
    from nse.scan.services import load_services

    opts = parse_args(args)
    plan = resolve_plan(opts, load_services(opts.datadir))
    info = scaninfo_from_plan(plan, "nse scan " + " ".join(args), "0.1.0", opts)
    with open_writers(OutputSpec(xml=path), info) as w:
        run_scan(opts, on_host=w.host, log=lambda s: None)


def _theirs(args: list[str], path: str) -> None:
    assert NMAP is not None
    subprocess.run([NMAP, *args, "-oX", path], check=True, capture_output=True, timeout=120)


def _hosts(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    blocks = re.findall(r"<host[ >].*?</host>\n", text, re.S)
    text = "".join(blocks)
    text = re.sub(r'(starttime|endtime)="\d+"', r'\1=""', text)
    return re.sub(r"<times [^>]*/>", "<times/>", text)


def _compare(tmp_path: str, args: list[str]) -> None:
    ours, theirs = os.path.join(tmp_path, "ours.xml"), os.path.join(tmp_path, "theirs.xml")
    _ours(args, ours)
    _theirs(args, theirs)
    assert _hosts(ours) == _hosts(theirs)
    if NDIFF:
        r = subprocess.run([NDIFF, "--xml", theirs, ours], capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stdout  # 0: the scans are the same
        diff = ET.fromstring(r.stdout)
        assert diff.find(".//hostdiff") is None and diff.find(".//portdiff") is None


def test_connect_scan_matches_nmap(tmp_path: str, ports: list[int]) -> None:
    _compare(str(tmp_path), ["-sT", "-n", "-p", ",".join(map(str, ports)), "127.0.0.1"])


@pytest.mark.root
@pytest.mark.skipif(os.geteuid() != 0, reason="needs root for raw sockets")
def test_syn_scan_matches_nmap(tmp_path: str, ports: list[int]) -> None:
    _compare(str(tmp_path), ["-sS", "-n", "-p", ",".join(map(str, ports)), "127.0.0.1"])


_SCRIPT = r'''local stdnse = require "stdnse"
description = "escaping probe"
categories = {"safe"}
portrule = function() return true end
action = function()
  local s = {}
  for i = 0, 255 do s[#s+1] = string.char(i) end
  local all = table.concat(s)
  local o = stdnse.output_table()
  o.all = all
  o["k<&\"'>--x"] = "v"
  o.sub = {"1", "2", {a = "b"}}
  o.empty = {}
  return o, "text " .. all .. " --a"
end
'''


def test_script_escaping_matches_nmap(tmp_path: str, ports: list[int]) -> None:
    """All 256 byte values in output text, elem text and keys, nested tables."""
    script = os.path.join(tmp_path, "escprobe.nse")
    with open(script, "w", encoding="latin-1") as f:
        f.write(_SCRIPT)
    path = os.path.join(tmp_path, "theirs.xml")
    _theirs(["-sT", "-Pn", "-n", "-p", str(ports[0]), "--script", script, "127.0.0.1"], path)
    with open(path, encoding="utf-8") as f:
        m = re.search(r'<script id="escprobe".*?</script>', f.read(), re.S)
    assert m is not None
    all_bytes = "".join(map(chr, range(256)))
    ours = ScriptOutput("escprobe", "text " + all_bytes + " --a", [
        XmlNode("elem", "all", all_bytes),
        XmlNode("elem", "k<&\"'>--x", "v"),
        XmlNode("table", "sub", children=[XmlNode("elem", None, "1"),
                                          XmlNode("elem", None, "2"),
                                          XmlNode("table", None, children=[
                                              XmlNode("elem", "a", "b")])]),
        XmlNode("table", "empty")])
    assert format_script(ours).replace('<?nse-script state="ok"?>', "") == m.group()


class _Banner(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        try:
            self.request.sendall(b"220 caf\xc3\xa9 <&> -- ready\r\n")
            self.request.recv(64)
        except OSError:
            pass  # nmap's probes reset connections; not our concern here


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def _scripts(path: str) -> list[str]:
    """The <script> elements of the file, sorted by id, without our state PI and with
    nmap's self-closed form for an element without children."""
    with open(path, encoding="utf-8") as f:
        text = f.read().replace('<?nse-script state="ok"?>', "")
    text = re.sub(r"(<script [^>]*)></script>", r"\1/>", text)
    return sorted(re.findall(r'<script id="[^"]*" output="[^"]*"(?:/>|>.*?</script>)', text,
                             re.S))


def test_script_elements_match_nmap(tmp_path: str) -> None:
    """banner and the byte-escaping probe script run by our engine against a local TCP
    service: every <script> element is nmap's (sorted by id: nmap 7.93's XML keeps the
    order scripts finished in, ours the order normal output uses)."""
    from nse.engine.api import EngineOptions, ScriptEngine
    from nse.scan.options import parse_args
    from nse.scan.runner import resolve_plan, run_scan
    from nse.scan.services import load_services

    script = os.path.join(tmp_path, "escprobe.nse")
    with open(script, "w", encoding="latin-1") as f:
        f.write(_SCRIPT)
    srv = _Server(("127.0.0.1", 0), _Banner)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        port = str(srv.server_address[1])
        sel = f"banner,{script}"
        theirs = os.path.join(tmp_path, "theirs.xml")
        _theirs(["-sT", "-n", "-p", port, "--script", sel, "127.0.0.1"], theirs)
        args = ["-sT", "-n", "-p", port, "127.0.0.1"]
        opts = parse_args(args)
        plan = resolve_plan(opts, load_services(opts.datadir))
        ours = os.path.join(tmp_path, "ours.xml")
        engine = ScriptEngine(sel, EngineOptions())
        hosts: list[Any] = []
        info = scaninfo_from_plan(plan, "nse scan " + " ".join(args), "0.1.0", opts)
        with open_writers(OutputSpec(xml=ours), info) as w:
            w.prescripts(engine.pre_scan())
            run_scan(opts, on_host=hosts.append, log=lambda s: None)
            results = engine.scan(hosts)
            for h in hosts:
                w.host(h, results.get(h.ip))
            w.postscripts(engine.post_scan())
    finally:
        srv.shutdown()
        srv.server_close()
    got, want = _scripts(ours), _scripts(theirs)
    assert [s[:30] for s in want] == ['<script id="banner" output="22',
                                      '<script id="escprobe" output="']
    assert got == want


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.slow
def test_version_scan_matches_nmap(tmp_path: str) -> None:
    """-sV against a local HTTP server: <service> with product, version, extra info,
    method, confidence and CPE as nmap writes them (about 7 s each side)."""
    srv = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        port = str(srv.server_address[1])
        theirs, ours = os.path.join(tmp_path, "theirs.xml"), os.path.join(tmp_path, "ours.xml")
        args = ["-sT", "-sV", "-n", "-p", port, "127.0.0.1"]
        _theirs(args, theirs)
        _ours(args, ours)  # run_scan does -sV (nse.scan.vscan) before handing hosts out
    finally:
        srv.shutdown()
        srv.server_close()
    assert 'method="probed" conf="10"><cpe>' in _hosts(theirs)
    assert _hosts(ours) == _hosts(theirs)
