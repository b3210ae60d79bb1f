"""Scan results built from nse.scan.model / nse.engine classes, and helpers to write them
through nse.output.writers, for the output tests (imported by test modules; the name is
unique so that it cannot clash with another tests directory's helpers)."""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from typing import Any

from nse.engine.api import HostScripts
from nse.engine.output import ScriptOutput, XmlNode
from nse.output.writers import OutputSpec, RunStats, ScanInfo, ScanType, open_writers
from nse.scan.model import Host, Port, Times

START = 1795928472.0  # a fixed wall clock: Sun Nov 29 2026
DTD = "/usr/share/nmap/nmap.dtd"
HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(os.path.dirname(os.path.dirname(HERE)), "docs")


@dataclass
class Scenario:
    """A run: its header, hosts (with script results) and pre/post-scan results."""

    info: ScanInfo
    hosts: list[tuple[Host, HostScripts | None]]
    pre: list[Any] = field(default_factory=list)
    post: list[Any] = field(default_factory=list)
    #: seconds the fake clock moves on per host
    step: float = 0.5


class FakeClock:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def _name(n: int, proto: str) -> str:
    """The service name the scanner gives a port: nse's own table (the tests use it in
    place of nmap's, see the own_services fixture)."""
    from nse.scan.services import load_services

    return load_services(use_nmap=False).name(n, proto)


def _closed(h: Host, numbers: range, proto: str = "tcp", reason: str = "reset") -> None:
    for n in numbers:
        h.ports[(proto, n)] = Port(n, proto, "closed", reason, 64, _name(n, proto))


def full_scenario() -> Scenario:
    """Pre/host/port/post scripts, -sV fields, extraports, a timed-out host, a MAC
    address, a down host (shown with -v) and text needing every kind of escaping."""
    info = ScanInfo(args="nse scan -v -sS -sV --script x,y -p 44970-45010 localhost 10.9.9.9",
                    start=START, version="0.1.0",
                    scans=[ScanType("syn", "tcp", list(range(44970, 45011)))], verbose=1,
                    version_scan=True)
    a = Host("127.0.0.1", targetname="localhost", name="localhost", up=True,
             reason="localhost-response", times=Times(0.000028, 0.002125, 0.1))
    _closed(a, range(44970, 45011))
    a.ports[("tcp", 45001)] = Port(45001, "tcp", "open", "syn-ack", 64, "asmps",
                                   {"name": "asmps", "service_dtype": "table",
                                    "name_confidence": 3})
    a.ports[("tcp", 45003)] = Port(
        45003, "tcp", "open", "syn-ack", 64, "http",
        {"name": "http", "product": "SimpleHTTPServer", "version": "0.6",
         "extrainfo": "Python 3.11.7", "service_dtype": "probed", "name_confidence": 10,
         "cpe": ["cpe:/a:python:simplehttpserver:0.6"]})
    a.ports[("tcp", 45005)] = Port(
        45005, "tcp", "open", "syn-ack", 64, "https",
        {"name": "https", "product": "a/b server", "service_dtype": "probed",
         "name_confidence": 10, "service_tunnel": "ssl"})
    title = ScriptOutput("http-title", "Directory listing for /",
                         [XmlNode("elem", "title", "Directory listing for /")])
    weird = ScriptOutput(
        "weird", "bytes \x00\x1f\x7f\xff and UTF-8 h\xc3\xa9 --x <&\"'>\n",
        [XmlNode("table", "list", children=[XmlNode("elem", None, "1"),
                                            XmlNode("elem", None, "2"),
                                            XmlNode("table", None, children=[
                                                XmlNode("elem", "a", "b")])]),
         XmlNode("elem", "k<&\"'>--x", "h\xc3\xa9\tllo\r\n"),
         XmlNode("table", "empty")])
    failed = ScriptOutput("broken", "ERROR: Script execution failed (use -d to debug)")
    slow = ScriptOutput("slow", "")
    slow.state = "timed-out"  # type: ignore[attr-defined]  # the engine's field to be
    a_scripts = HostScripts(host=[ScriptOutput("host-info", "", [XmlNode("elem", None, "x")]),
                                  slow],
                            ports={("tcp", 45003): [title, weird, failed]})
    b = Host("127.0.0.1", targetname=None, name="", up=True, reason="user-set",
             mac_addr=bytes.fromhex("020000000001"), times=Times(0.0015, 0.0002, 0.2),
             timed_out=True, elapsed=30.0)
    b.ports[("tcp", 44970)] = Port(44970, "tcp", "open", "syn-ack", 64, "unknown")
    b.ports[("tcp", 44971)] = Port(44971, "tcp", "filtered", "no-response", 0, "unknown")
    down = Host("10.9.9.9", up=False, reason="no-response")
    pre = [ScriptOutput("pre-one", "pre text")]
    post = [ScriptOutput("post-one", "\n  x: 1", [XmlNode("elem", "x", "1")])]
    return Scenario(info, [(a, a_scripts), (b, None), (down, None)], pre, post)


