"""Test helpers for script authors (use them from pytest).

Example::

    from nse.testing import fake_host, fake_port, run_script, tcp_server

    def test_banner_script():
        with tcp_server(banner=b"220 ready\\r\\n") as port:
            host = fake_host("127.0.0.1", ports=[fake_port(port, service="ftp")])
            r = run_script("scripts_py/my-banner.py", host)
        assert r.port_text(port) == "|_my-banner: 220 ready"

Everything runs through the real engine (same loader, rules, scheduler, output), against
services you start on the loopback interface; no nmap installation is needed.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from nse.engine.api import EngineOptions, PhaseOutputs, ScriptEngine
from nse.engine.datadir import DataDirs
from nse.engine.output import ScriptOutput, format_script_output
from nse.scan.model import Host, Port

__all__ = ["fake_host", "fake_port", "run_script", "ScriptRun", "tcp_server"]


def fake_port(number: int, protocol: str = "tcp", state: str = "open",
              service: str = "unknown", version: dict[str, Any] | None = None) -> Port:
    """A scanned port as the scanner would report it."""
    p = Port(number, protocol, state, reason="syn-ack" if state == "open" else "reset",
             service=service)
    if version:
        p.version.update(version)
    return p


def fake_host(ip: str = "127.0.0.1", ports: list[Port] | None = None, *,
              name: str = "", targetname: str | None = None) -> Host:
    """A host that is up, with these ports."""
    h = Host(ip, targetname=targetname, name=name, up=True, reason="user-set")
    for p in ports or []:
        h.ports[(p.protocol, p.number)] = p
    return h


def _lines(outs: list[ScriptOutput]) -> str:
    # outputs with empty text (a time-out, an error under -d) print nothing, as in nmap
    return "\n".join(t for t in map(format_script_output, outs) if t)


@dataclass
class ScriptRun(PhaseOutputs):
    """What one :func:`run_script` produced."""

    log: list[str] = field(default_factory=list)

    def outputs(self) -> list[ScriptOutput]:
        """Every output of every phase."""
        out = list(self.pre)
        for hs in self.hosts.values():
            out += hs.host
            for v in hs.ports.values():
                out += v
        return out + list(self.post)

    def port_text(self, number: int, protocol: str = "tcp", ip: str | None = None) -> str:
        """The normal-output lines printed under a port ("" when none)."""
        for hip, hs in self.hosts.items():
            if ip is None or hip == ip:
                outs = hs.ports.get((protocol, number), [])
                return _lines(outs)
        return ""

    def host_text(self, ip: str | None = None) -> str:
        """The "Host script results" lines."""
        for hip, hs in self.hosts.items():
            if ip is None or hip == ip:
                return _lines(hs.host)
        return ""

    def text(self) -> str:
        """Every output, formatted, one block per output."""
        return _lines(self.outputs())


def run_script(script: str, *hosts: Host, args: str | None = None, force: bool = False,
               verbosity: int = 0, debugging: int = 0, script_timeout: float | None = None,
               datadir: str | None = None, **options: Any) -> ScriptRun:
    """Run one script file (or selection) through all phases against ``hosts``.

    ``force`` runs the action whatever the rules say (``--script +name``);
    ``datadir`` lets Lua scripts ``require`` nselib modules from an nmap data directory
    (none by default).
    """
    log: list[str] = []
    opts = EngineOptions(verbosity=verbosity, debugging=debugging,
                         script_timeout=script_timeout,
                         datadirs=DataDirs.discover(datadir, environ={},
                                                    include_system=False)
                         if datadir else DataDirs([]),
                         log=log.append, **options)
    eng = ScriptEngine(("+" if force else "") + script, opts, script_args=args)
    run = ScriptRun(log=log)
    run.run_phases(eng, hosts)
    return run


Responder = Callable[[bytes], bytes | None]


@contextmanager
def tcp_server(banner: bytes = b"", respond: Responder | dict[bytes, bytes] | None = None,
               host: str = "127.0.0.1") -> Iterator[int]:
    """A loopback TCP service for one test; yields its port.

    On each connection it sends ``banner``, then for every chunk received sends
    ``respond(chunk)`` (or ``respond[chunk]``); ``None`` closes the connection.
    """
    srv = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, 0))
    srv.listen(64)
    stop = threading.Event()

    def answer(data: bytes) -> bytes | None:
        if respond is None:
            return None
        if isinstance(respond, dict):
            return respond.get(data)
        return respond(data)

    def handle(c: socket.socket) -> None:
        with c:
            try:
                if banner:
                    c.sendall(banner)
                while not stop.is_set():
                    data = c.recv(65536)
                    if not data:
                        return
                    reply = answer(data)
                    if reply is None:
                        return
                    c.sendall(reply)
            except OSError:
                return

    def serve() -> None:
        while not stop.is_set():
            try:
                c, _ = srv.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(c,), daemon=True).start()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        yield srv.getsockname()[1]
    finally:
        stop.set()
        srv.close()