def ping_scenario() -> Scenario:
    """``-sn``: no scaninfo, hosts without ports."""
    info = ScanInfo(args="nse scan -sn 127.0.0.1", start=START, version="0.1.0")
    h = Host("127.0.0.1", name="localhost", up=True, reason="localhost-response")
    return Scenario(info, [(h, None)])


def mixed_scenario() -> Scenario:
    """TCP and UDP with two ignored states (grepable then lists every port)."""
    info = ScanInfo(args="nse scan -sS -sU -p T:1-40,U:1-40 127.0.0.1", start=START,
                    version="0.1.0", scans=[ScanType("syn", "tcp", list(range(1, 41))),
                                            ScanType("udp", "udp", list(range(1, 41)))])
    h = Host("127.0.0.1", up=True, reason="localhost-response",
             times=Times(0.00005, 0.00001, 0.1))
    _closed(h, range(1, 41))
    for n in range(1, 41):
        h.ports[("udp", n)] = Port(n, "udp", "open|filtered", "no-response", 0,
                                   _name(n, "udp"))
    h.ports[("udp", 5)] = Port(5, "udp", "closed", "port-unreach", 64, _name(5, "udp"))
    h.ports[("tcp", 22)] = Port(22, "tcp", "open", "syn-ack", 64, "ssh")
    return Scenario(info, [(h, None)])


SCENARIOS = {"full": full_scenario, "ping": ping_scenario, "mixed": mixed_scenario}


def write_scenario(sc: Scenario, spec: OutputSpec, incomplete: str | None = None,
                   upto: int | None = None, stdout: io.StringIO | None = None) -> None:
    """Write ``sc`` through open_writers; ``incomplete`` closes early (after ``upto``
    hosts) as an interrupted run does."""
    clock = FakeClock(sc.info.start)
    w = open_writers(spec, sc.info, clock, stdout=stdout)
    w.prescripts(sc.pre)
    hosts = sc.hosts if upto is None else sc.hosts[:upto]
    for h, scripts in hosts:
        clock.t += sc.step
        w.host(h, scripts)
    if incomplete is not None:
        clock.t += 0.25
        w.close(incomplete=True, reason=incomplete)
        return
    w.postscripts(sc.post)
    clock.t += 0.25
    w.close(RunStats())


_DATE = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}")
_STAMP = re.compile(r'((?:"|\b)(?:start|starttime|endtime|time)"?(?:=|: )"?)\d{9,}')
_ELAPSED = re.compile(r"(scanned in |elapsed=\"|\"elapsed\": )\d+\.\d+")


def normalise(text: str) -> str:
    """Dates, unix times and durations replaced, so that real runs compare too."""
    text = _DATE.sub("<DATE>", text)
    text = _STAMP.sub(r"\g<1><TIME>", text)
    return _ELAPSED.sub(r"\g<1><ELAPSED>", text)
